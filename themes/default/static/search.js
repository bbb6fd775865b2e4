/* Skaidra site search: progressive enhancement. Without JavaScript the box stays hidden and the
   catalogue's lists (by audience, topic, institution, A-Z) are the way to find services.
   Matching works as residents type Lithuanian: without diacritics, with inflected forms (a light
   suffix stemmer), and with one wrong letter.
   The index is split into small files (see src/export/search.rs). When the box is first used, the
   entry (search/<lang>.json) loads: where the word chunks and documents are. A query then loads
   the word chunks its words can match, the postings of the words that match, and the documents
   of the ten results shown; every file is loaded once. */
(function () {
  'use strict';
  var box = document.querySelector('.site-search');
  if (!box || !window.fetch || !window.Uint8Array || !window.Promise) return;
  box.hidden = false;
  var input = box.querySelector('input');
  var status = box.querySelector('.search-status');
  var list = box.querySelector('.search-results');
  var entryUrl = box.dataset.index;
  var dir = entryUrl.replace(/\.json$/, '/');
  var meta = null, loading = null, timer = null, current = 0;
  var files = {};

  // Lithuanian and English endings, longest first; a word keeps at least 3 letters.
  var ENDINGS = ['iesiems', 'iuosna', 'uosna', 'omis', 'emis', 'imis', 'iais', 'uose', 'iuose', 'ose', 'yse', 'ese',
    'iams', 'ams', 'oms', 'ems', 'ims', 'ioms', 'iems', 'ais', 'ies', 'ios', 'iai', 'iui', 'ius', 'ais',
    'ing', 'ies', 'as', 'is', 'ys', 'us', 'es', 'os', 'ai', 'ei', 'ui', 'ia', 'iu', 'io', 'ie', 'ed', 'ly',
    'a', 'e', 'i', 'o', 'u', 'y', 's'];

  // As fold() in src/export/search.rs: lowercase, NFD, combining marks removed, ł ø đ unstroked.
  var STROKED = { '\u0142': 'l', '\u00f8': 'o', '\u0111': 'd' };
  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[\u0142\u00f8\u0111]/g, function (c) { return STROKED[c]; });
  }
  // Words of any script: runs of letters and digits, two or more characters long.
  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return Array.from(w).length > 1; });
  }
  function stem(w) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (w.length - e.length >= 3 && w.slice(-e.length) === e) return w.slice(0, -e.length);
    }
    return w;
  }
  // Edit distance at most 1 (one letter wrong, missing, extra, or two neighbours swapped).
  function within1(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    if (a.length === b.length) {
      var diff = [];
      for (var x = 0; x < a.length && diff.length < 3; x++) if (a[x] !== b[x]) diff.push(x);
      if (diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]) return true;
    }
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++; else if (b.length > a.length) j++; else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }
  // q: {stem, word}; w: a word of the index. Exact stem 3, prefix of a stem 2, one typo in the
  // stem or the whole word 1. A document scores its best word.
  function wordScore(q, w) {
    var s = stem(w);
    if (s === q.stem) return 3;
    if (q.stem.length >= 3 && s.indexOf(q.stem) === 0) return 2;
    if ((q.stem.length >= 4 && within1(q.stem, s)) || (q.word.length >= 4 && within1(q.word, w))) return 1;
    return 0;
  }

  // Document numbers, as src/export/search.rs codes them: 'v' and gaps in 5-bit digits (the 6th
  // bit says another digit follows), or 'b' and a bitmap of 6 documents a digit.
  var DIGIT = {};
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach(function (c, i) { DIGIT[c] = i; });
  function eachId(text, f) {
    var k, v;
    if (text.charAt(0) === 'b') {
      for (k = 1; k < text.length; k++) {
        v = DIGIT[text.charAt(k)];
        for (var j = 0; j < 6; j++) if (v & (1 << j)) f((k - 1) * 6 + j);
      }
      return;
    }
    var next = 0, gap = 0, shift = 0;
    for (k = 1; k < text.length; k++) {
      v = DIGIT[text.charAt(k)];
      gap += (v & 31) * Math.pow(2, shift);
      if (v & 32) { shift += 5; continue; }
      f(next + gap);
      next += gap + 1; gap = 0; shift = 0;
    }
  }

  // Each file is fetched once; a failed fetch may be tried again by the next query.
  function getJson(url) {
    if (!files[url]) {
      files[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }
  function load() {
    if (!loading) {
      status.textContent = box.dataset.loading;
      loading = getJson(entryUrl).then(function (m) {
        meta = m;
        if (status.textContent === box.dataset.loading) status.textContent = '';
      }, function () {
        loading = null;
        status.textContent = box.dataset.failed;
      });
    }
    return loading;
  }

  // The word chunks that may hold words from `lo` (inclusive) to `hi` (exclusive).
  function chunksBetween(lo, hi) {
    var out = [];
    for (var i = 0; i < meta.words.length; i++) {
      var next = meta.words[i + 1];
      if (meta.words[i][0] < hi && (next === undefined || next[0] > lo)) out.push(meta.words[i][1]);
    }
    return out;
  }
  // The words a query term can match: those starting with its stem (exact and prefix matches)
  // and, for typos, every word (a small vocabulary) or those with its first letter.
  function wanted(q) {
    var typos = q.stem.length >= 4 || q.word.length >= 4;
    if (meta.all && typos) return { from: '', to: '\uffff' };
    var from = typos ? q.word.charAt(0) : q.stem;
    return { from: from, to: from + '\uffff' };
  }

  // Resolves {count, top: [{t, u, k}]}, or null when a newer query has started.
  function run(terms, mine) {
    var ranges = terms.map(wanted);
    var chunkNames = {};
    ranges.forEach(function (r) { chunksBetween(r.from, r.to).forEach(function (h) { chunkNames[h] = true; }); });
    var names = Object.keys(chunkNames);
    return Promise.all(names.map(function (h) { return getJson(dir + 'w-' + h + '.json'); })).then(function (chunks) {
      if (mine !== current) return null;
      // For each term, the matching words: [word, score, postings file].
      var matches = terms.map(function (q, i) {
        var r = ranges[i], found = [];
        chunks.forEach(function (c) {
          c.g.forEach(function (group, g) {
            group.split(' ').forEach(function (w) {
              if (w < r.from || w >= r.to) return;
              var sc = wordScore(q, w);
              if (sc) found.push([w, sc, c.p[g]]);
            });
          });
        });
        return found;
      });
      var need = {};
      matches.forEach(function (m) { m.forEach(function (x) { need[x[2]] = true; }); });
      var postNames = Object.keys(need);
      return Promise.all(postNames.map(function (h) { return getJson(dir + 'p-' + h + '.json'); })).then(function (posts) {
        if (mine !== current) return null;
        var byName = {};
        postNames.forEach(function (h, i) { byName[h] = posts[i]; });
        return rank(terms, matches, byName, mine);
      });
    });
  }

  // Scores documents (every term must match; a term adds its best word's score, and 2 when the
  // title has its stem), then loads the ten best. Equal scores keep the index's order (by title).
  function rank(terms, matches, byName, mine) {
    var n = meta.n;
    var total = new Uint16Array(n), hits = new Uint8Array(n);
    terms.forEach(function (q, i) {
      var best = new Uint8Array(n), title = new Uint8Array(n);
      matches[i].forEach(function (m) {
        var p = byName[m[2]][m[0]];
        if (!p) return;
        eachId(p.d, function (id) { if (best[id] < m[1]) best[id] = m[1]; });
        if (p.t && m[1] === 3) eachId(p.t, function (id) { title[id] = 2; });
      });
      for (var id = 0; id < n; id++) {
        if (best[id]) { hits[id]++; total[id] += best[id] + title[id]; }
      }
    });
    var buckets = [];
    for (var id = 0; id < n; id++) {
      if (hits[id] !== terms.length) continue;
      (buckets[total[id]] = buckets[total[id]] || []).push(id);
    }
    var order = [], count = 0;
    for (var s = buckets.length - 1; s >= 0; s--) {
      if (!buckets[s]) continue;
      count += buckets[s].length;
      for (var k = 0; k < buckets[s].length && order.length < 10; k++) order.push(buckets[s][k]);
    }
    var blocks = {};
    order.forEach(function (id) { blocks[Math.floor(id / meta.per)] = true; });
    var blockNos = Object.keys(blocks);
    return Promise.all(blockNos.map(function (b) { return getJson(dir + 'd-' + meta.docs[b] + '.json'); })).then(function (docs) {
      if (mine !== current) return null;
      var byBlock = {};
      blockNos.forEach(function (b, i) { byBlock[b] = docs[i]; });
      return {
        count: count,
        top: order.map(function (id) {
          var d = byBlock[Math.floor(id / meta.per)][id % meta.per];
          return { t: d[0], u: meta.base + d[1], k: meta.kinds[d[2]] };
        }),
      };
    });
  }

  function show(res) {
    list.textContent = '';
    res.top.forEach(function (d) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = d.u;
      a.textContent = d.t;
      var kind = document.createElement('span');
      kind.className = 'search-kind';
      kind.textContent = ' – ' + d.k;
      li.appendChild(a);
      li.appendChild(kind);
      list.appendChild(li);
    });
    status.textContent = res.count === 0 ? box.dataset.none
      : res.count === 1 ? box.dataset.one
      : box.dataset.many.replace('{count}', String(res.count));
  }

  // Runs the query in the box; resolves true once its results are shown.
  function search() {
    var mine = ++current;
    return load().then(function () {
      if (mine !== current) return false;
      var terms = words(input.value).map(function (w) { return { word: w, stem: stem(w) }; });
      if (!terms.length || !meta) {
        list.textContent = '';
        if (meta) status.textContent = '';
        return false;
      }
      // On a slow connection, say that the results are on their way.
      var slow = setTimeout(function () { if (mine === current) status.textContent = box.dataset.loading; }, 600);
      return run(terms, mine).then(function (res) {
        clearTimeout(slow);
        if (!res || mine !== current) return false;
        show(res);
        return true;
      }, function () {
        clearTimeout(slow);
        if (mine !== current) return false;
        list.textContent = '';
        status.textContent = box.dataset.failed;
        return false;
      });
    });
  }

  input.addEventListener('focus', load);
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  // Enter: search now and move to the first result, so keyboard users land on it.
  box.querySelector('form').addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search().then(function (shown) {
      var first = shown && list.querySelector('a');
      if (first) first.focus();
    });
  });
})();
