// Bytes a search transfers, measured in Chromium (examples/bench.rs runs it):
// for each query, a fresh browser profile opens `<base>search/?q=<query>`,
// waits for the first page of results and adds up the response bodies as
// served (no compression: python's http.server sends files as they are).
// Prints one JSON line per query:
//   {"query", "results", "index": bytes of search/<lang>/ files,
//    "page": the page, its stylesheets and search.js, "requests",
//    "rank": ms from the last postings file's arrival to the first
//    metadata request (the ranking), "draw": ms from the last metadata
//    file's arrival to the results on the page}
//
//   node examples/search_bytes.mjs http://127.0.0.1:8000/ "knee pain" sciatia
// With HANDOUT_SEARCH_FILES=1, each file's bytes go to stderr too.
import { chromium } from 'playwright-core';

const [base, ...queries] = process.argv.slice(2);
if (!base || !queries.length) {
  console.error('usage: node examples/search_bytes.mjs BASE_URL QUERY...');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.HANDOUT_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  for (const query of queries) {
    const context = await browser.newContext();
    // When the first result is put on the page (performance.now()).
    await context.addInitScript(() => {
      new MutationObserver((changes, observer) => {
        if (document.querySelector('#search-results ol > li')) {
          window.handoutDrawnAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    const sizes = [];
    page.on('requestfinished', async (request) => {
      const response = await request.response();
      const body = response ? (await response.body().catch(() => Buffer.alloc(0))).length : 0;
      sizes.push({ url: request.url(), body });
    });
    const url = new URL(`search/?q=${encodeURIComponent(query)}`, base).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => /result|No results|could not/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 60000 });
    await page.waitForLoadState('networkidle');
    const results = await page.locator('#search-results ol > li').count();
    await page.waitForTimeout(200);
    const index = sizes.filter((s) => /\/search\/[a-z0-9]+\//.test(new URL(s.url).pathname));
    const sum = (list) => list.reduce((n, s) => n + s.body, 0);
    if (process.env.HANDOUT_SEARCH_FILES) {
      for (const s of sizes) console.error(`${query}\t${s.body}\t${new URL(s.url).pathname}`);
    }
    const { rank, draw } = await page.evaluate(() => {
      const drawn = window.handoutDrawnAt;
      const files = performance.getEntriesByType('resource').filter((e) => /\/search\/[a-z0-9]+\//.test(new URL(e.name).pathname));
      const of = (folder) => files.filter((e) => new URL(e.name).pathname.includes(`/${folder}/`));
      const metadata = of('d');
      if (drawn === undefined || !metadata.length) return { rank: null, draw: null };
      const asked = Math.min(...metadata.map((e) => e.startTime));
      const postings = of('s').concat(of('t')).filter((e) => e.responseEnd <= asked);
      const ranked = postings.length ? asked - Math.max(...postings.map((e) => e.responseEnd)) : null;
      return { rank: ranked, draw: drawn - Math.max(...metadata.map((e) => e.responseEnd)) };
    });
    const ms = (t) => (t === null ? null : Math.round(t * 10) / 10);
    console.log(JSON.stringify({ query, results, index: sum(index), page: sum(sizes) - sum(index), requests: sizes.length, rank: ms(rank), draw: ms(draw) }));
    await context.close();
  }
} finally {
  await browser.close();
}
