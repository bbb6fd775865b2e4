// search-bytes.mjs — what a search query transfers: types each query into the search box of a
// built site in headless Chromium (a fresh page each, so nothing is cached) and prints the files
// of the search index it loaded, their bytes as stored and gzip-compressed (as most hosts send
// JSON), and the count the box announced. Not a pass/fail test: the figures in
// docs/performance.md come from it.
//
// Usage:
//   node search-bytes.mjs --dir BUILT_SITE [--prefix /] [--lang lt] QUERY...
// Prints one line per query, then the size of the whole index of that language.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

import { createStaticServer, listen, normalizePrefix } from './a11y.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const { values, positionals } = parseArgs({
  options: { dir: { type: 'string' }, prefix: { type: 'string', default: '/' }, lang: { type: 'string', default: '' } },
  allowPositionals: true,
});
if (!values.dir || !positionals.length) {
  console.error('usage: node search-bytes.mjs --dir BUILT_SITE [--prefix /] [--lang lt] QUERY...');
  process.exit(2);
}
const dir = path.resolve(values.dir);
const prefix = normalizePrefix(values.prefix);
const home = values.lang ? `${values.lang}/` : '';

/** Bytes of a file of the output, as stored and gzip-compressed. */
const sizes = new Map();
function size(rel) {
  if (!sizes.has(rel)) {
    const bytes = fs.readFileSync(path.join(dir, rel));
    sizes.set(rel, [bytes.length, zlib.gzipSync(bytes, { level: 6 }).length]);
  }
  return sizes.get(rel);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const server = createStaticServer(dir, prefix, () => {});
const origin = await listen(server);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'skaidra-search-bytes-'));
const { chromium } = await import('playwright-core');
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
let lang = null;
try {
  for (const q of positionals) {
    const page = await context.newPage();
    const loaded = [];
    page.on('request', (r) => {
      const p = decodeURIComponent(new URL(r.url()).pathname);
      if (p.startsWith(`${prefix}search/`)) loaded.push(p.slice(prefix.length));
    });
    await page.goto(origin + prefix + home, { waitUntil: 'load' });
    lang = await page.evaluate(() => document.documentElement.lang);
    const started = Date.now();
    await page.locator('#site-search-input').fill(q);
    await page.waitForFunction(() => {
      const box = document.querySelector('.site-search');
      const s = document.querySelector('#site-search-status').textContent.trim();
      return s && s !== box.dataset.loading;
    }, null, { timeout: 120_000 });
    const ms = Date.now() - started;
    const status = await page.locator('#site-search-status').textContent();
    let raw = 0;
    let gz = 0;
    for (const f of loaded) {
      const [r, g] = size(f);
      raw += r;
      gz += g;
    }
    const kinds = ['w-', 'p-', 'd-'].map((k) => loaded.filter((f) => path.basename(f).startsWith(k)).length);
    console.log(`"${q}": ${loaded.length} files (entry, ${kinds[0]} word chunks, ${kinds[1]} postings, ${kinds[2]} documents), `
      + `${kb(raw)} (${kb(gz)} gzip), ${ms} ms; "${status.trim()}"`);
    await page.close();
  }
} finally {
  await context.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
let raw = 0;
let files = 0;
const lang_ = lang || 'lt';
for (const f of [`search/${lang_}.json`, ...fs.readdirSync(path.join(dir, 'search', lang_)).map((f) => `search/${lang_}/${f}`)]) {
  raw += fs.statSync(path.join(dir, f)).size;
  files++;
}
console.log(`whole index (${lang_}): ${files} files, ${kb(raw)}`);
