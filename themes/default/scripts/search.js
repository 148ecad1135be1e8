/* Site search for the /search/ page: progressive enhancement, no framework,
   nothing sent anywhere but this site. The index format and the ranking are
   described in handout's docs/search.md. The query is only ever put into
   the page as text (textContent, text nodes), never as HTML.
   This is the source: the theme serves it minified, as static/search.js
   (CONTRIBUTING.md says how to make that again after an edit). */
(function () {
  'use strict';

  /* ---- Pure parts: words, folding, distances, file formats. ---- */

  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var APOSTROPHE = /([\p{Alphabetic}\p{N}])['\u2019](?=[\p{Alphabetic}\p{N}])/gu;
  var MAX_WORD = 40;
  var MAX_WORDS = 12;
  var PAGE = 10;

  /** Accents off a lowercase word, as the index was built: café -> cafe. */
  function fold(word) {
    return word.normalize('NFD').replace(/\p{M}/gu, '');
  }

  /** The words of a text, lowercased (apostrophes inside words dropped). */
  function words(text) {
    var out = [];
    var found = String(text).toLowerCase().replace(APOSTROPHE, '$1').match(WORD) || [];
    for (var i = 0; i < found.length; i++) {
      if (Array.from(found[i]).length <= MAX_WORD) out.push(found[i]);
    }
    return out;
  }

  /** FNV-1a (32 bits) of a term's UTF-8 bytes: which shard holds it. */
  function fnv(text) {
    var bytes = new TextEncoder().encode(text);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function hex8(n) {
    return ('0000000' + n.toString(16)).slice(-8);
  }

  /** Edit distance (with swaps of two letters), or max + 1 once past max. */
  function distance(a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = [], prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
        cur[j] = d;
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  /** Edits a word of this many letters may have: 1 from 5 letters, 2 from 9. */
  function allowedEdits(word) {
    if (/\p{N}/u.test(word)) return 0;
    var n = Array.from(word).length;
    return n >= 9 ? 2 : n >= 5 ? 1 : 0;
  }

  /** Reads one varint at `at.i` of `bytes`. */
  function varint(bytes, at) {
    var n = 0, shift = 0, b;
    do {
      b = bytes[at.i++];
      n += (b & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (b & 0x80 && at.i < bytes.length);
    return n;
  }

  /** The postings of the wanted terms in a shard: term -> {docs, impacts}
   * (typed arrays, in doc order: a common word is on most pages). */
  function readShard(bytes, wanted) {
    var out = {}, at = { i: 0 }, decoder = new TextDecoder();
    while (at.i < bytes.length) {
      var len = varint(bytes, at);
      var term = decoder.decode(bytes.subarray(at.i, at.i + len));
      at.i += len;
      var size = varint(bytes, at), end = at.i + size;
      if (wanted[term]) {
        // Each posting takes two bytes at least.
        var n = Math.min(varint(bytes, at), Math.max(0, end - at.i) >> 1), doc = 0, k = 0;
        var docs = new Uint32Array(n), impacts = new Uint8Array(n);
        for (; k < n && at.i < end; k++) {
          doc += varint(bytes, at);
          docs[k] = doc;
          impacts[k] = bytes[at.i++];
        }
        out[term] = { docs: docs.subarray(0, k), impacts: impacts.subarray(0, k) };
      }
      at.i = end;
    }
    return out;
  }

  /** How many bits of `n` are set. */
  function popcount(n) {
    var count = 0;
    for (; n; n &= n - 1) count++;
    return count;
  }

  function idf(df, docs) {
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  }

  /* ---- The index, loaded a file at a time. ---- */

  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.TextDecoder) return;
  var input = document.getElementById('search-q');
  var statusLine = document.getElementById('search-status');
  var results = document.getElementById('search-results');
  var fallback = document.getElementById('search-nojs');
  var root = form.getAttribute('data-root') || '/';
  var home = form.getAttribute('data-home') || root;
  var folder = form.getAttribute('data-index') || root + 'search/';
  var selects = Array.prototype.slice.call(form.querySelectorAll('select'));
  var title = document.title;
  var cache = {};
  var manifest = null;

  function load(path, binary) {
    var url = folder + path + (manifest ? '?v=' + manifest.stamp : '');
    if (!cache[url]) {
      cache[url] = fetch(url, manifest ? {} : { cache: 'no-cache' }).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return binary ? r.arrayBuffer().then(function (b) { return new Uint8Array(b); }) : r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return load('index.json').then(function (m) {
      if (m.format !== 3) throw new Error('index format ' + m.format);
      if (m.words) m.words = m.words.map(fileOf('w/'));
      if (m.groups) m.groups = m.groups.map(fileOf('g/'));
      manifest = m;
      return m;
    });
  }

  /** A word list (folder `w/`) or group (`g/`) as `[first word, file]`,
   * from its first word as the manifest gives it: the file is named by the
   * word's FNV hash, with `-k` after it for `[word, k]` (as the build
   * names them). */
  function fileOf(folder) {
    return function (first) {
      var word = typeof first === 'string' ? first : first[0];
      var k = typeof first === 'string' ? 0 : first[1];
      return [word, folder + hex8(fnv(word)) + (k ? '-' + k : '') + '.json'];
    };
  }

  /** Index of the list (or group) of `lists` (each `[first word, file]`,
   * in order) that would hold `word`. */
  function listIndexIn(lists, word) {
    var lo = 0, hi = lists.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (lists[mid][0] <= word) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The lists (or groups) of `lists` that may hold words from `lo` to
   * `hi`; of those, with `letter`, only the lists that start with it. */
  function between(lists, lo, hi, letter) {
    var out = [], last = listIndexIn(lists, hi);
    for (var n = listIndexIn(lists, lo); n <= last && lists[n]; n++) {
      if (!letter || Array.from(lists[n][0])[0] === letter) out.push(lists[n]);
    }
    return out;
  }

  /** The words a typo's near words are looked for among, as `between`
   * takes them: those that start with its first `letters` letters (three,
   * two, then one). Each letter's words start a list of their own, so a
   * list that starts with another letter holds none of them. */
  function sharing(w, letters) {
    var chars = Array.from(w), start = chars.slice(0, letters).join('');
    return [start, start + '\uffff', chars[0]];
  }

  /** Loads the word lists that may hold the words of each range of
   * `ranges` (as `between` takes them): found in the manifest, or (a large
   * site) in the files of its groups there. Fills `vocab` (word -> entry). */
  function loadLists(ranges, vocab) {
    return Promise.all(ranges.map(function (r) {
      if (!manifest.groups) return between(manifest.words, r[0], r[1], r[2]);
      return Promise.all(between(manifest.groups, r[0], r[1]).map(function (group) {
        return load(group[1]);
      })).then(function (found) {
        return between([].concat.apply([], found).map(fileOf('w/')), r[0], r[1], r[2]);
      });
    })).then(function (found) {
      var files = {};
      [].concat.apply([], found).forEach(function (list) { files[list[1]] = true; });
      return Promise.all(Object.keys(files).map(function (file) {
        return load(file).then(function (entries) {
          entries.forEach(function (e) {
            vocab[e[0]] = e.length < 2 ? { stop: true } : { term: e[1] === 0 ? e[0] : e[1], df: e[2], big: e[3] };
          });
        });
      }));
    });
  }

  function shardOf(term, big) {
    var hash = fnv(term);
    return big ? 't/' + hex8(hash) + '.bin' : 's/' + (hash & (manifest.shards - 1)) + '.bin';
  }

  /** Postings of `terms` ({term: big}): term -> [[doc, impact]]. */
  function postings(terms) {
    var byFile = {};
    Object.keys(terms).forEach(function (t) {
      var file = shardOf(t, terms[t]);
      (byFile[file] = byFile[file] || {})[t] = true;
    });
    var out = {};
    return Promise.all(Object.keys(byFile).map(function (file) {
      return load(file, true).then(function (bytes) {
        var found = readShard(bytes, byFile[file]);
        Object.keys(found).forEach(function (t) { out[t] = found[t]; });
      });
    })).then(function () { return out; });
  }

  /* ---- A query: words to clauses, clauses to ranked doc numbers. ---- */

  /**
   * Ranks the pages for `query` and `filters` ({kind, condition, treatment}).
   * Resolves to {docs: [doc numbers, best first], marks: {folded word: true}}.
   */
  function run(query, filters, typing) {
    return loadManifest().then(function () {
      var tokens = words(query).slice(0, MAX_WORDS);
      var folded = tokens.map(fold);
      var prefix = typing && folded.length && !/[\s\p{P}]$/u.test(query) ? folded[folded.length - 1] : '';
      var vocab = {};
      var filterWords = [];
      if (filters.condition) filterWords.push('#c:' + filters.condition);
      if (filters.treatment) filterWords.push('#t:' + filters.treatment);
      var needed = folded.concat(filterWords).map(function (w) { return [w, w]; });
      if (prefix) needed.push([prefix, prefix + '\uffff']);
      var typos = [];
      // A typo's near words are looked for first among the words that
      // share its first three letters, then, while it has none, two, then
      // one: nearly every typo keeps its first letters, and on a large
      // site two letters can have dozens of lists.
      var nearer = function (letters) {
        var left = typos.filter(function (w) { return letters === 3 || !nearWords(w, vocab).length; });
        if (!letters || !left.length) return null;
        return loadLists(left.map(function (w) { return sharing(w, letters); }), vocab).then(function () {
          return nearer(letters - 1);
        });
      };
      return loadLists(needed, vocab).then(function () {
        typos = folded.filter(function (w) { return !vocab[w] && allowedEdits(w); }).slice(0, 3);
        return nearer(3);
      }).then(function () {
        return rank(folded, prefix, filterWords, filters.kind, vocab);
      });
    });
  }

  /** The loaded words within `w`'s allowed edits that share its first
   * letter, as alternatives, nearest and then most used first. */
  function nearWords(w, vocab) {
    var edits = allowedEdits(w), first = Array.from(w)[0], near = [];
    if (!edits) return near;
    Object.keys(vocab).forEach(function (v) {
      var e = vocab[v];
      if (e.stop || !e.df || Array.from(v)[0] !== first) return;
      var d = distance(w, v, edits);
      if (d <= edits) near.push({ term: e.term, df: e.df, big: e.big, weight: d === 1 ? 0.6 : 0.4, d: d });
    });
    return near.sort(function (a, b) { return a.d - b.d || b.df - a.df; });
  }

  function rank(folded, prefix, filterWords, kind, vocab) {
    var clauses = [], marks = {}, known = Object.keys(vocab);
    folded.forEach(function (w, i) {
      var entry = vocab[w], alts = [];
      if (entry && entry.stop) return;
      if (entry && entry.df) alts.push({ term: entry.term, df: entry.df, big: entry.big, weight: 1 });
      if (!entry) alts = alts.concat(nearWords(w, vocab).slice(0, 4));
      if (prefix && i === folded.length - 1 && Array.from(w).length >= 2) {
        var longer = known.filter(function (v) {
          return v !== w && v.lastIndexOf(w, 0) === 0 && vocab[v].df;
        }).sort(function (a, b) { return vocab[b].df - vocab[a].df; });
        longer.slice(0, 6).forEach(function (v) {
          alts.push({ term: vocab[v].term, df: vocab[v].df, big: vocab[v].big, weight: 0.7 });
        });
      }
      clauses.push({ alts: alts, covers: [i] });
    });
    // Patients' phrases: `heel pain` also finds the name the pages use.
    var stems = folded.map(function (w) { var e = vocab[w]; return e && e.term; });
    (manifest.synonyms || []).forEach(function (rule) {
      var phrase = rule[0];
      for (var s = 0; s + phrase.length <= stems.length; s++) {
        var match = phrase.every(function (t, k) { return stems[s + k] === t; });
        if (!match) continue;
        var covers = [];
        for (var k = 0; k < phrase.length; k++) covers.push(s + k);
        clauses.push({
          all: rule[1].map(function (n) { return { term: n[0], df: n[1], big: n[2], weight: 1 }; }),
          covers: covers,
        });
      }
    });
    var wanted = {};
    clauses.forEach(function (c) {
      (c.alts || c.all).forEach(function (a) { if (a.df) wanted[a.term] = a.big; });
    });
    var filterTerms = filterWords.map(function (w) { return vocab[w]; });
    filterTerms.forEach(function (e, n) { if (e && e.df) wanted[filterWords[n]] = e.big; });
    return postings(wanted).then(function (lists) {
      // By doc number, in typed arrays: `knee pain` scores most pages.
      var docs = manifest.docs, score = new Float64Array(docs), best = new Float64Array(docs);
      // The query words each page matched, a bit each (12 words at most).
      var covered = new Uint32Array(docs), touched = [], counted = 0;
      var bits = function (covers) { return covers.reduce(function (m, i) { return m | 1 << i; }, 0); };
      clauses.forEach(function (c) { counted |= bits(c.covers); });
      var total = popcount(counted);
      clauses.forEach(function (c) {
        var seen = [];
        (c.alts || c.all).forEach(function (a) {
          var list = lists[a.term];
          if (!list) return;
          var weight = a.weight * idf(a.df, docs) / 255;
          for (var k = 0; k < list.docs.length; k++) {
            var d = list.docs[k], v = list.impacts[k] * weight;
            if (best[d] === 0) seen.push(d);
            best[d] = c.all ? best[d] + v : Math.max(best[d], v);
          }
          vocabWordsOf(vocab, a.term).forEach(function (w) { marks[w] = true; });
        });
        var mask = bits(c.covers);
        seen.forEach(function (d) {
          if (!covered[d]) touched.push(d);
          score[d] += best[d];
          covered[d] |= mask;
          best[d] = 0;
        });
      });
      var allowed = allowedDocs(kind, filterWords, filterTerms, lists);
      var ranked;
      if (!clauses.length) {
        ranked = [];
        if (allowed) for (var d = 0; d < docs; d++) if (allowed(d)) ranked.push(d);
      } else {
        ranked = allowed ? touched.filter(allowed) : touched;
        // Pages with every word first: the score times the square of the
        // share of the query's words it has.
        ranked.forEach(function (d) {
          var share = total ? popcount(covered[d]) / total : 1;
          score[d] = score[d] * share * share;
        });
        ranked.sort(function (a, b) { return score[b] - score[a] || a - b; });
      }
      folded.forEach(function (w) { marks[w] = true; });
      return { docs: ranked, marks: marks, words: clauses.length };
    });
  }

  /** Words of the loaded lists that lead to `term`, to mark in snippets. */
  function vocabWordsOf(vocab, term) {
    return Object.keys(vocab).filter(function (w) { return vocab[w].term === term; });
  }

  /** A test for the filters, or null when there are none. */
  function allowedDocs(kind, filterWords, filterTerms, lists) {
    var tests = [];
    var range = (manifest.kinds || []).filter(function (k) { return k[0] === kind; })[0];
    if (kind) tests.push(function (d) { return !!range && d >= range[1] && d < range[2]; });
    filterWords.forEach(function (w, n) {
      var set = new Uint8Array(manifest.docs), list = filterTerms[n] && lists[w];
      if (list) list.docs.forEach(function (d) { set[d] = 1; });
      tests.push(function (d) { return set[d] === 1; });
    });
    if (!tests.length) return null;
    return function (d) { return tests.every(function (t) { return t(d); }); };
  }

  /** What results show of docs: [[path, title, description, excerpt]]. */
  function metadata(docs) {
    var chunk = manifest.chunk;
    return Promise.all(docs.map(function (d) {
      return load('d/' + Math.floor(d / chunk) + '.json').then(function (rows) { return rows[d % chunk]; });
    }));
  }

  /* ---- The page: form, status, results. ---- */

  /** `text` as nodes, its words in `marks` inside <mark>. */
  function marked(parent, text, marks) {
    var re = /[\p{Alphabetic}\p{N}]+(?:['\u2019][\p{Alphabetic}\p{N}]+)*/gu, last = 0, m;
    while ((m = re.exec(text))) {
      var key = fold(m[0].toLowerCase().replace(/['\u2019]/g, ''));
      if (!marks[key]) continue;
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement('mark');
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  /* What the page says, in its language: the theme's strings, which the
     template puts in the form's data- attributes (English if one is not
     there, as with an older template). */
  var ENGLISH = {
    'for': ' for “{query}”',
    'result-one': '{count} result{for}.',
    'result-other': '{count} results{for}.',
    'none': 'No results{for}. Try fewer words, another spelling, or browse the articles and clinics.',
    'type': 'Type a word to search for, such as a condition, a treatment or a town.',
    'failed': 'Search could not load just now. You can browse the articles and clinics instead.',
    'more': 'Show more results',
    'kind-article': 'Article',
    'kind-location': 'Clinic',
    'kind-author': 'Clinician',
    'kind-page': 'Page',
    'browse-articles': 'Browse all articles',
    'find-clinic': 'Find a clinic'
  };

  /** String `key`, its `{name}` parts filled from `fill` (as text). */
  function tr(key, fill) {
    var text = form.getAttribute('data-' + key);
    if (text === null) text = ENGLISH[key] || '';
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return fill && Object.prototype.hasOwnProperty.call(fill, name) ? String(fill[name]) : all;
    });
  }

  function kindOf(d) {
    var k = (manifest.kinds || []).filter(function (k) { return d >= k[1] && d < k[2]; })[0];
    return k && ENGLISH['kind-' + k[0]] ? tr('kind-' + k[0]) : '';
  }

  var current = null;
  var sequence = 0;

  function showPage(list, found, from) {
    var docs = found.docs.slice(from, from + PAGE);
    return metadata(docs).then(function (rows) {
      var firstLink = null;
      rows.forEach(function (row, n) {
        if (!row) return;
        var li = element('li', 'search-result');
        var h = element('h2');
        var a = element('a', '', row[1]);
        a.href = root + row[0];
        h.appendChild(a);
        li.appendChild(h);
        li.appendChild(element('p', 'search-kind', kindOf(docs[n])));
        if (row[2]) li.appendChild(marked(element('p', 'search-description'), row[2], found.marks));
        if (row[3]) li.appendChild(marked(element('p', 'search-snippet'), row[3], found.marks));
        list.appendChild(li);
        firstLink = firstLink || a;
      });
      if (list.moreButton) list.moreButton.remove();
      list.moreButton = null;
      var shown = Math.min(from + PAGE, found.docs.length);
      if (shown < found.docs.length) {
        var button = element('button', 'button button-quiet search-more', tr('more'));
        button.type = 'button';
        button.addEventListener('click', function () {
          showPage(list, found, shown).then(function (link) {
            if (list.moreButton) results.appendChild(list.moreButton);
            if (link) link.focus();
          });
        });
        list.moreButton = button;
      }
      return firstLink;
    });
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function params() {
    var out = { q: input.value };
    selects.forEach(function (s) { out[s.name] = s.value; });
    return out;
  }

  function update(typing) {
    var p = params(), mine = ++sequence;
    var filtered = selects.some(function (s) { return s.value; });
    var url = new URL(window.location.href);
    url.search = '';
    Object.keys(p).forEach(function (k) { if (p[k]) url.searchParams.set(k, p[k]); });
    history.replaceState(null, '', url.href);
    document.title = p.q.trim() ? p.q.trim().slice(0, 60) + ' – ' + title : title;
    if (!words(p.q).length && !filtered) {
      results.textContent = '';
      say(p.q.trim() ? tr('type') : '');
      return Promise.resolve();
    }
    return run(p.q, p, typing).then(function (found) {
      if (mine !== sequence) return;
      current = found;
      var quoted = p.q.trim() ? tr('for', { query: p.q.trim().slice(0, 100) }) : '';
      var n = found.docs.length;
      if (!n) {
        results.textContent = '';
        results.appendChild(fallbackLinks());
        say(tr('none', { 'for': quoted }));
        return;
      }
      var list = element('ol', 'search-list');
      return showPage(list, found, 0).then(function () {
        if (mine !== sequence) return;
        // The list and the count appear together, once the results are drawn.
        results.textContent = '';
        results.appendChild(list);
        var more = list.moreButton;
        if (more) results.appendChild(more);
        say(tr(n === 1 ? 'result-one' : 'result-other', { count: n, 'for': quoted }));
      });
    }).catch(function () {
      if (mine !== sequence) return;
      say(tr('failed'));
      results.textContent = '';
      results.appendChild(fallbackLinks());
    });
  }

  function fallbackLinks() {
    var ul = element('ul', 'search-fallback');
    [['articles/', tr('browse-articles')], ['locations/', tr('find-clinic')]].forEach(function (l) {
      var li = element('li');
      var a = element('a', '', l[1]);
      a.href = home + l[0];
      li.appendChild(a);
      ul.appendChild(li);
    });
    return ul;
  }

  var timer = 0;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    update(false);
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update(true); }, 150);
  });
  selects.forEach(function (s) { s.addEventListener('change', function () { update(false); }); });

  var start = new URLSearchParams(window.location.search);
  input.value = start.get('q') || '';
  selects.forEach(function (s) {
    var v = start.get(s.name);
    if (v && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
  });
  if (fallback) fallback.hidden = true;
  // Also in the header's box, so it shows what was searched.
  var header = document.getElementById('site-search-q');
  if (header) header.value = input.value;
  update(false);

  // For tests of the pure parts (tests/browser/search.test.mjs).
  window.handoutSearch = { words: words, fold: fold, fnv: fnv, distance: distance, allowedEdits: allowedEdits, readShard: readShard, between: between, sharing: sharing, fileOf: fileOf, current: function () { return current; } };
})();
