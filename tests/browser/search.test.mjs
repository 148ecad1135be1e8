// Site search (issue 13) on the fixture tests/sites/search, built for a
// sub-folder (`base_url` ending in /clinic/) so every link and index file
// is found from there: typed queries and /search/?q= links with the
// expected first result (a synonym, a typo, a prefix, a ZIP code, a city,
// a filter), the page without JavaScript, axe and 320 px on the results,
// queries that must not break anything, and the script's pure parts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { SITES, launch, openPage, visit, axeViolations, sidewaysOverflow, assertNoSidewaysScroll } from './browser.mjs';

const SITE = SITES.search;
const page_ = (path) => new URL(path, SITE.base).href;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits until the status line says how many were found (or none). */
async function settled(page) {
  await page.waitForFunction(() => /result|No results|Type a word|could not/.test(document.getElementById('search-status').textContent));
}

/** The titles of the results, in order. */
async function titles(page) {
  return page.$$eval('#search-results ol > li h2 a', (links) => links.map((a) => a.textContent.trim()));
}

async function open(path, width = 1280) {
  const page = await openPage(browser, width, 900, { site: SITE });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  if (path) await visit(page, page_(path));
  return page;
}

const LINKED = [
  ['a synonym: heel pain', 'search/?q=heel+pain', 'Plantar Fasciitis Treatment'],
  ['also_known_as', 'search/?q=policeman%27s+heel', 'Plantar Fasciitis Treatment'],
  ['a typo: sciatia', 'search/?q=sciatia', 'Sciatica: Pain That Runs Down the Leg'],
  ['a typo in the third letter: scaitica', 'search/?q=scaitica', 'Sciatica: Pain That Runs Down the Leg'],
  ['a typo in the second letter: sxiatica', 'search/?q=sxiatica', 'Sciatica: Pain That Runs Down the Leg'],
  ['a ZIP code', 'search/?q=60462', 'Lakeside PT - Orland Park'],
  ['a city', 'search/?q=Evanston', 'Lakeside PT - Evanston'],
  ['a folded accent: cafe', 'search/?q=cafe', 'Desk Stretches for the Café or Office'],
  ['a stem: stretching finds stretches', 'search/?q=stretching+desk', 'Desk Stretches for the Café or Office'],
  ['a filter: condition', 'search/?q=exercise&condition=sciatica', 'Sciatica: Pain That Runs Down the Leg'],
];

for (const [what, path, first] of LINKED) {
  test(`/search/?q= link: ${what}`, async () => {
    const page = await open(path);
    await settled(page);
    const found = await titles(page);
    assert.equal(found[0], first, `${path}: ${found.join(' | ')}`);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.offsite, [], 'no request leaves the site');
    await page.close();
  });
}

test('a filter narrows the results to its kind', async () => {
  const page = await open('search/?q=physical+therapy&kind=location');
  await settled(page);
  const kinds = await page.$$eval('#search-results .search-kind', (p) => p.map((e) => e.textContent));
  assert.ok(kinds.length >= 2, `clinics found: ${kinds}`);
  assert.deepEqual([...new Set(kinds)], ['Clinic']);
  assert.equal(await page.locator('#search-kind').inputValue(), 'location', 'the filter shows as chosen');
  await page.close();
});

test('typing: the last word is matched as a prefix, results update as you type', async () => {
  const page = await open('search/');
  const box = page.locator('#search-q');
  await box.click();
  await box.pressSequentially('planta', { delay: 30 });
  // On a busy machine keystrokes can come further apart than the 150 ms
  // the box waits, so earlier words (`pla`) may show first: wait for the
  // whole word's results.
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('“planta”'));
  await page.waitForFunction(() => document.querySelector('#search-results ol li h2 a'));
  assert.equal((await titles(page))[0], 'Plantar Fasciitis Treatment');
  assert.match(page.url(), /\?q=planta$/, 'the address can be bookmarked');
  // A typo typed in, then Enter.
  await box.fill('');
  await box.pressSequentially('sciatia');
  await box.press('Enter');
  await page.waitForFunction(() => document.querySelector('#search-results ol li h2 a')?.textContent.startsWith('Sciatica'));
  assert.match(await page.locator('#search-status').textContent(), /^1 result for “sciatia”/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the header box on any page lands on /search/ with the words', async () => {
  const page = await open('articles/');
  await page.locator('#site-search-q').fill('heel pain');
  await page.locator('#site-search-q').press('Enter');
  await page.waitForURL(/\/clinic\/search\/\?q=heel\+pain$/);
  await settled(page);
  assert.equal((await titles(page))[0], 'Plantar Fasciitis Treatment');
  await page.close();
});

test('results: links with title, description and a snippet with <mark>; a live status', async () => {
  const page = await open('search/?q=heel+pain');
  await settled(page);
  const first = page.locator('#search-results ol > li').first();
  assert.equal(await first.locator('a').getAttribute('href'), '/clinic/articles/plantar-fasciitis/');
  assert.match(await first.locator('.search-description').textContent(), /bottom of your foot/);
  const marks = await page.$$eval('#search-results mark', (m) => m.map((e) => e.textContent.toLowerCase()));
  assert.ok(marks.includes('heel') || marks.includes('plantar'), `marked words: ${marks}`);
  const status = page.locator('#search-status');
  assert.equal(await status.getAttribute('role'), 'status');
  assert.match(await status.textContent(), /^\d+ results? for “heel pain”\.$/);
  await first.locator('a').click();
  await page.waitForURL(/plantar-fasciitis\/$/);
  await page.close();
});

test('without JavaScript the page says so and links to the lists', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(page_('articles/'));
  await page.locator('#site-search-q').fill('knee');
  await page.locator('#site-search-q').press('Enter');
  await page.waitForURL(/\/clinic\/search\/\?q=knee$/);
  const message = page.locator('#search-nojs');
  assert.ok(await message.isVisible(), 'the message shows');
  assert.match(await message.textContent(), /needs JavaScript/);
  const links = await message.locator('a').evaluateAll((a) => a.map((e) => e.getAttribute('href')));
  assert.deepEqual(links, ['/clinic/articles/', '/clinic/locations/']);
  await context.close();
});

test('axe: the results page has no WCAG A/AA violations (with results, and none found)', async () => {
  for (const path of ['search/?q=heel+pain', 'search/?q=zzzzqqq', 'search/']) {
    const page = await open(path);
    if (path !== 'search/') await settled(page);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${path}:\n${violations.join('\n')}`);
    await page.close();
  }
});

test('320 px: the results page does not scroll sideways', async () => {
  const page = await open('search/?q=heel+pain', 320);
  await settled(page);
  assertNoSidewaysScroll(assert, await sidewaysOverflow(page), 'search at 320 px');
  await page.close();
});

test('no query breaks the page, and none is written into it as HTML', async () => {
  const queries = ['', '   ', '!!!???', '🙂🙂', '<script>window.pwned=1</script>', '<img src=x onerror="window.pwned=1">', 'a'.repeat(10000), 'knee '.repeat(2000), '"\'\\', '%00'];
  const page = await open('search/');
  for (const q of queries) {
    await visit(page, page_(`search/?q=${encodeURIComponent(q)}`));
    await page.waitForFunction(() => document.getElementById('search-status').textContent !== '' || document.getElementById('search-q').value.trim() === '');
    assert.equal(await page.evaluate(() => window.pwned), undefined, `${q.slice(0, 30)}: no script ran`);
    assert.equal(await page.locator('#search-results script, #search-results img, #search-status *').count(), 0);
  }
  assert.deepEqual(page.errors, [], 'no uncaught error');
  await page.close();
});

test('the script\'s pure parts: words, folding, distance, FNV', async () => {
  const page = await open('search/');
  const out = await page.evaluate(() => {
    const LISTS = [['a', 'w/0.json'], ['elbow', 'w/1.json'], ['facet', 'w/2.json'], ['knee', 'w/3.json'],
      ['s', 'w/4.json'], ['sciatica', 'w/5.json'], ['shin', 'w/6.json'], ['stretch', 'w/7.json'], ['t', 'w/8.json']];
    const s = window.handoutSearch;
    return {
      words: s.words('Heel-pain? Don’t worry: 60462, Café Ñandú.'),
      fold: s.fold('ñandú'),
      fnv: [s.fnv(''), s.fnv('a'), s.fnv('foobar')],
      distance: [s.distance('sciatia', 'sciatica', 1), s.distance('kneee', 'knee', 1), s.distance('ab', 'ba', 1), s.distance('knee', 'elbow', 2)],
      edits: [s.allowedEdits('knee'), s.allowedEdits('knees'), s.allowedEdits('fasciitis'), s.allowedEdits('60462')],
      // Word lists as a large site's manifest names them: several a letter.
      // (As indexes into LISTS.)
      starting: ['s', 'sc', 'sh', 'kn', 'z'].map((w) => s.between(LISTS, w, w + '\uffff').map((l) => LISTS.indexOf(l))),
      typo: ['sciatia', 'sxiatica', 'fascitis', 'kneee'].map((w) => s.between(LISTS, ...s.sharing(w, 2)).map((l) => LISTS.indexOf(l))),
      letter: ['sciatia', 'fascitis', 'kneee', 'zz'].map((w) => s.between(LISTS, ...s.sharing(w, 1)).map((l) => LISTS.indexOf(l))),
      // A second first word of one hash (never on a real site) comes as
      // `[word, 1]`: `-1` after the hash.
      files: ['a', 'pain', ['a', 1]].map(s.fileOf('w/')).concat([s.fileOf('g/')(['pain', 2])]),
    };
  });
  // The same as src/search/text.rs and files.rs say.
  assert.deepEqual(out.words, ['heel', 'pain', 'dont', 'worry', '60462', 'café', 'ñandú']);
  assert.equal(out.fold, 'nandu');
  assert.deepEqual(out.fnv, [0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
  assert.deepEqual(out.distance, [1, 1, 1, 3]);
  assert.deepEqual(out.edits, [0, 1, 2, 0]);
  // The lists that may hold words with a start: where it would go, to
  // where its last word would.
  assert.deepEqual(out.starting, [[4, 5, 6, 7], [4, 5], [5, 6], [2, 3], [8]]);
  // A typo's first lists: those of its first two letters, never one of
  // another letter (the `f` words start a list at `facet`, after `fa`).
  assert.deepEqual(out.typo, [[4, 5], [7], [2], [3]]);
  // Then every list of its first letter (none for a letter no word has).
  assert.deepEqual(out.letter, [[4, 5, 6, 7], [2], [3], []]);
  // The files as src/search/files.rs names them (file_name).
  assert.deepEqual(out.files, [['a', 'w/e40c292c.json'], ['pain', 'w/88446d95.json'], ['a', 'w/e40c292c-1.json'], ['pain', 'g/88446d95-2.json']]);
  await page.close();
});

// The corpus site: a third of its nouns made up, so it has thousands of
// words in a hundred word lists and more, and its manifest names groups
// of lists (each group's file names its lists), not the lists.
const CORPUS = SITES.corpus;
const inCorpus = (path) => new URL(path, CORPUS.base).href;

async function corpusJson(path) {
  const response = await fetch(inCorpus(path));
  assert.equal(response.status, 200, path);
  return response.json();
}

/** FNV-1a (32 bits) of UTF-8 bytes, in 8 hex digits: written again here so
 * the test checks the script's names against docs/search.md, not itself. */
function fnvHex(text) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** The file (in `folder`) of the last of `firsts` whose first word is not after `word`. */
function holder(folder, firsts, word) {
  let found = firsts[0];
  for (const f of firsts) if ((typeof f === 'string' ? f : f[0]) <= word) found = f;
  const [first, k] = typeof found === 'string' ? [found, 0] : found;
  return `${folder}${fnvHex(first)}${k ? `-${k}` : ''}.json`;
}

/** `word`'s entry in the corpus's index (`[word, term, df, big]`), if any. */
async function entryOf(manifest, word) {
  const lists = await corpusJson(`search/en/${holder('g/', manifest.groups, word)}`);
  const entries = await corpusJson(`search/en/${holder('w/', lists, word)}`);
  return entries.find((e) => e[0] === word);
}

/** A made-up word of 8 letters or more that one article alone has (and is
 * its own term), with that article's title. */
async function rareWord(manifest) {
  const sitemap = await (await fetch(inCorpus('sitemap.xml'))).text();
  const articles = [...sitemap.matchAll(/<loc>([^<]*\/articles\/[^<]+\/)<\/loc>/g)].map((m) => m[1]);
  for (const href of articles.slice(0, 20)) {
    const html = await (await fetch(href)).text();
    const title = html.match(/<h1[^>]*>([^<]*)<\/h1>/)?.[1]?.trim();
    const prose = [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => m[1]).join(' ');
    for (const word of new Set(prose.match(/\b[a-z]{8,}\b/g) || [])) {
      const entry = await entryOf(manifest, word);
      if (title && entry && entry[1] === 0 && entry[2] === 1) return { word, title };
    }
  }
  throw new Error('no word of 8 letters or more is on one article alone');
}

test('a site of thousands of words: a rare word, its typo and its start find its article', async () => {
  const manifest = await corpusJson('search/en/index.json');
  assert.ok(Array.isArray(manifest.groups) && manifest.groups.length >= 4, 'the manifest names groups of lists');
  assert.equal(manifest.words, undefined, 'and not the lists');
  const { word, title } = await rareWord(manifest);
  // One letter changed in the middle: a word no page has.
  const at = 4;
  const typo = word.slice(0, at) + (word[at] === 'q' ? 'x' : 'q') + word.slice(at + 1);
  assert.equal(await entryOf(manifest, typo), undefined, `${typo} is on no page`);
  const page = await openPage(browser, 1280, 900, { site: CORPUS });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const q of [word, typo]) {
    await visit(page, inCorpus(`search/?q=${q}`));
    await settled(page);
    const found = await titles(page);
    assert.equal(found[0], title, `${q}: ${found.join(' | ')}`);
  }
  // Its first six letters, typed: the article is among the results.
  await visit(page, inCorpus('search/'));
  const box = page.locator('#search-q');
  await box.click();
  await box.pressSequentially(word.slice(0, 6), { delay: 30 });
  await page.waitForFunction((start) => document.getElementById('search-status').textContent.includes(`“${start}”`), word.slice(0, 6));
  await settled(page);
  const found = await titles(page);
  assert.ok(found.includes(title), `${word.slice(0, 6)}: ${found.join(' | ')}`);
  assert.deepEqual(errors, []);
  assert.deepEqual(page.offsite, [], 'no request leaves the site');
  await page.close();
});
