"""The first view of a workspace's plans on this PC, on every core.

A county's workspace has dozens of plans, each with its log; the first `overdue` after the
cache folder was made (or cleared) reads and folds every one of them, one after another on one
core. When several plans have no cache yet, other processes open some of them at the same time,
exactly as the command opens them, and leave their caches behind; the command opens its own
share meanwhile and then the others' from those caches.

What is shown is what one process alone would show: the helpers only fill the cache, which is
disposable and written atomically (cache.py), and anything they meet (a bad plan, an unreadable
log) is met again by the command, which reports it in the plan's turn. A helper that fails
leaves no cache, and the command reads that plan itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from xixin_cli.paths import NamedPlan
    from xixin_cli.session import Session, Settings

#: Plans without a cache below this number are read in turn: starting a process costs more.
MIN_COLD = 4


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a helper can be a copy of this process: on Linux, with no other thread running
    (a fork copies only the thread that calls it). Elsewhere the plans are opened in turn: a
    helper would be a fresh interpreter importing the program again, which macOS and Windows
    do differently for an installed command, and which these tests could not hold."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def open_each(
    entries: Sequence[NamedPlan],
    settings: Settings,
    open_one: Callable[[NamedPlan], Session],
    as_of: date | None,
) -> list[Session]:
    """`open_one` of every entry, in order; the plans without a cache shared out first among
    this process and `cores() - 1` others (above), when there are at least MIN_COLD of them."""
    from xixin_cli.cache import is_cold

    cold = [entry for entry in entries if is_cold(entry.path)]
    shares = min(cores(), 8)
    if len(cold) < MIN_COLD or shares < 2 or not can_fork():
        return [open_one(entry) for entry in entries]
    # The command keeps the first share: the plans it would open first, so that an error in
    # one of them comes first, as it would with no helpers.
    share = -(-len(cold) // shares)
    helped = {entry.path for entry in cold[share:]}
    with _helpers(
        [cold[start : start + share] for start in range(share, len(cold), share)], settings, as_of
    ) as wait:
        found = []
        for entry in entries:
            if entry.path in helped:
                wait()  # opened by a helper: from its cache now
            found.append(open_one(entry))
    return found


@contextlib.contextmanager
def _helpers(
    shares: list[Sequence[NamedPlan]], settings: Settings, as_of: date | None
) -> Iterator[Callable[[], None]]:
    """Start a process for each share; yield what waits for all of them to end. Leaving
    early (an error in the command's own share) stops them: their work is not needed."""
    context = multiprocessing.get_context("fork")
    with contextlib.suppress(OSError):
        sys.stdout.flush()  # a forked helper must not hold a copy of what is still to be written
    started: list[BaseProcess] = []
    for share in shares:
        process = context.Process(target=_fill, args=(list(share), settings, as_of), daemon=True)
        try:
            process.start()
        except OSError:  # no process to be had (limits): the command reads the plan itself
            break
        started.append(process)

    def wait() -> None:
        for helper in started:
            helper.join()

    try:
        yield wait
    finally:
        for helper in started:
            if helper.is_alive():
                helper.terminate()
            helper.join()


def _fill(entries: Sequence[NamedPlan], settings: Settings, as_of: date | None) -> None:
    """A helper's work: open each plan as the command would, for the cache it leaves. It says
    nothing: whatever it meets, the command meets again and reports."""
    from xixin_cli.session import open_session

    with open(os.devnull, "w", encoding="utf-8") as quiet:
        sys.stdout = sys.stderr = quiet
        for entry in entries:
            with contextlib.suppress(Exception):
                open_session(settings._replace(plan=entry.name), as_of=as_of, named=entry)
