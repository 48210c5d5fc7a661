"""Figures of the central-level sample: a university under a ministry, 2023, in hundredths of 万元.

Each functional 项 has its money by source (上年结转, 财政拨款, 事业收入 with
其中：教育收费, 其他收入, 使用非财政拨款结余) and its spending (基本支出, 项目支出,
and the 财政拨款 part of 基本支出); what is not spent is 结转下年. Every total
the tables print is a sum of these, so the tables agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

UNIVERSITY = "东湖大学"
UNIT_CODE = "105998"
MINISTRY = "教育部 105"
YEAR = 2023
DONATIONS = 100000  # 其中：捐赠收入, a part of 其他收入


@dataclass(frozen=True)
class Item:
    """One functional 项's money."""

    code: str
    prior: int = 0
    fiscal: int = 0
    business: int = 0
    tuition: int = 0  # part of `business`
    other: int = 0
    balance: int = 0
    basic: int = 0
    project: int = 0
    fiscal_basic: int = 0  # the rest of `fiscal` is spent on projects

    @property
    def revenue(self) -> int:
        return self.prior + self.fiscal + self.business + self.other + self.balance

    @property
    def spending(self) -> int:
        return self.basic + self.project

    @property
    def fiscal_project(self) -> int:
        return self.fiscal - self.fiscal_basic


ITEMS = (
    Item("2050204", prior=121302, fiscal=1660008, business=113000, tuition=95000, other=816662,
         basic=2480370, project=129488, fiscal_basic=1568708),
    Item("2050205", prior=9068629, fiscal=18186603, business=12121223, tuition=7321223, other=3728363,
         balance=5280000, basic=30846942, project=8792417, fiscal_basic=15257356),
    Item("2050602", fiscal=57014, basic=57014, fiscal_basic=57014),
    Item("2060201", fiscal=82872, basic=82872, fiscal_basic=82872),
    Item("2080505", fiscal=889719, other=96345, basic=986064, fiscal_basic=889719),
    Item("2080506", fiscal=444860, other=30706, basic=475566, fiscal_basic=444860),
    Item("2210201", fiscal=744844, other=211474, balance=649175, basic=1605493, fiscal_basic=744844),
    Item("2210203", fiscal=18059, balance=68104, basic=86163, fiscal_basic=18059),
)
NAMES = {
    "205": "教育支出", "20502": "普通教育", "2050204": "高中教育", "2050205": "高等教育", "20506": "留学教育",
    "2050602": "来华留学教育", "206": "科学技术支出", "20602": "基础研究", "2060201": "机构运行",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出", "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
    "2210203": "购房补贴",
}
FIELDS = ("revenue", "prior", "fiscal", "business", "tuition", "other", "balance", "spending", "basic", "project",
          "fiscal_basic", "fiscal_project")

Row = tuple[str, ...]


def wan(value: int, blank: bool = True) -> str:
    """Hundredths of 万元 as printed: '483,600.00'; 0 prints blank unless `blank` is False."""
    return "" if blank and not value else f"{Decimal(value).scaleb(-2):,.2f}"


def total(field: str, prefix: str = "") -> int:
    """The sum of one field over the 项 under a code prefix ('' for all)."""
    return sum(getattr(i, field) for i in ITEMS if i.code.startswith(prefix))


def subject_codes() -> list[str]:
    """类, 款 and 项 codes in printed order."""
    codes: list[str] = []
    for item in ITEMS:
        for code in (item.code[:3], item.code[:5], item.code):
            if code not in codes:
                codes.append(code)
    return codes


def subject_rows(fields: tuple[str, ...]) -> list[Row]:
    """A row per 类, 款 and 项: code, name, then the fields' sums."""
    return [(code, NAMES[code], *(wan(total(f, code)) for f in fields)) for code in subject_codes()]


def class_totals(field: str) -> list[tuple[str, int]]:
    """(name, amount) of each 类, in printed order."""
    return [(NAMES[c], total(field, c)) for c in subject_codes() if len(c) == 3]


def carryover_next() -> int:
    return total("revenue") - total("spending")
