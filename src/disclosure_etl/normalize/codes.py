"""Pure: subject codes as printed -> full codes, levels, parents and names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from ..catalogue import Catalogue
from ..records import SubjectLevel

_SPACE_RE = re.compile(r"\s+")
_LEVEL_BY_LEN = {3: SubjectLevel.CLASS, 5: SubjectLevel.SECTION, 7: SubjectLevel.ITEM}


class CodeContext(NamedTuple):
    """The class and section seen last, for codes printed as their last digits only (a named tuple:
    one is made for each coded row, and a frozen dataclass costs a microsecond to build)."""

    class_code: str | None = None
    section_code: str | None = None


def code_level(code: str) -> SubjectLevel | None:
    return _LEVEL_BY_LEN.get(len(code))


def parent_code(code: str) -> str | None:
    n = len(code)
    return code[:3] if n == 5 else code[:5] if n == 7 else None


@lru_cache(maxsize=4096)
def _clean(part: str) -> str:
    # NFKC folds full-width digits ('２０１') into ASCII. Remembered: code cells repeat ('01', '02', '201').
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", part or ""))


def parts_to_code(parts: Sequence[str], ctx: CodeContext) -> tuple[str | None, CodeContext]:
    """Full code from the printed code cell(s), and the context for the next row.

    One column ('201', '03', '2010301': the 款 row prints two digits only) and
    split 类/款/项 (or 类/款) columns ('204', '06', '01') give the same codes.
    """
    cleaned = [_clean(p) for p in parts]
    if len(cleaned) > 1:
        # Some producers drop the leading zero of a 款/项 cell ('301 2' for 30102).
        cleaned = cleaned[:1] + [p.zfill(2) if len(p) == 1 else p for p in cleaned[1:]]
    if not any(cleaned) or not all(p.isdecimal() for p in cleaned if p):  # `^\d+$`: no whitespace is left
        return None, ctx
    if len(cleaned) == 1:
        return _single_to_code(cleaned[0], ctx)
    return _split_to_code(cleaned, ctx)


def _single_to_code(text: str, ctx: CodeContext) -> tuple[str | None, CodeContext]:
    if len(text) == 3:
        return text, CodeContext(text, None)
    if len(text) == 2 and ctx.class_code:
        code = ctx.class_code + text
        return code, CodeContext(ctx.class_code, code)
    if len(text) == 5:
        return text, CodeContext(text[:3], text)
    if len(text) == 7:
        return text, CodeContext(text[:3], text[:5])
    if len(text) == 2 and ctx.section_code:  # an item printed as its last two digits
        return ctx.section_code + text, ctx
    return None, ctx


def _split_to_code(parts: list[str], ctx: CodeContext) -> tuple[str | None, CodeContext]:
    """Join 类|款|项 cells; a blank leading cell repeats the row above's."""
    lead = parts[0] or ctx.class_code or ""
    if len(parts) >= 2 and not parts[1] and len(parts) >= 3 and parts[2]:
        section = (ctx.section_code or "")[3:5]
    else:
        section = parts[1] if len(parts) >= 2 else ""
    code = lead + section + (parts[2] if len(parts) >= 3 else "")
    if len(code) not in _LEVEL_BY_LEN:
        return None, ctx
    return code, CodeContext(code[:3], code[:5] if len(code) >= 5 else None)


_EMBEDDED_RE = re.compile(r"^[\[［【(（]?(\d{3}|\d{5}|\d{7})[\]］】)）]?\s*(?=\D)(.+)$")


def embedded_code(printed: str, catalogue: Catalogue) -> tuple[str, str] | None:
    """(code, name) where a name cell prints its subject code first ('2010301 行政运行', '[301]工资福利支出').

    Some producers print one 科目 column holding both. Only a code of the
    classification counts, so a figure or a year at the head of a label is no code.
    """
    m = _EMBEDDED_RE.match(_SPACE_RE.sub("", printed))  # \d takes full-width digits too; the name keeps its printed form
    if m is None:
        return None
    code = _clean(m.group(1))
    return (code, m.group(2)) if catalogue.name(code) is not None else None


def complete_name(code: str | None, printed: str, catalogue: Catalogue) -> str:
    """The printed name, completed from the catalogue where the cell truncated it."""
    name = _SPACE_RE.sub("", printed or "")
    if not code:
        return name
    full = catalogue.name(code)
    if full and name and full != name and full.startswith(name.rstrip("…").rstrip(".")):
        return full
    return name or (full or "")
