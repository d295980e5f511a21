/* Lärdomsbanken: combined filters on the all-lessons page.
 *
 * The page works without this script (the full list, and the index pages).
 * With it, the filter form is shown; every <select> filters the list items
 * whose data attribute of the same name (space-separated ids) holds the value.
 * The state lives in the URL (?tema=bostader&plats=lulea), so a filtered view
 * can be shared and the back button works; the count is announced through
 * the role="status" element. All words come from the page (data attributes).
 */
(function () {
  "use strict";

  function setUp() {
    var form = document.getElementById("ld-filters");
    var status = document.getElementById("ld-filter-status");
    if (!form || !status) return;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var items = Array.prototype.slice.call(document.querySelectorAll(".ld-list > li[data-" + selects[0].name + "]"));
    var total = items.length;

    function chosen() {
      var values = {};
      selects.forEach(function (select) {
        if (select.value) values[select.name] = select.value;
      });
      return values;
    }

    function matches(item, values) {
      return Object.keys(values).every(function (name) {
        var ids = (item.getAttribute("data-" + name) || "").split(" ");
        return ids.indexOf(values[name]) !== -1;
      });
    }

    function statusText(shown, filtered) {
      if (!filtered) return status.getAttribute("data-initial");
      var key = shown === 0 ? "none" : shown === 1 ? "one" : "other";
      return form.getAttribute("data-status-" + key)
        .replace("{shown}", String(shown))
        .replace("{total}", String(total));
    }

    function apply(announce) {
      var values = chosen();
      var filtered = Object.keys(values).length > 0;
      var shown = 0;
      items.forEach(function (item) {
        var visible = matches(item, values);
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      var text = statusText(shown, filtered);
      if (announce || status.textContent !== text) status.textContent = text;
    }

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var value = params.get(select.name) || "";
        // An id the list has no lessons for (an old or mistyped link) means "all".
        var known = Array.prototype.some.call(select.options, function (option) {
          return option.value === value;
        });
        select.value = known ? value : "";
      });
    }

    function toUrl() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        if (select.value) params.set(select.name, select.value);
        else params.delete(select.name);
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState(null, "", url);
      }
    }

    status.setAttribute("data-initial", status.textContent);
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.addEventListener("change", function () {
      toUrl();
      apply(true);
    });
    form.addEventListener("reset", function () {
      // The reset event fires before the form's values are cleared.
      window.setTimeout(function () {
        toUrl();
        apply(true);
      }, 0);
    });
    window.addEventListener("popstate", function () {
      fromUrl();
      apply(true);
    });
    fromUrl();
    apply(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
