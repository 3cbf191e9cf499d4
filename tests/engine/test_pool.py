"""The local engine's mapper: in-process for small batches, a process pool for large ones, order kept."""
from __future__ import annotations

import itertools
import os

from storyline.engine import LocalEngine


def pid_and_square(x: int, offset: int) -> tuple[int, int]:
    return os.getpid(), x * x + offset


def test_small_batches_stay_in_process_and_large_ones_use_the_pool() -> None:
    engine = LocalEngine(workers=2, chunksize=2, min_parallel=8)
    with engine.mapper() as mapper:
        assert mapper is not None
        small = list(mapper(pid_and_square, range(3), itertools.repeat(1)))
        large = list(mapper(pid_and_square, range(40), itertools.repeat(1)))
    assert [v for _, v in small] == [1, 2, 5]
    assert {pid for pid, _ in small} == {os.getpid()}
    assert [v for _, v in large] == [x * x + 1 for x in range(40)]
    assert {pid for pid, _ in large} - {os.getpid()}          # workers did part of it


def test_one_worker_means_no_mapper() -> None:
    with LocalEngine(workers=1).mapper() as mapper:
        assert mapper is None
