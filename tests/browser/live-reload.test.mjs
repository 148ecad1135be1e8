// handout serve in a real browser (issue 5): a page open in Chromium shows
// an edit to its Markdown without anyone reloading it, and a broken save
// shows the error over the page until it is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './browser.mjs';

const BIN = process.env.HANDOUT_BIN;
const FIXTURE = process.env.HANDOUT_FIXTURE;

/** Starts `handout serve` on a copy of the fixture; resolves with its URL. */
function serve() {
  const root = mkdtempSync(join(tmpdir(), 'handout-live-'));
  cpSync(FIXTURE, root, { recursive: true });
  const child = spawn(BIN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /Serving at (http:\/\/\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  const stop = () => {
    child.kill('SIGINT');
    rmSync(root, { recursive: true, force: true });
  };
  return { root, url, stop };
}

test('an edit to the Markdown shows up in the open page without a reload by hand', { skip: !BIN && 'HANDOUT_BIN not set' }, async () => {
  const server = serve();
  const browser = await launch();
  try {
    const base = await server.url;
    const page = await browser.newPage();
    const events = page.waitForRequest((r) => r.url().includes('/__handout/events'), { timeout: 10000 });
    await page.goto(new URL('about/', base).href);
    // The live script says which page it is: a save that renders many
    // pages renders the pages in view first.
    const request = await events;
    assert.equal(new URL(request.url()).searchParams.get('page'), '/about/');
    await page.waitForTimeout(300);
    const file = join(server.root, 'content', 'about.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('We have a clinic', 'We have a brand new clinic'));
    await page.waitForFunction(() => document.body.textContent.includes('brand new clinic'), null, { timeout: 10000 });

    // A broken save: the overlay shows the terminal's message; the old page stays.
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: About', 'titel: About'));
    await page.waitForSelector('#handout-error', { timeout: 10000 });
    const overlay = await page.locator('#handout-error').textContent();
    assert.match(overlay, /content\/about\.md:2:1: unknown field `titel`, did you mean `title`\?/);
    assert.ok(await page.locator('main').textContent().then((t) => t.includes('brand new clinic')));

    // Fixing it clears the overlay and reloads.
    writeFileSync(file, readFileSync(file, 'utf8').replace('titel: About', 'title: About us'));
    await page.waitForFunction(() => !document.getElementById('handout-error') && document.title.startsWith('About us'), null, { timeout: 10000 });
  } finally {
    await browser.close();
    server.stop();
  }
});
