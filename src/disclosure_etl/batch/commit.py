"""The committer: the one place staged documents enter the output, in the order they finish.

Each commit is atomic for its document (`write.dataset.commit`: new
generation in, `documents` flipped, old generation out). A re-extraction that
fails — error, timeout, a dead worker — does not replace a document already
read: the earlier extraction is kept and the summary says so.
"""

from __future__ import annotations

from dataclasses import replace

from ..records import Status
from ..write.dataset import Step, commit, committed_row, discard
from .model import DocSummary

_READ = ("ok", "partial")


class Committer:
    """Commits summaries as they arrive; `before_step` is called before every filesystem step."""

    def __init__(self, out_dir: str, before_step: Step | None = None):
        self.out_dir = out_dir
        self.before_step = before_step

    def commit(self, summary: DocSummary) -> DocSummary:
        """Commit one document (or keep its earlier extraction); returns the summary as committed."""
        if summary.staged is None:
            return summary
        kept = self._kept(summary)
        if kept is not None:
            discard(summary.staged)
            return replace(summary, staged=None, note=kept)
        if self.before_step is None:
            commit(summary.staged, self.out_dir)
        else:
            commit(summary.staged, self.out_dir, self.before_step)
        return replace(summary, staged=None)

    def _kept(self, summary: DocSummary) -> str | None:
        """Why the document already in the output stays, or None to commit the new one."""
        if summary.status is not Status.ERROR:
            return None
        row = committed_row(self.out_dir, summary.doc_id)
        if row is None or row["status"] not in _READ:
            return None
        return f"kept the earlier extraction (status {row['status']}, {row['n_line_items']} line items)"
