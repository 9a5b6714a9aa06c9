// End-to-end: the kitchen scene, stepping, the scrubber, `t=` links, the keyboard, the
// narration, accessibility (axe-core) and a thousand lanes, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { start, clock } from './site.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let site;
before(async () => { site = await start(); });
after(async () => { await site?.close(); });

const urlT = (page) => new URL(page.url()).searchParams.get('t');

test('stepping lands on successive moments and back, and the narration changes with each', async () => {
  const { page, errors } = await site.open('?scenario=threads');
  const seen = [];
  for (let i = 0; i < 12; i++) {
    await page.click('#step-next');
    const c = await clock(page);
    seen.push({ t: Number(urlT(page)), clock: c.now, said: await page.textContent('#narration') });
  }
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i].t > seen[i - 1].t, `moment ${i} is after moment ${i - 1}: ${seen[i - 1].t} then ${seen[i].t}`);
  }
  const sentences = new Set(seen.map((s) => s.said));
  assert.ok(sentences.size >= 8, `the narration says new things as it steps (${sentences.size} different of 12)`);
  assert.match(seen[0].said, /starts|program/, seen[0].said);
  // Back: each step lands on the moment before, exactly.
  for (let i = seen.length - 2; i >= seen.length - 6; i--) {
    await page.click('#step-prev');
    assert.equal(Number(urlT(page)), seen[i].t, `back to moment ${i}`);
    assert.equal(await page.textContent('#narration'), seen[i].said);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('t= opens the page at that moment: asyncio-blocking at 30.4 s shows the frozen loop', async () => {
  const { page, errors } = await site.open('?scenario=asyncio-blocking&t=30.4');
  const c = await clock(page);
  assert.equal(c.now, 30.4);
  assert.equal(await page.getAttribute('#scene', 'data-kind'), 'asyncio');
  const doing = await page.textContent('#loop-doing');
  assert.match(doing, /Task-2 cook\(\): chop_veggies\(\) at line 17/, doing);
  const frozen = await page.textContent('#frozen');
  assert.match(frozen, /Frozen for 400 ms/, frozen);
  assert.match(frozen, /plain call chop_veggies\(\), line 17/, frozen);
  // The three 30 s timers ended in the same millisecond: the loop's one wake-up made the
  // other two tasks ready (CPython's _run_once), and they wait on the rail while it is frozen.
  const rail = await page.textContent('#rail');
  assert.match(rail, /Ticket rail \(ready queue\): 2/, rail);
  assert.match(rail, /1\..*Task-3 cook\(\).*2\..*Task-4 cook\(\)/, rail);
  assert.match(await page.textContent('#narration'), /frozen/);
  assert.match(await page.textContent('#code-listing .active-line'), /sum\(i \* i/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the scrubber moves the scene and the address follows the cursor while paused', async () => {
  const { page, errors } = await site.open('?scenario=threads');
  const before = await page.textContent('#scene');
  // Half-way along the (folded) axis: in the middle of the CPU part.
  await page.$eval('#scrub', (s) => { s.value = '0.4'; s.dispatchEvent(new Event('input', { bubbles: true })); });
  const c = await clock(page);
  assert.ok(c.now > 0.2 && c.now < 2.4, `the CPU part: ${c.text}`);
  assert.notEqual(await page.textContent('#scene'), before, 'the scene changed');
  const holder = await page.textContent('#gil-holder');
  assert.match(holder, /order \d · (chop|sauce)/, holder);
  assert.ok(await page.locator('#gil-queue li').count() >= 4, 'the others queue for the GIL');
  assert.match(await page.textContent('#machine h3'), /1 of 4 cores busy/);
  assert.ok(Math.abs(Number(urlT(page)) - c.now) < 1e-3, `t= in the address: ${page.url()}`);
  // The link opens the same moment.
  const { page: again } = await site.open(new URL(page.url()).search);
  assert.equal((await clock(again)).text, c.text);
  assert.equal(await again.textContent('#gil-holder'), holder);
  await again.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the keyboard plays, pauses, steps, jumps and changes the speed', async () => {
  const { page, errors } = await site.open('?scenario=threads');
  await page.focus('body');
  // A key's step shows once the page has drawn it: wait for the clock to change (a loaded
  // machine can draw after the next read), then check where it went.
  const press = async (key) => {
    const before = await page.textContent('#clock');
    await page.keyboard.press(key);
    await page.waitForFunction((b) => document.querySelector('#clock').textContent !== b, before, { timeout: 5000 });
    return clock(page);
  };
  const first = await press('ArrowRight');
  assert.ok(first.now > 0, 'ArrowRight steps');
  assert.ok((await press('ArrowRight')).now > first.now);
  assert.equal((await press('ArrowLeft')).now, first.now, 'ArrowLeft steps back');
  await page.keyboard.press('End');
  await page.waitForSelector('#result');
  await page.keyboard.press('Home');
  assert.equal((await clock(page)).now, 0);
  const speed = await page.inputValue('#speed');
  await page.keyboard.press('-');
  assert.ok(Number(await page.inputValue('#speed')) < Number(speed), '− slows down');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  assert.ok(Number(await page.inputValue('#speed')) > Number(speed), '+ speeds up');
  await page.keyboard.press(' ');
  assert.equal(await page.textContent('#play'), 'Pause', 'Space plays');
  await page.waitForTimeout(400);
  await page.keyboard.press(' ');
  assert.equal(await page.textContent('#play'), 'Play', 'Space pauses');
  assert.ok((await clock(page)).now > 0, 'it moved while playing');
  // Keys typed into the editor stay the editor's.
  await page.click('#edit-code');
  await page.focus('#code-editor');
  const t = (await clock(page)).now;
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press(' ');
  assert.equal((await clock(page)).now, t);
  // Every control is reachable with Tab and shows where the focus is.
  await page.focus('#play');
  const outline = await page.$eval('#play', (b) => getComputedStyle(b).outlineStyle);
  assert.notEqual(outline, 'none', 'a visible focus');
  assert.deepEqual(errors, []);
  await page.close();
});

test('speed= is honest, and 1× is real time', async () => {
  const { page, errors } = await site.open('?scenario=asyncio-blocking&speed=3&fold=0');
  assert.equal(await page.inputValue('#speed'), '3');
  assert.match(await page.$eval('#speed', (s) => s.selectedOptions[0].textContent), /^3× \(3 times faster\)/);
  assert.match(await page.textContent('#watch-time'), /whole run in 10\.8 s/, 'unfolded: 32.4 s / 3');
  await page.selectOption('#speed', '1');
  assert.match(await page.textContent('#watch-time'), /whole run in 32\.4 s/);
  await page.click('#play');
  await page.waitForTimeout(1000);
  await page.click('#play');
  const { now } = await clock(page);
  assert.ok(now > 0.6 && now < 1.6, `about a second of the run in a second: ${now}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('zoom, pan and fold change the timeline; hovering a stretch says who, what and why', async () => {
  const { page, errors } = await site.open('?scenario=threads&t=1');
  assert.equal(await page.getAttribute('#fold', 'aria-pressed'), 'true', 'folded by default');
  assert.ok(await page.locator('.fold-mark').count() >= 1, 'a break mark');
  await page.click('#zoom-in');
  assert.equal(await page.isDisabled('#zoom-out'), false);
  await page.click('#zoom-in');
  await page.click('#zoom-out');
  await page.click('#zoom-reset');
  assert.equal(await page.isDisabled('#zoom-out'), true);
  await page.click('#fold');
  assert.equal(await page.getAttribute('#fold', 'aria-pressed'), 'false');
  assert.equal(await page.locator('.fold-mark').count(), 0);
  assert.match(page.url(), /fold=0/);
  await page.click('#fold');
  // Hover the row of order 1 · chop near the cursor: its stretch is described.
  await page.locator('svg.timeline').scrollIntoViewIfNeeded();
  const row = await page.locator('.timeline g.label').nth(2).boundingBox();
  const cursor = await page.locator('.timeline line.cursor').boundingBox();
  await page.mouse.move(cursor.x - 2, row.y + row.height / 2);
  const tip = await page.textContent('#timeline-tip');
  assert.match(tip, /order 1 · chop · (running Python|waiting for the GIL)/, tip);
  assert.match(tip, /line 24/, tip);
  // From the keyboard: focus the timeline, ↓ to a row (the pointer away, so it describes none).
  await page.mouse.move(0, 0);
  await page.focus('svg.timeline');
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent('#timeline-tip'), /^main ·/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('clicking a printed line jumps to its moment', async () => {
  const { page, errors } = await site.open('?scenario=threads');
  await page.click('#end');
  await page.locator('#printed .print-line').first().click();
  const { now } = await clock(page);
  assert.ok(Math.abs(now - 2.216) < 0.001, `order 1's chop ends at 2.216 s: ${now}`);
  assert.match(await page.textContent('#narration'), /prints “order 1: veggies chopped”/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the whole run can be read as text, and each line jumps to its moment', async () => {
  const { page, errors } = await site.open('?scenario=asyncio-to-thread');
  await page.click('#narration-log-toggle');
  const lines = await page.$$eval('#narration-log li', (ls) => ls.map((l) => l.textContent));
  assert.ok(lines.length > 20 && lines.length < 200, `${lines.length} lines`);
  assert.ok(lines.some((l) => /has held the GIL for 5 ms and must let/.test(l)));
  assert.ok(lines.some((l) => /the same \d+ more times/.test(l)), 'repetitions are summed up');
  await page.locator('#narration-log .log-time').nth(5).click();
  assert.ok((await clock(page)).now > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a thousand threads play as counts, not thousands of chefs', async () => {
  // At 0.1× the starts (0.1 s) take a second to watch, then the boil is skipped through.
  const { page, errors } = await site.open('?scenario=thousand-threads&speed=0.1');
  await page.click('#play');
  await page.waitForTimeout(1500);
  await page.click('#play');
  const { now, end } = await clock(page);
  assert.ok(now > 0 && now < end, `paused part-way: ${now}`);
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.ok(nodes < 3000, `${nodes} DOM nodes`);
  assert.ok(await page.locator('#chefs .chef').count() <= 6, 'a few chefs drawn');
  assert.match(await page.textContent('#more-chefs'), /^\d+ more chefs: \d+ asleep/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('1,000 processes: the kitchens are counted, memory and start costs are shown', async () => {
  const { page, errors } = await site.open('?scenario=thousand-processes&t=2');
  assert.equal(await page.getAttribute('#scene', 'data-kind'), 'processes');
  assert.match(await page.textContent('#more-kitchens'), /more kitchens: \d+ cooking.*\d+ not started/);
  assert.match(await page.textContent('#memory'), /Memory: [\d.]+ (MB|GB) now/);
  assert.match(await page.textContent('#costs'), /\d+ processes started; [\d.]+ s spent in start\(\) so far, and [\d.]+ s of CPU booting/);
  await page.click('#end');
  assert.match(await page.textContent('#memory'), /whole run 1\.65 GB/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('reduced motion: autoplay waits for the reader', async () => {
  const { page, errors } = await site.open('?scenario=threads&autoplay=1', { reducedMotion: 'reduce' });
  assert.equal(await page.textContent('#play'), 'Play');
  const notes = await page.$$eval('.note', (ns) => ns.map((n) => n.textContent).join('|'));
  assert.match(notes, /reduced motion/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('axe-core finds no serious or critical accessibility problem', async () => {
  for (const [query, viewport] of [
    ['?scenario=asyncio-blocking&t=30.4', { width: 1280, height: 720 }],
    ['?scenario=threads&t=1', { width: 800, height: 500 }],
    ['?scenario=thousand-processes&t=2', { width: 1280, height: 720 }],
  ]) {
    // axe-core comes in as an inline script, which the page's own CSP forbids.
    const { page, errors } = await site.open(query, { viewport, bypassCSP: true });
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes[0]?.target})`), [], query);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
