"""`NamedTuple`, as `typing.NamedTuple` makes it, at a fifth of its start-up cost.

Every command imports some 45 of xixin's record classes before it prints anything, and
`typing.NamedTuple` spends ~0.3 ms on each (13 ms of the desk's `overdue`, ~140 ms in all):
it compiles each annotation, a string under `from __future__ import annotations`, into a
`ForwardRef` nobody reads, and `collections.namedtuple` compiles a `__new__` from source for
every class, whether or not the command makes one instance of it. Here the annotations stay
the strings they are, and a class's `__new__` is compiled (as `collections.namedtuple` does
it, the same code) the first time an instance is made by calling the class; until then a
stand-in does that and steps aside. Everything else is `collections.namedtuple`'s own
recipe: fields, defaults, `_make`, `_replace`, `_asdict`, `__repr__`, pickling, `__doc__`.

mypy sees `typing.NamedTuple` itself. `tests/test_tuples.py` holds these classes to the
ones `typing.NamedTuple` makes.
"""

from __future__ import annotations

import sys
from keyword import iskeyword
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    try:  # what collections.namedtuple makes each field of (a C accessor on CPython)
        from collections import _tuplegetter
    except ImportError:  # collections' own fallback

        def _tuplegetter(index: int, doc: str) -> Any:
            return property(itemgetter(index), doc=doc)

    #: What a class body may not define (typing's own list) and what it keeps for itself.
    _PROHIBITED = frozenset(
        (
            "__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
            "_field_defaults", "_make", "_replace", "_asdict", "_source",
        )
    )  # fmt: skip
    _SPECIAL = frozenset(("__module__", "__name__", "__annotations__"))
    #: What changed with Python's versions: typing calls __set_name__ on what a class body
    #: holds from 3.12; collections' _replace refuses unknown names with TypeError from 3.13.
    _SET_NAMES = sys.version_info >= (3, 12)
    _UNKNOWN = TypeError if sys.version_info >= (3, 13) else ValueError

    class _Meta(type):
        """Makes each class written `class X(NamedTuple)` as typing's NamedTupleMeta does."""

        def __new__(cls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
            for base in bases:
                if base is not _Base:
                    raise TypeError("can only inherit from a NamedTuple type")
            if "__annotations__" not in ns and "__annotate__" in ns:  # Python 3.14's lazy ones
                raise TypeError(f"{typename}: its module needs from __future__ import annotations")
            annotations = ns.get("__annotations__", {})
            default_names: list[str] = []
            for name in annotations:
                if name in ns:
                    default_names.append(name)
                elif default_names:
                    raise TypeError(
                        f"Non-default namedtuple field {name} cannot follow default field"
                        f"{'s' if len(default_names) > 1 else ''} {', '.join(default_names)}"
                    )
            defaults = [ns[name] for name in default_names]
            made = _namedtuple(typename, tuple(annotations), defaults, ns["__module__"])
            made.__annotations__ = dict(annotations)
            for key, value in ns.items():
                if key in _PROHIBITED:
                    raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
                if key not in _SPECIAL:
                    if key not in made._fields:
                        setattr(made, key, value)
                    if _SET_NAMES and hasattr(type(value), "__set_name__"):
                        value.__set_name__(made, key)  # as typing does from Python 3.12
            return made

    _Base = type.__new__(_Meta, "NamedTuple", (), {})

    def NamedTuple(typename: str, fields: Any = None, /, **kwargs: Any) -> Any:
        """Only the class form is made here (`class X(NamedTuple): ...`)."""
        raise TypeError("xixin_cli.tuples.NamedTuple: write `class X(NamedTuple)`")

    NamedTuple.__mro_entries__ = lambda bases: (_Base,)

    def _namedtuple(
        typename: str, fields: tuple[str, ...], defaults: list[Any], module: str
    ) -> type:
        """`collections.namedtuple(typename, fields, defaults=..., module=...)`, whose
        `__new__` is compiled when first called."""
        for name in (typename, *fields):
            if not name.isidentifier() or iskeyword(name):
                raise ValueError(f"Type names and field names must be identifiers: {name!r}")
        for name in fields:
            if name.startswith("_"):
                raise ValueError(f"Field names cannot start with an underscore: {name!r}")
        typename = sys.intern(typename)
        fields = tuple(map(sys.intern, fields))
        count = len(fields)
        arg_list = ", ".join(fields) + ("," if count == 1 else "")
        repr_fmt = "(" + ", ".join(f"{name}=%r" for name in fields) + ")"
        field_defaults = dict(zip(fields[count - len(defaults) :], defaults, strict=True))
        tuple_new = tuple.__new__

        def name(method: Any, as_: str) -> None:
            method.__name__ = as_
            method.__qualname__ = f"{typename}.{as_}"

        def compiled() -> Any:
            """The `__new__` collections.namedtuple compiles, for this class."""
            namespace = {
                "_tuple_new": tuple_new,
                "__builtins__": {},
                "__name__": f"namedtuple_{typename}",
            }
            code = f"lambda _cls, {arg_list}: _tuple_new(_cls, ({arg_list}))"
            new = eval(code, namespace)
            name(new, "__new__")
            new.__doc__ = f"Create new instance of {typename}({arg_list})"
            new.__annotations__ = made.__annotations__  # as typing gives it
            if defaults:
                new.__defaults__ = tuple(defaults)
            return new

        def __new__(_cls: type, *args: Any, **kwargs: Any) -> Any:
            # The first instance made by a call: the class gets its own __new__ from now on
            new = compiled()
            made.__new__ = staticmethod(new)
            return new(_cls, *args, **kwargs)

        @classmethod  # type: ignore[misc]
        def _make(cls: type, iterable: Any) -> Any:
            result = tuple_new(cls, iterable)
            if len(result) != count:
                raise TypeError(f"Expected {count} arguments, got {len(result)}")
            return result

        _make.__func__.__doc__ = f"Make a new {typename} object from a sequence or iterable"

        def _replace(self: Any, /, **kwds: Any) -> Any:
            result = self._make(map(kwds.pop, fields, self))
            if kwds:
                raise _UNKNOWN(f"Got unexpected field names: {list(kwds)!r}")
            return result

        _replace.__doc__ = (
            f"Return a new {typename} object replacing specified fields with new values"
        )

        def __repr__(self: Any) -> str:
            "Return a nicely formatted representation string"
            return self.__class__.__name__ + repr_fmt % self

        def _asdict(self: Any) -> dict[str, Any]:
            "Return a new dict which maps field names to their values."
            return dict(zip(self._fields, self, strict=False))  # as collections zips them

        def __getnewargs__(self: Any) -> tuple[Any, ...]:
            "Return self as a plain tuple.  Used by copy and pickle."
            return tuple(self)

        for method in (__new__, _make.__func__, _replace, __repr__, _asdict, __getnewargs__):
            name(method, method.__name__)
        __new__.__doc__ = f"Create new instance of {typename}({arg_list})"
        namespace: dict[str, Any] = {
            "__doc__": f"{typename}({arg_list})",
            "__slots__": (),
            "_fields": fields,
            "_field_defaults": field_defaults,
            "__new__": __new__,
            "_make": _make,
            "_replace": _replace,
            "__repr__": __repr__,
            "_asdict": _asdict,
            "__getnewargs__": __getnewargs__,
            "__match_args__": fields,
        }
        for index, field in enumerate(fields):
            namespace[field] = _tuplegetter(index, sys.intern(f"Alias for field number {index}"))
        made = type(typename, (tuple,), namespace)
        made.__module__ = module
        return made
