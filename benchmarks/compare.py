"""How much faster (or slower) the working tree extracts than an older revision,
on a machine whose speed drifts.

    python benchmarks/compare.py REV [--n 600] [--rounds 2] [--shared ../shared]

On a shared machine the speed varies by a third from minute to minute, more
than most changes gain, so two runs one after the other compare the moments,
not the code. This runs both at the same time instead, one process per core
(Linux CPU affinity), then again with the cores swapped, and prints the ratio
of each round: both sides see the same machine. Each side extracts the same N
text inputs (built as in ``throughput.py``) in one process, as a batch worker
does, after a warm-up, and reports reports/s of CPU time.

REV is any git revision that has ``gixml.batch`` (its checkout goes to a
temporary git worktree, removed at the end). Each side runs its own code with
its own ``models/``. Needs two cores.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from throughput import TREE_PREAMBLE, inputs_and_checkout

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 50

_CHILD = TREE_PREAMBLE + """
os.sched_setaffinity(0, {int(sys.argv[3])})
import glob, time
paths = sorted(glob.glob(os.path.join(sys.argv[2], "*.txt")))
batch._work_chunk(paths[:%d], options)  # imports, the model, the memos
start = time.process_time()
for i in range(%d, len(paths), 16):
    batch._work_chunk(paths[i:i + 16], options)
print((len(paths) - %d) / (time.process_time() - start))
""" % (WARM_UP, WARM_UP, WARM_UP)


def _start(tree: Path, inputs: Path, core: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(tree), str(inputs), str(core)], cwd=tree, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _rate(proc: subprocess.Popen[str], name: str) -> float:
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{name}: the run failed:\n{err}")
    return float(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rev", help="the git revision to compare the working tree with")
    ap.add_argument("--n", type=int, default=600, help="inputs per side (default 600)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds, each on both core orders (default 2)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    if not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("compare.py needs Linux and two cores")
    cores = sorted(os.sched_getaffinity(0))[:2]
    ratios = []
    with inputs_and_checkout(args.shared, args.n + WARM_UP, args.rev, "gixml-compare-") as (inputs, old):
        for _ in range(args.rounds):
            for old_core, new_core in (cores, cores[::-1]):
                old_run, new_run = _start(old, inputs, old_core), _start(ROOT, inputs, new_core)
                old_rate, new_rate = _rate(old_run, args.rev), _rate(new_run, "working tree")
                ratios.append(new_rate / old_rate)
                print(f"{args.rev}: {old_rate:6.1f} reports/s   working tree: {new_rate:6.1f} reports/s   "
                      f"ratio {new_rate / old_rate:.3f}", flush=True)
    print(f"median ratio {statistics.median(ratios):.3f} over {len(ratios)} runs "
          f"(> 1: the working tree is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
