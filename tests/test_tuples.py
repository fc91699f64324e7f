"""xixin_cli.tuples.NamedTuple makes the classes typing.NamedTuple makes (only cheaper)."""

from __future__ import annotations

import copy
import inspect
import pickle
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xixin_cli import tuples

ROOT = Path(__file__).resolve().parents[1]

FIELDS = st.lists(
    st.sampled_from(["item", "due", "office", "by", "note", "a", "b2", "status", "at"]),
    min_size=0,
    max_size=6,
    unique=True,
)


def made(base: Any, name: str, fields: list[str], defaults: int) -> Any:
    """The class `class <name>(base)` with these fields (the last `defaults` of them with a
    default), a docstring, a method, a property and a class method, as a module writes it."""
    lines = [f"class {name}(NamedTuple):", '    """A record."""']
    for n, field in enumerate(fields):
        default = f" = {n!r}" if n >= len(fields) - defaults else ""
        lines.append(f"    {field}: Sequence[Event] | None{default}")
    lines += [
        "    def total(self) -> int:",
        "        return len(self)",
        "    @property",
        "    def first(self) -> object:",
        "        return self[0] if self else None",
        "    marker = Named()",
        "    @classmethod",
        "    def empty(cls) -> object:",
        "        return cls._fields",
    ]
    namespace: dict[str, Any] = {"__name__": __name__, "NamedTuple": base, "Named": Named}
    source = "from __future__ import annotations\n" + "\n".join(lines)
    exec(compile(source, __file__, "exec"), namespace)
    return namespace[name]


class Named:
    """What a class body may hold that wants to know its name (typing tells it from 3.12)."""

    name: str | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name


def outcome(call: Any) -> tuple[str, object]:
    """What a call gives: its value's repr, or the kind of error it raised."""
    try:
        return ("value", repr(call()))
    except Exception as error:
        return ("error", type(error).__name__)


@settings(max_examples=200, deadline=None)
@given(
    fields=FIELDS,
    data=st.data(),
)
def test_a_class_is_the_one_typing_makes(fields: list[str], data: st.DataObject) -> None:
    defaults = data.draw(st.integers(0, len(fields)))
    ours = made(tuples.NamedTuple, "Record", fields, defaults)
    theirs = made(typing.NamedTuple, "Record", fields, defaults)
    for key in ("_fields", "_field_defaults", "__doc__", "__match_args__", "__name__"):
        assert getattr(ours, key) == getattr(theirs, key), key
    assert (ours.__module__, ours.__qualname__) == (theirs.__module__, theirs.__qualname__)
    assert ours.__mro__[1:] == theirs.__mro__[1:] == (tuple, object)
    assert ours.__annotations__ == {n: "Sequence[Event] | None" for n in fields}
    assert ours.empty() == tuple(fields)
    assert ours.marker.name == theirs.marker.name
    # the same calls give the same records, or the same kind of error, first call or later
    args = data.draw(st.lists(st.integers(0, 9), max_size=len(fields) + 1))
    names = data.draw(st.lists(st.sampled_from([*fields, "other"]), unique=True, max_size=3))
    for _ in range(2):
        mine = outcome(lambda: ours(*args, **{n: "k" for n in names}))
        assert mine == outcome(lambda: theirs(*args, **{n: "k" for n in names}))
    full = ours(*range(len(fields)))

    # once called, the class has the constructor collections compiles: its own signature
    def parameters(of: Any) -> list[tuple[str, object, object]]:
        found = inspect.signature(of).parameters.values()
        return [(p.name, p.kind, p.default) for p in found]

    assert parameters(ours) == parameters(theirs)
    assert ours.__new__.__annotations__ == ours.__annotations__
    other = theirs(*range(len(fields)))
    assert full == other and hash(full) == hash(other) and repr(full) == repr(other)
    assert full.total() == len(fields) and full.first == other.first
    assert full._asdict() == other._asdict()
    assert ours._make(range(len(fields))) == full
    assert outcome(lambda: ours._make(range(len(fields) + 1))) == outcome(
        lambda: theirs._make(range(len(fields) + 1))
    )
    if fields:
        assert full._replace(**{fields[0]: "x"}) == other._replace(**{fields[0]: "x"})
        assert type(full._replace(**{fields[0]: "x"})) is ours
    assert outcome(lambda: full._replace(other=1)) == outcome(lambda: other._replace(other=1))
    assert copy.deepcopy(full) == full and type(copy.copy(full)) is ours
    for field in fields:
        assert getattr(full, field) == getattr(other, field)
        assert getattr(ours, field).__doc__ == getattr(theirs, field).__doc__


class Kept(tuples.NamedTuple):
    """A record kept in a pickle, as the caches keep records."""

    item: str
    due: str | None = None


def test_a_record_goes_through_pickle_before_and_after_its_class_was_first_called() -> None:
    """Unpickling makes a record through the class's __new__, whether or not the class has
    been called yet in this process (the caches unpickle records a command never makes)."""
    data = pickle.dumps(tuple.__new__(Kept, ("4.1", "2022-11-30")))  # made without a call
    assert pickle.loads(data) == ("4.1", "2022-11-30")
    assert type(pickle.loads(data)) is Kept
    assert Kept("5.1") == ("5.1", None) and Kept(item="5.2").due is None
    assert pickle.loads(pickle.dumps(Kept("5.1"))) == Kept("5.1")


def test_a_subclass_called_first_gives_its_base_the_compiled_constructor() -> None:
    class Base(tuples.NamedTuple):
        item: str

    class Sub(Base):
        pass

    assert type(Sub("x")) is Sub and Sub("x") == ("x",)
    assert type(Base("y")) is Base and Base(item="y") == ("y",)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("    a: int = 1\n    b: int\n", TypeError),  # a field without default after one with
        ("    _a: int\n", ValueError),  # collections refuses names with an underscore
        ("    a: int\n    def _make(cls): pass\n", AttributeError),  # typing's own
        ("    a: int\n    def __new__(cls): pass\n", AttributeError),
    ],
)
def test_what_typing_refuses_is_refused(body: str, error: type[Exception]) -> None:
    for base in (tuples.NamedTuple, typing.NamedTuple):
        source = f"from __future__ import annotations\nclass Bad(NamedTuple):\n{body}"
        with pytest.raises(error):
            exec(source, {"__name__": __name__, "NamedTuple": base})


def test_a_class_of_two_bases_is_refused() -> None:
    source = "class Both(NamedTuple, dict):\n    a: int\n"
    with pytest.raises(TypeError):
        exec(source, {"__name__": __name__, "NamedTuple": tuples.NamedTuple})


def test_the_functional_form_says_to_write_a_class() -> None:
    with pytest.raises(TypeError, match="class X"):
        tuples.NamedTuple("X", [("a", int)])


def test_every_record_class_of_xixin_is_made_here() -> None:
    """A module that writes `class X(NamedTuple)` takes it from xixin_cli.tuples (typing's
    costs every command ~0.3 ms a class at start), under `from __future__ import annotations`
    (which keeps the class body's annotations a dict of strings, on every Python)."""
    modules = sorted((ROOT / "src" / "xixin_cli").rglob("*.py"))
    users = [
        p
        for p in modules
        if "(NamedTuple):" in p.read_text(encoding="utf-8") and p.name != "tuples.py"
    ]
    assert len(users) > 20
    for path in users:
        text = path.read_text(encoding="utf-8")
        assert "from xixin_cli.tuples import NamedTuple" in text, path
        assert "from __future__ import annotations" in text, path
