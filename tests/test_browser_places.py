"""The page for a reader's municipality (din-kommun/) in headless Chromium: the filter box
(assets/js/places.js) by keyboard, its text in the shareable address, the count announced,
Enter to the only match, å/ä/ö typed with or without their marks; the group's page shows the
note for the municipality the address names; axe finds nothing on either as scripts left them."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from axe import axe_violations_now
from keyboard import assert_visible_focus, focus_on

VISIBLE = "[...document.querySelectorAll('#ld-places li')].filter(li => !li.hidden && !li.closest('[hidden]'))" \
          ".map(li => li.dataset.name)"
VISIBLE_COUNTIES = "[...document.querySelectorAll('.ld-places__county')].filter(c => !c.hidden).map(c => c.dataset.name)"
STATUS = "document.getElementById('ld-place-filter-status').textContent"
FIELD = "document.getElementById('ld-place-filter-input')"


def type_text(browser, text: str) -> None:
    """Types into the focused field as a keyboard would (one input event per character)."""
    for character in text:
        browser.command("Input.insertText", {"text": character})
    browser.settle(0.05, limit=1.0)


def kommun(browser) -> list[str]:
    return parse_qs(urlsplit(browser.location()).query).get("kommun", [])


def test_the_filter_box_shows_with_script_and_the_whole_list_first(browser, served_site):
    browser.open(served_site.url("/din-kommun/"))
    assert browser.evaluate("document.getElementById('ld-place-filter').hidden") is False
    assert len(browser.evaluate(VISIBLE)) == 290 and len(browser.evaluate(VISIBLE_COUNTIES)) == 21
    assert browser.evaluate(STATUS) == ""


def test_typing_filters_by_keyboard_keeps_the_text_in_the_address_and_enter_goes_to_the_match(browser, served_site):
    browser.open(served_site.url("/din-kommun/"))
    focus_on(browser, lambda f: f["id"] == "ld-place-filter-input")
    assert browser.evaluate("document.activeElement.labels[0].textContent") == "Sök efter kommun eller län"
    assert_visible_focus(browser)
    type_text(browser, "väx")
    assert browser.evaluate(VISIBLE) == ["Växjö"]
    assert browser.evaluate(VISIBLE_COUNTIES) == ["Kronobergs län"]
    assert browser.evaluate(STATUS) == "1 av 290 kommuner matchar. Tryck Enter för att gå till den."
    assert kommun(browser) == ["väx"]
    assert violations(browser) == []
    browser.press("Enter")
    browser.wait_for_event("Page.loadEventFired")
    browser.settle(0.2)
    assert unquote(browser.location()).endswith("/din-kommun/b3/#kommun-0780")
    shown = browser.evaluate("[...document.querySelectorAll('.ld-place-note')]"
                             ".filter(p => getComputedStyle(p).display !== 'none').map(p => p.textContent)")
    assert shown == ["Du valde Växjö i Kronobergs län. Kommunen hör till gruppen B3 Större stad."]
    assert violations(browser) == []


def test_a_shared_address_opens_the_filtered_list_in_english(browser, served_site):
    browser.open(served_site.url("/en/din-kommun/?kommun=vansbro"))
    assert browser.evaluate(f"{FIELD}.value") == "vansbro"
    assert browser.evaluate(VISIBLE) == ["Vansbro"]
    assert browser.evaluate(STATUS) == "1 of 290 municipalities matches. Press Enter to go to it."
    link = browser.evaluate("document.querySelector('#ld-places li:not([hidden]) a').href")
    assert link.endswith("/en/din-kommun/c8/#kommun-2021")


def test_letters_without_their_marks_a_whole_county_and_nothing(browser, served_site):
    browser.open(served_site.url("/din-kommun/"))
    browser.evaluate(f"{FIELD}.focus()")
    type_text(browser, "ostersund")  # typed without ö
    assert browser.evaluate(VISIBLE) == ["Östersund"]
    browser.evaluate(f"{FIELD}.value = ''; {FIELD}.dispatchEvent(new Event('input'))")
    assert len(browser.evaluate(VISIBLE)) == 290 and browser.evaluate(STATUS) == "" and kommun(browser) == []
    type_text(browser, "Jämtland")  # a county's name shows all its municipalities
    assert browser.evaluate(VISIBLE_COUNTIES) == ["Jämtlands län"]
    assert len(browser.evaluate(VISIBLE)) == 8
    assert browser.evaluate(STATUS) == "8 av 290 kommuner matchar."
    browser.evaluate(f"{FIELD}.value = ''; {FIELD}.dispatchEvent(new Event('input'))")
    type_text(browser, "qqq")
    assert browser.evaluate(VISIBLE) == [] and browser.evaluate(VISIBLE_COUNTIES) == []
    assert browser.evaluate(STATUS) == "Ingen kommun eller inget län matchar."
    assert violations(browser) == []


def violations(browser) -> list[str]:
    return [f"{found['id']}: {found['targets'][:3]}" for found in axe_violations_now(browser)]
