// selftest.mjs — proves the a11y harness itself works.
//
// Tests the static server of a11y.mjs directly (prefix mapping, content
// types, 404 page, path traversal), then runs a11y.mjs as a child process
// on fixtures/good (must exit 0, every check passing) and fixtures/bad (must
// exit 1 and report image-alt, color-contrast, reflow (a wide box and a wide
// position:fixed banner), the missing skip link
// and vnu's duplicate id), plus two usage errors (exit 2).
//
// Usage: node selftest.mjs      (needs /usr/bin/chromium, java and npm ci)
// Prints one line per check and ends with "selftest: N passed, M failed";
// exits 1 if any check failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  createStaticServer, listen, normalizePrefix, pagePathOf, screenshotName,
} from './a11y.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HARNESS = path.join(HERE, 'a11y.mjs');
const GOOD = path.join(HERE, 'fixtures', 'good');
const BAD = path.join(HERE, 'fixtures', 'bad');
const PREFIX = '/sub/path/';

let passed = 0;
let failed = 0;

/** Records one named check; `detail` is printed when it fails. */
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n       ${detail}` : ''}`);
}

/** Sends a GET with a raw (unnormalised) path; resolves { status, type, location, body }. */
function get(origin, rawPath) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] || '',
        location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs a11y.mjs with args; resolves { code, out } with stdout+stderr and elapsed seconds. */
function runHarness(args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HARNESS, ...args], { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Prints a harness run's output indented, for the log. */
function show(label, run) {
  console.log(`--- ${label} (exit ${run.code}, ${run.seconds.toFixed(1)}s)`);
  console.log(run.out.trimEnd().split('\n').map((l) => `  | ${l}`).join('\n'));
}

async function serverTests() {
  const server = createStaticServer(GOOD, PREFIX);
  const origin = await listen(server);
  try {
    const home = await get(origin, PREFIX);
    check('server: prefix root serves index.html', home.status === 200 && home.type.startsWith('text/html')
      && home.body.includes('Accessible fixture'), `${home.status} ${home.type}`);

    const sub = await get(origin, `${PREFIX}paslaugos/pagalba-i-namus/`);
    check('server: /prefix/x/ serves x/index.html', sub.status === 200 && sub.body.includes('Home help'), `${sub.status}`);

    const redirect = await get(origin, `${PREFIX}paslaugos/pagalba-i-namus`);
    check('server: directory without slash redirects', redirect.status === 301
      && redirect.location === `${PREFIX}paslaugos/pagalba-i-namus/`, `${redirect.status} ${redirect.location}`);

    const bare = await get(origin, '/sub/path');
    check('server: prefix without slash redirects', bare.status === 301 && bare.location === PREFIX, `${bare.status} ${bare.location}`);

    const css = await get(origin, `${PREFIX}style.css`);
    check('server: css content type', css.status === 200 && css.type.startsWith('text/css'), `${css.status} ${css.type}`);

    const svg = await get(origin, `${PREFIX}dot.svg`);
    check('server: svg content type', svg.status === 200 && svg.type === 'image/svg+xml', `${svg.status} ${svg.type}`);

    const missing = await get(origin, `${PREFIX}no/such/page/`);
    check('server: missing page answers 404 with 404.html', missing.status === 404
      && missing.body.includes('Page not found'), `${missing.status}`);

    const outside = await get(origin, '/other/index.html');
    check('server: path outside the prefix is 404', outside.status === 404, `${outside.status}`);

    const attempts = [
      `${PREFIX}../../../etc/passwd`,
      `${PREFIX}%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `${PREFIX}..%2f..%2f..%2fetc%2fpasswd`,
      `${PREFIX}..%5c..%5cetc%5cpasswd`,
      `${PREFIX}paslaugos/%2e%2e/%2e%2e/%2e%2e/a11y.mjs`,
    ];
    for (const p of attempts) {
      const r = await get(origin, p);
      check(`server: traversal refused ${p}`, r.status === 400 && !r.body.includes('root:') && !r.body.includes('import'),
        `${r.status} ${r.body.slice(0, 80)}`);
    }
  } finally {
    server.close();
  }
}

function unitTests() {
  check('normalizePrefix', normalizePrefix('') === '/' && normalizePrefix('sub/path') === '/sub/path/'
    && normalizePrefix('https://example.org/a/b') === '/a/b/' && normalizePrefix('/x/') === '/x/');
  check('pagePathOf', pagePathOf('/d', '/d/index.html') === '' && pagePathOf('/d', '/d/a/b/index.html') === 'a/b/'
    && pagePathOf('/d', '/d/404.html') === '404.html');
  check('screenshotName', screenshotName('') === 'home' && screenshotName('paslaugos/x/') === 'paslaugos-x');
}

async function harnessTests() {
  const artGood = fs.mkdtempSync(path.join(os.tmpdir(), 'a11y-selftest-good-'));
  const artBad = fs.mkdtempSync(path.join(os.tmpdir(), 'a11y-selftest-bad-'));

  const good = await runHarness(['--dir', GOOD, '--prefix', PREFIX, '--artifacts', artGood,
    '--screens', ',paslaugos/pagalba-i-namus/']);
  show('good fixture', good);
  check('good: exit code 0', good.code === 0, `exit ${good.code}`);
  // 3 pages x (axe + reflow) + 2 keyboard pages (home + /paslaugos/x/) + vnu = 9.
  check('good: summary line "a11y: 9 passed, 0 failed"', /^a11y: 9 passed, 0 failed$/m.test(good.out));
  check('good: no FAIL lines', !/^FAIL /m.test(good.out));
  check('good: default keyboard pages are home and the /paslaugos/ page',
    /^ok {3}keyboard \/sub\/path\/ /m.test(good.out) && /^ok {3}keyboard \/sub\/path\/paslaugos\/pagalba-i-namus\/ /m.test(good.out));
  check('good: no failed sub-resource requests', !/request\(s\) failed/.test(good.out));
  check('good: pages/elapsed line', /^pages: 3 checked in \d+(\.\d+)?s$/m.test(good.out));
  const shots = ['home-320.png', 'home-1280.png', 'paslaugos-pagalba-i-namus-320.png', 'paslaugos-pagalba-i-namus-1280.png'];
  const missingShots = shots.filter((f) => !fs.existsSync(path.join(artGood, f)) || fs.statSync(path.join(artGood, f)).size < 1000);
  check('good: screenshots written', missingShots.length === 0, `missing: ${missingShots.join(', ')}`);
  check('good: prints absolute screenshot dir', good.out.includes(`screenshots: ${artGood}`));
  check('good: JSON report written', fs.existsSync(path.join(artGood, 'a11y-report.json')));

  const bad = await runHarness(['--dir', BAD, '--prefix', PREFIX, '--artifacts', artBad]);
  show('bad fixture', bad);
  check('bad: exit code 1', bad.code === 1, `exit ${bad.code}`);
  check('bad: axe reports image-alt', /^FAIL axe\b/m.test(bad.out) && /^\s+image-alt \[/m.test(bad.out));
  check('bad: axe reports color-contrast', /^\s+color-contrast \[/m.test(bad.out));
  check('bad: reflow failure with the 600px box', /^FAIL reflow\b/m.test(bad.out) && /div#twice\.wide \(600px wide/.test(bad.out));
  check('bad: reflow failure for the position:fixed banner', /position:fixed element cut off at 320px: div\.banner \(600px wide/.test(bad.out));
  check('bad: keyboard reports the missing skip link', /^FAIL keyboard\b/m.test(bad.out) && /expected a skip link/.test(bad.out));
  check('bad: keyboard reports the missing focus indicator', /no visible focus indicator/.test(bad.out));
  check('bad: vnu reports the duplicate id', /^FAIL vnu\b/m.test(bad.out) && /Duplicate ID/.test(bad.out));
  check('bad: summary line "a11y: 0 passed, 4 failed"', /^a11y: 0 passed, 4 failed$/m.test(bad.out));

  const noDir = await runHarness(['--prefix', PREFIX]);
  check('usage: missing --dir exits 2', noDir.code === 2, `exit ${noDir.code}`);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'a11y-selftest-empty-'));
  const noHtml = await runHarness(['--dir', empty, '--artifacts', artBad]);
  check('usage: directory without html exits 2', noHtml.code === 2, `exit ${noHtml.code}`);

  for (const d of [artGood, artBad, empty]) fs.rmSync(d, { recursive: true, force: true });
}

const started = Date.now();
unitTests();
await serverTests();
await harnessTests();
console.log(`selftest took ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`selftest: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
