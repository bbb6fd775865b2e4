// editor.mjs — the browser editor (Decap CMS configured by Skaidra, admin/) end to end.
//
// On a temporary copy of the example site in a temporary git repository, with `[editor]` in its
// site.toml, it starts `skaidra serve` (which serves the site and the editor) and decap-server
// (the local back end, writing into the copy), both on 127.0.0.1 on free ports, and in headless
// Chromium:
//   * opens the editor (interface in Lithuanian), signs in to the local back end;
//   * creates a service: its facts (id, provider, two audiences, a review date and period, who
//     is responsible in both languages) and its text in Lithuanian and English (title, address,
//     summary, Markdown text), and saves both;
//   * checks the files on disk are what docs/editors-guide.md shows (service.toml with the facts
//     once, index.lt.md and index.en.md with TOML front matter between `+++` lines), that
//     `skaidra build` and `skaidra check` pass on the result, that the new page is in the built
//     site, and that the editor's preview shows Skaidra's page for it;
//   * refuses what the model refuses: an id that is taken, both next-review fields;
//   * edits an existing service's phone and checks `git diff` changes that one line only;
//   * no Content-Security-Policy violation on the editor's page;
//   * runs axe-core on the editor's own pages and records the result (reported, not required
//     to be zero: the editor's interface is Decap's).
//
// Usage:
//   node editor.mjs --bin target/release/skaidra --site . --artifacts tests/artifacts/editor
// Ends with "editor: N passed, M failed". Exit code 0 = all passed, 1 = some check failed,
// 2 = could not run.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const TIMEOUT_MS = 20_000;

// The new service.
const NEW = {
  id: 'maisto-bankas',
  provider: 'Alytaus miesto bendruomenės centras',
  providerId: 'bendruomenes-centras',
  audiences: [['Senyvo amžiaus žmonės', 'seniors'], ['Žmonės be būsto', 'homeless']],
  reviewed: '2026-11-20',
  every: '6 months',
  owner: { lt: 'Socialinės paramos skyrius', en: 'Social Support Division' },
  lt: { title: 'Maisto bankas', slug: 'maisto-bankas', summary: 'Maisto paketai žmonėms, kuriems jų reikia.', body: 'Maisto paketus dalijame kartą per savaitę.\n\n## Kaip gauti\n\nPaskambinkite mums.' },
  en: { title: 'Food bank', slug: 'food-bank', summary: 'Food parcels for people who need them.', body: 'We give out food parcels once a week.\n\n## How to get one\n\nCall us.' },
};
// The existing service whose phone is edited.
const EDIT = {
  id: 'pagalba-i-namus',
  before: '+370 315 56 660',
  source: 'Socialinių paslaugų teikimo Alytaus mieste chartija, įsipareigojimas „Grįžtamasis ryšys“',
  phone: '+370 315 56 661',
};

class UsageError extends Error {}
let passed = 0;
let failed = 0;

function check(name, ok, details = []) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (!ok) for (const d of [].concat(details)) if (d) console.log(`       ${String(d).split('\n').join('\n       ')}`);
  return ok;
}

function info(msg) {
  console.log(`info ${msg}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(fn, what, ms = TIMEOUT_MS) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

function run(cmd, args, opts = {}) {
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    return { code: 0, out };
  } catch (e) {
    return { code: e.status ?? 1, out: `${e.stdout || ''}${e.stderr || ''}` };
  }
}

/** Starts a server process and waits until `ready(output)` says it listens. */
async function startServer(cmd, args, opts, ready, name) {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', d => (output += d));
  child.stderr.on('data', d => (output += d));
  await waitFor(() => ready(output) || (child.exitCode !== null && Promise.reject(new Error(output))), `${name} to start`);
  return { child, log: () => output };
}

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      bin: { type: 'string' },
      site: { type: 'string', default: '.' },
      artifacts: { type: 'string' },
    },
    strict: true,
  });
  if (!values.bin) throw new UsageError('--bin (the skaidra binary) is required');
  return values;
}

async function main() {
  const args = parseCli(process.argv.slice(2));
  const bin = path.resolve(args.bin);
  const artifacts = args.artifacts ? path.resolve(args.artifacts) : null;
  if (artifacts) fs.mkdirSync(artifacts, { recursive: true });
  const { chromium } = require('playwright-core');
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const TOML = await import('@decimalturn/toml-patch');

  // --- a copy of the site in a git repository ------------------------------------------------
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skaidra-editor-'));
  const site = path.join(tmp, 'site');
  fs.mkdirSync(site);
  for (const part of ['site.toml', 'content', 'themes', 'i18n']) {
    fs.cpSync(path.join(path.resolve(args.site), part), path.join(site, part), { recursive: true });
  }
  // The service whose phone is edited gets a phone, with its source, when the site's copy has
  // none (the example's services name no phone of their own).
  const editedToml = path.join(site, 'content/services', EDIT.id, 'service.toml');
  const editedText = fs.readFileSync(editedToml, 'utf8');
  if (!/^phone\s*=/m.test(editedText)) {
    fs.writeFileSync(
      editedToml,
      editedText.replace(/^(home_visit\s*=.*\n)/m, `$1phone = "${EDIT.before}"\nsources = { phone = "${EDIT.source}" }\n`),
    );
  }
  const decapPort = await freePort();
  fs.appendFileSync(
    path.join(site, 'site.toml'),
    `\n[editor]\nbackend = "github"\nrepo = "example/social-services"\nlocal_port = ${decapPort}\nscripts = ${JSON.stringify(path.join(HERE, 'node_modules'))}\n`,
  );
  const git = (...a) => run('git', a, { cwd: site });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.lt', 'commit', '-qm', 'site');

  const servers = [];
  const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skaidra-editor-browser-'));
  let context;
  let page;
  try {
    const decap = await startServer(
      process.execPath,
      [require.resolve('decap-server/dist/index.js')],
      { cwd: site, env: { ...process.env, PORT: String(decapPort), BIND_HOST: '127.0.0.1', GIT_REPO_DIRECTORY: site, LOG_LEVEL: 'info' } },
      out => out.includes('listening on'),
      'decap-server',
    );
    servers.push(decap);
    const sitePort = await freePort();
    const serve = await startServer(bin, ['serve', '--root', site, '--port', String(sitePort)], {}, out => /serving on (\S+)/.exec(out), 'skaidra serve');
    servers.push(serve);
    const siteUrl = /serving on (\S+)/.exec(serve.log())[1];
    const admin = `${siteUrl}admin/`;
    info(`editor at ${admin}, local back end on 127.0.0.1:${decapPort}`);

    context = await chromium.launchPersistentContext(ctxDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(TIMEOUT_MS);
    const pageErrors = [];
    page.on('pageerror', e => pageErrors.push(`${e.message} ${e.stack || ''}`.slice(0, 600)));
    // Content-Security-Policy violations, as the page reports them.
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const axeResults = {};
    const axe = async name => {
      // Through DevTools: the page's policy (rightly) refuses inline scripts.
      await page.evaluate(`${axeSource};0`);
      const r = await page.evaluate(tags => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
      axeResults[name] = r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
      info(`axe on ${name}: ${r.violations.length} violations (${r.violations.map(v => `${v.id}×${v.nodes.length}`).join(', ') || 'none'})`);
    };
    const shot = async name => artifacts && page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: false });

    // --- open the editor -------------------------------------------------------------------------
    await page.goto(admin);
    const login = page.getByRole('button', { name: 'Prisijungti' });
    await login.waitFor();
    check('the editor opens with its interface in Lithuanian', (await page.locator('html').getAttribute('lang')) === 'lt' && (await login.isVisible()));
    await axe('sign-in page');
    await login.click();
    await page.getByText('Paslaugos: faktai').first().waitFor();
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log(`info console ${m.type()}: ${m.text().slice(0, 300)}`); });
    await shot('editor-collections');
    await axe('collection list');
    check('the collections are made from the model (one per kind and file)', (await page.getByRole('link', { name: /^Paslaugos: tekstas$/ }).count()) === 1 && (await page.getByRole('link', { name: /^Kiti puslapiai: faktai$/ }).count()) === 1);

    // --- a new service: the facts ------------------------------------------------------------------
    const field = name => page.locator(`[id^="${name}-field-"]`).first();
    // Each form on a freshly loaded page (Decap keeps a form's state across in-page navigation).
    const open = async hash => {
      await page.goto('about:blank');
      await page.goto(`${admin}${hash}`);
      await field('_id').waitFor();
    };
    const publish = async () => {
      await page.getByRole('button', { name: 'Publikuoti', exact: true }).click();
      await page.getByRole('menuitem', { name: 'Skelbti naują', exact: true }).click();
    };
    const choose = async (name, label) => {
      await field(name).click();
      await field(name).fill(label);
      await page.getByRole('option', { name: label, exact: true }).click();
    };
    await open('#/collections/services/new');
    await field('_id').fill(EDIT.id);
    await field('provider').click();
    await page.keyboard.press('Escape');
    // An id that is taken is refused.
    await page.waitForTimeout(1500);
    await publish();
    await page.waitForTimeout(1000);
    const taken = await page.getByText('toks identifikatorius jau naudojamas').count();
    check('an id that is already used is refused', taken > 0);
    await field('_id').fill(NEW.id);
    // The first text in Lithuanian comes with the facts (saved together, so the site builds).
    await field('_text_title').fill(NEW.lt.title);
    await field('_text_slug').fill(NEW.lt.slug);
    await field('_text_summary').fill(NEW.lt.summary);
    await choose('provider', NEW.provider);
    for (const [label] of NEW.audiences) await choose('audiences', label);
    await field('reviewed').fill(NEW.reviewed);
    await field('review_every').fill(NEW.every);
    const ownerBoxes = page.locator('[id^="lt-field-"], [id^="en-field-"]');
    // The owner's boxes are the last pair (the address's come first).
    const n = await ownerBoxes.count();
    await ownerBoxes.nth(n - 2).fill(NEW.owner.lt);
    await ownerBoxes.nth(n - 1).fill(NEW.owner.en);
    // Both next-review fields: refused as Skaidra refuses them.
    await field('review_by').fill('2027-05-01');
    await publish();
    await page.waitForTimeout(1500);
    const said = (await page.locator('[class*="Toast"], [role="alert"]').allTextContents()).join(' | ');
    check(
      'both next-review fields are refused, with the reason',
      !fs.existsSync(path.join(site, 'content/services', NEW.id, 'service.toml')) && said.includes('Nurodykite kitą peržiūrą'),
      said,
    );
    await field('review_by').fill('');
    // Decap leaves its refused saves as unhandled promise rejections: not counted below.
    pageErrors.length = 0;
    await shot('editor-new-service-facts');
    await axe('new service: facts form');
    await publish();
    const factsFile = path.join(site, 'content/services', NEW.id, 'service.toml');
    const ltFile = path.join(site, 'content/services', NEW.id, 'index.lt.md');
    const enFile = path.join(site, 'content/services', NEW.id, 'index.en.md');
    await waitFor(() => fs.existsSync(factsFile) && fs.existsSync(ltFile), 'service.toml and index.lt.md to be written');
    const first = run(bin, ['build', '--root', site, '--out', path.join(tmp, 'built-first')]);
    check('the new service builds as soon as its facts are saved (with its first text)', first.code === 0, first.out);

    // --- its text in Lithuanian and English ----------------------------------------------------------
    await open(`#/collections/services-text/entries/${NEW.id}/index`);
    await waitFor(async () => (await page.locator('[id^="title-field-"]').first().inputValue()) === NEW.lt.title, 'the text to load');
    const pane = i => ({
      box: name => page.locator(`[id^="${name}-field-"]`).nth(i),
    });
    const en = NEW.en;
    await pane(1).box('title').fill(en.title);
    await pane(1).box('slug').fill(en.slug);
    await pane(1).box('summary').fill(en.summary);
    // The Markdown text, written as Markdown (the switch beside the rich-text editor).
    const bodies = page.locator('[contenteditable="true"][role="textbox"]');
    for (const [i, lang] of [[0, 'lt'], [1, 'en']]) {
      await page.getByRole('switch').nth(i).click();
      await bodies.nth(i).click();
      const lines = NEW[lang].body.split('\n');
      for (const [j, line] of lines.entries()) {
        if (line) await page.keyboard.type(line);
        if (j < lines.length - 1) await page.keyboard.press('Enter');
      }
    }
    await shot('editor-service-text');
    await axe('service text form (two languages)');
    await publish();
    await waitFor(() => fs.existsSync(enFile) && fs.readFileSync(ltFile, 'utf8').includes('Kaip gauti'), 'index.lt.md and index.en.md to be written');

    // --- the files on disk are what the guide shows -----------------------------------------------
    const facts = TOML.parse(fs.readFileSync(factsFile, 'utf8'));
    const factsText = fs.readFileSync(factsFile, 'utf8');
    check(
      'service.toml holds the facts once, as the guide shows them',
      facts.provider === NEW.providerId &&
        JSON.stringify([...facts.audiences]) === JSON.stringify(NEW.audiences.map(a => a[1])) &&
        /^reviewed = 2026-11-20$/m.test(factsText) &&
        facts.review_every === NEW.every &&
        facts.owner.lt === NEW.owner.lt && facts.owner.en === NEW.owner.en &&
        !('review_by' in facts) && !Object.keys(facts).some(k => k.startsWith('_')),
      factsText,
    );
    const dir = fs.readdirSync(path.join(site, 'content/services', NEW.id)).sort();
    check('the service folder has service.toml, index.lt.md and index.en.md only', JSON.stringify(dir) === JSON.stringify(['index.en.md', 'index.lt.md', 'service.toml']), dir);
    for (const [lang, file] of [['lt', ltFile], ['en', enFile]]) {
      const text = fs.readFileSync(file, 'utf8');
      const m = /^\+\+\+\n([\s\S]*?)\+\+\+\n([\s\S]*)$/.exec(text);
      const fm = m ? TOML.parse(m[1]) : {};
      check(
        `index.${lang}.md has TOML front matter between +++ lines and the text after it`,
        m && fm.title === NEW[lang].title && fm.slug === NEW[lang].slug && fm.summary === NEW[lang].summary &&
          m[2].trim() === NEW[lang].body.trim() && !Object.keys(fm).some(k => k.startsWith('_') || k === 'provider' || k === 'reviewed'),
        text,
      );
    }

    if (artifacts) {
      for (const f of [factsFile, ltFile, enFile]) fs.copyFileSync(f, path.join(artifacts, `saved-${path.basename(f)}`));
    }

    // --- Skaidra builds and checks it, and the page is there ---------------------------------------
    const out = path.join(tmp, 'built');
    const build = run(bin, ['build', '--root', site, '--out', out]);
    check('skaidra build passes on what the editor saved', build.code === 0, build.out);
    const built = path.join(out, 'paslaugos', NEW.lt.slug, 'index.html');
    check('the new page is in the built site', fs.existsSync(built) && fs.readFileSync(built, 'utf8').includes(NEW.lt.title));
    const builtEn = path.join(out, 'en', 'services', NEW.en.slug, 'index.html');
    check('its English page too', fs.existsSync(builtEn) && fs.readFileSync(builtEn, 'utf8').includes(NEW.en.title));
    const checked = run(bin, ['check', '--root', site]);
    check('skaidra check passes on what the editor saved', checked.code === 0, checked.out);

    // --- the preview is Skaidra's own page ------------------------------------------------------------
    await open(`#/collections/services-text/entries/${NEW.id}/index`);
    // With two languages side by side, the preview is one button away.
    await page.locator('button[title="Toggle preview"]').click();
    const previewSrc = await waitFor(async () => {
      for (const frame of page.frames()) {
        const src = await frame.locator('iframe').first().getAttribute('src', { timeout: 500 }).catch(() => null);
        if (src && src.includes(`/paslaugos/${NEW.lt.slug}/`)) return src;
      }
      return null;
    }, 'the preview to show the page');
    const previewFrame = page.frames().find(f => f.url().includes(`/paslaugos/${NEW.lt.slug}/`));
    const previewTitle = previewFrame ? await previewFrame.locator('h1').first().textContent() : '';
    check('the preview shows the page as Skaidra renders it', previewTitle.trim() === NEW.lt.title, [previewSrc, previewTitle]);
    await shot('editor-preview');

    // --- an existing service's phone: one line changes ---------------------------------------------
    await open(`#/collections/services/entries/${EDIT.id}/service`);
    await waitFor(async () => (await field('phone').inputValue()) !== '', 'the entry to load');
    check('an existing item shows its id, read-only', (await field('_id').inputValue()) === EDIT.id && (await field('_id').getAttribute('readonly')) !== null);
    await field('phone').fill(EDIT.phone);
    await publish();
    const editedFile = path.join(site, 'content/services', EDIT.id, 'service.toml');
    await waitFor(() => fs.readFileSync(editedFile, 'utf8').includes(EDIT.phone), 'the phone to be saved');
    const diff = git('diff', '--unified=0', '--', `content/services/${EDIT.id}`).out;
    if (artifacts) fs.writeFileSync(path.join(artifacts, 'saved-phone.diff'), diff);
    const changed = diff.split('\n').filter(l => /^[-+](?![-+])/.test(l));
    check(
      'editing a phone changes that one line only (git diff)',
      changed.length === 2 && changed[0] === `-phone = "${EDIT.before}"` && changed[1] === `+phone = "${EDIT.phone}"`,
      diff,
    );

    // --- for real users: the pinned CDN addresses, with the integrity of the npm packages' files --
    const toml = path.join(site, 'site.toml');
    fs.writeFileSync(toml, fs.readFileSync(toml, 'utf8').replace(/^scripts = .*$/m, 'scripts = "cdn"'));
    const cdnOut = path.join(tmp, 'built-cdn');
    const cdnBuild = run(bin, ['build', '--root', site, '--out', cdnOut]);
    const cdnPage = cdnBuild.code === 0 ? fs.readFileSync(path.join(cdnOut, 'admin/index.html'), 'utf8') : cdnBuild.out;
    const sri = file => `sha384-${require('node:crypto').createHash('sha384').update(fs.readFileSync(path.join(HERE, 'node_modules', file))).digest('base64')}`;
    const version = pkg => JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    check(
      'the CDN addresses are pinned to the tested versions, with their Subresource Integrity',
      cdnPage.includes(`decap-cms@${version('decap-cms')}/dist/decap-cms.js" integrity="${sri('decap-cms/dist/decap-cms.js')}"`) &&
        cdnPage.includes(`toml-patch@${version('@decimalturn/toml-patch')}/dist/toml-patch.js" integrity="${sri('@decimalturn/toml-patch/dist/toml-patch.js')}"`),
      cdnPage,
    );

    const violations = await page.evaluate(() => window.__cspViolations);
    check('no Content-Security-Policy violation on the editor page', violations.length === 0, violations);
    check('no script error on the editor page', pageErrors.length === 0, pageErrors);
    if (artifacts) fs.writeFileSync(path.join(artifacts, 'editor-axe.json'), JSON.stringify(axeResults, null, 2) + '\n');
  } catch (e) {
    // What the editor showed when it went wrong.
    if (page && artifacts) await page.screenshot({ path: path.join(artifacts, 'editor-failure.png') }).catch(() => {});
    if (page) {
      const shown = await page.locator('[class*="Toast"], [role="alert"], [class*="ControlErrorsList"] li').allTextContents().catch(() => []);
      console.log(`info messages shown: ${shown.join(' | ')}`);
    }
    throw e;
  } finally {
    if (context) await context.close().catch(() => {});
    for (const s of servers) s.child.kill();
    fs.rmSync(ctxDir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main()
  .then(() => {
    console.log(`editor: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  })
  .catch(e => {
    console.error(e instanceof UsageError ? `usage: ${e.message}` : e.stack || e);
    console.log(`editor: ${passed} passed, ${failed + 1} failed`);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
