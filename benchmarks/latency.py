"""Start-up and one-report latency of the command line, in fresh processes.

    python benchmarks/latency.py [REPORT] [--runs 5]

Prints the median wall time of `gixml --help` and of `gixml extract REPORT`
(which loads the line-classifier model), each in a new process, and the model
file's size. Targets (issue 3): extract under 2 s, model under 10 MB.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", nargs="?", default=str(ROOT / "tests/fixtures/seeds/001_1f99d5b6e50a94c3.txt"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    gixml = [sys.executable, "-m", "gixml.cli"]
    from gixml.lines.scorer import MODEL_FILE, shipped_folder

    print(f"gixml --help            {timed(gixml + ['--help'], args.runs):.2f} s (median of {args.runs})")
    print(f"gixml extract (1 report) {timed(gixml + ['extract', '-q', args.report], args.runs):.2f} s "
          f"(median of {args.runs}, fresh process, model loaded)")
    print(f"line classifier          {(shipped_folder() / MODEL_FILE).stat().st_size / 1e6:.2f} MB "
          f"(models/line-classifier/{MODEL_FILE})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
