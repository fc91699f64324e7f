"""The figures of the mutation run kept in mutants/: per core module and overall.

Run by tools/mutation.sh after each run, or alone: `python tools/mutation_report.py`
(`--survivors` lists the mutants that survived, by name, for `mutmut show NAME`;
`--sample PERCENT` names a seeded random PERCENT of each module's mutants not judged yet;
`--names FILE` keeps to the mutants named in FILE, e.g. a sample drawn once and kept, and
`--waiting` then names those of them not judged yet or that survived, to judge again;
`--thin FILE PERCENT` names a seeded PERCENT of each module's names in FILE, a smaller sample
of the same draw when a run must fit in less time).
"""

from __future__ import annotations

import glob
import json
import os
import sys

#: mutmut's exit codes (mutmut/stats.py): the tests failed (killed), passed (survived), none
#: reached the mutant, or it ran past its time (counted as killed: the mutant hangs the code).
KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {36, -24, 24, 152, 255}


def kind(code: int | None) -> str:
    if code is None:
        return "not run"
    for name, codes in (
        ("killed", KILLED),
        ("survived", SURVIVED),
        ("no tests", NO_TESTS),
        ("timeout", TIMEOUT),
    ):
        if code in codes:
            return name
    return "other"


def _codes(meta: str, only: set[str] | None) -> dict[str, int | None]:
    """The exit code of each mutant of one module (only those in `only`, when given)."""
    with open(meta, encoding="utf-8") as handle:
        codes: dict[str, int | None] = json.load(handle)["exit_code_by_key"]
    return codes if only is None else {k: v for k, v in codes.items() if k in only}


def main() -> None:
    metas = sorted(glob.glob("mutants/src/xixin_cli/**/*.py.meta", recursive=True))
    only = None
    if "--names" in sys.argv:  # figures, survivors and waiting over these mutants only
        with open(sys.argv[sys.argv.index("--names") + 1], encoding="utf-8") as handle:
            only = {line.strip() for line in handle if line.strip()}
    if "--waiting" in sys.argv:  # the mutants (of --names) not judged yet, or that lived
        for meta in metas:
            for name, code in sorted(_codes(meta, only).items()):
                if kind(code) in ("not run", "survived", "no tests"):
                    print(name)
        return
    if "--thin" in sys.argv:
        import random

        at = sys.argv.index("--thin")
        with open(sys.argv[at + 1], encoding="utf-8") as handle:
            kept = sorted({line.strip() for line in handle if line.strip()})
        share = float(sys.argv[at + 2]) / 100
        modules: dict[str, list[str]] = {}
        for name in kept:
            modules.setdefault(name.rsplit(".", 1)[0], []).append(name)
        pick = random.Random(22)
        for module in sorted(modules):
            found = modules[module]
            for name in sorted(pick.sample(found, round(len(found) * share))):
                print(name)
        return
    if "--sample" in sys.argv:
        import random

        share = float(sys.argv[sys.argv.index("--sample") + 1]) / 100
        pick = random.Random(22)  # the number: the same sample on every machine
        for meta in metas:
            with open(meta, encoding="utf-8") as handle:
                codes = json.load(handle)["exit_code_by_key"]
            waiting = sorted(name for name, code in codes.items() if code is None)
            for name in sorted(pick.sample(waiting, round(len(waiting) * share))):
                print(name)
        return
    if "--survivors" in sys.argv:
        for meta in metas:
            for name, code in sorted(_codes(meta, only).items()):
                if kind(code) in ("survived", "no tests"):
                    print(name)
        return
    names = ("killed", "timeout", "survived", "no tests", "other", "not run")
    total = dict.fromkeys(names, 0)
    rows = []
    for meta in metas:
        codes = _codes(meta, only).values()
        if not codes:
            continue
        row = dict.fromkeys(names, 0)
        for code in codes:
            row[kind(code)] += 1
        for key in names:
            total[key] += row[key]
        module = os.path.relpath(meta, "mutants/src/xixin_cli")[: -len(".py.meta")]
        rows.append((module.replace(os.sep, "."), row))
    rows.append(("core", total))
    for module, row in rows:
        judged = sum(row.values()) - row["not run"]
        share = 100 * (row["killed"] + row["timeout"]) / judged if judged else 0.0
        counts = "  ".join(f"{key} {value}" for key, value in row.items() if value)
        print(f"{module:20} {share:5.1f}% killed of {judged:5} judged   {counts}")


if __name__ == "__main__":
    main()
