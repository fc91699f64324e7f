"""The document's metadata, wherever it stands: 文号, 发文机关, 成文日期, title, 主送."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from xixin_cli.importer.dates import date_line
from xixin_cli.importer.numbering import Line

_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$")
_ISSUER_END = re.compile(
    r"(人民政府|政府办公厅|政府办公室|办公厅|办公室|委员会|国务院|党委|党组|人民政府办公厅|"
    r"局|委|厅|部|中心|领导小组|指挥部)$"
)
_TITLE_END = re.compile(r"(方案|计划|意见|办法|要点|清单|分工|安排|规划|细则|措施|通知)$")
_NOTICE = re.compile(r"关于印发\s*《?([^《》]{4,80}?)》?\s*的通知")
_QUOTED = re.compile(r"《([^《》]{4,80}?(?:方案|计划|意见|办法|要点|清单|分工|措施|规划))》")


@dataclass
class Metadata:
    number: str = ""
    issuer: str = ""
    issued: date | None = None
    title: str = ""
    notice: str = ""
    recipients: list[str] = field(default_factory=list)


def read_metadata(lines: list[Line], preamble: list[Line]) -> Metadata:
    """What the document says about itself; the signing block may be at the end."""
    meta = Metadata()
    texts = [line.text for line in lines]
    for index, text in enumerate(texts):
        if not meta.number and _NUMBER.match(text):
            meta.number = re.sub(r"\s+", "", text)
            after = _next_text(texts, index)
            if after and _ISSUER_END.search(after) and len(after) <= 30:
                meta.issuer = after
    for index, text in enumerate(texts):
        signed = date_line(text)
        if signed is None:
            continue
        if meta.issued is None:
            meta.issued = signed
        if not meta.issuer:
            meta.issuer = _signers(texts, index)
    _labelled_fields(meta, texts[:12])
    head = "".join(line.text for line in preamble) or "".join(texts[:10])
    notice = _NOTICE.search(head)
    if notice:
        meta.notice = notice.group(0)
        meta.title = notice.group(1)
        issuer = head[: notice.start()].split("。")[-1]
        if not meta.issuer:
            meta.issuer = _issuer_before(issuer)
    if not meta.title:
        meta.title = _title_lines(preamble)
    if not meta.title:
        quoted = _QUOTED.search(head)
        meta.title = quoted.group(1) if quoted else ""
    for line in preamble:
        text = line.text
        if text.endswith(("：", ":")) and "、" in text and len(text) < 60 and not meta.recipients:
            # 「各省、自治区、直辖市人民政府，国务院各部委、各直属机构：」: groups apart by ，
            separator = r"[，,]" if re.search(r"[，,]", text) else "、"
            meta.recipients = [p for p in re.split(separator, text.rstrip("：:")) if p]
    return meta


_FIELD = re.compile(r"(发文机关|成文日期|发文字号|文号|标\s*题)\s*[:：]\s*(\S+)")


def _labelled_fields(meta: Metadata, texts: list[str]) -> None:
    """A published page's metadata block: 「发文机关：X 成文日期：2014年02月23日 …」."""
    for text in texts:
        for name, value in _FIELD.findall(text):
            if name == "成文日期" and meta.issued is None:
                meta.issued = date_line(value)
            elif name == "发文机关" and not meta.issuer:
                meta.issuer = value
            elif name in ("发文字号", "文号") and not meta.number:
                meta.number = value
            elif name.startswith("标") and not meta.title:
                meta.title = value


def _issuer_before(text: str) -> str:
    """「国务院办公厅关于印发…」: the issuer is what comes before 关于."""
    text = text.strip()
    for known in (
        "人民政府办公厅",
        "人民政府办公室",
        "办公厅",
        "办公室",
        "人民政府",
        "国务院",
        "委员会",
    ):
        if text.endswith(known):
            return text
    return ""


def _title_lines(preamble: list[Line]) -> str:
    """A title written over one or two short lines (blank lines between them allowed)."""
    texts = [line.text for line in preamble if line.text]
    for index, text in enumerate(texts):
        if len(text) > 40 or re.search(r"[。，；：]", text):
            continue
        if _TITLE_END.search(text) and not text.endswith("通知"):
            if (
                index > 0
                and len(texts[index - 1]) <= 30
                and not re.search(r"[。，；：]|〔\d{4}〕|\d{4}年", texts[index - 1])
                and not _TITLE_END.search(texts[index - 1])
                and not _ISSUER_END.search(texts[index - 1])
            ):
                return texts[index - 1] + text
            return text
    return ""


def _signers(texts: list[str], index: int) -> str:
    """The issuer(s) signing above a date line: one line, or a joint block of several."""
    names: list[str] = []
    for text in reversed(texts[:index]):
        if not text:
            continue
        if len(text) > 40 or re.search(r"[。，；：:]", text) or not _ISSUER_END.search(text):
            break
        names.insert(0, text)
    return " ".join(names)


def _next_text(texts: list[str], index: int) -> str:
    return next((t for t in texts[index + 1 :] if t), "")
