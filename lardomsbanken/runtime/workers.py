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
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from lardomsbanken.runtime.cache import Journal, Memo

Item = TypeVar("Item")
Result = TypeVar("Result")
SWITCH = "LARDOM_PARALLEL"  # "0": everything in one process

_WORK: tuple[Callable[[Any], Any], Memo | None] | None = None  # the function and memo the workers share


def processes() -> int:
    """How many processes to share work among: one per core (at most 8), 1 when turned off."""
    if os.environ.get(SWITCH, "1") == "0" or not hasattr(os, "fork"):
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


class Pending(Generic[Result]):
    """Work handed to forked workers that goes on while this process does other things."""

    def __init__(self, results: list[Result] | None = None, executor: ProcessPoolExecutor | None = None,
                 futures: list[Future[tuple[Result, dict[str, Journal]]]] | None = None, memo: Memo | None = None):
        self._results, self._executor, self._futures, self._memo = results, executor, futures, memo

    def result(self) -> list[Result]:
        """The results in order, once every worker is done; a worker's failure is raised here."""
        if self._results is None:
            assert self._executor is not None and self._futures is not None
            try:
                answers = [future.result() for future in self._futures]
            finally:
                self._executor.shutdown(wait=True, cancel_futures=True)
            self._results = []
            for result, journals in answers:
                if self._memo is not None:
                    self._memo.merge(journals)
                self._results.append(result)
        return self._results


def forked_start(function: Callable[[Item], Result], items: Sequence[Item], count: int,
                 memo: Memo | None = None) -> Pending[Result]:
    """Starts `function(item)` for every item in up to `count` forked workers and returns at
    once; `Pending.result()` waits for them. With one process, the work is done here first."""
    if count <= 1 or len(items) <= 1 or not hasattr(os, "fork"):
        return Pending([function(item) for item in items])
    global _WORK
    _WORK = (function, memo)
    # Objects the workers inherit stay out of their cycle collector, which would otherwise
    # write to every one of them and so copy all of this process's memory into each worker.
    gc.freeze()
    try:
        # Not multiprocessing.Pool: its map waits for ever for the part of a worker that died.
        # With fork, every worker is started at the first submission, with the work as it is now.
        executor = ProcessPoolExecutor(min(count, len(items)), mp_context=multiprocessing.get_context("fork"))
        futures = [executor.submit(_call, item) for item in items]
    finally:
        _WORK = None
        gc.unfreeze()
    return Pending(executor=executor, futures=futures, memo=memo)


def forked_map(function: Callable[[Item], Result], items: Sequence[Item], count: int,
               memo: Memo | None = None) -> list[Result]:
    """`function(item)` for every item, in order, in up to `count` forked workers."""
    return forked_start(function, items, count, memo).result()


def _call(item: Any) -> tuple[Any, dict[str, Journal]]:
    assert _WORK is not None
    function, memo = _WORK
    if memo is not None:
        memo.start_journal()
    return function(item), (memo.journals() if memo is not None else {})


class Companion(Generic[Result]):
    """A forked process that starts on its share of the work at once and finishes it with what
    this process sends it later: it runs `begin()` as soon as it is made; `send(value)` gives it
    what `finish(begun, value)` needs, and `result()` waits for that. Without fork, or `alone`,
    both run here, at `result`."""

    def __init__(self, begin: Callable[[], Any], finish: Callable[[Any, Any], Result], alone: bool):
        self.begin, self.finish = begin, finish
        self._value: Any = None
        self._connection: Connection | None = None
        self._process: BaseProcess | None = None
        if alone or not hasattr(os, "fork"):
            return
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe()
        gc.freeze()
        try:
            self._process = context.Process(target=self._work, args=(there,), daemon=True)
            self._process.start()
        finally:
            gc.unfreeze()
        there.close()
        self._connection = here

    def _work(self, connection: Connection) -> None:
        try:
            begun = self.begin()
            value = connection.recv()
            connection.send((True, self.finish(begun, value)))
        except BaseException as failure:  # told to the process that waits for the result
            connection.send((False, f"{type(failure).__name__}: {failure}"))
        finally:
            connection.close()

    def send(self, value: Any) -> None:
        """What the work needs to be finished; the companion finishes it meanwhile."""
        self._value = value
        if self._connection is not None:
            try:
                self._connection.send(value)
            except OSError as failure:
                raise RuntimeError("a worker process of the build stopped without an answer") from failure

    def result(self) -> Result:
        if self._connection is None:
            return self.finish(self.begin(), self._value)
        try:
            ok, answer = self._connection.recv()  # (True, what `finish` returned) or (False, the failure)
        except (EOFError, OSError) as failure:
            raise RuntimeError("a worker process of the build stopped without an answer") from failure
        finally:
            self._connection.close()
            if self._process is not None:  # made with the connection
                self._process.join()
        if not ok:
            raise RuntimeError(f"a worker process of the build failed: {answer}")
        result: Result = answer
        return result
