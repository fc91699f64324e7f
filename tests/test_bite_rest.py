"""The last survivors of session 5's sample in the fold, the JSON export and the evidence
store: each test states what a reader of the result relies on."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from xixin_cli.evidence import store_of
from xixin_cli.export import due_record, item_record
from xixin_cli.fold import Folded, fold, fold_evidence, fold_extensions, states
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.plan_file import parse_plan
from xixin_cli.schedule import overdue
from xixin_cli.workdays import build_calendar

from test_plan_file import SMALL

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2024, 1, 10, 9, 0, tzinfo=CHINA)
CALENDAR = build_calendar()


def extension(n: int, item: str, due: date | None) -> Event:
    return Event(
        f"x{n}",
        T0 + timedelta(minutes=n),
        item,
        Status.TODO,
        Status.TODO,
        "clerk",
        "批准",
        kind=EventKind.EXTEND,
        due=due,
    )


def evidence(event_id: str, minutes: int, item: str, path: str) -> Event:
    return Event(
        event_id,
        T0 + timedelta(minutes=minutes),
        item,
        Status.TODO,
        Status.TODO,
        "clerk",
        kind=EventKind.EVIDENCE,
        path=path,
        size=1,
        sha256="0" * 64,
    )


def test_the_evidence_store_sits_beside_the_log_named_after_it(tmp_path: Path) -> None:
    assert store_of(tmp_path / "plan.status.jsonl") == tmp_path / "plan.status.jsonl.evidence"


def test_an_overdue_rows_json_says_its_light() -> None:
    plan = parse_plan(SMALL, "small.yaml")
    [row] = overdue(plan, states(plan, fold([])), date(2024, 3, 27), CALENDAR)
    record = due_record(plan, row)
    assert (record["id"], record["light"]) == ("5.1.1", "red")


def test_a_withdrawn_extension_leaves_the_plans_own_day() -> None:
    plan = parse_plan(SMALL, "small.yaml")
    events = [extension(1, "5.1.1", date(2024, 4, 30)), extension(2, "5.1.1", None)]
    state = states(plan, fold([]), fold_extensions(events))["5.1.1"]
    record = item_record(plan, state)
    assert record["extension"] is None  # withdrawn: no extension stands
    assert record["due"] == "2024-02-29"  # back to the plan's own day


def test_evidence_is_listed_in_the_order_it_was_attached_not_by_its_ids() -> None:
    plan = parse_plan(SMALL, "small.yaml")
    events = [evidence("z1", 1, "5.1.1", "/早.pdf"), evidence("a2", 2, "5.1.1", "/晚.pdf")]
    state = states(plan, fold([]), {}, fold_evidence(events))["5.1.1"]
    assert [e.path for e in state.evidence] == ["/早.pdf", "/晚.pdf"]


def test_a_task_whose_parts_are_all_closed_is_due_on_its_first_units_day() -> None:
    plan = parse_plan(SMALL, "small.yaml")
    done = [
        Event(
            f"d{n}",
            T0 + timedelta(minutes=n),
            "4.1.1",
            Status.DONE,
            Status.TODO,
            "clerk",
            office=office,
        )
        for n, office in enumerate(("dangqun", "cun"))
    ]
    later = extension(9, "4.1.1", date(2024, 5, 31))._replace(office="cun")
    state = states(plan, fold(done), fold_extensions([later]))["4.1.1"]
    assert state.status is Status.DONE
    assert state.due == date(2024, 3, 31)  # 乡党群办's day, the first unit's, not 各村's May


def test_a_fold_is_settled_by_a_day_in_chinas_time_not_the_machines() -> None:
    utc_evening = datetime(2022, 11, 30, 20, 0, tzinfo=timezone.utc)  # 1 December in China
    folded = Folded.empty()._replace(latest=utc_evening)
    assert not folded.settled_by(date(2022, 11, 30))
    assert folded.settled_by(date(2022, 12, 1))


def test_one_file_attached_for_two_units_shows_once_as_first_attached() -> None:
    plan = parse_plan(SMALL, "small.yaml")
    events = [  # the same file, for each unit; the later one's id sorts first
        evidence("z1", 1, "4.1.1", "/联合报告.pdf")._replace(office="dangqun"),
        evidence("a2", 2, "4.1.1", "/联合报告.pdf")._replace(office="cun"),
    ]
    state = states(plan, fold([]), {}, fold_evidence(events))["4.1.1"]
    assert [(e.path, e.event_id) for e in state.evidence] == [("/联合报告.pdf", "z1")]
