// The page's module: loads the kitchen's wasm and mounts the app. The same module runs the
// engine in its own worker (engine-worker.js), which the page starts after its first scene. Every URL is relative, so the site works
// under any sub-path.
//
// index.html may carry a prerendered copy of the opening scene (scripts/prerender.mjs), which
// the browser paints before any wasm has arrived. It is inert: the live page is drawn behind
// it and takes its place as soon as it has drawn its own scene (or an error). An address with
// parameters asks for another view than the prerendered one, so the copy goes at once there.
import init, { run_app } from './pkg/kitchen.js';

const app = document.getElementById('app');
const copy = document.getElementById('prerendered');
const showLive = () => {
  if (copy && copy.isConnected) copy.remove();
  app.classList.remove('behind');
};
if (copy && copy.childElementCount > 0 && !location.search) {
  app.classList.add('behind');
  new MutationObserver((_, observer) => {
    if (app.querySelector('#scene, .error')) { observer.disconnect(); showLive(); performance.mark('live-scene'); }
  }).observe(app, { childList: true, subtree: true });
} else {
  showLive();
  new MutationObserver((_, observer) => {
    if (app.querySelector('#scene')) { observer.disconnect(); performance.mark('live-scene'); }
  }).observe(app, { childList: true, subtree: true });
}

init().then(run_app).catch((err) => {
  showLive();
  app.textContent = `Could not load the kitchen: ${err}`;
});
