"""The end-of-run digest: findings by severity and kind, and the documents to look at first.

Read from the output folder (every document in it, old and new), so `extract`
and `report` print the same thing. The CLI prints it; nothing here prints.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

from .datasets import read_dataset

SEVERITY_ORDER = ("error", "warning", "rounding", "info")


@dataclass(frozen=True, slots=True)
class Attention:
    """A document worth opening first, with why."""

    file_name: str
    page: str
    """report/<doc>.html, relative to the output folder."""
    errors: int
    warnings: int
    extraction: int
    status: str


@dataclass(frozen=True, slots=True)
class Digest:
    documents: int
    by_severity: dict[str, int]
    by_kind: dict[str, int]
    first: tuple[Attention, ...]
    report_html: str

    def lines(self) -> list[str]:
        """The digest as a few lines for a terminal."""
        sev = ", ".join(f"{self.by_severity.get(s, 0)} {s}" for s in SEVERITY_ORDER)
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.by_kind.items()))
        out = [f"findings: {sev}" + (f" ({kinds})" if kinds else "")]
        if self.first:
            out.append("look first at:")
            for a in self.first:
                why = [f"{a.errors} error(s)"] if a.errors else []
                why += [f"{a.warnings} warning(s)"] if a.warnings else []
                why += [f"{a.extraction} reading(s) unsure"] if a.extraction else []
                why += [f"status {a.status}"] if a.status not in ("ok",) else []
                out.append(f"  {a.file_name}: {', '.join(why)}")
        out.append(f"report: {self.report_html}")
        return out


def _doc_page(doc_id: str) -> str:
    return os.path.join("report", f"{doc_id[:24]}.html")


def read_digest(out_dir: str, limit: int = 3) -> Digest:
    """Counts over every finding in `out_dir`, and up to `limit` documents most in need of a look:
    unreadable ones, then by errors, warnings and unsure readings."""
    docs = read_dataset(out_dir, "documents", ["doc_id", "file_name", "status"]).to_pylist()
    findings = read_dataset(out_dir, "findings", ["doc_id", "severity", "kind"]).to_pylist()
    by_severity = Counter(f["severity"] for f in findings)
    by_kind = Counter(f["kind"] or "document" for f in findings)
    per_doc: Counter[tuple[str, str]] = Counter((f["doc_id"], f["severity"]) for f in findings)
    unsure = Counter(f["doc_id"] for f in findings if f["kind"] == "extraction")
    ranked = []
    for d in docs:
        a = Attention(d["file_name"], _doc_page(d["doc_id"]), per_doc[(d["doc_id"], "error")], per_doc[(d["doc_id"], "warning")],
                      unsure[d["doc_id"]], d["status"])
        if a.errors or a.warnings or a.extraction or a.status in ("error", "partial"):
            ranked.append(a)
    ranked.sort(key=lambda a: (a.status != "error", -a.errors, -a.warnings, -a.extraction, a.file_name))
    return Digest(len(docs), dict(by_severity), dict(by_kind), tuple(ranked[:limit]), os.path.join(out_dir, "report.html"))
