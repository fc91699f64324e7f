"""A view as of a past day takes that day's replay when one is kept, without loading the whole
log's fold first: what it shows is what it shows with no cache at all, whatever was recorded
since the replay was kept (a change of an earlier day, of a later one, an undo)."""

from __future__ import annotations

import json

import pytest

from conftest import Runner

DAY = "2022-11-22"


def _seen(xixin: Runner, monkeypatch: pytest.MonkeyPatch, cache: bool) -> object:
    if not cache:
        monkeypatch.setenv("XIXIN_CACHE", "off")
    shown = xixin("list", "--json", "--as-of", DAY)
    monkeypatch.delenv("XIXIN_CACHE", raising=False)
    assert shown.code == 0, shown.err
    return json.loads(shown.out)


@pytest.mark.parametrize(
    "step",
    [
        ("done", "5.1.1", "--on", DAY),  # that day, after its block: the kept replay takes it in
        ("done", "5.1.1", "--on", "2022-11-24"),  # after it: not counted on the day
        ("block", "5.1.1"),  # today
        ("undo",),  # takes back the block of the day, typed last
    ],
)
def test_a_kept_replay_of_the_day_shows_what_no_cache_shows(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, step: tuple[str, ...]
) -> None:
    assert xixin("start", "5.1.1", "--on", "2022-11-20").code == 0
    assert xixin("done", "5.2.1", "--office", "all").code == 0  # today: the day is a replay
    assert xixin("block", "5.1.1", "--on", DAY, "--note", "缺材料").code == 0
    first = _seen(xixin, monkeypatch, cache=True)  # the day's replay made and kept
    assert first == _seen(xixin, monkeypatch, cache=False)
    done = xixin(*step)
    assert done.code == 0, done.err
    kept = _seen(xixin, monkeypatch, cache=True)
    assert kept == _seen(xixin, monkeypatch, cache=False)
    if step[-1] in (DAY, "undo"):
        assert kept != first  # the day changed, and the kept replay followed
