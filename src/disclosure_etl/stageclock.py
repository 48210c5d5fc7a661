"""Wall-clock seconds per pipeline stage, for the benchmark's breakdown.

The pipeline takes an optional clock and marks its stages with it; without
one (every normal run) the marks cost nothing. Time is exclusive: while a
stage runs inside another (pages read while the layout pulls them), only the
inner one is charged, so the stages add up to the time they cover.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TypeVar

T = TypeVar("T")

STAGES = ("read", "grids", "normalize", "reconcile", "crops", "write", "batch_checks")
"""The stages the pipeline marks, in pipeline order (the benchmark reports them so)."""


class StageClock:
    """Accumulates exclusive seconds per stage name; one clock per timed run, single-threaded."""

    def __init__(self, now: Callable[[], float] = time.perf_counter) -> None:
        self.seconds: dict[str, float] = {}
        self._now = now
        self._names: list[str] = []  # the stages entered and not yet left, innermost last
        self._starts: list[float] = []  # since when each is charged

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._enter(name)
        try:
            yield
        finally:
            self._leave()

    def iterate(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """`items`, with the time spent producing each one charged to `name`."""
        it = iter(items)
        while True:
            self._enter(name)
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self._leave()
            yield item

    def add(self, seconds: Iterable[tuple[str, float]]) -> None:
        """Stage times measured elsewhere (a worker process), added to this clock's."""
        for name, s in seconds:
            self.seconds[name] = self.seconds.get(name, 0.0) + s

    def _enter(self, name: str) -> None:
        now = self._now()
        if self._names:
            self._charge(now)
        self._names.append(name)
        self._starts.append(now)

    def _leave(self) -> None:
        now = self._now()
        self._charge(now)
        self._names.pop()
        self._starts.pop()
        if self._starts:
            self._starts[-1] = now  # the enclosing stage resumes: the inner one's time is not its own

    def _charge(self, now: float) -> None:
        """Charge the innermost open stage up to `now`."""
        name = self._names[-1]
        self.seconds[name] = self.seconds.get(name, 0.0) + (now - self._starts[-1])
        self._starts[-1] = now


def stage(clock: StageClock | None, name: str) -> AbstractContextManager[None]:
    """`clock.stage(name)`, or nothing when there is no clock."""
    return clock.stage(name) if clock is not None else nullcontext()


def iterate(clock: StageClock | None, name: str, items: Iterable[T]) -> Iterable[T]:
    """`clock.iterate(name, items)`, or `items` untouched when there is no clock."""
    return clock.iterate(name, items) if clock is not None else items
