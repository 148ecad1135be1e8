// axe-core with the WCAG 2.x A and AA rules (wcag2a, wcag2aa, wcag21a,
// wcag21aa) in headless Chromium: zero violations on every page of the
// example site (in the light and the dark colour scheme), every page of the
// comparison fixture, and a sample of every page kind of the 200-article site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { SITES, ALL_KINDS, launch, openPage, visit, url, siteUrls, sample, pageKind, axeViolations } from './browser.mjs';

/** How many pages of each kind of the 200-article site: about 40 in all. */
const CORPUS_SAMPLE = { article: 10, term: 9, location: 4, author: 4 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function check(site, urls, colorScheme) {
  const page = await openPage(browser, 1280, 900, { site, colorScheme });
  const failures = [];
  const kinds = new Set();
  for (const target of urls) {
    await visit(page, target);
    kinds.add(pageKind(target, site));
    const violations = await axeViolations(page);
    if (violations.length) failures.push(`${target} (${colorScheme}):\n    ${violations.join('\n    ')}`);
  }
  assert.deepEqual(page.offsite, [], 'no request leaves the site');
  await page.close();
  console.log(`axe: ${site.name} (${colorScheme}): ${urls.length} pages, ${kinds.size} kinds, ${failures.length} with violations`);
  assert.equal(failures.length, 0, `axe found WCAG A/AA violations on ${failures.length} of ${urls.length} pages:\n${failures.join('\n')}`);
  return kinds;
}

for (const colorScheme of ['light', 'dark']) {
  test(`example: every page passes axe (${colorScheme})`, async () => {
    const kinds = await check(SITES.example, await siteUrls(SITES.example), colorScheme);
    assert.deepEqual(ALL_KINDS.filter((k) => !kinds.has(k)), [], 'every page kind was checked');
  });
}

test('comparison fixture: every page passes axe', async () => {
  await check(SITES.comparison, await siteUrls(SITES.comparison), 'light');
});

for (const colorScheme of ['light', 'dark']) {
  test(`200-article site: a sample of every page kind passes axe (${colorScheme})`, async () => {
    const site = SITES.corpus;
    const all = await siteUrls(site);
    // The dark scheme only changes colours: a smaller sample of every kind.
    const urls = colorScheme === 'light' ? sample(all, site, CORPUS_SAMPLE) : sample(all, site, { article: 2, term: 2, location: 1, author: 1, page: 1 });
    const kinds = await check(site, urls, colorScheme);
    assert.deepEqual(ALL_KINDS.filter((k) => k !== 'page' && !kinds.has(k)), [], 'every page kind was checked');
  });
}

test('axe is live: it reports a violation planted in a page', async () => {
  const page = await openPage(browser, 1280, 900, { site: SITES.example });
  await visit(page, url('', SITES.example));
  await page.evaluate(() => {
    document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="nothing.png"><p style="color:#eee;background:#fff">faint</p>');
  });
  const violations = await axeViolations(page);
  await page.close();
  assert.ok(violations.some((v) => v.startsWith('image-alt')), `image-alt reported: ${violations.join('\n')}`);
  assert.ok(violations.some((v) => v.startsWith('color-contrast')), `color-contrast reported: ${violations.join('\n')}`);
});
