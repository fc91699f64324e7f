"""Whatever a file holds, the readers answer with a result or one of our own errors."""

from __future__ import annotations

import contextlib
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from xixin_cli.errors import PlanError, StateError
from xixin_cli.plan_file import decode_text, parse_plan
from xixin_cli.status_log import parse_log

from test_plan_file import SMALL

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.dates().map(str)
)
trees = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "document",
                    "offices",
                    "phases",
                    "items",
                    "id",
                    "kind",
                    "title",
                    "parent",
                    "offices",
                    "phase",
                    "due",
                    "due_basis",
                    "name",
                    "start",
                    "end",
                    "number",
                    "x",
                ]
            )
            | st.text(max_size=5),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_log_reader_survives_any_bytes(data: bytes) -> None:
    try:
        read = parse_log(data, "log.jsonl")
    except StateError:
        return
    assert len(read.events) == len(read.lines)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "v",
                    "event",
                    "at",
                    "item",
                    "status",
                    "previous",
                    "by",
                    "note",
                    "undoes",
                    "writer",
                    "chain",
                    "hash",
                ]
            ),
            scalars,
            max_size=12,
        ),
        max_size=5,
    )
)
def test_log_reader_survives_any_records(records: list[dict[str, object]]) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode()
    with contextlib.suppress(StateError):
        parse_log(data, "log.jsonl")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_plan_loader_survives_any_text(text: str) -> None:
    try:
        parse_plan(text, "p.yaml")
    except PlanError as error:
        assert error.problems and all(p.render("zh") for p in error.problems)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_plan_loader_survives_any_yaml_structure(tree: object) -> None:
    text = yaml.safe_dump(tree, allow_unicode=True)
    try:
        parse_plan(text, "p.yaml")
    except PlanError as error:
        assert all(p.render("en") for p in error.problems)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(SMALL) - 1), st.text(min_size=1, max_size=5))
def test_plan_loader_survives_any_edit_of_a_real_plan(at: int, insert: str) -> None:
    with contextlib.suppress(PlanError):
        parse_plan(SMALL[:at] + insert + SMALL[at:], "p.yaml")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_decoding_any_bytes_is_text_or_our_error(data: bytes) -> None:
    with contextlib.suppress(PlanError):
        assert isinstance(decode_text(data, "p.yaml"), str)


def test_deep_nesting_is_our_error_with_either_yaml_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deep = "[" * 5000 + "]" * 5000
    with pytest.raises(PlanError):
        parse_plan(deep, "p.yaml")
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # the pure-Python parser
    with pytest.raises(PlanError) as info:
        parse_plan(deep, "p.yaml")
    assert info.value.problems[0].code in ("plan.too_deep", "plan.not_yaml")


def test_yaml_is_only_ever_loaded_safely() -> None:
    from conftest import ROOT

    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for unsafe in (
            "yaml.load(",
            "unsafe_load",
            "Loader=yaml.Loader",
            "FullLoader",
            "UnsafeLoader",
        ):
            assert unsafe not in text, (path, unsafe)
