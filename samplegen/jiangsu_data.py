"""Figures of the Jiangsu-like sample: a provincial department's 2019 budget.

The department and its figures are the seed's, re-arranged and scaled to a
provincial department (江苏省…, about 13,000 万元), in hundredths of 万元 so
that every printed total is exactly the sum of its parts. Basic spending is
given by economic 款 and booked to functional 项; project spending and the
单位预留机动经费 are given by 项.
"""

from __future__ import annotations

from decimal import Decimal

DEPT = "江苏省政务服务数据管理局"
YEAR = 2019

ECONOMIC = {
    "30101": 155280, "30102": 241360, "30103": 12078, "30107": 24718, "30108": 69440, "30109": 27776,
    "30112": 1082, "30113": 62820, "30114": 3200,
    "30201": 11500, "30205": 2300, "30206": 4000, "30207": 2400, "30211": 9800, "30212": 3000, "30215": 6200,
    "30216": 3600, "30217": 1800, "30228": 7980, "30229": 1600, "30231": 8400, "30239": 12600, "30299": 2300,
    "30301": 4210, "30302": 18630, "30309": 110,
}
ECONOMIC_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
    "30114": "医疗费", "302": "商品和服务支出", "30201": "办公费", "30205": "水费", "30206": "电费", "30207": "邮电费",
    "30211": "差旅费", "30212": "因公出国（境）费用", "30215": "会议费", "30216": "培训费", "30217": "公务接待费",
    "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用",
    "30299": "其他商品和服务支出", "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30309": "奖励金",
}
# Basic spending on pensions, annuities, housing funds and retirees is booked to
# their own 项; everything else to 行政运行.
BOOKED_TO = {"30108": "2080505", "30109": "2080506", "30113": "2210201", "30301": "2080501", "30302": "2080501"}
MAIN_ITEM = "2010301"
PROJECTS = {"2010399": 536780}
RESERVE = 138470  # 单位预留机动经费, held in 行政运行
# Last year's money by functional 项, which the 说明 compares with ('与上年相比增加…'); 2080506
# (职业年金) is new this year, so it has none.
PRIOR_ITEMS = {"2010301": 612050, "2010399": 536780, "2080501": 24000, "2080505": 65280, "2210201": 57110}

FUNCTIONAL_NAMES = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
    "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
}
# The 类 rows of the 2019 收支预算总表, printed whether or not they hold money.
CLASSES_2019 = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"), ("205", "教育支出"),
    ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"),
    ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"), ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"), ("222", "粮油物资储备支出"), ("224", "灾害防治及应急管理支出"), ("229", "其他支出"),
)
NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六",
            "十七", "十八", "十九", "二十", "二十一")

# 政府采购: (品目大类, ((专项名称, 经济科目, ((采购物品名称, 组织形式, amount), ...)), ...))
PROCUREMENT = (
    ("一、货物A", (
        ("办公设备购置费", "办公设备购置", (("台式计算机（20万以下）", "分散自行组织", 1800),
                                            ("便携式计算机（20万以下）", "分散自行组织", 1200),
                                            ("复印机", "部门集中采购", 650))),
        ("信息化建设经费", "其他商品和服务支出", (("其他计算机设备及软件", "政府集中采购", 12000),)),
    )),
    ("三、服务C", (
        ("交通运行费", "公务用车运行维护费", (("车辆维修和保养服务", "分散自行组织", 5000),
                                               ("机动车保险服务", "分散自行组织", 3400))),
        ("会议经费", "会议费", (("会议服务", "分散自行组织", 6200),)),
        ("综合管理费", "物业管理费", (("物业管理服务", "部门集中采购", 21000),)),
    )),
)

Row = tuple[str, ...]


def wan(value: int, blank: bool = True) -> str:
    """Hundredths of 万元 as Jiangsu prints them: '13,734.34'; 0 prints blank unless `blank` is False."""
    return "" if blank and not value else f"{Decimal(value).scaleb(-2):,.2f}"


def basic_total() -> int:
    return sum(ECONOMIC.values())


def project_total() -> int:
    return sum(PROJECTS.values())


def grand_total() -> int:
    return basic_total() + project_total() + RESERVE


def item_totals() -> dict[str, int]:
    """Functional 项 -> all its money (basic, project and the reserve)."""
    out: dict[str, int] = {MAIN_ITEM: RESERVE}
    for code, amount in ECONOMIC.items():
        item = BOOKED_TO.get(code, MAIN_ITEM)
        out[item] = out.get(item, 0) + amount
    for code, amount in PROJECTS.items():
        out[code] = out.get(code, 0) + amount
    return dict(sorted(out.items()))


def class_totals(items: dict[str, int] | None = None) -> dict[str, int]:
    """类 -> its money: this year's (default) or that of the 项 given."""
    out: dict[str, int] = {}
    for code, amount in (item_totals() if items is None else items).items():
        out[code[:3]] = out.get(code[:3], 0) + amount
    return out


def functional_rows() -> tuple[Row, ...]:
    """合计, then 类, 款 and 项 rows with full codes: code, name, 金额."""
    items = item_totals()

    def under(prefix: str) -> str:
        return wan(sum(v for c, v in items.items() if c.startswith(prefix)))

    rows: list[Row] = [("", "合计", wan(grand_total()))]
    for cls in sorted({c[:3] for c in items}):
        rows.append((cls, FUNCTIONAL_NAMES[cls], under(cls)))
        for sec in sorted({c[:5] for c in items if c.startswith(cls)}):
            rows.append((sec, FUNCTIONAL_NAMES[sec], under(sec)))
            rows += [(c, FUNCTIONAL_NAMES[c], wan(v)) for c, v in items.items() if c.startswith(sec)]
    return tuple(rows)


def economic_rows(classes: tuple[str, ...] = ("301", "302", "303")) -> tuple[Row, ...]:
    """合计, then 类 and 款 rows: code, name, 金额 (only the given 类)."""
    mine = {c: v for c, v in ECONOMIC.items() if c[:3] in classes}
    rows: list[Row] = [("", "合计", wan(sum(mine.values())))]
    for cls in classes:
        part = {c: v for c, v in sorted(mine.items()) if c.startswith(cls)}
        rows.append((cls, ECONOMIC_NAMES[cls], wan(sum(part.values()))))
        rows += [(c, ECONOMIC_NAMES[c], wan(v)) for c, v in part.items()]
    return tuple(rows)


def three_public() -> dict[str, int]:
    """The 三公 table's figures by column key, from the economic items they are booked to."""
    figures = {"overseas_travel": ECONOMIC["30212"], "vehicle_purchase": 0, "vehicle_operation": ECONOMIC["30231"],
               "reception": ECONOMIC["30217"], "meeting": ECONOMIC["30215"], "training": ECONOMIC["30216"]}
    figures["vehicle_total"] = figures["vehicle_purchase"] + figures["vehicle_operation"]
    figures["three_public_total"] = figures["overseas_travel"] + figures["vehicle_total"] + figures["reception"]
    figures["total"] = figures["three_public_total"] + figures["meeting"] + figures["training"]
    return figures


def procurement_rows() -> tuple[Row, ...]:
    """合计, each 品目大类, each 专项 and each 采购物品: 大类, 专项, 经济科目, 物品, 组织形式, 总计."""
    def group_total(group) -> int:  # type: ignore[no-untyped-def]
        return sum(a for _, _, goods in group for _, _, a in goods)

    rows: list[Row] = [("合计", "", "", "", "", wan(sum(group_total(g) for _, g in PROCUREMENT)))]
    for kind, group in PROCUREMENT:
        rows.append((kind, "", "", "", "", wan(group_total(group))))
        for project, item, goods in group:
            rows.append(("", project, item, "", "", wan(sum(a for _, _, a in goods))))
            rows += [("", "", "", name, how, wan(a)) for name, how, a in goods]
    return tuple(rows)
