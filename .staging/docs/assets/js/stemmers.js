/* Lärdomsbanken: the Snowball stemmers for Swedish and English, in plain JavaScript.
 *
 * Written from the algorithm descriptions at snowballstem.org, as the Snowball 3.1
 * rules stand (the build stems with the Python package snowballstemmer 3.1.1, and
 * tests/test_search_browser.py checks that both give the same stem for every word
 * of the lessons). Input is one lower-case token. `stem()` adds what
 * lardomsbanken/searchterms.py adds for Swedish: two passes, two definite endings
 * and plural umlauts (bostäder -> bostad).
 *
 * R1 and R2 are positions in the word: the parts after them are the regions where
 * suffixes may be removed.
 */
(function (global) {
  "use strict";

  function endsWithAt(word, suffix, end) {
    return end >= suffix.length && word.slice(end - suffix.length, end) === suffix;
  }

  /* The longest suffix from `suffixes` that the word ends with and that starts at or after `from`. */
  function longestSuffix(word, suffixes, from) {
    var best = null;
    for (var i = 0; i < suffixes.length; i++) {
      var suffix = suffixes[i];
      if (word.length - suffix.length >= from && word.endsWith(suffix) &&
          (best === null || suffix.length > best.length)) {
        best = suffix;
      }
    }
    return best;
  }

  /* The position after the first non-vowel that follows a vowel, at or after `start`. */
  function regionAfter(word, start, isVowel) {
    var i = start;
    while (i < word.length && !isVowel(word[i])) i++;
    if (i >= word.length) return word.length;
    i++;
    while (i < word.length && isVowel(word[i])) i++;
    if (i >= word.length) return word.length;
    return i + 1;
  }

  /* ---- Swedish ------------------------------------------------------------ */

  var SV_VOWELS = "aeiouyäåö";
  var SV_S_ENDING = "bcdfghjklmnoprtvy";
  var SV_OST_ENDING = "iklnprtuv";
  var SV_MAIN = {
    delete: ["a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne", "are", "aste",
      "en", "anden", "aren", "heten", "ern", "ar", "er", "heter", "or", "as", "arnas", "ernas",
      "ornas", "es", "ades", "andes", "ens", "arens", "hetens", "erns", "at", "andet", "het", "ast"],
    s: ["s"],
    et: ["et"]
  };
  var SV_MAIN_ALL = SV_MAIN.delete.concat(SV_MAIN.s, SV_MAIN.et);
  /* Endings before which "et" is part of the word, not the definite article. */
  var SV_ET_KEEP = ["fab", "h", "pak", "rak", "stak", "kom", "iet", "cit", "dit", "alit", "ilit", "mit",
    "nit", "pit", "rit", "sit", "tit", "uit", "ivit", "kvit", "xit"];
  var SV_PAIRS = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];
  var SV_OTHER = ["ig", "lig", "els", "fullt", "öst"];

  function svVowel(c) {
    return c !== undefined && SV_VOWELS.indexOf(c) >= 0;
  }

  /* "et" (or "ets") ending at `end` is removable: non-vowel, vowel and at least one more letter before it. */
  function svEtCondition(word, end) {
    if (end < 3) return false;
    if (svVowel(word[end - 1]) || !svVowel(word[end - 2])) return false;
    var before = word.slice(0, end);
    for (var i = 0; i < SV_ET_KEEP.length; i++) {
      if (before.endsWith(SV_ET_KEEP[i])) return false;
    }
    return true;
  }

  function swedish(word) {
    // R1, but with at least three letters before it.
    var p1 = word.length >= 3 ? Math.max(regionAfter(word, 0, svVowel), 3) : word.length;
    // Step 1: main suffixes, in R1.
    var suffix = longestSuffix(word, SV_MAIN_ALL, p1);
    if (suffix !== null) {
      var end = word.length - suffix.length;
      if (suffix === "s") {
        if (endsWithAt(word, "et", end) && svEtCondition(word, end - 2)) {
          word = word.slice(0, end - 2);
        } else if (end > 0 && SV_S_ENDING.indexOf(word[end - 1]) >= 0) {
          word = word.slice(0, end);
        }
      } else if (suffix === "et") {
        if (svEtCondition(word, end)) word = word.slice(0, end);
      } else {
        word = word.slice(0, end);
      }
    }
    // Step 2: a double consonant at the end of R1 loses its last letter.
    var pair = longestSuffix(word, SV_PAIRS, p1);
    if (pair !== null) word = word.slice(0, -1);
    // Step 3: other suffixes, in R1.
    var other = longestSuffix(word, SV_OTHER, p1);
    if (other === "fullt") {
      word = word.slice(0, -5) + "full";
    } else if (other === "öst") {
      var before = word[word.length - 4];
      if (before !== undefined && SV_OST_ENDING.indexOf(before) >= 0) word = word.slice(0, -3) + "ös";
    } else if (other !== null) {
      word = word.slice(0, -other.length);
    }
    return word;
  }

  /* ---- English (Porter2) --------------------------------------------------- */

  var EN_VOWELS = "aeiouy";
  var EN_EXCEPTIONS = {
    skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli",
    only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas",
    cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var EN_R1_PREFIXES = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"];
  var EN_STEP2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
    ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
    fulli: "ful", ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble",
    ogist: "og", ogi: "og", lessli: "less", li: ""
  };
  var EN_STEP3 = {
    tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "",
    ative: ""
  };
  var EN_STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism",
    "ate", "iti", "ous", "ive", "ize", "ion"];
  var EN_VALID_LI = "cdeghkmnrt";

  function enVowel(c) {
    return c !== undefined && EN_VOWELS.indexOf(c) >= 0;
  }

  /* A short syllable ends the word's first `end` letters. */
  function enShortSyllable(word, end) {
    var a = word[end - 3], b = word[end - 2], c = word[end - 1];
    if (end >= 3 && !enVowel(a) && enVowel(b) && !enVowel(c) && "wxY".indexOf(c) < 0) return true;
    if (end === 2 && enVowel(b) && !enVowel(c)) return true;
    return endsWithAt(word, "past", end);
  }

  function english(word) {
    if (Object.prototype.hasOwnProperty.call(EN_EXCEPTIONS, word)) return EN_EXCEPTIONS[word];
    if (word.length < 3) return word;
    // Prelude: no leading apostrophe; a y that acts as a consonant becomes Y.
    if (word[0] === "'") word = word.slice(1);
    var yFound = false;
    if (word[0] === "y") {
      word = "Y" + word.slice(1);
      yFound = true;
    }
    for (var i = 1; i < word.length; i++) {
      if (word[i] === "y" && enVowel(word[i - 1])) {
        word = word.slice(0, i) + "Y" + word.slice(i + 1);
        yFound = true;
      }
    }
    // Regions.
    var p1 = null;
    for (var k = 0; k < EN_R1_PREFIXES.length; k++) {
      if (word.startsWith(EN_R1_PREFIXES[k])) p1 = EN_R1_PREFIXES[k].length;
    }
    if (p1 === null) p1 = regionAfter(word, 0, enVowel);
    var p2 = regionAfter(word, p1, enVowel);

    word = enStep1a(word);
    word = enStep1b(word, p1);
    word = enStep1c(word);
    word = enStep2(word, p1);
    word = enStep3(word, p1, p2);
    word = enStep4(word, p2);
    word = enStep5(word, p1, p2);
    return yFound ? word.replace(/Y/g, "y") : word;
  }

  function enStep1a(word) {
    var apostrophe = longestSuffix(word, ["'", "'s'", "'s"], 0);
    if (apostrophe !== null) word = word.slice(0, -apostrophe.length);
    var suffix = longestSuffix(word, ["sses", "ied", "ies", "s", "ss", "us"], 0);
    var stem = suffix === null ? "" : word.slice(0, -suffix.length);
    if (suffix === "sses") return stem + "ss";
    if (suffix === "ied" || suffix === "ies") return stem + (stem.length >= 2 ? "i" : "ie");
    if (suffix === "s") {
      // Delete s if a vowel comes before the letter just before it.
      for (var i = stem.length - 2; i >= 0; i--) {
        if (enVowel(stem[i])) return stem;
      }
    }
    return word;
  }

  function enStep1b(word, p1) {
    var suffix = longestSuffix(word, ["eed", "eedly", "ed", "edly", "ing", "ingly"], 0);
    if (suffix === null) return word;
    var stem = word.slice(0, -suffix.length);
    if (suffix === "eed" || suffix === "eedly") {
      if (stem.length >= p1 && ["succ", "proc", "exc"].indexOf(stem) < 0) return stem + "ee";
      return word;
    }
    if (suffix === "ing") {
      if (/^[^aeiouy]y$/.test(stem)) return stem.slice(0, -1) + "ie";
      if (["even", "cann", "inn", "earr", "herr", "out"].indexOf(stem) >= 0) return word;
    }
    if (!/[aeiouy]/.test(stem)) return word;
    word = stem;
    if (word.endsWith("at") || word.endsWith("bl") || word.endsWith("iz")) return word + "e";
    var last = word.slice(-2);
    if (["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].indexOf(last) >= 0) {
      if (word.length === 3 && "aeo".indexOf(word[0]) >= 0) return word;
      return word.slice(0, -1);
    }
    if (word.length === p1 && enShortSyllable(word, word.length)) return word + "e";
    return word;
  }

  function enStep1c(word) {
    var n = word.length;
    if (n > 2 && (word[n - 1] === "y" || word[n - 1] === "Y") && !enVowel(word[n - 2])) {
      return word.slice(0, -1) + "i";
    }
    return word;
  }

  function enStep2(word, p1) {
    var suffix = longestSuffix(word, Object.keys(EN_STEP2), 0);
    if (suffix === null) return word;
    var start = word.length - suffix.length;
    if (start < p1) return word;
    if (suffix === "ogi") return word[start - 1] === "l" ? word.slice(0, start) + "og" : word;
    if (suffix === "li") return EN_VALID_LI.indexOf(word[start - 1]) >= 0 && start > 0 ? word.slice(0, start) : word;
    return word.slice(0, start) + EN_STEP2[suffix];
  }

  function enStep3(word, p1, p2) {
    var suffix = longestSuffix(word, Object.keys(EN_STEP3), 0);
    if (suffix === null) return word;
    var start = word.length - suffix.length;
    if (start < p1 || (suffix === "ative" && start < p2)) return word;
    return word.slice(0, start) + EN_STEP3[suffix];
  }

  function enStep4(word, p2) {
    var suffix = longestSuffix(word, EN_STEP4, 0);
    if (suffix === null) return word;
    var start = word.length - suffix.length;
    if (start < p2) return word;
    if (suffix === "ion") return start > 0 && "st".indexOf(word[start - 1]) >= 0 ? word.slice(0, start) : word;
    return word.slice(0, start);
  }

  function enStep5(word, p1, p2) {
    var n = word.length;
    if (word[n - 1] === "e") {
      var start = n - 1;
      if (start >= p2 || (start >= p1 && !enShortSyllable(word, start))) return word.slice(0, start);
    } else if (word[n - 1] === "l") {
      if (n - 1 >= p2 && word[n - 2] === "l") return word.slice(0, -1);
    }
    return word;
  }

  /* ---- Per language ---------------------------------------------------------- */

  var ASTRAL = /[\uD800-\uDFFF]/;
  var STEMMERS = { sv: swedish, en: english };
  /* Swedish runs twice: it stacks endings (bostad-en, myndighet-s); see searchterms.py. */
  var PASSES = { sv: 2 };

  /* The stem of a lower-case token in a language; unchanged if there is no stemmer. */
  function stem(language, word) {
    var stemmer = STEMMERS[language];
    if (!stemmer || ASTRAL.test(word)) return word;
    for (var pass = 0; pass < (PASSES[language] || 1); pass++) word = stemmer(word);
    // Swedish definite endings that Snowball leaves: -et after two consonants
    // (projektet, then stemmed once more) and -an (skolan).
    var n = word.length;
    if (language === "sv") {
      if (n >= 6 && word.endsWith("et") && !svVowel(word[n - 3]) && !svVowel(word[n - 4])) {
        word = swedish(word.slice(0, -2));
      } else if (n >= 5 && word.endsWith("an")) {
        word = word.slice(0, -2);
      }
      word = withoutPluralUmlaut(word);
    }
    return word;
  }

  /* The last vowel ä/ö as a/o, so that bostäder meets bostad (see searchterms.py). */
  var PLURAL_UMLAUTS = { "ä": "a", "ö": "o" };
  function withoutPluralUmlaut(word) {
    for (var i = word.length - 1; i >= 0; i--) {
      if (svVowel(word[i])) {
        var plain = PLURAL_UMLAUTS[word[i]];
        return plain ? word.slice(0, i) + plain + word.slice(i + 1) : word;
      }
    }
    return word;
  }

  global.LardomStemmers = { stem: stem, swedish: swedish, english: english };
})(window);
