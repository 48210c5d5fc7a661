"""The planner: which files to extract, decided without reading any of them.

Files are found by name and looked at with `stat` only: a FIFO, a device, a
socket or a directory named `*.pdf` is refused here with `not_a_file`, before
anything opens it (opening a FIFO waits forever; reading /dev/zero never
ends). Names stay as the OS gave them — bytes that are not UTF-8 ride along as
surrogates — and are only escaped when shown.

Hashing happens in the workers; `split_hashed` then decides, from the
hashes, what is extracted, what is already done and what is a duplicate.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import ErrorCode
from .model import Failure, Input

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def find_inputs(paths: Iterable[str]) -> list[Input]:
    """Files as given, and every entry named *.pdf under the given folders, in sorted order."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(_walk(path))
        else:
            found.append(path)
    return [Input(i, path, refusal(path)) for i, path in enumerate(found)]


def _walk(top: str) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(top):
        dirs.sort()
        # A directory (or a link to one) named like a PDF is reported, and a real one is still searched.
        found.extend(os.path.join(root, name) for name in dirs + files if name.lower().endswith(".pdf"))
    return sorted(found)


def refusal(path: str) -> Failure | None:
    """Why `path` must not be opened, from `stat` alone; None for a regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        kind = "a broken symbolic link" if os.path.islink(path) else "no such file"
        return Failure(ErrorCode.FILE_NOT_FOUND, f"file not found ({kind})")
    except OSError as exc:
        return Failure(ErrorCode.UNREADABLE_FILE, f"cannot read the file ({exc.strerror})")
    return refusal_of_mode(path, st.st_mode)


def refusal_of_mode(path: str, mode: int) -> Failure | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return Failure(ErrorCode.NOT_A_FILE, f"{kind}, not a PDF file; not opened")


@dataclass(frozen=True, slots=True)
class Plan:
    """Inputs after hashing: to extract (with their sha256), already extracted, duplicates, failed."""

    todo: tuple[tuple[Input, str], ...]
    done: tuple[Input, ...]
    duplicates: tuple[tuple[Input, Input], ...]  # (input, the earlier input with the same bytes)
    failed: tuple[tuple[Input, Failure], ...]


def split_hashed(inputs: Iterable[Input], hashes: Mapping[int, str | Failure], completed: set[str], force: bool) -> Plan:
    """Decide each input's fate from its hash; the first of identical files (plan order) is extracted."""
    todo, done, duplicates, failed = [], [], [], []
    first: dict[str, Input] = {}
    for item in sorted(inputs, key=lambda i: i.index):
        outcome = item.refusal or hashes[item.index]
        if isinstance(outcome, Failure):
            failed.append((item, outcome))
        elif outcome in first:
            duplicates.append((item, first[outcome]))
        elif outcome in completed and not force:
            first[outcome] = item
            done.append(item)
        else:
            first[outcome] = item
            todo.append((item, outcome))
    return Plan(tuple(todo), tuple(done), tuple(duplicates), tuple(failed))
