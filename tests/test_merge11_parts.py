"""The conflicts a merge brought, through the target's index (merge._indexed_conflicts):
the whole log's answer, for units' parts beside records that name no unit, one writer on
two PCs, changes made at one time, a line there twice."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli.merge import conflicts, conflicts_brought, merge_into
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event, read_log

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2022, 11, 20, 9, tzinfo=CHINA)

change = st.tuples(
    st.sampled_from(["4.3.1", "4.3.2"]),
    st.sampled_from(["", "dangqun", "minzheng"]),  # no unit: every part of the item
    st.sampled_from(list(Status)),
    st.integers(0, 30),  # minutes: offices' changes often at one time
    st.booleans(),  # started from the status the writer last saw, else from another
)
office = st.tuples(st.sampled_from(["ours", "pc2", "wang"]), st.lists(change, max_size=7))


def _write(
    path: Path, writer: str, tag: str, entries: list[tuple[str, str, Status, int, bool]]
) -> None:
    seen: dict[str, Status] = {}
    for n, (item, unit, status, minutes, followed) in enumerate(
        sorted(entries, key=lambda e: e[3])
    ):
        previous = seen.get(item, Status.TODO) if followed else Status.BLOCKED
        at = T0 + timedelta(minutes=minutes)
        event = Event(f"{tag}-{n:02d}", at, item, status, previous, "王芳", office=unit)
        append_event(path, event, writer=writer)
        seen[item] = status


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(office, st.lists(office, min_size=1, max_size=2), st.booleans())
def test_the_conflicts_brought_through_the_index_are_the_whole_logs(
    tmp_path_factory: pytest.TempPathFactory,
    ours: tuple[str, list[tuple[str, str, Status, int, bool]]],
    theirs: list[tuple[str, list[tuple[str, str, Status, int, bool]]]],
    repeated: bool,
) -> None:
    """Also when a line of the log is there twice (a copy of a log pasted onto it): it
    counts once, as its readers count it."""
    folder = tmp_path_factory.mktemp("pairs")
    os.environ["XIXIN_CACHE_DIR"] = str(folder / "cache")
    try:
        target = folder / "target.jsonl"
        _write(target, ours[0], "t", ours[1])
        if not target.exists():
            return
        if repeated:
            with target.open("ab") as handle:
                handle.write(target.read_bytes().split(b"\n")[0] + b"\n")
        for n, (writer, entries) in enumerate(theirs):
            source = folder / f"office{n}.jsonl"
            _write(source, writer, f"s{n}", entries)
            if source.exists():
                merge_into(target, [(str(source), source.read_bytes())])
        events = read_log(target).events
        added = [e for e in events if not e.event_id.startswith("t-")]
        new = {e.event_id for e in added}
        expected = sorted(
            (c.item, c.office, c.stands.event_id, c.other.event_id)
            for c in conflicts(events)
            if c.stands.event_id in new or c.other.event_id in new
        )
        found = conflicts_brought(target, added)
        assert sorted((c.item, c.office, c.stands.event_id, c.other.event_id) for c in found) == (
            expected
        )
    finally:
        del os.environ["XIXIN_CACHE_DIR"]
