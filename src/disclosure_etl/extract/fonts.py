"""Pure: fonts whose character codes PDFium cannot turn into Unicode.

A composite (Type0) font maps codes to glyphs through CIDs. PDFium finds the
Unicode of a CID in the font's ToUnicode map, else in its tables for the four
Adobe character collections (GB1, CNS1, Japan1, Korea1). A font whose CIDs are
its own glyph numbers (`Identity` ordering, what Word, WPS and most PDF
writers embed) and whose ToUnicode map is gone has neither: PDFium then gives
the code itself as the character. Such text usually reads as control codes and
Latin-1 letters, which `unmapped.is_garbled` sees on the page; but codes can
also fall on ASCII letters and figures and read as plausible text. Asking the
font settles it whatever its codes happen to be.
"""

from __future__ import annotations

from typing import Any

ADOBE_ORDERINGS = frozenset({"GB1", "CNS1", "Japan1", "Korea1"})
"""Collections whose CIDs PDFium maps to Unicode from its own tables."""

IDENTITY_CMAPS = frozenset({"/Identity-H", "/Identity-V"})


def unmapped_font(font: Any) -> bool:
    """A Type0 font drawing CIDs that are glyph numbers, without a ToUnicode map (or with one that is no stream)."""
    import pikepdf

    if _get(font, "/Subtype") != "/Type0" or isinstance(_get(font, "/ToUnicode"), pikepdf.Stream):
        return False
    encoding = _get(font, "/Encoding")
    if not (isinstance(encoding, pikepdf.Stream) or str(encoding) in IDENTITY_CMAPS):
        return False  # a predefined CMap (UniGB-UCS2-H, GBK-EUC-H …) names its characters itself
    descendants = _get(font, "/DescendantFonts")
    descendant = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else None
    ordering = _get(_get(descendant, "/CIDSystemInfo"), "/Ordering")
    return str(ordering) not in ADOBE_ORDERINGS


def _get(obj: Any, key: str) -> Any:
    try:
        return obj.get(key) if obj is not None else None
    except Exception:  # noqa: BLE001 - not a dictionary (a damaged object): nothing there
        return None
