"""I/O: every output file is written to a temporary name beside it, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()
TEMP_PREFIX = ".tmp-"
"""Temporary files start with this; a killed writer's leftovers are removed by `dataset.recover`."""


def _atomic(path: str, write: Callable[[str], None]) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=directory)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_bytes_atomic(data: bytes, path: str) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    _atomic(path, write)


def write_text_atomic(text: str, path: str) -> None:
    write_bytes_atomic(text.encode("utf-8"), path)


def write_with(path: str, writer: Callable[[str], None]) -> None:
    """Let `writer` fill a temporary file, then move it to `path`."""
    _atomic(path, writer)
