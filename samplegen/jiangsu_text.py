"""The Jiangsu-like sample's 目录 and narrative; every figure comes from `jiangsu_data`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from samplegen import jiangsu_data as d
from samplegen.model import Block, Part, TocEntry

Y = d.YEAR
TABLE_TOC = (
    "收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表", "财政拨款支出预算表", "财政拨款基本支出预算表",
    "一般公共预算支出预算表", "一般公共预算基本支出预算表", "一般公共预算“三公”经费、会议费、培训费支出预算表",
    "政府性基金财政拨款支出预算表", "一般公共预算机关运行经费支出预算表", "政府采购支出预算表",
)
EXPLANATIONS = (
    "收支预算总体情况说明", "收入预算情况说明", "支出预算情况说明", "财政拨款收支预算总体情况说明", "财政拨款支出预算情况说明",
    "财政拨款基本支出预算情况说明", "一般公共预算支出预算情况说明", "一般公共预算基本支出预算情况说明",
    "一般公共预算“三公”经费、会议费、培训费支出预算情况说明", "政府性基金预算支出情况说明",
    "一般公共预算机关运行经费支出预算情况说明", "政府采购预算情况说明",
)
PART_HEADINGS = ("第一部分 部门概况", f"第二部分 {Y}年度部门预算表", f"第三部分 {Y}年度部门预算情况说明", "第四部分 名词解释")
OVERVIEW_HEADINGS = ("一、主要职能", "二、部门机构设置及预算单位构成情况", f"三、{Y}年度部门主要工作任务及目标")

TOC = (
    TocEntry(PART_HEADINGS[0], 0), *(TocEntry(h, 1) for h in OVERVIEW_HEADINGS),
    TocEntry(PART_HEADINGS[1], 0), *(TocEntry(f"{d.NUMERALS[i]}、{t}", 1) for i, t in enumerate(TABLE_TOC)),
    TocEntry(PART_HEADINGS[2], 0), *(TocEntry(f"{d.NUMERALS[i]}、{t}", 1) for i, t in enumerate(EXPLANATIONS)),
    TocEntry(PART_HEADINGS[3], 0),
)


def m(value: int) -> str:
    """An amount as the narrative prints it: '13734.34万元'."""
    return f"{Decimal(value).scaleb(-2):.2f}万元"


def share(part: int, whole: int) -> str:
    return f"{(Decimal(100 * part) / whole).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def P(text: str) -> Block:
    return Block("para", text)


def H(text: str, key: str = "") -> Block:
    return Block("heading", text, key)


def w(value: int) -> str:
    """An amount without its unit: '417.28'."""
    return f"{Decimal(value).scaleb(-2):.2f}"


def versus(now: int, prior: int, each: str = "") -> str:
    """'与上年相比增加417.28万元，增长6.82%' (the change as a share of last year's), or '与上年相比持平'."""
    if now == prior:
        return "与上年相比持平"
    up = now > prior
    pct = (Decimal(100 * abs(now - prior)) / prior).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"与上年相比{each}{'增加' if up else '减少'}{w(abs(now - prior))}万元，{'增长' if up else '下降'}{pct}%"


TOTAL, BASIC, PROJECT, RESERVE = d.grand_total(), d.basic_total(), d.project_total(), d.RESERVE
PERSONNEL = sum(v for c, v in d.ECONOMIC.items() if not c.startswith("302"))
PUBLIC = BASIC - PERSONNEL
CLASSES = d.class_totals()
ITEMS = d.item_totals()
PRIOR_CLASSES = d.class_totals(d.PRIOR_ITEMS)
PRIOR_TOTAL = sum(PRIOR_CLASSES.values())
# What each class's money is for and why it changed, as the 说明 says it (corpus: 省法院2017 p.19).
CLASS_USES = {
    "201": ("一般公共服务", "保障机构正常运转、完成日常和特定工作任务的基本支出和项目支出", "人员经费增加"),
    "208": ("社会保障和就业", "离退休人员经费和机关事业单位基本养老保险、职业年金缴费", "新增职业年金缴费"),
    "221": ("住房保障", "在职人员住房公积金", "住房公积金缴存基数调整"),
}
TP = d.three_public()
PROCURED = {kind: sum(a for _, _, goods in group for _, _, a in goods) for kind, group in d.PROCUREMENT}

DUTIES = (
    "（一）贯彻执行国家和省关于政务服务、电子政务、政务数据管理、信息安全等方面的法律、法规和政策，"
    "拟订全省相关地方性法规、规章草案和政策措施并组织实施。",
    "（二）为全省“智慧江苏”“数字政府”建设提供技术支持。",
    "（三）负责统筹推进全省电子政务建设。负责政务服务网、政务云平台、公共支撑平台、通用应用系统的建设、管理、"
    "保障运行和安全保障工作，统筹协调省级部门业务应用系统建设，指导设区市电子政务建设。",
    "（四）负责政务数据管理。拟订政务数据体系规划并组织实施，建设、管理基础信息资源库，统筹政务数据的归集、管理、"
    "分析和应用工作，推进政务数据资源共享和开放。",
    "（五）负责对电子政务项目建设实施集约化管理和监督指导；会同相关部门对财政性资金投资的信息化项目实施立项前"
    "技术评审和项目后续运行情况的监督及绩效评估。",
    "（六）负责推进信息安全管理。推进信息安全保障体系建设，组织实施信息安全防护、应急管理和处置。",
    "（七）负责牵头推进行政审批制度改革；按规定负责政务服务事项管理，推进政务服务事项目录管理、标准化建设及流程优化。",
    "（八）统筹全省政务服务体系建设，推动政务服务一体化和改革创新；负责省政务服务中心的建设、运行管理和进驻单位"
    "及人员的日常管理考核。",
    "（九）负责统筹省级政府网站工作，指导协调全省政府网站建设和管理。",
    "（十）完成省委、省政府交办的其他任务。",
)
TASKS = (
    "一是推进“一网通办”。深化“不见面审批”改革，全省政务服务事项网上可办率达到90%以上，"
    "省级政务服务事项“一窗受理”全覆盖。",
    "二是完善政务数据共享交换体系。建成全省统一的数据共享交换平台，推动省级部门数据按需共享，"
    "年内新增共享数据目录500项以上。",
    "三是加强政务云平台和网络安全保障。完成政务云平台扩容，开展网络安全等级保护测评，确保全年无重大网络安全事件。",
    "四是加强机关自身建设。严格落实中央八项规定精神，厉行节约，压减一般性支出，提高财政资金使用效益。",
)

OVERVIEW = Part(PART_HEADINGS[0], (
    H(OVERVIEW_HEADINGS[0], "main_duties"),
    *(P(t) for t in DUTIES),
    H(OVERVIEW_HEADINGS[1], "organization"),
    P("1．根据部门职责分工，本部门内设机构包括办公室、政务服务处、数据资源处、信息安全处、电子政务处。"),
    P(f"2．从预算单位构成看，纳入本部门{Y}年部门汇总预算编制范围的预算单位共计1家，具体包括：{d.DEPT}本级。"),
    H(OVERVIEW_HEADINGS[2]),
    *(P(t) for t in TASKS),
))

TABLES = Part(PART_HEADINGS[1], holds_tables=True)


# Why a 项's money changed, where the 说明 says so.
ITEM_REASONS = {"2010301": "主要原因是人员经费增加。", "2080501": "主要原因是离休人员减少。"}


def overall_paras(who: str) -> tuple[str, ...]:
    """收支预算总体情况: the totals, then each class with its use and its change (corpus: 省法院2017 p.19)."""
    classes = tuple(
        f"{n + 1}．{name}（类）支出{m(CLASSES[code])}，主要用于{use}。{versus(CLASSES[code], PRIOR_CLASSES[code])}。主要原因是{why}。"
        for n, (code, (name, use, why)) in enumerate(CLASS_USES.items()))
    return (
        f"{who}收入、支出预算总计{m(TOTAL)}，{versus(TOTAL, PRIOR_TOTAL, '收、支预算总计各')}。其中：",
        f"（一）收入预算总计{m(TOTAL)}。包括：1．财政拨款收入预算总计{m(TOTAL)}，全部为一般公共预算收入。",
        f"（二）支出预算总计{m(TOTAL)}。包括：", *classes,
    )


def item_para(n: int, code: str) -> str:
    """'1．政府办公厅（室）及相关机构事务（款）行政运行（项）支出6537.78万元，与上年相比增加…' (new: no prior)."""
    name = d.FUNCTIONAL_NAMES[code]
    head = f"{n}．{d.FUNCTIONAL_NAMES[code[:5]]}（款）{name}（项）{'' if name.endswith('支出') else '支出'}{m(ITEMS[code])}"
    if code not in d.PRIOR_ITEMS:
        return f"{head}，此项支出是今年新增支出。"
    return f"{head}，{versus(ITEMS[code], d.PRIOR_ITEMS[code])}。{ITEM_REASONS.get(code, '')}"


def fiscal_paras(who: str) -> tuple[str, ...]:
    """财政拨款支出: the total, then each class's heading and its 项, each with its change (corpus: 省法院2017 p.21–22)."""
    paras = [f"{who}财政拨款预算支出{m(TOTAL)}，占本年支出合计的100%。与上年相比，财政拨款支出"
             f"{versus(TOTAL, PRIOR_TOTAL).removeprefix('与上年相比')}。其中："]
    for n, (code, (name, _, _)) in enumerate(CLASS_USES.items()):
        paras.append(f"（{d.NUMERALS[n]}）{d.FUNCTIONAL_NAMES[code] if code == '221' else name}（类）")
        paras += [item_para(k + 1, item) for k, item in enumerate(c for c in ITEMS if c.startswith(code))]
    return tuple(paras)


def explanation_blocks() -> tuple[Block, ...]:
    """One heading per table, each with the figures the table prints."""
    who = f"{d.DEPT}{Y}年度"
    texts: tuple[str | tuple[str, ...], ...] = (
        overall_paras(who),
        f"{who}收入预算合计{m(TOTAL)}，其中：一般公共预算收入{m(TOTAL)}，占100%。",
        f"{who}支出预算合计{m(TOTAL)}，其中：基本支出{m(BASIC)}，占{share(BASIC, TOTAL)}；项目支出{m(PROJECT)}，"
        f"占{share(PROJECT, TOTAL)}；单位预留机动经费{m(RESERVE)}，占{share(RESERVE, TOTAL)}。",
        f"{who}财政拨款收、支总预算{m(TOTAL)}。",
        fiscal_paras(who),
        f"{who}财政拨款基本支出预算{m(BASIC)}，其中：人员经费{m(PERSONNEL)}，公用经费{m(PUBLIC)}。",
        f"{who}一般公共预算财政拨款支出预算{m(TOTAL)}。",
        f"{who}一般公共预算财政拨款基本支出预算{m(BASIC)}，其中：人员经费{m(PERSONNEL)}，公用经费{m(PUBLIC)}。",
        f"{who}一般公共预算拨款安排的“三公”经费预算支出{m(TP['three_public_total'])}，其中：因公出国（境）费"
        f"{m(TP['overseas_travel'])}，公务用车运行维护费{m(TP['vehicle_operation'])}，公务接待费{m(TP['reception'])}；"
        f"会议费预算支出{m(TP['meeting'])}，培训费预算支出{m(TP['training'])}。",
        f"{who}无政府性基金预算支出。",
        f"{Y}年本部门一般公共预算机关运行经费预算支出{m(PUBLIC)}。",
        f"{Y}年度本部门政府采购预算总额{m(sum(PROCURED.values()))}，其中：拟采购货物{m(PROCURED['一、货物A'])}，"
        f"拟购买服务{m(PROCURED['三、服务C'])}。",
    )
    keys = {0: "budget_explanation", 8: "three_public_explanation"}
    blocks: list[Block] = []
    for i, (heading, text) in enumerate(zip(EXPLANATIONS, texts)):
        blocks += [H(f"{d.NUMERALS[i]}、{heading}", keys.get(i, "")), *(P(t) for t in ((text,) if isinstance(text, str) else text))]
    return tuple(blocks)


GLOSSARY = Part(PART_HEADINGS[3], (
    P("一、财政拨款：指一般公共预算财政拨款和政府性基金预算财政拨款。"),
    P("二、基本支出：指为保障机构正常运转、完成工作任务而发生的人员支出和公用支出。"),
    P("三、项目支出：指在基本支出之外为完成特定工作任务和事业发展目标所发生的支出。"),
    P("四、单位预留机动经费：指预算单位年初预留用于年度执行中增人、增资等不可预见支出的经费。"),
    P("五、“三公”经费：指部门用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。"),
), key="glossary")

PARTS = (OVERVIEW, TABLES, Part(PART_HEADINGS[2], explanation_blocks()), GLOSSARY)
