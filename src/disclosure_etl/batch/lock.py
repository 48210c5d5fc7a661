"""One writer per output folder: an exclusive lock on `OUT/.disclosure-etl.lock`.

The lock is an `flock` on the file, which the kernel releases when its holder
dies however it dies, so a lock left by a killed run is simply taken over.
The file holds the holder's pid, host and start time for the message a second
run prints. It is emptied, never deleted, on release: deleting it would let a
third run lock a new file while a second still waits on the old one.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import socket
import time
from datetime import datetime, timezone
from types import TracebackType

from ..display import display_path
from ..errors import DisclosureError, ErrorCode

LOCK_FILE = ".disclosure-etl.lock"
_POLL_S = 0.2
log = logging.getLogger(__name__)


class OutputLocked(DisclosureError):
    """Another run is writing to the same output folder."""

    code = ErrorCode.UNREADABLE_FILE


class OutputLock:
    """`with OutputLock(out_dir, wait_s):` — exclusive use of `out_dir`."""

    def __init__(self, out_dir: str, wait_s: float = 0.0):
        self.path = os.path.join(out_dir, LOCK_FILE)
        self.wait_s = wait_s
        self.previous = ""
        """What a holder that died without releasing left in the file ('' if nothing)."""
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            self._acquire(fd)
        except BaseException:
            os.close(fd)
            raise
        self.previous = _read(fd)
        if self.previous:
            log.warning("%s: taking over the lock of a run that ended without releasing it (%s)", display_path(self.path), self.previous)
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder_text().encode(), 0)
        self._fd = fd
        return self

    def _acquire(self, fd: int) -> None:
        deadline = time.monotonic() + self.wait_s
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            if time.monotonic() >= deadline:
                raise OutputLocked(display_path(os.path.dirname(self.path)), _busy_message(_read(fd), self.wait_s))
            if not waiting:
                log.warning("%s: waiting up to %g s for another run (%s)", display_path(os.path.dirname(self.path)), self.wait_s, _read(fd))
                waiting = True
            time.sleep(min(_POLL_S, max(deadline - time.monotonic(), 0.0)))

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def holder_text() -> str:
    started = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid {os.getpid()} on host {socket.gethostname()} since {started}\n"


def _read(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()


def _busy_message(holder: str, waited: float) -> str:
    who = holder or "another process"
    after = f" (waited {waited:g} s)" if waited else ""
    return (f"in use by another disclosure-etl run: {who}{after}; wait for it to finish, "
            "use --wait SECONDS, or choose another --out")
