"""I/O: write the report files: report.html (index), report/<doc>.html, report/img/*.png, report.md."""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..records import DocumentResult
from .atomic import write_bytes_atomic, write_text_atomic
from .report import crop_name, doc_page_name, render_document, render_index, render_markdown


def write_report(results: Sequence[DocumentResult], out_dir: str) -> dict[str, str]:
    """Document pages and crops first, the index last, so the index never links to a missing page."""
    report_dir = os.path.join(out_dir, "report")
    for n, result in enumerate(results, 1):
        names = {}
        for index, png in result.crops:
            names[index] = crop_name(result, index)
            write_bytes_atomic(png, os.path.join(report_dir, "img", names[index]))
        write_text_atomic(render_document(result, names), os.path.join(report_dir, doc_page_name(result, n)))
    html_path = os.path.join(out_dir, "report.html")
    md_path = os.path.join(out_dir, "report.md")
    write_text_atomic(render_markdown(results), md_path)
    write_text_atomic(render_index(results), html_path)
    return {"report_html": html_path, "report_md": md_path}
