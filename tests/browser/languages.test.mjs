// The example site in English and Spanish: the language switcher on an
// article goes to its translation and back, a page with no translation
// goes to the Spanish home page and says so, and the Spanish pages pass
// axe (the Nu checker reads every file of the example site, Spanish too),
// and the Spanish search page speaks Spanish.
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

test('example: the Spanish search page announces its results in Spanish', async () => {
  const site = SITES.example;
  const page = await openPage(browser, 1280, 900, { site });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await visit(page, url('es/search/?q=masaje', site));
  const status = page.locator('#search-status');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() !== '');
  assert.match(await status.textContent(), /^\d+ resultados? para «masaje»\.$/);
  const first = page.locator('#search-results ol > li').first();
  assert.match(await first.locator('h2 a').getAttribute('href'), /^\/es\//, 'a Spanish page first');
  assert.equal(await first.locator('.search-kind').textContent(), 'Artículo');
  // A patient's word from content/search-synonyms.es.yaml, on no page:
  // `contracturas` finds the page about `nudos musculares`.
  await page.fill('#search-q', 'contracturas');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => /contracturas/.test(document.getElementById('search-status').textContent));
  assert.match(await status.textContent(), /^\d+ resultados? para «contracturas»\.$/);
  assert.equal(await first.locator('h2 a').getAttribute('href'), '/es/articles/puncion-seca-o-masaje/');
  // None found: said in Spanish, with links to the Spanish lists.
  await page.fill('#search-q', 'zzzqqq');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => /^No hay resultados/.test(document.getElementById('search-status').textContent));
  assert.equal(await status.textContent(), 'No hay resultados para «zzzqqq». Pruebe con menos palabras, escríbalas de otra forma o vea los artículos y las clínicas.');
  const fallback = await page.$$eval('#search-results .search-fallback a', (links) => links.map((a) => [a.textContent, a.getAttribute('href')]));
  assert.deepEqual(fallback, [['Ver todos los artículos', '/es/articles/'], ['Buscar una clínica', '/es/locations/']]);
  assert.deepEqual(errors, []);
  await page.close();
});
