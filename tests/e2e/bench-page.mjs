// `make bench`'s page figures: plays the thousand-threads scenario in headless Chromium and
// prints the frame times (requestAnimationFrame deltas), the main thread's work per frame
// (Chrome's own TaskDuration, which holds the app's update, Yew's render, style, layout and
// paint), long tasks, and the page's DOM size; then how fast the interpreter runs in the
// page's wasm (interpreted operations a second). It prints figures and asserts nothing:
// timings on a shared machine are for reading, not for pass or fail.
//   node tests/e2e/bench-page.mjs        (after `make dist`)
import fs from 'node:fs';
import { start } from './site.js';

const RUNS = [
  // [label, query, seconds of playing]
  ['folded, 0.1×', '?scenario=thousand-threads&speed=0.1', 3],
  ['unfolded, 10×', '?scenario=thousand-threads&speed=10&fold=0', 3],
  ['threads, folded, 0.01×', '?scenario=threads&speed=0.01', 3],
];

const site = await start();
const percentile = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');

console.log('page, playing in headless Chromium (1280×720):');
console.log(`${'run'.padEnd(26)} ${'frames'.padStart(6)} ${'Δ p50 ms'.padStart(9)} ${'Δ p95 ms'.padStart(9)} ${'work/frame ms'.padStart(14)} ${'long tasks'.padStart(11)} ${'DOM max'.padStart(8)}`);
for (const [label, query, seconds] of RUNS) {
  const { page, errors } = await site.open(query);
  await page.evaluate(() => {
    window.__bench = { deltas: [], nodes: 0, long: 0, longMs: 0, last: 0, on: true };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) { window.__bench.long += 1; window.__bench.longMs += e.duration; }
    }).observe({ type: 'longtask', buffered: false });
    const b = window.__bench;
    const frame = (t) => {
      if (!b.on) return;
      if (b.last) b.deltas.push(t - b.last);
      b.last = t;
      if (b.deltas.length % 10 === 0) b.nodes = Math.max(b.nodes, document.getElementsByTagName('*').length);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metric();
  await page.click('#play');
  await page.waitForTimeout(seconds * 1000);
  const after = await metric();
  const b = await page.evaluate(() => { window.__bench.on = false; return window.__bench; });
  await page.click('#play').catch(() => {});
  const frames = b.deltas.length;
  const work = ((after.TaskDuration - before.TaskDuration) * 1000) / Math.max(frames, 1);
  console.log(`${label.padEnd(26)} ${String(frames).padStart(6)} ${f1(percentile(b.deltas, 0.5)).padStart(9)} ${f1(percentile(b.deltas, 0.95)).padStart(9)} ${f1(work).padStart(14)} ${`${b.long} (${Math.round(b.longMs)} ms)`.padStart(11)} ${String(b.nodes).padStart(8)}`);
  if (errors.length) console.log(`  page errors: ${errors.join(' | ')}`);
  await page.close();
}
console.log('goal: work per frame under 16 ms (60 fps); the issue measured 30,329 DOM nodes and p95 417 ms before.');

// The interpreter in the browser: the program `make bench` also runs natively
// (examples/interpreter_speed.py), run by the page's own wasm module, timed around the call.
{
  const source = fs.readFileSync(new URL('../../examples/interpreter_speed.py', import.meta.url), 'utf8');
  const { page, errors } = await site.open('?scenario=threads');
  const r = await page.evaluate(async (src) => {
    const m = await import('./pkg/kitchen.js');
    await m.default();
    let best = Infinity;
    let ops = 0;
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      ops = m.interpreted_operations(src);
      best = Math.min(best, performance.now() - t);
    }
    return { ops, best };
  }, source);
  console.log(`interpreter, wasm in headless Chromium: ${r.ops} operations in ${r.best.toFixed(0)} ms (best of 5): ${(r.ops / r.best / 1000).toFixed(1)} million operations/s`);
  if (errors.length) console.log(`  page errors: ${errors.join(' | ')}`);
  await page.close();
}
await site.close();
