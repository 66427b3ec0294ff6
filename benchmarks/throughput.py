"""Throughput of `gixml batch` on text inputs, against the floor of reading them.

    python benchmarks/throughput.py [--n 2000] [--shared ../shared] [--jobs 1 2] [--no-append]

Builds N text inputs from the reports in ``../shared/seeds`` and
``../shared/corpus`` (every ``*.txt``/``*.md`` text input there), each one made
different from the others the way different bodies' reports differ: its
prose lines (20+ characters) get a quarter of their Chinese characters
replaced at random, and its non-zero digits are redrawn; the form's labels and
the zero cells stay as the national form prints them. Then it measures, in one
run:

- **floor**: reading every file and running one regular expression over it;
- **gixml batch** with each ``--jobs`` value, in a fresh process as a user runs
  it, writing a results file: wall time, reports/s, reports/s after start-up
  (the same command on one input gives the start-up time: the shortest of three
  runs), per core, the ratio to the floor, and the peak resident memory of the
  process tree (sampled).

It prints the figures and appends them with the machine and date to
``benchmarks/RESULTS.md``. Targets (issue 5): ≥ 100 reports/s per core after
start-up (goal 300), peak RSS < 400 MB at N = 2,000.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CJK = re.compile(r"[\u4e00-\u9fff]")
_POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府"


def build_inputs(shared: Path, n: int, out: Path, seed: int = 0, numbers: bool = True) -> list[Path]:
    sources = sorted(glob.glob(str(shared / "seeds" / "*.txt")))
    for kind in ("text-*.txt", "original.txt", "original.md"):
        sources += sorted(glob.glob(str(shared / "corpus" / "*" / kind)))
    texts = [Path(s).read_text(encoding="utf-8") for s in sources]
    if not texts:
        raise SystemExit(f"no reports found under {shared}/seeds or {shared}/corpus")
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        lines = texts[i % len(texts)].split("\n")
        made = []
        for line in lines:
            if len(line) >= 20 and "\t" not in line and _CJK.search(line):
                line = "".join(rng.choice(_POOL) if _CJK.match(ch) and rng.random() < 0.25 else ch for ch in line)
            if numbers:
                line = re.sub(r"[1-9]", lambda _: str(rng.randint(1, 9)), line)
            made.append(line)
        path = out / f"report-{i:05d}.txt"
        path.write_text("\n".join(made), encoding="utf-8")
        paths.append(path)
    return paths


#: The first lines of a child process that runs one checkout's gixml (its folder
#: is the child's first argument) with that checkout's own models/.
TREE_PREAMBLE = """
import importlib.util, os, sys
tree = sys.argv[1]
sys.path.insert(0, tree)
import gixml
spec = importlib.util.spec_from_file_location("gixml.models", os.path.join(tree, "models", "__init__.py"))
sys.modules["gixml.models"] = models = importlib.util.module_from_spec(spec)
spec.loader.exec_module(models)
import gixml.batch as batch
options = batch.WorkerOptions(tune_gc=True) if hasattr(batch, "WorkerOptions") else {"tune_gc": True}  # 0.2 / 0.1
"""


@contextmanager
def inputs_and_checkout(shared: Path, n: int, rev: str, prefix: str) -> Iterator[tuple[Path, Path]]:
    """A temporary folder with ``n`` inputs (:func:`build_inputs`) and a git
    worktree of ``rev``; both removed at the end."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        inputs = Path(tmp) / "inputs"
        inputs.mkdir()
        build_inputs(shared, n, inputs)
        old = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(old), rev], cwd=ROOT, check=True)
        try:
            yield inputs, old
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)


def floor(paths: list[Path]) -> float:
    pattern = re.compile(r"\d+")
    start = time.perf_counter()
    found = 0
    for path in paths:
        found += len(pattern.findall(path.read_bytes().decode("utf-8")))
    elapsed = time.perf_counter() - start
    assert found > 0
    return elapsed


def cpu_reference() -> float:
    """Seconds for 10 million additions in a Python loop: this machine's speed
    at the time of the run (shared machines vary by a third from hour to hour)."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_batch(folder: Path, jobs: int, results: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (bytes, the whole process tree) of one `gixml batch` run."""
    if results.exists():
        results.unlink()
    cmd = [sys.executable, "-m", "gixml.cli", "batch", str(folder), "-o", str(results), "--jobs", str(jobs),
           "--no-progress"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gixml batch failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    return elapsed, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="number of inputs (default 2000)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder (default ../shared)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to measure (default 1 2)")
    ap.add_argument("--no-append", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = ap.parse_args()
    shared = Path(args.shared)
    with tempfile.TemporaryDirectory(prefix="gixml-bench-") as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        paths = build_inputs(shared, args.n, folder)
        one = Path(tmp) / "one"
        one.mkdir()
        (one / paths[0].name).write_bytes(paths[0].read_bytes())
        size = sum(p.stat().st_size for p in paths)
        floor_s = floor(paths)
        floor_rate = len(paths) / floor_s
        lines = [f"inputs: {len(paths)} text reports, {size / 1e6:.1f} MB (from {shared}/seeds and corpus)",
                 f"machine speed: 10M-addition Python loop in {cpu_reference():.2f} s",
                 f"floor (read + one regex): {floor_s:.2f} s, {floor_rate:,.0f} reports/s"]
        for jobs in args.jobs:
            # the start-up is a fixed cost that noise can only lengthen: the shortest of three runs
            startup = min(run_batch(one, jobs, Path(tmp) / "one.jsonl")[0] for _ in range(3))
            wall, peak = run_batch(folder, jobs, Path(tmp) / f"results-{jobs}.jsonl")
            done = sum(1 for _ in open(Path(tmp) / f"results-{jobs}.jsonl", encoding="utf-8"))
            after = (done - 1) / max(wall - startup, 1e-9)
            lines.append(
                f"gixml batch --jobs {jobs}: {wall:.1f} s wall, {done / wall:.0f} reports/s; after start-up "
                f"({startup:.1f} s): {after:.0f} reports/s = {after / jobs:.0f} per core; "
                f"{floor_rate / after:.0f}x the floor's time; peak RSS {peak / 1e6:.0f} MB")
            if done != len(paths):
                lines.append(f"  !! {done} results for {len(paths)} inputs")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    print("\n".join(lines))
    if not args.no_append:
        results = ROOT / "benchmarks" / "RESULTS.md"
        head = "" if results.exists() else "# Benchmark results\n\nAppended by `python benchmarks/throughput.py`.\n"
        with open(results, "a", encoding="utf-8") as handle:
            handle.write(f"{head}\n## throughput — {dt.datetime.now().isoformat(timespec='minutes')}\n\n"
                         f"machine: {machine}\n\n" + "".join(f"- {line}\n" for line in lines))
        print(f"appended to {results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
