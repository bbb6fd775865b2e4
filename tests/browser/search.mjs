// search.mjs — browser tests of the site search box (themes/default/static/search.js and the
// search/<lang>.json index) on a site built by Skaidra from the example content.
//
// Serves the built site under its URL prefix on 127.0.0.1 (the static server of a11y.mjs) and,
// in headless Chromium, checks:
//   * without JS the box is hidden (static HTML); with JS it is visible and labelled
//     (<label for>), and search/<lang>.json is NOT requested before the box is used, then
//     requested once;
//   * Lithuanian queries on the lt home page (no diacritics, another inflected form, one wrong
//     letter, an unrelated word) and English queries on /en/;
//   * the role=status element announces the number of results;
//   * keyboard only: Tab to the box, type, Enter moves focus to the first result, Enter opens it;
//   * axe-core (WCAG 2.0/2.1/2.2 A+AA) with results shown: zero violations;
//   * 320 px wide with results shown: no horizontal scrolling.
//
// With --expect, the site is one made by gen_search_site.py (its expect.json), whose index is
// split into many files; for each query there (a word every service has, its first three
// letters, a rare word, a word with diacritics typed without them, a word with a typo) it checks
// the results and the count announced, and that the query loaded the entry once and only a
// small part of the index's files and bytes.
//
// Usage:
//   node search.mjs --dir BUILT_SITE --prefix /socialines-paslaugos/
//   node search.mjs --dir GENERATED/public --prefix / --expect GENERATED/expect.json
// Prints one line per check (failures with details, e.g. the result list of a failed query)
// and ends with "search: N passed, M failed". Exit code 0 = all passed, 1 = some check failed,
// 2 = could not run (usage error, Chromium missing).

import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { createStaticServer, listen, normalizePrefix } from './a11y.mjs';

const require = createRequire(import.meta.url);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 320, height: 800 };
const TIMEOUT_MS = 15_000;

// Pages of the example site (relative to the prefix) and the services queries must find.
const HOME = { lt: '', en: 'en/' };
const SERVICE = {
  homeHelpLt: { title: 'Pagalba į namus', path: 'paslaugos/pagalba-i-namus/' },
  shelterLt: { title: 'Nakvynės namai', path: 'paslaugos/nakvynes-namai/' },
  homeHelpEn: { title: 'Help at home', path: 'en/services/home-help/' },
  shelterEn: { title: 'Night shelter', path: 'en/services/night-shelter/' },
};

class UsageError extends Error {}

let passed = 0;
let failed = 0;

/** Records one check; details are printed under a failure (and under an ok when `always`). */
function check(name, ok, details = [], always = false) {
  if (ok) passed++; else failed++;
  const lines = [`${ok ? 'ok  ' : 'FAIL'} ${name}`];
  if (!ok || always) for (const d of [].concat(details)) if (d) lines.push(`       ${d}`);
  console.log(lines.join('\n'));
  return ok;
}

function info(msg) {
  console.log(`info ${msg}`);
}

function parseCli(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' }, prefix: { type: 'string', default: '/' }, expect: { type: 'string' },
        find: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) {
    console.log('usage: node search.mjs --dir BUILT_SITE --prefix /socialines-paslaugos/ [--expect expect.json]\n' +
      '       node search.mjs --dir BUILT_SITE --prefix / --find "HOME|QUERY|PATH|TITLE" [--find ...]');
    process.exit(0);
  }
  if (!values.dir) throw new UsageError('--dir is required');
  const dir = path.resolve(values.dir);
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new UsageError(`--dir ${dir} has no index.html`);
  let expect = null;
  if (values.expect) {
    try {
      expect = JSON.parse(fs.readFileSync(values.expect, 'utf8'));
    } catch (e) {
      throw new UsageError(`--expect ${values.expect}: ${e.message}`);
    }
  }
  // --find "uk/|допомога|uk/posluhy/dopomoha-vdoma/|Допомога вдома": on the home page HOME (a
  // path under the prefix), QUERY finds the page PATH titled TITLE among the first three.
  const finds = (values.find || []).map((f) => {
    const parts = f.split('|');
    if (parts.length !== 4) throw new UsageError(`--find ${f}: write HOME|QUERY|PATH|TITLE`);
    return { home: parts[0], q: parts[1], find: { path: parts[2], title: parts[3] }, within: 3 };
  });
  return { dir, prefix: normalizePrefix(values.prefix), expect, finds };
}

/** GET over plain HTTP; resolves the body text. */
function httpGet(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------

/** Opens a page and records every request it makes and every uncaught script error. */
async function open(context, url, viewport = DESKTOP) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e.message || e)));
  page.setDefaultTimeout(TIMEOUT_MS);
  const resp = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
  return { page, requests, errors, status: resp ? resp.status() : 0 };
}

/** The box's messages (data-* attributes) and state. */
async function boxState(page) {
  return page.evaluate(() => {
    const box = document.querySelector('.site-search');
    const status = document.querySelector('#site-search-status');
    const items = [...document.querySelectorAll('#site-search-results li')].map((li) => {
      const a = li.querySelector('a');
      return { title: a ? a.textContent.trim() : '', href: a ? a.getAttribute('href') : null, text: li.textContent.trim() };
    });
    return {
      status: status ? status.textContent.trim() : null,
      items,
      messages: box ? { ...box.dataset } : {},
    };
  });
}

/** Waits until the status shows a final message (not empty, not "loading") that is stable. */
async function waitSettled(page, timeout = TIMEOUT_MS) {
  const start = Date.now();
  let last = null;
  let stableSince = 0;
  while (Date.now() - start < timeout) {
    const s = await boxState(page);
    const key = JSON.stringify([s.status, s.items]);
    const final = s.status && s.status !== s.messages.loading;
    if (final && key === last) {
      if (Date.now() - stableSince >= 500) return s;
    } else {
      last = key;
      stableSince = Date.now();
    }
    await sleep(100);
  }
  return boxState(page);
}

/** Clears the box with the keyboard and waits until the results are gone. */
async function clearBox(page) {
  const input = page.locator('#site-search-input');
  await input.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelectorAll('#site-search-results li').length === 0
    && document.querySelector('#site-search-status').textContent.trim() === '', null, { timeout: TIMEOUT_MS });
}

/** Types a query into the focused-by-keyboard box and returns the settled state. */
async function query(page, q) {
  await clearBox(page);
  await page.keyboard.type(q, { delay: 30 });
  return waitSettled(page);
}

function describeResults(s) {
  const lines = [`status: "${s.status}"`];
  if (!s.items.length) lines.push('results: (none)');
  s.items.forEach((it, i) => lines.push(`${String(i + 1).padStart(2)}. ${it.title}  <${it.href}>`));
  return lines;
}

/** Expected status text for n results, from the box's own messages. */
function statusFor(messages, n) {
  if (n === 0) return messages.none;
  if (n === 1) return messages.one;
  return String(messages.many || '').replace('{count}', String(n));
}

/** Describes the focused element. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { desc: 'body (nothing focused)', isFirstResult: false };
    const first = document.querySelector('#site-search-results a');
    let desc = el.tagName.toLowerCase();
    if (el.id) desc += `#${el.id}`;
    if (el.getAttribute('href')) desc += `[href="${el.getAttribute('href')}"]`;
    desc += ` "${(el.textContent || el.value || '').trim().slice(0, 60)}"`;
    return { desc, isFirstResult: !!first && el === first, href: el.getAttribute('href') };
  });
}

/** Runs axe-core on the page; resolves the violations. */
async function runAxe(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}  ${n.html.slice(0, 120)}  ${(n.failureSummary || '').split('\n').slice(1, 2).join('').trim()}`),
    }));
  }, AXE_TAGS);
}

function describeViolations(vs) {
  const lines = [];
  for (const v of vs) {
    lines.push(`${v.id} [${v.impact}] ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})`);
    for (const n of v.nodes.slice(0, 5)) lines.push(`    at ${n}`);
  }
  return lines;
}

async function measureReflow(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    const out = { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, widest: null };
    if (out.scrollWidth > out.clientWidth) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > out.clientWidth + 0.5 && (!out.widest || r.width > out.widest.width)) {
          out.widest = { el: el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join(''),
            width: Math.round(r.width), right: Math.round(r.right), html: el.outerHTML.slice(0, 160) };
        }
      }
    }
    return out;
  });
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

async function checkStaticHtml(site) {
  for (const [lang, p] of Object.entries(HOME)) {
    const { status, body } = await httpGet(site.url(p));
    const m = body.match(/<div\b[^>]*class=("[^"]*site-search[^"]*"|site-search\b)[^>]*>/);
    check(`[${lang}] without JS the search box is hidden (static HTML has the hidden attribute)`,
      status === 200 && !!m && /\shidden(\s|>|=|$)/.test(m[0]), [`HTTP ${status}`, m ? m[0].slice(0, 200) : 'no .site-search element']);
  }
}

async function checkBoxAndLazyIndex(context, site) {
  for (const [lang, p] of Object.entries(HOME)) {
    const { page, requests, errors, status } = await open(context, site.url(p));
    try {
      await page.waitForLoadState('networkidle').catch(() => {});
      await sleep(800); // room for any idle-time prefetch, which must not happen
      const st = await page.evaluate(() => {
        const box = document.querySelector('.site-search');
        const input = document.querySelector('.site-search input');
        const label = input && input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
        const statusEl = document.querySelector('#site-search-status');
        const rect = (el) => { if (!el) return null; const r = el.getBoundingClientRect(); return { w: r.width, h: r.height }; };
        return {
          box: !!box, hidden: box ? box.hidden : null, index: box ? box.dataset.index : null,
          input: input ? { id: input.id, type: input.type, rect: rect(input), visible: input.checkVisibility() } : null,
          label: label ? { text: label.textContent.trim(), visible: label.checkVisibility(), rect: rect(label) } : null,
          status: statusEl ? { role: statusEl.getAttribute('role'), live: statusEl.getAttribute('aria-live') } : null,
          results: !!document.querySelector('#site-search-results'),
        };
      });
      check(`[${lang}] page loads (HTTP 200)`, status === 200, [`HTTP ${status}`]);
      check(`[${lang}] with JS the search box is shown`, st.box && st.hidden === false && !!st.input?.visible
        && st.input.rect.w > 0 && st.input.rect.h > 0, [JSON.stringify(st)]);
      check(`[${lang}] the search input has a visible <label for="${st.input?.id}">`,
        !!st.label && st.label.text.length > 0 && st.label.visible, [JSON.stringify(st.label)]);
      const accName = st.input ? await page.locator('#site-search-input').evaluate((el) => el.labels?.[0]?.textContent.trim() || '') : '';
      check(`[${lang}] the input's accessible label is "${accName}"`, accName.length > 0 && accName === st.label?.text);
      check(`[${lang}] there is a role=status element and a results list`, st.status?.role === 'status' && st.results, [JSON.stringify(st.status)]);

      const indexUrl = st.index ? new URL(st.index, site.url(p)).href : null;
      const isIndex = (u) => /\/search\/[^/]+\.json(\?|$)/.test(u);
      const early = requests.filter(isIndex);
      check(`[${lang}] the index is not requested before the box is used`, early.length === 0,
        [`requested: ${early.join(', ')}`]);

      // Use the box: the index is requested (once, at data-index), and works.
      await page.locator('#site-search-input').focus();
      const s1 = await query(page, lang === 'lt' ? 'pagalba' : 'help');
      const s2 = await query(page, lang === 'lt' ? 'globa' : 'shelter');
      const used = requests.filter(isIndex);
      check(`[${lang}] using the box requests the index once (${st.index})`,
        used.length === 1 && used[0] === indexUrl && s1.items.length > 0 && s2.items.length > 0,
        [`index requests: ${used.join(', ') || '(none)'}`, `expected ${indexUrl}`, ...describeResults(s1)]);
      check(`[${lang}] no script errors`, errors.length === 0, errors);
    } finally {
      await page.close();
    }
  }
}

/**
 * Runs queries on one home page. Each expectation: { q, find: SERVICE.x, within: N } or
 * { q, none: true }.
 */
async function checkQueries(context, site, lang, cases) {
  const { page } = await open(context, site.url(lang in HOME ? HOME[lang] : lang));
  try {
    await page.locator('#site-search-input').focus();
    for (const c of cases) {
      const s = await query(page, c.q);
      const wantHref = c.find ? site.href(c.find.path) : null;
      const rank = c.find ? s.items.findIndex((it) => it.href === wantHref) + 1 : 0;
      if (c.none) {
        check(`[${lang}] "${c.q}" finds nothing and says so ("${s.messages.none}")`,
          s.items.length === 0 && s.status === s.messages.none, describeResults(s));
        continue;
      }
      const within = c.within ?? s.items.length;
      const where = c.within ? `among the first ${c.within}` : 'among the results';
      const titleOk = rank > 0 && s.items[rank - 1].title === c.find.title;
      check(`[${lang}] "${c.q}" finds "${c.find.title}" ${where}${rank ? ` (#${rank} of ${s.items.length} shown)` : ''}`,
        rank > 0 && rank <= within && titleOk, describeResults(s));
      // The status announces the number of results.
      if (c.statusCheck) {
        const n = s.items.length;
        const countInStatus = Number((s.status.match(/\d+/) || [])[0]);
        const ok = n < 10 ? s.status === statusFor(s.messages, n) : s.status === statusFor(s.messages, countInStatus) && countInStatus >= n;
        check(`[${lang}] the role=status element announces the count for "${c.q}": "${s.status}"`, ok,
          [`expected "${statusFor(s.messages, n)}"`, ...describeResults(s)]);
      }
    }
  } finally {
    await page.close();
  }
}

async function infoQuery(context, site, lang, q) {
  const { page } = await open(context, site.url(lang in HOME ? HOME[lang] : lang));
  try {
    await page.locator('#site-search-input').focus();
    const s = await query(page, q);
    info(`[${lang}] "${q}" → ${describeResults(s).join(' | ')}`);
  } finally {
    await page.close();
  }
}

async function checkStatusChanges(context, site) {
  const { page } = await open(context, site.url(HOME.lt));
  try {
    const before = await boxState(page);
    await page.locator('#site-search-input').focus();
    await page.keyboard.type('pagalba i namus', { delay: 30 });
    const after = await waitSettled(page);
    const n = after.items.length;
    check(`[lt] the status text changes from "${before.status}" to the count ("${after.status}")`,
      before.status === '' && n > 0 && after.status === statusFor(after.messages, n), describeResults(after));
  } finally {
    await page.close();
  }
}

/** Tabs from the top of the page to the search input; resolves the number of Tab presses or 0. */
async function tabToInput(page) {
  for (let i = 1; i <= 40; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement && document.activeElement.id);
    if (id === 'site-search-input') return i;
  }
  return 0;
}

async function checkKeyboard(context, site, lang, q, target, waitFirst) {
  const how = waitFirst ? 'after the results appear' : 'right after typing';
  const { page, errors } = await open(context, site.url(HOME[lang]));
  try {
    const tabs = await tabToInput(page);
    if (!check(`[${lang}] keyboard: Tab reaches the search box (${tabs} Tab presses)`, tabs > 0)) return;
    await page.keyboard.type(q, { delay: 40 });
    if (waitFirst) await waitSettled(page);
    await page.keyboard.press('Enter');
    await sleep(700);
    const s = await waitSettled(page);
    const f = await focused(page);
    check(`[${lang}] keyboard: "${q}" + Enter ${how} moves focus to the first result link`, f.isFirstResult,
      [`focus is on: ${f.desc}`, ...describeResults(s)]);

    const firstHref = s.items[0]?.href;
    const wantHref = site.href(target.path);
    const before = page.url();
    let navigated = false;
    try {
      await Promise.all([
        page.waitForURL((u) => u.href !== before, { timeout: 3000 }),
        page.keyboard.press('Enter'),
      ]);
      navigated = true;
    } catch { /* stayed */ }
    const now = new URL(page.url()).pathname;
    check(`[${lang}] keyboard: Enter on the focused result opens ${wantHref}`,
      navigated && decodeURI(now) === wantHref && firstHref === wantHref,
      [`after Enter the page is ${now}${navigated ? '' : ' (no navigation)'}`, `focus was on: ${f.desc}`, `first result: ${firstHref}`]);
    if (errors.length) check(`[${lang}] keyboard: no script errors`, false, errors);
  } finally {
    await page.close();
  }
}

async function checkAxeAndReflow(context, site, lang, q) {
  {
    const { page } = await open(context, site.url(HOME[lang]), DESKTOP);
    try {
      await page.locator('#site-search-input').focus();
      const s = await query(page, q);
      const vs = await runAxe(page);
      check(`[${lang}] axe (${AXE_TAGS.join(', ')}) with ${s.items.length} results for "${q}" shown: no violations`,
        s.items.length > 0 && vs.length === 0, s.items.length ? describeViolations(vs) : describeResults(s));
    } finally {
      await page.close();
    }
  }
  {
    const { page } = await open(context, site.url(HOME[lang]), MOBILE);
    try {
      await page.locator('#site-search-input').focus();
      const s = await query(page, q);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const m = await measureReflow(page);
      const listVisible = await page.locator('#site-search-results').isVisible();
      check(`[${lang}] 320 px with ${s.items.length} results for "${q}" shown: no horizontal scrolling`,
        s.items.length > 0 && listVisible && m.scrollWidth <= m.clientWidth,
        [`scrollWidth ${m.scrollWidth}, clientWidth ${m.clientWidth}`, m.widest ? `widest: ${m.widest.el} ${m.widest.width}px (right ${m.widest.right}) ${m.widest.html}` : '']);
    } finally {
      await page.close();
    }
  }
}

/** Bytes of the files of the index of `lang`: the entry and everything in its folder. */
function indexFiles(dir, lang) {
  const files = new Map();
  const entry = path.join(dir, 'search', `${lang}.json`);
  files.set(`search/${lang}.json`, fs.statSync(entry).size);
  for (const f of fs.readdirSync(path.join(dir, 'search', lang))) {
    files.set(`search/${lang}/${f}`, fs.statSync(path.join(dir, 'search', lang, f)).size);
  }
  return files;
}

/**
 * On a site whose index is split into many files: each query finds what it must, announces the
 * count, and loads the entry once and only a small part of the index.
 */
async function checkSplitIndex(context, site, dir, expect) {
  const files = indexFiles(dir, 'lt');
  const total = [...files.values()].reduce((a, b) => a + b, 0);
  const entry = JSON.parse(fs.readFileSync(path.join(dir, 'search', 'lt.json'), 'utf8'));
  const wordChunks = entry.words.length;
  check(`the index is split: ${files.size} files, ${wordChunks} word chunks, ${entry.docs.length} document files, ${total} bytes`,
    wordChunks >= 8 && entry.docs.length >= 8 && !entry.all, [`entry: ${JSON.stringify(entry).slice(0, 200)}`]);
  const cases = [
    { name: 'a word every service has', ...expect.common },
    { name: 'its first three letters', ...expect.prefix },
    { name: 'a rare word', ...expect.rare, within: 1 },
    { name: 'diacritics typed without them', ...expect.folded, within: 1 },
    { name: 'a typo', ...expect.typo, within: 3 },
  ];
  for (const c of cases) {
    const { page, requests, errors } = await open(context, site.url(''));
    try {
      await page.locator('#site-search-input').focus();
      const s = await query(page, c.q);
      if (c.find) {
        const want = site.href(c.find.path);
        const rank = s.items.findIndex((it) => it.href === want) + 1;
        check(`[big] ${c.name}: "${c.q}" finds "${c.find.title}" among the first ${c.within}${rank ? ` (#${rank})` : ''}`,
          rank > 0 && rank <= c.within && s.items[rank - 1].title === c.find.title, describeResults(s));
      }
      if (c.count !== undefined) {
        check(`[big] ${c.name}: "${c.q}" announces ${c.count} results ("${s.status}") and shows 10`,
          s.status === statusFor(s.messages, c.count) && s.items.length === 10, describeResults(s));
      }
      const loaded = requests.map((u) => decodeURIComponent(new URL(u).pathname))
        .filter((p) => p.startsWith(`${site.prefix}search/`)).map((p) => p.slice(site.prefix.length));
      const distinct = new Set(loaded);
      const bytes = [...distinct].reduce((a, f) => a + (files.get(f) || 0), 0);
      const chunks = [...distinct].filter((f) => f.startsWith('search/lt/w-')).length;
      const docs = [...distinct].filter((f) => f.startsWith('search/lt/d-')).length;
      const unknown = [...distinct].filter((f) => !files.has(f));
      info(`[big] "${c.q}": ${distinct.size} files, ${bytes} bytes of ${total} (${(100 * bytes / total).toFixed(1)} %), ${chunks} of ${wordChunks} word chunks, ${docs} document files`);
      check(`[big] ${c.name}: "${c.q}" loads the entry once, each file once, and only part of the index`,
        loaded.filter((f) => f === 'search/lt.json').length === 1 && distinct.size === loaded.length && unknown.length === 0
          && bytes < total / 4 && chunks <= wordChunks / 2 && docs <= 10,
        [`loaded: ${loaded.join(', ')}`, `unknown: ${unknown.join(', ')}`]);
      check(`[big] ${c.name}: no script errors`, errors.length === 0, errors);
    } finally {
      await page.close();
    }
  }
}

// ---------------------------------------------------------------------------

/** Runs a group of checks; an exception fails the group instead of ending the run. */
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(`${name}: ran to the end`, false, [String(e.stack || e).split('\n').slice(0, 4).join(' / ')]);
  }
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  if (!fs.existsSync(CHROMIUM)) throw new UsageError(`Chromium not found at ${CHROMIUM}`);
  for (const s of opts.expect || opts.finds.length ? [] : Object.values(SERVICE)) {
    if (!fs.existsSync(path.join(opts.dir, s.path, 'index.html'))) throw new UsageError(`${opts.dir} is not the example site: no ${s.path}`);
  }
  const failedRequests = new Map();
  const server = createStaticServer(opts.dir, opts.prefix, (status, url) => {
    if (status >= 400 && !url.endsWith('/favicon.ico')) failedRequests.set(url, status);
  });
  const origin = await listen(server);
  const site = {
    origin,
    prefix: opts.prefix,
    href: (p) => opts.prefix + p,
    url: (p) => origin + encodeURI(opts.prefix + p),
  };
  console.log(`search: ${opts.dir} served at ${site.url('')}`);

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'skaidra-search-'));
  process.on('exit', () => fs.rmSync(profile, { recursive: true, force: true }));
  const { chromium } = await import('playwright-core');
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: DESKTOP, bypassCSP: true,
    });
  } catch (e) {
    server.close();
    throw new UsageError(`could not launch Chromium: ${e.message}`);
  }
  for (const p of context.pages()) await p.close();

  try {
    if (opts.expect) await step('split index', () => checkSplitIndex(context, site, opts.dir, opts.expect));
    else if (opts.finds.length) {
      for (const f of opts.finds) await step(`find on ${f.home || 'the home page'}`, () => checkQueries(context, site, f.home, [f]));
    } else await exampleSite(context, site);
  } finally {
    await context.close();
    server.close();
  }
  const unexpected = [...failedRequests].filter(([u]) => !u.endsWith('/favicon.ico'));
  check('no failed requests (wrong prefix or missing files)', unexpected.length === 0, unexpected.map(([u, s]) => `${s} ${u}`));
  console.log(`search: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

/** The checks on the example site. */
async function exampleSite(context, site) {
  await step('static HTML', () => checkStaticHtml(site));
  await step('box and lazy index', () => checkBoxAndLazyIndex(context, site));
  await step('lt queries', () => checkQueries(context, site, 'lt', [
    { q: 'pagalba i namus', find: SERVICE.homeHelpLt, within: 3, statusCheck: true },
    { q: 'namai', find: SERVICE.homeHelpLt },
    { q: 'pagelba i namus', find: SERVICE.homeHelpLt, within: 3 },
    { q: 'nakvines namai', find: SERVICE.shelterLt, within: 3, statusCheck: true },
    { q: 'dinozauras', none: true },
    { q: 'kompiuteris', none: true },
  ]));
  await step('en queries', () => checkQueries(context, site, 'en', [
    { q: 'home help', find: SERVICE.homeHelpEn, within: 3, statusCheck: true },
    { q: 'night shelter', find: SERVICE.shelterEn, within: 3 },
    { q: 'dinosaur', none: true },
  ]));
  await step('status', () => checkStatusChanges(context, site));
  await step('keyboard lt', () => checkKeyboard(context, site, 'lt', 'pagalba i namus', SERVICE.homeHelpLt, true));
  await step('keyboard lt (quick Enter)', () => checkKeyboard(context, site, 'lt', 'pagalba i namus', SERVICE.homeHelpLt, false));
  await step('keyboard en', () => checkKeyboard(context, site, 'en', 'home help', SERVICE.homeHelpEn, true));
  await step('axe/reflow lt', () => checkAxeAndReflow(context, site, 'lt', 'pagalba'));
  await step('axe/reflow en', () => checkAxeAndReflow(context, site, 'en', 'help'));
  // Not pass/fail: how the search answers other queries residents might type.
  for (const [lang, q] of [['lt', 'naktis'], ['lt', 'pagalba i nemus'], ['lt', 'nakvynes nemai'], ['lt', 'socialinis transpotras'], ['en', 'hone help']]) {
    await step(`info ${q}`, () => infoQuery(context, site, lang, q));
  }
}

main().then((code) => { process.exitCode = code; }, (e) => {
  if (e instanceof UsageError) {
    console.error(`search: ${e.message}`);
    console.log(`search: ${passed} passed, ${failed + 1} failed`);
    process.exitCode = 2;
  } else {
    console.error(`search: internal error: ${e.stack || e}`);
    console.log(`search: ${passed} passed, ${failed + 1} failed`);
    process.exitCode = 2;
  }
});
