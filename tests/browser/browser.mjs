// Shared by the browser tests: where the built sites are served, how to start
// Debian's Chromium, and which pages to visit. `cargo test --test browser`
// (tests/browser.rs) builds three sites, serves each on its own port and sets:
//
//   HANDOUT_BASE_URL     tests/sites/comparison (the 3-column comparison table)
//   HANDOUT_EXAMPLE_URL  the repository's example site (the IMPACT clinics)
//   HANDOUT_CORPUS_URL   a generated site (tools/corpus) with 200 articles, 8 clinics, 12 authors
//   HANDOUT_SEARCH_URL   tests/sites/search, built for the sub-folder /clinic/
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const baseUrl = process.env.HANDOUT_BASE_URL;
if (!baseUrl) {
  throw new Error('HANDOUT_BASE_URL is not set: run these tests with `cargo test --test browser`');
}

/** The built sites by name: base URL and the `language` of its site.yaml. */
export const SITES = {
  comparison: { name: 'comparison', base: baseUrl },
  // `languages`: the site's other languages, by the folder of their pages.
  example: { name: 'example', base: process.env.HANDOUT_EXAMPLE_URL, lang: 'en-US', languages: { es: 'es' } },
  corpus: { name: 'corpus', base: process.env.HANDOUT_CORPUS_URL, lang: 'en' },
  search: { name: 'search', base: process.env.HANDOUT_SEARCH_URL, lang: 'en-US' },
};
for (const site of Object.values(SITES)) {
  if (!site.base) throw new Error(`the ${site.name} site's URL is not set: run with \`cargo test --test browser\``);
}

/** The fixture article with the 3-column comparison table. */
export const ARTICLE = 'articles/three-ways-to-ease-a-knot/';
/** The example site's article with a table of contents, a comparison and a photo. */
export const EXAMPLE_ARTICLE = 'articles/dry-needling-vs-massage-therapy/';

/** An absolute URL on the comparison site, or on `site` when given. */
export function url(path, site = SITES.comparison) {
  return new URL(path, site.base).href;
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

/**
 * A page of the given viewport width; any request off the served site
 * (another origin) is blocked and recorded in `page.offsite`.
 * Options: `site` (default the comparison site), `colorScheme` ('light' or 'dark').
 */
export async function openPage(browser, width, height = 900, { site = SITES.comparison, colorScheme = 'light' } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme });
  const origin = new URL(site.base).origin;
  const offsite = [];
  await page.route('**/*', (route) => {
    const target = route.request().url();
    if (target.startsWith('data:') || new URL(target).origin === origin) return route.continue();
    offsite.push(target);
    return route.abort();
  });
  page.offsite = offsite;
  return page;
}

/** Loads `target` (a path on the comparison site or an absolute URL) and fails on any status but 200. */
export async function visit(page, target) {
  const href = new URL(target, baseUrl).href;
  const response = await page.goto(href, { waitUntil: 'load' });
  if (!response || response.status() !== 200) {
    throw new Error(`GET ${href}: ${response ? response.status() : 'no response'}`);
  }
  return response;
}

/** Every URL in the site's sitemap, plus its 404 page (which the sitemap leaves out). */
export async function siteUrls(site) {
  const response = await fetch(url('sitemap.xml', site));
  if (response.status !== 200) throw new Error(`${site.name}: sitemap.xml: ${response.status}`);
  const xml = await response.text();
  const urls = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  if (urls.length < 5) throw new Error(`${site.name}: the sitemap lists only ${urls.length} pages`);
  for (const u of urls) {
    if (!u.startsWith(site.base)) throw new Error(`${site.name}: ${u} is not on the served site (${site.base})`);
  }
  // Page 2 and on of the paginated lists (articles, terms), which the sitemap leaves out.
  const more = [];
  for (const list of urls.filter((u) => ['article_list', 'term'].includes(pageKind(u, site)))) {
    for (let n = 2; n < 1000; n++) {
      const next = `${list}page/${n}/`;
      const head = await fetch(next, { method: 'HEAD' });
      if (head.status !== 200) break;
      more.push(next);
    }
  }
  return [...urls, ...more, url('404.html', site)];
}

const TAXONOMIES = new Set(['tags', 'conditions', 'treatments']);
const SECTIONS = { articles: 'article', locations: 'location', authors: 'author' };

/** The language of a URL of `site`: its folder's (`es/...`), else the site's. */
export function languageOf(target, site) {
  const path = target.slice(site.base.length);
  for (const [folder, code] of Object.entries(site.languages ?? {})) {
    if (path.startsWith(`${folder}/`)) return code;
  }
  return site.lang;
}

/** A URL's path on `site` without its language's folder (`es/`). */
function ownPath(target, site) {
  const path = target.slice(site.base.length);
  for (const folder of Object.keys(site.languages ?? {})) {
    if (path.startsWith(`${folder}/`)) return path.slice(folder.length + 1);
  }
  return path;
}

/**
 * The template a URL of `site` is rendered with: home, article, article_list,
 * location, location_list, author, author_list, page, taxonomy, term, 404.
 */
export function pageKind(target, site) {
  const path = ownPath(target, site).replace(/\/$/, '');
  if (path === '') return 'home';
  if (path === '404.html') return '404';
  const parts = path.split('/');
  const [first] = parts;
  if (SECTIONS[first]) {
    // articles/, articles/page/2/ (pagination) or articles/<slug>/
    if (parts.length === 1 || parts[1] === 'page') return `${SECTIONS[first]}_list`;
    return SECTIONS[first];
  }
  if (TAXONOMIES.has(first)) return parts.length === 1 ? 'taxonomy' : 'term';
  return 'page';
}

/** The URLs grouped by page kind, in sitemap order. */
export function byKind(urls, site) {
  const groups = {};
  for (const u of urls) (groups[pageKind(u, site)] ??= []).push(u);
  return groups;
}

/**
 * Up to `perKind` URLs of each kind (evenly spread through the kind's list),
 * for the big site where visiting every page would take too long.
 */
export function sample(urls, site, perKind) {
  const out = [];
  for (const [kind, group] of Object.entries(byKind(urls, site))) {
    const n = Math.min(group.length, perKind[kind] ?? 3);
    for (let i = 0; i < n; i++) out.push(group[Math.floor((i * group.length) / n)]);
  }
  return out;
}

/** The page kinds every site must have for the checks to mean something. */
export const ALL_KINDS = ['home', 'article', 'article_list', 'location', 'location_list', 'author', 'author_list', 'page', 'taxonomy', 'term', '404'];

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

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.x A and AA rules, as issue 6 asks. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the loaded page with the WCAG 2.x A/AA rules. Returns the
 * violations as readable lines (rule, impact, the elements and why).
 */
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
      count: v.nodes.length,
    }));
  }, AXE_TAGS);
  return violations.map((v) => `${v.id} (${v.impact}, ${v.count} element${v.count === 1 ? '' : 's'}): ${v.help}\n      ${v.nodes.join('\n      ')}`);
}
