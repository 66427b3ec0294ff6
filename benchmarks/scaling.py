"""Time against input size, for every shape of input that has ever stalled a parser.

    python benchmarks/scaling.py                     # 10 KB → 20 MB, every shape (about 20 min)
    python benchmarks/scaling.py --max-size 2e6      # a quick look
    python benchmarks/scaling.py --shapes one_line tab_cells

Each shape is grown to each size and extracted in this process (read the bytes,
extract, serialise the JSON, as a batch worker does), the best of ``--repeat``
runs (of three at least below 1 MB, where a run is short enough for the
machine's noise to matter). For each shape it prints the seconds per size, the exponent between each
pair of sizes and the exponent fitted (least squares on log time against log
size) over the sizes from ``--fit-from`` up, where fixed costs no longer hide
the growth. Linear time is an exponent of 1; the target is ≤ 1.1 for every
shape. A point that takes longer than ``--budget`` seconds ends its shape (the
larger sizes would take too long to wait for), and the shape is marked.

The shapes: real reports on one line (a web page dumped without line ends),
real reports concatenated (many short lines), one cell per line, a million tabs, a line of spaces,
a million tab-separated cells, digits without end, digits separated by spaces,
cells glued with minus signs, dates, a row label repeated without a break, a
whole row repeated on its own lines, row labels each followed by a glued digit
run (the splitter's worst case), and nested brackets.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gixml.errors import GixmlError
from gixml.pipeline import extract_document
from gixml.read.document import read_bytes

SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000, 20_000_000)


def _reports() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/fixtures/seeds").glob("*.txt")))


def _filled(unit: str) -> Callable[[int], bytes]:
    """``size`` bytes of ``unit`` repeated (cut at a character boundary)."""
    data = unit.encode("utf-8")

    def make(size: int) -> bytes:
        out = (data * (size // len(data) + 1))[:size]
        return out.decode("utf-8", errors="ignore").encode("utf-8")

    return make


def shapes() -> dict[str, Callable[[int], bytes]]:
    reports = _reports()
    glued_rows = "".join(f"{label}{'8' * 40}" for label in ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量",
                                                            "（一）予以公开", "（七）总计", "结转下年度继续办理"))
    return {
        "one_line": _filled(reports.replace("\n", " ")),
        "short_lines": _filled(reports + "\n"),
        "cell_lines": _filled("0\n"),
        "tabs": _filled("\t"),
        "spaces": _filled(" \u3000 "),
        "tab_cells": _filled("0\t"),
        "digits": _filled("1234567890"),
        "spaced_digits": _filled("1 "),
        "minus_runs": _filled("12-"),
        "dates": _filled("2021-01-26 "),
        "label_repeat": _filled("本年新收政府信息公开申请数量"),
        "row_repeat": _filled("（一）本年新收政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t21\n"),
        "glued_rows": _filled(glued_rows),
        "brackets": _filled("（（（一）"),
    }


def seconds(data: bytes, repeat: int) -> tuple[float, str]:
    best = math.inf
    outcome = ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            report = extract_document(read_bytes(data, source="scaling.txt"))
            report.to_json()
            outcome = report.status
        except GixmlError as exc:
            outcome = type(exc).__name__
        best = min(best, time.perf_counter() - start)
    return best, outcome


def fitted_exponent(points: list[tuple[int, float]]) -> float:
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shapes", nargs="*", help="only these shapes")
    ap.add_argument("--max-size", type=float, default=SIZES[-1], help="largest input, in bytes (default 20 MB)")
    ap.add_argument("--fit-from", type=float, default=100_000, help="fit the exponent on sizes from this up")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per point of 1 MB or more, the best counting (smaller points: at least 3)")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds a point may take before its shape stops")
    args = ap.parse_args()
    made = shapes()
    names = args.shapes or list(made)
    unknown = sorted(set(names) - set(made))
    if unknown:
        ap.error(f"unknown shapes {unknown}; known: {', '.join(made)}")
    sizes = [s for s in SIZES if s <= args.max_size]
    seconds(made["short_lines"](20_000), 1)  # load the model before timing
    print(f"{'shape':<14}" + "".join(f"{_size(s):>9}" for s in sizes) + "   exponent (fit ≥ "
          f"{_size(int(args.fit_from))})   largest input's outcome")
    worst = 0.0
    for name in names:
        points: list[tuple[int, float]] = []
        cells = []
        outcome = ""
        stopped = False
        for size in sizes:
            t, outcome = seconds(made[name](size), args.repeat if size >= 1_000_000 else max(args.repeat, 3))
            points.append((size, t))
            cells.append(f"{t:9.3f}")
            if t > args.budget:
                stopped = True
                break
        cells += [f"{'—':>9}"] * (len(sizes) - len(cells))
        fit = [p for p in points if p[0] >= args.fit_from] or points
        exponent = fitted_exponent(fit) if len(fit) >= 2 else float("nan")
        worst = max(worst, exponent) if not math.isnan(exponent) else worst
        steps = " ".join(f"{math.log(b[1] / a[1]) / math.log(b[0] / a[0]):.2f}" if a[1] > 0 and b[1] > 0 else "-"
                         for a, b in zip(points, points[1:]))
        mark = "  STOPPED (over budget)" if stopped else ""
        print(f"{name:<14}" + "".join(cells) + f"   {exponent:5.2f}   {outcome}{mark}", flush=True)
        print(f"{'':<14}step exponents: {steps}", flush=True)
    print(f"\nlargest fitted exponent: {worst:.2f} (target ≤ 1.1)")
    return 0 if worst <= 1.1 else 1


def _size(n: int) -> str:
    return f"{n / 1e6:g}MB" if n >= 1_000_000 else f"{n / 1e3:g}KB"


if __name__ == "__main__":
    sys.exit(main())
