"""The weekly reminder in the computer's own scheduler, and the log of its runs.

Linux and macOS get one crontab line, marked `# xixin-schedule` at its end so that `show` and
`remove` find it and touch nothing else; Windows gets a task made with `schtasks /Create`. The
crontab is read and written with the `crontab` command itself (`crontab -l`, `crontab -`), as
python-crontab also does underneath: one small command on every cron system, no dependency,
and the user's other lines are kept byte for byte.

Each scheduled run (`xixin schedule run`) appends one JSON line to the run log (when, what it
sent where, its exit code), so that a run that failed at night shows in `schedule show`.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from xixin_cli.errors import ExitCode, XixinError
from xixin_cli.tuples import NamedTuple

#: The mark at the end of our crontab line: the shell reads ` # …` as a comment.
CRON_MARK = "# xixin-schedule"
#: The Windows task's name, in its own folder of the Task Scheduler.
TASK_NAME = r"xixin\weekly-reminder"
SYSTEMS = ("linux", "macos", "windows")

#: Weekdays as typed: 周一 / 星期一 / 礼拜一, mon / monday, or 1 (Monday) to 7 (Sunday).
_DAY_WORDS = {
    **{
        f"{prefix}{char}": n
        for prefix in ("周", "星期", "礼拜")
        for n, char in enumerate("一二三四五六日")
    },
    **{f"{prefix}天": 6 for prefix in ("周", "星期", "礼拜")},
    **{name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        name: n
        for n, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{str(n + 1): n for n in range(7)},
}
_SCHTASKS_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


class ScheduleError(XixinError):
    """The scheduler could not be read or changed."""

    exit_code = ExitCode.USAGE


class Job(NamedTuple):
    """A weekly run: the weekday (0 is Monday), the time, and the command (argv) it runs."""

    weekday: int
    hour: int
    minute: int
    argv: tuple[str, ...]


def weekday(value: str) -> int | None:
    """0 (Monday) to 6 (Sunday) for a weekday as typed, or None."""
    return _DAY_WORDS.get(value.strip().lower())


def clock(value: str) -> tuple[int, int] | None:
    """(hour, minute) for 08:30 or 8:30, or None."""
    found = _TIME.match(value.strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


def system_now() -> str:
    import sys

    if sys.platform == "win32":
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


# -- what is registered -------------------------------------------------------------------------


def cron_line(job: Job) -> str:
    """The crontab line: minute hour * * weekday (Sunday is 0), the command quoted for the
    shell, each % escaped (cron would end the command there), and our mark."""
    command = " ".join(shlex.quote(word) for word in job.argv).replace("%", r"\%")
    day = (job.weekday + 1) % 7
    return f"{job.minute} {job.hour} * * {day} {command} {CRON_MARK}"


#: The longest command `schtasks /Create /TR` takes.
TASK_RUN_LIMIT = 261


def schtasks_create(job: Job) -> list[str]:
    """`schtasks /Create` for the task: weekly on the day, at the time, replacing any older.
    ScheduleError when the command is longer than schtasks takes."""
    run = subprocess.list2cmdline(list(job.argv))
    if len(run) > TASK_RUN_LIMIT:
        raise ScheduleError("schedule.too_long", n=len(run), limit=TASK_RUN_LIMIT)
    return [
        "schtasks",
        "/Create",
        "/TN",
        TASK_NAME,
        "/SC",
        "WEEKLY",
        "/D",
        _SCHTASKS_DAYS[job.weekday],
        "/ST",
        f"{job.hour:02d}:{job.minute:02d}",
        "/TR",
        run,
        "/F",
    ]


def schtasks_query() -> list[str]:
    return ["schtasks", "/Query", "/TN", TASK_NAME, "/V", "/FO", "LIST"]


def schtasks_delete() -> list[str]:
    return ["schtasks", "/Delete", "/TN", TASK_NAME, "/F"]


def registration(job: Job, system: str) -> str:
    """Exactly what `install` registers on `system`: the crontab line, or the schtasks command."""
    if system == "windows":
        return subprocess.list2cmdline(schtasks_create(job))
    return cron_line(job)


# -- the crontab --------------------------------------------------------------------------------


def _crontab(args: Sequence[str], account: str | None, text: str | None = None) -> str:
    """Run `crontab` (for `account` with -u, which needs root); its output. A missing crontab
    is an empty one."""
    import shutil

    program = shutil.which("crontab")
    if program is None:
        raise ScheduleError("schedule.no_crontab")
    import os

    argv = [program, *(["-u", account] if account else []), *args]
    env = {**os.environ, "LC_ALL": "C"}  # "no crontab for …" in words we can read
    try:
        done = subprocess.run(
            argv, input=text, capture_output=True, text=True, encoding="utf-8", timeout=30, env=env
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScheduleError("schedule.crontab_failed", reason=str(exc)) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        if text is None and "no crontab" in said.lower():
            return ""
        raise ScheduleError("schedule.crontab_failed", reason=said or f"exit {done.returncode}")
    return done.stdout


def cron_read(account: str | None = None) -> str:
    return _crontab(["-l"], account)


def ours(crontab: str) -> list[str]:
    """Our lines in a crontab."""
    return [line for line in crontab.splitlines() if line.rstrip().endswith(CRON_MARK)]


def without_ours(crontab: str) -> list[str]:
    return [line for line in crontab.splitlines() if not line.rstrip().endswith(CRON_MARK)]


def cron_install(job: Job, account: str | None = None) -> tuple[str, bool]:
    """Put our line in the crontab, replacing an older one of ours; the line, and whether an
    older one was replaced. The other lines stay as they were."""
    before = cron_read(account)
    replaced = bool(ours(before))
    line = cron_line(job)
    _crontab(["-"], account, "\n".join([*without_ours(before), line]) + "\n")
    return line, replaced


def cron_remove(account: str | None = None) -> list[str]:
    """Take our lines out of the crontab; the lines taken out (none: nothing was changed)."""
    before = cron_read(account)
    found = ours(before)
    if found:
        kept = without_ours(before)
        _crontab(["-"], account, "\n".join(kept) + "\n" if kept else "")
    return found


def task_run(argv: Sequence[str]) -> str:
    """Run a schtasks command (Windows); its output."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScheduleError("schedule.schtasks_failed", reason=str(exc)) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise ScheduleError("schedule.schtasks_failed", reason=said or f"exit {done.returncode}")
    return done.stdout


# -- the run log --------------------------------------------------------------------------------


class Run(NamedTuple):
    """One scheduled run: when, where it sent (masked), how many messages, what failed, the
    exit code, and the error that stopped it, if one did."""

    at: datetime
    sent: tuple[str, ...]
    messages: int
    failed: tuple[str, ...]
    code: int
    error: str = ""


def run_log() -> Path:
    """The run log: XIXIN_RUN_LOG, else `schedule-runs.jsonl` in the per-user log folder."""
    import os

    given = os.environ.get("XIXIN_RUN_LOG", "").strip()
    if given:
        return Path(given).expanduser()
    from platformdirs import user_log_path

    return user_log_path("xixin", appauthor=False) / "schedule-runs.jsonl"


def log_run(path: Path, run: Run) -> bool:
    """Append the run's line; False when it could not be written (the run is not undone)."""
    line = {
        "at": run.at.isoformat(timespec="seconds"),
        "sent": list(run.sent),
        "messages": run.messages,
        "failed": list(run.failed),
        "code": run.code,
    }
    if run.error:
        line["error"] = run.error
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError:
        return False
    return True


def runs(path: Path, last: int = 5) -> list[Run]:
    """The last runs in the log, oldest first; lines that cannot be read are skipped."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for text in lines[-last * 4 :]:
        try:
            data = json.loads(text)
            found.append(
                Run(
                    datetime.fromisoformat(data["at"]),
                    tuple(str(s) for s in data.get("sent", ())),
                    int(data.get("messages", 0)),
                    tuple(str(s) for s in data.get("failed", ())),
                    int(data["code"]),
                    str(data.get("error", "")),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return found[-last:]
