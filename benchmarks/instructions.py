"""Instructions per report, counted by valgrind: the working tree against an older revision.

    python benchmarks/instructions.py REV [--n 96] [--shared ../shared]

Timings on a shared machine drift by a third from minute to minute, and even
``compare.py``'s runs side by side differ from core to core. An instruction
count does not drift: ``valgrind --tool=callgrind`` counts the instructions a
run executes, the same for the same code and inputs whatever else the machine
does (it runs about fifty times slower, so a few minutes). Each side extracts
N text inputs (built as in ``throughput.py``) after a warm-up, as a batch
worker does, and is counted twice, with and without the N inputs: the
difference, divided by N, is the instructions one report costs, start-up
(imports, the model) left out. Instructions are not seconds (memory and
caches count too), but a change that costs 10% of the instructions costs about
that of the time.

Needs valgrind (``apt-get install valgrind``). REV is any git revision that has
``gixml.batch``; its checkout goes to a temporary git worktree.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from throughput import TREE_PREAMBLE, inputs_and_checkout

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 20

_CHILD = TREE_PREAMBLE + """
import glob
inputs, n = sys.argv[2], int(sys.argv[3])
paths = sorted(glob.glob(os.path.join(inputs, "*.txt")))
batch._work_chunk(paths[:%d], options)  # imports, the model
for i in range(%d, %d + n, 16):
    batch._work_chunk(paths[i:min(i + 16, %d + n)], options)
""" % (WARM_UP, WARM_UP, WARM_UP, WARM_UP)


def _start(tree: Path, inputs: Path, n: int, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c",
                             _CHILD, str(tree), str(inputs), str(n)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _count(proc: subprocess.Popen[bytes], out: Path) -> int:
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"a counted run failed:\n{err.decode(errors='replace')[-2000:]}")
    m = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
    if not m:
        raise SystemExit(f"{out}: no instruction count")
    return int(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rev", help="the git revision to compare the working tree with")
    ap.add_argument("--n", type=int, default=96, help="inputs counted per side (default 96)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    if subprocess.run(["valgrind", "--version"], capture_output=True).returncode != 0:
        raise SystemExit("instructions.py needs valgrind: apt-get install valgrind")
    per_report = {}
    with inputs_and_checkout(args.shared, args.n + WARM_UP, args.rev, "gixml-instructions-") as (inputs, old):
        for name, tree in ((args.rev, old), ("working tree", ROOT)):
            outs = {n: inputs.parent / f"{tree.name}-{n}.out" for n in (0, args.n)}
            runs = {n: _start(tree, inputs, n, out) for n, out in outs.items()}  # both at once, one per core
            counts = {n: _count(runs[n], outs[n]) for n in runs}
            per_report[name] = (counts[args.n] - counts[0]) / args.n
            print(f"{name}: {per_report[name] / 1e6:.2f} M instructions per report "
                  f"(start-up {counts[0] / 1e6:,.0f} M)", flush=True)
    ratio = per_report["working tree"] / per_report[args.rev]
    print(f"the working tree executes {ratio:.3f}x the instructions of {args.rev} per report "
          f"(< 1: the working tree does less work)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
