"""Pure: who a document is about — normalized name, code, region — and a stable `entity_id`.

The same department publishes a budget and final accounts every year, and its
units publish their own budgets; the name is printed with or without the
region ('上海市普陀区人民政府办公室' / '普陀区人民政府办公室'), in full- or
half-width punctuation, with or without '本级'. `entity_id` hashes the region
and the normalized name, so a department's documents of every year and type
join on it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Province-level divisions: a name starting with one of these is parsed as
# province + (city) + (district); the four municipalities have no city level.
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
    "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区",
    "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)
_PARTY_RE = re.compile(r"^(中共|中国共产党)")
# A city or district name holds no other level's suffix: '普陀区城市管理局' has no city.
_CITY_RE = re.compile(r"^[^省市区县旗]{1,5}?(?:市|自治州|地区|盟)")
_DISTRICT_RE = re.compile(r"^[^省市区县旗]{1,5}?(?:区|县|旗)")
# Words ending in 区 that name no district ('社区服务中心', '园区管理办公室').
_NOT_DISTRICTS = frozenset({"社区", "小区", "园区", "景区", "街区", "校区", "矿区", "林区", "牧区", "山区", "市区", "郊区", "辖区", "片区"})
_OWN_LEVEL_RE = re.compile(r"[(]?(机关本级|本级|本部)[)]?$")
_CODE_RES = (re.compile(r"\[(\d{2,})\]"), re.compile(r"(?:部门|单位)(?:编码|代码)\s*:\s*(\d{2,})"))
_PLACEHOLDER_RE = re.compile(r"[XＸ×]{2,}")
_YEAR_RE = re.compile(r"\d{4}\s*年")


@dataclass(frozen=True, slots=True)
class Region:
    province: str | None = None
    city: str | None = None
    district: str | None = None

    @property
    def levels(self) -> tuple[str | None, str | None, str | None]:
        return (self.province, self.city, self.district)


@dataclass(frozen=True, slots=True)
class Identity:
    """The fields `DocumentInfo` carries about who the document is about."""

    entity_id: str
    entity_name: str
    entity_code: str | None
    region: Region


def compact(text: str) -> str:
    """Half-width forms (NFKC: '（' → '(', '：' → ':') and no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def split_region(name: str) -> tuple[Region, str]:
    """'上海市普陀区人民政府办公室' → (上海市, -, 普陀区), '人民政府办公室'.

    A party organ names its region inside: '中共上海市普陀区委社会工作部' →
    (上海市, -, 普陀区), '中共区委社会工作部' (the level stays with 委)."""
    text = compact(name)
    party = _PARTY_RE.match(text)
    prefix = party.group(0) if party else ""
    text = text[len(prefix):]
    province = next((p for p in PROVINCES if text.startswith(p)), None)
    text = text[len(province or ""):]
    city = None
    if not (province or "").endswith("市"):
        m = _CITY_RE.match(text)
        city = m.group(0) if m else None
        text = text[len(city or ""):]
    m = _DISTRICT_RE.match(text)
    district = m.group(0) if m and m.group(0) not in _NOT_DISTRICTS else None
    text = text[len(district or ""):]
    last = district or city or province
    if last and text.startswith("委"):
        text = last[-1] + text  # 区委, 市委, 县委, 省委
    return Region(province, city, district), prefix + text


def _merge(own: Region, cover: Region) -> Region:
    """The name's region, completed from the cover's where the two agree on every level both print."""
    if any(a and b and a != b for a, b in zip(own.levels, cover.levels)):
        return own
    return Region(*(a or b for a, b in zip(own.levels, cover.levels)))


def code_of(texts: Sequence[str]) -> str | None:
    """The department or unit code printed in a 填报单位 line or on the cover: '[134]', '部门编码:201'."""
    for text in texts:
        for pattern in _CODE_RES:
            m = pattern.search(compact(text))
            if m:
                return m.group(1)
    return None


def cover_heading(cover: str) -> str:
    """The cover's lines up to the year, joined: '中共上海市普陀区委' + '社会工作部2024年度' → '中共上海市普陀区委社会工作部'."""
    lines = [ln.strip() for ln in cover.splitlines() if ln.strip()]
    for n, line in enumerate(lines):
        if _YEAR_RE.search(line):
            return _YEAR_RE.split("".join(lines[: n + 1]))[0].strip()
    return lines[0] if lines else ""


def entity_id_of(region: Region, name: str) -> str:
    """16 hex digits of sha256 over region and normalized name.

    A party organ is printed with or without '中共' ('中共江苏省委办公厅' on the 2018
    tables, '江苏省委办公厅' on the 2017 narrative): the 委 in its name already says
    it, so the prefix does not enter the key.
    """
    if _PARTY_RE.match(name) and "委" in name:
        name = _PARTY_RE.sub("", name)
    key = "|".join((*(level or "" for level in region.levels), name))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def publication_id_of(entity_id: str, year: int | None, doc_type: object) -> str:
    """The publication a file belongs to: one entity's document of one year and type (its halves share it)."""
    if not entity_id or year is None:
        return ""
    key = f"{entity_id}|{year}|{getattr(doc_type, 'value', doc_type)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def document_identity(department: str, cover: str, filers: Sequence[str]) -> Identity:
    """Identity of a document from its department as printed, its cover and its 填报单位 lines.

    A name that is a template's placeholder ('上海市XX局') identifies no one: no `entity_id`."""
    region, rest = split_region(department)
    region = _merge(region, split_region(cover_heading(cover))[0])
    name = _OWN_LEVEL_RE.sub("", rest)
    code = code_of([*filers, cover])
    if not name or _PLACEHOLDER_RE.search(name):
        return Identity("", name, code, region)
    return Identity(entity_id_of(region, name), name, code, region)
