/* Skaidra site search: progressive enhancement. Without JavaScript the box stays hidden and the
   catalogue's lists (by audience, topic, institution, A-Z) are the way to find services.
   The index (search/<lang>.json) loads only when the box is first used. Matching works as
   residents type Lithuanian: without diacritics, with inflected forms (a light suffix stemmer),
   and with one wrong letter. */
(function () {
  'use strict';
  var box = document.querySelector('.site-search');
  if (!box || !window.fetch) return;
  box.hidden = false;
  var input = box.querySelector('input');
  var status = box.querySelector('.search-status');
  var list = box.querySelector('.search-results');
  var index = null, loading = null, timer = null;

  // Lithuanian and English endings, longest first; a word keeps at least 3 letters.
  var ENDINGS = ['iesiems', 'iuosna', 'uosna', 'omis', 'emis', 'imis', 'iais', 'uose', 'iuose', 'ose', 'yse', 'ese',
    'iams', 'ams', 'oms', 'ems', 'ims', 'ioms', 'iems', 'ais', 'ies', 'ios', 'iai', 'iui', 'ius', 'ais',
    'ing', 'ies', 'as', 'is', 'ys', 'us', 'es', 'os', 'ai', 'ei', 'ui', 'ia', 'iu', 'io', 'ie', 'ed', 'ly',
    'a', 'e', 'i', 'o', 'u', 'y', 's'];

  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function words(s) {
    return fold(s).split(/[^a-z0-9]+/).filter(function (w) { return w.length > 1; });
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
  // q: {stem, word}. Exact stem 3, prefix of a stem 2, one typo in the stem or the whole word 1.
  function termScore(q, doc) {
    var best = 0;
    for (var k = 0; k < doc.stems.length; k++) {
      var s = doc.stems[k];
      if (s === q.stem) return 3;
      if (s.indexOf(q.stem) === 0 && q.stem.length >= 3) best = Math.max(best, 2);
      else if ((q.stem.length >= 4 && within1(q.stem, s)) || (q.word.length >= 4 && within1(q.word, doc.words[k]))) best = Math.max(best, 1);
    }
    return best;
  }
  function load() {
    if (!loading) {
      status.textContent = box.dataset.loading;
      loading = fetch(box.dataset.index).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (data) {
        index = data.docs.map(function (d) {
          var ws = d.w.split(' ');
          return { t: d.t, u: d.u, k: d.k, words: ws, stems: ws.map(stem), title: words(d.t).map(stem) };
        });
        status.textContent = '';
      }).catch(function () {
        status.textContent = box.dataset.failed;
      });
    }
    return loading;
  }
  function search() {
    var terms = words(input.value).map(function (w) { return { word: w, stem: stem(w) }; });
    list.textContent = '';
    if (!terms.length || !index) { status.textContent = ''; return; }
    var hits = [];
    index.forEach(function (d) {
      var total = 0;
      for (var i = 0; i < terms.length; i++) {
        var sc = termScore(terms[i], d);
        if (!sc) return;
        total += sc + (d.title.indexOf(terms[i].stem) >= 0 ? 2 : 0);
      }
      hits.push({ d: d, score: total });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.d.t.localeCompare(b.d.t); });
    hits.slice(0, 10).forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = h.d.u;
      a.textContent = h.d.t;
      var kind = document.createElement('span');
      kind.className = 'search-kind';
      kind.textContent = ' – ' + h.d.k;
      li.appendChild(a);
      li.appendChild(kind);
      list.appendChild(li);
    });
    status.textContent = hits.length === 0 ? box.dataset.none
      : hits.length === 1 ? box.dataset.one
      : box.dataset.many.replace('{count}', String(hits.length));
  }
  input.addEventListener('focus', load);
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { load().then(search); }, 150);
  });
  // Enter: search now and move to the first result, so keyboard users land on it.
  box.querySelector('form').addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    load().then(function () {
      search();
      var first = list.querySelector('a');
      if (first) first.focus();
    });
  });
})();
