// End-to-end: the built site (dist/, from `make dist`) served under a sub-path, as a blogger's
// static host would, and driven in Debian's headless Chromium through playwright-core.
// The scene, the stepping and the keyboard have tests of their own in scene.test.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, clock } from './site.js';

let site;
before(async () => { site = await start(); });
after(async () => { await site?.close(); });

/** A fresh page that fails the test on any uncaught error in the page. */
const open = (query, viewport) => site.open(query, viewport ? { viewport } : {});

/** How much of the timeline's plot is drawn (the clip that hides what has not happened yet). */
const drawnWidth = (page) => page.$eval('#tl-past rect', (r) => Number(r.getAttribute('width')));

test('plays a chosen scenario to the end and draws lanes, the GIL and the cores', async () => {
  const { page, errors } = await open('?scenario=threads');
  // The fifteen lessons in course order, then the comparison and the guide.
  assert.equal(await page.locator('#scenario option').count(), 17);
  assert.equal(await page.inputValue('#scenario'), 'threads');

  await page.selectOption('#scenario', 'asyncio-blocking');
  await page.waitForSelector('#scene[data-trace="asyncio-blocking"]');
  await page.selectOption('#speed', '10');
  assert.equal(await drawnWidth(page), 0, 'nothing drawn before play');
  await page.click('#play');
  await page.waitForSelector('#result', { timeout: 20000 });
  assert.ok(await drawnWidth(page) > 500, 'the whole run is drawn at the end');

  const result = await page.textContent('#result');
  assert.match(result, /Total time 32\.400 s/);
  assert.match(result, /CPU busy \d+\.\d % of 4 cores/);
  assert.ok(await page.locator('.timeline g.row[data-row^="lane-"] rect.s-running').count() >= 4, 'running spans drawn');
  assert.ok(await page.locator('.timeline g.row[data-row^="lane-"] rect.s-idle').count() >= 1, 'the idle loop is drawn');
  // One thread: its GIL is its own running time, so it has no row of its own.
  assert.equal(await page.locator('.timeline g.row[data-row^="gil-"]').count(), 0, 'no GIL row for one thread');
  assert.equal(await page.locator('.timeline g.row[data-row^="core-"]').count(), 4, 'a row per core');
  assert.ok(await page.locator('.timeline g.row[data-row="core-0"] rect.held').count() >= 1, 'core 0 is used');
  const printed = (await page.textContent('#printed')).trim().split('\n');
  assert.equal(printed.length, 9);
  assert.match(printed[8], /32\.400 s\s+order 3: sauce ready/);
  assert.match(page.url(), /scenario=asyncio-blocking/, 'the address names the scenario for sharing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('lanes fill over time while playing', async () => {
  // At 0.1× the CPU part (0.6 s) takes 6 s to watch: 1.5 s in, the run is part-way.
  const { page, errors } = await open('?scenario=processes&speed=0.1');
  await page.click('#play');
  await page.waitForTimeout(1500);
  await page.click('#play'); // pause
  const { now, end, text } = await clock(page);
  assert.ok(now > 0 && now < end, `paused part-way: ${text}`);
  assert.equal(await page.locator('#result').count(), 0, 'no total before the end');
  // The scenario is a Python program: its code is shown, and the lines lanes are on light up.
  assert.match(await page.textContent('#code-listing'), /multiprocessing\.Process\(target=boil/);
  assert.equal(await page.locator('#code-empty').count(), 0);
  assert.ok(await page.locator('#code-listing .code-line.active-line').count() >= 1, 'lines light up');
  assert.ok(await page.locator('#code-listing .active-line .lane-tag').count() >= 1, 'tagged with lanes');
  const partial = await drawnWidth(page);
  assert.ok(partial > 0, 'part of the run is drawn');
  await page.click('#end');
  await page.waitForSelector('#result');
  assert.ok(await drawnWidth(page) > partial, 'more is drawn at the end');
  // Every process is a kitchen of its own, with its own stove (GIL), in the scene.
  assert.equal(await page.locator('#kitchens .kitchen').count(), 10, 'a kitchen per process');
  const coresUsed = await page.$$eval('.timeline g.row[data-row^="core-"]', (rows) => rows.filter((r) => r.querySelector('rect.held')).length);
  assert.equal(coresUsed, 4, 'processes keep all 4 cores busy');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every scenario loads and plays to its end', async () => {
  const { page, errors } = await open();
  const values = await page.$$eval('#scenario option', (os) => os.map((o) => o.value));
  // The picker lists the course in order (src/lessons/mod.rs COURSE), the comparison and the
  // guide last.
  assert.deepEqual(values, ['concurrency-vs-parallelism', 'await-vs-create-task', 'process-lifecycle',
    'asyncio-blocking', 'asyncio-to-thread', 'to-thread-io', 'restaurant-semaphore',
    'threads', 'race-lost-update', 'restaurant-pool', 'thousand-threads',
    'processes', 'cpu-to-processes', 'thousand-processes',
    'thousand-asyncio', 'compare', 'guide']);
  const ids = values.filter((v) => v !== 'compare' && v !== 'guide');
  for (const id of ids) {
    await page.selectOption('#scenario', id);
    await page.waitForSelector(`#scene[data-trace="${id}"]`, { timeout: 30000 });
    await page.click('#end');
    const result = await page.textContent('#result');
    assert.match(result, /Total time \d+\.\d{3} s/, id);
    assert.ok(await page.locator('.timeline g.row[data-row^="lane-"]').count() >= 1, id);
  }
  assert.match(await page.textContent('.timeline'), /more lanes/, 'big runs say how many lanes are not drawn');
  assert.deepEqual(errors, []);
  await page.close();
});

// The real work in Web Workers (the live kitchen) is tested in live.test.js.

test('bad URL parameters give messages, not a broken page', async () => {
  const { page, errors } = await open('?scenario=pizza&cores=99999&speed=fast');
  const notes = await page.$$eval('.note', (ns) => ns.map((n) => n.textContent));
  assert.ok(notes.some((n) => /unknown scenario 'pizza'/.test(n)), notes.join('|'));
  assert.ok(notes.some((n) => /cores=99999 is out of range/.test(n)), notes.join('|'));
  assert.ok(notes.some((n) => /speed=fast is not a number/.test(n)), notes.join('|'));
  await page.click('#end');
  assert.match(await page.textContent('#result'), /of 256 cores/);
  assert.equal(await page.inputValue('#speed'), '1', 'the speed used is the one shown');
  assert.deepEqual(errors, []);
  await page.close();
});

// --- The code panel: the program beside the timeline, edited and run ------------------------

test('an edited program with a syntax error shows the error at its line and keeps the run', async () => {
  const { page, errors } = await open('?scenario=threads');
  await page.click('#end');
  const clock = await page.textContent('#clock');

  await page.click('#edit-code');
  const editor = page.locator('#code-editor');
  assert.equal(await editor.getAttribute('spellcheck'), 'false');
  // Tab indents by four spaces instead of leaving the editor.
  await editor.fill('if True:\n');
  await editor.press('Tab');
  await page.keyboard.type('pass');
  assert.equal(await editor.inputValue(), 'if True:\n    pass');

  // A genuine syntax error: with the placeholder interpreter and with the real one alike, the
  // run fails on line 1.
  await editor.fill('def (:');
  await page.click('#run-code');
  await page.waitForSelector('#code-error', { timeout: 20000 });
  const message = await page.textContent('#code-error');
  assert.match(message, /^line 1, column \d+: \S/, message);
  assert.equal(await page.locator('.error-line').count(), 1);
  assert.equal(await page.getAttribute('.error-line', 'data-line'), '1');
  assert.equal(await page.textContent('.error-line .line-text'), 'def (:');
  assert.equal(await page.textContent('#clock'), clock, 'the previous run is kept');
  assert.ok(await page.locator('.timeline g.row[data-row^="lane-"]').count() >= 1);
  assert.match(page.url(), /[?&]code=def\+%28%3A/, 'the address carries the program');
  assert.match(await page.getAttribute('#code-link', 'href'), /code=def/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a program in the URL is shown and run; unusable code values give notes', async () => {
  let { page, errors } = await open('?code=' + encodeURIComponent('def (:'));
  await page.waitForSelector('#code-error', { timeout: 20000 });
  assert.equal(await page.textContent('#code-listing .line-text'), 'def (:');
  assert.deepEqual(errors, []);
  await page.close();

  const notes = async (query) => {
    ({ page, errors } = await open(query));
    const found = await page.$$eval('.note', (ns) => ns.map((n) => n.textContent));
    await page.waitForSelector('#scene');
    assert.equal(await page.locator('#code-error').count(), 0, query.slice(0, 40));
    await page.click('#end');
    assert.match(await page.textContent('#result'), /Total time/, 'the scenario is shown instead');
    assert.deepEqual(errors, []);
    await page.close();
    return found.join('|');
  };
  assert.match(await notes('?code='), /code= is empty/);
  assert.match(await notes('?code=' + 'x'.repeat(17000)), /more than the 16384 a link may carry/);
  ({ page, errors } = await open('?code=print(%FF%ZZ)'));
  const found = await page.$$eval('.note', (ns) => ns.map((n) => n.textContent));
  assert.ok(found.some((n) => /not valid UTF-8/.test(n)), found.join('|'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the timeline runs full width; the code sits beside the printed lines when wide, above them when narrow', async () => {
  for (const [width, beside] of [[1400, true], [600, false]]) {
    const { page, errors } = await open('', { width, height: 900 });
    const timeline = await page.locator('svg.timeline').boundingBox();
    assert.ok(timeline.width >= width - 60, `${width}px: the timeline is full width (${timeline.width})`);
    const panel = await page.locator('#code-panel').boundingBox();
    const printed = await page.locator('.printed').boundingBox();
    assert.ok(panel.y >= timeline.y + timeline.height, `${width}px: the code is below the timeline`);
    if (beside) {
      assert.ok(printed.x >= panel.x + panel.width, `${width}px: printed beside the code`);
    } else {
      assert.ok(printed.y >= panel.y + panel.height, `${width}px: printed below the code`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${width}px: no sideways scrolling (${overflow}px too wide)`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a program that ends in an uncaught exception shows what it printed, then the traceback, and the error at its line', async () => {
  const program = [
    'import time',
    '',
    'def cook(order):',
    '    time.sleep(0.5)',
    '    print(f"order {order} cooked")',
    '    raise ValueError(f"order {order} burnt")',
    '',
    'print("start")',
    'cook(1)',
    'print("never printed")',
  ].join('\n');
  const { page, errors } = await open();
  await page.click('#edit-code');
  await page.fill('#code-editor', program);
  await page.click('#run-code');
  await page.waitForSelector('#code-error', { timeout: 20000 });
  assert.match(await page.textContent('#code-error'), /ValueError: order 1 burnt/);
  assert.equal(await page.getAttribute('.error-line', 'data-line'), '6', 'where it was raised');
  await page.click('#end');
  const lines = (await page.textContent('#printed')).trim().split('\n').map((l) => l.trim());
  const at = (re) => lines.findIndex((l) => re.test(l));
  assert.ok(at(/start$/) >= 0 && at(/order 1 cooked$/) > at(/start$/), lines.join('|'));
  assert.ok(at(/Traceback \(most recent call last\):/) > at(/order 1 cooked$/), lines.join('|'));
  assert.ok(at(/ValueError: order 1 burnt$/) > at(/Traceback/), lines.join('|'));
  assert.equal(at(/never printed/), -1);
  assert.ok(await page.locator('#printed .print-line.stderr').count() >= 3, 'the traceback is on standard error');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a valid program runs: its lines light up and its output is printed', async () => {
  const program = [
    'import time',
    '',
    'def boil(order):',
    '    time.sleep(1)',
    '    print(f"order {order}: pasta ready")',
    '',
    'boil(1)',
    'print("done")',
  ].join('\n');
  const { page, errors } = await open();
  await page.click('#edit-code');
  await page.fill('#code-editor', program);
  await page.click('#run-code');
  await page.waitForSelector('#back-to-scenario', { timeout: 20000 });
  assert.equal(await page.$eval('#scenario', (s) => s.selectedOptions[0].textContent), 'Your program',
    'the menu no longer names the scenario');
  assert.equal(await page.locator('#code-error').count(), 0);
  assert.equal(await page.locator('#code-listing .code-line').count(), 8);
  // It plays at once; the line the main thread is on is highlighted and tagged with it.
  await page.waitForSelector('.active-line .lane-tag');
  await page.click('#end');
  await page.waitForSelector('#result');
  const printed = await page.textContent('#printed');
  assert.match(printed, /order 1: pasta ready/);
  assert.match(printed, /done/);
  assert.match(page.url(), /code=import\+time/);
  assert.deepEqual(errors, []);
  await page.close();
});
