"""The import corpus: real plans counted by hand (tests/data/import/corpus) score no lower than
the floors below; benchmarks/import_corpus.py holds the scoring and prints the figures."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from xixin_cli.i18n import catalogue

from conftest import ROOT


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_corpus", ROOT / "benchmarks" / "import_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_corpus"] = module
    spec.loader.exec_module(module)
    return module


scorer = _scorer()

#: The issue's bar on the whole development corpus: found, units, leads, deadlines.
TOTAL_FLOOR = {"found": 0.90, "units": 0.90, "leads": 0.90, "dues": 0.90, "dated": 0.90}

#: Per document: (found, unit sets right, leads right, deadlines right) as counted when last
#: measured; a figure below its floor is a regression.
FLOORS = {
    "01-gz-rencai-jiju.txt": (44, 44, 44, 44),
    "02-lishui-2023-fenjie.txt": (10, 10, 7, 10),
    "03-lishan-2023-fengong.txt": (6, 6, 6, 6),
    "04-sc-liutong-2022.txt": (2, 2, 0, 2),
    "05-gwy-2020-fengong.txt": (1, 1, 0, 1),
    "06-sizhoutou-2024-zhongdian.docx": (2, 2, 0, 2),
    "07-wenshang-2023-minsheng.xlsx": (7, 7, 0, 7),
    "08-gbh-2014-nongcun-fengong.txt": (2, 2, 2, 2),
    "09-baoji-2022-fangguanfu.txt": (1, 1, 1, 1),
    "10-suining-2019-gongcheng.txt": (1, 1, 0, 1),
    "15-sh-2026-gongyuan.txt": (17, 17, 0, 17),
    "16-huangpu-2025-kezaisheng.txt": (11, 11, 0, 11),
    "17-baoshan-2019-laji-qingdan.xlsx": (39, 39, 39, 39),
    "20-jiading-2024-haimian.txt": (29, 29, 0, 29),
    "21-jiading-2024-fenjie.xlsx": (12, 12, 0, 12),
}


@pytest.fixture(scope="module")
def scores() -> tuple[dict[str, object], object]:
    each, total = scorer.run()
    return {s.document: s for s in each}, total


def test_every_document_with_a_floor_is_in_the_corpus(
    scores: tuple[dict[str, object], object],
) -> None:
    by_name, _ = scores
    assert set(FLOORS) <= set(by_name), sorted(set(FLOORS) - set(by_name))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_document_scores_below_its_floor(
    scores: tuple[dict[str, object], object], name: str
) -> None:
    by_name, _ = scores
    got = by_name[name]
    figures = (got.found, got.units_right, got.leads_right, got.dues_right)  # type: ignore[attr-defined]
    assert all(g >= f for g, f in zip(figures, FLOORS[name], strict=True)), (figures, got.misses)  # type: ignore[attr-defined]


def test_the_corpus_meets_the_bar_and_nothing_is_invented(
    scores: tuple[dict[str, object], object],
) -> None:
    _, total = scores
    ratios = total.ratios()  # type: ignore[attr-defined]
    assert all(ratios[k] >= v for k, v in TOTAL_FLOOR.items()), ratios
    assert total.invented_units == [] and total.invented_dates == []  # type: ignore[attr-defined]


def test_the_held_out_documents_meet_the_bar_and_nothing_is_invented() -> None:
    """The held-out documents (counted by hand before the importer was first run on them) meet
    the same bar; they were not used to tune the importer until they were first measured (see
    SOURCES.md for the first, blind figures)."""
    _, total = scorer.run(heldout=True)
    ratios = total.ratios()
    assert all(ratios[k] >= v for k, v in TOTAL_FLOOR.items()), (ratios, total.misses)
    assert total.invented_units == [] and total.invented_dates == []


def test_the_second_blind_set_meets_the_bar_and_nothing_is_invented() -> None:
    """The second blind set (blind2/, counted before the importer first ran on it; its blind
    figures are in SOURCES.md) meets the same bar since the fixes it showed."""
    _, total = scorer.run(subset=scorer.BLIND)
    ratios = total.ratios()
    assert total.items >= 37
    assert all(ratios[k] >= v for k, v in TOTAL_FLOOR.items()), (ratios, total.misses)
    assert total.invented_units == [] and total.invented_dates == []


def test_the_scorer_can_fail(tmp_path: Path) -> None:
    """A wrong expectation is counted wrong: the figures are not mirrored from the import."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "一、重点任务\n1. 2024年3月底前完成摸底。（责任单位：镇经发办）\n", encoding="utf-8"
    )
    right = {
        "items": [
            {
                "key": "完成摸底",
                "units": ["镇经发办"],
                "due": date(2024, 3, 31),
            }
        ]
    }
    wrong = {
        "items": [
            {
                "key": "完成摸底",
                "units": ["镇农服中心"],
                "lead": ["镇农服中心"],
                "due": date(2024, 4, 30),
            }
        ]
    }
    good, bad = scorer.score(doc, right), scorer.score(doc, wrong)
    assert (good.found, good.units_right, good.dues_right) == (1, 1, 1)
    assert (bad.found, bad.units_right, bad.leads_right, bad.dues_right) == (1, 0, 0, 0)
    assert bad.invented_units == ["镇经发办"]


def test_every_import_message_code_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in (ROOT / "src" / "xixin_cli" / "importer").glob("*.py"):
        used |= set(re.findall(r'"(import\.[a-z_]+)"', path.read_text(encoding="utf-8")))
        used |= {
            f"import.{r}"
            for r in re.findall(r'Unplaced\([^)]*"([a-z_]+)"\)', path.read_text(encoding="utf-8"))
        }
    known = set(catalogue("zh"))
    assert used and used <= known, sorted(used - known)


def _document_text(path: Path) -> str:
    """Everything a document says, its tables' cells included, without spaces."""
    from xixin_cli.importer.sources import read_source

    source = read_source(path)
    cells = [cell for table in source.tables for row in table.rows for cell in row]
    return "".join("".join([*source.lines, *cells]).split())


@pytest.mark.parametrize(
    "path",
    [d for d, _ in scorer.documents()]
    + [d for d, _ in scorer.documents(heldout=True)]
    + [d for d, _ in scorer.documents(subset=scorer.BLIND)],
    ids=lambda p: p.name,
)
def test_every_unit_and_deadline_written_is_in_the_document(path: Path) -> None:
    """Nothing invented: each unit name, and the words of each stated deadline, are the
    document's own."""
    from xixin_cli.importer import PLACEHOLDER_UNIT, import_file
    from xixin_cli.plan_file import parse_plan

    text = _document_text(path)
    plan = parse_plan(import_file(path).yaml, str(path))
    names = [o.name for o in plan.offices.values() if o.name != PLACEHOLDER_UNIT]
    assert [n for n in names if "".join(n.split()) not in text] == []
    words = {i.due_text for i in plan.items if i.due is not None}
    assert [w for w in words if "".join(w.split()) not in text] == []
