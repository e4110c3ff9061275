// The reference book fits a reader's window: every page of a built book (its
// operation pages above all), opened in headless Chromium at 1280x800
// (mdBook's default theme, the sidebar shown), has no table wider than its
// container and nothing that scrolls sideways. Also takes a screenshot of one
// page, to look at.
//
// usage: node check.mjs BOOK_DIR SCREENSHOT.png [PAGE]
//   BOOK_DIR    the output of `mdbook build` (opened from disk)
//   PAGE        the page to screenshot, relative to BOOK_DIR
//               (default: the seed operation's page)
//
// The browser is the system's (/usr/bin/chromium, or $CHROMIUM): nothing is
// downloaded. It runs offline; the flags keep it from reaching for a network.

import { chromium } from 'playwright-core';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bookArg, shotArg, pageArg] = process.argv.slice(2);
if (!bookArg || !shotArg) {
  console.error('usage: node check.mjs BOOK_DIR SCREENSHOT.png [PAGE]');
  process.exit(2);
}
const book = resolve(bookArg);
const shot = resolve(shotArg);
const seed = pageArg ?? 'apis/pims.authentication.smscode/phoneNumberCertification.html';
const viewport = { width: 1280, height: 800 };

/** Every `.html` file under `dir`, sorted. */
function pages(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...pages(path));
    else if (name.endsWith('.html')) out.push(path);
  }
  return out;
}

// every page but the all-in-one print page and the sidebar's frame
const checked = pages(book).filter((p) => !['print.html', 'toc.html'].includes(relative(book, p)));
const operations = checked.filter((p) => relative(book, p).startsWith('apis/'));
if (operations.length === 0) {
  console.error(`no operation pages under ${join(book, 'apis')}`);
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), 'book-layout-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

/** What overflows on the open page, in words (empty when it fits). */
function overflows() {
  const problems = [];
  const main = document.querySelector('main');
  if (!main) return ['no <main> element: not an mdBook page?'];
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px in a ${root.clientWidth}px window`);
  }
  const section = (el) => {
    for (let e = el; e && e !== main; e = e.parentElement) {
      for (let p = e.previousElementSibling; p; p = p.previousElementSibling) {
        if (/^H[1-6]$/.test(p.tagName)) return `"${p.textContent.trim()}"`;
      }
    }
    return 'the top';
  };
  const width = main.clientWidth;
  main.querySelectorAll('table').forEach((table) => {
    const box = table.closest('.table-wrapper') ?? main;
    if (box.scrollWidth > box.clientWidth || table.offsetWidth > width) {
      problems.push(
        `the table under ${section(table)} is ${Math.max(box.scrollWidth, table.offsetWidth)}px wide in ${box.clientWidth}px`,
      );
    }
  });
  // what mdBook's theme lets scroll: code blocks, and anything else set so
  main.querySelectorAll('pre, pre > code, div:not(.table-wrapper)').forEach((el) => {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth) {
      problems.push(`a <${el.tagName.toLowerCase()}> under ${section(el)} scrolls sideways: ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
  });
  return problems;
}

let failures = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  // a few tabs at once (pages are independent); the sidebar is shown at
  // this width, which is the reader's layout
  const queue = [...checked];
  const reports = new Map();
  const worker = async (tab) => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      reports.set(file, await tab.evaluate(overflows));
    }
  };
  const tabs = [page, await context.newPage(), await context.newPage()];
  await Promise.all(tabs.map(worker));
  for (const file of checked) {
    for (const p of reports.get(file)) {
      console.error(`${relative(book, file)}: ${p}`);
      failures += 1;
    }
  }
  await page.goto(pathToFileURL(join(book, seed)).href, { waitUntil: 'load' });
  const sidebar = await page.evaluate(() => {
    const s = document.querySelector('#mdbook-sidebar, .sidebar, nav#sidebar');
    return s ? s.getBoundingClientRect().width : 0;
  });
  if (sidebar === 0) {
    console.error(`${seed}: the sidebar is not shown at ${viewport.width}px`);
    failures += 1;
  }
  await page.screenshot({ path: shot, fullPage: true });
  console.log(
    `${checked.length} pages (${operations.length} of operations) at ${viewport.width}x${viewport.height}: ` +
      `${failures === 0 ? 'every table fits, nothing scrolls sideways' : `${failures} problems`}; ` +
      `screenshot of ${seed} in ${relative(process.cwd(), shot)}`,
  );
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
