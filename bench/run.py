"""Run the benchmarks: ``bench/run.py`` runs every ``bench/bench_*.py``, ``bench/run.py roster``
only ``bench_roster.py`` (``make bench`` / ``make bench ONLY=roster``).

Each module exposes ``run() -> None`` and prints its figures, one a line, as
``bench <name> <value> <unit>``. Every module runs in a process of its own (a fresh Django on a
freshly created ``gonghui_bench`` database). The first line is the machine's core count; the
exit status is non-zero if any module failed.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what nproc says: the cores this process may use
    except AttributeError:
        return os.cpu_count() or 1


def discover() -> dict[str, Path]:
    return {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}


def _wanted(arg: str) -> str:
    name = Path(arg).name.removesuffix(".py")
    return name.removeprefix("bench_")


def run_one(name: str) -> None:
    """In the child process: import the module and run it."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    module = importlib.import_module(f"bench_{name}")
    module.run()


def _code_version() -> str:
    """The commit measured, and whether src/ had uncommitted changes (figures depend on it)."""

    def git(*args: str) -> str:
        out = subprocess.run(
            ["git", *args], cwd=HERE.parent, capture_output=True, text=True, check=False
        )
        return out.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "src")
    return f"{commit}" + (" + uncommitted changes in src/" if dirty else "")


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--module":
        run_one(argv[1])
        return 0
    modules = discover()
    if argv:
        name = _wanted(argv[0])
        if name not in modules:
            known = ", ".join(modules) or "none"
            print(f"No benchmark named {argv[0]!r} (known: {known}).", file=sys.stderr)
            return 2
        selected = [name]
    else:
        selected = list(modules)
    print(f"bench machine_cores {cores()} cores", flush=True)
    print(f"# code: {_code_version()}", file=sys.stderr, flush=True)
    failed = []
    for name in selected:
        started = time.monotonic()
        print(f"# bench_{name}: running", file=sys.stderr, flush=True)
        code = subprocess.call([sys.executable, str(Path(__file__).resolve()), "--module", name])
        took = time.monotonic() - started
        status = "ok" if code == 0 else f"FAILED (exit status {code})"
        print(f"# bench_{name}: {status} in {took:.0f} s", file=sys.stderr, flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
