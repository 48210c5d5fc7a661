"""Layout families: the same kind of document as different producers print it.

Each family builds one DocSpec whose tables and truth come from the generator's
data; `python -m samplegen samples --family NAME` writes it with its truth.
"""

from __future__ import annotations

from collections.abc import Callable

from samplegen.central import central_doc
from samplegen.jiangsu import jiangsu_doc
from samplegen.model import DocSpec
from samplegen.seed_layout import seed_layout_doc

FAMILIES: dict[str, Callable[[], DocSpec]] = {
    "seed": seed_layout_doc,
    "jiangsu": jiangsu_doc,
    "central": central_doc,
}
