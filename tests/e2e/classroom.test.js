// End-to-end: the classroom (issue 10) in headless Chromium — the course's next / previous and
// PageUp / PageDown, predict then run, the comparison and its sliders, the decision guide's
// links, presenter mode, embedding (800×500 without scrolling, the height message, the embed
// snippet with the clipboard refused), and axe-core on each new view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { start, clock } from './site.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let site;
before(async () => { site = await start(); });
after(async () => { await site?.close(); });

const param = (page, name) => new URL(page.url()).searchParams.get(name);

/** axe-core's serious and critical violations on the page as it is now. */
async function axeProblems(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** The comparison's table once every kitchen has cooked: {kitchen: total text}. */
async function tableTotals(page) {
  await page.waitForFunction(() => document.querySelector('#compare table')?.getAttribute('aria-busy') === 'false',
    null, { timeout: 60000 });
  return page.$$eval('#compare table.compare-table tbody tr', (rows) => Object.fromEntries(rows.map((r) =>
    [r.dataset.kitchen, r.querySelector('td.total').textContent])));
}

test('next / previous and PageUp / PageDown walk the course, lessons, comparison and guide', async () => {
  const { page, errors } = await site.open('?scenario=concurrency-vs-parallelism');
  assert.ok(await page.isDisabled('#prev-lesson'), 'nothing before the first lesson');
  const groups = await page.$$eval('#scenario optgroup', (gs) => gs.map((g) => g.label));
  assert.deepEqual(groups, ['Concepts', 'asyncio: one chef and an event loop', 'threading: many chefs, one stove',
    'multiprocessing: many kitchens', 'Choosing a kitchen']);
  assert.match(await page.textContent('#lesson .lesson-where'), /Concepts · 1 of 17/);

  await page.click('#next-lesson');
  await page.waitForSelector('#scene[data-trace="await-vs-create-task"]');
  assert.equal(param(page, 'scenario'), 'await-vs-create-task');
  assert.equal(await page.inputValue('#scenario'), 'await-vs-create-task');
  await page.keyboard.press('PageDown');
  await page.waitForSelector('#scene[data-trace="process-lifecycle"]');
  await page.keyboard.press('PageUp');
  await page.waitForSelector('#scene[data-trace="await-vs-create-task"]');
  await page.click('#prev-lesson');
  await page.waitForSelector('#scene[data-trace="concurrency-vs-parallelism"]');

  // The last lesson leads to the comparison, then the guide, the end of the course.
  await page.selectOption('#scenario', 'thousand-asyncio');
  await page.waitForSelector('#scene[data-trace="thousand-asyncio"]');
  await page.keyboard.press('PageDown');
  await page.waitForSelector('#compare table');
  assert.equal(param(page, 'view'), 'compare');
  await page.click('#next-lesson');
  await page.waitForSelector('#guide');
  assert.equal(param(page, 'view'), 'guide');
  assert.ok(await page.isDisabled('#next-lesson'), 'the guide ends the course');
  await page.keyboard.press('PageUp');
  await page.waitForSelector('#compare');
  await page.keyboard.press('PageUp');
  await page.waitForSelector('#scene[data-trace="thousand-asyncio"]');
  assert.equal(param(page, 'view'), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('predict, then run: the questions come first, the run plays, and the reveal explains', async () => {
  const { page, errors } = await site.open('?scenario=asyncio-blocking');
  await page.waitForSelector('#predict');
  assert.equal(await page.locator('#lesson-text').count(), 0, 'the lesson text would give the answers away');
  assert.equal(await page.locator('#predict .question').count(), 2);
  const prompt = await page.textContent('#question-1 legend');
  assert.match(prompt, /About how long does the kitchen take\?/);
  // Pick "about 32.4 s: one boil, then the 6 steps in a row" (B) and a wrong one for question 2.
  await page.locator('#question-1 label', { hasText: 'one boil, then the' }).click();
  await page.locator('#question-2 label', { hasText: 'with the others' }).click();
  await page.click('#predict-run');
  assert.equal(await page.textContent('#play'), 'Pause', 'locking in plays the run');
  assert.match(await page.textContent('#predict'), /Your answers are in \(1: B, 2: A\)/);
  await page.click('#end');
  await page.waitForSelector('#predict-score');
  assert.equal(await page.textContent('#predict-score'), '1 of 2 answered right.');
  assert.match(await page.textContent('#question-1 .verdict'), /✓ right: B: about 32\.4 s/);
  assert.match(await page.textContent('#question-1 .reveal'), /^32\.4 s: the boils overlap/);
  assert.match(await page.textContent('#question-2 .verdict'), /✗ the run says B: after order 1's two CPU steps/);
  // Now the lesson says what the run showed, and what the posts get wrong, with its numbers.
  assert.match(await page.textContent('#lesson-text'), /Total 32\.4 s/);
  assert.match(await page.textContent('#myth'), /Only an await lets other tasks run/);
  assert.match(await page.textContent('#myth'), /could not run until [\d.]+ s, [\d.]+ s late/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a reader who just wants to watch skips the questions, or just presses Play', async () => {
  let { page, errors } = await site.open('?scenario=threads');
  await page.click('#predict-skip');
  assert.match(await page.textContent('#lesson-text'), /GIL/);
  await page.click('#predict-reveal');
  assert.ok(await page.locator('#predict .verdict').count() >= 1, 'the answers can still be read');
  assert.deepEqual(errors, []);
  await page.close();

  ({ page, errors } = await site.open('?scenario=threads'));
  await page.click('#play');
  assert.equal(await page.textContent('#play'), 'Pause');
  await page.waitForSelector('#lesson-text');
  assert.deepEqual(errors, []);
  await page.close();

  // A shared moment is someone showing, not asking: no questions.
  ({ page, errors } = await site.open('?scenario=threads&t=1'));
  assert.equal(await page.locator('#predict').count(), 0);
  assert.ok(await page.locator('#lesson-text').count() === 1);
  await page.close();
});

test('the comparison: a row per kitchen, and a slider re-runs them and the table changes', async () => {
  const { page, errors } = await site.open('?view=compare', { waitFor: '#compare table' });
  const totals = await tableTotals(page);
  assert.deepEqual(Object.keys(totals), ['asyncio-blocking', 'asyncio-to-thread', 'threads', 'processes', 'threads-without-gil']);
  assert.equal(totals['asyncio-blocking'], '32.4 s');
  assert.equal(totals.threads, '32.4 s');
  assert.equal(totals.processes, '30.8 s');
  const row = await page.textContent('#compare table tr[data-kitchen="processes"]');
  assert.match(row, /1\.05×/);
  assert.match(row, /MiB/);
  assert.match(await page.textContent('#compare table tr[data-kitchen="threads-without-gil"]'), /a model/);
  assert.match(await page.textContent('#compare-status'), /processes .*fastest/);
  // The runs share one time axis: drawn to scale, the shorter run's bars end sooner.
  assert.equal(await page.locator('.compare-run').count(), 5);

  // One core: processes lose their lead; the table is cooked again.
  await page.focus('#cores');
  await page.keyboard.press('Home');
  assert.equal(await page.textContent('#cores-value'), '1 core');
  await page.waitForFunction(() => /1 core\./.test(document.querySelector('#compare-workload').textContent));
  await page.waitForFunction((old) => document.querySelector('#compare table tr[data-kitchen="processes"] td.total')?.textContent !== old,
    totals.processes, { timeout: 30000 });
  const oneCore = await tableTotals(page);
  assert.notEqual(oneCore.processes, totals.processes, 'the processes kitchen changed with the cores');
  assert.equal(param(page, 'cores'), '1');
  // Many orders of small CPU steps: waiting dominates, and a thousand forks cost.
  await page.focus('#orders');
  await page.keyboard.press('End');
  assert.equal(await page.textContent('#orders-value'), '1,000 orders');
  assert.equal(param(page, 'orders'), '1000');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the comparison charts total time against orders and cores, with the left-out points named', async () => {
  const { page, errors } = await site.open('?view=compare&orders=3&cpu=100000&boil=2&whatif=0', { waitFor: '#compare table' });
  const totals = await tableTotals(page);
  assert.equal(Object.keys(totals).length, 4, 'whatif=0: the four kitchens only');
  // Small steps: every point is cheap; wait for both charts to fill.
  await page.waitForFunction(() => document.querySelectorAll('#chart-orders .line polyline').length === 4
    && [...document.querySelectorAll('#chart-orders .line')].every((l) => l.querySelectorAll('circle, rect, path').length >= 10),
  null, { timeout: 120000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#chart-cores .line')].every((l) => l.querySelectorAll('circle, rect, path').length >= 7),
    null, { timeout: 120000 });
  // CPU steps of 4 ms: on one core a process per order only adds its start; on two or more
  // the processes compute side by side and take the lead. The chart says where, and its own
  // numbers bear it out.
  const crossings = await page.$$eval('#chart-cores .crossings li', (ls) => ls.map((l) => l.textContent));
  const found = crossings.map((c) => c.match(/^(\S+) overtakes (\S+) between ([\d,]+) and ([\d,]+) cores$/)).filter(Boolean);
  assert.ok(found.length >= 3 && found.every((m) => m[1] === 'processes'), crossings.join(' | '));
  assert.equal(await page.locator('#chart-left-out').count(), 0, 'nothing left out for small steps');
  const numbers = async (id) => {
    await page.click(`${id} summary`);
    return page.$$eval(`${id} table tr`, (rows) => rows.map((r) => [...r.children].map((c) => c.dataset.s ?? c.textContent)));
  };
  const table = await numbers('#chart-cores');
  const head = table[0];
  const at = (x, kitchen) => Number(table.find((r) => r[0] === x)[head.indexOf(kitchen)]);
  for (const [, faster, slower, a, b] of found) {
    assert.ok(at(a, faster) >= at(a, slower) && at(b, faster) < at(b, slower), `${faster} leads ${slower} at ${b}, not at ${a}`);
  }
  const orders = await numbers('#chart-orders');
  assert.equal(orders.at(-1)[0], '1,000', 'the orders chart runs to a thousand');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the decision guide: every leaf links to its lesson, and the link opens it', async () => {
  const { page, errors } = await site.open('?view=guide', { waitFor: '#guide' });
  const links = await page.$$eval('#guide a.lesson-link', (as) => as.map((a) => ({ href: a.getAttribute('href'), id: a.dataset.lesson, text: a.textContent })));
  assert.ok(links.length >= 10, `${links.length} links`);
  for (const l of links) assert.equal(l.href, `?scenario=${l.id}`);
  assert.equal(await page.locator('#guide .guide-question').count(), 6);
  const target = links.find((l) => l.id === 'to-thread-io');
  await page.click(`#guide a[data-lesson="to-thread-io"]`);
  await page.waitForSelector('#scene[data-trace="to-thread-io"]');
  assert.equal(await page.textContent('#lesson-title'), target.text);
  assert.deepEqual(errors, []);
  await page.close();
});

test('presenter mode: large narration, no editor, no buttons, the keyboard drives it', async () => {
  const { page, errors } = await site.open('?scenario=threads&present=1');
  const px = await page.$eval('#narration', (n) => parseFloat(getComputedStyle(n).fontSize));
  assert.ok(px >= 20, `narration at ${px}px`);
  assert.equal(await page.locator('#code-panel, #code-editor, #edit-code').count(), 0, 'no editor');
  assert.equal(await page.locator('#play, #scrub, header, #scenario').count(), 0, 'no chrome');
  assert.match(await page.textContent('#presenter-keys'), /Space play/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const stepped = await clock(page);
  assert.ok(stepped.now > 0, stepped.text);
  await page.keyboard.press('End');
  assert.ok(Math.abs((await clock(page)).now - stepped.end) < 0.001);
  // The class answered aloud; at the end the answers are revealed.
  await page.waitForSelector('#predict-score');
  await page.keyboard.press('PageDown');
  await page.waitForSelector('#scene[data-trace="race-lost-update"]');
  assert.equal(param(page, 'present'), '1', 'presenter mode stays on');
  assert.deepEqual(errors, []);
  await page.close();
});

/** A host page with the kitchen in an 800×500 iframe at `query`; the messages it got. */
async function host(query) {
  const page = await site.browser.newPage({ viewport: { width: 1000, height: 700 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setContent(`<body style="margin:0"><script>window.got = [];
    addEventListener('message', (e) => { if (e.source === document.getElementById('k').contentWindow) window.got.push(e.data); });</script>
    <iframe id="k" src="${site.base}${query}" width="800" height="500" style="border:0" title="kitchen"></iframe></body>`);
  const frame = await (await page.$('#k')).contentFrame();
  await frame.waitForSelector('#scene', { timeout: 30000 });
  return { page, frame, errors };
}

test('embedded at 800×500 it fits without scrolling: scene, transport, a small timeline', async () => {
  for (const [query, moment] of [['?scenario=threads&embed=1', 0.0825], ['?scenario=asyncio-to-thread&embed=1', 0.515],
    ['?scenario=processes&embed=1', 0.5], ['?scenario=thousand-asyncio&embed=1', 0.325]]) {
    const { page, frame, errors } = await host(query);
    await frame.evaluate((u) => { const s = document.querySelector('#scrub'); s.value = String(u); s.dispatchEvent(new Event('input', { bubbles: true })); }, moment);
    await page.waitForTimeout(200);
    const size = await frame.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
    assert.ok(size.h <= 500 && size.w <= 800, `${query} at ${moment}: ${size.w}×${size.h}`);
    assert.equal(await frame.locator('#scene, #play, #scrub, svg.timeline').count(), 4, query);
    assert.equal(await frame.locator('#code-panel, header, #predict, .legend, #zoom-in').count(), 0, query);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('an embedded page posts its content height to the parent', async () => {
  const { page, frame, errors } = await host('?scenario=process-lifecycle&embed=1');
  await page.waitForFunction(() => window.got.length > 0);
  const [message] = await page.evaluate(() => window.got.slice(-1));
  assert.equal(message.type, 'concurrency-kitchen:height');
  assert.ok(Number.isInteger(message.height));
  const body = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  assert.equal(message.height, body);
  assert.ok(message.height < 500, `process-lifecycle is short: ${message.height}`);
  assert.deepEqual(errors, []);
  await page.close();
  // Not in a frame, nothing is posted (the page would be its own parent).
  const alone = await site.browser.newPage();
  await alone.addInitScript(() => { window.got = []; addEventListener('message', (e) => window.got.push(e.data)); });
  await alone.goto(site.base + '?scenario=process-lifecycle&embed=1');
  await alone.waitForSelector('#scene');
  await alone.waitForTimeout(300);
  assert.deepEqual(await alone.evaluate(() => window.got), []);
  await alone.close();
});

test('copy-embed: the snippet of this view; where the clipboard is refused, a box to copy from', async () => {
  // A context that grants no clipboard permission: Chromium refuses the write.
  const refusing = await site.browser.newContext({ permissions: [] });
  const page = await refusing.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.base + '?scenario=threads&t=1.2&speed=0.05');
  await page.waitForSelector('#scene');
  await page.click('#copy-embed');
  await page.waitForSelector('#embed-fallback');
  const snippet = await page.inputValue('#embed-snippet');
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/blog\/kitchen\/\?scenario=threads&amp;t=1\.2&amp;speed=0\.05&amp;embed=1" width="800" height="500"/);
  assert.match(snippet, /title="Concurrency Kitchen: threading: 9 threads"/);
  assert.match(await page.textContent('#embed-fallback label'), /did not let the page use the clipboard/);
  assert.ok(await page.evaluate(() => document.activeElement?.id === 'embed-snippet'), 'selected, ready to copy');
  assert.deepEqual(errors, []);
  await refusing.close();

  // Granted, it is on the clipboard, and it opens the embedded view at that moment.
  const context = await site.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const granted = await context.newPage();
  await granted.goto(site.base + '?scenario=threads&t=1.2&speed=0.05');
  await granted.waitForSelector('#scene');
  await granted.click('#copy-embed');
  await granted.waitForFunction(() => /Copied/.test(document.querySelector('#copy-status').textContent));
  const copied = await granted.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, snippet.replace(/127\.0\.0\.1:\d+/, new URL(granted.url()).host));
  const src = copied.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  await granted.goto(src);
  await granted.waitForSelector('#scene');
  assert.equal((await clock(granted)).now, 1.2);
  assert.equal(await granted.locator('main.mode-embed').count(), 1);
  await context.close();
});

test('axe-core finds no serious or critical problem on the new views', async () => {
  for (const [query, ready] of [['?scenario=asyncio-blocking', '#predict'], ['?view=compare', '#compare table'],
    ['?view=guide', '#guide'], ['?scenario=threads&present=1', '#scene'], ['?scenario=threads&embed=1&t=1', '#scene']]) {
    // axe-core comes in as an inline script, which the page's own CSP forbids.
    const { page } = await site.open(query, { waitFor: ready, bypassCSP: true });
    if (ready === '#compare table') await tableTotals(page);
    const problems = await axeProblems(page);
    assert.deepEqual(problems, [], query);
    await page.close();
  }
  // After the reveal, too (the marks and the lesson's note).
  const { page } = await site.open('?scenario=asyncio-blocking', { bypassCSP: true });
  await page.click('#predict-run');
  await page.click('#end');
  await page.waitForSelector('#predict-score');
  assert.deepEqual(await axeProblems(page), [], 'revealed');
  await page.close();
});
