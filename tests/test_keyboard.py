"""Representative pages of both languages used with the keyboard alone, in headless Chromium:
a working skip link first, a visible focus indicator on every stop, no trap, and a language
switcher that opens and switches by keyboard."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from keyboard import assert_visible_focus, describe, focus_on, tab_through

# Home, a lesson, an index page and a content page, in both languages.
PAGES = ["/", "/lardomar/zink/", "/teman/", "/regioner/skelleftea/",
         "/en/", "/en/lardomar/bostader-i-skelleftea/", "/en/aktorer/", "/en/tillganglighet/"]
TABBED_THROUGH = ["/", "/lardomar/zink/", "/regioner/skelleftea/",
                  "/en/", "/en/lardomar/bostader-i-skelleftea/", "/en/tillganglighet/"]
LANGUAGE_BUTTON = {"sv": "Välj språk", "en": "Select language"}
STATEMENT = {"sv": "Tillgänglighetsredogörelse", "en": "Accessibility statement"}


def language_of(url: str) -> str:
    return "en" if url.startswith("/en/") else "sv"


@pytest.mark.parametrize("url", PAGES)
def test_skip_link_comes_first_and_moves_focus_to_the_content(browser, served_site, url):
    browser.open(served_site.url(url))
    browser.press("Tab")
    first = browser.focused()
    assert first is not None and "md-skip" in first["classes"], f"first Tab stop: {describe(first)}"
    assert_visible_focus(browser)
    target = first["href"]
    # Nothing of the content is skipped: the target is the page's title, or a mark before it.
    before_title = browser.evaluate(
        f"""(() => {{ const target = document.getElementById({unquote(target[1:])!r});
        const title = document.querySelector('.md-content h1');
        return !!(target && title && (target === title
                  || (target.compareDocumentPosition(title) & Node.DOCUMENT_POSITION_FOLLOWING))); }})()""")
    assert before_title, f"the skip link leads to {target}, past the page's title"
    browser.press("Enter")
    assert unquote(browser.location()).endswith(url + unquote(target))  # ids keep å, ä, ö
    browser.press("Tab")
    after = browser.evaluate(
        f"""(() => {{ const target = document.getElementById({unquote(target[1:])!r});
        const active = document.activeElement;
        return !!(target && active && (target.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING)
                  && active.closest('.md-content')); }})()""")
    assert after, f"after the skip link, Tab went to {describe(browser.focused())}, not into the content"


@pytest.mark.parametrize("url", TABBED_THROUGH)
def test_every_tab_stop_shows_focus_and_nothing_traps_it(browser, served_site, url):
    browser.open(served_site.url(url))
    stops = tab_through(browser)
    assert len(stops) > 5
    reached = [stop["text"] for stop in stops]
    assert STATEMENT[language_of(url)] in reached, "the footer's accessibility statement is not reachable"


def test_shift_tab_goes_back_through_the_same_stops(browser, served_site):
    browser.open(served_site.url("/lardomar/zink/"))
    forward = [stop["selector"] for stop in tab_through(browser, check=False)]
    assert browser.focused() is None  # Tab went past the last stop, out of the page
    backward = []
    for _ in forward:
        browser.press("Tab", shift=True)
        backward.append((browser.focused() or {}).get("selector"))
    assert backward == forward[::-1]


@pytest.mark.parametrize("url, other, expected", [
    ("/lardomar/zink/", "English", "/en/lardomar/zink/"),
    ("/en/teman/", "Svenska", "/teman/"),
])
def test_language_switcher_opens_and_switches_by_keyboard(browser, served_site, url, other, expected):
    browser.open(served_site.url(url))
    language = language_of(url)
    focus_on(browser, lambda f: f["label"] == LANGUAGE_BUTTON[language])
    assert_visible_focus(browser)
    browser.press("Enter")  # opens it for those who expect a button to do something
    choice = focus_on(browser, lambda f: "md-select__link" in f["classes"] and f["text"] == other, limit=3)
    assert_visible_focus(browser)  # the menu is open: its links can be seen
    assert choice["lang"] == ("en" if other == "English" else "sv")
    with browser.page.expect_navigation(wait_until="load"):
        browser.press("Enter")
    assert browser.location() == served_site.url(expected)


PHONE = (390, 844)
MENU = {"sv": "Navigation", "en": "Navigation"}  # Material's name for the menu, in both languages


@pytest.mark.parametrize("url", ["/lardomar/zink/", "/en/teman/"])
def test_on_a_narrow_screen_every_tab_stop_can_be_seen(browser, served_site, url):
    with browser.new_tab(*PHONE, mobile=True) as phone:
        phone.open(served_site.url(url))
        stops = tab_through(phone)  # the closed menu's links must not be reachable
    assert not any(stop["selector"].count("md-sidebar--primary") for stop in stops)
    assert STATEMENT[language_of(url)] in [stop["text"] for stop in stops]


@pytest.mark.parametrize("url", ["/lardomar/zink/", "/en/teman/"])
def test_on_a_narrow_screen_the_menu_opens_and_closes_by_keyboard(browser, served_site, url):
    with browser.new_tab(*PHONE, mobile=True) as phone:
        phone.open(served_site.url(url))
        button = focus_on(phone, lambda f: f["label"] == MENU[language_of(url)])
        assert button["role"] == "button"
        assert_visible_focus(phone)
        assert phone.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
        phone.press("Enter")
        assert phone.evaluate("document.getElementById('__drawer').checked")
        assert phone.evaluate("document.querySelector('.md-header label[for=__drawer]')"
                              ".getAttribute('aria-expanded')") == "true"
        inside = phone.focused()
        assert inside["tag"] == "a" and ".md-nav--primary" in phone.evaluate(
            "document.activeElement.closest('.md-nav--primary') ? '.md-nav--primary' : ''")
        assert_visible_focus(phone)
        phone.press("Tab")
        assert_visible_focus(phone)
        phone.press("Escape")
        assert not phone.evaluate("document.getElementById('__drawer').checked")
        assert phone.focused()["label"] == MENU[language_of(url)]
