// The example site in English and Spanish: the language switcher on an
// article goes to its translation and back, a page with no translation
// goes to the Spanish home page and says so, and the Spanish pages pass
// axe (the Nu checker reads every file of the example site, Spanish too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { SITES, EXAMPLE_ARTICLE, launch, openPage, visit, url, axeViolations } from './browser.mjs';

const SPANISH_ARTICLE = 'es/articles/puncion-seca-o-masaje/';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const lang = (page) => page.evaluate(() => document.documentElement.lang);

test('example: the switcher on an article goes to its translation and back', async () => {
  const site = SITES.example;
  const page = await openPage(browser, 1280, 900, { site });
  await visit(page, url(EXAMPLE_ARTICLE, site));
  assert.equal(await lang(page), 'en-US');
  const toSpanish = page.locator('.language-switcher a[hreflang="es"]');
  assert.equal((await toSpanish.textContent()).trim(), 'Español');
  await Promise.all([page.waitForURL(url(SPANISH_ARTICLE, site)), toSpanish.click()]);
  assert.equal(await lang(page), 'es');
  assert.match(await page.locator('h1').textContent(), /Punción seca o masaje/);
  const toEnglish = page.locator('.language-switcher a[hreflang="en-US"]');
  assert.equal((await toEnglish.textContent()).trim(), 'English');
  await Promise.all([page.waitForURL(url(EXAMPLE_ARTICLE, site)), toEnglish.click()]);
  assert.equal(await lang(page), 'en-US');
  // The same with the keyboard on a phone: the switcher is in reach.
  const phone = await openPage(browser, 320, 640, { site });
  await visit(phone, url(SPANISH_ARTICLE, site));
  const link = phone.locator('.language-switcher a');
  assert.ok(await link.isVisible(), 'the switcher shows at 320 px');
  await link.focus();
  await Promise.all([phone.waitForURL(url(EXAMPLE_ARTICLE, site)), phone.keyboard.press('Enter')]);
  assert.deepEqual([...page.offsite, ...phone.offsite], [], 'no request leaves the site');
  await page.close();
  await phone.close();
});

test('example: with no translation the switcher goes to the Spanish home page and says so', async () => {
  const site = SITES.example;
  const page = await openPage(browser, 1280, 900, { site });
  await visit(page, url('articles/foam-rolling-basics/', site));
  const item = page.locator('.language-switcher li');
  assert.match(await item.textContent(), /not translated yet/);
  await Promise.all([page.waitForURL(url('es/', site)), item.locator('a').click()]);
  assert.equal(await lang(page), 'es');
  await page.close();
});

test('example: Spanish pages pass axe', async () => {
  const site = SITES.example;
  const page = await openPage(browser, 1280, 900, { site });
  const failures = [];
  for (const path of ['es/', SPANISH_ARTICLE, 'es/locations/', 'es/locations/hinsdale/', 'es/authors/tim-rylander/', 'es/quienes-somos/', 'es/404.html', 'es/search/']) {
    await visit(page, url(path, site));
    const violations = await axeViolations(page);
    if (violations.length) failures.push(`${path}:\n    ${violations.join('\n    ')}`);
  }
  await page.close();
  assert.deepEqual(failures, []);
});
