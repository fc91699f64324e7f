"""Write the imported plan as a plan file (format 1, docs/plan-format.md)."""

from __future__ import annotations

import json
from datetime import date

from xixin_cli.importer.build import Item, Result


def every_field(item: Item) -> dict[str, object] | None:
    """The item's `every:` mapping as the plan format has it, or None when it does not recur."""
    return item.every.as_dict() if item.every is not None else None


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: object) -> str:
    """An `every:` value: a day number or a date as YAML reads it, anything else quoted."""
    return str(value) if isinstance(value, int | date) else _q(str(value))


def _comment(text: str) -> str:
    return " ".join(text.split())


def to_yaml(result: Result) -> str:
    """The plan file's text; sections kept as notes are listed in comments at the top."""
    meta = result.meta
    keys = {name: f"u{index + 1}" for index, name in enumerate(result.units)}
    out = ["# Imported by `xixin import`; check every item, especially those with a note."]
    if result.notes:
        out.append("# 未作为事项导入的章节（不布置工作：指导思想、原则、目标等）：")
        out += [f"#   第 {line} 行：{_comment(title)}" for line, title in result.notes]
    out += [
        "format: 1",
        "document:",
        f"  number: {_q(meta.number or '（未找到文号）')}",
        f"  issuer: {_q(meta.issuer or '（未找到发文机关）')}",
        f"  title: {_q(meta.title or '（未找到标题）')}",
    ]
    if meta.issued is not None:
        out.append(f"  date: {meta.issued.isoformat()}")
    if meta.notice:
        out.append(f"  notice: {_q(meta.notice)}")
    if meta.recipients:
        out.append(f"  recipients: [{', '.join(_q(r) for r in meta.recipients)}]")
    out.append("offices:" if keys else "offices: {}")
    for name, key in keys.items():
        group = ", group: true" if name.startswith("各") else ""
        out.append(f"  {key}: {{name: {_q(name)}{group}}}")
    if result.phases:
        out.append("phases:")
        for phase in result.phases:
            out += [
                f"  {_q(phase.key)}:",
                f"    number: {_q(phase.number)}",
                f"    name: {_q(phase.name)}",
                f"    window_text: {_q(phase.window_text)}",
                f"    start: {phase.start}",
                f"    end: {phase.end}",
            ]
    else:
        out.append("phases: {}")
    out.append("items:" if result.items else "items: []")
    for item in result.items:
        out += [
            f"  - id: {_q(item.id)}  # line {item.line}",
            f"    kind: {item.kind}",
            f"    title: {_q(item.title or item.text[:40] or item.id)}",
            f"    text: {_q(item.text)}",
            f"    source: {_q(item.source)}",
        ]
        if item.parent:
            out.append(f"    parent: {_q(item.parent)}")
        if item.offices:
            out.append(f"    offices: [{', '.join(keys[o] for o in item.offices)}]")
            # Written even when empty, so an item does not inherit its task's lead.
            out.append(f"    lead: [{', '.join(keys[o] for o in item.lead if o in keys)}]")
            if item.offices_text:
                out.append(f"    offices_text: {_q(item.offices_text)}")
        if item.phase:
            out.append(f"    phase: {_q(item.phase)}")
        if item.due_basis:
            out.append(f"    due_basis: {item.due_basis}")
        if item.due is not None and item.due_basis == "stated":
            out.append(f"    due: {item.due}")
        if item.due_text:
            out.append(f"    due_text: {_q(item.due_text)}")
        every = every_field(item)
        if every is not None:
            out.append("    every:")
            out += [f"      {key}: {_scalar(value)}" for key, value in every.items()]
        if item.notes:
            out.append(f"    note: {_q('；'.join(dict.fromkeys(item.notes)))}")
    return "\n".join(out) + "\n"
