"""Words for problems: the message catalogue in `data/messages.yml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lardomsbanken.load.yamltext import load_plain
from lardomsbanken.model.problems import Position, Problem


class _Lenient(dict[str, str]):
    """Leaves an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# A section heading in messages.yml: `# --- fields ----`.
_SECTION = re.compile(r"^#\s*-{3,}\s*(?P<heading>[^-].*?)\s*-*\s*$")
_CODE = re.compile(r"^(?P<code>[a-z0-9][a-z0-9-]*):")
# Shown as `\u001b` in a message: controls that would rewrite the editor's terminal, line
# breaks, direction overrides that would turn the line around, lone surrogates and the BOM.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                        "\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff]")
MAX_SHOWN = 120  # characters of a value quoted in a message


@dataclass(frozen=True)
class MessageCatalogue:
    # code -> {language: text}; an entry may also hold `help: {language: text}`,
    # what an editor should do, for the guide's catalogue of messages.
    messages: dict[str, dict[str, Any]]
    # The file's `# --- heading ---` sections in order, with their codes; codes
    # before the first heading are pieces of messages (`or`, `did-you-mean`).
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Why the file could not be read; the catalogue is then empty and shows codes.
    problem: Problem | None = None

    @classmethod
    def load(cls, path: Path) -> MessageCatalogue:
        # The catalogue is ours, not an editor's: plain safe loading is enough. A broken
        # one must still let the build say what is wrong, in codes if not in words.
        try:
            text = path.read_text(encoding="utf-8")
            messages = load_plain(text)
        except FileNotFoundError:
            return cls({}, problem=Problem("data-file-missing", Position(_shown(path))))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            mark = getattr(error, "problem_mark", None)
            where = Position(_shown(path), mark.line + 1, mark.column + 1) if mark else Position(_shown(path))
            detail = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
            return cls({}, problem=Problem("yaml-syntax", where, detail=" ".join(str(detail).split())))
        if not isinstance(messages, dict):
            return cls({}, problem=Problem("yaml-syntax", Position(_shown(path)), detail="not a mapping"))
        return cls(messages, _sections(text))

    def help(self, code: str, language: str) -> str | None:
        """What to do about a problem, when the catalogue says more than the message."""
        return (self.messages.get(code, {}).get("help") or {}).get(language)

    def text(self, code: str, language: str, /, **params: Any) -> str:
        entry = self.messages.get(code)
        if entry is None:
            return f"[{code}] " + ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
        template: str = entry.get(language) or entry.get("en") or next(iter(entry.values()))
        formatted = {key: _format_value(value, language, self) for key, value in params.items()}
        if "suggestions" in params:
            formatted["did_you_mean"] = self._did_you_mean(params["suggestions"], language)
        return template.format_map(_Lenient(formatted))

    def _did_you_mean(self, suggestions: list[str], language: str) -> str:
        if not suggestions:
            return ""
        quoted = [f"'{item}'" for item in suggestions]
        if len(quoted) > 1:
            joined = ", ".join(quoted[:-1]) + f" {self.text('or', language)} " + quoted[-1]
        else:
            joined = quoted[0]
        return self.text("did-you-mean", language, choices=joined)

    def render(self, problem: Problem, language: str) -> str:
        """One line: `file:line:column: message`."""
        return f"{_visible(str(problem.position))}: {self.text(problem.code, language, **problem.params)}"


def _sections(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if heading := _SECTION.match(line):
            sections.append((heading.group("heading"), []))
        elif (code := _CODE.match(line)) and sections:
            sections[-1][1].append(code.group("code"))
    return tuple((heading, tuple(codes)) for heading, codes in sections)


def _format_value(value: Any, language: str, catalogue: MessageCatalogue) -> str:
    if isinstance(value, (list, tuple)):
        if not value:
            none: str = catalogue.messages.get("none", {}).get(language, "-")
            return none
        return ", ".join(_visible(str(item)) for item in value)
    text = _visible(str(value))
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def _visible(text: str) -> str:
    """Text as it may be printed on one line: tabs and line breaks as spaces, other
    invisible characters written as escapes (`\\u001b`)."""
    return _INVISIBLE.sub(lambda match: " " if match.group() in "\t\n\r" else f"\\u{ord(match.group()):04x}", text)


def _shown(path: Path) -> str:
    return "/".join(Path(path).parts[-2:])  # data/messages.yml
