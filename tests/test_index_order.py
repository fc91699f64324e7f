"""The index takes a piece's rows in item order (for speed); which line of a repeated event id
counts is still the log's first, as a full read says."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_index import _three, all_events, ids

from xixin_cli import log_index


def test_a_repeated_id_under_an_earlier_sorting_item_is_still_the_later_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _three(path)
    lines = path.read_bytes().split(b"\n")
    other = lines[1].replace(b'"item":"4.1.2"', b'"item":"4.1.1"')  # e1 again, an item before
    path.write_bytes(b"\n".join([*lines[:2], other, *lines[2:]]))
    for item in ("4.1.1", "4.1.2"):
        whole = ids(e for e in all_events(path) if e.item == item)
        assert ids(log_index.select([path], log_index.for_item(item))) == whole
