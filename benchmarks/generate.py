"""Generate county-scale data: a valid plan of N items and a valid, chained status log of M changes.

    python benchmarks/generate.py --items 5000 --changes 200000 --out /tmp/county

writes /tmp/county/plan.yaml and /tmp/county/plan.status.jsonl (the log's default place beside
the plan). The data is random but reproducible (--seed); `xixin doctor` passes on it.
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from xixin_cli.status_log import record_hash

STATUSES = ["todo", "doing", "blocked", "done", "dropped"]
CHINA = timezone(timedelta(hours=8))
PHASES = {
    "mobilize": ("5.1", "动员部署阶段", date(2023, 1, 1), date(2023, 3, 31)),
    "create": ("5.2", "全面创建阶段", date(2023, 4, 1), date(2023, 9, 30)),
    "sprint": ("5.3", "创建冲刺阶段", date(2023, 10, 1), date(2023, 12, 31)),
    "accept": ("5.4", "迎接验收阶段", date(2024, 1, 1), date(2024, 6, 30)),
}


def plan_text(items: int, rng: random.Random) -> tuple[str, list[str]]:
    """A plan of `items` items (tasks of nine actions each); returns its text and leaf ids."""
    offices = [f"unit{n:02d}" for n in range(30)]
    lines = [
        "format: 1",
        "document:",
        "  number: 县府发〔2023〕1号",
        "  issuer: 某县人民政府",
        "  date: 2023-01-01",
        "  title: 全县乡镇实施方案汇总（基准测试用）",
        "offices:",
        *(f"  {key}: {{name: 第{n:02d}乡镇}}" for n, key in enumerate(offices)),
        "phases:",
    ]
    for key, (number, name, start, end) in PHASES.items():
        lines += [
            f"  {key}:",
            f'    number: "{number}"',
            f"    name: {name}",
            f"    start: {start}",
            f"    end: {end}",
        ]
    lines.append("items:")
    leaves: list[str] = []
    count = 0
    task = 0
    while count < items:
        task += 1
        phase = rng.choice(list(PHASES))
        units = ", ".join(rng.sample(offices, rng.randint(1, 4)))
        lines += [
            f'  - id: "{task}"',
            "    kind: task",
            f"    title: 第{task}项任务：推进重点工作落实",
            f"    source: 四（{task}）",
            f"    offices: [{units}]",
            f"    phase: {phase}",
            "    due_basis: phase",
        ]
        count += 1
        for action in range(1, 10):
            if count >= items:
                break
            item_id = f"{task}.{action}"
            lines += [
                f'  - id: "{item_id}"',
                f'    parent: "{task}"',
                "    kind: action",
                f"    title: 第{task}项任务的第{action}个行动，按期完成并留存台账",
            ]
            roll = rng.random()
            if roll < 0.1:
                lines += ["    due_basis: standing", "    due_text: 常态化"]
            elif roll < 0.4:
                start, end = PHASES[phase][2], PHASES[phase][3]
                day = start + timedelta(days=rng.randint(0, (end - start).days))
                lines += [f"    due: {day}", "    due_basis: stated", f"    due_text: {day}前"]
            leaves.append(item_id)
            count += 1
    return "\n".join(lines) + "\n", leaves


def log_lines(
    leaves: list[str], changes: int, rng: random.Random, writer: str = "writer"
) -> list[str]:
    """`changes` chained records from ten writers (`writer`0…9), in time order."""
    writers = [f"{writer}{n}" for n in range(10)]
    heads = dict.fromkeys(writers, "")
    current: dict[str, str] = {}
    at = datetime(2023, 1, 1, 8, tzinfo=CHINA)
    out = []
    for _ in range(changes):
        at += timedelta(seconds=rng.randint(1, 120))
        item = rng.choice(leaves)
        writer = rng.choice(writers)
        status = rng.choice(STATUSES)
        record = {
            "v": 1,  # status changes for every unit: the format every version reads
            "event": uuid.UUID(int=rng.getrandbits(128)).hex,
            "at": at.isoformat(),
            "item": item,
            "status": status,
            "previous": current.get(item, "todo"),
            "by": f"办事员{writer[-1]}",
            "note": rng.choice(["", "已报送台账", "佐证材料已上传", "正在推进"]),
            "writer": writer,
            "chain": heads[writer],
        }
        digest = record_hash(record)
        record["hash"] = digest
        heads[writer] = digest
        current[item] = status
        out.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=145)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--writers", default="writer", help="the writers' ids: this and 0-9 (another office's)"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    text, leaves = plan_text(args.items, rng)
    (args.out / "plan.yaml").write_text(text, encoding="utf-8")
    lines = log_lines(leaves, args.changes, rng, args.writers)
    (args.out / "plan.status.jsonl").write_text(
        "\n".join(lines) + "\n" if lines else "", encoding="utf-8"
    )
    print(f"{args.out}: {args.items} items ({len(leaves)} leaves), {args.changes} changes")


if __name__ == "__main__":
    main()
