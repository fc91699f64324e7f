"""Tests that bite (issue #22), session 7: merge's conflict walk over the log's index, the
chain look-ups it makes, a source read through its own index, and the index's view of a last
line still being written (docs/mutation-survivors-7-merge.md lists the mutants each kills)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from xixin_cli import log_index
from xixin_cli.cache import fold_log
from xixin_cli.log_index import open_index
from xixin_cli.merge import (
    Conflict,
    conflicts,
    conflicts_brought,
    merge_into,
    merge_logs,
    read_source,
)
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.status_log import MAX_LINE, append_decided, append_event, read_log

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2022, 11, 20, 9, tzinfo=CHINA)
ITEM, OTHER = "4.3.2", "5.1.1"


def change(
    eid: str,
    minutes: int,
    status: Status,
    previous: Status,
    *,
    item: str = ITEM,
    office: str = "",
) -> Event:
    """A status change `minutes` after 09:00 on the day (before it when negative)."""
    return Event(
        eid, T0 + timedelta(minutes=minutes), item, status, previous, "王芳", office=office
    )


def open_end(path: Path) -> None:
    """The log as another process sees it while its last line is still being written."""
    path.write_bytes(path.read_bytes().rstrip(b"\n"))


def whole_log(path: Path, new: set[str]) -> list[tuple[str, str, str, str]]:
    """What `conflicts` finds on the whole log, of the conflicts that involve a record of
    `new` (what `conflicts_brought` must give, by its docstring)."""
    return [
        (c.item, c.office, c.stands.event_id, c.other.event_id)
        for c in conflicts(read_log(path).events)
        if c.stands.event_id in new or c.other.event_id in new
    ]


def told(found: list[Conflict]) -> list[tuple[str, str, str, str]]:
    return [(c.item, c.office, c.stands.event_id, c.other.event_id) for c in found]


def clock_set_back(path: Path) -> list[Event]:
    """Writer x: 4.3.2 done at 10:00, then another item, then (the machine's clock set back an
    hour) 4.3.2 blocked "at 09:00", started from the done it had set itself. By time the
    blocked change comes first; by x's chain it came after the done (through the other item's
    record), so x had seen it: no conflict."""
    done = append_event(path, change("x-done", 60, Status.DONE, Status.TODO), writer="x")
    middle = change("x-mid", 65, Status.DOING, Status.TODO, item=OTHER)
    between = append_event(path, middle, writer="x")
    blocked = change("x-blocked", 0, Status.BLOCKED, Status.DONE)
    return [done, between, append_event(path, blocked, writer="x")]


# -- the chain walk: a record seen through the writer's chain ------------------------------------


def test_a_clock_set_back_is_no_conflict_and_a_lost_link_leaves_one(tmp_path: Path) -> None:
    """Kills `_in_conflict` 14 (the second chain test asked of no links at all) and `_chained`
    14 (an unknown link looked up with no default). The chain shows the blocked change came
    after the done one two records back: no conflict. With the middle record's line damaged,
    nothing shows it had seen it: the two disagree without sight of each other, and the later
    by time (the done at 10:00) stands over the blocked one."""
    log = tmp_path / "x.jsonl"
    clock_set_back(log)
    assert conflicts(read_log(log).events) == []
    lines = log.read_bytes().split(b"\n")
    lines[1] = b"{damaged"
    log.write_bytes(b"\n".join(lines))
    (found,) = conflicts(read_log(log).events)
    assert (found.item, found.stands.event_id, found.other.event_id) == (
        ITEM,
        "x-done",
        "x-blocked",
    )


@pytest.mark.parametrize("still_writing", [False, True])
def test_a_clock_set_back_brought_by_a_merge_is_no_conflict(
    tmp_path: Path, still_writing: bool
) -> None:
    """Kills `_indexed_conflicts` 193 (the writer's column taken for the line number: one
    writer's two changes look like two writers'), 243 (the chain followed without the
    index's links), `_Links.__init__` 1 (links without the index), `_linked` 14 (the chain
    asked of the index without the line) and 23 (the record's own hash not read: its chain
    cannot reach it), and, with the last line still being written (the index keeps it apart),
    `_indexed_conflicts` 23 (that line's change not found by its id: its chain is lost). x's
    log merged into an empty one: the blocked change came after the done one by x's chain,
    so it is no conflict, as on the whole log."""
    source, target = tmp_path / "x.jsonl", tmp_path / "t.jsonl"
    clock_set_back(source)
    _, added = merge_logs(target, [(str(source), source.read_bytes())])
    assert [e.event_id for e in added] == ["x-done", "x-mid", "x-blocked"]
    if still_writing:
        open_end(target)
    assert conflicts_brought(target, added) == []
    assert whole_log(target, {e.event_id for e in added}) == []


def test_a_lines_order_is_not_its_chains(tmp_path: Path) -> None:
    """Kills `_Links.load` 12 (the last line's link kept for every writer but its own).
    Conflicts go by what each writer had seen (its chain), not by where a line is in the file:
    here x's middle record is the last line (lines moved, as a union of two files may leave
    them) and still being written. The blocked change's chain runs through it to the done one:
    no conflict."""
    log = tmp_path / "x.jsonl"
    written = clock_set_back(log)
    done, middle, blocked = log.read_bytes().splitlines()
    log.write_bytes(done + b"\n" + blocked + b"\n" + middle)
    assert conflicts(read_log(log).events) == []
    assert conflicts_brought(log, written) == []


def test_one_writer_in_two_logs_conflicts_with_themself(tmp_path: Path) -> None:
    """Kills `_linked` 27 (the pair given back as the later change twice: a change never
    disagrees with itself). The same writer marked 4.3.2 done in one log and, not having
    seen that, blocked in another (its chain there starts afresh). Merged, the two disagree
    without sight of each other: a conflict, the later (blocked, 09:30) standing."""
    ours, laptop = tmp_path / "office.jsonl", tmp_path / "laptop.jsonl"
    append_event(ours, change("x-done", 0, Status.DONE, Status.TODO), writer="x")
    append_event(laptop, change("x-blocked", 30, Status.BLOCKED, Status.TODO), writer="x")
    _, added = merge_logs(ours, [(str(laptop), laptop.read_bytes())])
    assert told(conflicts_brought(ours, added)) == [(ITEM, "", "x-blocked", "x-done")]
    assert whole_log(ours, {"x-blocked"}) == [(ITEM, "", "x-blocked", "x-done")]


# -- the walk over the index, with a last line still being written --------------------------------


def test_an_extension_on_the_last_line_is_no_status_change(tmp_path: Path) -> None:
    """Kills `_indexed_conflicts` 6 (a record of the last line kept when it is a status change
    *or* of a touched item: an extension of 4.3.2 is then walked as a change to "todo").
    Ours: 4.3.2 done at 09:00; merged: the village's blocked at 09:30, which had not seen it;
    then ours grants an extension of 4.3.2, still being written. An extension changes no
    status: the one conflict is blocked over done."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    append_event(ours, change("o-done", 0, Status.DONE, Status.TODO), writer="ours")
    append_event(theirs, change("v-blocked", 30, Status.BLOCKED, Status.TODO), writer="cun")
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    extension = change("o-ext", 60, Status.TODO, Status.TODO)._replace(
        kind=EventKind.EXTEND, due=date(2022, 12, 31), note="资金未到"
    )
    append_event(ours, extension, writer="ours")
    open_end(ours)
    expected = [(ITEM, "", "v-blocked", "o-done")]
    assert told(conflicts_brought(ours, added)) == expected
    assert whole_log(ours, {"v-blocked"}) == expected


def test_a_last_line_for_every_unit_is_walked_in_its_time(tmp_path: Path) -> None:
    """Kills `_indexed_conflicts` 149 (the index's rows and the last line merged by whole row
    rather than by time: a record for every unit, office "", then sorts below the unit's own
    and is walked as the oldest). Unit 民政办 of 4.3.2: ours done at 09:00, the village's
    blocked at 09:30 (merged, not having seen it), then a third writer's start at 10:00 for
    every unit (a record naming no unit), not having seen the block, still being written. The
    latest disagreeing pair is block then start: the start stands over the block."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    unit = "民政办"
    append_event(ours, change("o-done", 0, Status.DONE, Status.TODO, office=unit), writer="ours")
    blocked = change("v-blocked", 30, Status.BLOCKED, Status.TODO, office=unit)
    append_event(theirs, blocked, writer="cun")
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    append_event(ours, change("t-start", 60, Status.DOING, Status.TODO), writer="third")
    open_end(ours)
    expected = [(ITEM, unit, "t-start", "v-blocked")]
    assert told(conflicts_brought(ours, added)) == expected
    assert whole_log(ours, {"v-blocked"}) == expected


def test_a_merge_of_more_than_a_thousand_items_finds_the_last_ones_conflict(
    tmp_path: Path,
) -> None:
    """Kills `_indexed_conflicts` 64 (the items asked of the index in chunks of 500 from the
    first 500 starts only: items past the 999th are never walked). A village's log of 1,001
    items started, merged into ours, which had marked only the last of them (in item order)
    done without seeing the start: that is the one conflict, the start (later) standing."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    items = [f"9.{n:04d}" for n in range(1001)]
    last = items[-1]
    append_event(ours, change("o-done", 0, Status.DONE, Status.TODO, item=last), writer="ours")
    started = [change(f"v{n}", 30, Status.DOING, Status.TODO, item=i) for n, i in enumerate(items)]
    append_decided(theirs, lambda: started, writer="cun")
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    assert len(added) == 1001
    assert told(conflicts_brought(ours, added)) == [(last, "", "v1000", "o-done")]


# -- the target's last line still being written: what the merge compares ------------------------


def test_a_one_line_log_with_a_bom_still_being_written_has_the_record(tmp_path: Path) -> None:
    """Kills `_known` 78 (the BOM kept on the target's last line, still being written, when
    it is the first line). A log saved with a BOM, its only record's newline not written yet:
    merging a copy of that record finds it there (already 1), no collision, nothing added."""
    record = tmp_path / "a.jsonl"
    append_event(record, change("a1", 0, Status.DONE, Status.TODO), writer="a")
    target = tmp_path / "t.jsonl"
    target.write_bytes(b"\xef\xbb\xbf" + record.read_bytes().rstrip(b"\n"))
    before = target.read_bytes()
    (result,) = merge_into(target, [("copy", record.read_bytes())])
    assert (result.lines, result.already, result.collisions) == ((), 1, ())
    assert target.read_bytes() == before


@pytest.mark.parametrize("longer", [-2, 0])
def test_the_longest_record_on_a_last_line_with_a_bom_is_read_whole(
    tmp_path: Path, longer: int
) -> None:
    """Kills `_last_line` 5 (one byte less read back from the end) and shows a bug it led to:
    the last line was read back 64 KiB + 1 bytes from the end, which holds a record's line
    and the newline before it, but not a first line's BOM too. A log saved with a BOM whose
    only record, still being written, is as long as a reader takes a record (MAX_LINE bytes,
    a long report pasted into its note), or two bytes less: merging a copy of it finds it
    there (already 1), not a collision."""
    record, target = tmp_path / "a.jsonl", tmp_path / "t.jsonl"
    short = change("a1", 0, Status.DONE, Status.TODO)
    append_event(tmp_path / "short.jsonl", short, writer="a")
    size = len((tmp_path / "short.jsonl").read_bytes()) - 1  # the line without its newline
    note = "x" * (MAX_LINE + longer - size)
    append_event(record, short._replace(note=note), writer="a")
    data = record.read_bytes()
    assert len(data) == MAX_LINE + longer + 1 and len(read_log(record).events) == 1
    target.write_bytes(b"\xef\xbb\xbf" + data.rstrip(b"\n"))
    (result,) = merge_into(target, [("copy", data)])
    assert (result.lines, result.already, result.collisions) == ((), 1, ())


def test_merge_into_makes_the_target_folder_when_asked(tmp_path: Path) -> None:
    """Kills `merge_into` 5 (`make_parent` not passed on). Merging into a log in a folder not
    made yet, with `make_parent`, makes it and writes the source's record there."""
    source = tmp_path / "a.jsonl"
    append_event(source, change("a1", 0, Status.DONE, Status.TODO), writer="a")
    target = tmp_path / "new" / "t.jsonl"
    (result,) = merge_into(target, [("a", source.read_bytes())], make_parent=True)
    assert len(result.lines) == 1
    assert target.read_bytes() == source.read_bytes()


def test_a_merge_the_index_cannot_take_in_leaves_the_fold_to_the_next_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kills `merge_logs` 109 (the fold extended from the merge's reading when the index read
    nothing: there is no reading then). Another writer appends to the target between the
    merge's write and its index taking the payload in (as a second process may once the lock
    is let go): the index then refuses the payload. The merge still gives the records it
    appended, and the fold read next has all three changes."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    append_event(ours, change("o1", 0, Status.DONE, Status.TODO), writer="ours")
    append_event(theirs, change("v1", 10, Status.DOING, Status.TODO, item=OTHER), writer="cun")
    assert fold_log(ours).last[ITEM, ""].status is Status.DONE  # the fold cached
    real = log_index.extend

    def meanwhile(*args: object, **kwargs: object) -> object:
        late = change("z1", 20, Status.BLOCKED, Status.TODO, item="4.1.1")
        append_event(ours, late, writer="other")
        index = open_index(ours)  # the other process brings the index up to date
        assert index is not None
        index.close()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(log_index, "extend", meanwhile)
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    assert [e.event_id for e in added] == ["v1"]
    monkeypatch.undo()
    state = fold_log(ours).last
    assert (state[ITEM, ""].status, state[OTHER, ""].status) == (Status.DONE, Status.DOING)
    assert state["4.1.1", ""].status is Status.BLOCKED


# -- a source read through its own index ---------------------------------------------------------


def indexed_source(path: Path) -> list[Event]:
    written = [
        append_event(path, change("a1", 0, Status.DONE, Status.TODO), writer="a"),
        append_event(path, change("a2", 5, Status.DOING, Status.TODO, item=OTHER), writer="a"),
    ]
    index = open_index(path)  # a command read it once: it has an index
    assert index is not None
    index.close()
    return written


@pytest.mark.parametrize("still_writing", [False, True])
def test_a_source_with_an_index_is_read_through_it(tmp_path: Path, still_writing: bool) -> None:
    """Kills `read_source` 56 (the log's handle not given to verify), 88 (the source's bytes
    dropped) and, with its last line still being written (which the index does not hold),
    70 (that line cut from the bytes by no separator). Each record is given with its line
    number, its bytes as they are and its event id; nothing is refused (it verifies)."""
    source = tmp_path / "a.jsonl"
    indexed_source(source)
    if still_writing:
        open_end(source)
        index = open_index(source)  # indexed again: the last line is kept apart now
        assert index is not None and len(index.tail) == 1
        index.close()
    data = source.read_bytes()
    read = read_source(source)
    lines = data.split(b"\n")
    assert read.entries == ((1, lines[0], "a1"), (2, lines[1], "a2"))
    assert (read.data, read.refused, read.whole) == (data, (), True)


def test_a_source_with_an_index_that_does_not_verify_is_refused(tmp_path: Path) -> None:
    """Kills `read_source` 81 (verify's codes looked for in capitals: none found) and 91 (what
    verify found dropped). A source whose first record was edited after it was written (its
    hash no longer its content) is refused as edited, and a merge takes nothing from it."""
    source = tmp_path / "a.jsonl"
    indexed_source(source)
    data = source.read_bytes()
    source.write_bytes(data.replace("王芳".encode(), "李四".encode(), 1))
    index = open_index(source)
    assert index is not None
    index.close()
    read = read_source(source)
    assert [(p.line, p.code) for p in read.refused] == [(1, "verify.edited")]
    target = tmp_path / "t.jsonl"
    (result,) = merge_into(target, [read])
    assert result.lines == () and result.refused == read.refused


@pytest.mark.parametrize("cache", ["on", "off"])
def test_a_last_line_repeating_a_record_counts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    """A bug `_indexed_conflicts` 157 led to (a tie of the walk's order: one event id on two
    lines). The village blocked 4.3.2 at 09:00; ours marked it done at 09:30 without having
    seen that: a conflict, the done standing. The log's last line, still being written, is a
    copy of ours' record edited by hand (another status under the same id): a repeated id
    counts once, as its first line, as every reader of the log counts it (and as the merge
    finds it without an index). The index walked the copy as a change of its own and, finding
    it in conflict with the original, stopped there: no conflict was reported."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    append_event(ours, change("o-done", 30, Status.DONE, Status.TODO), writer="ours")
    append_event(theirs, change("v-blocked", 0, Status.BLOCKED, Status.TODO), writer="cun")
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    first = ours.read_bytes().split(b"\n")[0]
    copy = first.replace(b'"status":"done"', b'"status":"doing"')
    assert copy != first
    ours.write_bytes(ours.read_bytes() + copy)
    monkeypatch.setenv("XIXIN_CACHE", cache)
    expected = [(ITEM, "", "o-done", "v-blocked")]
    (found,) = conflicts_brought(ours, added)
    assert told([found]) == expected and found.stands.status is Status.DONE


def test_a_chain_walked_to_its_last_allowed_link_still_shows_what_was_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kills `_linked` 24 (the later change's chain taken to be its own hash: the walk then
    starts one link further back than it should, and a chain as long as the walk goes is
    given up one link short). x marked 4.3.2 done at 10:00, then recorded two starts of
    another item, then (its clock set back) 4.3.2 blocked at 09:00: the blocked change's
    chain reaches the done one in 3 links. With the walk cut to 3 links (`_CHAIN_WALK`, 10,000
    in use: the same walk, without a log of 10,000 records to show it) that is as far as a
    chain is followed: x had seen its done, no conflict, on the whole log and in what the
    merge brought."""
    from xixin_cli import merge

    monkeypatch.setattr(merge, "_CHAIN_WALK", 3)
    source, target = tmp_path / "x.jsonl", tmp_path / "t.jsonl"
    events = [change("x-done", 60, Status.DONE, Status.TODO)]
    events += [change(f"x-mid{n}", 61, Status.DOING, Status.TODO, item=OTHER) for n in range(2)]
    events.append(change("x-blocked", 0, Status.BLOCKED, Status.DONE))
    append_decided(source, lambda: events, writer="x")
    _, added = merge_logs(target, [(str(source), source.read_bytes())])
    assert len(added) == 4
    assert conflicts(read_log(target).events) == []
    assert conflicts_brought(target, added) == []
    monkeypatch.setattr(merge, "_CHAIN_WALK", 2)  # a link short: the walk gives up
    assert told(conflicts_brought(target, added)) == [(ITEM, "", "x-done", "x-blocked")]


# -- session 7's second run: what the walk over the index still let through --------------------


def test_a_merge_of_more_than_five_hundred_items_walks_every_one(tmp_path: Path) -> None:
    """Kills `_indexed_conflicts` 70 (the items asked of the index 500 at a time, but each
    chunk starting 501 on: the 501st item, the 1,002nd... never walked). A village's log of
    1,001 items started, merged into ours, which had marked every one of them done without
    seeing the start: 1,001 conflicts, one an item, each start (later) standing, as the
    whole log's reading finds them."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    items = [f"9.{n:04d}" for n in range(1001)]
    done = [change(f"o{n}", 0, Status.DONE, Status.TODO, item=i) for n, i in enumerate(items)]
    append_decided(ours, lambda: done, writer="ours")
    started = [change(f"v{n}", 30, Status.DOING, Status.TODO, item=i) for n, i in enumerate(items)]
    append_decided(theirs, lambda: started, writer="cun")
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    found = told(conflicts_brought(ours, added))
    assert sorted(found) == [(i, "", f"v{n}", f"o{n}") for n, i in enumerate(items)]
    assert found == whole_log(ours, {e.event_id for e in added})


def test_conflicts_come_in_the_order_their_items_first_appear(tmp_path: Path) -> None:
    """Kills `_indexed_conflicts` 91 (an item's first line taken as the first line of its
    last unit, not the least over its units). Ours: 4.3.2 for 党群办 (line 1), 5.1.1 (line 2),
    4.3.2 for 财政所 (line 3); a village's changes conflict with 4.3.2's 党群办 part and with
    5.1.1. 4.3.2 appears first in the log, so its conflict is told first, as the reading of
    the whole log tells it; by 财政所's line 3 it would come after 5.1.1's."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    append_event(ours, change("o1", 0, Status.DONE, Status.TODO, office="党群办"), writer="o")
    append_event(ours, change("o2", 5, Status.DONE, Status.TODO, item=OTHER), writer="o")
    append_event(ours, change("o3", 10, Status.DOING, Status.TODO, office="财政所"), writer="o")
    append_event(theirs, change("v1", 60, Status.BLOCKED, Status.TODO, office="党群办"), writer="v")
    append_event(theirs, change("v2", 65, Status.BLOCKED, Status.TODO, item=OTHER), writer="v")
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    expected = [(ITEM, "党群办", "v1", "o1"), (OTHER, "", "v2", "o2")]
    assert told(conflicts_brought(ours, added)) == expected
    assert whole_log(ours, {"v1", "v2"}) == expected


def test_a_change_brought_that_happened_days_before_it_was_written_meets_ours(
    tmp_path: Path,
) -> None:
    """Kills `_indexed_conflicts` 219 (the walk's floor taken from when the oldest change
    brought was written, not when it happened). A village wrote on 11-20 that 4.3.2 was done
    on 11-18 (`--on`); our clerk, not having seen it, marked it blocked on 11-19. The two
    conflict, ours (later by when each happened) standing. Walking from the latest back, ours
    (11-19) is older than the village's writing (11-20) but not than its 11-18: the walk must
    not stop before the pair."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    append_event(ours, change("o1", -23 * 60, Status.BLOCKED, Status.TODO), writer="o")
    village = change("v1", 0, Status.DONE, Status.TODO)._replace(on=date(2022, 11, 18))
    append_event(theirs, village, writer="v")
    _, added = merge_logs(ours, [(str(theirs), theirs.read_bytes())])
    expected = [(ITEM, "", "o1", "v1")]
    assert told(conflicts_brought(ours, added)) == expected
    assert whole_log(ours, {"v1"}) == expected


def test_a_last_line_still_being_written_with_a_space_in_its_note_is_read_whole(
    tmp_path: Path,
) -> None:
    """Kills `_last_line` 17 (the last line cut at its last blank, not at the newline before
    it). Our log's last record, its newline not written yet, has a note with a space in it
    (「见 附件」); merging a copy of that same record finds it there (already 1): no
    collision, nothing added, the log as it was."""
    record = tmp_path / "a.jsonl"
    append_event(record, change("a0", 0, Status.DOING, Status.TODO), writer="a")
    append_event(
        record, change("a1", 5, Status.DONE, Status.DOING)._replace(note="见 附件"), writer="a"
    )
    target = tmp_path / "t.jsonl"
    target.write_bytes(record.read_bytes().rstrip(b"\n"))
    before = target.read_bytes()
    (result,) = merge_into(target, [("copy", record.read_bytes())])
    assert (result.lines, result.already, result.collisions) == ((), 2, ())
    assert target.read_bytes() == before
