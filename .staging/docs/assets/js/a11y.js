// Material's menu button on narrow screens is a <label> for a hidden checkbox,
// which the keyboard cannot reach (WCAG 2.1.1). Make it a button that Enter and
// Space open and close, say whether the menu is open, and let Escape close it.
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector('.md-header label[for="__drawer"]');
  var nav = document.querySelector(".md-nav--primary");
  if (!toggle || !button || !nav) {
    return;
  }
  button.setAttribute("role", "button");
  button.setAttribute("tabindex", "0");
  button.setAttribute("aria-label", nav.getAttribute("aria-label") || "");

  function sync() {
    button.setAttribute("aria-expanded", String(toggle.checked));
  }

  function set(open) {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));  // Material follows the checkbox too
    sync();
  }

  sync();
  toggle.addEventListener("change", sync);
  button.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") {
      return;
    }
    event.preventDefault();
    set(!toggle.checked);
    if (toggle.checked) {
      var first = nav.querySelector("a[href]");
      if (first) {
        first.focus();
      }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      set(false);
      button.focus();
    }
  });
})();
