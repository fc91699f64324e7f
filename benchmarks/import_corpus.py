"""Score `xixin import` against the hand-counted corpus, per document and in total.

    python benchmarks/import_corpus.py             # the development corpus, then the held-out one
    python benchmarks/import_corpus.py --dev       # the development corpus only
    python benchmarks/import_corpus.py --heldout   # the held-out documents only (measure only)
    python benchmarks/import_corpus.py --blind     # the second blind set (blind2/) only
    python benchmarks/import_corpus.py --misses    # also say what each miss was

Each document's expectations (tests/data/import/corpus/expected/NAME.yaml, counted by hand, see
FORMAT.md there) are compared with what the importer writes, read back as a plan file:
- items found: an expected item is found when an imported item's text holds its key (the
  smallest such item is the one compared; an item's text includes its actions');
- unit sets right: the found item's units equal the expected set (the placeholder unit counts
  as none); leads right: the same for the lead, over the items whose text names one;
- deadlines right: the due day (and that it recurs) equals the expected one; an item counted
  with no deadline or as standing work is right when it has no due day; `dated` counts apart
  the items whose text gives a day, and how many of those are right;
- invented units: imported unit names that no expected item of the document lists; invented
  dates: a due day on an item counted with none.
Names and keys are compared after NFKC (full- and half-width alike) and without spaces.
tests/test_import_corpus.py runs the same scoring and fails when a figure drops below its floor.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE.parent / "tests" / "data" / "import" / "corpus"
PLACEHOLDER = "未明确责任单位"


def norm(text: str) -> str:
    """A name or key as compared: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Score:
    """One document's figures (or the sum of several)."""

    document: str
    items: int = 0
    found: int = 0
    units_right: int = 0
    leads: int = 0
    leads_right: int = 0
    dues: int = 0
    dues_right: int = 0
    dated: int = 0  # of the items counted, those the text gives a due day
    dated_right: int = 0
    imported: int = 0  # items the importer wrote (tasks, their actions, rows…), for reference
    invented_units: list[str] = field(default_factory=list)
    invented_dates: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    error: str = ""

    def add(self, other: Score) -> None:
        for name in (
            "items",
            "found",
            "units_right",
            "leads",
            "leads_right",
            "dues",
            "dues_right",
            "dated",
            "dated_right",
            "imported",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.invented_units += [f"{other.document}: {u}" for u in other.invented_units]
        self.invented_dates += [f"{other.document}: {d}" for d in other.invented_dates]

    def ratios(self) -> dict[str, float]:
        """Found, units, leads and deadlines right, each out of its own count (1.0 if none)."""

        def ratio(right: int, total: int) -> float:
            return right / total if total else 1.0

        return {
            "found": ratio(self.found, self.items),
            "units": ratio(self.units_right, self.items),
            "leads": ratio(self.leads_right, self.leads),
            "dues": ratio(self.dues_right, self.dues),
            "dated": ratio(self.dated_right, self.dated),
        }


#: The sets of documents beside the development corpus, each a folder with its own expected/.
BLIND = "blind2"


def documents(
    heldout: bool = False, *, subset: str | None = None
) -> list[tuple[Path, dict[str, object]]]:
    """(document, its expectations) for every expected file of the development corpus, of the
    held-out documents (`heldout`), or of another set by its folder's name (`subset`)."""
    import yaml

    folder = CORPUS / subset if subset else CORPUS / "heldout" if heldout else CORPUS
    out = []
    for path in sorted((folder / "expected").glob("*.yaml")):
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((folder / str(expected["document"]), expected))
    return out


def _effective_due(plan: object, item: object) -> date | None:
    from xixin_cli.model import DueBasis, Item, Plan

    assert isinstance(plan, Plan) and isinstance(item, Item)
    if item.due_basis is DueBasis.STATED:
        return item.due
    if item.due_basis is DueBasis.PHASE and item.phase is not None and item.phase in plan.phases:
        return item.due or plan.phases[item.phase].end
    return None


def score(document: Path, expected: dict[str, object]) -> Score:
    """The figures of one document."""
    from xixin_cli.errors import XixinError
    from xixin_cli.importer import import_file
    from xixin_cli.plan_file import parse_plan

    result = Score(document.name)
    wanted = list(expected.get("items") or [])  # type: ignore[call-overload]
    result.items = len(wanted)
    result.leads = sum(1 for w in wanted if w.get("lead"))
    result.dues = len(wanted)
    result.dated = sum(1 for w in wanted if isinstance(w.get("due"), date))
    try:
        imported = import_file(document)
        if not imported.items:
            result.error = "no item read"
            return result
        plan = parse_plan(imported.yaml, str(document))
        result.imported = len(plan.items)
    except XixinError as exc:
        result.error = f"{type(exc).__name__}: {' '.join(exc.lines('zh'))}"
        return result
    if isinstance(expected.get("date"), date) and plan.document.date != expected["date"]:
        result.misses.append(f"document date: {plan.document.date} != {expected['date']}")
    names = {key: office.name for key, office in plan.offices.items()}
    scope: dict[str, str] = {}
    for item in reversed(plan.items):  # children come after their parent
        own = norm(item.title + item.text)
        below = "".join(scope.get(c, "") for c in plan.children(item.id))
        scope[item.id] = own + below
    all_expected = {norm(u) for w in wanted for u in (w.get("units") or [])}
    for want in wanted:
        key = norm(str(want["key"]))
        # a key may start with the item's own number (「31.高校合作项目」); the import keeps the
        # number in the id, not in the text
        bare = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.．、]", "", key)
        holders = [i for i in plan.items if key in scope[i.id] or bare in scope[i.id]]
        if not holders:
            result.misses.append(f"not found: {want['key']}")
            continue
        result.found += 1
        item = min(holders, key=lambda i: len(scope[i.id]))
        units = {norm(names[k]) for k in item.offices} - {PLACEHOLDER}
        lead = {norm(names[k]) for k in item.lead}
        if units == {norm(u) for u in (want.get("units") or [])}:
            result.units_right += 1
        else:
            result.misses.append(
                f"units {want['key']}: {sorted(units)} != {sorted(want.get('units') or [])}"
            )
        if want.get("lead"):
            if lead == {norm(u) for u in want["lead"]}:
                result.leads_right += 1
            else:
                result.misses.append(f"lead {want['key']}: {sorted(lead)} != {want['lead']}")
        due = _effective_due(plan, item)
        recurring = "重复" in item.note
        wanted_due = want.get("due")
        if isinstance(wanted_due, date):
            right = due == wanted_due and recurring == bool(want.get("recurring"))
            result.dated_right += right
        else:  # no deadline, or standing work: no due day
            right = due is None
            if due is not None:
                result.invented_dates.append(f"{want['key']}: {due}")
        if right:
            result.dues_right += 1
        else:
            result.misses.append(
                f"due {want['key']}: {due}{' recurring' if recurring else ''} != {wanted_due}"
            )
    for name in names.values():
        if name != PLACEHOLDER and norm(name) not in all_expected:
            result.invented_units.append(name)
    return result


def run(heldout: bool = False, *, subset: str | None = None) -> tuple[list[Score], Score]:
    """Every document's figures, and their total."""
    scores = [score(document, expected) for document, expected in documents(heldout, subset=subset)]
    total = Score("total")
    for each in scores:
        total.add(each)
    return scores, total


def _row(each: Score) -> str:
    r = each.ratios()
    return (
        f"{each.document[:34]:<34} {each.found:>3}/{each.items:<3} {r['found']:>5.0%} "
        f"{each.units_right:>3} {r['units']:>5.0%} {each.leads_right:>3}/{each.leads:<3} "
        f"{r['leads']:>5.0%} {each.dues_right:>3} {r['dues']:>5.0%} "
        f"{each.dated_right:>3}/{each.dated:<3} "
        f"{len(each.invented_units):>4} {len(each.invented_dates):>4} {each.imported:>5}"
    )


def _table(title: str, scores: list[Score], total: Score, misses: bool) -> None:
    print(title)
    print(
        f"{'document':<34} {'found':>7} {'':>5} {'units':>9} {'leads':>9} {'':>5} "
        f"{'dues':>9} {'dated':>7} {'inv.u':>4} {'inv.d':>4} {'wrote':>5}"
    )
    for each in scores:
        print(_row(each))
        if each.error:
            print(f"    error: {each.error}")
        if misses:
            for miss in each.misses:
                print(f"    {miss}")
    print(_row(total))
    for invented in total.invented_units:
        print(f"  invented unit: {invented}")
    for invented in total.invented_dates:
        print(f"  invented date: {invented}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--dev", action="store_true", help="score the development corpus only")
    which.add_argument("--heldout", action="store_true", help="score the held-out documents only")
    which.add_argument("--blind", action="store_true", help=f"score the {BLIND}/ set only")
    parser.add_argument("--misses", action="store_true", help="say what each miss was")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sets: list[tuple[str, bool, str | None]] = [
        ("development corpus", False, None),
        ("held-out documents", True, None),
        (f"second blind set ({BLIND}/)", False, BLIND),
    ]
    if args.dev:
        sets = sets[:1]
    elif args.heldout:
        sets = sets[1:2]
    elif args.blind:
        sets = sets[2:]
    results = [(title, *run(heldout, subset=subset)) for title, heldout, subset in sets]
    if args.json:
        print(
            json.dumps(
                {title: [asdict(s) for s in [*scores, total]] for title, scores, total in results},
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    for index, (title, scores, total) in enumerate(results):
        if index:
            print()
        _table(f"== {title} ==", scores, total, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
