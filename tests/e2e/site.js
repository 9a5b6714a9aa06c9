// What every end-to-end test and the page bench share: the built site (dist/, from
// `make dist`) served under a sub-path, as a blogger's static host would, and Debian's
// headless Chromium driven through playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const dist = path.resolve(here, '../../dist');
const SUB = '/blog/kitchen/';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
/** What scripts/serve.py sends to make the page cross-origin isolated (SharedArrayBuffer). */
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** A static file server for dist/, mounted under SUB only. It accepts long addresses (a
 * `code=` parameter carries a whole program), as a static host's usual 8 to 16 KiB might not.
 * `isolated`: it sends the cross-origin isolation headers, as `make serve` does; without them
 * it is a plain static host. `gzip`: it compresses what it sends, as static hosts do (the
 * bench's throttled link then carries the gzipped sizes). `served` collects every path asked
 * for. */
function serve(isolated, served, gzip = false) {
  const packed = new Map();
  return http.createServer({ maxHeaderSize: 1 << 17 }, (req, res) => {
    const url = new URL(req.url, 'http://x');
    served.push(url.pathname);
    if (!url.pathname.startsWith(SUB)) { res.writeHead(404).end(); return; }
    let file = path.join(dist, decodeURIComponent(url.pathname.slice(SUB.length)));
    if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
    if (file.endsWith(path.sep) || file === dist) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end(); return; }
      const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', ...(isolated ? ISOLATION : {}) };
      if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
        if (!packed.has(file)) packed.set(file, zlib.gzipSync(body, { level: 9 }));
        res.writeHead(200, { ...headers, 'content-encoding': 'gzip' }).end(packed.get(file));
        return;
      }
      res.writeHead(200, headers).end(body);
    });
  });
}

/** Serves dist/ (see `serve` for the options) and starts Chromium; `close()` stops both. */
export async function start({ isolated = false, gzip = false } = {}) {
  if (!fs.existsSync(path.join(dist, 'pkg', 'kitchen_bg.wasm'))) throw new Error('run `make dist` first');
  const served = [];
  const server = serve(isolated, served, gzip);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${server.address().port}${SUB}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright makes a fresh, empty profile directory itself.
  });
  /** A fresh page at `query`, once the kitchen has drawn its first scene. `errors` collects
   * every uncaught error and console error in the page. */
  async function open(query = '', options = {}) {
    const { viewport = { width: 1280, height: 720 }, waitFor = '#scene', ...rest } = options;
    const page = await browser.newPage({ viewport, ...rest });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(base + query);
    await page.waitForSelector(waitFor, { timeout: 30000 });
    return { page, errors };
  }
  return { base, browser, open, served, close: async () => { await browser.close(); server.close(); } };
}

/** The cursor's time and the run's length, read off `#clock` (`t = 1.234 s of 30.121 s`). */
export async function clock(page) {
  const text = await page.textContent('#clock');
  const [now, end] = text.match(/[\d.]+/g).map(Number);
  return { now, end, text };
}
