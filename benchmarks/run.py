"""Measure xixin's speed targets and print a table of medians, minima, maxima and ratios.

    python benchmarks/run.py              # everything (about two minutes)
    python benchmarks/run.py --quick      # fewer repetitions

Each figure is the wall time of a fresh process, repeated; ratios are taken within this one run
so that a busy shared machine moves both sides alike. Targets (from issue "Fast at the desk"):
- cold start: `xixin overdue` on the bundled plan with a 1,000-change log <= 10 x `python -c pass`;
- county scale (5,000 items, 200,000 changes): `xixin overdue` <= taskwarrior's `task overdue`
  on 5,000 tasks (when `task` is installed), and <= 0.5 s on the first run after the log changed;
- cost grows linearly with items and with changes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
PY = sys.executable


#: The least a Typer command printing a rich table can cost: what the 10x target is set against.
FLOOR = """
import typer

app = typer.Typer()


@app.command()
def main() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="逾期事项")
    for name in ("编号", "事项", "责任单位", "截止", "逾期"):
        table.add_column(name)
    for n in range(20):
        title = "扎实推进巩固拓展脱贫攻坚成果同乡村振兴有效衔接"
        table.add_row(f"4.1.{n}", title, "乡党群办、各村", "2022-11-30", f"{n} 天")
    Console().print(table)


@app.command()
def other() -> None:
    pass


app()
"""


def timed(cmd: list[str], env: dict[str, str], runs: int, before: object = None) -> list[float]:
    """Wall seconds of `runs` fresh processes; `before` is called before each (untimed)."""
    out = []
    for _ in range(runs):
        if callable(before):
            before()
        start = time.perf_counter()
        done = subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        out.append(time.perf_counter() - start)
        if done.returncode not in (0, 10):
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')}")
    return out


def row(name: str, times: list[float], base: float | None, target: str) -> dict[str, object]:
    med = statistics.median(times)
    return {
        "name": name,
        "median": med,
        "min": min(times),
        "max": max(times),
        "ratio": med / base if base else None,
        "target": target,
    }


def generate(out: Path, items: int, changes: int) -> Path:
    subprocess.run(
        [
            PY,
            str(HERE / "generate.py"),
            "--items",
            str(items),
            "--changes",
            str(changes),
            "--out",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def small_log(path: Path, changes: int) -> None:
    """A chained log of `changes` random changes on the bundled plan's items."""
    import random

    from xixin_cli.paths import bundled_plan
    from xixin_cli.plan_file import load_plan
    from xixin_cli.status_log import record_hash

    plan = load_plan(bundled_plan())
    leaves = [item.id for item in plan.items if plan.is_leaf(item.id)]
    rng = random.Random(1)
    head = ""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(changes):
            record = {
                "v": 1,
                "event": f"{n:032x}",
                "at": "2022-11-20T09:00:00+08:00",
                "item": rng.choice(leaves),
                "status": rng.choice(["doing", "blocked"]),
                "previous": "todo",
                "by": "王芳",
                "note": "已报送",
                "writer": "w",
                "chain": head,
            }
            record["hash"] = head = record_hash(record)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def taskwarrior_data(folder: Path, tasks: int) -> dict[str, str] | None:
    """A taskwarrior database of `tasks` pending tasks with due dates; None without `task`."""
    if shutil.which("task") is None:
        return None
    data = folder / "taskdata"
    data.mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text(
        f"data.location={data}\nconfirmation=off\nverbose=nothing\ncolor=off\n"
        "hooks=off\nnews.version=2.6.2\n",
        encoding="utf-8",
    )
    lines = []
    for n in range(tasks):
        due = f"2023{n % 12 + 1:02d}{n % 28 + 1:02d}T000000Z"
        lines.append(
            json.dumps(
                {
                    "description": f"第{n}项任务的行动，按期完成并留存台账",
                    "status": "pending",
                    "due": due,
                    "entry": "20230101T000000Z",
                    "uuid": f"{n:08d}-0000-4000-8000-000000000000",
                    "project": f"unit{n % 30}",
                },
                ensure_ascii=False,
            )
        )
    (folder / "import.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    subprocess.run(
        ["task", "import", str(folder / "import.json")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    runs = 5 if args.quick else 15
    # Measure xixin as installed (pip compiles it); an editable checkout run with
    # PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every start.
    import compileall

    import xixin_cli

    compileall.compile_dir(str(Path(xixin_cli.__file__).parent), quiet=1)
    xixin = [PY, "-m", "xixin_cli"]
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "XIXIN_CACHE_DIR": str(work / "cache"),
            "XIXIN_WRITER": "bench",
            "COLUMNS": "100",
        }
        env.pop("XIXIN_PLAN", None)

        # -- at the desk: the bundled plan with 1,000 changes
        log = work / "desk.jsonl"
        small_log(log, 1000)
        desk = {**env, "XIXIN_STATE": str(log)}
        base = statistics.median(timed([PY, "-c", "pass"], env, runs))
        results.append(row("python -c pass", timed([PY, "-c", "pass"], env, runs), base, ""))
        floor = work / "floor.py"
        floor.write_text(FLOOR, encoding="utf-8")
        results.append(
            row(
                "reference: Typer app, 20-row rich table",
                timed([PY, str(floor), "main"], env, runs),
                base,
                "(the floor)",
            )
        )
        overdue = [*xixin, "overdue", "--as-of", "2022-12-05"]
        timed(overdue, desk, 1)  # the first run builds the caches
        results.append(
            row("overdue, bundled plan, 1k changes", timed(overdue, desk, runs), base, "<= 10x")
        )
        cold = {**desk, "XIXIN_CACHE": "off"}
        results.append(row("  same, no cache", timed(overdue, cold, runs), base, "(info)"))
        for name, cmd in (
            ("--version", [*xixin, "--version"]),
            ("--help", [*xixin, "--help"]),
            ("show 5.3.1", [*xixin, "show", "5.3.1"]),
            ("remind --plain", [*xixin, "remind", "--plain", "--as-of", "2022-11-28"]),
        ):
            results.append(row(name, timed(cmd, desk, runs), base, "(info)"))

        # -- county scale
        county = generate(work / "county", 5000, 200_000)
        plan = str(county / "plan.yaml")
        county_log = county / "plan.status.jsonl"
        cenv = {**env, "XIXIN_STATE": str(county_log)}
        big = [*xixin, "--plan", plan, "overdue", "--as-of", "2023-12-01"]
        timed(big, cenv, 1)
        warm = row("overdue, 5k items, 200k changes", timed(big, cenv, runs), base, "<= task")
        results.append(warm)
        counter = iter(range(10**6))

        def touch_log() -> None:  # a new change, so the cache must catch up first
            n = next(counter)
            with county_log.open("a", encoding="utf-8") as handle:
                handle.write(
                    json.dumps(
                        {
                            "v": 1,
                            "event": f"bench{n}",
                            "at": "2023-11-30T09:00:00+08:00",
                            "item": "1.1",
                            "status": "doing",
                            "previous": "todo",
                            "by": "x",
                        }
                    )
                    + "\n"
                )

        results.append(
            row(
                "  first run after the log changed",
                timed(big, cenv, runs, touch_log),
                base,
                "<= 0.5 s",
            )
        )
        tw_env = taskwarrior_data(work / "tw", 5000)
        if tw_env is not None:
            tw = row(
                "task overdue, 5k tasks (taskwarrior)",
                timed(["task", "overdue"], tw_env, runs),
                base,
                "(reference)",
            )
            results.append(tw)
            warm["target"] = f"<= task ({warm['median'] / tw['median']:.2f}x)"  # type: ignore[operator]
        else:
            warm["target"] = "<= task (taskwarrior not installed)"

        # -- linear growth
        for items, changes in ((1000, 40_000), (2500, 100_000)):
            folder = generate(work / f"g{items}", items, changes)
            genv = {**env, "XIXIN_STATE": str(folder / "plan.status.jsonl")}
            cmd = [*xixin, "--plan", str(folder / "plan.yaml"), "overdue", "--as-of", "2023-12-01"]
            genv_cold = {**genv, "XIXIN_CACHE": "off"}
            results.append(
                row(
                    f"  no cache, {items} items, {changes} changes",
                    timed(cmd, genv_cold, max(3, runs // 3)),
                    base,
                    "linear",
                )
            )
        results.append(
            row(
                "  no cache, 5000 items, 200000 changes",
                timed(big, {**cenv, "XIXIN_CACHE": "off"}, max(3, runs // 3)),
                base,
                "linear",
            )
        )

    print(f"{'measure':42} {'median':>9} {'min':>9} {'max':>9} {'ratio':>7}  target")
    for r in results:
        ratio = f"{r['ratio']:.1f}x" if r["ratio"] is not None else ""
        print(
            f"{r['name']:42} {r['median'] * 1000:7.1f}ms {r['min'] * 1000:7.1f}ms "  # type: ignore[operator]
            f"{r['max'] * 1000:7.1f}ms {ratio:>7}  {r['target']}"
        )  # type: ignore[operator]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
