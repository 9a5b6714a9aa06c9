// Prerenders the page's opening scene into the built site's index.html (scripts/build-site.sh
// runs it): the page module draws the opening view in headless Chromium, from the
// precomputed trace, and its markup is written into index.html, so a reader's browser
// paints the first scene from HTML and CSS alone, before any wasm has arrived.
//
// The copy is inert (`inert`, its ids outside SVG moved to data-pre-id so it never stands in
// for the real page): www/main.js shows it while the UI module loads and swaps in the live page as
// soon as that has drawn its own scene. An address with parameters (another scenario, a
// program, a moment) asks for something else, so main.js drops the copy at once there.
//   node scripts/prerender.mjs dist
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '../tests/e2e/node_modules/playwright-core/index.mjs';

const dist = path.resolve(process.argv[2] || 'dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
const server = http.createServer((req, res) => {
  let file = path.join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
  if (file.endsWith(path.sep)) file = path.join(file, 'index.html');
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(body);
  });
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('#app #scene[data-trace]', { timeout: 60000 });
  if (errors.length) throw new Error(`the page failed while prerendering: ${errors.join(' | ')}`);
  const markup = await page.evaluate(() => {
    const live = document.getElementById('app');
    // What the page set as properties is written as attributes, so the copy shows it.
    for (const input of live.querySelectorAll('input')) input.setAttribute('value', input.value);
    for (const option of live.querySelectorAll('option')) option.toggleAttribute('selected', option.selected);
    const copy = live.cloneNode(true);
    // Ids inside SVG stay: the copy's fills and clip paths refer to them (url(#...)).
    for (const el of copy.querySelectorAll('[id]')) {
      if (el.closest('svg')) continue;
      el.dataset.preId = el.id;
      el.removeAttribute('id');
    }
    for (const el of copy.querySelectorAll('[for]')) el.removeAttribute('for');
    return copy.innerHTML;
  });
  const index = path.join(dist, 'index.html');
  const html = fs.readFileSync(index, 'utf8');
  const slot = '<div id="prerendered" inert hidden></div>';
  if (!html.includes(slot)) throw new Error(`index.html has no ${slot}`);
  fs.writeFileSync(index, html.replace(slot, `<div id="prerendered" inert aria-hidden="true">${markup}</div>`));
  console.log(`prerendered the opening scene into ${index} (${(markup.length / 1024).toFixed(0)} KiB of markup)`);
} finally {
  await browser.close();
  server.close();
}
