// easyread.mjs — the easy-read layout, measured in the browser, on a site built by Skaidra.
//
// Easy-read pages set pictures in a column of their own at the start of the line and every line
// of text in one column beside them, never under a picture. On every easy-read page of the site
// (pages with `article.easy-read`), in headless Chromium, at 320 and 1280 px, left-to-right and
// right-to-left (the page's `dir` switched to rtl), at normal text size and at 200 % text size
// (the browser's default font size doubled, as a reader who enlarges text has it), and printed
// (print.css, the width of an A4 page), it measures:
//   * every pictogram block (.easy-pic): each line of its text (Range.getClientRects() over the
//     text nodes) starts after the picture's end edge (right edge; left edge in rtl);
//   * the pictures form one column: they share their start edge;
//   * the text column: no line of the body's text (headings aside) starts under a picture, i.e.
//     before the column's end; paragraphs without a picture start where the blocks' text starts;
//   * no picture overlaps another picture or a line of text, nothing of the main content sticks
//     out of the page (the header and footer are a11y.mjs's reflow check, at normal text size);
//   * every pictogram of the body is a block's picture (or sits inside a link).
// It writes screenshots of the pages given with --screens to the artifacts folder
// (<page>-320.png, <page>-1280.png, <page>-320-rtl.png, <page>-320-zoom200.png,
// <page>-1280-zoom200.png) and the pages as the browser prints them (<page>-print.pdf, A4).
//
// Usage:
//   node easyread.mjs --dir BUILT_SITE --prefix /socialines-paslaugos/ --artifacts DIR \
//     [--screens "paslaugos/pagalba-i-namus/lengvai/,chartija/lengvai/"]
// Prints one line per page and variant and ends with "easy-read layout: N passed, M failed".
// Exit code 0 = all passed, 1 = some check failed, 2 = could not run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { createStaticServer, findHtmlFiles, listen, normalizePrefix, pagePathOf, screenshotName } from './a11y.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WIDTHS = [320, 1280];
// Printed: A4 less the print style sheet's 15 mm margins, at 96 px to the inch.
const PRINT_WIDTH = 680;
const HEIGHT = 800;
const TIMEOUT_MS = 30_000;
const MAX_PROBLEMS_SHOWN = 6;

class UsageError extends Error {}

let passed = 0;
let failed = 0;

function check(name, ok, details = []) {
  if (ok) passed++; else failed++;
  const lines = [`${ok ? 'ok  ' : 'FAIL'} ${name}`];
  if (!ok) {
    for (const d of details.slice(0, MAX_PROBLEMS_SHOWN)) lines.push(`       ${d}`);
    if (details.length > MAX_PROBLEMS_SHOWN) lines.push(`       … and ${details.length - MAX_PROBLEMS_SHOWN} more`);
  }
  console.log(lines.join('\n'));
  return ok;
}

function parseCli(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' },
        prefix: { type: 'string', default: '/' },
        artifacts: { type: 'string' },
        screens: { type: 'string', default: '' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (!values.dir || !fs.existsSync(values.dir)) throw new UsageError('--dir BUILT_SITE is required and must exist');
  if (!values.artifacts) throw new UsageError('--artifacts DIR is required');
  return {
    dir: path.resolve(values.dir),
    prefix: normalizePrefix(values.prefix),
    artifacts: path.resolve(values.artifacts),
    screens: values.screens.split(',').map((s) => s.trim()).filter(Boolean),
  };
}

/**
 * Runs in the page: measures the easy-read layout and returns what breaks it. Works in either
 * direction, read from the article's computed `direction`.
 */
function measureInPage() {
  const article = document.querySelector('article.easy-read');
  if (!article) return { none: true };
  const rtl = getComputedStyle(article).direction === 'rtl';
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const px = (x) => Math.round(x * 10) / 10;
  const short = (s) => { const t = s.replace(/\s+/g, ' ').trim(); return t.length > 50 ? `${t.slice(0, 49)}…` : t; };
  // Start and end edges in the reading direction: in rtl the start is the right edge.
  const start = (r) => (rtl ? -r.right : r.left);
  const end = (r) => (rtl ? -r.left : r.right);
  const x = (v) => px(Math.abs(v));

  /** The lines of text under `root`: one rect per line fragment of every visible text node. */
  const lines = (root, skip = () => false) => {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.data.trim()) continue;
      const el = n.parentElement;
      if (el.closest('.visually-hidden') || skip(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width < 0.5 || r.height < 0.5) continue;
        out.push({ r, text: n.data, el });
      }
    }
    return out;
  };
  const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

  const blocks = [...article.querySelectorAll('.easy-pic')];
  const pictures = [];
  let lineCount = 0;
  for (const block of blocks) {
    const img = block.querySelector(':scope > img.pictogram');
    if (!img) {
      problems.push(`a pictogram block without its picture: ${short(block.textContent)}`);
      continue;
    }
    const p = img.getBoundingClientRect();
    pictures.push({ r: p, name: img.getAttribute('alt') || img.getAttribute('src') });
    if (p.width < 1 || p.height < 1) problems.push(`the picture "${img.alt}" is not shown`);
    for (const { r, text } of lines(block)) {
      lineCount++;
      if (start(r) < end(p) - 0.5) {
        problems.push(`"${short(text)}": a line starts at x=${x(start(r))}, inside or under the picture "${img.alt}" (it ends at x=${x(end(p))})`);
      }
    }
  }
  // The pictures form one column: the same start edge.
  if (pictures.length) {
    const first = pictures[0];
    for (const q of pictures) {
      if (Math.abs(start(q.r) - start(first.r)) > 1) {
        problems.push(`the picture "${q.name}" starts at x=${x(start(q.r))}, not in the picture column (x=${x(start(first.r))})`);
      }
    }
  }
  // The text column starts after the pictures' end; the body's text never starts before it.
  const columnEnd = pictures.length ? Math.max(...pictures.map((q) => end(q.r))) : null;
  const body = article.querySelector('.easy-body');
  const heading = (el) => el.closest('h1, h2, h3, h4, h5, h6') !== null;
  const bodyLines = body ? lines(body, heading) : [];
  if (columnEnd !== null) {
    for (const { r, text } of bodyLines) {
      if (start(r) < columnEnd - 0.5) {
        problems.push(`"${short(text)}": a line starts at x=${x(start(r))}, under the picture column (it ends at x=${x(columnEnd)})`);
      }
    }
  }
  // Text without a picture aligns with the blocks' text: the first line of each paragraph (not
  // in a list) starts where the text of the blocks at the same level starts.
  if (body) {
    const blockText = [...body.querySelectorAll(':scope > p > .easy-pic > .easy-text')];
    const textStart = blockText.length ? Math.min(...blockText.flatMap((t) => lines(t).map((l) => start(l.r)))) : null;
    if (textStart !== null && Number.isFinite(textStart)) {
      for (const para of body.querySelectorAll(':scope > p')) {
        const ls = lines(para);
        if (!ls.length) continue;
        const s = Math.min(...ls.map((l) => start(l.r)));
        if (Math.abs(s - textStart) > 1) {
          problems.push(`"${short(para.textContent)}": the paragraph starts at x=${x(s)}, not at the text column (x=${x(textStart)})`);
        }
      }
    }
  }
  // Pictures overlap neither each other nor any text; nothing sticks out of the page.
  for (let i = 0; i < pictures.length; i++) {
    for (let j = i + 1; j < pictures.length; j++) {
      if (overlap(pictures[i].r, pictures[j].r)) problems.push(`the pictures "${pictures[i].name}" and "${pictures[j].name}" overlap`);
    }
  }
  const articleLines = lines(article);
  for (const { r, text } of articleLines) {
    for (const q of pictures) {
      if (overlap(r, q.r)) problems.push(`"${short(text)}": a line overlaps the picture "${q.name}"`);
    }
    if (r.right > vw + 0.5 || r.left < -0.5) problems.push(`"${short(text)}": a line sticks out of the page (x ${px(r.left)}..${px(r.right)}, page ${vw} px)`);
  }
  for (const q of pictures) {
    if (q.r.right > vw + 0.5 || q.r.left < -0.5) problems.push(`the picture "${q.name}" sticks out of the page`);
  }
  // Nothing of the main content is wider than the page (the page would scroll sideways).
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if ((r.width > 0 || r.height > 0) && (r.right > vw + 0.5 || r.left < -0.5)) {
      problems.push(`<${el.tagName.toLowerCase()} class="${el.className}"> sticks out of the page (x ${px(r.left)}..${px(r.right)}, page ${vw} px): ${short(el.textContent)}`);
    }
  }
  // Every pictogram of the body is a block's picture, or sits inside a link.
  if (body) {
    for (const img of body.querySelectorAll('img.pictogram')) {
      if (!img.parentElement.classList.contains('easy-pic') && !img.closest('a')) {
        problems.push(`the pictogram "${img.alt}" sits inside a line of text, not in the picture column: ${short(img.parentElement.textContent)}`);
      }
    }
  }
  return {
    none: false,
    rtl,
    blocks: blocks.length,
    lines: lineCount + bodyLines.length,
    rootFont: getComputedStyle(document.documentElement).fontSize,
    problems,
  };
}

/** Opens a page; the no-motion style keeps measurements independent of timing. */
async function open(context, url) {
  const page = await context.newPage();
  const res = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
  if (!res || res.status() !== 200) throw new Error(`HTTP ${res ? res.status() : 'no response'} for ${url}`);
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.evaluate(() => document.fonts.ready);
  return page;
}

/** Sets the width, the direction and the media (screen or print) of an open page and waits for the layout. */
async function arrange(page, width, rtl, print = false) {
  await page.emulateMedia({ media: print ? 'print' : 'screen' });
  await page.setViewportSize({ width, height: HEIGHT });
  await page.evaluate((dir) => { document.documentElement.dir = dir; }, rtl ? 'rtl' : 'ltr');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** A Chromium profile; `fontSize` is the default font size (16 normally, 32 for 200 % text). */
async function launch(chromium, fontSize) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'skaidra-easyread-'));
  process.on('exit', () => fs.rmSync(profile, { recursive: true, force: true }));
  fs.mkdirSync(path.join(profile, 'Default'), { recursive: true });
  fs.writeFileSync(path.join(profile, 'Default', 'Preferences'),
    JSON.stringify({ webkit: { webprefs: { default_font_size: fontSize } } }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: HEIGHT },
    bypassCSP: true, // the no-motion style is injected inline
  });
  for (const p of context.pages()) await p.close();
  return context;
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  if (!fs.existsSync(CHROMIUM)) throw new UsageError(`Chromium not found at ${CHROMIUM}`);
  // Easy-read pages: the HTML files with the easy-read article.
  const pages = findHtmlFiles(opts.dir)
    .filter((f) => /<article class="?easy-read"?[\s>]/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => pagePathOf(opts.dir, f));
  if (pages.length === 0) throw new UsageError(`no easy-read pages under ${opts.dir}`);
  for (const s of opts.screens) {
    if (!pages.includes(s)) throw new UsageError(`--screens: ${s} is not an easy-read page of the site`);
  }
  fs.mkdirSync(opts.artifacts, { recursive: true });

  const server = createStaticServer(opts.dir, opts.prefix);
  const origin = await listen(server);
  const url = (p) => origin + (opts.prefix + p).split('/').map(encodeURIComponent).join('/');
  console.log(`easy-read layout: ${pages.length} easy-read pages in ${opts.dir}`);

  const { chromium } = await import('playwright-core');
  let blocks = 0;
  let lines = 0;
  const variants = [
    { fontSize: 16, label: '', dirs: [false, true] },
    { fontSize: 32, label: ', 200 % text', dirs: [false, true] },
  ];
  try {
    for (const v of variants) {
      const context = await launch(chromium, v.fontSize);
      try {
        for (const p of pages) {
          let page;
          try {
            page = await open(context, url(p));
          } catch (e) {
            check(`easy-read layout /${p}${v.label}`, false, [`error: ${String(e.message || e).split('\n')[0]}`]);
            continue;
          }
          // Printed pages at normal text size.
          const media = v.fontSize === 16 ? [...WIDTHS.map((w) => [w, false]), [PRINT_WIDTH, true]] : WIDTHS.map((w) => [w, false]);
          for (const [width, print] of media) {
            for (const rtl of v.dirs) {
              const name = `easy-read layout /${p} (${print ? 'printed, ' : ''}${width} px${v.label}${rtl ? ', rtl' : ''})`;
              try {
                await arrange(page, width, rtl, print);
                const m = await page.evaluate(measureInPage);
                const problems = [...m.problems];
                if (m.none) problems.push('no easy-read article');
                if (m.rtl !== rtl) problems.push(`the page is ${m.rtl ? 'rtl' : 'ltr'}, expected ${rtl ? 'rtl' : 'ltr'}`);
                if (m.rootFont !== `${v.fontSize}px`) problems.push(`the text size is ${m.rootFont}, expected ${v.fontSize}px`);
                blocks += m.blocks || 0;
                lines += m.lines || 0;
                check(`${name}: ${m.blocks} pictogram blocks, ${m.lines} lines`, problems.length === 0, problems);
              } catch (e) {
                check(name, false, [`error: ${String(e.message || e).split('\n')[0]}`]);
              }
            }
          }
          await page.close().catch(() => {});
        }
        // Screenshots for people to look at.
        for (const p of opts.screens) {
          const shots = v.fontSize === 16
            ? [[320, false, '320'], [1280, false, '1280'], [320, true, '320-rtl']]
            : [[320, false, '320-zoom200'], [1280, false, '1280-zoom200']];
          for (const [width, rtl, tag] of shots) {
            const page = await open(context, url(p));
            await arrange(page, width, rtl);
            await page.screenshot({ path: path.join(opts.artifacts, `${screenshotName(p)}-${tag}.png`), fullPage: true });
            await page.close();
          }
          if (v.fontSize === 16) {
            // The page as the browser prints it (print.css), on A4.
            const page = await open(context, url(p));
            await arrange(page, PRINT_WIDTH, false, true);
            await page.pdf({ path: path.join(opts.artifacts, `${screenshotName(p)}-print.pdf`), format: 'A4' });
            await page.close();
          }
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    server.close();
  }
  // A suite that measured nothing proves nothing.
  check(`the pages have pictogram blocks to measure (${blocks} blocks, ${lines} lines measured)`, blocks > 0 && lines > 0,
    ['no pictogram block found on any easy-read page']);
  console.log(`screenshots: ${opts.artifacts}`);
  console.log(`easy-read layout: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(`easy-read layout: ${e instanceof UsageError ? '' : 'internal error: '}${e.stack || e}`);
  process.exitCode = 2;
});
