// The page's module: loads the UI's wasm (the drawing only; the engine comes later, in its
// own worker, engine-worker.js) and mounts the app. Every URL is relative, so the site works
// under any sub-path.
import init, { run_app } from './pkg/kitchen_ui.js';

init().then(run_app).catch((err) => {
  document.getElementById('app').textContent = `Could not load the kitchen: ${err}`;
});
