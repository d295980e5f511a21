"""axe-core in the browser tests: the vendored script and the WCAG 2.1 A/AA run."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_RUN = """axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                         resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(node => node.target.join(' ')),
  })))"""


def axe_violations_now(tab) -> list[dict]:
    """axe over the page as it is now, e.g. after a script has drawn search results."""
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    return tab.evaluate(AXE_RUN)
