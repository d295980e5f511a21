/* Lärdomsbanken: the filter box on the page "Lessons for your municipality" (din-kommun/).
 *
 * The page works without this script: every municipality of Sweden is listed by
 * county, and each name leads to its municipality group's page. With it, the
 * filter box is shown; typing shows only the municipalities whose name (or whose
 * county's name) contains the text; text typed without marks also finds names with
 * them ("orebro" finds Örebro), text with them only those names ("väx": Växjö).
 * The text lives in the address (?kommun=ume), so a filtered list can be shared;
 * the count is announced through the role="status" element, and Enter goes to the
 * only match. All words come from the page (data attributes).
 */
(function () {
  "use strict";

  // Lower case without marks: a reader who types "orebro" or "umea" finds Örebro and Umeå.
  // Marks typed are meant: "väx" finds Växjö, not Vaxholm.
  function plain(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function matches(name, query) {
    if (name.toLowerCase().indexOf(query.exact) !== -1) return true;
    return query.unmarked && plain(name).indexOf(query.exact) !== -1;
  }

  function setUp() {
    var form = document.getElementById("ld-place-filter");
    var list = document.getElementById("ld-places");
    if (!form || !list) return;
    var input = form.querySelector("input");
    var status = document.getElementById("ld-place-filter-status");
    var counties = Array.prototype.slice.call(list.querySelectorAll(".ld-places__county"));
    var total = Number(status.getAttribute("data-total"));
    var param = input.name;

    function statusText(shown) {
      var key = shown === 0 ? "none" : shown === 1 ? "one" : "other";
      return form.getAttribute("data-status-" + key)
        .replace("{shown}", String(shown))
        .replace("{total}", String(total));
    }

    function visibleLinks() {
      return Array.prototype.slice.call(list.querySelectorAll("li:not([hidden]) a"));
    }

    function apply() {
      var text = input.value.trim();
      var query = { exact: text.toLowerCase(), unmarked: plain(text) === text.toLowerCase() };
      var shown = 0;
      counties.forEach(function (county) {
        var wholeCounty = text !== "" && matches(county.getAttribute("data-name"), query);
        var inCounty = 0;
        Array.prototype.forEach.call(county.querySelectorAll("li"), function (item) {
          var visible = text === "" || wholeCounty || matches(item.getAttribute("data-name"), query);
          item.hidden = !visible;
          if (visible) inCounty += 1;
        });
        county.hidden = inCounty === 0;
        shown += inCounty;
      });
      status.textContent = text === "" ? "" : statusText(shown);
    }

    function toUrl() {
      var params = new URLSearchParams(window.location.search);
      if (input.value.trim()) params.set(param, input.value.trim());
      else params.delete(param);
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    }

    form.hidden = false;
    input.value = new URLSearchParams(window.location.search).get(param) || "";
    input.addEventListener("input", function () {
      apply();
      toUrl();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var links = visibleLinks();
      if (input.value.trim() && links.length === 1) window.location.href = links[0].href;
    });
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
