"""Unit names: split a list of responsible units into whole institution names.

A list is split at 、，；/ and spaces; at 和/及/与 only where both sides are institution names
(工业和信息化部 and 人力资源和社会保障局 are one unit each, 市教委和市卫健委 are two).
"""

from __future__ import annotations

import re

#: The endings of institution names, longest first so that 委员会 wins over 会.
_ENDING_WORDS = """
        人民政府 政府 办公厅 办公室 委员会 领导小组 工作组 小组 指挥部 部门 单位 机关 机构 中心
        总局 总署 总队 支队 大队 中队 派出所 街道 社区 公司 集团 银行 学校 高校 医院 法院 检察院
        党委 党组 工委 纪委 监委 团委 工会 妇联 残联 侨联 科协 文联 社科联 工商联 供销社 红十字会
        协会 学会 商会 联合会 研究院 研究所 设计院 中央 海关 专班 管委会 服务队 工作队
        经营主体
        产权方 出租方 承租方 建设方 使用方 管理方 施工方 监理方 业主方 运营方 权属方 物业
        部 委 局 厅 办 署 院 会 行 所 站 村 组 队 处 科 室 股 校 馆 台 社 团 联 庭 监
        区 县 市 省 州 盟 旗 乡 镇 企业 各地
"""
ENDINGS = tuple(sorted(_ENDING_WORDS.split(), key=len, reverse=True))

#: Words that end a unit list but are not a unit: 「X、Y等有关部门按职责分工负责」 names X and Y.
TRAILERS = re.compile(
    r"(?:等(?:[\d一二三四五六七八九十]+个)?(?:其他|其它|各)?(?:有关|相关)?(?:部门|单位)?)?"
    r"(?:按照?职责分工|按职责|根据职责|依职责|分别)?"
    r"(?:牵头|共同|配合|参与|协助|协同)?(?:负责|落实|实施|推进|承担|组织实施)?$"
)

#: Bare levels that continue a 各… group: 「各区、县级市」 is the district and county-level
#: city governments together, written as one unit.
_LEVELS = {"县级市", "县", "区", "县区", "区县", "市", "乡镇", "乡", "镇", "街道", "村", "社区"}

#: Common words that end as institutions' names do.
_NOT_A_UNIT_WORDS = """
社会 农村 乡村 城乡 城市 乡镇 市县 省市 县乡 机关 单位 部门
企业 政府 党委 学校 医院 银行 公司 集团 中心 机构 协会 社区 园区 小区
"""
# the second row: a bare common noun names no particular unit (「企业是创新的主体」)
_NOT_UNITS = set(_NOT_A_UNIT_WORDS.split())

_NOT_A_NAME_START = (
    r"含|包括|包含|不含|除|如|即|其中|推动|推进|加强|加快|建立|健全|完善|落实|开展|做好|抓好|"
    r"强化|深化|支持|鼓励|引导|提升|提高|促进|确保|坚持|全面|积极|大力|建强|建好|筑牢|织密|畅通|"
    r"严格|加大|发挥|规范"
)

_LEVEL_GOVERNMENTS = r"(?:县级市|县区|区县|县|区|市|乡镇|乡|镇|街道)(?:人民政府|政府)"
_PEOPLE = re.compile(r"(?:干部|党员|群众|人员|同志|人才|职工|居民|农民|学生|家庭|个人|代表)$")

_SEPARATORS = re.compile(r"[、，,；;/／\s　]+")
_CONJUNCTIONS = re.compile(r"以及|[和及与]")


def is_institution(name: str) -> bool:
    """Whether the name ends as institutions' names end (局, 委员会, 中心…)."""
    return name.endswith(ENDINGS) and len(name) >= 2


def split_units(text: str) -> list[str]:
    """The unit names in a list as the document writes it, in order, without trailers."""
    # 「X会同Y」: two units (X convenes); never one name
    text = re.sub(r"[（(]\s*[）)]", "", text).replace("会同", "、").strip(" 　。.；;，,:：")
    out: list[str] = []
    for part in _split_outside_brackets(text):
        part = _trim(part)
        if not part:
            continue
        group = out and out[-1].startswith("各") and not out[-1].endswith("政府")
        if group and (part in _LEVELS or re.fullmatch(_LEVEL_GOVERNMENTS, part)):
            out[-1] = f"{out[-1]}、{part}"  # 「各县、市、区政府」: one group
            continue
        out.extend(_split_conjunctions(part))
    return [name for name in dict.fromkeys(out) if name]


def _split_outside_brackets(text: str) -> list[str]:
    """Split at separators, but not inside brackets: 「各县(市、区)政府」 is one unit."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in text:
        if char in "（(〔【[":
            depth += 1
        elif char in "）)〕】]" and depth > 0:
            depth -= 1
        if depth == 0 and _SEPARATORS.fullmatch(char):
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _trim(part: str) -> str:
    part = part.strip(" 　。.；;，,:：\n")
    part = re.sub(r"^(?:由|请|并由|会同|联合|及|和|与)", "", part)
    trimmed = TRAILERS.sub("", part)
    # 「各有关部门」 alone is a unit as written; only a trailer after a name is cut off.
    return trimmed if trimmed else part


def _split_conjunctions(part: str) -> list[str]:
    """Split at 和/及/与 only where every side is itself an institution's name."""
    pieces = _CONJUNCTIONS.split(part)
    if len(pieces) > 1 and all(is_institution(p) for p in pieces):
        return pieces
    return [part]


def looks_like_cell_unit(name: str) -> bool:
    """In a table's units column any short name counts: the column says it is a unit."""
    return 2 <= len(name) <= 40 and not re.search(r"[。！？；：:]", name)


def looks_like_unit(name: str) -> bool:
    """A plausible unit name: short, no sentence punctuation, an institution's ending or 各…."""
    if not 2 <= len(name) <= 30 or re.search(r"[。！？；，：:“”\"]", name):
        return False
    if re.search(r"要|应当|进一步|切实|认真|亲自", name):
        return False  # 「各级领导干部要亲自负责」 is a sentence, not a unit
    if re.search(r"[部布]署$|小区$", name):
        return False  # 「动员部署」: the verb 部署, not a name ending in 署; a 小区 is a place
    if name in _NOT_UNITS or re.fullmatch(r"全(?:国|省|市|县|区|镇|乡|社会|体)", name):
        return False  # 「全社会」「农村」 end as units' names do and are not units
    if _PEOPLE.search(name):
        return False  # 「党员干部」 are people, not a unit
    if re.match(_NOT_A_NAME_START, name):
        return False  # 「含开发区」「推动农村」: a remark or a verb phrase
    return is_institution(name) or name.startswith("各")
