"""The UI's words: one catalogue per language (`zh`, `en`), looked up by message code.

A catalogue maps a code to a `str.format` template. A count chooses a word with the spec
`{n:one|other}` ("{n} {n:record|records}"), which English needs and Chinese never uses, and
`{n:chinese}` writes a number as Chinese numbers a heading (四、, （十一）); the
punctuation that differs between the languages (list separators, brackets) has codes of its own
(`sep.*`), so the English UI prints no Chinese punctuation.

Catalogues are plain modules, not gettext files: there are two languages, the strings are
looked up by code (not by English text, which would make English the key), and a module costs
no file reading or parsing at start-up; a test checks both have every code with the same values.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

#: The language the plan this run opened speaks (set by `speak`): its errors speak it too.
_SPOKEN: list[str] = []


def speak(lang: str) -> None:
    """Say that this run's views speak `lang` (the plan's, or --lang), for its errors; ""
    at the start of a run: none yet."""
    _SPOKEN[:] = [lang] if lang else []


def spoken() -> str | None:
    """The language `speak` set in this run, if a plan was opened."""
    return _SPOKEN[0] if _SPOKEN else None


#: Words accepted for each status on the command line besides its code and its labels. This is
#: input vocabulary, not UI text: every word is accepted whatever the UI language.
STATUS_WORDS = {
    "todo": ("未开始", "待办", "to-do"),
    "doing": ("进行中", "开始", "start", "started", "in-progress"),
    "blocked": ("受阻", "阻塞", "block"),
    "done": ("已完成", "完成", "办结", "finish", "finished"),
    "closed": ("已销号", "销号", "close"),
    "dropped": ("不适用", "取消", "drop", "n/a"),
}

_CATALOGUES: dict[str, dict[str, str]] = {}


def catalogue(lang: str) -> dict[str, str]:
    """Every message of `lang` (an unknown language reads as the default)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    found = _CATALOGUES.get(lang)
    if found is None:
        found = _CATALOGUES[lang] = import_module(f"xixin_cli.i18n.{lang}").MESSAGES
    return found


class _Formatter(string.Formatter):
    """str.format, plus `{n:one|other}`: the word for the count n (1 takes `one`), and
    `{n:chinese}`: n in Chinese numerals (11 → 十一)."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            return one if value == 1 else other
        if format_spec == "chinese":
            return chinese_numeral(value)
        return super().format_field(value, format_spec)


#: 一…十, the digits of a number written in Chinese.
NUMERALS = "一二三四五六七八九十"


def chinese_numeral(n: int) -> str:
    """1…99 in Chinese numerals, as a document numbers its headings: 四, 十一, 二十."""
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


_FORMATTER = _Formatter()


def message(code: str, lang: str, **params: Any) -> str:
    """The message for `code` in `lang`, with its values filled in.

    A `hint` value (a list of close matches) becomes a "did you mean" phrase.
    """
    if "hint" in params:
        hint = params["hint"]
        params = {**params, "hint": message("did_you_mean", lang, value=hint[0]) if hint else ""}
    return formatter(code, lang)(**params)


def formatter(code: str, lang: str) -> Callable[..., str]:
    """`message(code, lang, **params)` as a function of the values, the template looked up
    once: for a line filled thousands of times (a weekly report has 10,000 changes). It takes
    no `hint`."""
    template = catalogue(lang)[code]
    if "|" in template or ":chinese}" in template:
        return partial(_FORMATTER.format, template)
    return template.format


def status_label(code: str, lang: str) -> str:
    """The translated label of a status (a `Status` or its code: todo → 未开始)."""
    return catalogue(lang)[f"status.{getattr(code, 'value', code)}"]


def label(kind: str, code: str, lang: str) -> str:
    """The translated label of a code of one kind: `kind`, `basis` or `status`."""
    return catalogue(lang)[f"{kind}.{code}"]


def join(names: Any, lang: str) -> str:
    """A list of names as the language writes one (乡党群办、乡民政办 / a, b)."""
    return catalogue(lang)["sep.list"].join(names)


def sep(name: str, lang: str) -> str:
    """A piece of punctuation as the language writes it: `list` (、/, ), `bar` (｜/ | ),
    `colon`, `semicolon`."""
    return catalogue(lang)[f"sep.{name}"]
