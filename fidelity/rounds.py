"""Run many comparisons so that their encoder calls go to the model together.

    in_rounds(tasks, embedder) -> Iterator[result]        (the tasks' results, in task order)

A comparison asks the model for vectors more than once, and what it asks for later depends on
what it got earlier: the drift rule's recovery variants come from the word alignment of pairs
that the aligner made from the sentence vectors. Run one after the other, the comparisons of a
batch chunk would each send their few variants to the model in a call of their own.

Here each task runs as a greenlet (a coroutine on the caller's own thread) until it needs texts
that are neither in the shared ``CachedEmbedder`` nor in its persistent store; it then waits.
When every task is waiting or done, the texts they wait for go to the model in one call
(sorted by length and batched there), and the waiting tasks resume, in task order, each
finding its vectors in the cache. Tasks take turns on one thread (no locks, no threads' memory
arenas), and the rounds, so each vector's batch, are the same on every run of the same input.

If a round's model call fails (a text trips a bug), the tasks embed their own texts from then
on, so only the comparison at fault fails. Tasks should catch their own exceptions; one that
escapes is re-raised when its result is reached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fidelity.embed import CachedEmbedder

T = TypeVar("T")


@dataclass
class _Task(Generic[T]):
    body: Callable[[], T]
    runner: Any = None  # its greenlet, made on its first turn
    wants: list[str] = field(default_factory=list)  # texts it waits for
    done: bool = False
    result: T | None = None
    error: BaseException | None = None


class _Rounds(Generic[T]):
    def __init__(self, tasks: Sequence[Callable[[], T]], embedder: CachedEmbedder) -> None:
        from greenlet import getcurrent

        self.tasks = [_Task(body) for body in tasks]
        self.embedder = embedder
        self.driver = getcurrent()
        self.running: _Task[T] | None = None
        self.solo = False  # a round's model call failed: every task embeds its own texts

    def before_model(self, texts: list[str]) -> None:
        """``CachedEmbedder.before_model``: in a task, wait for the round's model call."""
        task = self.running
        if task is None or self.solo:
            return  # the driver's own round call, or rounds given up: embed now
        task.wants = texts
        self.driver.switch()  # back to the driver, which resumes this task after the round
        task.wants = []

    def _run(self, task: _Task[T]) -> None:
        try:
            task.result = task.body()
        except Exception as exc:  # handed to the driver, which re-raises it in its place
            task.error = exc
        task.done = True

    def _turn(self, task: _Task[T]) -> None:
        """Let ``task`` run until it waits for vectors or ends."""
        from greenlet import greenlet

        if task.runner is None:
            task.runner = greenlet(lambda: self._run(task), parent=self.driver)
        self.running = task
        try:
            task.runner.switch()
        finally:
            self.running = None

    def results(self) -> Iterator[T]:
        delivered = 0
        todo = self.tasks
        try:
            while todo:
                for task in todo:
                    self._turn(task)
                    while delivered < len(self.tasks) and self.tasks[delivered].done:
                        yield _outcome(self.tasks[delivered])
                        delivered += 1
                todo = [t for t in todo if not t.done]
                texts = list(dict.fromkeys(x for t in todo for x in t.wants))
                try:
                    if texts:
                        self.embedder.encode(texts)  # one model call for the round
                except Exception:
                    self.solo = True  # see the module docstring: each task retries its own texts
        finally:
            for task in self.tasks:
                if task.runner is not None and not task.done:
                    task.runner.throw()  # GreenletExit in the waiting task: the caller stopped reading


def _outcome(task: _Task[T]) -> T:
    if task.error is not None:
        raise task.error
    return task.result  # type: ignore[return-value]  # done without error: the body returned it


def in_rounds(tasks: Sequence[Callable[[], T]], embedder: CachedEmbedder) -> Iterator[T]:
    """Run ``tasks`` (each a call that embeds through ``embedder``) so that the texts they send
    to the model go in one call a round; yields their results in task order, each as soon as it
    and every task before it are done. ``embedder`` is shared: its cache holds every vector."""
    if embedder.before_model is not None:  # already inside rounds: run them as they come
        yield from (task() for task in tasks)
        return
    rounds = _Rounds(tasks, embedder)
    embedder.before_model = rounds.before_model
    try:
        yield from rounds.results()
    finally:
        embedder.before_model = None
