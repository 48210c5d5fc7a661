from decimal import Decimal

from disclosure_etl.reconcile.claims import section_to_claims
from disclosure_etl.records import Section


def _claims(text):
    return section_to_claims(Section("budget_explanation", "h", text, (17,)))


def test_amount_change_and_percentage():
    (c,) = _claims("2024 年部门机关运行费预算 22.43 万元，比上年预算减少 5.21 万元，下降 18.85 %，主要原因是过紧日子。")
    assert c.amount_yuan == Decimal(224300) and c.change_yuan == Decimal(-52100) and c.percent == Decimal("18.85")


def test_flat_statement():
    (c, d) = _claims("公务接待费 1.80 万元，与上年持平，主要原因是：与上年安排保持一致。公务用车运行维护费 0 万元，与上年持平。")
    assert c.direction == "持平" and c.change_yuan == 0 and d.amount_yuan == 0


def test_thousands_separators_in_text():
    (c, *_rest) = _claims("收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算减少2,389.52万元；")
    assert c.amount_yuan == Decimal(91016800)
