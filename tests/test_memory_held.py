"""What a command holds at once (issue #20: every command in bounded memory): merge opens no
item's state, and a replay --as-of lets the whole log's fold go before it is made."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from xixin_cli import cache, fold

from conftest import Runner


def test_merge_folds_no_item_state(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge needs the plan (the conflicts' titles) and the log it writes to: a county's
    fold (20 MB) is neither read nor worked out, and the merge says what it always said."""
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    assert (
        xixin("--state", str(ours), "done", "4.3.2", "--office", "民政办", "--by", "王芳").code == 0
    )
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    assert (
        xixin("--state", str(theirs), "block", "4.3.2", "--office", "民政办", "--by", "李四").code
        == 0
    )

    def no_fold(*args: object, **kwargs: object) -> Any:
        raise AssertionError("merge folded the log")

    with monkeypatch.context() as patched:
        patched.setattr(cache, "fold_logs", no_fold)
        patched.setattr(fold, "states", no_fold)
        result = xixin("--state", str(ours), "merge", str(theirs))
    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == f"从 {theirs} 并入 1 条新记录（已有 0 条，未重复写入）"
    assert lines[1].startswith("冲突 4.3.2［乡民政办］ ") and "以较晚的“受阻”为准" in lines[1]
    # and what it brought in counts: the later change stands in the fold read after it
    shown = xixin("--state", str(ours), "show", "4.3.2")
    assert shown.code == 0 and "受阻" in shown.out


def test_a_replay_as_of_lets_the_whole_fold_go_first(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--as-of a day before the log's last change: the fold of the whole log is no longer
    held when the replay up to that day is made (both at once were the peak)."""
    assert xixin("done", "4.3.2", "--office", "all", "--by", "王芳", "--on", "2022-11-20").code == 0
    assert xixin("start", "5.1.1", "--by", "王芳").code == 0  # today: after the day asked
    real = cache.fold_logs
    made: list[Any] = []
    held_then: list[int] = []  # how many others held the whole fold when the replay began

    def watched(paths: Any, as_of: Any = None) -> Any:
        if as_of is not None:  # (a fold keeps no weak references: its references, counted)
            held_then.append(sum(sys.getrefcount(whole) - 3 for whole in made))  # list, name, arg
        found = real(paths, as_of)
        if as_of is None:
            made.append(found)
        return found

    monkeypatch.setattr(cache, "fold_logs", watched)
    result = xixin("overdue", "--all", "--as-of", "2022-11-21")
    assert result.code == 0, result.err
    assert made and held_then == [0]
    assert "5.1.1" in result.out  # not started yet on that day


def test_merge_holds_no_source_when_it_folds_nor_the_fold_when_it_looks_for_conflicts(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the sources are told, their bytes and lines go (a loop's last one, or the list
    `for name, *_ in` made of it, held them through the conflicts) before the cached fold
    takes in what was appended, and that fold is not kept in the process for the conflicts:
    at a county's scale, both at once were 30 MB over the 100 the merge may use."""
    from xixin_cli import merge

    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    assert (
        xixin("--state", str(ours), "done", "4.3.2", "--office", "民政办", "--by", "王芳").code == 0
    )
    assert xixin("--state", str(ours), "list").code == 0  # the fold is cached
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    for item in ("4.3.2", "5.1.1"):
        assert (
            xixin("--state", str(theirs), "block", item, "--office", "all", "--by", "李四").code
            == 0
        )
    read: list[Any] = []
    held: dict[str, list[int]] = {}  # per step, references to each source, its bytes and lines
    folds: list[int] = []
    real_read, real_conflicts, real_fold = (
        merge.read_source,
        merge.conflicts_brought,
        cache.fold_appended,
    )

    def reading(*args: Any, **kwargs: Any) -> Any:
        found = real_read(*args, **kwargs)
        read.append(found)
        return found

    def counted(step: str) -> None:
        """Held by more than `read` (the source) and the source (its parts)?"""
        for source in read:
            data, entries = source.data, source.entries
            held.setdefault(step, []).extend(
                # `read`, `source`, the argument; the source, a name, the argument
                (
                    sys.getrefcount(source) - 3,
                    sys.getrefcount(data) - 3,
                    sys.getrefcount(entries) - 3,
                )
            )

    def folding(*args: Any, **kwargs: Any) -> Any:
        counted("fold")
        return real_fold(*args, **kwargs)

    def looking(*args: Any, **kwargs: Any) -> Any:
        counted("conflicts")
        folds.append(sum(isinstance(kept[1], cache._LogCache) for kept in cache._LOADED.values()))
        return real_conflicts(*args, **kwargs)

    monkeypatch.setattr(merge, "read_source", reading)
    monkeypatch.setattr(merge, "conflicts_brought", looking)
    monkeypatch.setattr(cache, "fold_appended", folding)
    monkeypatch.setattr(cache, "_LOADED", {})  # what the commands before kept, in this process
    result = xixin("--state", str(ours), "merge", str(theirs))
    assert result.code == 0, result.err
    assert result.out.startswith(f"从 {theirs} 并入 4 条新记录") and "冲突 4.3.2" in result.out
    assert read and held == {"fold": [0] * 3 * len(read), "conflicts": [0] * 3 * len(read)}
    assert folds == [0]
