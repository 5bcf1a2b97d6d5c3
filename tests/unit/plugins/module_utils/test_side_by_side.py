"""SideBySide: reads started in a thread pool, or at once and in order without one."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide


def test_one_worker_runs_each_read_at_once_in_order() -> None:
    order: list[str] = []
    with SideBySide(1) as reads:
        first = reads.start(lambda name: order.append(name) or name.upper(), "a")
        order.append("between")
        second = reads.start(lambda name: order.append(name) or name.upper(), "b")
    assert order == ["a", "between", "b"]
    assert (first(), second()) == ("A", "B")


def test_several_workers_run_the_reads_side_by_side() -> None:
    both_started = threading.Barrier(2, timeout=5)

    def read(name: str) -> str:
        both_started.wait()  # breaks (BrokenBarrierError) unless the other read runs at the same time
        return name

    with SideBySide(2) as reads:
        answers = [reads.start(read, "a"), reads.start(read, "b")]
        assert [answer() for answer in answers] == ["a", "b"]


def test_a_reads_exception_is_raised_where_its_value_is_asked_for() -> None:
    def fail() -> None:
        raise ValueError("refused")

    with SideBySide(2) as reads:
        answer = reads.start(fail)
        with pytest.raises(ValueError, match="refused"):
            answer()
