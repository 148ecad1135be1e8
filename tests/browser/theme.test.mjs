// The default theme's own promises (issue 6), checked in Chromium:
// head metadata on every page, landmarks and headings, the skip link and a
// visible focus ring on every stop, readable text, the print stylesheet,
// no JavaScript needed, reduced motion, and all CSS under 20 KB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { SITES, EXAMPLE_ARTICLE, launch, openPage, visit, url, siteUrls, sample, pageKind, languageOf, axeViolations } from './browser.mjs';

const CSS_BUDGET = 20 * 1024;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Everything the head and the page structure say, read in the page. */
function readPage(page) {
  return page.evaluate(() => {
    const meta = (sel) => [...document.querySelectorAll(sel)].map((m) => m.getAttribute('content'));
    const links = (rel) => [...document.querySelectorAll(`link[rel="${rel}"]`)].map((l) => ({ href: l.href, type: l.getAttribute('type') }));
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({
      level: Number(h.tagName[1]),
      text: h.textContent.trim().slice(0, 50),
    }));
    const jsonld = [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent);
    const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')];
    return {
      lang: document.documentElement.getAttribute('lang'),
      titles: [...document.querySelectorAll('head title')].map((t) => t.textContent),
      description: meta('meta[name="description"]'),
      robots: meta('meta[name="robots"]'),
      canonical: links('canonical').map((l) => l.href),
      og: Object.fromEntries([...document.querySelectorAll('meta[property^="og:"]')].map((m) => [m.getAttribute('property'), m.getAttribute('content')])),
      twitter: Object.fromEntries([...document.querySelectorAll('meta[name^="twitter:"]')].map((m) => [m.getAttribute('name'), m.getAttribute('content')])),
      icons: [...links('icon'), ...links('apple-touch-icon')],
      stylesheets: links('stylesheet').map((l) => l.href),
      scripts: [...document.querySelectorAll('script[src]')].map((s) => s.src),
      jsonld,
      headings,
      banners: document.querySelectorAll('body > header, [role="banner"]').length,
      mains: document.querySelectorAll('main, [role="main"]').length,
      contentinfo: document.querySelectorAll('body > footer, [role="contentinfo"]').length,
      mainNav: document.querySelectorAll('nav.site-nav[aria-label]').length,
      firstFocusable: focusable[0] ? { cls: focusable[0].className, href: focusable[0].getAttribute('href') } : null,
      mainId: document.querySelector('main')?.id,
      bodyFontPx: parseFloat(getComputedStyle(document.body).fontSize),
      dates: [...document.querySelectorAll('.article-header .dates time')].map((t) => t.getAttribute('datetime')),
      reviewedDate: document.querySelector('.article-header .reviewed time')?.getAttribute('datetime') ?? null,
    };
  });
}

/** What is wrong with one page's head and structure (empty when all is well). */
function problems(info, target, site) {
  const out = [];
  const siteName = info.og['og:site_name'] ?? '';
  const kind = pageKind(target, site);
  const check = (ok, what) => {
    if (!ok) out.push(what);
  };
  const lang = languageOf(target, site);
  if (lang) check(info.lang === lang, `lang is ${info.lang}, site.yaml says ${lang}`);
  else check(Boolean(info.lang), 'no lang');
  check(info.titles.length === 1 && info.titles[0].trim(), `${info.titles.length} <title>`);
  const title = info.titles[0] ?? '';
  if (kind === 'home') check(title === info.og['og:title'] && title.trim(), `home title ${JSON.stringify(title)} is not the site title`);
  else check(title.endsWith(` | ${siteName}`) && title.length > siteName.length + 3, `title ${JSON.stringify(title)} is not "page | brand"`);
  check(info.description.length === 1 && info.description[0].trim().length > 10, 'no meta description');
  if (kind === '404') {
    check(info.robots.some((r) => /noindex/.test(r)), '404 page without robots noindex');
  } else {
    check(!info.robots.some((r) => /noindex/.test(r)), 'robots noindex on a page that should be found');
    check(info.canonical.length === 1 && info.canonical[0] === target, `canonical ${info.canonical} is not ${target}`);
    check(info.og['og:url'] === target, `og:url ${info.og['og:url']} is not ${target}`);
  }
  for (const key of ['og:title', 'og:description', 'og:type', 'og:site_name']) check(info.og[key]?.trim(), `no ${key}`);
  check(info.og['og:type'] === (kind === 'article' ? 'article' : 'website'), `og:type ${info.og['og:type']} on a ${kind} page`);
  check(['summary', 'summary_large_image'].includes(info.twitter['twitter:card']), 'no twitter:card');
  check(info.twitter['twitter:title'] && info.twitter['twitter:description'], 'no twitter:title or twitter:description');
  if (info.og['og:image'] || info.twitter['twitter:image']) {
    check(info.og['og:image'] === info.twitter['twitter:image'], 'og:image and twitter:image differ');
    check(/^https?:\/\//.test(info.og['og:image']), `og:image ${info.og['og:image']} is not absolute`);
    check(!/\.svg$/i.test(info.og['og:image']), 'og:image is an SVG, which social sites do not show');
    check(info.twitter['twitter:card'] === 'summary_large_image', 'an image but not summary_large_image');
  }
  check(info.icons.some((i) => i.type === 'image/svg+xml'), 'no SVG favicon link');
  check(info.icons.some((i) => /\.(png|ico)$/.test(i.href)), 'no PNG or ICO favicon link');
  for (const href of [...info.icons.map((i) => i.href), ...info.stylesheets, ...info.scripts]) {
    check(href.startsWith(site.base), `${href} is not on the site`);
  }
  check(info.scripts.length === 0, `script files: ${info.scripts.join(', ')}`);
  const graph = [];
  for (const text of info.jsonld) {
    try {
      const data = JSON.parse(text);
      graph.push(...(data['@graph'] ?? [data]));
    } catch (err) {
      out.push(`JSON-LD does not parse: ${err.message}`);
    }
  }
  if (kind === 'article') {
    // The dates a reader sees are the dates search engines get.
    const article = graph.find((n) => n['@type'] === 'Article');
    const webpage = graph.find((n) => n['@type'] === 'MedicalWebPage');
    const [published, updated] = info.dates;
    check(article?.datePublished === published, `published ${published} on the page, ${article?.datePublished} in JSON-LD`);
    check(article?.dateModified === (updated ?? published), `updated ${updated ?? published} on the page, dateModified ${article?.dateModified} in JSON-LD`);
    check((webpage?.lastReviewed ?? null) === info.reviewedDate, `reviewed ${info.reviewedDate} on the page, lastReviewed ${webpage?.lastReviewed} in JSON-LD`);
  }
  // One h1, and going down the page no heading skips a level (h2 -> h4).
  const h1s = info.headings.filter((h) => h.level === 1).length;
  check(h1s === 1, `${h1s} h1 elements`);
  check(info.headings[0]?.level === 1, `the first heading is h${info.headings[0]?.level}, not the h1`);
  info.headings.forEach((h, i) => {
    if (i > 0 && h.level > info.headings[i - 1].level + 1) {
      out.push(`h${h.level} "${h.text}" follows h${info.headings[i - 1].level} "${info.headings[i - 1].text}"`);
    }
  });
  check(info.banners === 1 && info.mains === 1 && info.contentinfo === 1, `landmarks: ${info.banners} banner, ${info.mains} main, ${info.contentinfo} contentinfo`);
  check(info.mainNav === 1, 'no labelled main nav');
  check(info.firstFocusable?.cls === 'skip-link' && info.firstFocusable.href === `#${info.mainId}`, `the first focusable element is not the skip link to main (${JSON.stringify(info.firstFocusable)})`);
  check(info.bodyFontPx >= 16, `body text is ${info.bodyFontPx} px`);
  return out;
}

for (const site of Object.values(SITES)) {
  test(`${site.name}: every page has its head metadata, landmarks, one h1, no skipped heading level, and JSON-LD dates as shown`, async () => {
    const all = await siteUrls(site);
    const urls = site === SITES.corpus ? sample(all, site, { article: 10, term: 6, location: 3, author: 3 }) : all;
    const page = await openPage(browser, 1280, 900, { site });
    const failures = [];
    const checkedUrls = new Set();
    for (const target of urls) {
      await visit(page, target);
      const info = await readPage(page);
      const found = problems(info, target, site);
      if (found.length) failures.push(`${target}:\n    ${found.join('\n    ')}`);
      for (const href of [...info.icons.map((i) => i.href), info.og['og:image']]) {
        if (!href || checkedUrls.has(href)) continue;
        checkedUrls.add(href);
        const response = await fetch(href);
        if (response.status !== 200) failures.push(`${target}: ${href} answers ${response.status}`);
      }
    }
    if (site === SITES.comparison) {
      // Its site.yaml has share_image (tests/browser.rs adds it): every page shares an image.
      const info = await readPage(page);
      assert.ok(info.og['og:image'], 'a list page uses site.share_image for og:image');
    }
    assert.deepEqual(page.offsite, [], 'no request leaves the site');
    await page.close();
    assert.equal(failures.length, 0, `${failures.length} of ${urls.length} pages:\n${failures.join('\n')}`);
  });
}

test('all CSS together is under 20 KB', async () => {
  const page = await openPage(browser, 1280, 900, { site: SITES.example });
  await visit(page, url(EXAMPLE_ARTICLE, SITES.example));
  const sheets = await page.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.href));
  await page.close();
  let total = 0;
  for (const href of sheets) total += (await (await fetch(href)).arrayBuffer()).byteLength;
  assert.ok(sheets.length >= 1);
  assert.ok(total < CSS_BUDGET, `the stylesheets (${sheets.join(', ')}) weigh ${total} bytes, over ${CSS_BUDGET}`);
});

/** The WCAG contrast ratio of two `rgb()`/`rgba()` colours. */
function contrast(a, b) {
  const lum = (css) => {
    const [r, g, bl] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

for (const colorScheme of ['light', 'dark']) {
  test(`keyboard (${colorScheme}): the skip link comes first and works; every focus stop has a visible ring of 3:1 contrast`, async () => {
    const site = SITES.example;
    const targets = [url(EXAMPLE_ARTICLE, site), url('locations/hinsdale/', site), url('', site)];
    for (const target of targets) {
      const page = await openPage(browser, 1280, 900, { site, colorScheme });
      await visit(page, target);
      await page.keyboard.press('Tab');
      const skip = await page.evaluate(() => {
        const el = document.activeElement;
        const r = el.getBoundingClientRect();
        return { cls: el.className, top: r.top, height: r.height, width: r.width };
      });
      assert.equal(skip.cls, 'skip-link', `${target}: the first Tab stop is the skip link`);
      assert.ok(skip.top >= 0 && skip.height > 10 && skip.width > 50, `${target}: the focused skip link is on screen (${JSON.stringify(skip)})`);
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'main', `${target}: the skip link moves focus to main`);

      // Walk every Tab stop after it.
      const seen = new Set();
      const bad = [];
      for (let i = 0; i < 250; i++) {
        await page.keyboard.press('Tab');
        const stop = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          // The colour the ring is drawn on: the nearest ancestor's opaque background.
          let bg = 'rgb(255, 255, 255)';
          for (let a = el.parentElement; a; a = a.parentElement) {
            const c = getComputedStyle(a).backgroundColor;
            if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) {
              bg = c;
              break;
            }
          }
          const path = [];
          for (let a = el; a && a !== document.body; a = a.parentElement) path.unshift(a.tagName.toLowerCase() + (a.className && typeof a.className === 'string' ? `.${a.className.split(' ')[0]}` : ''));
          return {
            key: path.join('>') + '|' + (el.getAttribute('href') || el.id || el.textContent.trim().slice(0, 30)),
            outlineStyle: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth),
            outlineColor: style.outlineColor,
            bg,
          };
        });
        if (!stop || seen.has(stop.key)) break;
        seen.add(stop.key);
        if (stop.outlineStyle === 'none' || stop.outlineWidth < 2) {
          bad.push(`${stop.key}: outline ${stop.outlineStyle} ${stop.outlineWidth}px`);
        } else if (contrast(stop.outlineColor, stop.bg) < 3) {
          bad.push(`${stop.key}: ring ${stop.outlineColor} on ${stop.bg} is ${contrast(stop.outlineColor, stop.bg).toFixed(2)}:1`);
        }
      }
      assert.ok(seen.size >= 10, `${target}: only ${seen.size} Tab stops found`);
      assert.deepEqual(bad, [], `${target}: focus stops without a visible ring`);
      await page.close();
    }
  });
}

test('an article is readable: 16 px or more and about 65-75 characters a line, on a phone and a desktop', async () => {
  for (const width of [320, 375, 1280]) {
    const page = await openPage(browser, width, 900, { site: SITES.example });
    await visit(page, url(EXAMPLE_ARTICLE, SITES.example));
    const text = await page.evaluate(() => {
      const paragraphs = [...document.querySelectorAll('.prose > p')].filter((p) => p.textContent.length > 250);
      const p = paragraphs[0];
      const range = document.createRange();
      range.selectNodeContents(p);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      // Characters on the full lines (all but the last).
      return { fontPx: parseFloat(getComputedStyle(p).fontSize), chars: p.textContent.replace(/\s+/g, ' ').trim().length, lines: tops.size };
    });
    assert.ok(text.fontPx >= 16, `${width} px: body text is ${text.fontPx} px`);
    if (width === 1280) {
      const perLine = text.chars / (text.lines - 0.5);
      assert.ok(perLine >= 60 && perLine <= 80, `at 1280 px a line holds about ${perLine.toFixed(0)} characters`);
    }
    await page.close();
  }
});

test('print: an article is a clean handout', async () => {
  const site = SITES.example;
  const target = url(EXAMPLE_ARTICLE, site);
  const page = await openPage(browser, 1280, 900, { site, colorScheme: 'dark' });
  await visit(page, target);
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  const origin = new URL(site.base).origin;
  const printed = await page.evaluate(() => {
    // An external link, as a writer might add one.
    document.querySelector('.prose p').insertAdjacentHTML('beforeend', ' <a id="ext" href="https://example.org/more">more</a>');
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const after = (el) => getComputedStyle(el, '::after').content;
    const q = (sel) => [...document.querySelectorAll(sel)];
    const internal = q('main .prose a[href^="/"]')[0];
    const inPage = q('main a[href^="#"]').filter(shown)[0];
    return {
      hiddenShown: ['.site-nav', '.skip-link', '.header-cta', '.cta', '.toc', '.breadcrumbs', '.related', '.topics', '.clinic-list'].filter((s) => q(s).some(shown)),
      buttonsShown: q('a.button, button').filter(shown).map((b) => b.textContent.trim()),
      footer: shown(document.querySelector('.print-footer')) ? document.querySelector('.print-footer').textContent.replace(/\s+/g, ' ').trim() : null,
      brand: shown(document.querySelector('.brand')),
      h1: shown(document.querySelector('h1')),
      internal: internal ? { href: internal.getAttribute('href'), after: after(internal) } : null,
      external: after(document.getElementById('ext')),
      inPage: inPage ? after(inPage) : 'no in-page link',
      tel: q('main a[href^="tel:"]').filter(shown).map(after),
      color: getComputedStyle(document.body).color,
      background: getComputedStyle(document.body).backgroundColor,
      comparison: document.querySelector('.comparison table') ? getComputedStyle(document.querySelector('.comparison table')).display : 'none',
      comparisonBreak: document.querySelector('.comparison') ? getComputedStyle(document.querySelector('.comparison')).breakInside : 'none',
    };
  });
  assert.deepEqual(printed.hiddenShown, [], 'navigation, calls to action, table of contents and related lists are not printed');
  assert.deepEqual(printed.buttonsShown, [], 'no buttons are printed');
  assert.ok(printed.brand && printed.h1, 'the brand and the title are printed');
  assert.ok(printed.footer, 'the print footer is printed');
  assert.ok(printed.footer.includes('IMPACT Physical Therapy & Sports Recovery'), `the footer names the clinic: ${printed.footer}`);
  assert.ok(printed.footer.includes('(630) 555-0100'), `the footer has the phone: ${printed.footer}`);
  assert.ok(printed.footer.includes(target), `the footer has the page URL ${target}: ${printed.footer}`);
  assert.ok(printed.internal, 'the article links to another page of the site');
  assert.equal(printed.internal.after, `" (${origin}${printed.internal.href})"`, 'an internal link prints its full URL');
  assert.equal(printed.external, '" (https://example.org/more)"', 'an external link prints its URL');
  assert.ok(printed.inPage === 'none' || printed.inPage === 'normal', `an in-page #link prints no URL (${printed.inPage})`);
  assert.ok(printed.tel.every((c) => c === 'none' || c === 'normal'), 'a phone link prints no tel: URL');
  assert.equal(printed.color, 'rgb(0, 0, 0)', 'black text on paper, even from the dark scheme');
  assert.equal(printed.comparison, 'table', 'the comparison prints as a table');
  assert.equal(printed.comparisonBreak, 'avoid', 'the comparison table is kept on one page where it fits');
  // And Chromium makes a PDF of it.
  const pdf = await page.pdf({ format: 'Letter' });
  assert.ok(pdf.byteLength > 10_000, 'a PDF is printed');
  await page.close();
});

test('no JavaScript is needed: the clinic list and an article read the same without it', async () => {
  const site = SITES.example;
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(url('locations/', site));
  const noScript = await page.evaluate(() => ({
    clinics: document.querySelectorAll('#clinic-list > li').length,
    finder: getComputedStyle(document.querySelector('.finder')).display,
    phones: [...document.querySelectorAll('#clinic-list a[href^="tel:"]')].filter((a) => a.getClientRects().length).length,
  }));
  assert.equal(noScript.clinics, 3, 'every clinic is listed');
  assert.equal(noScript.phones, 3, 'every clinic shows its phone');
  assert.equal(noScript.finder, 'none', 'the nearest-clinic button needs script, so it stays hidden without it');
  await page.goto(url(EXAMPLE_ARTICLE, site));
  const article = await page.evaluate(() => document.querySelector('.prose').innerText.length);
  assert.ok(article > 2000, 'the article body is there without script');
  await context.close();

  const withScript = await openPage(browser, 375, 800, { site });
  await visit(withScript, url('locations/', site));
  assert.notEqual(await withScript.evaluate(() => getComputedStyle(document.querySelector('.finder')).display), 'none', 'with script the finder shows');
  await withScript.close();
});

test('motion: smooth scrolling only for readers who have not asked for less motion', async () => {
  const page = await openPage(browser, 1280, 900, { site: SITES.example });
  await visit(page, url(EXAMPLE_ARTICLE, SITES.example));
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), 'smooth');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), 'auto');
  await page.close();
});

test('a brand theme recolours the site from brand.css alone, and a light-only brand keeps the dark scheme readable', async () => {
  // What docs/theme.md shows a brand theme's static/brand.css to be.
  const brandCss = ':root { --color-accent: #7a1f5c; --color-on-accent: #ffffff; }';
  const site = SITES.example;
  for (const colorScheme of ['light', 'dark']) {
    const page = await openPage(browser, 1280, 900, { site, colorScheme });
    await page.route('**/brand.css', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: brandCss }));
    await visit(page, url(EXAMPLE_ARTICLE, site));
    const colours = await page.evaluate(() => ({
      link: getComputedStyle(document.querySelector('.prose a')).color,
      button: getComputedStyle(document.querySelector('.header-cta')).backgroundColor,
    }));
    if (colorScheme === 'light') {
      assert.equal(colours.link, 'rgb(122, 31, 92)', 'links take the brand colour');
      assert.equal(colours.button, 'rgb(122, 31, 92)', 'buttons take the brand colour');
    } else {
      assert.equal(colours.link, 'rgb(140, 196, 255)', 'a brand without --color-accent-dark keeps the default dark accent');
    }
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `the branded page passes axe (${colorScheme})`);
    await page.close();
  }
});
