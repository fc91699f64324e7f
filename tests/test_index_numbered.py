"""Records read back through the index, many at once, are those a full read of the log gives."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli import log_index
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event, parse_log

CHINA = timezone(timedelta(hours=8))
START = datetime(2022, 11, 1, 9, tzinfo=CHINA)
NOTES = ["", "已报送台账", "done\\n", '"quoted"']

lines = st.lists(
    st.one_of(
        st.tuples(st.just("record"), st.sampled_from(NOTES)),
        st.tuples(st.just("garbage"), st.binary(max_size=12).filter(lambda b: b"\n" not in b)),
        st.tuples(st.just("repeat"), st.integers(min_value=0)),
    ),
    min_size=1,
    max_size=14,
)


def _log(path: Path, made: list[tuple[str, object]], bom: bool) -> None:
    written: list[bytes] = []
    for n, (kind, value) in enumerate(made):
        if kind == "record":
            at = START + timedelta(minutes=n)
            event = Event(f"e{n}", at, "4.1.1", Status.DONE, Status.TODO, "s", str(value))
            append_event(path, event, writer="w1")
            written.append(path.read_bytes().splitlines()[-1])
        elif kind == "garbage":
            with path.open("ab") as handle:
                handle.write(bytes(value) + b"\n")  # type: ignore[call-overload]
        elif written:
            with path.open("ab") as handle:
                handle.write(written[int(value) % len(written)] + b"\n")  # type: ignore[call-overload]
    if bom and path.exists():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines, st.booleans(), st.data())
def test_rows_read_at_once_are_the_lines_a_full_read_gives(
    tmp_path_factory: object, made: list[tuple[str, object]], bom: bool, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("numbered")  # type: ignore[attr-defined]
    path = folder / "log.jsonl"
    _log(path, made, bom)
    if not path.exists():
        return
    truth = parse_log(path.read_bytes(), str(path))
    by_line = dict(zip(truth.lines, truth.events, strict=True))
    index = log_index.open_index(path)
    assert index is not None
    try:
        every = [
            log_index.Row(*row)
            for row in index.db.execute("SELECT line, start, size FROM events ORDER BY line")
        ]
        chosen = data.draw(st.lists(st.sampled_from(every), unique=True) if every else st.just([]))
        chosen.sort()
        found = index.numbered(chosen)
        assert found == [(row.line, by_line[row.line]) for row in chosen]
        assert index.read(chosen) == [event for _, event in found]
    finally:
        index.close()
