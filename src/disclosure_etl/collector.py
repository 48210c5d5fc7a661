"""The cyclic garbage collector paused over work that makes many objects and few cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collected_after() -> Iterator[None]:
    """The cyclic collector paused inside the block, and run once over the young objects it left.

    A document makes hundreds of thousands of small objects (characters, boxes,
    cells, lines) that live until its tables are built; the collector's passes
    traverse them again and again (5% of a text document's time) to find the
    few hundred objects a document leaves in cycles (264 to 1,257 on the
    corpus), which one pass over the young objects afterwards frees as well.
    The batch checks hold every document's row while they read one group after
    another: the full passes over them grow with the output (49 at 10,000
    documents, 6 at 1,000) and cost 6% of its time, for 5 objects found in cycles.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)
