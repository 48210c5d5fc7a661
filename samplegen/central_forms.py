"""The central sample's 项目绩效目标表: one form per project, as the university prints them.

Seven grid columns: a narrow one for the vertical labels (年度总体目标, 绩效指标),
一级, 二级, 三级 over two columns, 指标值, 分值. The money block above draws its
lines elsewhere (年度资金总额： over 二级 and the first half of 三级, the amount
over the second half and 指标值), so a form's next page, holding only
indicator rows, has other column lines than its first (corpus: 西南大学2023年部门预算
p.16–17, p.19–20). The indicators' merged cells may be cut by a page break.
"""

from __future__ import annotations

from dataclasses import dataclass

from decimal import Decimal

from samplegen.central_data import MINISTRY, UNIVERSITY, YEAR
from samplegen.model import HeadLine, Merge, TableSpec

WEIGHTS = (22.0, 62.0, 78.0, 66.0, 66.0, 84.0, 54.0)
N = len(WEIGHTS)
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Project:
    name: str
    unit: str
    fiscal: int
    prior: int
    other: int
    goal: str
    indicators: tuple  # ((一级, ((二级, ((三级, 指标值, 分值), ...)), ...)), ...)

    @property
    def total(self) -> int:
        return self.fiscal + self.prior + self.other


def money(value: int) -> str:
    """The forms print amounts without separators, and 0 as '0': '2112.76'."""
    return f"{Decimal(value).scaleb(-2):.2f}" if value else "0"


def _row(*cells: str) -> tuple[str, ...]:
    return tuple(cells) + ("",) * (N - len(cells))


def head_block(p: Project) -> tuple[list[tuple[str, ...]], list[Merge]]:
    """项目名称, 主管部门及代码, the money block, 年度总体目标 and the indicators' header row."""
    funds = (("年度资金总额：", p.total), ("其中：财政拨款", p.fiscal), ("上年结转", p.prior), ("其他资金", p.other))
    rows = [_row("项目名称", "", p.name), _row("主管部门及代码", "", MINISTRY, "实施单位", p.unit)]
    rows += [_row("项目资金（万元）" if i == 0 else "", "", label, "", money(amount), "", "执行率分值（10）" if i == 0 else "")
             for i, (label, amount) in enumerate(funds)]
    rows += [_row("年度总体目标", p.goal), _row("绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值", "分值（90）")]
    merges = [Merge(0, 0, col_span=2), Merge(0, 2, col_span=5), Merge(1, 0, col_span=2), Merge(1, 4, col_span=3),
              Merge(2, 0, row_span=4, col_span=2), Merge(2, 6, row_span=4), Merge(6, 1, col_span=6), Merge(7, 3, col_span=2)]
    merges += [m for r in range(2, 6) for m in (Merge(r, 2, col_span=2), Merge(r, 4, col_span=2))]
    return rows, merges


def indicator_block(first: int, tree) -> tuple[list[tuple[str, ...]], list[Merge]]:  # type: ignore[no-untyped-def]
    """Indicator rows from body row `first`: 绩效指标 down the narrow column, 一级 and
    二级 merged down over their rows, 三级 over two columns."""
    rows: list[tuple[str, ...]] = []
    merges: list[Merge] = []
    for level1, groups in tree:
        start1 = first + len(rows)
        for level2, items in groups:
            start2 = first + len(rows)
            for i, (name, value, score) in enumerate(items):
                at = first + len(rows)
                rows.append(_row("", level1 if at == start1 else "", level2 if i == 0 else "", name, "", value, score))
                merges.append(Merge(at, 3, col_span=2))
            if len(items) > 1:
                merges.append(Merge(start2, 2, row_span=len(items)))
        if first + len(rows) - start1 > 1:
            merges.append(Merge(start1, 1, row_span=first + len(rows) - start1))
    rows[0] = ("绩效指标",) + rows[0][1:]
    merges.append(Merge(first, 0, row_span=len(rows)))
    return rows, merges


def form(no: int, index: int, p: Project) -> TableSpec:
    """'<项目名>绩效目标表' over '(2023年度)', after its '（一）<项目名>' heading."""
    rows, merges = head_block(p)
    body, more = indicator_block(len(rows), p.indicators)
    title = f"{p.name}绩效目标表"
    return TableSpec(
        no=no, table_id="project_performance_targets", title=title, unit_text="单位：万元", filer_text="",
        header=(), column_keys=("text",) * N, rows=tuple(rows + body), body_merges=tuple(merges + more),
        money_rows=(2, 3, 4, 5), subtitle=f"({YEAR}年度)", repeat_head=False, split_from=len(rows),
        col_weights=WEIGHTS,
        head=(HeadLine("heading", f"（{NUMERALS[index]}）{p.name}"), HeadLine("title", title),
              HeadLine("subtitle", f"({YEAR}年度)")),
    )


TEACHING = Project(
    "236中央高校教育教学改革专项", f"{UNIVERSITY}本级", fiscal=211200, prior=76, other=0,
    goal="1.持续推进“四新”建设，深化专业改革，优化专业布局，强化教学改革研究，持续培育标志性教学成果。"
         "2.持续深入开展一流本科课程建设、课程思政示范课建设，新建在线课程20门。3.完善实验教学条件，"
         "升级实验教学资源，创新实验教学模式。4.开展导师线上线下培训，提升导师指导水平。",
    indicators=(
        ("产出指标", (
            ("数量指标", (("建设一流本科课程数", "20门", "5"), ("新增在线课程建设数量", "20门", "5"),
                          ("分类打造新农科、新工科和新文科综合实践基地", "10个", "5"),
                          ("国家级大学生创新创业训练计划数量", "120项", "5"), ("设备更新数量", "27台、件、套", "5"),
                          ("新增出版教材数量", "7个", "5"))),
            ("质量指标", (("学生参加竞赛获奖数量", "20人次", "5"), ("教学项目及论文获省市级以上奖励数量", "15项", "5"),
                          ("设备验收通过率", "100%", "5"))),
            ("时效指标", (("项目按期完成率", "100%", "5"),)),
        )),
        ("效益指标", (
            ("经济效益指标", (("设备的使用年限有效延长", "6年", "4"),)),
            ("社会效益指标", (("为国家经济增长提供人才支撑", "显著", "4"), ("学校基本办学条件和服务社会的能力", "显著", "5"),
                              ("增强学生社会责任感、创新精神和实践能力", "显著", "5"), ("改善实验教学条件", "显著", "4"),
                              ("促进学校教师队伍建设", "显著", "4"), ("对标认证标准，专业建设取得一定成果", "显著", "4"),
                              ("课程思政示范引领作用", "显著", "4"), ("实验教学资源开放共享程度", "提升", "4"))),
        )),
        ("满意度指标", (("服务对象满意度指标", (("学生满意度", "95%", "5"), ("教职工满意度", "95%", "5"))),)),
    ),
)
RESEARCH = Project(
    "236中央高校基本科研业务费专项", f"{UNIVERSITY}本级", fiscal=487800, prior=0, other=0,
    goal="通过基本科研业务费项目支持，提升学校服务国家发展战略能力、科研团队自主创新能力、青年人才科研创新能力，"
         "产出原创性、高水平研究成果。",
    indicators=(
        ("产出指标", (
            ("数量指标", (("支持青年教师项目数量", "120项", "10"), ("支持科研创新平台数量", "15个", "10"))),
            ("质量指标", (("高质量论文数量", "340篇", "10"),)),
        )),
        ("效益指标", (("社会效益指标", (("服务国家发展战略能力", "显著提升", "20"), ("青年人才科研创新能力", "显著提升", "20"))),)),
        ("满意度指标", (("服务对象满意度指标", (("青年教师满意度", "90%", "20"),)),)),
    ),
)
EQUIPMENT = Project(
    "236中央高校改善基本办学条件专项-设备资料购置项目", f"{UNIVERSITY}附属中学", fiscal=90000, prior=12000, other=0,
    goal="目标1：完成教室家具和空调购置，改善教学基本条件。目标2：建设物联网管理服务平台。",
    indicators=(
        ("成本指标", (("经济成本指标", (("设备资料购置成本控制有效性", "有效", "20"),)),)),
        ("产出指标", (("数量指标", (("更新设备数量", "500台/件", "20"),)), ("质量指标", (("设备验收通过率", "100%", "10"),)))),
        ("效益指标", (("社会效益指标", (("改善师生学习工作条件", "显著提升", "30"),)),)),
        ("满意度指标", (("服务对象满意度指标", (("师生满意度", "90%", "10"),)),)),
    ),
)
PROJECTS = (TEACHING, RESEARCH, EQUIPMENT)


def forms(first_no: int) -> tuple[TableSpec, ...]:
    return tuple(form(first_no + i, i, p) for i, p in enumerate(PROJECTS))
