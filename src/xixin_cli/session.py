"""What a command works with: the plan and its logs opened once, and typed names resolved.

The application layer between the shell and the domain: commands ask this module for the plan,
the folded logs and the official calendar, and for domain values made from what was typed (an
item, an office, a phase, a status, a date); it raises the domain's errors, never prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xixin_cli import __version__
from xixin_cli.errors import Problem, UsageError
from xixin_cli.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    STATUS_WORDS,
    catalogue,
    join,
    message,
    speak,
    status_label,
)
from xixin_cli.model import (
    Event,
    Plan,
    Status,
    Warnings,
    control_character,
    find_office,
    invisible_character,
    short_name,
)
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.fold import ItemState
    from xixin_cli.paths import NamedPlan, StatePath
    from xixin_cli.rules import Stamp
    from xixin_cli.schedule import Filter
    from xixin_cli.workdays import Calendar

#: The longest note a change records; longer material belongs in a file of its own.
MAX_NOTE = 2000


class Settings(NamedTuple):
    """What the global options say; the plan is loaded only by commands that need it."""

    plan: str | None
    state: tuple[str, ...]  # --state as given, or XIXIN_STATE; empty for the default
    lang: str | None

    @staticmethod
    def from_options(plan: str | None, state: Sequence[str] | None, lang: str | None) -> Settings:
        """The settings from the global options; XIXIN_STATE is read here rather than by
        Typer, which would split a path with spaces."""
        if lang is not None and lang not in LANGUAGES:
            raise UsageError("usage.bad_lang", value=lang)
        env_state = os.environ.get("XIXIN_STATE", "")
        return Settings(plan, tuple(state or ([env_state] if env_state else [])), lang)

    def one_state(self) -> str | None:
        """The single log a change is recorded into."""
        if len(self.state) > 1:
            raise UsageError("usage.many_states", count=len(self.state))
        return self.state[0] if self.state else None

    def language(self) -> str:
        """The UI language before any plan is read: --lang or XIXIN_LANG, else the default."""
        return self.lang or DEFAULT_LANGUAGE


#: Files as they were: each one's path and (device, inode, size, modification time in ns),
#: or None when it was not there.
Seen = tuple[tuple[Path, tuple[int, int, int, int] | None], ...]


class Session(NamedTuple):
    """The plan, the language, the log changes go to, and every item's state."""

    plan: Plan
    lang: str
    state: StatePath
    events: tuple[Event, ...]  # only when opened with events=True
    states: dict[str, ItemState]  # every item's state, folded once from the events
    warnings: tuple[str, ...]  # what the logs' readers found, in the session's language
    settings: Settings | None = None  # what it was opened with (to open it again under a lock)
    name: str = ""  # the plan's name in its workspace (`plans/NAME.yaml`), else ""
    sources: tuple[Path, ...] = ()  # the logs it read (history, report and undo ask their index)
    seen: Seen = ()  # for a session that records: its log and plan as they were before reading

    def calendar(self) -> Calendar:
        """The official working-day calendar (from the cache when it is there)."""
        return load_calendar()


def open_session(
    settings: Settings,
    *,
    events: bool = False,
    write: bool = False,
    as_of: date | None = None,
    named: NamedPlan | None = None,
) -> Session:
    """Load the plan and the logs' current state; every event too when `events` is asked for
    (history, undo and the weekly report walk them; the rest need only the fold, which is cached).

    Several logs (--state given more than once, or a folder) are read together, each event
    once; a command that records a change (`write`) takes exactly one. With `as_of` before
    today, the state is the one at the end of that day: changes that happened later (by their
    `--on` day, else the day they were written) do not count.
    """
    from xixin_cli.cache import fold_behind, fold_logs, replay_kept
    from xixin_cli.fold import Folded, items_of, states
    from xixin_cli.paths import bundled_plan, plan_name, plan_path, state_path, state_sources

    path = named.path if named is not None else plan_path(settings.plan)
    # What a change is decided against, before it is read: unchanged under the log's lock,
    # the decision stands without the log and plan read again (`record`).
    written = written_log(settings) if write else None
    seen = files_seen([written.path, path]) if written is not None else ()
    plan, lang = plan_and_language(settings, path)
    if path == bundled_plan():
        # Tables name the plan they show; the installed copy's long site-packages path says
        # less than its name and our version do.
        label = message("fmt.paren", lang, text="plan.yaml", inner=f"xixin {__version__}")
        plan = plan.with_path(label)
    if written is not None:
        where = written
        sources = [where.path]
    else:
        sources = state_sources(settings.state, path)
        where = state_path(settings.state[0] if settings.state else None, path)
    all_events: tuple[Event, ...] = ()
    # A day's replay kept from before is the answer, settled or not: the whole log's fold
    # (13 MB at county scale) need not be loaded only to learn whether it would do.
    kept = not events and as_of is not None and replay_kept(sources, as_of)
    if kept and fold_behind(sources):
        fold_logs(sources)  # the log's own fold kept up to date, as a view without a replay does
    combined = None if events else fold_logs(sources, as_of if kept else None)
    if combined is not None and as_of is not None and not kept and not combined.settled_by(as_of):
        # changes happened after the day asked for: replay up to that day (kept, as the fold).
        # The whole log's fold is let go first: a county's is 20 MB, and both at once were
        # the peak of every --as-of before the log's last day.
        combined = None
        combined = fold_logs(sources, as_of)
    if combined is None:
        from xixin_cli.fold import replayed_all
        from xixin_cli.status_log import read_logs

        all_events, read_warnings = read_logs(sources)
        # what the undos take back counts on no day, today's state as a past day's
        folded = tuple(replayed_all(all_events, as_of or date.max))
        if as_of is not None:
            all_events = folded
        combined = Folded.empty().more(folded, read_warnings)
    warnings = [warning.render(lang) for warning in _unaccepted(combined.warnings)]
    orphans = plan.unknown(items_of(combined.last))
    if orphans:
        warnings.append(message("orphans", lang, count=len(orphans), ids=join(orphans[:5], lang)))
    return Session(
        plan,
        lang,
        where,
        all_events,
        states(plan, combined.last, combined.extended, combined.evidence),
        tuple(warnings),
        settings,
        named.name if named is not None else plan_name(path),
        tuple(sources),
        seen,
    )


def plan_and_language(settings: Settings, path: Path) -> tuple[Plan, str]:
    """The plan at `path` (with its workspace's warning lights) and the language its views
    speak: --lang, else the plan's own, else the default. What a command that needs no
    item's state opens (merge: a county's fold is 20 MB it would not use)."""
    from xixin_cli.cache import load_plan_cached

    plan = with_workspace_warnings(load_plan_cached(path))
    return plan, plan_language(settings, plan)


def plan_language(settings: Settings, plan: Plan) -> str:
    """The language a plan's views speak: --lang, else the plan's own, else the default;
    what goes wrong from here on in this run is said in it too."""
    lang = settings.lang or (
        plan.document.language if plan.document.language in LANGUAGES else DEFAULT_LANGUAGE
    )
    speak(lang)
    return lang


def files_seen(paths: Sequence[Path]) -> Seen:
    """Each file as it is now (a log is only ever appended to, under its lock: one that has
    the same size, inode and modification time has had nothing written to it)."""
    found: list[tuple[Path, tuple[int, int, int, int] | None]] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            found.append((path, None))
        else:
            found.append((path, (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)))
    return tuple(found)


def _unaccepted(warnings: Sequence[Problem]) -> Sequence[Problem]:
    """What the logs' readers found, less the damaged lines the clerk has accepted as they
    are (`verify --accept-damaged`): warned once, not on every command for good."""
    from xixin_cli.status_log import DAMAGED

    if not any(warning.code in DAMAGED for warning in warnings):
        return warnings  # the usual case: nothing read, no side file opened
    from xixin_cli.merge import without_accepted_damage

    kept: list[Problem] = []
    for path in dict.fromkeys(warning.path for warning in warnings):
        kept += without_accepted_damage(Path(path), [w for w in warnings if w.path == path])
    return kept


def with_workspace_warnings(plan: Plan) -> Plan:
    """The plan with the warning lights of its workspace's `.xixin` when it sets none itself."""
    if plan.warnings.given:
        return plan
    from xixin_cli.paths import workspace

    folder = workspace()
    shared = _shared_warnings(folder) if folder is not None else None
    if shared is None:
        return plan
    return Plan(plan.path, plan.document, plan.offices, plan.phases, plan.items, shared)


_SHARED: dict[tuple[Path, int, int], Warnings | None] = {}


def _shared_warnings(folder: Path) -> Warnings | None:
    """A workspace's own warning lights, read once while its `.xixin` is unchanged."""
    from xixin_cli.paths import WORKSPACE_MARK
    from xixin_cli.plan_file import workspace_warnings

    mark = folder / WORKSPACE_MARK
    try:
        info = mark.stat()
    except OSError:
        return None
    key = (folder, info.st_mtime_ns, info.st_size)
    if key not in _SHARED:
        _SHARED[key] = workspace_warnings(mark)
    return _SHARED[key]


def open_all(
    settings: Settings, *, events: bool = False, as_of: date | None = None
) -> list[Session]:
    """Every plan a view covers: in a workspace of several plans with none named (--plan),
    each of them with its own log; else the one plan `open_session` opens."""
    from xixin_cli.paths import named_plan, workspace, workspace_plans

    folder = workspace()
    if folder is None or settings.plan or named_plan(None) is not None:
        return [open_session(settings, events=events, as_of=as_of)]
    found = workspace_plans(folder)
    if not found:
        return [open_session(settings, events=events, as_of=as_of)]
    if settings.state:  # each plan has its own log: one --state cannot be all of them
        raise UsageError("usage.state_needs_plan", names=", ".join(e.name for e in found))
    from xixin_cli.warmup import open_each

    return open_each(
        found,
        settings,
        lambda entry: open_session(
            settings._replace(plan=entry.name), events=events, as_of=as_of, named=entry
        ),
        as_of,
    )


def knowing(
    found: Sequence[Session],
    office_names: str | Sequence[str] | None,
    phase_name: str | None = None,
) -> list[Session]:
    """Of several plans, those that know the unit and the phase typed (--office, --phase): a
    unit only one plan names narrows the view to it; the first plan's UsageError when none
    knows them."""
    if len(found) < 2 or (not office_names and phase_name is None):
        return list(found)
    kept: list[Session] = []
    first: UsageError | None = None
    for opened in found:
        try:
            offices(opened.plan, office_names, opened.lang)
            phase(opened.plan, phase_name, opened.lang)
        except UsageError as error:
            first = first or error
            continue
        kept.append(opened)
    if not kept and first is not None:
        raise first
    return kept


def choose_plan(settings: Settings, typed: Sequence[str]) -> Settings:
    """The settings for a command about the items `typed` (ids, `NAME:ID` qualified or not):
    in a workspace of several plans with none named, the one plan that holds them all. An id
    two plans hold must be qualified (`minzu:5.3.1`), and --plan must agree with a qualifier."""
    from xixin_cli.paths import named_plan, workspace, workspace_plans

    folder = workspace()
    if folder is None or not typed:
        return settings
    found = workspace_plans(folder)
    names = {entry.name for entry in found}
    wanted: dict[str, None] = {}
    plain: list[str] = []
    for value in typed:
        name, colon, _ = value.partition(":")
        if colon and name in names:
            if settings.plan and named_plan(settings.plan) is not None and settings.plan != name:
                raise UsageError("usage.id_of_other_plan", value=value, plan=settings.plan)
            wanted[name] = None
        else:
            plain.append(value)
    if settings.plan or len(found) < 2:
        return settings
    from xixin_cli.cache import load_plan_cached

    for value in plain:
        having = [
            entry.name
            for entry in found
            if (plan := load_plan_cached(entry.path)).get(value) is not None
            or plan.get(numbering_id(value)) is not None
        ]
        if len(having) > 1:
            refs = ", ".join(f"{name}:{value}" for name in having)
            raise UsageError("usage.ambiguous_id", value=value, refs=refs)
        if not having:
            raise UsageError("usage.unknown_id_in_plans", value=value, names=", ".join(names))
        wanted[having[0]] = None
    if len(wanted) > 1:
        raise UsageError("usage.ids_of_plans", names=", ".join(wanted))
    return settings._replace(plan=next(iter(wanted))) if wanted else settings


def choose_plan_to_undo(settings: Settings, writer: str, which: str) -> Settings:
    """The settings `undo` works in: in a workspace of several plans with none named, the plan
    whose log holds the change to take back (the one `which` names, else this writer's
    latest, by when it counts as made); the first plan when there is none."""
    from xixin_cli.errors import RuleError
    from xixin_cli.fold import order_key
    from xixin_cli.paths import named_plan, workspace
    from xixin_cli.rules import undo_target

    if settings.plan or workspace() is None or named_plan(None) is not None:
        return settings
    found = []
    plans = open_all(settings, events=True)
    for opened in plans:
        try:
            target = undo_target(opened.events, writer, which)
        except RuleError:
            continue  # `which` names no record of this log (or more than one)
        if target:
            found.append((order_key(target[-1]), opened.name))
    if not found and which:
        raise RuleError("usage.undo_id_unknown", value=which)
    return settings._replace(plan=max(found)[1] if found else plans[0].name)


def plain_id(session: Session, typed: str) -> str:
    """An id as its plan has it: `minzu:5.3.1` is 5.3.1 in the plan named minzu."""
    if session.name and typed.startswith(session.name + ":"):
        return typed[len(session.name) + 1 :]
    return typed


def logs_read(session: Session) -> list[Path]:
    """The logs a session read (for the commands that then ask the logs' index for events)."""
    return list(session.sources) or [session.state.path]


def written_log(settings: Settings) -> StatePath:
    """The one log a change is recorded into: --state (only one), else the plan's default."""
    from xixin_cli.paths import plan_path, state_path

    return state_path(settings.one_state(), plan_path(settings.plan))


def _today() -> date:
    from xixin_cli.dates import today_in_china

    return today_in_china()


def load_calendar() -> Calendar:
    """The official calendar, kept in the cache folder while the package's data is unchanged."""
    from xixin_cli.cache import derived
    from xixin_cli.workdays import Calendar, build_calendar, package_stamp

    key = package_stamp()
    if key is None:
        return build_calendar()  # no file to key on: build it (the import says what is wrong)
    from xixin_cli.cache import cache_dir

    kept = (key, str(cache_dir()))  # a workspace's forty plans share one read
    if kept in _CALENDARS:
        return _CALENDARS[kept]
    calendar = derived("calendar", key, build_calendar)
    found = calendar if isinstance(calendar, Calendar) else build_calendar()
    _CALENDARS[kept] = found
    return found


_CALENDARS: dict[tuple[tuple[str, int, int], str], Calendar] = {}


def inputs(settings: Settings, opened: Session) -> list[tuple[Path, str]]:
    """Every file the session reads or may append to, with what it is, so that no output is
    written over one: the plan, each log read (and the one written), every evidence file."""
    from xixin_cli.paths import plan_path, state_sources

    plan = plan_path(settings.plan)
    found = [(plan, "plan"), (opened.state.path, "log")]
    found += [(path, "log") for path in state_sources(settings.state, plan)]
    from xixin_cli.evidence import store_of, stored

    store = store_of(opened.state.path)
    for state in opened.states.values():
        for event in state.evidence:
            found.append((Path(event.path), "evidence"))
            found.append((stored(store, event.sha256), "evidence"))
    return found


# -- turning typed values into domain values ----------------------------------------------------


def as_of(value: str | None, option: str = "--as-of") -> date:
    """The day a command computes for: the typed date, or today in China."""
    return read_day(value, option)[0]


def read_day(
    value: str | None, option: str = "--as-of", lang: str = DEFAULT_LANGUAGE
) -> tuple[date, str | None]:
    """A typed day (a date, or 今天, 下周五, +3d, 11月30日…), or today in China; with the
    notice to give when the year was taken from today."""
    from xixin_cli.dates import (
        FIRST_YEAR,
        LAST_YEAR,
        DateFormatError,
        DateRangeError,
        parse_date,
        relative_day,
        today_in_china,
    )

    if value is None:
        return today_in_china(), None
    try:
        try:
            return parse_date(value), None
        except DateRangeError:
            raise
        except DateFormatError:
            found = relative_day(value, today_in_china())
            if found is None:
                raise
            day, guessed = found
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise DateRangeError(value) from None
            note = message("year_taken", lang, value=value, day=day.isoformat())
            return day, note if guessed else None
    except DateRangeError:
        raise UsageError(
            "usage.date_range", option=option, value=value, first=FIRST_YEAR, last=LAST_YEAR
        ) from None
    except DateFormatError:
        raise UsageError("usage.bad_date", option=option, value=value) from None


def close_matches(value: str, choices: list[str], n: int = 1, cutoff: float = 0.5) -> list[str]:
    """The choices that look like a mistyped `value`, best first."""
    import difflib  # only when something was mistyped

    return difflib.get_close_matches(value, choices, n=n, cutoff=cutoff)


def item_state(session: Session, item_id: str) -> ItemState:
    """The state of the item `item_id` names, or a usage error with a did-you-mean."""
    found = session.states
    item_id = plain_id(session, item_id)
    if not item_id.strip():
        raise UsageError("usage.empty_id")
    if item_id not in found:
        numbered = numbering_id(item_id)
        if numbered in found:
            return found[numbered]
        raise UsageError("usage.unknown_id", value=item_id, hint=close_matches(item_id, [*found]))
    return found[item_id]


_NUMERALS = "一二三四五六七八九"


def _numeral(text: str) -> int | None:
    """一…九十九 as a number; None for anything else."""
    if text and all(ch in _NUMERALS or ch == "十" for ch in text) and len(text) <= 3:
        tens, _, ones = text.rpartition("十")
        if "十" not in text:
            return _NUMERALS.index(text) + 1 if len(text) == 1 else None
        high = (_NUMERALS.index(tens) + 1) if tens else 1
        low = (_NUMERALS.index(ones) + 1) if ones else 0
        return high * 10 + low
    return None


def numbering_id(text: str) -> str:
    """The id the document's own numbering names: 四（三）2 → 4.3.2, 五（三）1 → 5.3.1, 六（一）→
    6.1, 四 → 4 (full-width brackets or not). Text of another shape comes back as it was."""
    import re

    match = re.match(
        r"^\s*([一二三四五六七八九十]+)[、.]?\s*(?:[（(]([一二三四五六七八九十]+)[）)])?\s*(\d+)?[.、]?\s*$",
        text,
    )
    if not match:
        return text
    first, second, third = match.groups()
    parts = [_numeral(first), _numeral(second) if second else None]
    if parts[0] is None or (second and parts[1] is None):
        return text
    found = [str(parts[0])] + ([str(parts[1])] if parts[1] else []) + ([third] if third else [])
    return ".".join(found)


def office(plan: Plan, value: str | None, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The key of the office `value` names (key, full name or short name), or None for none."""
    if value is None:
        return None
    key = find_office(plan.offices, value)
    if key is not None:
        return key
    started = [  # 民政 for 乡民政办: a start of a name that only one unit has
        key
        for key, unit in plan.offices.items()
        if len(value) >= 2
        and (unit.name.startswith(value) or short_name(unit.name).startswith(value))
    ]
    if len(started) == 1:
        return started[0]
    names = [unit.name for unit in plan.offices.values()]
    raise UsageError(
        "usage.unknown_office",
        value=value,
        allowed=join(names, lang),
        hint=close_matches(value, names, cutoff=0.3),
    )


def phase(plan: Plan, value: str | None, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The key of the phase `value` names (key, number, name with or without 阶段)."""
    if value is None:
        return None
    for key, found in plan.phases.items():
        if value in (key, found.number, found.name, found.name.removesuffix("阶段")):
            return key
    names = [f"{found.number} {found.name}" for found in plan.phases.values()]
    raise UsageError(
        "usage.unknown_phase",
        value=value,
        allowed=join(names, lang),
        hint=close_matches(value, names, cutoff=0.3),
    )


def status(value: str) -> Status:
    """The status a word names: its code, its label in either language, or a common synonym."""
    wanted = value.strip().lower()
    for code in Status:
        labels = (catalogue(each)[f"status.{code.value}"] for each in LANGUAGES)
        if wanted in (word.lower() for word in (code.value, *labels, *STATUS_WORDS[code.value])):
            return code

    def choices(lang: str) -> str:  # in the language the error is said in (the plan's)
        return join(
            (
                message("usage.status_choice", lang, status=s.value, label=status_label(s, lang))
                for s in Status
            ),
            lang,
        )

    raise UsageError("usage.bad_status", value=value, allowed=choices)


def item_filter(
    session: Session,
    office_names: str | Sequence[str] | None,
    phase_name: str | None = None,
    statuses: Iterable[str] | None = None,
) -> Filter:
    """The filter the --office, --phase and --status options describe; --office given more
    than once keeps what any of the units named has a part in."""
    from xixin_cli.schedule import Filter

    plan, lang = session.plan, session.lang
    keys = offices(plan, office_names, lang)
    units = frozenset(unit for key in keys for unit in plan.units(key))
    return Filter(
        keys[0] if keys else None,
        phase(plan, phase_name, lang),
        frozenset(status(s) for s in statuses or ()),
        units,
        keys if len(keys) > 1 else (),
    )


def offices(
    plan: Plan, values: str | Sequence[str] | None, lang: str = DEFAULT_LANGUAGE
) -> tuple[str, ...]:
    """The keys of the offices `values` names (each as `office` reads it), once each."""
    typed = [values] if isinstance(values, str) else list(values or ())
    return tuple(dict.fromkeys(key for value in typed if (key := office(plan, value, lang))))


def view(session: Session, where: Filter) -> dict[str, ItemState]:
    """The item states a view shows: as the unit `where` names sees them (its own parts), or
    every item's whole state when it names none."""
    if where.office is None:
        return session.states
    from xixin_cli.fold import project

    return project(session.plan, session.states, where.units)


def _check_bytes(value: str) -> None:
    """UsageError for text holding bytes that were not UTF-8 (Python keeps them as lone
    surrogates), which no log line could hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError("usage.bad_bytes") from None


def note(value: str | None) -> str:
    """A note as recorded: one line, not too long, stripped."""
    if value is None:
        return ""
    _check_bytes(value)
    if control_character(value) is not None:
        raise UsageError("usage.bad_note")
    if len(value) > MAX_NOTE:
        raise UsageError("usage.note_too_long", length=len(value), limit=MAX_NOTE)
    return value.strip()


def recorder(value: str | None) -> str:
    """Who records a change: --by, else XIXIN_BY, else `xixin config set by NAME`, else the
    login name."""
    if value is None:
        from xixin_cli.config import value as setting

        value = setting("by")
    if value is not None:
        _check_bytes(value)
        if not value.strip():
            raise UsageError("usage.empty_by")
        if control_character(value) is not None or invisible_character(value) is not None:
            raise UsageError("usage.bad_by")
        return value.strip()
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts and containers
        return "unknown"


# -- recording ------------------------------------------------------------------------------------

#: What `--office` takes to mean every unit of an item.
ALL_UNITS = ("all", "全部")


def parts_for(session: Session, state: ItemState, given: Sequence[str]) -> list[str]:
    """The units whose parts a change is recorded for: those `--office` names (a group stands
    for its members on the item), every unit for `all`, or the only one. An item with several
    units needs `--office`, so one office's report is never recorded for all."""
    plan, lang = session.plan, session.lang
    mine = [part.office for part in state.parts]
    names = [plan.offices[key].name for key in mine if key in plan.offices]
    item_id = state.item.id
    if not given:
        if len(mine) <= 1:
            return mine
        raise UsageError(
            "usage.which_offices",
            item=item_id,
            count=len(mine),
            offices=join(names, lang),
            first=f'"{names[0]}"' if any(ch.isspace() for ch in names[0]) else names[0],
        )
    if any(value.strip().lower() in ALL_UNITS for value in given):
        return mine
    chosen: list[str] = []
    for value in given:
        units = plan.units(office(plan, value, lang) or "")
        found = [key for key in mine if key in units]
        if not found:
            raise UsageError(
                "usage.office_not_on_item", office=value, item=item_id, offices=join(names, lang)
            )
        chosen += [key for key in found if key not in chosen]
    return chosen


def stamper(by: str, on: date | None = None) -> Callable[[], Stamp]:
    """Stamps for the records of one command: who records them, now (in China; one time for
    all of them, so `undo` reverts them together), a new unique id each, and the day the
    change happened when the clerk says it was earlier (`--on`)."""
    import uuid

    from xixin_cli.dates import now_in_china
    from xixin_cli.rules import Stamp

    at = now_in_china()
    return lambda: Stamp(at, uuid.uuid4().hex, by, on)


def record(
    session: Session, decide: Callable[[Session], Sequence[Event]], *, events: bool = False
) -> list[Event]:
    """Record what `decide` makes of the log as it is once the log is locked: the one path
    every change takes. Under the lock the session is opened again, so a change decided on
    (a status's `previous`, what `undo` reverts, whether a rule allows it) sees every change
    another xixin recorded just before, unless the log and the plan are as they were before
    `session` read them (`files_seen`): then what `decide` made of `session` stands (a county
    office's 7,000 rows are not decided twice)."""
    from xixin_cli.identity import writer_id
    from xixin_cli.status_log import append_decided

    given = session.settings
    assert given is not None, "a session opened by open_session"
    first = decide(session)
    if not first:  # what would break a rule is said before the log is touched
        return []

    def fresh() -> Sequence[Event]:
        unchanged = files_seen([path for path, _ in session.seen]) == session.seen
        if session.seen and unchanged and (session.events or not events):
            return first  # nothing written since the session read them: the same decision
        return decide(open_session(given, events=events, write=True))

    return append_decided(
        session.state.path, fresh, writer=writer_id(), make_parent=session.state.is_default
    )


def stood_on(session: Session, day: date | None, items: Sequence[str]) -> dict[str, ItemState]:
    """The states of the leaves `items` as they stood at the end of `day` (a change's `--on`
    day), as a session opened as of that day has them; their states in `session` for None or
    today. Only their own records and the log's undos are read, through the index (a past
    day's replay of a county's whole log: 2 s)."""
    if day is None or day >= _today():
        return {item: session.states[item] for item in items}
    from xixin_cli.fold import Folded, replayed_all, states
    from xixin_cli.log_index import of_items, select

    wanted = set(items)
    found = select(list(session.sources), of_items(items))  # theirs, and every undo
    kept = tuple(event for event in replayed_all(found, day) if event.item in wanted)
    then = Folded.empty().more(kept, ())
    made = states(session.plan, then.last, then.extended, then.evidence)
    return {item: made[item] for item in items}


def on_day(value: str | None, plan: Plan) -> date | None:
    """--on: the day a change happened, not after today nor before the plan was issued."""
    if value is None:
        return None
    day = as_of(value, "--on")
    if day > _today():
        raise UsageError("usage.on_future", value=value)
    if plan.document.date is not None and day < plan.document.date:
        raise UsageError("usage.on_before_plan", value=value, issued=plan.document.date.isoformat())
    return day
