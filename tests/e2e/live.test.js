// End-to-end: the live kitchen (issue 11 §2). The shown scenario is cooked for real in Web
// Workers through the engine worker: processes are a worker each and overlap in time on a
// machine with two or more cores; threads with the GIL never compute at once; without it
// they do. The measured run (`source: browser`) replaces the shown trace and #live-result
// puts it beside the prediction. Both ways of handing the GIL over are tested: a
// SharedArrayBuffer on a cross-origin isolated page (the headers `make serve` sends) and
// messages on a plain static host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { start } from './site.js';

let plain;
let isolated;
before(async () => { plain = await start(); isolated = await start({ isolated: true }); });
after(async () => { await plain?.close(); await isolated?.close(); });

/** Cooks `scenario` live (`button`: #live-run or #live-run-nogil) and returns the measured
 * trace's computing spans per lane and the result line. */
async function cook(site, scenario, button = '#live-run') {
  const { page, errors } = await site.open(`?scenario=${scenario}`);
  await page.click(button);
  await page.waitForSelector('#live-result', { timeout: 180000 });
  const result = await page.textContent('#live-result');
  assert.doesNotMatch(result, /failed/, result);
  // The measured run is shown: save it to read its spans.
  const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#save-trace')]);
  const fs = await import('node:fs');
  const trace = JSON.parse(fs.readFileSync(await saved.path(), 'utf8'));
  const isolatedPage = await page.evaluate(() => self.crossOriginIsolated);
  return { page, errors, result, trace, isolatedPage };
}

/** The stretches (longer than 20 ms) each lane spent in `state`. */
function stretches(trace, state) {
  return trace.lanes.flatMap((l) => l.spans
    .filter((s) => s.state === state && s.end_s - s.start_s > 0.02)
    .map((s) => ({ lane: l.id, start: s.start_s, end: s.end_s })));
}

function overlapping(spans) {
  for (const a of spans) for (const b of spans) if (a.lane !== b.lane && a.start < b.end - 0.01 && b.start < a.end - 0.01) return true;
  return false;
}

test('processes: a worker each, whose CPU steps overlap on two or more cores', async () => {
  const { page, errors, result, trace } = await cook(plain, 'processes');
  assert.equal(trace.source, 'browser');
  assert.ok(trace.notes.some((n) => /navigator\.hardwareConcurrency = \d+/.test(n)), trace.notes.join('|'));
  assert.equal(trace.lanes.filter((l) => l.kind === 'process').length, 9);
  assert.match(result, /^predicted \d+\.\d\d s, \d+\.\d× as fast as one chef \(CPython on \d+ cores\) · measured \d+\.\d\d s, \d+\.\d× \(10 Web Workers, one GIL per process\)$/);
  assert.match(await page.textContent('.summary-line'), /cooked live in this browser/);
  assert.match(await page.textContent('.live-detail'), /a Web Worker took \d+ ms to start/);
  const running = stretches(trace, 'running');
  assert.equal(new Set(running.map((s) => s.lane)).size, 6, 'six CPU steps');
  // Kitchens cook side by side: their steps are under way at the same time.
  if (os.availableParallelism() >= 2) assert.ok(overlapping(running), 'processes cook at once');
  // The speedup is a figure (make bench), not a check: on a shared machine other jobs take
  // the cores at will. Overlap in time is what two kitchens do, however fast.
  console.log(`# ${result}`);
  // The measured run plays in the same scene.
  await page.click('#end');
  await page.waitForSelector('#result');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [label, site] of [['messages', () => plain], ['a SharedArrayBuffer', () => isolated]]) {
  test(`threads with the GIL, handed over by ${label}: never two computing at once`, async () => {
    const { page, errors, result, trace, isolatedPage } = await cook(site(), 'threads');
    assert.equal(isolatedPage, site() === isolated);
    assert.ok(trace.notes.some((n) => (isolatedPage ? /SharedArrayBuffer \(this page is cross-origin isolated\)/ : /messages \(this page is not cross-origin isolated/).test(n)), trace.notes.join('|'));
    const running = trace.lanes.flatMap((l) => l.spans.filter((s) => s.state === 'running' && s.end_s > s.start_s + 1e-4)
      .map((s) => ({ lane: l.id, start: s.start_s, end: s.end_s })));
    assert.ok(running.length > 20, 'the GIL passed many times');
    assert.ok(!overlapping(running), 'one holder at a time');
    const waited = stretches(trace, 'waiting_gil');
    assert.ok(waited.length > 0, 'threads waited for the GIL');
    console.log(`# ${result}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('threads without a GIL cook at once', async () => {
  const { page, errors, result, trace } = await cook(isolated, 'threads', '#live-run-nogil');
  assert.match(result, /no GIL\)$/);
  assert.ok(trace.notes.some((n) => /No GIL/.test(n)));
  const running = stretches(trace, 'running');
  assert.equal(running.length, 6, 'each CPU step in one stretch');
  if (os.availableParallelism() >= 2) assert.ok(overlapping(running), 'threads cook at once');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a scenario without CPU work says so', async () => {
  const { page, errors } = await plain.open('?scenario=thousand-threads');
  assert.match(await page.textContent('#live'), /has no CPU work to cook for real/);
  assert.equal(await page.locator('#live-run').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
