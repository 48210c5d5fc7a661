"""Pages read ahead on worker threads come out in page order, a bounded number at a time."""

from __future__ import annotations

import threading
import time

import pytest

from disclosure_etl.extract.readahead import in_order


class Calls:
    """Calls that record how many run at once and on which threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = self.most = 0
        self.threads: set[int] = set()
        self.started: list[int] = []

    def make(self, value: int, seconds: float = 0.02):  # type: ignore[no-untyped-def]
        def call() -> int:
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
                self.threads.add(threading.get_ident())
                self.started.append(value)
            time.sleep(seconds)
            with self.lock:
                self.running -= 1
            return value

        return call


def test_pages_come_out_in_order_with_at_most_workers_read_at_once():
    calls = Calls()
    # later pages quicker, so they finish first
    jobs = [calls.make(1, 0.08), 2, calls.make(3, 0.05), calls.make(4, 0.01), 5, calls.make(6), calls.make(7)]
    assert list(in_order(jobs, 2)) == [1, 2, 3, 4, 5, 6, 7]
    assert calls.most == 2
    assert threading.get_ident() not in calls.threads


def test_one_worker_reads_every_page_on_the_callers_thread():
    calls = Calls()
    assert list(in_order([calls.make(1), 2, calls.make(3)], 1)) == [1, 2, 3]
    assert calls.threads == {threading.get_ident()}


def test_a_failing_page_raises_at_its_place_after_the_pages_before_it():
    def broken() -> int:
        raise RuntimeError("page 2 cannot be read")

    got = []
    with pytest.raises(RuntimeError, match="page 2"):
        for page in in_order([lambda: 1, broken, lambda: 3], 2):
            got.append(page)
    assert got == [1]


def test_a_consumer_that_stops_early_leaves_no_page_being_read_and_starts_no_more():
    calls = Calls()
    pages = in_order((calls.make(n, 0.05) for n in range(1, 20)), 2)
    assert next(pages) == 1
    pages.close()
    assert calls.running == 0
    assert len(calls.started) <= 3  # the first, the one read ahead beside it, at most one submitted after
