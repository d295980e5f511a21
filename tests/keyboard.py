"""Keyboard checks for the browser tests, for any control: visible focus, tab order, traps.

    browser.open(url)
    stops = tab_through(browser)        # every element Tab reaches, in order, each checked
    assert_visible_focus(browser)       # the focused element shows a focus indicator
    focus_on(browser, lambda f: f["label"] == "Välj språk")  # Tab until a matching element
"""

from __future__ import annotations

from collections.abc import Callable

from browser import Tab

# The focused element's outline and box shadow, focused and not (blurred and focused
# again with focusVisible, as after a key press), and whether it can be seen at all.
_FOCUS_STYLE_JS = """(async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Wait for transitions on it or around it (Material fades the skip link and menus in)
  // to end, at most 1 s.
  // On the element itself only changes of outline and shadow matter (not Material's colour fades).
  const indicator = a => !a.transitionProperty || /^(outline|box-shadow)/.test(a.transitionProperty);
  const moving = (around) => document.getAnimations().some(a => a.playState === 'running'
    && a.effect && a.effect.target && ((a.effect.target === el && indicator(a))
      || (around && a.effect.target.contains && a.effect.target.contains(el))));
  const settled = async (around = false) => {
    for (let waited = 0; waited < 1000 && moving(around); waited += 25) {
      await new Promise(resolve => setTimeout(resolve, 25));
    }
  };
  const look = () => { const s = getComputedStyle(el);
    return {outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '), shadow: s.boxShadow}; };
  await settled(true);
  const focused = look();
  const s = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  let opacity = 1;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    opacity *= parseFloat(getComputedStyle(node).opacity);
  }
  // The browser's own ring (style auto) counts; a drawn outline must be at least 2 px.
  const outlined = (s.outlineStyle === 'auto' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2))
    && !/rgba\\([^)]*, 0\\)|transparent/.test(s.outlineColor);
  el.blur();
  await settled();
  const plain = look();
  el.focus({focusVisible: true});
  await settled();
  return {
    focused, plain, outlined,
    shadowed: focused.shadow !== 'none' && focused.shadow !== plain.shadow,
    changed: focused.outline !== plain.outline || focused.shadow !== plain.shadow,
    seen: box.width > 0 && box.height > 0 && s.visibility === 'visible' && opacity > 0.5
      && box.bottom > 0 && box.right > 0 && box.left < innerWidth && box.top < innerHeight,
  };
})()"""


def describe(focused: dict | None) -> str:
    if focused is None:
        return "nothing (the page itself)"
    name = focused["text"] or focused["label"] or focused["href"] or ""
    return f"<{focused['tag']} class='{focused['classes']}'> {name!r} at {focused['selector']}"


def assert_visible_focus(browser: Tab) -> None:
    """The focused element can be seen and draws an outline or shadow it lacks unfocused (2.4.7)."""
    focused = browser.focused()
    style = browser.evaluate(_FOCUS_STYLE_JS)
    assert style is not None, "nothing has focus"
    assert style["seen"], f"focus is on something that cannot be seen: {describe(focused)}"
    assert style["changed"] and (style["outlined"] or style["shadowed"]), (
        f"no visible focus indicator on {describe(focused)}: focused {style['focused']}, "
        f"unfocused {style['plain']}")


def tab_through(browser: Tab, limit: int = 400, check: bool = True) -> list[dict]:
    """Presses Tab from the top of the page until focus leaves the page or comes back round;
    returns each element reached. Fails on a focus trap (a cycle that misses the first element
    reached) and, with `check`, on any element without a visible focus indicator."""
    browser.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    stops: list[dict] = []
    seen: set[str] = set()
    for _ in range(limit):
        browser.press("Tab")
        focused = browser.focused()
        if focused is None:
            return stops  # past the last element: focus left the document
        key = focused["selector"]
        if key in seen:
            assert stops and key == stops[0]["selector"], (
                f"focus trap: Tab came back to {describe(focused)} without leaving the page; "
                "order: " + " → ".join(describe(stop) for stop in stops[-8:]))
            return stops
        seen.add(key)
        if check:
            assert_visible_focus(browser)
        stops.append(focused)
    raise AssertionError(f"focus trap: more than {limit} Tab stops, last {describe(stops[-1])}")


def focus_on(browser: Tab, wanted: Callable[[dict], bool], limit: int = 400) -> dict:
    """Presses Tab until the focused element matches `wanted`; returns its description."""
    for _ in range(limit):
        browser.press("Tab")
        focused = browser.focused()
        if focused is not None and wanted(focused):
            return focused
    raise AssertionError("Tab never reached the element wanted")
