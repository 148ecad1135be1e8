// Bytes a search transfers, measured in Chromium (examples/bench.rs runs it):
// for each query, a fresh browser profile opens `<base>search/?q=<query>`,
// waits for the first page of results and adds up the response bodies as
// served (no compression: python's http.server sends files as they are).
// Prints one JSON line per query:
//   {"query", "results", "index": bytes of search/<lang>/ files,
//    "page": the page, its stylesheets and search.js, "requests"}
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
    console.log(JSON.stringify({ query, results, index: sum(index), page: sum(sizes) - sum(index), requests: sizes.length }));
    await context.close();
  }
} finally {
  await browser.close();
}
