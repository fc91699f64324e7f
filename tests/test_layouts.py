"""Cells laid out by an earlier command and remembered (`wrap.Memory`, kept by `cache.py`) print
exactly as cells laid out anew, whatever the memory holds."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bulk import TEXT, printed, tables

from xixin_cli import cache, wrap
from xixin_cli.wrap import Entry, Kept, Memory, Wrapped, _packed, _unpacked, remembering

from conftest import Runner

WORDS = st.sampled_from([(), ("乡民政办",), ("乡民政办", "党群办"), ("推进重点",)])


def _memory(load: Any = lambda words: None, few: int = 0) -> Memory:
    """A memory that every cell uses after the first `few` of each list of words."""
    memory = Memory(load, "stamp")
    memory.FEW = few
    return memory


def _round_trip(memory: Memory) -> Memory:
    """A memory as the next command gets it: what `memory` knows, through pickle."""
    entries = pickle.loads(pickle.dumps({k: v.entries for k, v in memory.known.items()}))

    def load(words: tuple[str, ...]) -> Kept | None:
        return Kept(entries[words], set()) if words in entries else None

    return _memory(load, memory.FEW)


def _worked_out(text: str, words: tuple[str, ...], hang: int, widths: list[int]) -> list[Any]:
    cell = Wrapped(text, words=words, hang=hang)
    found: list[Any] = [cell._widths()]
    for width in widths:
        found += [cell.count(width), cell.sized_lines(width), [t.plain for t in cell.lines(width)]]
    return found


@settings(max_examples=400, deadline=None)
@given(
    cells=st.lists(st.tuples(TEXT, WORDS, st.sampled_from([0, 2, 4])), min_size=1, max_size=6),
    widths=st.lists(st.integers(1, 50), min_size=1, max_size=6),
    few=st.integers(0, 3),
)
def test_a_remembered_cell_is_measured_and_laid_out_as_a_new_one(
    cells: list[tuple[str, tuple[str, ...], int]], widths: list[int], few: int
) -> None:
    """The same texts under other words and hangs, at widths in turn (more than a cell keeps),
    over several commands: each answer is the one worked out without a memory."""
    expected = [_worked_out(text, words, hang, widths) for text, words, hang in cells]
    memory = _memory(few=few)
    for _ in range(3):
        with remembering(memory):
            got = [_worked_out(text, words, hang, widths) for text, words, hang in cells]
        assert got == expected
        memory = _round_trip(memory)
    # and taken one width at a time, as different commands would
    for width in widths:
        with remembering(memory):
            got = [_worked_out(text, words, hang, [width]) for text, words, hang in cells]
        assert got == [_worked_out(text, words, hang, [width]) for text, words, hang in cells]
        memory = _round_trip(memory)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    width=st.integers(8, 160),
    colour=st.sampled_from([None, "truecolor"]),
)
def test_a_table_prints_the_same_from_a_memory(table: Any, width: int, colour: str | None) -> None:
    fresh = copy.deepcopy(table)
    expected = printed(fresh, True, width=width, colour=colour, escaped=True)
    memory = _memory()
    for _ in range(2):
        again = copy.deepcopy(table)
        with remembering(memory):
            assert printed(again, True, width=width, colour=colour, escaped=True) == expected
        memory = _round_trip(memory)


def test_a_cell_outside_a_memory_is_worked_out_anew() -> None:
    memory = _memory()
    with remembering(memory):
        Wrapped("推进重点工作落实", words=("乡民政办",)).sized_lines(4)
    assert wrap._MEMORY[0] is None
    entries = memory.known[("乡民政办",)].entries
    assert list(entries) == ["0:推进重点工作落实"]
    entries["0:推进重点工作落实"] = _packed([(1, 1), {4: [(0, 1, False, 2)]}])  # what it'd say
    assert Wrapped("推进重点工作落实", words=("乡民政办",)).plain_lines(4) == [
        "推进",
        "重点",
        "工作",
        "落实",
    ]
    with remembering(memory):
        assert Wrapped("推进重点工作落实", words=("乡民政办",)).plain_lines(4) == ["推"]


def test_a_cell_keeps_its_lines_at_its_last_few_widths() -> None:
    memory = _memory()
    with remembering(memory):
        for width in (9, 3, 4, 5, 6, 7):
            Wrapped("推进重点工作落实", words=("乡民政办",)).plain_lines(width)
    [packed] = memory.known[("乡民政办",)].entries.values()
    entry = _unpacked(packed)
    assert entry is not None and list(entry[1]) == [4, 5, 6, 7]


def test_a_few_cells_are_laid_out_without_loading_the_memory() -> None:
    asked: list[tuple[str, ...]] = []

    def load(words: tuple[str, ...]) -> None:
        asked.append(words)

    memory = _memory(load, few=3)
    with remembering(memory):
        for n in range(3):
            Wrapped(f"第{n}项", words=("乡民政办",)).plain_lines(4)
        assert asked == [] and not memory.changed
        Wrapped("第4项", words=("乡民政办",)).plain_lines(4)
        Wrapped("第5项", words=("乡民政办",), hang=2).plain_lines(4)
    assert asked == [("乡民政办",)]
    assert sorted(memory.known[("乡民政办",)].entries) == ["0:第4项", "2:第5项"]


def test_the_entries_used_stay_then_the_latest_others() -> None:
    entries = {str(n): bytes(8) for n in range(20)}
    kept = Kept(entries, {"3", "15"}).trimmed(5)
    assert list(kept) == ["3", "15", "17", "18", "19"]
    assert Kept(entries, {str(n) for n in range(8)}).trimmed(5).keys() == set(map(str, range(8)))
    assert Kept(entries, set()).trimmed(20) is entries


LINES = st.lists(
    st.tuples(
        st.integers(0, 2**31 - 1),
        st.integers(0, 2**31 - 1),
        st.booleans(),
        st.integers(0, 2**31 - 1),
    ).map(lambda t: (min(t[0], t[1]), max(t[0], t[1]), t[2], t[3])),
    max_size=4,
)


@given(
    measure=st.none() | st.tuples(st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1)),
    laid=st.dictionaries(st.integers(-(2**31), 2**31 - 1), LINES, max_size=4),
)
def test_an_entry_is_kept_as_it_was(
    measure: tuple[int, int] | None, laid: dict[int, list[tuple[int, int, bool, int]]]
) -> None:
    packed = _packed([measure, laid])
    assert _unpacked(packed) == [measure, laid]
    for width in [*laid, 0, 47]:  # one width's lines read alone are the same lines
        assert Entry(measure, packed).lines(width) == laid.get(width)


@given(st.binary(max_size=200) | st.just("text") | st.integers())
def test_any_bytes_are_an_entry_or_refused(packed: Any) -> None:
    found = _unpacked(packed)
    if found is not None:
        assert _unpacked(_packed(found)) == found
        measure, laid = found
        assert measure is None or min(measure) >= 0
        for lines in laid.values():
            assert all(0 <= a <= b and size >= 0 for a, b, _, size in lines)
    for width in range(-1, 3):  # read alone, a width's lines are its lines, or nothing
        alone = Entry(None, packed).lines(width)
        if found is not None:
            assert alone == found[1].get(width)
        elif alone is not None:  # damage elsewhere in the entry
            assert all(0 <= a <= b and size >= 0 for a, b, _, size in alone)


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts whose breaks are sought, from now on."""
    sought: list[str] = []
    real = wrap.breaks

    def breaks(text: str, words: Any = ()) -> list[int]:
        sought.append(text)
        return real(text, words)

    monkeypatch.setattr(wrap, "breaks", breaks)
    return sought


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--all"),
        ("overdue", "--all", "--as-of", "2023-01-15"),
        ("remind", "--as-of", "2023-01-15", "--no-pager"),
    ],
)
def test_commands_print_the_same_from_the_kept_layouts(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setattr(Memory, "FEW", 0)  # the bundled plan's tables are short
    monkeypatch.setenv("XIXIN_CACHE", "off")
    expected = xixin(*args)
    assert expected.code in (0, 1) and expected.err == ""
    monkeypatch.delenv("XIXIN_CACHE")
    first = xixin(*args)
    folder = cache.cache_dir()
    assert folder is not None
    kept = list(folder.glob("layouts-*.pickle"))
    assert kept
    sought = _spied(monkeypatch)
    second = xixin(*args)
    assert first == expected and second == expected
    assert len(sought) <= 30  # what the table samples to share its room; no title cut again
    for width in ("60", "140", "100"):  # other widths: laid out anew, as a new cell would be
        monkeypatch.setenv("COLUMNS", width)
        monkeypatch.setenv("XIXIN_CACHE", "off")
        expected = xixin(*args)
        monkeypatch.delenv("XIXIN_CACHE")
        assert xixin(*args) == expected
        assert xixin(*args) == expected
    assert all(path.exists() for path in kept)


def _numbers(*numbers: int) -> bytes:
    from array import array

    return array("i", numbers).tobytes()


def _forged(path: Path, payload: object) -> None:
    """A cache file as cache.py writes one, holding `payload`."""
    with path.open("wb") as handle:
        handle.write(cache._HEADER)
        pickle.dump((cache._STAMP, payload), handle)


@pytest.mark.parametrize(
    "damage",
    ["cut", "garbage", "other stamp", "other words", "bad entries", "wrong lines"],
)
def test_damaged_or_forged_layouts_are_worked_out_anew(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    monkeypatch.setattr(Memory, "FEW", 0)
    args = ("list", "--all")
    expected = xixin(*args)
    folder = cache.cache_dir()
    assert folder is not None
    kept = max(folder.glob("layouts-*.pickle"), key=lambda path: path.stat().st_size)
    data = kept.read_bytes()
    stamp, words, entries = pickle.loads(data[len(cache._HEADER) :])[1]
    # what the cells would print if the file were believed: one character a line
    wrong = {}
    for key, packed in entries.items():
        entry = _unpacked(packed)
        assert entry is not None
        wrong[key] = _packed([(1, 1), {w: [(0, 1, False, 1)] for w in entry[1]}])
    if damage == "cut":
        kept.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        kept.write_bytes(cache._HEADER + b"\x80\x05garbage")
    elif damage == "other stamp":  # another xixin, rich or Python worked them out
        _forged(kept, ("another", words, wrong))
    elif damage == "other words":
        _forged(kept, (stamp, ("乡民政办",), wrong))
    elif damage == "bad entries":
        _forged(kept, (stamp, words, {key: "x" for key in entries}))
    else:  # bytes, but no entry's: a flag neither 0 nor 1, more lines than there are
        forged = {key: wrong[key][:8] + _numbers(60, 1, 0, 3, 2, 4) for key in wrong}
        forged |= {key: wrong[key][:8] + _numbers(60, 9, 0, 3, 0, 4) for key in list(wrong)[:3]}
        _forged(kept, (stamp, words, forged))
    again = xixin(*args)
    assert again == expected
    assert xixin(*args) == expected  # and kept anew
    assert pickle.loads(kept.read_bytes()[len(cache._HEADER) :])[1][0] == stamp


def test_no_layouts_are_kept_with_the_cache_off_or_for_a_short_table(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cache.cache_dir()
    assert folder is not None
    assert xixin("list", "--all").code == 0  # 75 items
    assert not list(folder.glob("layouts-*"))
    monkeypatch.setattr(Memory, "FEW", 0)
    monkeypatch.setenv("XIXIN_CACHE", "off")
    assert xixin("list", "--all").code == 0
    assert not list(folder.glob("layouts-*"))


def test_tables_and_the_reminder_keep_their_cells_apart(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reminder does not load the tables' titles, nor they its lists of ids."""
    monkeypatch.setattr(Memory, "FEW", 0)
    folder = cache.cache_dir()
    assert folder is not None
    assert xixin("list", "--all").code == 0
    tables = {path.name for path in folder.glob("layouts-*")}
    assert xixin("remind", "--as-of", "2023-01-15", "--no-pager").code == 0
    reminder = {path.name for path in folder.glob("layouts-*")} - tables
    assert tables and reminder
    loaded: list[str] = []
    real = cache._load

    def spied(slot: Path | None) -> Any:
        if slot is not None and slot.name.startswith("layouts-"):
            loaded.append(slot.name)
        return real(slot)

    monkeypatch.setattr(cache, "_load", spied)
    assert xixin("remind", "--as-of", "2023-01-15", "--no-pager").code == 0
    assert loaded and set(loaded) <= reminder


def test_an_entry_of_more_widths_than_are_kept_is_refused() -> None:
    """A forged entry of many widths, shared by every key of a file, is not unpacked (and
    kept again) on every run."""
    many = {width: [(0, 1, False, 1)] for width in range(10, 10 + wrap._WIDTHS_KEPT + 1)}
    assert _unpacked(_packed([(1, 1), many])) is None
    fewer = dict(list(many.items())[: wrap._WIDTHS_KEPT])
    assert _unpacked(_packed([(1, 1), fewer])) == [(1, 1), fewer]


def test_the_stamp_follows_the_unicode_version_rich_is_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("UNICODE_VERSION", raising=False)
    default = Memory.dependencies()
    monkeypatch.setenv("UNICODE_VERSION", "8.0.0")
    assert Memory.dependencies() not in (None, default)
