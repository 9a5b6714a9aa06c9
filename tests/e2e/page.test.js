// End-to-end: the built site (dist/, from `make dist`) served under a sub-path, as a blogger's
// static host would, and driven in Debian's headless Chromium through playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
const SUB = '/blog/kitchen/';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

let server, browser, base;

/** A static file server for dist/, mounted under SUB only. */
function serve() {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(SUB)) { res.writeHead(404).end(); return; }
    let file = path.join(dist, decodeURIComponent(url.pathname.slice(SUB.length)));
    if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
    if (file.endsWith(path.sep) || file === dist) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(body);
    });
  });
}

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'pkg', 'kitchen_bg.wasm')), 'run `make dist` first');
  server = serve();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}${SUB}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright makes a fresh, empty profile directory itself.
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page that fails the test on any uncaught error in the page. */
async function open(query = '') {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + query);
  await page.waitForSelector('#scenario');
  return { page, errors };
}

test('plays a chosen scenario to the end and draws lanes, the GIL and the cores', async () => {
  const { page, errors } = await open('?scenario=threads');
  assert.equal(await page.locator('#scenario option').count(), 7);
  assert.equal(await page.inputValue('#scenario'), 'threads');

  await page.selectOption('#scenario', 'asyncio-blocking');
  await page.selectOption('#speed', '16');
  assert.equal(await page.locator('.timeline .row.lane rect.s-running').count(), 0, 'nothing drawn before play');
  await page.click('#play');
  await page.waitForSelector('#result', { timeout: 10000 });

  const result = await page.textContent('#result');
  assert.match(result, /Total time 32\.400 s/);
  assert.match(result, /CPU busy \d+\.\d % of 4 cores/);
  assert.ok(await page.locator('.timeline .row.lane rect.s-running').count() >= 6, 'running spans drawn');
  assert.ok(await page.locator('.timeline .row.lane rect.s-sleeping, .timeline .row.lane rect.s-idle').count() >= 1);
  assert.equal(await page.locator('.timeline .row.gil').count(), 1, 'one GIL for one process');
  assert.ok(await page.locator('.timeline .row.gil rect.held').count() >= 1, 'the GIL holder is drawn');
  assert.equal(await page.locator('.timeline .row.core').count(), 4, 'a row per core');
  const printed = (await page.textContent('#printed')).trim().split('\n');
  assert.equal(printed.length, 9);
  assert.match(printed[8], /33\.420 s\s+order 3: sauce ready/);
  assert.match(page.url(), /scenario=asyncio-blocking/, 'the address names the scenario for sharing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('lanes fill over time while playing', async () => {
  const { page, errors } = await open('?scenario=processes');
  await page.click('#play');
  await page.waitForTimeout(1500);
  await page.click('#play'); // pause
  const clock = await page.textContent('#clock');
  const [now, end] = clock.match(/[\d.]+/g).map(Number);
  assert.ok(now > 0 && now < end, `paused part-way: ${clock}`);
  assert.equal(await page.locator('#result').count(), 0, 'no total before the end');
  const partial = await page.locator('.timeline rect.s-sleeping').count();
  await page.click('#end');
  await page.waitForSelector('#result');
  assert.ok(await page.locator('.timeline rect.s-sleeping').count() >= partial);
  assert.equal(await page.locator('.timeline .row.gil').count(), 10, 'a GIL per process');
  const coresUsed = await page.$$eval('.timeline .row.core', (rows) => rows.filter((r) => r.querySelector('rect.held')).length);
  assert.equal(coresUsed, 4, 'processes keep all 4 cores busy');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every scenario loads and plays to its end', async () => {
  const { page, errors } = await open();
  const ids = await page.$$eval('#scenario option', (os) => os.map((o) => o.value));
  assert.deepEqual(ids, ['asyncio-blocking', 'asyncio-to-thread', 'threads', 'processes',
    'thousand-asyncio', 'thousand-threads', 'thousand-processes']);
  for (const id of ids) {
    await page.selectOption('#scenario', id);
    await page.click('#end');
    const result = await page.textContent('#result');
    assert.match(result, /Total time \d+\.\d{3} s/, id);
    assert.ok(await page.locator('.timeline .row.lane').count() >= 1, id);
  }
  assert.match(await page.textContent('.timeline'), /more lanes/, 'big runs say how many lanes are not drawn');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the worker button times the real CPU step in a Web Worker', async () => {
  const { page, errors } = await open();
  await page.click('#time-worker');
  await page.waitForFunction(() => /ms in wasm/.test(document.querySelector('#worker-result')?.textContent || ''),
    null, { timeout: 30000 });
  const text = await page.textContent('#worker-result');
  assert.match(text, /range\(10000000\)\) = 333333283333335000000 took/, 'the real sum was computed');
  const ms = Number(text.match(/took ([\d.]+) ms/)[1]);
  assert.ok(ms > 0, `measured ${ms} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad URL parameters give messages, not a broken page', async () => {
  const { page, errors } = await open('?scenario=pizza&cores=99999&speed=fast');
  const notes = await page.$$eval('.note', (ns) => ns.map((n) => n.textContent));
  assert.ok(notes.some((n) => /unknown scenario 'pizza'/.test(n)), notes.join('|'));
  assert.ok(notes.some((n) => /cores=99999 is out of range/.test(n)), notes.join('|'));
  assert.ok(notes.some((n) => /speed=fast is not a number/.test(n)), notes.join('|'));
  await page.click('#end');
  assert.match(await page.textContent('#result'), /of 256 cores/);
  assert.deepEqual(errors, []);
  await page.close();
});
