"""The error tree: each error knows its exit code and its one-line message."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from xixin_cli.tuples import NamedTuple


class ExitCode(IntEnum):
    """Exit statuses; documented in README.md and stable across releases."""

    OK = 0
    #: Something was wrong in what was typed (an unknown option, a bad date, an unknown id).
    USAGE = 2
    #: The plan file is missing, unreadable or invalid.
    PLAN = 3
    #: The status log could not be read or written.
    STATE = 4
    #: An export or another output file could not be written.
    OUTPUT = 5
    #: `verify` or `doctor` found a problem in the status log.
    CHECK = 6
    #: `collect`: a returned form is not this plan's, not that unit's, or has a bad cell.
    FORM = 7
    #: `remind --send`, `schedule run`: a target did not take the reminder (it was printed).
    SEND = 8
    #: `remind --fail-on-overdue`: the command worked and something is overdue.
    OVERDUE = 10


class XixinError(Exception):
    """Base of every error the CLI reports without a traceback.

    It carries a message code from `i18n` and its values, so it reads in the user's language.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def lines(self, lang: str) -> list[str]:
        """The message, one line per problem."""
        from xixin_cli.i18n import message, status_label
        from xixin_cli.model import Status

        # The domain says which status; the language names it. A value made of the
        # language's words (a list of choices) is a function of the language, said here.
        params = {
            key: status_label(value.value, lang)
            if isinstance(value, Status)
            else value(lang)
            if callable(value)
            else value
            for key, value in self.params.items()
        }
        return [message(self.code, lang, **params)]


class UsageError(XixinError):
    """A value on the command line that cannot be used."""

    exit_code = ExitCode.USAGE


class RuleError(XixinError):
    """A change the rules do not allow (close before done, extend to an earlier day…)."""

    exit_code = ExitCode.USAGE


class Later(NamedTuple):
    """A change recorded after the one an undo would take back, of the same part and thing."""

    event: str  # the start of its record id, as history shows it
    item: str
    unit: str  # the unit's name ("" for a record for every part)
    kind: str  # status, extend, withdraw (an extension withdrawn), evidence or detach
    previous: Any  # a Status
    status: Any
    due: str  # an extension's new date
    file: str  # a file's name
    other: bool = False  # recorded by another writer (another PC's log, merged in)


class LaterChanges(RuleError):
    """An undo that would wipe out the changes recorded since the one it takes back: refused,
    and each of them named (the first few), so that the clerk can take them back first."""

    shown = 3

    def __init__(self, value: str, later: Sequence[Later]) -> None:
        super().__init__("usage.undo_later", value=value)
        self.later = tuple(later)

    def lines(self, lang: str) -> list[str]:
        from xixin_cli.i18n import join, message, status_label

        named = []
        for one in self.later[: self.shown]:
            unit = message("part_mark", lang, office=one.unit) if one.unit else ""
            if one.other:
                unit += message("undo.later_elsewhere", lang)
            named.append(
                message(
                    f"undo.later_{one.kind}",
                    lang,
                    id=one.event,
                    item=one.item,
                    unit=unit,
                    previous=status_label(one.previous, lang),
                    status=status_label(one.status, lang),
                    due=one.due,
                    file=one.file,
                )
            )
        more = len(self.later) - self.shown
        listed = join(named, lang) + (
            message("undo.later_more", lang, count=more) if more > 0 else ""
        )
        said = message(self.code, lang, value=self.params["value"], later=listed)
        if any(one.other for one in self.later):
            said += message("undo.later_elsewhere_how", lang)
        return [said]


class OutputError(XixinError):
    """An output file that cannot be written."""

    exit_code = ExitCode.OUTPUT


class StateError(XixinError):
    """The status log cannot be read or written."""

    exit_code = ExitCode.STATE


class Problem:
    """One problem in a file: where it is (file, line, key), a message code and its values.

    The code names a message in `i18n`, so the same problem reads in Chinese or English.
    """

    __slots__ = ("code", "key", "line", "params", "path")

    def __init__(
        self, path: str, line: int | None, key: str | None, code: str, **params: Any
    ) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.code = code
        self.params = params

    def render(self, lang: str) -> str:
        """`file:line: [key] message` in the given language."""
        from xixin_cli.i18n import message

        where = self.path if self.line is None else f"{self.path}:{self.line}"
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {message(self.code, lang, **self.params)}"

    def __repr__(self) -> str:
        return (
            f"Problem({self.path!r}, {self.line!r}, {self.key!r}, {self.code!r}, {self.params!r})"
        )


class PlanError(XixinError):
    """The plan file is missing, unreadable or invalid: one or more problems."""

    exit_code = ExitCode.PLAN

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("plan.invalid")
        self.problems = tuple(problems)

    def lines(self, lang: str) -> list[str]:
        return [problem.render(lang) for problem in self.problems]
