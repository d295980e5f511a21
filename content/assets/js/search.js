/* Lärdomsbanken search, on the results page sok/ of each language.
 *
 * Reads ?q=, and fetches of this language's split index (search/, written by
 * lardomsbanken/publish/search_index.py, which documents the format) only what the
 * query needs: the manifest, the dictionary shards of its words, the postings of
 * their terms and the documents of the results shown. The query works exactly like
 * search_index.search() in Python (tests compare them): tokens without stop words;
 * each token must match (AND) the stem it has in each text language of the index,
 * as a whole word (weight x2) or as a part of a compound (x1); the last token, which
 * may still be being typed, also matches the PREFIX_TERMS most frequent stems that
 * begin with it (x1); a Swedish token is also split like a compound (compounds.py
 * best_split) and matches documents with both parts (x1).
 * Documents that match a token only through parts come after the others.
 * Needs stemmers.js first.
 */
(function () {
  "use strict";

  var TOKEN = /[\p{L}\p{N}]+/gu;
  var LETTERS = /^\p{L}+$/u;
  var EXACT = 2, PREFIX = 1, PART = 1, PREFIX_MIN = 2, PREFIX_TERMS = 10;
  var SHORTEST = 2, LIMIT = 40, LINKING = "s";
  var EXCERPT_WORDS = 30; // words of an excerpt
  var TYPING_DELAY = 250; // ms of quiet before results follow the field

  /* The words of a text, as search_terms.tokens() finds them. */
  function tokens(text) {
    return text.normalize("NFC").toLowerCase().match(TOKEN) || [];
  }

  function chars(text) { return Array.from(text); }
  function length(text) { return chars(text).length; }

  /* Stems, remembered: an excerpt stems every word of a text, and texts repeat their words. */
  var stems = new Map();
  function stem(language, word) {
    var key = language + "\u0000" + word;
    var found = stems.get(key);
    if (found === undefined) {
      found = window.LardomStemmers.stem(language, word);
      if (stems.size > 50000) stems.clear();
      stems.set(key, found);
    }
    return found;
  }

  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /* ---- The index, file by file ------------------------------------------------ */

  function Index(base, fetcher) {
    this.base = base; // the URL of the folder search/
    this.fetcher = fetcher || function (url) {
      return fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
    };
    this.files = new Map();
    this.manifest = null;
  }

  Index.prototype.file = function (name) {
    if (!this.files.has(name)) this.files.set(name, this.fetcher(new URL(name, this.base).href));
    return this.files.get(name);
  };

  Index.prototype.load = function () {
    var self = this;
    return this.file("index.json").then(function (manifest) {
      self.manifest = manifest;
      self.keys = {};
      Object.keys(manifest.languages).forEach(function (language) {
        self.keys[language] = new Map(manifest.languages[language].keys.map(function (key, i) { return [key, i]; }));
      });
      return self;
    });
  };

  Index.prototype.languages = function () { return Object.keys(this.manifest.languages); };

  Index.prototype.stop = function () {
    var stop = new Set();
    var languages = this.manifest.languages;
    Object.keys(languages).forEach(function (language) {
      languages[language].stop.forEach(function (word) { stop.add(word); });
    });
    return stop;
  };

  /* The longest key that begins the term: the number of its dictionary shard, or -1. */
  Index.prototype.shard = function (language, term) {
    var keys = this.keys[language];
    var letters = chars(term);
    for (var n = letters.length; n >= 0; n--) {
      var key = letters.slice(0, n).join("");
      if (keys.has(key)) return keys.get(key);
    }
    return -1;
  };

  Index.prototype.dictionary = function (language, number) {
    return this.file(language + "/d" + number + ".json");
  };

  Index.prototype.entry = async function (language, term) {
    var number = this.shard(language, term);
    if (number < 0) return null;
    var shard = await this.dictionary(language, number);
    return Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
  };

  /* Every term that begins with `prefix`, with its dictionary entry. */
  Index.prototype.withPrefix = async function (language, prefix) {
    var keys = this.manifest.languages[language].keys;
    var size = length(prefix);
    var numbers = new Set();
    keys.forEach(function (key, i) {
      if (key.startsWith(prefix) && length(key) > size) numbers.add(i);
    });
    var own = this.shard(language, prefix);
    if (own >= 0) numbers.add(own);
    var self = this;
    var shards = await Promise.all(Array.from(numbers).map(function (n) { return self.dictionary(language, n); }));
    var found = new Map();
    shards.forEach(function (shard) {
      Object.keys(shard).forEach(function (term) {
        if (term.startsWith(prefix)) found.set(term, shard[term]);
      });
    });
    return found;
  };

  /* [[document, weight], …] of a term's whole-word (kind 0) or part (kind 1) postings. */
  Index.prototype.postings = async function (language, term, entry, kind) {
    var group = await this.file(language + "/p" + entry[2] + ".json");
    var deltas = group[term][kind];
    var result = [];
    var doc = 0;
    for (var i = 0; i < deltas.length; i += 2) {
      doc += deltas[i];
      result.push([doc, deltas[i + 1]]);
    }
    return result;
  };

  Index.prototype.document = function (number) { return this.file("doc/" + number + ".json"); };

  /* ---- Compounds (compounds.py) ---------------------------------------------- */

  function allows(rules, piece, head, language, stop) {
    if (rules.never.indexOf(piece) >= 0 || stop.has(piece)) return false;
    var stemmed = stem(language, piece);
    var shorts = head ? rules.short.concat(rules.heads) : rules.short;
    for (var i = 0; i < shorts.length; i++) {
      if (piece === shorts[i] || stemmed === stem(language, shorts[i])) return true;
    }
    return length(piece) >= rules.min && length(stemmed) >= rules.min && rules.never.indexOf(stemmed) < 0;
  }

  /* compounds.best_split: the best cut of a word into (head, tail), or null. */
  async function bestSplit(word, isPart, acceptable) {
    var letters = chars(word);
    if (letters.length > LIMIT || !LETTERS.test(word)) return null;
    var best = null, bestRank = null;
    for (var cut = SHORTEST; cut <= letters.length - SHORTEST; cut++) {
      var tail = letters.slice(cut).join("");
      if (!(await acceptable(tail, false))) continue;
      var headLetters = letters.slice(0, cut);
      var head = headLetters.join("");
      var afterS = headLetters[cut - 1] === LINKING ? 1 : 0;
      if (!(await acceptable(head, true))) {
        if (!afterS || cut - 1 < SHORTEST) continue;
        head = headLetters.slice(0, cut - 1).join("");
        if (!(await acceptable(head, true))) continue;
      }
      var depth = ((await isPart(head, true)) ? 0 : 1) + ((await isPart(tail, false)) ? 0 : 1);
      var rank = [-depth, afterS, Math.min(length(head), length(tail)), length(tail)];
      if (bestRank === null || greater(rank, bestRank)) {
        best = [head, tail];
        bestRank = rank;
      }
    }
    return best;
  }

  function greater(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return a[i] > b[i];
    }
    return false;
  }

  async function splitMatches(index, language, word) {
    var found = index.manifest.languages[language].compounds;
    if (!found) return new Map();
    var stop = index.stop();
    async function isPart(piece, head) {
      if (!allows(found, piece, head, language, stop)) return false;
      var entry = await index.entry(language, stem(language, piece));
      return entry !== null && entry[3] === 1;
    }
    var split = await bestSplit(word, isPart, isPart);
    if (split === null) return new Map();
    var scores = null;
    for (var i = 0; i < split.length; i++) {
      var best = new Map();
      // The part's stem, and the part as written (without a linking s) where that is a stem too.
      var written = split[i].endsWith(LINKING) ? chars(split[i]).slice(0, -1).join("") : split[i];
      var terms = Array.from(new Set([stem(language, split[i]), written]));
      for (var t = 0; t < terms.length; t++) {
        var entry = await index.entry(language, terms[t]);
        if (entry === null) continue;
        for (var kind = 0; kind < 2; kind++) {
          (await index.postings(language, terms[t], entry, kind)).forEach(function (posting) {
            best.set(posting[0], Math.max(best.get(posting[0]) || 0, posting[1] * PART));
          });
        }
      }
      if (scores === null) {
        scores = best;
      } else {
        var both = new Map();
        best.forEach(function (score, doc) { if (scores.has(doc)) both.set(doc, scores.get(doc) + score); });
        scores = both;
      }
    }
    return scores || new Map();
  }

  /* ---- The query (search_index.search) --------------------------------------- */

  function add(best, postings, factor) {
    postings.forEach(function (posting) {
      var weight = posting[1] * factor;
      if (weight > (best.get(posting[0]) || 0)) best.set(posting[0], weight);
    });
  }

  async function wordMatches(index, word, last) {
    var whole = new Map(), part = new Map();
    var languages = index.languages();
    for (var l = 0; l < languages.length; l++) {
      var language = languages[l];
      var stemmed = stem(language, word);
      var entry = await index.entry(language, stemmed);
      if (entry !== null) {
        add(whole, await index.postings(language, stemmed, entry, 0), EXACT);
        add(part, await index.postings(language, stemmed, entry, 1), PART);
      }
      if (last && length(word) >= PREFIX_MIN) {
        var candidates = Array.from(await index.withPrefix(language, word)).filter(function (item) {
          return item[0] !== stemmed && item[1][0];
        });
        candidates.sort(function (a, b) { return b[1][0] - a[1][0] || compare(a[0], b[0]); });
        candidates = candidates.slice(0, PREFIX_TERMS);
        var lists = await Promise.all(candidates.map(function (item) {
          return index.postings(language, item[0], item[1], 0);
        }));
        lists.forEach(function (postings) { add(whole, postings, PREFIX); });
      }
    }
    for (var m = 0; m < languages.length; m++) {
      (await splitMatches(index, languages[m], word)).forEach(function (score, doc) {
        if (score > (part.get(doc) || 0)) part.set(doc, score);
      });
    }
    return [whole, part];
  }

  /* The matching documents, best first: [{document, score, parts}]. */
  async function search(index, text) {
    var stop = index.stop();
    var words = tokens(text).filter(function (word) { return !stop.has(word); });
    var combined = null;
    for (var position = 0; position < words.length; position++) {
      var found = await wordMatches(index, words[position], position === words.length - 1);
      var hits = new Map();
      found[0].forEach(function (score, doc) { hits.set(doc, { document: doc, score: score, parts: 0 }); });
      found[1].forEach(function (score, doc) {
        if (!hits.has(doc)) hits.set(doc, { document: doc, score: score, parts: 1 });
      });
      if (combined === null) {
        combined = hits;
      } else {
        var both = new Map();
        combined.forEach(function (hit, doc) {
          var other = hits.get(doc);
          if (other) both.set(doc, { document: doc, score: hit.score + other.score, parts: hit.parts + other.parts });
        });
        combined = both;
      }
    }
    var ranked = Array.from((combined || new Map()).values());
    ranked.sort(function (a, b) { return a.parts - b.parts || b.score - a.score || a.document - b.document; });
    return ranked;
  }

  /* Words of the index near a word that found nothing (at most two edits), best first. */
  async function nearWords(index, word) {
    var found = new Map();
    var languages = index.languages();
    for (var l = 0; l < languages.length; l++) {
      var language = languages[l];
      var numbers = new Set([index.shard(language, stem(language, word)), index.shard(language, word)]);
      numbers.delete(-1);
      var shards = await Promise.all(Array.from(numbers).map(function (n) { return index.dictionary(language, n); }));
      var limit = length(word) <= 4 ? 1 : 2;
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (term) {
          var entry = shard[term];
          if (!entry[0]) return;
          var display = entry[4] || term;
          var distance = Math.min(editDistance(word, display, limit), editDistance(word, term, limit));
          if (distance > 0 && distance <= limit) {
            var known = found.get(display);
            if (!known || distance < known[0] || entry[0] > known[1]) found.set(display, [distance, entry[0]]);
          }
        });
      });
    }
    return Array.from(found).sort(function (a, b) {
      return a[1][0] - b[1][0] || b[1][1] - a[1][1] || compare(a[0], b[0]);
    }).map(function (item) { return item[0]; });
  }

  /* Edits (insert, delete, substitute, swap two neighbours) between two words; limit + 1 when more. */
  function editDistance(a, b, limit) {
    a = chars(a); b = chars(b);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) rows[i].push(i === 0 ? j : 0);
    }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2][j - 2] + 1);
        rows[i][j] = value;
      }
    }
    return rows[a.length][b.length];
  }

  /* ---- Excerpts ----------------------------------------------------------------- */

  /* What marks a word of a text: per query word, its stems (whole words), the prefix the
   * last word may complete, and the parts a compound may contain. */
  function needles(words, languages) {
    return words.map(function (word, position) {
      var stems = Array.from(new Set(languages.map(function (language) { return stem(language, word); })));
      var prefix = position === words.length - 1 && length(word) >= PREFIX_MIN ? word : null;
      return {
        stems: new Set(stems),
        parts: stems.filter(function (value) { return length(value) >= 3; }),
        prefix: prefix,
        prefixPart: prefix !== null && length(prefix) >= 4 ? prefix : null
      };
    });
  }

  function initial(word) {
    var first = word.charAt(0);
    return first === "ä" ? "a" : first === "ö" ? "o" : first;
  }

  /* 2 when a token is one of the query word's words, 1 when it contains it as a part, else 0. */
  function tokenMatch(token, stemmed, needle) {
    if (stemmed && (needle.stems.has(stemmed) || (needle.prefix !== null && stemmed.startsWith(needle.prefix)))) {
      return 2;
    }
    for (var i = 0; i < needle.parts.length; i++) {
      if (token.indexOf(needle.parts[i]) >= 0) return 1;
    }
    return needle.prefixPart !== null && token.indexOf(needle.prefixPart) >= 0 ? 1 : 0;
  }

  /* The window of the text with the most query words (whole words counting double), its
   * words marked: [{text, mark}] pieces, with … where the text goes on; [] when no word
   * of the text matches. */
  function excerpt(text, language, words, languages) {
    var marks = needles(words, languages);
    if (marks.length === 0) return [];
    // A stem keeps its word's first letter (but for ä, ö -> a, o): words that begin otherwise
    // need no stemming, only the search for parts.
    var initials = new Set();
    marks.forEach(function (needle) {
      needle.stems.forEach(function (value) { initials.add(initial(value)); });
      if (needle.prefix !== null) initials.add(initial(needle.prefix));
    });
    var normal = text.normalize("NFC");
    var found = [], scores = [];
    var any = false, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(normal)) !== null) {
      var token = match[0].toLowerCase();
      var stemmed = initials.has(initial(token)) ? stem(language, token) : "";
      var row = new Array(marks.length);
      for (var m = 0; m < marks.length; m++) {
        row[m] = tokenMatch(token, stemmed, marks[m]);
        if (row[m]) any = true;
      }
      found.push({ start: match.index, end: match.index + match[0].length });
      scores.push(row);
    }
    if (!any) return [];
    // The best window: per query word the best match in it, summed; counts of the matches
    // of each kind per query word slide with the window.
    var size = Math.min(EXCERPT_WORDS, found.length);
    var twos = new Array(marks.length).fill(0), ones = new Array(marks.length).fill(0);
    function count(i, step) {
      for (var w = 0; w < marks.length; w++) {
        if (scores[i][w] === 2) twos[w] += step; else if (scores[i][w] === 1) ones[w] += step;
      }
    }
    function windowScore() {
      var total = 0;
      for (var w = 0; w < marks.length; w++) total += twos[w] ? 2 : ones[w] ? 1 : 0;
      return total;
    }
    for (var i = 0; i < size; i++) count(i, 1);
    var bestStart = 0, bestScore = windowScore();
    for (var start = 1; start + size <= found.length && bestScore < 2 * marks.length; start++) {
      count(start - 1, -1);
      count(start + size - 1, 1);
      var score = windowScore();
      if (score > bestScore) { bestScore = score; bestStart = start; }
    }
    function marked(k) { return scores[k].some(function (value) { return value > 0; }); }
    // Begin a few words before the first match, so that it has context.
    var first = bestStart;
    while (first < bestStart + size && !marked(first)) first++;
    var begin = Math.max(0, Math.min(first - 5, found.length - size));
    var end = Math.min(found.length, begin + size);
    var pieces = [];
    var cursor = found[begin].start;
    if (begin > 0) pieces.push({ text: "… ", mark: false });
    for (var k = begin; k < end; k++) {
      if (found[k].start > cursor) pieces.push({ text: normal.slice(cursor, found[k].start), mark: false });
      pieces.push({ text: normal.slice(found[k].start, found[k].end), mark: marked(k) });
      cursor = found[k].end;
    }
    if (end < found.length) pieces.push({ text: " …", mark: false });
    return pieces;
  }

  /* ---- The results page ---------------------------------------------------- */

  function fill(template, values) {
    return Object.keys(values).reduce(function (text, key) {
      return text.split("{" + key + "}").join(values[key]);
    }, template);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function separator(parent) { parent.appendChild(document.createTextNode(" · ")); }

  function resultItem(doc, page, words) {
    var labels = page.labels;
    var item = element("li", "ld-card ld-search-result");
    var meta = element("p", "ld-card__meta");
    meta.appendChild(element("span", "ld-card__type", labels.kind[doc.facet || doc.kind] || ""));
    if (doc.date) {
      separator(meta);
      meta.appendChild(element("span", "ld-card__date", doc.date));
    }
    if (doc.places && doc.places.length) {
      separator(meta);
      var places = element("span", "ld-card__places");
      places.appendChild(element("span", "ld-sr-only", labels.text.places + " "));
      places.appendChild(document.createTextNode(doc.places.join(", ")));
      meta.appendChild(places);
    }
    var foreign = doc.lang !== page.lang;
    if (foreign) {
      separator(meta);
      meta.appendChild(element("span", "ld-card__lang", labels.in_language[doc.lang] || doc.lang));
    }
    var title = element("p", "ld-card__title");
    var link = element("a", "", doc.title);
    link.href = page.root + doc.url;
    title.appendChild(link);
    item.appendChild(meta);
    item.appendChild(title);
    var summary = doc.summary ? element("p", "ld-card__summary", doc.summary) : null;
    if (summary) item.appendChild(summary);
    var pieces = doc.text ? excerpt(doc.text, doc.lang, words, page.index.languages()) : [];
    var text = null;
    if (pieces.some(function (piece) { return piece.mark; })) {
      text = element("p", "ld-search-excerpt");
      pieces.forEach(function (piece) {
        text.appendChild(piece.mark ? element("mark", "", piece.text) : document.createTextNode(piece.text));
      });
      item.appendChild(text);
    }
    if (foreign) {
      link.lang = doc.lang;
      if (summary) summary.lang = doc.lang;
      if (text) text.lang = doc.lang;
    }
    return item;
  }

  /* The count per type and per theme of every result. */
  function counts(page, hits) {
    var manifest = page.index.manifest;
    var byKind = new Map(), byTheme = new Map();
    hits.forEach(function (hit) {
      var doc = manifest.docs[hit.document];
      var kind = manifest.kinds[doc[0]];
      byKind.set(kind, (byKind.get(kind) || 0) + 1);
      for (var i = 1; i < doc.length; i++) byTheme.set(doc[i], (byTheme.get(doc[i]) || 0) + 1);
    });
    var box = page.counts;
    box.replaceChildren();
    if (hits.length === 0) { box.hidden = true; return; }
    box.hidden = false;
    var text = page.labels.text;
    function list(label, entries) {
      if (entries.length === 0) return;
      var paragraph = element("p", "ld-search-counts__label", label);
      var items = element("ul", "ld-search-counts__list");
      entries.forEach(function (entry) {
        items.appendChild(element("li", "", fill(text.count_item, { name: entry[0], count: String(entry[1]) })));
      });
      box.appendChild(paragraph);
      box.appendChild(items);
    }
    var kinds = Array.from(byKind).sort(function (a, b) { return b[1] - a[1]; })
      .map(function (item) { return [page.labels.kind[item[0]] || item[0], item[1]]; });
    var themes = Array.from(byTheme).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
      .map(function (item) { return [manifest.themes[item[0]][1], item[1]]; });
    list(text.counts_type, kinds);
    list(text.counts_theme, themes);
  }

  /* No result: near spellings of the words that found nothing, and the theme pages. */
  async function suggest(page, text, words) {
    var box = page.suggest;
    var labels = page.labels.text;
    var index = page.index;
    var alternatives = [];
    for (var i = 0; i < words.length && alternatives.length < 3; i++) {
      var near = await nearWords(index, words[i]);
      near.slice(0, 3 - alternatives.length).forEach(function (word) {
        alternatives.push(words.map(function (other, j) { return j === i ? word : other; }).join(" "));
      });
    }
    if (page.serial !== page.shown) return;
    box.replaceChildren();
    if (alternatives.length) {
      var paragraph = element("p", "ld-search-suggest__near", labels.suggest + " ");
      alternatives.forEach(function (alternative, n) {
        if (n) paragraph.appendChild(document.createTextNode(", "));
        var link = element("a", "", alternative);
        link.href = "?q=" + encodeURIComponent(alternative);
        paragraph.appendChild(link);
      });
      box.appendChild(paragraph);
    }
    box.appendChild(element("p", "ld-search-suggest__label", labels.suggest_themes));
    var list = element("ul", "ld-search-suggest__themes");
    index.manifest.themes.forEach(function (theme) {
      var item = element("li");
      var link = element("a", "", theme[1]);
      link.href = page.root + theme[0];
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  /* The next results (all of them while there are few), each with its document fetched. */
  async function showMore(page, focus) {
    var serial = page.shown;
    var size = page.hits.length <= page.all ? page.hits.length : page.size;
    var next = page.hits.slice(page.listed, page.listed + size);
    var docs = await Promise.all(next.map(function (hit) { return page.index.document(hit.document); }));
    if (serial !== page.shown) return;
    var items = docs.map(function (doc) { return resultItem(doc, page, page.words); });
    items.forEach(function (item) { page.list.appendChild(item); });
    page.listed += items.length;
    page.more.hidden = page.listed >= page.hits.length;
    if (focus && items.length) items[0].querySelector("a").focus();
  }

  async function show(page, text) {
    var serial = ++page.serial;
    var status = page.labels.status;
    var query = text.trim();
    var stop = page.index.stop();
    var words = tokens(query).filter(function (word) { return !stop.has(word); });
    var hits = query ? await search(page.index, query) : [];
    if (serial !== page.serial) return; // a newer query was typed meanwhile
    page.shown = serial;
    page.hits = hits;
    page.words = words;
    page.listed = 0;
    page.list.replaceChildren();
    page.suggest.replaceChildren();
    page.suggest.hidden = true;
    page.more.hidden = true;
    await showMore(page, false);
    if (serial !== page.shown) return;
    counts(page, hits);
    var message = !query ? status.empty
      : hits.length === 0 ? status.none
      : hits.length === 1 ? status.one
      : status.other;
    page.status.textContent = fill(message, { query: query, count: String(hits.length) });
    if (query && hits.length === 0 && words.length) await suggest(page, query, words);
    if (window.performance && performance.mark) performance.mark("lardom-search-results");
    page.list.dispatchEvent(new CustomEvent("lardom:results", { bubbles: true, detail: { count: hits.length } }));
  }

  /* The language switcher keeps the query, so the other language searches the same words. */
  function carryQuery(text) {
    document.querySelectorAll(".md-select__link[hreflang]").forEach(function (link) {
      var url = new URL(link.href, document.baseURI);
      if (text.trim()) url.searchParams.set("q", text.trim()); else url.searchParams.delete("q");
      link.href = url.href;
    });
  }

  function start() {
    var list = document.getElementById("ld-search-results");
    var input = document.getElementById("ld-search-query");
    var statusNode = document.getElementById("ld-search-status");
    if (!list || !input || !statusNode) return;
    var noScript = document.getElementById("ld-search-nojs");
    if (noScript) noScript.hidden = true;
    var page = {
      list: list,
      status: statusNode,
      counts: document.getElementById("ld-search-counts"),
      suggest: document.getElementById("ld-search-suggest"),
      more: document.getElementById("ld-search-more"),
      lang: list.dataset.lang,
      root: list.dataset.root,
      labels: JSON.parse(list.dataset.labels),
      index: new Index(new URL(list.dataset.index, document.baseURI).href),
      size: Number(list.dataset.page), // results shown at a time ...
      all: Number(list.dataset.all), // ... unless there are no more than this
      serial: 0, shown: 0, hits: [], words: [], listed: 0
    };
    page.more.textContent = page.labels.text.more;
    page.more.addEventListener("click", function () {
      showMore(page, true).catch(function () { statusNode.textContent = page.labels.status.error; });
    });
    var text = new URLSearchParams(window.location.search).get("q") || "";
    input.defaultValue = text; // also the attribute, so a saved or printed page shows it
    input.value = text;
    carryQuery(text);
    statusNode.textContent = page.labels.status.loading;
    function failed() {
      statusNode.textContent = page.labels.status.error;
      if (noScript) noScript.hidden = false;
    }
    page.index.load()
      .then(function () {
        var timer = null;
        input.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            var url = new URL(window.location.href);
            if (input.value.trim()) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
            window.history.replaceState(null, "", url.href);
            carryQuery(input.value);
            show(page, input.value).catch(failed);
          }, TYPING_DELAY);
        });
        return show(page, input.value);
      })
      .catch(failed);
  }

  window.LardomSearch = { tokens: tokens, Index: Index, search: search, excerpt: excerpt, nearWords: nearWords,
    bestSplit: bestSplit };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
