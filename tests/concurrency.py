"""Real concurrent transactions for tests: threads released together, each on its own database
connection (Django connections are per thread), each closing it when done."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_at_once(
    n: int, work: Callable[[int], Any], *, timeout: float = 60
) -> tuple[list[Any], list[BaseException]]:
    """Run ``work(i)`` for i in range(n) in n threads released by one barrier; return the
    results and the exceptions raised (in completion order)."""
    barrier = threading.Barrier(n, timeout=timeout)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        try:
            barrier.wait()
            out = work(i)
            with lock:
                results.append(out)
        except BaseException as err:
            with lock:
                errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=2 * timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return results, errors
