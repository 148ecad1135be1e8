// The clinic finder on /locations/ (issue 4): with the reader's location it
// sorts the clinics nearest first; without permission the list stays in name
// order and a polite message says so. Coordinates come from the page; no
// request leaves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SITES, url } from './browser.mjs';

const LIST = url('locations/', SITES.example);
/** Near the Orland Park clinic (41.63031, -87.85394). */
const NEAR_ORLAND_PARK = { latitude: 41.6201, longitude: -87.8601 };

async function clinicNames(page) {
  return page.$$eval('#clinic-list > li h2', (h) => h.map((e) => e.textContent.trim()));
}

async function open(browser, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const offsite = [];
  const origin = new URL(LIST).origin;
  await page.route('**/*', (route) => {
    if (new URL(route.request().url()).origin !== origin) {
      offsite.push(route.request().url());
      return route.abort();
    }
    return route.continue();
  });
  await page.goto(LIST);
  return { context, page, offsite };
}

test('the nearest clinic comes first after pressing the button', async () => {
  const browser = await launch();
  try {
    const { page, offsite } = await open(browser, {
      permissions: ['geolocation'],
      geolocation: NEAR_ORLAND_PARK,
    });
    const before = await clinicNames(page);
    assert.deepEqual(before, [...before].sort(), 'name order without script help');
    assert.ok(!before[0].includes('Orland Park'), 'Orland Park is not first by name');
    await page.getByRole('button', { name: 'Find the nearest clinic' }).click();
    await page.waitForFunction(() => document.getElementById('finder-status').textContent.includes('nearest first'));
    const after = await clinicNames(page);
    assert.ok(after[0].includes('Orland Park'), `nearest first: ${after.join(', ')}`);
    assert.deepEqual([...after].sort(), [...before].sort(), 'the same clinics');
    assert.match(await page.locator('#clinic-list > li').first().locator('.distance').textContent(), /miles away/);
    assert.deepEqual(offsite, [], 'no request leaves the page');
  } finally {
    await browser.close();
  }
});

test('denied permission leaves the order as it was, with a polite message', async () => {
  const browser = await launch();
  try {
    // No geolocation permission: the browser refuses the request.
    const { page } = await open(browser, { permissions: [] });
    const before = await clinicNames(page);
    await page.getByRole('button', { name: 'Find the nearest clinic' }).click();
    await page.waitForFunction(() => document.getElementById('finder-status').textContent.includes('could not'));
    assert.deepEqual(await clinicNames(page), before);
    assert.match(await page.locator('#finder-status').textContent(), /name order/);
  } finally {
    await browser.close();
  }
});
