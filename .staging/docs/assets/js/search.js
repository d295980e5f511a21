/* Lärdomsbanken search, on the results page sok/ of each language.
 *
 * Reads ?q=, loads this language's index (search/index.json, written by
 * lardomsbanken/search.py, which documents the format) and lists the pages that
 * contain every word. The query works exactly like search.query() in Python:
 * tokens without stop words; each token must match (AND) the stem it has in each
 * text language of the index (weight x2); the last token, which may still be
 * being typed, also matches every indexed stem that begins with it (weight x1).
 * Needs stemmers.js first.
 */
(function () {
  "use strict";

  var TOKEN = /[\p{L}\p{N}]+/gu;
  var EXACT = 2, PREFIX = 1, PREFIX_MIN = 2;
  var TYPING_DELAY = 250; // ms of quiet before results follow the field

  /* The words of a text, as lardomsbanken/searchterms.py tokens() finds them. */
  function tokens(text) {
    return text.normalize("NFC").toLowerCase().match(TOKEN) || [];
  }

  /* Document number -> the best weight with which one query word matches it. */
  function matches(terms, word, prefix) {
    var best = new Map();
    function add(postings, factor) {
      for (var i = 0; i < postings.length; i += 2) {
        var weight = postings[i + 1] * factor;
        if (weight > (best.get(postings[i]) || 0)) best.set(postings[i], weight);
      }
    }
    Object.keys(terms).forEach(function (language) {
      var dictionary = terms[language];
      var stem = window.LardomStemmers.stem(language, word);
      if (Object.prototype.hasOwnProperty.call(dictionary, stem)) add(dictionary[stem], EXACT);
      if (prefix) {
        Object.keys(dictionary).forEach(function (term) {
          if (term !== stem && term.startsWith(word)) add(dictionary[term], PREFIX);
        });
      }
    });
    return best;
  }

  /* The documents of an index that match a query, best first, each with its score. */
  function query(index, text) {
    var stop = new Set();
    Object.keys(index.terms).forEach(function (language) {
      (index.stop[language] || []).forEach(function (word) { stop.add(word); });
    });
    var words = tokens(text).filter(function (word) { return !stop.has(word); });
    var scores = null;
    words.forEach(function (word, position) {
      var prefix = position === words.length - 1 && Array.from(word).length >= PREFIX_MIN;
      var found = matches(index.terms, word, prefix);
      if (scores === null) {
        scores = found;
      } else {
        var both = new Map();
        found.forEach(function (score, doc) {
          if (scores.has(doc)) both.set(doc, scores.get(doc) + score);
        });
        scores = both;
      }
    });
    var ranked = Array.from(scores || new Map());
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.map(function (item) {
      return Object.assign({}, index.docs[item[0]], { score: item[1] });
    });
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

  function resultItem(doc, page) {
    var item = element("li", "ld-card");
    var meta = element("p", "ld-card__meta");
    meta.appendChild(element("span", "ld-card__type", page.labels.kind[doc.facet || doc.kind] || ""));
    var foreign = doc.lang !== page.lang;
    if (foreign) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(element("span", "ld-card__lang", page.labels.in_language[doc.lang] || doc.lang));
    }
    var title = element("p", "ld-card__title");
    var link = element("a", "", doc.title);
    link.href = page.root + doc.url;
    title.appendChild(link);
    item.appendChild(meta);
    item.appendChild(title);
    var summary = doc.summary ? element("p", "ld-card__summary", doc.summary) : null;
    if (summary) item.appendChild(summary);
    if (foreign) {
      link.lang = doc.lang;
      if (summary) summary.lang = doc.lang;
    }
    return item;
  }

  function show(page, text) {
    var status = page.labels.status;
    var results = text.trim() ? query(page.index, text) : [];
    page.list.replaceChildren.apply(page.list, results.map(function (doc) { return resultItem(doc, page); }));
    var message = !text.trim() ? status.empty
      : results.length === 0 ? status.none
      : results.length === 1 ? status.one
      : status.other;
    page.status.textContent = fill(message, { query: text.trim(), count: String(results.length) });
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
      lang: list.dataset.lang,
      root: list.dataset.root,
      labels: JSON.parse(list.dataset.labels),
      index: null
    };
    var text = new URLSearchParams(window.location.search).get("q") || "";
    input.defaultValue = text; // also the attribute, so a saved or printed page shows it
    input.value = text;
    carryQuery(text);
    statusNode.textContent = page.labels.status.loading;
    fetch(list.dataset.index)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (index) {
        page.index = index;
        show(page, input.value);
        var timer = null;
        input.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            var url = new URL(window.location.href);
            if (input.value.trim()) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
            window.history.replaceState(null, "", url.href);
            carryQuery(input.value);
            show(page, input.value);
          }, TYPING_DELAY);
        });
      })
      .catch(function () {
        statusNode.textContent = page.labels.status.error;
        if (noScript) noScript.hidden = false;
      });
  }

  window.LardomSearch = { tokens: tokens, query: query };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
