"""Report blocks (`report.Block`) as a Word document in 公文格式 (GB/T 9704-2012).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the title in 2号 (22 pt)
方正小标宋简体, the body in 3号 (16 pt) 仿宋_GB2312, level-1 headings (一、) in 黑体 and level-2
headings (（一）) in 楷体_GB2312; 22 lines a page on a fixed line pitch; page numbers 「— 1 —」 in
4号 宋体. The official fonts are named as the county's PCs have them, each with the common
font it falls back to (宋体, 仿宋, 楷体) in the document's font table, so a PC without them still
shows the right kind of face.

With a template (`--template FILE.docx`) the office's own document is the start: its
letterhead (whatever is in its body, headers and footers), page setup and styles stay, and the
report is appended in its styles `Title`, `Heading 1`, `Heading 2` and `Normal`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xixin_cli.errors import UsageError
from xixin_cli.i18n import NUMERALS

if TYPE_CHECKING:
    from xixin_cli.report import Block

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
#: What each official font falls back to where it is not installed.
FALLBACK = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体", HEADING_FONT: "SimHei"}
#: The type area is 297 − 37 − 35 = 225 mm high, for 22 lines: a line every 28.9 pt.
LINE_PITCH_PT = 28.9
#: 156 mm wide for 28 characters of 3号: 5.57 mm each, a little under 16 pt.
CHARS_PER_LINE = 28


#: A heading's own number at its start: 四、 四（三） （一） (1) 1. 5.2 — not a name that starts
#: with a numeral (三河村, 十里村).
_OWN_NUMBER = re.compile(rf"[{NUMERALS}]+[、（(]|[（(][{NUMERALS}\d]+[）)]|\d+(?:\.\d+)*[.、\s]")


def _numbered(text: str) -> bool:
    """A heading that carries the document's own numbering (四（三）, 5.2, （一）) keeps it."""
    return _OWN_NUMBER.match(text) is not None


def _fonts(run: Any, name: str, size: float | None = None, bold: bool = False) -> None:
    """Set a run's font for Chinese and Latin text alike (Word keeps them apart)."""
    from docx.shared import Pt

    run.font.name = name
    _every_script(run._element.get_or_add_rPr(), name)
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = bold


def _style_fonts(style: Any, name: str, size: float) -> None:
    from docx.shared import Pt

    style.font.name = name
    style.font.size = Pt(size)
    _every_script(style.element.get_or_add_rPr(), name)


def _every_script(properties: Any, name: str) -> None:
    """Name the font for every script in run properties (w:rPr): Word keeps East Asian text's
    font (w:eastAsia) apart from Latin's, and python-docx sets only the Latin one."""
    from docx.oxml.ns import qn

    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), name)


def _page(section: Any) -> None:
    """A4 and the margins of GB/T 9704, with the line grid of 22 lines."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = sect.makeelement(qn("w:docGrid"), {})
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def _page_numbers(section: Any) -> None:
    """「— 1 —」 centred in the footer, in 4号 宋体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), PAGE_FONT, 14)
    run = paragraph.add_run()
    _fonts(run, PAGE_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.text = "1"
            run._element.append(shown)
    _fonts(paragraph.add_run(" —"), PAGE_FONT, 14)


def _fallbacks(document: Any) -> None:
    """Name in the font table what each official font falls back to (w:altName)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = next(
        (r.target_part for r in document.part.rels.values() if r.reltype == RT.FONT_TABLE), None
    )
    if part is None:
        return
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, alternative in FALLBACK.items():
        font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
        etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": alternative})
        etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _base(template: Path | None) -> tuple[Any, bool]:
    import docx

    if template is None:
        document = docx.Document()
        _page(document.sections[0])
        _page_numbers(document.sections[0])
        normal = document.styles["Normal"]
        _style_fonts(normal, BODY_FONT, 16)
        from docx.shared import Pt

        layout = normal.paragraph_format
        layout.line_spacing = Pt(LINE_PITCH_PT)
        layout.space_before = layout.space_after = Pt(0)
        _fallbacks(document)
        return document, False
    try:
        return docx.Document(str(template)), True
    except Exception:  # python-docx raises several kinds for a file that is not a .docx
        raise UsageError("usage.template_unreadable", path=str(template)) from None


def _widths(rows: Sequence[Sequence[str]], total_mm: float = 156) -> list[Any]:
    """Column widths in proportion to what the columns hold (a Chinese character is two
    units), so a unit's name stays on one line and the numbers take little room."""
    from unicodedata import east_asian_width

    from docx.shared import Mm

    def units(text: str) -> int:
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)

    need = [max(max(units(row[c]) for row in rows), 4) for c in range(len(rows[0]))]
    need = [min(n, 40) for n in need]
    return [Mm(total_mm * n / sum(need)) for n in need]


def to_docx(
    blocks: Sequence[Block],
    lang: str,
    template: Path | None = None,
    picture: bytes | None = None,
    signature: Sequence[str] = (),
) -> bytes:
    """The report as a .docx file's bytes: h1 the title, h2 一、, h3 （一） (in English 1. and
    (1)), items and paragraphs indented two characters, tables in a grid; `picture` (a PNG)
    after the first table; `signature` lines (the office, the date) at the end, on the right."""
    from io import BytesIO

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from xixin_cli.i18n import formatter
    from xixin_cli.office import xml_safe

    # What a log carries reaches Word as XML can hold it (a bare escape character cannot).
    blocks = [
        block._replace(
            text=xml_safe(block.text),
            rows=tuple(tuple(xml_safe(value) for value in row) for row in block.rows),
        )
        for block in blocks
    ]
    signature = [xml_safe(line) for line in signature]
    # A heading's number as the language writes it: 四、 （一） or 4. (1)
    numbered = {level: formatter(f"word.heading{level}", lang) for level in (1, 2)}

    document, styled = _base(template)
    indent = Pt(32)  # two characters of 3号
    level1 = level2 = 0
    placed = False

    def paragraph(text: str, style: str, font: str, size: float, **layout: Any) -> Any:
        made = document.add_paragraph(style=style if styled and style in _names() else None)
        run = made.add_run(text)
        if not styled:
            _fonts(run, font, size)
        for key, value in layout.items():
            setattr(made.paragraph_format, key, value)
        return made

    def _names() -> set[str]:
        return {style.name for style in document.styles}

    for block in blocks:
        if block.kind == "h1":
            title = paragraph(block.text, "Title", TITLE_FONT, 22)
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            title.paragraph_format.space_after = Pt(LINE_PITCH_PT)
            if not styled:
                title.paragraph_format.line_spacing = Pt(35)
        elif block.kind == "h2":
            level1, level2 = level1 + 1, 0
            text = block.text if _numbered(block.text) else numbered[1](n=level1, text=block.text)
            paragraph(text, "Heading 1", HEADING_FONT, 16, first_line_indent=indent)
        elif block.kind == "h3":
            level2 += 1
            text = block.text if _numbered(block.text) else numbered[2](n=level2, text=block.text)
            paragraph(text, "Heading 2", SUBHEADING_FONT, 16, first_line_indent=indent)
        elif block.kind in ("item", "open", "done", "para"):
            paragraph(block.text, "Normal", BODY_FONT, 16, first_line_indent=indent)
        elif block.rows:
            header, *rows = block.rows
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            if "Table Grid" in _names():
                table.style = document.styles["Table Grid"]
            table.autofit = False
            widths = _widths(block.rows)
            for column, width in zip(table.columns, widths, strict=True):
                column.width = width
            for r, row in enumerate(block.rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.width = widths[c]
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(value)
                    _fonts(run, HEADING_FONT if r == 0 else BODY_FONT, 12)
                    cell.paragraphs[0].paragraph_format.line_spacing = Pt(18)
                    cell.paragraphs[0].paragraph_format.first_line_indent = Pt(0)
                    if c > 0:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if picture is not None and not placed:
                placed = True
                document.add_paragraph()
                document.add_picture(BytesIO(picture), width=Mm(150))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if signature:
        document.add_paragraph()
        for line in signature:
            made = paragraph(line, "Normal", BODY_FONT, 16)
            made.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            made.paragraph_format.right_indent = Pt(64)
    out = BytesIO()
    document.core_properties.author = "xixin"
    if blocks:
        document.core_properties.title = blocks[0].text
    document.save(out)
    return out.getvalue()
