"""Work shared out among worker processes that start with everything this process knows.

The core's pages (and each language's search index) are independent of one
another, and a machine has more than one core. Workers are forked, so they
start with the prepared site in memory (nothing is sent to them but the
numbers of their parts) and send back only their results, and what they
added to the memo (`memo.Table` journals), so that the next build can reuse it.
Where the system cannot fork, or there is one process, the work is done here.
A worker that fails fails the call: its exception is raised here, and a worker
that dies (killed by the system, out of memory) raises `BrokenProcessPool`
instead of leaving the build waiting for it for ever.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

from .memo import Memo

Item = TypeVar("Item")
Result = TypeVar("Result")
SWITCH = "LARDOM_PARALLEL"  # "0": everything in one process

_WORK: tuple[Callable, Memo | None] | None = None  # the function and memo the workers share


def processes() -> int:
    """How many processes to share work among: one per core (at most 8), 1 when turned off."""
    if os.environ.get(SWITCH, "1") == "0" or not hasattr(os, "fork"):
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def forked_map(function: Callable[[Item], Result], items: Sequence[Item], count: int,
               memo: Memo | None = None) -> list[Result]:
    """`function(item)` for every item, in order, in up to `count` forked workers."""
    if count <= 1 or len(items) <= 1 or not hasattr(os, "fork"):
        return [function(item) for item in items]
    global _WORK
    _WORK = (function, memo)
    # Objects the workers inherit stay out of their cycle collector, which would otherwise
    # write to every one of them and so copy all of this process's memory into each worker.
    gc.freeze()
    try:
        # Not multiprocessing.Pool: its map waits for ever for the part of a worker that died.
        with ProcessPoolExecutor(min(count, len(items)), mp_context=multiprocessing.get_context("fork")) as pool:
            answers = list(pool.map(_call, items))
    finally:
        _WORK = None
        gc.unfreeze()
    results = []
    for result, journals in answers:
        if memo is not None:
            memo.merge(journals)
        results.append(result)
    return results


def _call(item: Any) -> tuple[Any, dict]:
    assert _WORK is not None
    function, memo = _WORK
    if memo is not None:
        memo.start_journal()
    return function(item), (memo.journals() if memo is not None else {})
