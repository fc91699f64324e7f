"""Text made without rich for a file or a pipe is what rich prints: a reminder's lines gathered
into blocks (`render._Lines`), and blocks of whole lines streamed without being measured again
(`wrap.Block`, `present.streamed`)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console, Group
from rich.text import Text
from test_bulk import STYLES, TEXT, _views, printed

from xixin_cli import render
from xixin_cli.present import console as shown_console
from xixin_cli.present import streamed
from xixin_cli.terminal import clean
from xixin_cli.wrap import Block, Indented, Wrapped


@st.composite
def parts(draw: st.DrawFn) -> list[Any]:
    """What a reminder's unit is made of: lines of Text, Indented cells, and now and then
    something else (a Text with spans, justified, or with an end of its own)."""
    found: list[Any] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["text", "text", "indented", "spanned", "odd"]))
        if kind == "text":
            found.append(Text(draw(TEXT), style=draw(STYLES)))
        elif kind == "indented":
            hang = draw(st.sampled_from([0, 2]))
            texts = draw(st.lists(TEXT, max_size=3))
            cells = [Wrapped(clean(text), words=("乡民政办",), hang=hang) for text in texts]
            found.append(Indented(cells, draw(st.sampled_from([0, 2, 5]))))
        elif kind == "spanned":
            spanned = Text(draw(TEXT))
            spanned.append(draw(TEXT), style="bold")
            found.append(spanned)
        else:
            found.append(Text(draw(TEXT), justify="center", end=draw(st.sampled_from(["", "\n"]))))
    return found


def _lines(parts: list[Any], console: Console, width: int) -> list[Any]:
    lines = render._Lines(console, width)
    return [*lines.of(parts), *lines.rest()]


class _Made:
    """Renders as what `_Lines` makes of its parts, at the width it is given."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts

    def __rich_console__(self, console: Console, options: Any) -> Any:
        yield from _lines(self.parts, console, options.max_width)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(made=parts(), width=st.integers(1, 60), escaped=st.booleans())
def test_a_reminders_lines_print_as_rich_prints_its_parts(
    made: list[Any], width: int, escaped: bool
) -> None:
    def of(renderable: Any) -> str:
        options: dict[str, Any] = {"file": io.StringIO(), "width": width, "color_system": None}
        console = shown_console(**options) if escaped else Console(**options)
        console.print(renderable)
        return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]

    assert of(_Made(made)) == of(Group(*made))
    streaming = shown_console(file=io.StringIO(), width=width)
    captured = shown_console(file=io.StringIO(), width=width)
    with captured.capture() as capture:
        captured.print(Group(*made))
    from xixin_cli.terminal import trimmed

    assert "".join(streamed(streaming, _Made(made))) == trimmed(capture.get())


def test_a_reminders_lines_are_made_as_text() -> None:
    """The shortcut is taken: a line that fits and Indented cells become one block."""
    console = shown_console(file=io.StringIO(), width=40)
    cells = [Wrapped("1.1 2.3 4.5", words=())]
    made = _lines([Text("■ 乡民政办", style="bold"), Indented(cells, 5)], console, 40)
    assert len(made) == 1 and isinstance(made[0].text, Block)
    assert made[0].text == "■ 乡民政办\n     1.1 2.3 4.5" + " " * 24 + "\n"


@pytest.mark.parametrize("width", [40, 80, 120])
def test_the_real_reminder_prints_as_its_parts(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    view = dict(_views())["remind"]
    made = printed(view, True, width=width, colour=None, escaped=True)
    monkeypatch.setattr(render._Lines, "of", lambda self, parts: iter(list(parts)))
    assert printed(view, True, width=width, colour=None, escaped=True) == made


def test_a_block_that_changes_when_shown_is_measured_again() -> None:
    """A block whose lines the console escapes (or whose lights it replaces) is no longer
    known to fit: streamed measures and crops each line as rich would."""
    console = shown_console(file=io.StringIO(), width=10)

    class Lines:
        def __rich_console__(self, console: Console, options: Any) -> Any:
            from rich.segment import Segment

            yield Segment(Block("ab\x1b[2Jcdefgh\n中文\n", 10))

    assert "".join(streamed(console, Lines())) == "ab\\x1b[2Jc\n中文\n"
