// End-to-end: the engine in its Web Worker (issue 11 §1, §5). The page draws its first scene
// from its module and a precomputed trace before the engine worker has loaded; a long program
// runs in the worker while the page keeps drawing frames; #cancel-run stops it; an engine
// that fails (out of memory) or a worker that dies is a message on the page, and the page
// goes on; the page's Content-Security-Policy is there and nothing outside its origin is
// requested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './site.js';

let site;
before(async () => { site = await start(); });
after(async () => { await site?.close(); });

/** Types `source` into the code panel's editor and presses Run. */
async function runProgram(page, source) {
  await page.click('#edit-code');
  await page.fill('#code-editor', source);
  await page.click('#run-code');
}

test('the first scene is drawn from the precomputed trace, before the engine worker loads', async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const requests = [];
  context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  // Hold the engine worker back: the scene must not need it.
  let release;
  const held = new Promise((ok) => { release = ok; });
  await context.route('**/engine-worker.js', async (route) => { await held; await route.continue(); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.base);
  await page.waitForSelector('#scene[data-trace="asyncio-blocking"]', { timeout: 30000 });
  assert.ok(requests.some((p) => p.endsWith('/traces/asyncio-blocking.c4.json')), requests.join(' '));
  assert.ok(requests.some((p) => p.endsWith('/kitchen_bg.wasm')));
  // The engine worker was asked for (after the first paint) but has not arrived.
  await page.waitForFunction(() => performance.getEntriesByType('resource').length > 0);
  const status = await page.evaluate(() => document.querySelector('#engine-trouble')?.textContent || '');
  assert.equal(status, '');
  assert.match(await page.textContent('#clock'), /of 32\.400 s/, 'the precomputed run is the simulated one');
  release();
  // Once it has loaded, the engine answers: another scenario is simulated in the worker.
  await page.selectOption('#scenario', 'threads');
  await page.waitForSelector('#scene[data-trace="threads"]', { timeout: 30000 });
  assert.ok(requests.some((p) => p.endsWith('/engine-worker.js')));
  // The worker runs the page's module, handed over compiled: it is downloaded once.
  assert.equal(requests.filter((p) => p.endsWith('/kitchen_bg.wasm')).length, 1, requests.join(' '));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a program that runs to the operation budget runs in the worker: frames keep coming, and it ends with its message', async () => {
  const { page, errors } = await site.open();
  // The machine is shared: first, how the idle page fares for a second. If other jobs make
  // even the idle page miss frames or stretch its tasks, 100 ms cannot be told from the
  // machine's doing, and only a freeze (the run, seconds long, on the page's thread) is
  // checked.
  const idle = await page.evaluate(() => new Promise((done) => {
    let last = 0; let max = 0; let longest = 0;
    const o = new PerformanceObserver((l) => { for (const e of l.getEntries()) longest = Math.max(longest, e.duration); });
    o.observe({ type: 'longtask' });
    const t0 = performance.now();
    const f = (t) => {
      if (last) max = Math.max(max, t - last);
      last = t;
      if (t - t0 < 1000) requestAnimationFrame(f); else { o.disconnect(); done({ max, longest }); }
    };
    requestAnimationFrame(f);
  }));
  const quiet = idle.max < 50 && idle.longest < 50;
  const limit = quiet ? 100 : 500;
  await page.evaluate(() => {
    window.__gaps = { last: 0, max: 0, frames: 0, on: true, longest: 0, deltas: [] };
    const g = window.__gaps;
    // A task of the page's own that holds its thread: what a freeze is.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) g.longest = Math.max(g.longest, e.duration);
    }).observe({ type: 'longtask' });
    const frame = (t) => {
      if (!g.on) return;
      if (g.last) { g.max = Math.max(g.max, t - g.last); g.deltas.push(t - g.last); }
      g.last = t;
      g.frames += 1;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await runProgram(page, 'n = 0\nwhile True:\n    n += 1\n');
  await page.waitForSelector('#engine-progress', { timeout: 20000 });
  assert.match(await page.textContent('#engine-progress'), /Running your program… \d+\.\d s/);
  await page.waitForSelector('#code-error', { timeout: 120000 });
  const gaps = await page.evaluate(() => { window.__gaps.on = false; return window.__gaps; });
  assert.match(await page.textContent('#code-error'), /stopped after \d+ interpreted operations/);
  assert.ok(gaps.frames > 10, `frames while it ran: ${gaps.frames}`);
  const median = [...gaps.deltas].sort((a, b) => a - b)[Math.floor(gaps.deltas.length / 2)];
  console.log(`# frames while the program ran: ${gaps.frames}, median gap ${median.toFixed(1)} ms, longest ${gaps.max.toFixed(1)} ms; longest task of the page ${gaps.longest.toFixed(0)} ms`);
  // No task of the page's own held its thread for 100 ms (the engine runs elsewhere), no
  // frame came more than 100 ms after the last, and frames came at the display's rate.
  console.log(`# the idle page before: longest gap ${idle.max.toFixed(1)} ms, longest task ${idle.longest.toFixed(0)} ms: ${quiet ? 'a quiet machine, limit 100 ms' : 'a busy machine, limit 500 ms'}`);
  assert.ok(gaps.longest < limit, `a task held the page's thread for ${gaps.longest.toFixed(0)} ms`);
  if (quiet) assert.ok(gaps.max < limit, `the longest gap between frames was ${gaps.max.toFixed(1)} ms`);
  assert.ok(median < 20, `frames came every ${median.toFixed(1)} ms`);
  assert.equal(await page.locator('#engine-progress').count(), 0, 'the progress line goes when the run ends');
  assert.deepEqual(errors, []);
  await page.close();
});

test('#cancel-run stops a long run; the page goes on with a fresh engine', async () => {
  const { page, errors } = await site.open();
  await runProgram(page, 'n = 0\nwhile True:\n    n += 1\n');
  await page.waitForSelector('#cancel-run', { timeout: 20000 });
  const t0 = Date.now();
  await page.click('#cancel-run');
  await page.waitForSelector('#code-error', { timeout: 5000 });
  assert.ok(Date.now() - t0 < 3000, 'cancelled at once');
  assert.match(await page.textContent('#code-error'), /cancelled/);
  await runProgram(page, 'import time\ntime.sleep(0.5)\nprint("after the cancel")\n');
  await page.waitForSelector('#clock', { timeout: 30000 });
  await page.waitForFunction(() => /of 0\.5/.test(document.querySelector('#clock')?.textContent || ''), null, { timeout: 30000 });
  await page.click('#end');
  assert.match(await page.textContent('#printed'), /after the cancel/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an engine that runs out of memory is a message on the page, and the next run gets a fresh engine', async () => {
  const { page, errors } = await site.open();
  // Each list is 40 million items: the fourth or so does not fit in a wasm32 memory.
  await runProgram(page, 'lists = []\nfor i in range(20):\n    lists.append([0] * 40000000)\n');
  await page.waitForSelector('#engine-trouble', { timeout: 120000 });
  assert.match(await page.textContent('#engine-trouble'), /the engine failed: .*(unreachable|memory|capacity)/i);
  await page.waitForSelector('#code-error');
  assert.match(await page.textContent('#code-error'), /the engine failed/);
  // The page stays usable: another scenario, simulated by a new engine worker.
  await page.selectOption('#scenario', 'processes');
  await page.waitForSelector('#scene[data-trace="processes"]', { timeout: 30000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a worker that dies is a message on the page, and the page goes on', async () => {
  const { page, errors } = await site.open('?scenario=threads');
  const worker = page.workers().find((w) => w.url().endsWith('/engine-worker.js'));
  assert.ok(worker, 'the engine worker runs');
  await worker.evaluate(() => setTimeout(() => { throw new Error('killed by the test'); }));
  await page.waitForSelector('#engine-trouble', { timeout: 10000 });
  assert.match(await page.textContent('#engine-trouble'), /the engine's worker failed: .*killed by the test/);
  await page.selectOption('#scenario', 'processes');
  await page.waitForSelector('#scene[data-trace="processes"]', { timeout: 30000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page has its Content-Security-Policy, no inline script, and asks nothing of another origin', async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const violations = [];
  await page.exposeFunction('__violation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${site.base}?scenario=processes`);
  await page.waitForSelector('#scene[data-trace="processes"]', { timeout: 30000 });
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
  const inline = await page.$$eval('script', (ss) => ss.filter((s) => !s.src).length);
  assert.equal(inline, 0, 'no inline script');
  // Use the page: play, the live kitchen, a program.
  await page.click('#end');
  await page.click('#live-run');
  await page.waitForSelector('#live-result', { timeout: 120000 });
  const origin = new URL(site.base).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'nothing outside the page\'s origin');
  assert.ok(requests.some((u) => u.endsWith('/chef-worker.js')), 'the workers were requested too');
  assert.ok(site.served.every((p) => p.startsWith('/blog/kitchen/')), 'every request stays under the sub-path');
  assert.deepEqual(violations, []);
  await context.close();
});
