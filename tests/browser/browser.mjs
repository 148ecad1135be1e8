// Shared by the browser tests: where the built fixture site is served and how
// to start Debian's Chromium. `cargo test --test browser` (tests/browser.rs)
// builds tests/sites/comparison, serves it and sets HANDOUT_BASE_URL.
import { chromium } from 'playwright-core';

export const baseUrl = process.env.HANDOUT_BASE_URL;
if (!baseUrl) {
  throw new Error('HANDOUT_BASE_URL is not set: run these tests with `cargo test --test browser`');
}

/** The fixture article with the 3-column comparison table. */
export const ARTICLE = 'articles/three-ways-to-ease-a-knot/';

/** An absolute URL on the served site. */
export function url(path) {
  return new URL(path, baseUrl).href;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.HANDOUT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A page of the given viewport width; any request off the served site fails the test. */
export async function openPage(browser, width, height = 900) {
  const page = await browser.newPage({ viewport: { width, height } });
  const origin = new URL(baseUrl).origin;
  const offsite = [];
  await page.route('**/*', (route) => {
    const target = route.request().url();
    if (new URL(target).origin === origin) return route.continue();
    offsite.push(target);
    return route.abort();
  });
  page.offsite = offsite;
  return page;
}

/** Loads `path` and fails on any status but 200. */
export async function visit(page, path) {
  const response = await page.goto(url(path), { waitUntil: 'load' });
  if (!response || response.status() !== 200) {
    throw new Error(`GET ${url(path)}: ${response ? response.status() : 'no response'}`);
  }
  return response;
}

/**
 * How wide the page is against the window, and if it is too wide, the
 * innermost elements that stick out past the right edge or whose content
 * spills out of them (for the failure message), leaving out what sits in a
 * scroll region.
 */
export async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = window.innerWidth;
    let culprits = [];
    if (root.scrollWidth > width) {
      const clipped = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
      };
      const found = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible';
        if (r.width > 0 && (r.right > width + 0.5 || spills) && !clipped(el)) found.push(el);
      }
      culprits = found
        .filter((el) => !found.some((other) => other !== el && el.contains(other)))
        .slice(0, 8)
        .map((el) => {
          const r = el.getBoundingClientRect();
          const id = el.id ? `#${el.id}` : '';
          const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
          const text = JSON.stringify((el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40));
          return `${el.tagName.toLowerCase()}${id}${cls} ${text} (right edge ${Math.round(r.right)} px, content ${el.scrollWidth} px wide in ${el.clientWidth} px)`;
        });
    }
    return { scrollWidth: root.scrollWidth, innerWidth: width, culprits };
  });
}

export function assertNoSidewaysScroll(assert, overflow, where) {
  assert.ok(
    overflow.scrollWidth <= overflow.innerWidth,
    `${where}: the page scrolls sideways (scrollWidth ${overflow.scrollWidth} > innerWidth ${overflow.innerWidth}); ` +
      `what sticks out: ${overflow.culprits.join('; ') || 'none found'}`,
  );
}
