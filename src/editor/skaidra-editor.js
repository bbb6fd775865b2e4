// Skaidra's script for the browser editor (Decap CMS). Skaidra writes it into admin/ beside the
// configuration it makes from the content model (config.json); everything site-specific comes
// from there. It:
//
// - reads and writes the content files the way Skaidra does: TOML facts files, and texts with
//   TOML front matter between `+++` lines. An existing file is changed only where a value was
//   edited (toml-patch keeps the rest: order, comments, layout), so a saved edit is a small diff;
// - gives each item its id (the folder's name) with a field of its own: typed once for a new
//   item, checked against the folder pattern and the items that exist, shown for the others;
// - refuses to save what Skaidra would refuse (both or neither of the two next-review fields);
// - shows the site's own page as the preview (the page `skaidra serve` or the published site
//   serves beside the editor);
// - uses the local back end (decap-server) when the editor is opened on this computer and it
//   runs, and never writes a language's file that was left empty.

window.CMS_MANUAL_INIT = true;

// Decap's script is deferred after this one: it has run when the page has loaded.
const domReady = new Promise(resolve => {
  if (document.readyState === 'complete') resolve();
  else window.addEventListener('load', resolve, { once: true });
});

function fail(message) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = message;
  document.body.replaceChildren(p);
}

// Values as the form shows them: dates as `YYYY-MM-DD` text, plain objects and arrays.
function toForm(value) {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toForm);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toForm(v);
    return out;
  }
  return value;
}

function isEmpty(value) {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}

// Splits a Markdown file into its front matter and its text.
function splitFrontMatter(text) {
  const m = /^\uFEFF?\+\+\+[ \t]*\r?\n/.exec(text);
  if (!m) return { frontMatter: '', body: text };
  const rest = text.slice(m[0].length);
  const end = /^\+\+\+[ \t]*(\r?\n|$)/m.exec(rest);
  if (!end) return { frontMatter: rest, body: '' };
  return { frontMatter: rest.slice(0, end.index), body: rest.slice(end.index + end[0].length) };
}

function main(TOML, extras) {
  const CMS = window.CMS;
  const h = window.h;
  const createClass = window.createClass;
  const { languages, strings } = extras;
  const defaultLanguage = extras.default_language;
  const specs = Object.values(extras.formats);
  const byCollection = Object.fromEntries(specs.map(s => [s.collection, s]));

  // --- values between the form and the file ------------------------------------------------

  // A value of the form as the file has it, by the field's description; `original` is the
  // value the file had (or undefined), kept where the form's value means the same.
  function fromForm(field, value, original) {
    let out;
    switch (field.type) {
      case 'date':
        out = typeof value === 'string' && value.trim() ? new TOML.LocalDate(value.trim().slice(0, 10)) : value instanceof Date ? value : undefined;
        break;
      case 'lang_text': {
        if (typeof value === 'string') {
          out = value;
          break;
        }
        const given = languages.filter(l => value && typeof value[l] === 'string' && value[l].trim() !== '');
        if (given.length === 0) out = undefined;
        else if (typeof original === 'string' && given.length === languages.length && given.every(l => value[l] === original)) out = original;
        else out = Object.fromEntries(given.map(l => [l, value[l]]));
        break;
      }
      case 'list':
        out = Array.isArray(value) ? value.filter(v => !isEmpty(v)) : undefined;
        break;
      case 'tables':
        out = Array.isArray(value)
          ? value.map((item, i) => fromFormTable(field.fields, item, Array.isArray(original) ? original[i] : undefined)).filter(t => !isEmpty(t))
          : undefined;
        break;
      case 'table':
        out = value && typeof value === 'object' ? fromFormTable(field.fields, value, original) : undefined;
        break;
      case 'sources':
        out = value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string' && v.trim() !== ''))
          : undefined;
        break;
      case 'keyed':
        out = value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .map(([k, v]) => [k, fromFormTable(field.fields, v, original && original[k])])
                .filter(([, v]) => !isEmpty(v)),
            )
          : undefined;
        break;
      case 'keyed_text':
        out = value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => !isEmpty(v))) : undefined;
        break;
      case 'number':
        out = typeof value === 'number' ? value : value === '' || value === undefined || value === null ? undefined : Number(value);
        break;
      case 'bool':
        out = typeof value === 'boolean' ? value : undefined;
        break;
      default:
        out = value;
    }
    // An empty value is left out, unless the file had the same empty value.
    if (isEmpty(out)) return isEmpty(original) && original !== undefined ? original : undefined;
    return out;
  }

  function fromFormTable(fields, data, original) {
    const out = {};
    if (!data || typeof data !== 'object') return out;
    for (const f of fields) {
      const v = fromForm(f, data[f.name], original && original[f.name]);
      if (v !== undefined) out[f.name] = v;
    }
    // What the description does not know (written by a command, or by hand) stays.
    for (const [k, v] of Object.entries(data)) {
      if (!(k in out) && !fields.some(f => f.name === k) && !k.startsWith('_') && k !== 'body' && !isEmpty(v)) out[k] = v;
    }
    return out;
  }

  // The TOML of `data`: the file's text `raw` patched where values changed, or a new text.
  function writeToml(spec, data, raw) {
    const original = raw ? toForm(TOML.parse(raw)) : undefined;
    const table = fromFormTable(spec.fields, data, original);
    if (Object.keys(table).length === 0) return '';
    if (raw !== undefined) return TOML.patch(raw, table, { inlineTableStart: 0 });
    // A new file: values first, then the tables written as `[[name]]` / `[name.key]` sections.
    const sectionTypes = new Set(['table', 'tables', 'keyed', 'keyed_text']);
    const isSection = k => spec.fields.some(f => f.name === k && sectionTypes.has(f.type));
    const values = Object.fromEntries(Object.entries(table).filter(([k]) => !isSection(k)));
    const sections = Object.fromEntries(Object.entries(table).filter(([k]) => isSection(k)));
    let text = TOML.stringify(values, { inlineTableStart: 0, bracketSpacing: false });
    if (Object.keys(sections).length > 0) text += '\n' + TOML.stringify(sections, { bracketSpacing: false });
    return text;
  }

  for (const spec of specs) {
    const name = `skaidra-${spec.collection}`;
    const lang_texts = spec.fields.filter(f => f.type === 'lang_text').map(f => f.name);
    const readToml = text => {
      const data = toForm(TOML.parse(text));
      // A text given once for every language is shown in each language's box.
      for (const k of lang_texts) {
        if (typeof data[k] === 'string') data[k] = Object.fromEntries(languages.map(l => [l, data[k]]));
      }
      return data;
    };
    if (spec.part === 'facts') {
      CMS.registerCustomFormat(name, 'toml', {
        fromFile: text => ({ ...readToml(text), _raw: text }),
        toFile: data => writeToml(spec, data, data._raw),
      });
    } else {
      CMS.registerCustomFormat(name, 'md', {
        fromFile: text => {
          const { frontMatter, body } = splitFrontMatter(text);
          const data = readToml(frontMatter);
          // Which file it is: an easy-read text has a level (the collection lists only its own).
          const file = 'level' in data ? 'easy' : 'index';
          return { ...data, body, _raw: frontMatter, _file: file };
        },
        toFile: data => {
          const frontMatter = writeToml(spec, data, data._raw);
          const body = typeof data.body === 'string' ? data.body : '';
          if (frontMatter === '' && body.trim() === '') return '';
          const fm = frontMatter.endsWith('\n') ? frontMatter : frontMatter + '\n';
          return `+++\n${fm}+++\n${body.endsWith('\n') || body === '' ? body : body + '\n'}`;
        },
      });
    }
  }

  // --- saving ----------------------------------------------------------------------------------

  // A new item's text in the default language, given in its facts form (see preSave).
  let firstText = null;

  // A language whose text was left empty has no file (Decap would write an empty one); a new
  // item's facts are saved with its first text, in one commit: an item without its text would
  // not build.
  for (const base of ['proxy', 'github', 'gitlab', 'gitea']) {
    const original = CMS.getBackend(base);
    if (!original) continue;
    CMS.registerBackend(`skaidra-${base}`, function skaidraBackend(...args) {
      const backend = original.init(...args);
      const persist = backend.persistEntry.bind(backend);
      backend.persistEntry = (entry, options) => {
        let files = (entry.dataFiles || [entry]).filter(f => typeof f.raw === 'string' && f.raw.trim() !== '');
        const text = firstText;
        firstText = null;
        const facts = text && options && options.newEntry && files.find(f => f.path.endsWith(`/${text.id}/${text.spec.stem}.toml`));
        if (facts) {
          const dir = facts.path.slice(0, facts.path.lastIndexOf('/'));
          const frontMatter = TOML.stringify(text.values, { inlineTableStart: 0, bracketSpacing: false });
          files = [...files, { path: `${dir}/index.${defaultLanguage}.md`, slug: facts.slug, raw: `+++\n${frontMatter}+++\n` }];
        }
        return persist({ ...entry, dataFiles: files }, options);
      };
      return backend;
    });
  }

  // Of each pair (`review_every`, `review_by`), exactly one is given; a translation that was
  // begun has its required fields (Decap checks those of the default language only).
  CMS.registerEventListener({
    name: 'preSave',
    handler: ({ entry }) => {
      const spec = byCollection[entry.get('collection')];
      firstText = null;
      if (!spec) return;
      if (entry.get('newRecord') && spec.first_text.length > 0) {
        const values = Object.fromEntries(spec.first_text.map(n => [n, entry.getIn(['data', `_text_${n}`])]));
        firstText = { id: String(entry.getIn(['data', '_id']) || '').trim(), values, spec };
      }
      for (const [a, b] of spec.exactly_one) {
        const given = k => !isEmpty(entry.getIn(['data', k]));
        if (given(a) === given(b)) throw new Error(strings.next_review);
      }
      for (const lang of languages.filter(l => l !== defaultLanguage)) {
        const data = entry.getIn(['i18n', lang, 'data']);
        if (!data) continue;
        const values = data.toJS();
        const begun = Object.entries(values).some(([k, v]) => !k.startsWith('_') && !isEmpty(typeof v === 'string' ? v.trim() : v));
        if (!begun) continue;
        const missing = spec.fields.filter(f => f.required && isEmpty(toForm(values[f.name])));
        if (missing.length > 0) throw new Error(`${strings.incomplete} (${lang}): ${missing.map(f => f.name).join(', ')}`);
      }
    },
  });

  // --- the id ------------------------------------------------------------------------------------

  // What the facts collection holds, by id: learned from the back end as ids are typed, and
  // learned again after a save (Decap keeps a query's answer for a while: the changing limit,
  // far above any catalogue's size, makes it a new query).
  const known = new Map();
  let saves = 0;
  CMS.registerEventListener({ name: 'postSave', handler: () => { saves++; known.clear(); } });
  function lookUp(query, forID, facts, file) {
    const key = `${facts}/${file}`;
    if (!known.has(key)) {
      known.set(
        key,
        Promise.resolve(query(forID, facts, ['reviewed'], '', file, 1e9 + saves)).then(
          action => {
            const hits = (action && action.payload && action.payload.hits) || [];
            const found = hits.length > 0;
            known.set(key, found);
            return found;
          },
          () => {
            known.delete(key);
            return undefined;
          },
        ),
      );
    }
    return known.get(key);
  }

  const IdControl = createClass({
    isNew() {
      return !!this.props.entry.get('newRecord');
    },
    existingId() {
      const parts = (this.props.entry.get('path') || '').split('/');
      return parts.length >= 2 ? parts[parts.length - 2] : '';
    },
    // Decap checks presence and the pattern on this value; an existing item's id is its folder.
    getValidateValue() {
      return this.isNew() ? (this.props.value || '').trim() : this.existingId();
    },
    // Whether an item with the id exists, as the field needs (a new item's facts: not yet; a
    // text: already).
    check(value) {
      const field = this.props.field;
      if (!new RegExp(field.get('pattern').get(0)).test(value)) return true;
      const found = lookUp(this.props.query, this.props.forID, field.get('facts'), `${value}/${field.get('facts_file')}`);
      const problem = exists => {
        if (exists === undefined) return null;
        if (field.get('must_exist') && !exists) return strings.id_unknown;
        if (!field.get('must_exist') && exists) return strings.id_taken;
        return null;
      };
      if (found instanceof Promise) {
        return found.then(exists => {
          const p = problem(exists);
          if (p) throw p;
        });
      }
      const p = problem(found);
      return p ? { error: { type: 'CUSTOM', message: `${field.get('label')}: ${p}` } } : true;
    },
    isValid() {
      if (!this.isNew()) return true;
      return this.check((this.props.value || '').trim());
    },
    render() {
      const { forID, classNameWrapper, setActiveStyle, setInactiveStyle, value, onChange, field, query } = this.props;
      if (!this.isNew()) {
        return h('input', { id: forID, className: classNameWrapper, value: this.existingId(), readOnly: true, type: 'text' });
      }
      return h('input', {
        id: forID,
        className: classNameWrapper,
        type: 'text',
        value: value || '',
        autoComplete: 'off',
        spellCheck: false,
        onFocus: setActiveStyle,
        onBlur: setInactiveStyle,
        onChange: e => {
          const v = e.target.value;
          onChange(v);
          const pattern = new RegExp(field.get('pattern').get(0));
          if (pattern.test(v.trim())) lookUp(query, forID, field.get('facts'), `${v.trim()}/${field.get('facts_file')}`);
        },
      });
    },
  });
  CMS.registerWidget('skaidra-id', IdControl, createClass({ render: () => null }));

  // A new item's first text, in its facts form; for an existing item, where its text is edited.
  const FirstTextControl = createClass({
    isNew() {
      return !!this.props.entry.get('newRecord');
    },
    getValidateValue() {
      return this.isNew() ? (this.props.value || '').trim() : 'a';
    },
    render() {
      const { forID, classNameWrapper, setActiveStyle, setInactiveStyle, value, onChange, field } = this.props;
      if (!this.isNew()) {
        return field.get('note') ? h('p', { id: forID }, strings.text_elsewhere.replace('{collection}', field.get('text_collection'))) : null;
      }
      return h(field.get('multiline') ? 'textarea' : 'input', {
        id: forID,
        className: classNameWrapper,
        value: value || '',
        onFocus: setActiveStyle,
        onBlur: setInactiveStyle,
        onChange: e => onChange(e.target.value),
      });
    },
  });
  CMS.registerWidget('skaidra-first-text', FirstTextControl, createClass({ render: () => null }));

  // --- preview: the site's own page ------------------------------------------------------------

  // The addresses of the items' pages (pages.json, made by each build): loaded when a preview
  // is shown, and again after a save, when the site is built again (at once by `skaidra serve`).
  let pages = {};
  const listeners = new Set();
  const loadPages = () =>
    fetch(extras.pages, { cache: 'no-store' })
      .then(r => (r.ok ? r.json() : pages))
      .then(p => {
        pages = p;
        for (const l of listeners) l();
      })
      .catch(() => {});
  CMS.registerEventListener({
    name: 'postSave',
    handler: () => {
      for (const ms of [1000, 3000, 8000, 15000]) setTimeout(loadPages, ms);
    },
  });

  const Preview = spec =>
    createClass({
      componentDidMount() {
        this.update = () => this.forceUpdate();
        listeners.add(this.update);
        loadPages();
      },
      componentWillUnmount() {
        listeners.delete(this.update);
      },
      render() {
        const entry = this.props.entry;
        const parts = (entry.get('path') || '').split('/');
        const id = parts.length >= 2 ? parts[parts.length - 2] : '';
        const item = spec.single ? spec.section : `${spec.section}/${id}`;
        const address = spec.part === 'easy' ? `${item}/easy` : item;
        const byLang = (!entry.get('newRecord') && pages[address]) || {};
        const slug = entry.getIn(['data', 'slug']);
        const href =
          (spec.part === 'text' && slug && Object.values(byLang).find(u => u.endsWith(`/${slug}/`))) || byLang[defaultLanguage];
        if (!href) return h('p', { style: { fontFamily: 'sans-serif', padding: '1rem' } }, strings.preview_unsaved);
        return h('iframe', {
          src: new URL(href, window.location.origin).href,
          title: strings.preview,
          style: { width: '100%', height: '95vh', border: 0 },
        });
      },
    });
  for (const spec of specs) CMS.registerPreviewTemplate(spec.collection, Preview(spec));
}

async function start() {
  const config = await fetch('config.json', { cache: 'no-store' }).then(r => r.json());
  const extras = config.skaidra;
  delete config.skaidra;
  await domReady;
  if (!window.CMS) throw new Error('Decap CMS did not load');
  const TOML = await import(extras.toml_patch);
  main(TOML, extras);
  // On this computer, the local back end (decap-server) when it runs; else the git host.
  const local = config.local_backend;
  delete config.local_backend;
  let backend = config.backend;
  const onThisComputer = local && local.allowed_hosts.includes(window.location.hostname);
  if (onThisComputer || backend.name === 'proxy') {
    // The back end on the name the page was opened with (localhost or 127.0.0.1).
    const url = new URL(local.url);
    if (onThisComputer) url.hostname = window.location.hostname;
    local.url = url.href;
    const answers = await fetch(local.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'info' }),
    }).then(r => r.ok, () => false);
    if (answers || backend.name === 'proxy') backend = { name: 'proxy', proxy_url: local.url, branch: backend.branch };
  }
  config.backend = { ...backend, name: `skaidra-${backend.name}` };
  window.CMS.init({ config: { ...config, load_config_file: false } });
}

start().catch(error => {
  console.error(error);
  domReady.then(() =>
    fetch('config.json')
      .then(r => r.json())
      .then(c => fail(c.skaidra.strings.not_loaded), () => fail('The editor could not be loaded.')),
  );
});
