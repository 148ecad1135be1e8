// Every page of the three built sites (from their sitemaps, plus the 404
// page) fits a 320 px phone screen without scrolling sideways, and loads
// nothing from another host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { SITES, ALL_KINDS, launch, openPage, visit, siteUrls, byKind, sidewaysOverflow, assertNoSidewaysScroll } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const site of Object.values(SITES)) {
  test(`${site.name}: no page scrolls sideways at 320 px`, async () => {
    const urls = await siteUrls(site);
    if (site !== SITES.comparison) {
      // The generated site has no plain page (content/<name>.md).
      const expected = site === SITES.corpus ? ALL_KINDS.filter((k) => k !== 'page') : ALL_KINDS;
      const kinds = Object.keys(byKind(urls, site));
      assert.deepEqual(expected.filter((k) => !kinds.includes(k)), [], `${site.name} has a page of every kind`);
    }
    const page = await openPage(browser, 320, 640, { site });
    // The pages are static: no need to wait for anything after the HTML and CSS.
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
    console.log(`320 px: ${site.name}: ${urls.length} pages checked, ${failures.length} scroll sideways`);
    assert.deepEqual(failures, [], `${failures.length} of ${urls.length} pages scroll sideways:\n${failures.join('\n')}`);
    assert.deepEqual(page.offsite, [], 'no request leaves the site');
    await page.close();
  });
}
