"""The stage clock charges each stage its own time only, with a fake clock (no timing)."""

from __future__ import annotations

from disclosure_etl.stageclock import StageClock, iterate, stage


class FakeTime:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_nested_stages_are_exclusive():
    now = FakeTime()
    clock = StageClock(now)
    with clock.stage("grids"):
        now.t += 1.0
        with clock.stage("read"):
            now.t += 2.0
        now.t += 0.5
    assert clock.seconds == {"grids": 1.5, "read": 2.0}


def test_iterate_charges_producing_each_item():
    now = FakeTime()
    clock = StageClock(now)

    def pages():
        for k in range(3):
            now.t += 1.0  # reading a page
            yield k

    with clock.stage("grids"):
        for _ in clock.iterate("read", pages()):
            now.t += 0.25  # laying it out
    assert clock.seconds == {"read": 3.0, "grids": 0.75}


def test_without_a_clock_nothing_is_timed():
    items = [1, 2]
    assert iterate(None, "read", items) is items
    with stage(None, "grids"):
        pass
