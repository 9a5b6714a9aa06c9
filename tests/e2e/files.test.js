// End-to-end: traces in and out of the page (issue 11 §4). A trace file is untrusted: garbage
// and a huge file give clear messages and the page goes on; a trace measured natively
// (tests/data/measured-threads.json, `kitchen measure threads --json`) and a VizTracer file
// (tests/data/viztracer_kitchen.json) play in the scene. The shown run is exported as
// Chrome's Trace Event JSON and saved as the kitchen's own JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './site.js';

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data');
let site;
before(async () => { site = await start(); });
after(async () => { await site?.close(); });

/** Opens `buffer` as the file `name` through the picker. */
async function pick(page, name, buffer) {
  await page.setInputFiles('#open-trace', { name, mimeType: 'application/json', buffer });
}

test('garbage and a huge file give messages; the shown run stays', async () => {
  const { page, errors } = await site.open();
  await pick(page, 'garbage.json', Buffer.from('this is not { a trace'));
  await page.waitForSelector('#file-message.error', { timeout: 30000 });
  assert.match(await page.textContent('#file-message'), /garbage\.json cannot be shown: it is not a kitchen trace/);
  await pick(page, 'wrong.json', Buffer.from(JSON.stringify({ format: 1, scenario: 'x', lanes: 'no' })));
  await page.waitForFunction(() => /wrong\.json/.test(document.querySelector('#file-message')?.textContent || ''));
  assert.match(await page.textContent('#file-message'), /wrong\.json cannot be shown/);
  // Over the page's limit: refused before it is read.
  const huge = Buffer.alloc(40 << 20, 32);
  await pick(page, 'huge.json', huge);
  await page.waitForFunction(() => /huge\.json/.test(document.querySelector('#file-message')?.textContent || ''));
  assert.match(await page.textContent('#file-message'), /huge\.json is too large to open here: 40 MB \(at most 32 MB\)/);
  assert.equal(await page.getAttribute('#scene', 'data-trace'), 'asyncio-blocking', 'the shown run stays');
  await page.click('#play');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a natively measured trace and a VizTracer file open and play', async () => {
  const { page, errors } = await site.open();
  await pick(page, 'measured-threads.json', fs.readFileSync(path.join(data, 'measured-threads.json')));
  await page.waitForSelector('#file-message.note', { timeout: 30000 });
  await page.waitForFunction(() => /Showing measured-threads\.json/.test(document.querySelector('#file-message')?.textContent || ''));
  assert.match(await page.textContent('#file-message'), /\(native, 10 lanes\)/);
  assert.match(await page.textContent('.summary-line'), /measured natively/);
  await page.selectOption('#speed', '10');
  await page.click('#play');
  await page.waitForSelector('#result', { timeout: 20000 });
  assert.ok(await page.locator('.timeline g.row[data-row^="lane-"]').count() >= 10);

  await pick(page, 'viztracer_kitchen.json', fs.readFileSync(path.join(data, 'viztracer_kitchen.json')));
  await page.waitForFunction(() => /Showing viztracer_kitchen\.json/.test(document.querySelector('#file-message')?.textContent || ''), null, { timeout: 30000 });
  assert.match(await page.textContent('#file-message'), /\(cpython, \d+ lanes\)/);
  await page.click('#back-to-scenario');
  await page.waitForSelector('#scene[data-trace="asyncio-blocking"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a file dropped on the page is opened', async () => {
  const { page, errors } = await site.open();
  const text = fs.readFileSync(path.join(data, 'measured-threads.json'), 'utf8');
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'dropped.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction(() => /Showing dropped\.json/.test(document.querySelector('#file-message')?.textContent || ''), null, { timeout: 30000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the shown run exports as Chrome trace JSON and saves as a kitchen trace', async () => {
  const { page, errors } = await site.open('?scenario=threads');
  const [chrome] = await Promise.all([page.waitForEvent('download'), page.click('#export-chrome')]);
  assert.equal(chrome.suggestedFilename(), 'threads.chrome.json');
  const exported = JSON.parse(fs.readFileSync(await chrome.path(), 'utf8'));
  const events = exported.traceEvents;
  assert.ok(Array.isArray(events) && events.length > 100);
  const tracks = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args.name));
  assert.ok(tracks.has('main') && tracks.has('order 1 · chop'), [...tracks].join('|'));
  const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#save-trace')]);
  assert.equal(saved.suggestedFilename(), 'threads.kitchen.json');
  const trace = JSON.parse(fs.readFileSync(await saved.path(), 'utf8'));
  assert.equal(trace.scenario, 'threads');
  assert.equal(trace.source, 'simulated');
  // A saved trace opens again.
  await pick(page, 'again.json', fs.readFileSync(await saved.path()));
  await page.waitForFunction(() => /Showing again\.json/.test(document.querySelector('#file-message')?.textContent || ''), null, { timeout: 30000 });
  assert.deepEqual(errors, []);
  await page.close();
});
