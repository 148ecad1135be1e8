// Every page of the built fixture site (from its sitemap, plus the 404 page)
// fits a 320 px phone screen without scrolling sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { url, launch, openPage, visit, sidewaysOverflow, assertNoSidewaysScroll } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function sitemapUrls() {
  const response = await fetch(url('sitemap.xml'));
  assert.equal(response.status, 200, 'sitemap.xml is served');
  const xml = await response.text();
  const urls = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  assert.ok(urls.length >= 5, `the sitemap lists the site's pages (found ${urls.length})`);
  for (const u of urls) {
    assert.ok(u.startsWith(url('')), `${u} is on the served site (base URL ${url('')})`);
  }
  return urls;
}

test('no page scrolls sideways at 320 px', async () => {
  const urls = [...(await sitemapUrls()), url('404.html')];
  const page = await openPage(browser, 320);
  const failures = [];
  for (const target of urls) {
    await visit(page, target);
    const overflow = await sidewaysOverflow(page);
    if (overflow.scrollWidth > overflow.innerWidth) {
      try {
        assertNoSidewaysScroll(assert, overflow, target);
      } catch (err) {
        failures.push(err.message);
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${urls.length} pages scroll sideways:\n${failures.join('\n')}`);
  assert.deepEqual(page.offsite, [], 'no request leaves the site');
  await page.close();
});
