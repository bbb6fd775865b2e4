// a11y.mjs — browser accessibility harness for a site built by Skaidra.
//
// Serves a built site directory under its URL prefix on 127.0.0.1, opens
// every HTML page in headless Chromium (playwright-core) and checks:
//   * axe-core, WCAG 2.0/2.1/2.2 A+AA rules          (one check per page)
//   * reflow: no horizontal scrolling at 320 px width (one check per page)
//   * keyboard: skip link first, every Tab stop visible with a visible
//     focus indicator                                 (one check per keyboard page)
//   * the Nu Html Checker (vnu.jar) over all HTML files (one check)
// It also writes full-page screenshots at 320 and 1280 px and a JSON report.
//
// Usage:
//   node a11y.mjs --dir PUBLIC_DIR --prefix /sub/path/ --artifacts ARTIFACT_DIR
//                 [--screens "path1,path2"] [--keyboard "path1,path2"]
//                 [--vnu-filter REGEX] [--concurrency 2]
// Page paths are relative to the prefix: '' is the home page, 'paslaugos/x/'
// a sub-page; a leading '/' or the prefix itself is stripped.
//
// Exit codes: 0 all checks passed, 1 some check failed, 2 the harness could
// not run (usage error, no HTML files, browser or Java missing).
//
// The static server is exported (createStaticServer) so selftest.mjs can test
// it directly; the CLI only runs when this file is the entry point.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 320, height: 800 };
const MAX_TAB_STOPS = 60;
const NAV_TIMEOUT_MS = 30_000;
const MAX_NODES_SHOWN = 5;

/** Usage errors end the run with exit code 2. */
class UsageError extends Error {}

// ---------------------------------------------------------------------------
// Static server
// ---------------------------------------------------------------------------

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.xsl': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Returns the content type for a file name (application/octet-stream if unknown). */
export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * Normalises a URL prefix to '/a/b/' form. Accepts '', '/', 'sub', '/sub',
 * '/sub/' or a full base URL such as 'https://example.org/sub/'.
 */
export function normalizePrefix(prefix) {
  let p = String(prefix ?? '/').trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) p = new URL(p).pathname;
  // Keep the prefix decoded (the server compares it with decoded paths).
  const decode = (seg) => { try { return decodeURIComponent(seg); } catch { return seg; } };
  p = p.split('/').filter(Boolean).map(decode).join('/');
  return p ? `/${p}/` : '/';
}

/**
 * Creates (but does not start) an HTTP server that serves `dir` under
 * `prefix`: '/prefix/x/' maps to dir/x/index.html, '/prefix/x' redirects to
 * '/prefix/x/' when x is a directory, and anything missing is answered with
 * dir/404.html and status 404. Requests that try to leave `dir` are refused
 * with 400. `onResponse(status, urlPath)` is called for every response.
 */
export function createStaticServer(dir, prefix, onResponse = () => {}) {
  const root = fs.realpathSync(path.resolve(dir));
  const base = normalizePrefix(prefix);

  const inRoot = (p) => p === root || p.startsWith(root + path.sep);

  return http.createServer((req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, { 'cache-control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      onResponse(status, req.url);
    };
    const sendFile = (status, file) => {
      let body;
      try {
        body = fs.readFileSync(file);
      } catch {
        return send(500, { 'content-type': 'text/plain' }, 'read error\n');
      }
      send(status, { 'content-type': contentType(file), 'content-length': body.length }, body);
    };
    const notFound = () => {
      const page = path.join(root, '404.html');
      if (fs.existsSync(page)) return sendFile(404, page);
      return send(404, { 'content-type': 'text/plain' }, 'not found\n');
    };

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }, 'method not allowed\n');
    }

    // Take the raw path (no query or fragment) and decode it ourselves, so
    // that encoded tricks like %2e%2e or %2f are seen after decoding.
    const rawPath = (req.url || '/').split(/[?#]/, 1)[0];
    let urlPath;
    try {
      urlPath = decodeURIComponent(rawPath);
    } catch {
      return send(400, { 'content-type': 'text/plain' }, 'bad request\n');
    }
    // Refuse path traversal outright: NUL bytes, backslashes and '..' segments.
    if (urlPath.includes('\0') || urlPath.includes('\\') || urlPath.split('/').includes('..')) {
      return send(400, { 'content-type': 'text/plain' }, 'path traversal refused\n');
    }
    if (urlPath === base.slice(0, -1) && base !== '/') {
      return send(301, { location: base }, '');
    }
    if (!urlPath.startsWith(base)) return notFound();

    const rel = urlPath.slice(base.length);
    let file = path.resolve(root, rel);
    if (!inRoot(file)) return send(400, { 'content-type': 'text/plain' }, 'path traversal refused\n');

    let stat;
    try {
      // Resolve symlinks too, so a link pointing outside the root is refused.
      file = fs.realpathSync(file);
      if (!inRoot(file)) return send(400, { 'content-type': 'text/plain' }, 'path traversal refused\n');
      stat = fs.statSync(file);
    } catch {
      return notFound();
    }
    if (stat.isDirectory()) {
      if (!rawPath.endsWith('/')) {
        const query = (req.url || '').slice(rawPath.length);
        return send(301, { location: `${rawPath}/${query}` }, '');
      }
      file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) return notFound();
    } else if (rel.endsWith('/')) {
      return notFound(); // 'file.css/' is not a directory
    }
    return sendFile(200, file);
  });
}

/** Starts `server` on 127.0.0.1 with a free port; resolves to the origin. */
export function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

// ---------------------------------------------------------------------------
// Site discovery
// ---------------------------------------------------------------------------

/** Lists every *.html file under dir (recursively), as sorted absolute paths. */
export function findHtmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.html')) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Maps an HTML file to its page path relative to the prefix:
 * 'index.html' -> '', 'a/b/index.html' -> 'a/b/', '404.html' -> '404.html'.
 */
export function pagePathOf(dir, file) {
  const rel = path.relative(dir, file).split(path.sep).join('/');
  if (rel === 'index.html') return '';
  if (rel.endsWith('/index.html')) return rel.slice(0, -'index.html'.length);
  return rel;
}

/** Turns a user-supplied page path into the form used by pagePathOf. */
function normalizePagePath(p, prefix) {
  let s = p.trim();
  if (prefix !== '/' && (s + '/').startsWith(prefix)) s = s.slice(prefix.length);
  s = s.replace(/^\/+/, '');
  if (s === 'index.html') return '';
  if (s.endsWith('/index.html')) return s.slice(0, -'index.html'.length);
  if (s && !s.endsWith('/') && !/\.html?$/i.test(s)) s += '/';
  return s;
}

/** Absolute URL of a page on the local server, with each path segment percent-encoded. */
function pageUrl(site, pagePath) {
  return site.origin + (site.prefix + pagePath).split('/').map(encodeURIComponent).join('/');
}

/** File-name stem for a page path: '' -> 'home', 'paslaugos/x/' -> 'paslaugos-x'. */
export function screenshotName(pagePath) {
  const stem = pagePath.replace(/index\.html$/, '').replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return stem || 'home';
}

/** Default keyboard pages: home plus the first 2-level '/paslaugos/' page. */
function defaultKeyboardPages(pagePaths) {
  const pages = [];
  if (pagePaths.includes('')) pages.push('');
  const service = pagePaths.find((p) => {
    const segs = p.split('/').filter(Boolean);
    return `/${p}`.includes('/paslaugos/') && p.endsWith('/') && segs.length === 2;
  });
  if (service !== undefined) pages.push(service);
  return pages;
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/** Collapses whitespace and cuts a string to `max` characters. */
function shorten(s, max = 160) {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Runs `worker` over `items` with at most `limit` running at once. */
async function mapPool(items, limit, worker) {
  const results = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await worker(items[i], i);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Waits for two animation frames so layout after a resize has settled. */
async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// CSS injected before the keyboard test and screenshots: transitions and
// smooth scrolling would otherwise make computed styles and scroll
// positions depend on timing.
const NO_MOTION_CSS = `*, *::before, *::after {
  transition: none !important; animation: none !important; scroll-behavior: auto !important;
}`;

// ---------------------------------------------------------------------------
// In-page functions (run inside Chromium via page.evaluate)
// ---------------------------------------------------------------------------

/**
 * Measures horizontal overflow and finds the widest overflowing element.
 * Also lists visible position:fixed elements that stick out of the viewport:
 * they never make the page scrollable, so scrollWidth cannot see them, but
 * their cut-off part is unreachable (a reflow failure all the same).
 */
function measureReflowInPage() {
  const de = document.documentElement;
  const result = { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, widest: null, fixed: [] };
  const vw = result.clientWidth;
  const vh = window.innerHeight;
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    for (const c of el.classList) d += `.${c}`;
    return d;
  };

  for (const el of document.querySelectorAll('body *')) {
    if (getComputedStyle(el).position !== 'fixed') continue;
    if (typeof el.checkVisibility === 'function'
      && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const r = el.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.left < vw && r.bottom > 0 && r.top < vh;
    if (onScreen && (r.right > vw + 1 || r.left < -1)) {
      result.fixed.push({ element: describe(el), width: Math.round(r.width), left: Math.round(r.left),
        right: Math.round(r.right), html: el.outerHTML.slice(0, 300) });
    }
  }
  if (result.scrollWidth <= result.clientWidth) return result;

  let best = null;
  // Walk the tree, skipping subtrees clipped by an overflow container: their
  // content cannot make the page scroll horizontally.
  const visit = (el) => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none') return;
    const r = el.getBoundingClientRect();
    const left = r.left + window.scrollX;
    const right = r.right + window.scrollX;
    if ((r.width > 0 || r.height > 0) && (right > vw + 0.5 || left < -0.5)) {
      if (!best || r.width > best.width) {
        best = { element: describe(el), width: Math.round(r.width), left: Math.round(left),
          right: Math.round(right), html: el.outerHTML.slice(0, 300) };
      }
    }
    // Fixed boxes never scroll; clipping containers hide their overflow.
    if (cs.position === 'fixed') return;
    const clips = el !== document.body && el !== de && cs.overflowX !== 'visible';
    if (clips) return;
    for (const child of el.children) visit(child);
  };
  if (document.body) visit(document.body);
  result.widest = best;
  return result;
}

/**
 * Inspects the focused element: identity, visibility, focus styles in the
 * focused and unfocused state, and whether it is hidden under something.
 * It blurs and re-focuses the element to read the unfocused styles.
 */
function inspectFocusInPage() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { none: true };

  // Remember every stop, so a second visit (wrap-around or focus trap) ends the walk.
  if (!window.__a11ySeen) window.__a11ySeen = new Set();
  if (window.__a11ySeen.has(el)) return { none: false, repeat: true };
  window.__a11ySeen.add(el);

  const tag = el.tagName.toLowerCase();
  let desc = tag;
  if (el.id) desc += `#${el.id}`;
  for (const c of el.classList) desc += `.${c}`;
  const href = el.getAttribute('href');
  if (href !== null) desc += `[href="${href}"]`;
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.getAttribute('title') || '')
    .replace(/\s+/g, ' ').trim().slice(0, 60);
  if (label) desc += ` "${label}"`;

  // Skip-link facts (used for the first Tab stop).
  let skipTarget = null;
  if (tag === 'a' && href && href.startsWith('#') && href.length > 1) {
    let id = href.slice(1);
    try { id = decodeURIComponent(id); } catch { /* keep raw */ }
    const target = document.getElementById(id);
    const main = target && target.closest('main, [role="main"]');
    skipTarget = { id, exists: !!target, inMain: !!main };
  }

  const styles = () => {
    const cs = getComputedStyle(el);
    return { outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth,
      outlineColor: cs.outlineColor, boxShadow: cs.boxShadow };
  };
  const focused = styles();

  const r = el.getBoundingClientRect();
  const rect = { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const problems = [];
  const hiddenByCss = typeof el.checkVisibility === 'function'
    && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  if (hiddenByCss) problems.push('hidden by CSS (visibility/opacity/display)');
  if (r.width < 4 || r.height < 4) {
    problems.push(`bounding box too small (${rect.width}x${rect.height}); element is visually hidden`);
  } else if (r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh) {
    problems.push(`outside the viewport at (${rect.x},${rect.y}) ${rect.width}x${rect.height}`);
  } else {
    // WCAG 2.4.11: not entirely hidden under other content (sticky headers…).
    const pts = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]]
      .map(([fx, fy]) => [r.left + r.width * fx, r.top + r.height * fy])
      .filter(([x, y]) => x >= 0 && y >= 0 && x < vw && y < vh);
    const covering = [];
    const visible = pts.some(([x, y]) => {
      const top = document.elementFromPoint(x, y);
      if (!top || top === el || el.contains(top) || top.contains(el)) return true;
      covering.push(top);
      return false;
    });
    if (pts.length && !visible) {
      const c = covering[0];
      problems.push(`entirely covered by ${c.tagName.toLowerCase()}${c.id ? `#${c.id}` : ''}${[...c.classList].map((x) => `.${x}`).join('')}`);
    }
  }

  // Unfocused styles: blur, read, focus again (the next Tab continues from here).
  el.blur();
  const unfocused = styles();
  el.focus({ preventScroll: true });

  const transparent = (color) => /^transparent$|rgba\([^)]*,\s*0\)$/.test(color.replace(/\s+/g, ' ').trim())
    || /\/\s*0\)$/.test(color);
  const outlinePx = parseFloat(focused.outlineWidth) || 0;
  const outlineChanged = focused.outlineStyle !== unfocused.outlineStyle
    || focused.outlineWidth !== unfocused.outlineWidth || focused.outlineColor !== unfocused.outlineColor;
  const outlineOk = focused.outlineStyle !== 'none' && outlinePx >= 2
    && !transparent(focused.outlineColor) && outlineChanged;
  const shadowOk = focused.boxShadow !== 'none' && focused.boxShadow !== unfocused.boxShadow;
  if (!outlineOk && !shadowOk) {
    problems.push(`no visible focus indicator (focused: outline ${focused.outlineStyle} ${focused.outlineWidth} ${focused.outlineColor}, box-shadow ${focused.boxShadow}; unfocused: outline ${unfocused.outlineStyle} ${unfocused.outlineWidth}, box-shadow ${unfocused.boxShadow})`);
  }
  return { none: false, repeat: false, desc, tag, skipTarget, rect, problems };
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/** Opens a fresh tab at `viewport`, loads `url`, and returns { page, status }. */
async function openPage(context, url, viewport, pageErrors) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  if (pageErrors) page.on('pageerror', (e) => pageErrors.push(shorten(e.message, 200)));
  const response = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
  return { page, status: response ? response.status() : 0 };
}

/** Runs axe at 1280 px and the reflow measurement at 320 px on one page. */
async function checkPage(context, site, pagePath) {
  const url = pageUrl(site, pagePath);
  const axe = { kind: 'axe', page: pagePath, url, ok: false, details: [] };
  const reflow = { kind: 'reflow', page: pagePath, url, ok: false, details: [] };
  const pageErrors = [];
  let page;
  try {
    const opened = await openPage(context, url, DESKTOP, pageErrors);
    page = opened.page;
    // 404.html is requested by its own URL, so every page should answer 200.
    if (opened.status !== 200) axe.details.push(`HTTP status ${opened.status} for ${url}`);

    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(async (tags) => {
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      const target = (t) => (Array.isArray(t) ? t.join(' >> ') : String(t));
      return {
        violations: r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.map(target).join(' | '),
            html: n.html, summary: n.failureSummary })),
        })),
        incomplete: r.incomplete.map((v) => v.id),
      };
    }, AXE_TAGS);
    axe.violations = result.violations;
    axe.incomplete = result.incomplete;
    for (const v of result.violations) {
      axe.details.push(`${v.id} [${v.impact}] ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})`);
      for (const n of v.nodes.slice(0, MAX_NODES_SHOWN)) {
        axe.details.push(`    at ${shorten(n.target, 120)}  ${shorten(n.html, 140)}`);
        // First reason under axe's "Fix any/all of the following:" heading
        // (for color-contrast it carries the measured ratio).
        const reason = String(n.summary || '').split('\n').map((s) => s.trim())
          .find((s) => s && !/^Fix (any|all) of the following:?$/.test(s));
        if (reason) axe.details.push(`       ${shorten(reason, 200)}`);
      }
      if (v.nodes.length > MAX_NODES_SHOWN) axe.details.push(`    … and ${v.nodes.length - MAX_NODES_SHOWN} more`);
    }
    axe.ok = axe.details.length === 0;
    axe.done = true;

    await page.setViewportSize(MOBILE);
    await settle(page);
    const m = await page.evaluate(measureReflowInPage);
    reflow.measure = m;
    reflow.ok = m.scrollWidth <= m.clientWidth && m.fixed.length === 0;
    if (m.scrollWidth > m.clientWidth) {
      reflow.details.push(`horizontal scrolling at 320px: scrollWidth ${m.scrollWidth} > clientWidth ${m.clientWidth}`);
      if (m.widest) {
        reflow.details.push(`    widest overflowing element: ${m.widest.element} (${m.widest.width}px wide, x ${m.widest.left}..${m.widest.right})`);
        reflow.details.push(`    ${shorten(m.widest.html, 160)}`);
      }
    }
    for (const f of m.fixed) {
      reflow.details.push(`position:fixed element cut off at 320px: ${f.element} (${f.width}px wide, x ${f.left}..${f.right})`);
      reflow.details.push(`    ${shorten(f.html, 160)}`);
    }
  } catch (e) {
    const msg = `error: ${shorten(e.message, 300)}`;
    if (!axe.done) axe.details.push(msg);
    if (!reflow.measure) reflow.details.push(msg);
  } finally {
    if (page) await page.close().catch(() => {});
  }
  delete axe.done;
  axe.warnings = pageErrors.map((e) => `uncaught script error: ${e}`);
  return [axe, reflow];
}

/** Tabs through a page at 1280 px: skip link first, every stop visibly focused. */
async function checkKeyboard(context, site, pagePath) {
  const url = pageUrl(site, pagePath);
  const check = { kind: 'keyboard', page: pagePath, url, ok: false, details: [], stops: [] };
  let page;
  try {
    ({ page } = await openPage(context, url, DESKTOP));
    await page.addStyleTag({ content: NO_MOTION_CSS });
    await settle(page);
    for (let i = 0; i < MAX_TAB_STOPS; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(inspectFocusInPage);
      if (i === 0) {
        if (f.none) {
          check.details.push('first Tab: nothing got focus (no focusable elements?)');
          break;
        }
        const s = f.skipTarget;
        if (!s) {
          check.details.push(`first Tab: expected a skip link (a[href^="#"] to main), got ${f.desc}`);
        } else if (!s.exists) {
          check.details.push(`first Tab: skip link ${f.desc} points to missing id "${s.id}"`);
        } else if (!s.inMain) {
          check.details.push(`first Tab: skip link ${f.desc} target #${s.id} is not main or inside main`);
        }
      }
      if (f.none) break; // focus left the document: end of the tab order
      if (f.repeat) break; // wrapped around (or trapped): every stop has been seen
      check.stops.push(f.desc);
      for (const p of f.problems) check.details.push(`tab stop ${i + 1} ${f.desc}: ${p}`);
    }
    check.ok = check.details.length === 0;
    check.summary = `${check.stops.length} tab stop${check.stops.length === 1 ? '' : 's'} checked`;
  } catch (e) {
    check.details.push(`error: ${shorten(e.message, 300)}`);
  } finally {
    if (page) await page.close().catch(() => {});
  }
  return check;
}

/** Full-page screenshots of one page at 320 and 1280 px. Returns file paths. */
async function takeScreenshots(context, site, pagePath, artifacts) {
  const url = pageUrl(site, pagePath);
  const files = [];
  for (const vp of [MOBILE, DESKTOP]) {
    let page;
    try {
      ({ page } = await openPage(context, url, vp));
      await page.addStyleTag({ content: NO_MOTION_CSS });
      await page.evaluate(() => document.fonts.ready);
      await settle(page);
      const file = path.join(artifacts, `${screenshotName(pagePath)}-${vp.width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      files.push(file);
    } finally {
      if (page) await page.close().catch(() => {});
    }
  }
  return files;
}

/** Resolves the vnu.jar path; vnu-jar's main export is a String of it. */
function vnuJarPath() {
  try {
    return String(require('vnu-jar'));
  } catch {
    return path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules/vnu-jar/build/dist/vnu.jar');
  }
}

/** Runs java with args; resolves { code, output } (stdout and stderr merged). */
function runJava(args) {
  return new Promise((resolve) => {
    const java = process.env.JAVA || 'java';
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (e) => resolve({ code: -1, output: `${java}: ${e.message}\n` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Runs the Nu Html Checker once over all files (split into several java runs
 * only if the argument list would get very long). Any output line is an error.
 */
async function checkVnu(dir, files, filter) {
  const check = { kind: 'vnu', page: '(all pages)', ok: false, details: [] };
  const jar = vnuJarPath();
  if (!fs.existsSync(jar)) {
    check.details.push(`vnu.jar not found at ${jar} (run npm ci in tests/browser)`);
    return check;
  }
  const base = ['-jar', jar, '--errors-only', '--format', 'gnu'];
  if (filter) base.push('--filterpattern', filter);
  const chunks = [];
  let chunk = [];
  let len = 0;
  for (const f of files) {
    if (chunk.length && len + f.length > 100_000) { chunks.push(chunk); chunk = []; len = 0; }
    chunk.push(f);
    len += f.length + 1;
  }
  if (chunk.length) chunks.push(chunk);

  const lines = [];
  for (const c of chunks) {
    const { code, output } = await runJava([...base, ...c]);
    // "Picked up JAVA_TOOL_OPTIONS…" is the JVM talking, not the checker.
    const out = output.split('\n').filter((l) => l.trim() && !l.startsWith('Picked up '));
    lines.push(...out);
    if (code !== 0 && out.length === 0) lines.push(`vnu exited with code ${code} and no output`);
  }
  // Show paths relative to the site directory: "file:/abs/x/index.html":1.2-3.4: error: …
  const absDir = path.resolve(dir) + path.sep;
  for (const l of lines) {
    check.details.push(l.replace(/"?file:(\/[^"]*?)"?(?=:\d)/, (_, p) => (p.startsWith(absDir) ? p.slice(absDir.length) : p)));
  }
  check.errors = lines.length;
  check.ok = lines.length === 0;
  return check;
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const USAGE = `usage: node a11y.mjs --dir PUBLIC_DIR --prefix /sub/path/ --artifacts ARTIFACT_DIR
                    [--screens "path1,path2"] [--keyboard "path1,path2"]
                    [--vnu-filter REGEX] [--concurrency N]`;

/** Parses argv into an options object; throws UsageError on bad input. */
function parseCli(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' },
        prefix: { type: 'string', default: '/' },
        artifacts: { type: 'string' },
        screens: { type: 'string' },
        keyboard: { type: 'string' },
        'vnu-filter': { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.dir) throw new UsageError('--dir is required');
  const dir = path.resolve(values.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir ${dir} is not a directory`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
  if (values['vnu-filter'] !== undefined) {
    try { new RegExp(values['vnu-filter']); } catch (e) { throw new UsageError(`--vnu-filter: ${e.message}`); }
  }
  const artifacts = path.resolve(values.artifacts
    || path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts'));
  const list = (s) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()));
  return { dir, prefix: normalizePrefix(values.prefix), artifacts, concurrency,
    screens: list(values.screens), keyboard: list(values.keyboard), vnuFilter: values['vnu-filter'] };
}

/** Prints one check result as a single block (so parallel output never interleaves). */
function printCheck(c) {
  const status = c.ok ? 'ok  ' : 'FAIL';
  let where = c.url ? c.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '') : c.page;
  try { where = decodeURI(where); } catch { /* show as is */ }
  const extra = c.summary ? `  (${c.summary})` : '';
  const lines = [`${status} ${c.kind.padEnd(8)} ${where}${extra}`];
  for (const d of c.details) lines.push(`       ${d}`);
  for (const w of c.warnings || []) lines.push(`       warning: ${w}`);
  console.log(lines.join('\n'));
}

async function main() {
  const started = Date.now();
  const opts = parseCli(process.argv.slice(2));
  const files = findHtmlFiles(opts.dir);
  if (files.length === 0) throw new UsageError(`no *.html files found under ${opts.dir}`);
  const pagePaths = files.map((f) => pagePathOf(opts.dir, f));

  const pick = (list, what) => list.map((p) => {
    const n = normalizePagePath(p, opts.prefix);
    if (!pagePaths.includes(n)) throw new UsageError(`--${what}: no page "${p}" (looked for "${n}") under ${opts.dir}`);
    return n;
  });
  const screens = pick(opts.screens ?? [''].filter((p) => pagePaths.includes(p)), 'screens');
  const keyboard = pick(opts.keyboard ?? defaultKeyboardPages(pagePaths), 'keyboard');
  if (!fs.existsSync(CHROMIUM)) throw new UsageError(`Chromium not found at ${CHROMIUM} (apt-get install -y --no-install-recommends chromium)`);
  fs.mkdirSync(opts.artifacts, { recursive: true });

  console.log(`a11y: ${files.length} HTML files in ${opts.dir}, prefix ${opts.prefix}, keyboard: ${keyboard.map((p) => `'${p}'`).join(', ') || '(none)'}`);

  // Server, recording failed sub-resource requests (wrong prefix, missing CSS…).
  const missing = new Map();
  const server = createStaticServer(opts.dir, opts.prefix, (status, url) => {
    if (status >= 400 && !url.endsWith('/favicon.ico')) missing.set(url, status);
  });
  const origin = await listen(server);
  const site = { origin, prefix: opts.prefix };

  // vnu runs in its own process alongside the browser work.
  const vnuPromise = checkVnu(opts.dir, files, opts.vnuFilter);

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'skaidra-a11y-'));
  const cleanup = () => fs.rmSync(profile, { recursive: true, force: true });
  process.on('exit', cleanup);

  const { chromium } = await import('playwright-core');
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
      viewport: DESKTOP, bypassCSP: true, // bypassCSP: axe is injected as an inline script
    });
  } catch (e) {
    server.close();
    throw new UsageError(`could not launch Chromium: ${shorten(e.message, 400)}`);
  }
  for (const p of context.pages()) await p.close(); // the persistent context opens a blank tab

  const checks = [];
  const record = (c) => { checks.push(c); printCheck(c); };
  const tasks = [
    ...keyboard.map((p) => async () => record(await checkKeyboard(context, site, p))),
    ...pagePaths.map((p) => async () => (await checkPage(context, site, p)).forEach(record)),
    ...screens.map((p) => async () => {
      try {
        await takeScreenshots(context, site, p, opts.artifacts);
      } catch (e) {
        console.log(`warning: screenshot of '${p}' failed: ${shorten(e.message, 200)}`);
      }
    }),
  ];
  await mapPool(tasks, opts.concurrency, (t) => t());
  await context.close();
  record(await vnuPromise);
  server.close();

  if (missing.size) {
    console.log(`warning: ${missing.size} request(s) failed while loading pages (wrong prefix or missing files?):`);
    for (const [url, status] of [...missing].slice(0, 20)) console.log(`       ${status} ${url}`);
  }

  const failed = checks.filter((c) => !c.ok).length;
  const passed = checks.length - failed;
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  const report = { prefix: opts.prefix, dir: opts.dir, pages: pagePaths.length, elapsedSeconds: Number(elapsed),
    passed, failed, missingRequests: Object.fromEntries(missing), checks };
  fs.writeFileSync(path.join(opts.artifacts, 'a11y-report.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(`screenshots: ${opts.artifacts}`);
  console.log(`pages: ${pagePaths.length} checked in ${elapsed}s`);
  console.log(`a11y: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then((code) => { process.exitCode = code; }, (e) => {
    if (e instanceof UsageError) {
      console.error(`a11y: ${e.message}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`a11y: internal error: ${e.stack || e}`);
      process.exitCode = 2;
    }
  });
}
