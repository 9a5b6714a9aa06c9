// `make bench`'s loading and live-kitchen figures, in headless Chromium (after `make dist`):
// - every file of the site, raw and gzipped (dist/sizes.txt, written by build-site.sh);
// - what the page downloads before its first scene is drawn, gzipped, and the whole site;
// - the time from navigation to the first drawn scene (a fresh browser context each time, so
//   nothing is cached), its median of five;
// - the live kitchen on this machine: predicted and measured totals and speedups.
// It prints figures and asserts nothing: timings on a shared machine are for reading.
import fs from 'node:fs';
import path from 'node:path';
import { start, dist } from './site.js';

const sizes = new Map(fs.readFileSync(path.join(dist, 'sizes.txt'), 'utf8').trim().split('\n')
  .map((l) => l.split('\t')).map(([f, raw, gz]) => [f, { raw: Number(raw), gz: Number(gz) }]));
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;

console.log('the site (dist/), each file raw and gzipped:');
let raw = 0; let gz = 0;
for (const [file, s] of sizes) {
  raw += s.raw; gz += s.gz;
  console.log(`  ${file.padEnd(34)} ${kib(s.raw).padStart(12)} ${kib(s.gz).padStart(12)}`);
}
console.log(`  ${'all'.padEnd(34)} ${kib(raw).padStart(12)} ${kib(gz).padStart(12)}   (budget: 800 KB gzipped)`);

// Served gzipped, as a static host serves it: the throttled link below carries the sizes above.
const site = await start({ isolated: true, gzip: true });
const painted = []; const live = []; let before = null;
for (let i = 0; i < 5; i += 1) {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  await page.goto(site.base);
  await page.waitForSelector('#scene', { timeout: 60000 });
  const m = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const scene = performance.getEntriesByName('live-scene')[0]?.startTime ?? NaN;
    const loaded = performance.getEntriesByType('resource').filter((e) => e.responseEnd <= fcp).map((e) => e.name);
    return { fcp, scene, loaded };
  });
  painted.push(m.fcp); live.push(m.scene);
  before = m.loaded.map((u) => new URL(u).pathname.split('/blog/kitchen/')[1]).filter((f) => sizes.has(f));
  await context.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const files = ['index.html', ...before];
const firstGz = files.reduce((sum, f) => sum + sizes.get(f).gz, 0);
console.log(`arrived by the first paint, served from this machine: ${kib(firstGz)} gzipped: ${files.join(', ')}`);
// What the first paint must wait for: on a slow link (1.6 Mbit/s, 150 ms latency, as
// DevTools' "Slow 4G"), only what arrived before it can have been needed for it.
{
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
  await page.goto(site.base);
  await page.waitForSelector('#scene', { timeout: 120000 });
  // The live scene (the module arrived, its own scene drawn, the controls working) too.
  await page.waitForFunction(() => performance.getEntriesByName('live-scene').length > 0, null, { timeout: 120000 });
  const m = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const scene = performance.getEntriesByName('live-scene')[0]?.startTime ?? NaN;
    const loaded = performance.getEntriesByType('resource').filter((e) => e.responseEnd <= fcp).map((e) => e.name);
    return { fcp, scene, loaded };
  });
  const needed = ['index.html', ...m.loaded.map((u) => new URL(u).pathname.split('/blog/kitchen/')[1]).filter((f) => sizes.has(f))];
  const neededGz = needed.reduce((sum, f) => sum + sizes.get(f).gz, 0);
  console.log(`downloaded before the first scene is painted, on a 1.6 Mbit/s link: ${kib(neededGz)} gzipped (budget: 250 KB): ${needed.join(', ')}; painted after ${m.fcp.toFixed(0)} ms; the live scene (controls working) after ${m.scene.toFixed(0)} ms`);
  await context.close();
}
console.log(`time to the first painted scene (the prerendered opening, first contentful paint): median ${median(painted).toFixed(0)} ms (${painted.map((t) => t.toFixed(0)).join(', ')})`);
console.log(`time to the live scene (the page's module loaded, the precomputed trace drawn, controls working): median ${median(live).toFixed(0)} ms (${live.map((t) => t.toFixed(0)).join(', ')})`);
const forLive = ['index.html', 'style.css', 'main.js', 'pkg/kitchen.js', 'pkg/kitchen_bg.wasm', 'traces/asyncio-blocking.c4.json'];
console.log(`downloaded before the live scene: ${kib(forLive.reduce((sum, f) => sum + sizes.get(f).gz, 0))} gzipped (${forLive.join(', ')}); the engine worker runs the same module (${kib(sizes.get('engine-worker.js').gz)} more for its script)`);
console.log(`live kitchen (navigator.hardwareConcurrency of this machine; cross-origin isolated page):`);
for (const [scenario, button] of [['processes', '#live-run'], ['threads', '#live-run'], ['threads', '#live-run-nogil'], ['asyncio-blocking', '#live-run']]) {
  const { page } = await site.open(`?scenario=${scenario}`);
  await page.click(button);
  await page.waitForSelector('#live-result', { timeout: 180000 });
  const line = await page.textContent('#live-result');
  const detail = await page.textContent('.live-detail').catch(() => '');
  console.log(`  ${scenario}${button.endsWith('nogil') ? ' (no GIL)' : ''}: ${line}`);
  if (detail) console.log(`    ${detail}`);
  await page.close();
}
await site.close();
