"""The tag grammar: the words that name an item's responsible units, and which of them lead.

Forms read (X, Y are unit lists): （X负责） （X牵头，Y配合） （X牵头负责） （X指导）
（X、Y等按职责分工负责） （牵头单位：X；配合单位：Y） （牵头单位：X，责任单位：Y） 〔责任科室：X〕
【责任单位】X, 责任单位：X on its own, 由X负责, X牵头，Y配合/参与 inside a sentence; and the
legends that make the first unit of every list the lead (列第一位者为牵头单位, 排在第一位的
部门为牵头部门, 下同), inside a tag or standing alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xixin_cli.importer.units import ENDINGS, is_institution, looks_like_unit, split_units

_OPEN = "（(〔【[［"
_CLOSE = {"（": "）", "(": ")", "〔": "〕", "【": "】", "[": "]", "［": "］"}

_UNITWORD = r"(?:单位|部门|科室|处室|股室|责任人|主体)"
LEAD_LABEL = r"(?:牵头|主办|主责|牵头责任)" + _UNITWORD + r"?"
OTHER_LABEL = (
    r"(?:(?:配合|协办|参与|协助|协同)(?:责任)?"
    + _UNITWORD
    + r"?|(?:责任|承办|实施|主要责任|具体责任|"
    r"落实|指导|督办|监督|督导)" + _UNITWORD + ")"
)
#: Labels in a tag that say when or who in person, not which unit: their values are skipped.
TIME_LABEL = (
    r"完成时限|完成时间|时间节点|完成节点|时限要求|时间要求|完成期限|办结时限|时限|"
    r"责任领导|分管领导|联系领导|责任人|联系人"
)
_LABEL_WITH_COLON = re.compile(
    r"(" + LEAD_LABEL + "|" + OTHER_LABEL + r"|责任科室|责任处室|" + TIME_LABEL + r")\s*[:：]"
)

LEGEND = re.compile(
    r"(?:列|排|排在|排名|位列|排列|居)?(?:第一位|第一个|首位|首个|最前|第一)(?:的|者)?"
    r"(?:责任单位|责任部门|单位|部门)?(?:均)?(?:为|是)(?:牵头|主要责任|主办|主责)(?:单位|部门)?"
    r"(?:[，,；;]?\s*下同)?"
)
_LEGEND_CLAUSE = re.compile(r"[，,；;。]?\s*(?:各项任务)?(?:责任单位|单位|部门)?" + LEGEND.pattern)

_VERBS = (
    r"(?:按照?职责分工|按职责|根据职责|依职责|分别)?(?:共同|协同)?"
    r"(?:负责(?!人)|落实|实施|推进|组织实施|承担)"
)
_LEAD_COOP = re.compile(
    r"^(.+?)牵头(?:负责)?(?:[，,；;、]\s*(.+?)(?:等)?(?:配合|参与|协助|协同|协办|"
    + _VERBS
    + r"))?$"
)
_RESPONSIBLE_COOP = re.compile(
    r"^(.+?)(?:牵头)?负责[，,；;、]\s*(.+?)(?:等)?(?:配合|参与|协助|协同|协办)$"
)
_RESPONSIBLE = re.compile(r"^(.+?)(?:等)?" + _VERBS + r"$")
_GUIDES = re.compile(r"^(.+?)(?:指导|督导)(?:[，,；;]\s*(.+?)(?:等)?" + _VERBS + r")?$")
_INLINE_BY = re.compile(
    r"由([^，。；：、（）\s]{2,20}(?:[、和及][^，。；：、（）\s]{2,20}){0,8})(?:牵头)?" + _VERBS
)
_INLINE_LEAD = re.compile(
    r"([^，。；：（）\s]{2,20}(?:[、][^，。；：（）\s]{2,20}){0,4})牵头[，,]\s*"
    r"([^，。；：（）\s]{2,20}(?:[、][^，。；：（）\s]{2,20}){0,8})(?:等)?(?:配合|参与|协助|协同)"
)
_NAME = r"[^，,。；;：:、（）()\s“”\"]{2,25}?"
_PERSON = re.compile(r"[^：:；;]{0,10}(?:领导|负责人|责任人|联系人)\s*[:：][^；;]*")
_ACTS = (
    r"做好|开展|推进|落实|制定|负责|研究|组织|加强|建立|完善|实施|抓好|共同|统筹|指导|督促|"
    r"编制|出台|推动|加快|提出|建设|做实|开发|牵头"
)
# 「由X会同Y」「X要会同Y」「X负责，会同Y」「X牵头，会同Y」: X convenes the others and leads
_INLINE_CONVENE = re.compile(
    r"(?:^|(?<=[。；，,：:\s])|由)(" + _NAME + r")(?:要|应当?|负责|牵头)?[，,]?\s*(?:主动|积极)?"
    r"会同(" + _NAME + r"(?:、" + _NAME + r"){0,40})"
    r"(?:等(?:有关|相关)?(?:部门|单位)?)?(?=[，。；]|" + _ACTS + r"|抓紧|在|定期|及时|每|对|于)"
)
# 「…的，由镇规建办提出整改意见」: the unit named before its action does it
_INLINE_BY_ACT = re.compile(
    r"由(" + _NAME + r"(?:、" + _NAME + r"){0,10})(?=" + _ACTS + r"|提出|审核|审批|核查|核实|报送)"
)
# 「由镇党政办牵头，负责…」
_INLINE_BY_LEAD = re.compile(r"由(" + _NAME + r"(?:、" + _NAME + r"){0,30})牵头(?!单位|部门)")
# 职责分工: 「镇党政办：负责统筹协调」「县教育局负责…」 name the unit first; read only where
# no tag names the item's units (「市领导小组负责统筹…。（牵头单位：X）」 is X's item)
_LEADING = re.compile(
    r"^\s*(" + _NAME + r"(?:、" + _NAME + r"){0,5})(?:[:：]\s*(?:主要|具体)?(?:负责|牵头|承担)?|"
    r"(?:牵头)?负责|。\n|\s*$)"  # 。\n: a heading that is only a unit's name, its duties below
)
# 「区卫健委会同区民政局做好…」 opening an item: the convener leads
_LEADING_CONVENE = re.compile(
    r"^\s*(?:由)?(" + _NAME + r")会同(" + _NAME + r"(?:、" + _NAME + r"){0,10})"
    r"(?:等(?:有关|相关)?(?:部门|单位)?)?(?=[，,]|" + _ACTS + ")"
)
# 「建设单位应尽到…」「镇规建办为…主管部门」「由镇规建办提出…」: the unit is the subject that
# opens the item (read only where no tag names its units)
_SUBJECT = re.compile(
    r"^\s*(?:由)?(" + _NAME + r"(?:(?:、|及|和)" + _NAME + r"){0,5})"
    r"(?=应当?|要|须|必须|按照?|为|是(?!指)|对|在|提出|做好|加强|组织|落实|负责|牵头)"
)
# 「市发展改革委负责…」「各居村于2021年6月20日前…完成」「由居委纳入…」「居委、物业定期…」: a
# unit as the subject of one of the item's sentences (read only where no tag names its units)
_BODY = _NAME + r"(?:[（(][^（）()]{1,15}[）)])?"
_SUBJECT_VERBS = (
    r"要|应当?|须|必须|将|于|在|对|按照?|根据|依据|结合|依托|负责(?!人(?![员口群]))|牵头|配合|协助|协同|会同|联合|"
    r"统筹|组织|开展|做好|加强|加快|推动|推进|制定|支持|引导|指导|协调|建立|完善|落实|提供|"
    r"发布|定期|具体|积极|纳入|作(?!为)|督促|召集|为|是(?!指)|提出|审核|审批|核查|核实|报送|"
    r"上报|开通|征询|签订|开具|设立|交于|交至|汇总|收取|审查|备案|办理|处理|受理|监督|检查|考核|"
    r"宣传|排查|整治|对接|属地化|呈送|缴入|不定期|明确|依法|依规|依职责|"
    r"作为(?=[^，。；]{0,30}(?:责任主体|主体责任|牵头单位|责任单位))|"
    r"实施|研究|编制|出台|抓好|搭建|共享|承担|跟进|动态|及时|每|"
    r"挂牌|督办|托底|列出|发挥|对照|抽调"
)
_SUBJECT_VERB = re.compile(r"(?:" + _SUBJECT_VERBS + r")")
#: Where a sentence (or a clause after 「，由」, or after 「，」 when a strong verb follows) starts.
_CLAUSE_START = re.compile(r"(?:^|(?<=[。；;！？\n：:])|(?<=[，,])(?=由))\s*(?:由|请|并由|同时由)?")
_COMMA_START = re.compile(r"(?<=[，,])\s*")
#: 「…今后由各村属地化管理」「费用由镇财政所…缴入」: who does it follows 由 (never 由于, 自由, 理由)
_BY_START = re.compile(r"(?<![自理缘经])由(?![于此])")
_STRONG_VERBS = re.compile(
    r"(?:将|要|应当?|须|必须|负责(?!人(?![员口群]))|牵头|于|定期|不定期|每|汇总|具体负责|组织开展|列出|挂牌督办)"
)
#: 「9月30日前，区建设管理委…」: after a deadline and its comma a sentence's subject may stand
_AFTER_A_DEADLINE = re.compile(r"(?:前|底|末|内|月)[，,]\s*")
#: 「…建设主体为区应急局」「以街镇为主体开展…」: the body that is the work's subject
_SUBJECT_IS = re.compile(r"主体(?:为|是)(" + _NAME + r")(?=[，,。；;]|$)")
_AS_SUBJECT = re.compile(r"以(" + _NAME + r")为(?:责任|实施|工作)?主体")
_LIST_SEP = re.compile(r"(?:、|和|及|与)")


def _subject_at(text: str, start: int, verbs: re.Pattern[str]) -> tuple[list[str], int] | None:
    """(the bodies named at `start`, where the name ends) when a subject verb follows them;
    the longest such name wins (「…工作领导小组根据职责」, not 「…整治工」 before 「作」)."""
    clause = re.match(r"[^，,。；;：:！？\n《]{2,80}", text[start:])
    if clause is None or re.match(r"会同|与|同|跟|向", clause.group(0)):
        return None  # 「会同物业…」 names a partner, read as one; 「与X做好衔接」 no subject
    for end in range(start + len(clause.group(0)), start + 1, -1):
        # 「各街镇、开发区，按照…原则，督促…」: the subject, a comma, then how it acts
        how = re.match(r"[，,]\s*(?:按照|根据|依据|结合|依托|围绕)", text[end:])
        if not verbs.match(text, end) and how is None:
            continue
        if re.search(r"(?:牵头|负责|配合|参与|协助|协同|落实|实施|推进|承担)$", text[start:end]):
            continue  # 「市科委牵头」 + 「开展」: the name is 市科委, and 牵头 its verb
        names = _bodies(text[start:end])
        if names:
            return names, end
    return None


# 「会同物业每周…」: the partner a subject works with is the item's unit too
_PARTNER = re.compile(
    r"会同(" + _BODY + r"(?:、" + _BODY + r"){0,10})(?:等(?:有关|相关)?(?:部门|单位))?"
    r"(?=每|对|在|于|定期|及时|开展|做好|组成|将|结合|共同|[，。；,;])"
)
#: A class of bodies (「各单位」「有关部门」「相关责任单位」): as a subject alone it is said to
#: whoever it concerns and is no unit; beside a named body in one list
#: (「各居村、相关责任单位于…」) it is kept as written. A body named by its role (建设单位,
#: 主管单位, 镇各相关部门) is a body.
_CLASS = re.compile(
    r"^(?:各|有关|相关|其他|其它|所属)(?:有关|相关|职能|成员|责任|属地)?(?:单位|部门|地区|地方|方面|机构)$"
)
#: Never one body: every level (「各级…」「县级以上地方各级人民政府」), or every place (「各地」).
_LEVELS_CLASS = re.compile(r"^各地$|^各级|以上|以下")
#: Verbs a subject's name does not hold (「市委金融办引导金融机构」 is 市委金融办, then its verb).
_VERB_INSIDE = re.compile(
    r"引导|推动|支持|督促|负责|牵头|会同|联合|配合|协助|加快|加强|做好|落实|获得|征询|签订|开具|"
    r"申请|提交|审核|缴入|以|按|需|对(?!口|外)|(?:执|运|进|推|实|施|试|履|发|可|先|并)行$|"
    r"(?<!所)在|[部布]署$|组织(?!部)"
)
#: Words that open no body's name: 「已在…中心开通的人员」「我镇」「自2020年嘉定区…」
_NOT_A_BODY = re.compile(
    r"^(?:已|未|均|都|可|对|在|按|需|经(?:研究|批准|审核|同意)|我|本|该|其|此|凡|若|一个|每个|成立|反映|设立|"
    r"组建|形成|实现|构建|打造|提供|按照|根据|结合|围绕|通过|对于|关于|为了|为|以|"
    r"今年|明年|当年|本年|年内|近期|目前|当前|今后|指导|督促|组织(?!部)|集中|依法|依规|严格|"
    r"查处|追究|建强|抽调|计划)|[\d的]|"
    r"应(?!急)|要|须|将|每"
)
_ROLE = re.compile(r"(?:民警|工作人员|干部|负责人|同志|人员)$")


def _bodies(names_text: str) -> list[str]:
    """The bodies a subject names, or [] when a name is none, or when it names only classes
    of bodies (「各单位要…」 is said to whoever it concerns; in 「各居村、相关责任单位于…」 the
    class stands beside a body and is kept as written)."""
    out: list[str] = []
    named = False
    if re.search(r"(?<!自)由|[—\-－]", names_text):
        return []  # 「成立由市交通委」: the name is what follows 由, read by the inline forms
    if re.match(r"\s*(?:与|同|跟|向)", names_text):
        return []  # 「与X做好衔接」: X is who the subject works with; the subject is left out
    head, _, partners = names_text.partition("会同")
    sectors = re.fullmatch(r"(?:[^、，,]{1,8}、)+[^、，,]{1,8}等(" + _NAME + r")", head)
    if sectors and _institution(sectors.group(1)) and not _institution(head.split("、")[0]):
        head = sectors.group(1)  # 「教育、交通等行业主管部门」: the sectors' 行业主管部门
    for name in split_units(head) + [f"会同{n}" for n in split_units(partners)]:
        partner = name.startswith("会同")
        name = name.removeprefix("会同")
        bare = _ROLE.sub("", name)
        if bare != name and _institution(bare):
            name = bare  # 「派出所民警要…」: the 派出所
        plain = re.sub(r"[（(][^（）()]*[）)]$", "", name)
        if _NOT_A_BODY.search(name) or not (looks_like_unit(plain) and _institution(name)):
            return []
        if _LEVELS_CLASS.search(plain) or _VERB_INSIDE.search(plain):
            return []
        # 「系统维护单位（数交公司）」: the bracket names the body
        body = plain != name or not _CLASS.search(name)
        if partner and not body:
            continue  # 「X会同相关部门」: X, with whoever it concerns
        named = named or body
        out.append(name)
    return out if named else []


def _institution(name: str) -> bool:
    """An institution's name, a bracket after it (「建管中心（房管办）」) left aside."""
    return is_institution(re.sub(r"[（(][^（）()]*[）)]$", "", name))


def _subjects(text: str, inline: list[Tag]) -> Tag | None:
    """The units the item's sentences have as their subjects, with what its inline forms
    (由X负责, X牵头，Y配合) name, in the text's order: one tag for the whole item.

    A first sentence that is only a unit's name (「1.街道消委办。牵头开展…」) heads the item: that
    unit is its one unit, whoever the sentences below mention. So does a text that is only the
    name: 「（一）镇党政办。」 over its numbered duties.
    """
    first = re.split(r"[。\n]", text.strip(), maxsplit=1)[0].strip()
    if len(first) <= 25:
        heading = _bodies(first)
        if len(heading) == 1 and heading[0] == first:
            return Tag(0, len(text), heading, [], False, first, inline=True, whole=True)
    found: list[tuple[int, list[str], bool]] = []  # (where, names, they lead)
    starts = [(m.end(), _SUBJECT_VERB) for m in _CLAUSE_START.finditer(text)]
    starts += [(m.end(), _STRONG_VERBS) for m in _COMMA_START.finditer(text)]
    starts += [(m.end(), _SUBJECT_VERB) for m in _BY_START.finditer(text)]
    starts += [(m.end(), _SUBJECT_VERB) for m in _AFTER_A_DEADLINE.finditer(text)]
    for start, verbs in sorted(set(starts), key=lambda s: s[0]):
        before = text[:start]
        if any(before.count(o) > before.count(c) for o, c in ("《》", "（）", "()")):
            continue  # inside a title or a bracket: 「《附件4：古美路街道…汇总表》」
        subject = _subject_at(text, start, verbs)
        if subject is not None:
            leads = re.match(r"(?:负责)?牵头", text[subject[1] :]) is not None
            found.append((start, subject[0], leads))
    for pattern in (_SUBJECT_IS, _AS_SUBJECT):
        for match in pattern.finditer(text):
            if names := _bodies(match.group(1)):
                found.append((match.start(), names, False))
    if not found:
        return None
    for match in _PARTNER.finditer(text):
        found.append((match.start(), _bodies(match.group(1)), False))
    for tag in inline:  # 「会同相关部门」 names no body
        names = [u for u in tag.units if not _CLASS.search(u)]
        found.append((tag.start, names, False))
        found.append((tag.start, [u for u in tag.lead if u in names], True))
    found.sort(key=lambda entry: entry[0])
    units = list(dict.fromkeys(u for _, names, _ in found for u in names))
    lead = list(dict.fromkeys(u for _, names, leads in found if leads for u in names))
    return Tag(0, len(text), units, lead, False, "、".join(units), inline=True, whole=True)


_BARE_LABEL = re.compile(r"(?:^|(?<=[。；;\s]))(" + _LABEL_WITH_COLON.pattern + r"[^。\n]*)")
_BOX_LABEL = re.compile(
    r"【\s*(" + LEAD_LABEL + "|" + OTHER_LABEL + r"|责任科室)\s*】\s*([^【。\n]*)"
)


@dataclass
class Tag:
    """Units named at [start, end) of a text; `lead` are those marked as leading."""

    start: int
    end: int
    units: list[str]
    lead: list[str] = field(default_factory=list)
    legend: bool = False  # the tag says the first unit of every list leads
    words: str = ""
    inline: bool = False  # inside a sentence (由X负责), not a bracket after it
    whole: bool = False  # the item's subjects: speaks for the whole item, never cut it up


def brackets(text: str) -> list[tuple[int, int]]:
    """The outermost bracketed spans of the text, [open, close]."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char in _OPEN:
            stack.append((char, index))
        elif stack and char == _CLOSE[stack[-1][0]]:
            _, start = stack.pop()
            if not stack:
                spans.append((start, index + 1))
        elif char in _CLOSE.values() and stack:
            # a mismatched closer: 「（X负责〕」 as typed; close what is open
            _, start = stack.pop()
            if not stack:
                spans.append((start, index + 1))
    return spans


_LEAD_MARK = re.compile(r"([^、，,；;：:（()）]{2,25})[（(]\s*牵头(?:单位|部门)?\s*[）)]")


def parse_content(content: str) -> Tag | None:
    """Read a tag's content (what is inside the bracket), or None when it names no unit.

    A lead may be marked after its name: 「县发改局（牵头）、县财政局」.
    """
    marks = [m.group(1).strip() for m in _LEAD_MARK.finditer(content)]
    if not marks:
        return _parse_content(content)
    content = _LEAD_MARK.sub(lambda m: m.group(1), content)
    tag = _parse_content(content)
    if tag is None:
        names = split_units(content)
        if not names or not all(looks_like_unit(n) for n in names):
            return None
        tag = Tag(0, 0, names)
    if not tag.lead:
        tag.lead = [name for name in split_units("、".join(marks)) if name in tag.units]
    return tag


_ENDS = re.compile(r"^[\s。]+|[\s。]+$")


def _parse_content(content: str) -> Tag | None:
    legend = False
    if LEGEND.search(content):
        legend = True
        content = _LEGEND_CLAUSE.sub("", content).strip(" ，,；;。")
    # 「X按职责分工负责。具体任务均涉及…，不再做分工」: a remark after the list; any space at
    # the ends goes, a no-break space too (Word keeps U+00A0 where one was typed)
    content = _ENDS.sub("", content).split("。")[0]
    if not content:
        return None
    # 「X负责，2024年6月底前完成」「X分别负责，年内持续推进」: timing shares the bracket
    clauses = [c for c in re.split(r"[，,；;]", content) if c.strip()]
    if len(clauses) > 1 and not _LABEL_WITH_COLON.search(content):
        kept = [c for c in clauses if not _timing(c)]
        if kept and len(kept) < len(clauses):
            content = "，".join(kept)
    if _LABEL_WITH_COLON.match(content.strip()) or (
        _PERSON.match(content.strip()) and _LABEL_WITH_COLON.search(content)
    ):
        return _labelled(content, legend)
    for pattern in (_LEAD_COOP, _RESPONSIBLE_COOP, _GUIDES, _RESPONSIBLE):
        match = pattern.match(content)
        if match is None:
            continue
        head = match.group(1)
        lead_pattern = pattern in (_LEAD_COOP, _RESPONSIBLE_COOP)
        rest_text = match.group(2) if match.re.groups > 1 and match.group(2) else ""
        if "会同" in head:  # 「X会同Y负责」: X convenes the others and leads
            head, others = head.split("会同", 1)
            rest_text = others + ("、" + rest_text if rest_text else "")
            lead_pattern = True
        first = split_units(head)
        rest = split_units(rest_text) if rest_text else []
        names = list(dict.fromkeys(first + rest))
        if not names or not all(looks_like_unit(n) for n in names):
            continue
        return Tag(0, 0, names, first if lead_pattern else [], legend)
    return None


def _closing_names(text: str, start: int, end: int) -> Tag | None:
    """「建设公厕5座（县住建局）。」: a bracket of nothing but unit names closing an item names
    its units, on a line of its own too (「（县住建局）」 below a list, as 「（县住建局负责）」 is);
    after a name's own ending it qualifies that name (「各区（县级市）」)."""
    if text[end:].strip(" 。；;\n"):
        return None
    if start > 0 and (text[:start].endswith(ENDINGS) or text[start - 1].isdigit()):
        return None
    names = split_units(text[start + 1 : end - 1])
    if not names or not all(is_institution(n) and looks_like_unit(n) for n in names):
        return None
    return Tag(0, 0, names)


def _labelled(content: str, legend: bool) -> Tag | None:
    """（牵头单位：X；配合单位：Y）, 【责任单位】 forms: labels and the lists after them."""
    parts = list(_LABEL_WITH_COLON.finditer(content))
    prefix = content[: parts[0].start()].strip(" ，,；;") if parts else ""
    if not parts or (prefix and not _PERSON.fullmatch(prefix)):
        return None  # 「牵头市领导：张三；牵头单位：…」: a person named first is passed over
    lead: list[str] = []
    units: list[str] = []
    for index, label in enumerate(parts):
        end = parts[index + 1].start() if index + 1 < len(parts) else len(content)
        if re.fullmatch(TIME_LABEL, label.group(1)):
            continue  # 「完成时限：2020年6月底前」: read as the item's deadline, not a unit
        value = content[label.end() : end]
        names = split_units(value)
        inner = _parse_content(value) if re.search(r"牵头|配合|参与|负责", value) else None
        if inner is not None:  # 「责任单位：X、Y分别牵头」「责任单位：X牵头，Y配合」
            names = inner.units
            lead += inner.lead
        if not all(looks_like_unit(n) for n in names):
            return None
        if re.match(LEAD_LABEL, label.group(1)) and "责任人" not in label.group(1):
            lead += names
        elif "责任人" in label.group(1) or label.group(1).startswith(("督办", "监督", "督导")):
            continue  # people and overseers are not responsible units
        units += names
    units = list(dict.fromkeys(lead + units))
    if not units:
        return None
    return Tag(0, 0, units, list(dict.fromkeys(lead)), legend)


def find_tags(text: str) -> list[Tag]:
    """Every tag in the text, in order, with where it stands."""
    tags: list[Tag] = []
    for start, end in brackets(text):
        tag = parse_content(text[start + 1 : end - 1]) or _closing_names(text, start, end)
        if tag is not None:
            tag.start, tag.end, tag.words = start, end, text[start:end]
            tags.append(tag)
    taken = [(t.start, t.end) for t in tags]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for match in _BOX_LABEL.finditer(text):
        if free(*match.span()):
            tag = _labelled(f"{match.group(1)}：{match.group(2)}", False)
            if tag is not None:
                tag.start, tag.end, tag.words = *match.span(), match.group(0)
                tags.append(tag)
                taken.append(match.span())
    for match in _BARE_LABEL.finditer(text):
        span = match.span(1)
        if free(*span):
            tag = _labelled(_outside_brackets(match.group(1)), bool(LEGEND.search(match.group(1))))
            if tag is not None:
                tag.start, tag.end, tag.words = *span, match.group(1)
                tags.append(tag)
                taken.append(span)
    for pattern in (_INLINE_CONVENE, _INLINE_LEAD, _INLINE_BY_LEAD, _INLINE_BY, _INLINE_BY_ACT):
        for match in pattern.finditer(text):
            if not free(*match.span()):
                continue
            # 「成立由市交通委牵头，…共同参与的推进机制」: the unit is what follows 由 (never
            # the 由 of 自由贸易试验区)
            head = re.split(r"(?<!自)由", match.group(1))[-1]
            first = split_units(head)
            rest = split_units(match.group(2)) if pattern.groups > 1 else []
            names = list(dict.fromkeys(first + rest))
            if names and all(looks_like_unit(n) for n in names):
                # 「X牵头，Y配合」 and 「由X会同Y」: X convenes the others, so X leads
                lead = first if pattern not in (_INLINE_BY, _INLINE_BY_ACT) else []
                tags.append(Tag(*match.span(), names, lead, False, match.group(0), inline=True))
                taken.append(match.span())
    if any(not tag.inline for tag in tags):
        # a bracket or a label assigns; 「资金由县财政局负责统筹」 inside a sentence describes
        tags = [tag for tag in tags if not tag.inline]
    else:
        subjects = _subjects(text, tags)
        if subjects is not None:  # the subjects, with what 由X负责 or X牵头 inside says
            return [subjects]
    if tags and all(tag.inline for tag in tags) and tags[0].start > 0:
        # 「区政府是…的责任主体，由区住建委牵头，会同…」: the subject answers too
        subject = _SUBJECT.match(text) or _LEADING.match(text)
        if subject is not None and subject.end(1) <= tags[0].start:
            names = _bodies(subject.group(1))
            if names:
                tags.insert(
                    0, Tag(*subject.span(1), names, [], False, subject.group(1), inline=True)
                )
    if not tags:
        convene = _LEADING_CONVENE.match(text)
        leading = _LEADING.match(text) or _SUBJECT.match(text)
        if convene is not None:
            first, rest = split_units(convene.group(1)), split_units(convene.group(2))
            names = list(dict.fromkeys(first + rest))
            if names and all(looks_like_unit(n) for n in names):
                span = (convene.start(1), convene.end(2))
                tags.append(Tag(*span, names, first, False, convene.group(0), inline=True))
        elif leading is not None:
            names = _bodies(leading.group(1))  # a body, never a class of bodies
            if names:
                span = leading.span(1)
                tags.append(Tag(*span, names, [], False, leading.group(1), inline=True))
    return _adjacent(sorted(tags, key=lambda tag: tag.start), text)


def _adjacent(tags: list[Tag], text: str) -> list[Tag]:
    """Tags with nothing but spaces or punctuation between them are one: 「牵头单位：X」 and
    「责任单位：Y」 on lines of their own name one item's lead and units."""
    out: list[Tag] = []
    for tag in tags:
        if out and not re.search(r"[^\s，,；;。]", text[out[-1].end : tag.start]):
            last = out[-1]
            out[-1] = Tag(
                last.start,
                tag.end,
                list(dict.fromkeys(last.units + tag.units)),
                list(dict.fromkeys(last.lead + tag.lead)),
                last.legend or tag.legend,
                text[last.start : tag.end],
                last.inline and tag.inline,
                last.whole or tag.whole,
            )
        else:
            out.append(tag)
    return out


def _timing(clause: str) -> bool:
    """A clause that says when, not who: 「2024年6月底前完成」「年内持续推进」「长期坚持」."""
    from xixin_cli.importer.dates import find_deadline

    return find_deadline(clause, None) is not None or bool(
        re.search(r"\d{4}年|年内|年底|月底|季度|半年|长期|持续|常态化", clause)
    )


def _outside_brackets(text: str) -> str:
    """The text without its bracketed remarks (「（以下简称…）」, a legend); a short bracket
    inside a name stays: 「各县(市、区)政府」."""

    def remark(match: re.Match[str]) -> str:
        inside = match.group(0)[1:-1]
        return (
            "" if LEGEND.search(inside) or len(inside) > 8 or "简称" in inside else match.group(0)
        )

    return re.sub(r"[（(][^（）()]*[）)]", remark, text)
