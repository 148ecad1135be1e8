// The comparison table of the fixture article (tests/sites/comparison): at a
// 320 px phone width each row is a stacked card and nothing scrolls sideways;
// at 1280 px it is a table whose every cell can be seen; in print it is a
// plain table whose rows never split across pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { ARTICLE, launch, openPage, visit, sidewaysOverflow, assertNoSidewaysScroll } from './browser.mjs';

const COLUMNS = ['Massage & stretching', 'Dry needling', 'Electroacupuncture ("EA")'];
const ROWS = ['What it is', 'How it feels', 'Sessions most people need', 'Cost & "coverage"', 'Who should not have it'];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Geometry and text of every cell of the first comparison table. */
function measureCells(page) {
  return page.evaluate(() => {
    const region = document.querySelector('.comparison .table-scroll');
    const table = region.querySelector('table');
    const rr = region.getBoundingClientRect();
    const regionStyle = getComputedStyle(region);
    return {
      innerWidth: window.innerWidth,
      region: {
        left: rr.left,
        right: rr.right,
        scrollWidth: region.scrollWidth,
        clientWidth: region.clientWidth,
        scrollLeft: region.scrollLeft,
        overflowX: regionStyle.overflowX,
      },
      cells: [...table.querySelectorAll('th, td')].map((el) => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          what: `${el.closest('thead') ? 'thead' : 'tbody'} ${el.tagName.toLowerCase()} ${JSON.stringify(el.textContent.trim().slice(0, 40))}`,
          head: Boolean(el.closest('thead')),
          tag: el.tagName.toLowerCase(),
          text: el.textContent.trim(),
          label: el.getAttribute('data-label'),
          before: el.tagName === 'TD' ? getComputedStyle(el, '::before').content : null,
          left: r.left,
          right: r.right,
          top: r.top,
          bottom: r.bottom,
          width: r.width,
          height: r.height,
          visibility: style.visibility,
          scrollWidth: el.scrollWidth,
          clientWidth: el.clientWidth,
        };
      }),
    };
  });
}

function assertRegionContract(region) {
  assert.equal(region.role, 'region', 'the scroll region has role="region"');
  assert.equal(region.tabindex, '0', 'the scroll region is focusable (tabindex="0")');
  assert.ok(region.labelledby, 'the scroll region has aria-labelledby');
  assert.equal(region.labelledby, region.captionId, 'aria-labelledby names the caption id');
  assert.equal(region.labelTarget, 'CAPTION', 'aria-labelledby points at the table caption');
  assert.ok(region.captionText.length > 0, 'the caption has text');
  assert.ok(region.focused, 'the scroll region takes keyboard focus');
}

function readRegion(page) {
  return page.evaluate(() => {
    const region = document.querySelector('.comparison .table-scroll');
    const caption = region.querySelector('table > caption');
    const labelledby = region.getAttribute('aria-labelledby');
    const target = labelledby ? document.getElementById(labelledby) : null;
    region.focus();
    return {
      role: region.getAttribute('role'),
      tabindex: region.getAttribute('tabindex'),
      labelledby,
      captionId: caption ? caption.id : null,
      labelTarget: target ? target.tagName : null,
      captionText: caption ? caption.textContent.trim() : '',
      focused: document.activeElement === region,
    };
  });
}

/** The cell's own text does not spill out of its box (a long word would). */
function assertTextFits(cell) {
  assert.ok(cell.scrollWidth <= cell.clientWidth + 1, `${cell.what}: text overflows its cell (${cell.scrollWidth} > ${cell.clientWidth})`);
}

function assertShown(cell) {
  assert.ok(cell.width > 0 && cell.height > 0, `${cell.what}: has no size (${cell.width}x${cell.height})`);
  assert.equal(cell.visibility, 'visible', `${cell.what}: is not visible`);
  assert.ok(cell.text.length > 0, `${cell.what}: is empty`);
}

/** What Chromium's own accessibility tree says about the table, as a screen reader gets it. */
async function accessibleTable(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const live = nodes.filter((n) => !n.ignored);
  const named = (role) => live.filter((n) => n.role?.value === role).map((n) => n.name?.value ?? '');
  return {
    tables: named('table').length,
    columnheaders: named('columnheader'),
    rowheaders: named('rowheader'),
    cells: named('cell').length,
    regions: named('region'),
  };
}

function assertAccessibleTable(ax, caption) {
  assert.equal(ax.tables, 1, 'one table in the accessibility tree');
  assert.deepEqual(ax.columnheaders.slice(1), COLUMNS, 'column headers reach screen readers');
  assert.deepEqual(ax.rowheaders, ROWS, 'row headers reach screen readers');
  assert.equal(ax.cells, COLUMNS.length * ROWS.length, 'every value is a table cell for screen readers');
  assert.ok(ax.regions.includes(caption), `the scroll region is named by its caption (regions: ${JSON.stringify(ax.regions)})`);
}

test('the article escapes <, & and quotes in the table', async () => {
  const page = await openPage(browser, 1280);
  await visit(page, ARTICLE);
  const texts = await page.evaluate(() => {
    const table = document.querySelector('.comparison table');
    return {
      columns: [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent.trim()),
      rows: [...table.querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent.trim()),
      cells: [...table.querySelectorAll('tbody td')].map((td) => td.textContent.trim()),
      colScopes: [...table.querySelectorAll('thead th')].map((th) => th.getAttribute('scope')),
    };
  });
  assert.deepEqual(texts.columns, COLUMNS);
  assert.deepEqual(texts.rows, ROWS);
  assert.ok(texts.colScopes.every((s) => s === 'col'), 'every header cell has scope="col"');
  assert.equal(texts.cells.length, COLUMNS.length * ROWS.length);
  assert.ok(texts.cells.includes('Often < 6 sessions in all'), 'a "<" in a cell shows as text');
  assert.ok(texts.cells.some((t) => t.includes('prescribes it & writes')), 'a "&" in a cell shows as text');
  await page.close();
});

test('at 320 px each row is a stacked card and nothing scrolls sideways', async () => {
  const page = await openPage(browser, 320);
  await visit(page, ARTICLE);
  assertNoSidewaysScroll(assert, await sidewaysOverflow(page), `${ARTICLE} at 320 px`);
  const region = await readRegion(page);
  assertRegionContract(region);
  assertAccessibleTable(await accessibleTable(page), region.captionText);

  const { cells, innerWidth } = await measureCells(page);
  const body = cells.filter((c) => !c.head);
  assert.equal(body.length, ROWS.length * (COLUMNS.length + 1));
  for (const cell of body) {
    assertShown(cell);
    assert.ok(cell.left >= -0.5 && cell.right <= innerWidth + 0.5,
      `${cell.what}: outside the 320 px viewport (left ${cell.left}, right ${cell.right})`);
    assertTextFits(cell);
  }
  // Stacked: every value sits below its row's label, one under the other, full width.
  for (let row = 0; row < ROWS.length; row++) {
    const group = body.slice(row * (COLUMNS.length + 1), (row + 1) * (COLUMNS.length + 1));
    const widths = group.map((c) => Math.round(c.width));
    assert.ok(widths.every((w) => w === widths[0]), `row ${ROWS[row]}: cells are not stacked full width (${widths})`);
    group.slice(1).forEach((cell, i) => {
      assert.ok(cell.top >= group[i].bottom - 0.5, `${cell.what}: not below ${group[i].what}`);
    });
  }
  // The column names are shown on each value, from its data-label.
  const values = body.filter((c) => c.tag === 'td');
  values.forEach((cell, i) => {
    const column = COLUMNS[i % COLUMNS.length];
    assert.equal(cell.label, column, `${cell.what}: data-label`);
    assert.equal(cell.before, JSON.stringify(column), `${cell.what}: the column name is not shown before the value`);
  });
  // The header row stays in the page for screen readers, out of sight.
  const head = await page.evaluate(() => {
    const thead = document.querySelector('.comparison thead');
    const style = getComputedStyle(thead);
    const r = thead.getBoundingClientRect();
    return { display: style.display, visibility: style.visibility, width: r.width, height: r.height };
  });
  assert.notEqual(head.display, 'none', 'thead is kept for screen readers');
  assert.equal(head.visibility, 'visible', 'thead is kept for screen readers');
  assert.ok(head.width <= 1 && head.height <= 1, `thead is visually hidden on a phone (${head.width}x${head.height})`);
  assert.deepEqual(page.offsite, [], 'no request leaves the site');
  await page.close();
});

test('at 1280 px every cell is in view or in the scroll region', async () => {
  const page = await openPage(browser, 1280);
  await visit(page, ARTICLE);
  assertNoSidewaysScroll(assert, await sidewaysOverflow(page), `${ARTICLE} at 1280 px`);
  const labelled = await readRegion(page);
  assertRegionContract(labelled);
  assertAccessibleTable(await accessibleTable(page), labelled.captionText);

  const { cells, innerWidth, region } = await measureCells(page);
  assert.equal(cells.length, (ROWS.length + 1) * (COLUMNS.length + 1));
  const display = await page.evaluate(() => getComputedStyle(document.querySelector('.comparison table')).display);
  assert.equal(display, 'table', 'a wide screen shows a real table');
  for (const cell of cells) {
    if (cell.head && cell.tag === 'th' && cell.text === 'Feature') {
      // The corner cell's text is for screen readers only.
      assert.ok(cell.width > 0 && cell.height > 0, `${cell.what}: has no size`);
      continue;
    }
    assertShown(cell);
    assertTextFits(cell);
    const inView = cell.left >= -0.5 && cell.right <= innerWidth + 0.5;
    if (!inView) {
      // Then it must be reachable by scrolling the region itself.
      assert.match(region.overflowX, /^(auto|scroll)$/, `${cell.what}: off screen and the region does not scroll`);
      const contentRight = cell.right - region.left + region.scrollLeft;
      assert.ok(cell.left >= region.left - 0.5 && contentRight <= region.scrollWidth + 0.5,
        `${cell.what}: outside the scroll region (left ${cell.left}, right ${cell.right})`);
    }
  }
  await page.close();
});

test('at 1280 px a table wider than the screen scrolls inside its region, not the page', async () => {
  const page = await openPage(browser, 1280);
  await visit(page, ARTICLE);
  const region = await page.evaluate(() => {
    document.querySelector('.comparison table').style.minWidth = '3000px';
    const r = document.querySelector('.comparison .table-scroll');
    return { scrollWidth: r.scrollWidth, clientWidth: r.clientWidth, overflowX: getComputedStyle(r).overflowX };
  });
  assertNoSidewaysScroll(assert, await sidewaysOverflow(page), `${ARTICLE} at 1280 px with a 3000 px table`);
  assert.match(region.overflowX, /^(auto|scroll)$/);
  assert.ok(region.scrollWidth > region.clientWidth, 'the region scrolls');
  await page.close();
});

for (const width of [320, 1280]) {
  test(`in print (from a ${width} px screen) it is a plain table that keeps rows whole`, async () => {
    const page = await openPage(browser, width);
    await visit(page, ARTICLE);
    await page.emulateMedia({ media: 'print' });
    const print = await page.evaluate(() => {
      const region = document.querySelector('.comparison .table-scroll');
      const table = region.querySelector('table');
      const style = (el, pseudo) => getComputedStyle(el, pseudo);
      return {
        table: style(table).display,
        thead: style(table.querySelector('thead')).display,
        theadHeight: table.querySelector('thead').getBoundingClientRect().height,
        caption: style(table.querySelector('caption')).display,
        regionOverflow: style(region).overflowX,
        rows: [...table.querySelectorAll('tr')].map((tr) => ({
          display: style(tr).display,
          breakInside: style(tr).breakInside,
        })),
        cells: [...table.querySelectorAll('tbody td')].map((td) => ({
          display: style(td).display,
          before: style(td, '::before').content,
          borderStyle: style(td).borderTopStyle,
        })),
      };
    });
    assert.equal(print.table, 'table');
    assert.equal(print.thead, 'table-header-group', 'thead is shown in print');
    assert.ok(print.theadHeight > 1, 'thead is visible in print');
    assert.equal(print.caption, 'table-caption');
    assert.equal(print.regionOverflow, 'visible', 'the scroll region does not clip in print');
    for (const [i, row] of print.rows.entries()) {
      assert.equal(row.display, 'table-row', `row ${i}`);
      assert.equal(row.breakInside, 'avoid', `row ${i} has break-inside: avoid`);
    }
    for (const [i, cell] of print.cells.entries()) {
      assert.equal(cell.display, 'table-cell', `cell ${i}`);
      assert.ok(cell.before === 'none' || cell.before === 'normal', `cell ${i}: no card label in print (${cell.before})`);
      assert.equal(cell.borderStyle, 'solid', `cell ${i} is bordered`);
    }
    await page.close();
  });
}
