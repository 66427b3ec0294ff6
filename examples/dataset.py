"""Build a dataset from a folder of reports and chart one body over the years.

    pip install -e '.[data]'
    python examples/dataset.py                       # the shipped reports of 平潭综合实验区, 2019-2025
    python examples/dataset.py REPORTS/ -o chart.png  # any folder of reports (PDF, Word, web pages, text)

It runs what a researcher runs: ``gixml batch`` into a results file (resumable:
run it again and only new files are read), the wide table in the keys both
national formats share (``--comparable exact``, so the series runs across the
2021 change), and a chart of a few cells per year for the body with the most
reports. It writes ``reports.parquet`` beside the results file and the chart.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERIES = {  # cell key → legend (English: the chart needs no CJK font)
    "requests.new_received.total": "requests received",
    "active.penalties.decisions": "administrative penalties (/10)",
    "appeals.review.total": "administrative reviews",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="?", default=str(HERE / "pingtan"), help="folder of reports")
    parser.add_argument("-o", "--output", default=str(HERE.parent / "docs" / "dataset-chart.png"),
                        help="the chart (PNG)")
    parser.add_argument("--work", default=str(HERE / "out"), help="folder for results.jsonl and reports.parquet")
    args = parser.parse_args(argv)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import gixml

    os.makedirs(args.work, exist_ok=True)
    results = os.path.join(args.work, "results.jsonl")
    # 1. extract every report (as `gixml batch REPORTS -o results.jsonl` does from the shell)
    subprocess.run([sys.executable, "-m", "gixml.cli", "batch", "-q", args.reports, "-o", results], check=False)
    # 2. one row per report, in the keys both formats share
    frame = gixml.to_frame(results, comparable="exact")
    frame.to_parquet(os.path.join(args.work, "reports.parquet"), index=False)
    frame = frame[frame["status"] != "error"]
    print(frame[["organization", "year", "format", "status", "warnings", *SERIES]].to_string(index=False))
    # 3. the body with the most reports, one point per year
    body = frame["organization"].value_counts().index[0]
    series = frame[frame["organization"] == body].sort_values("year").set_index("year")
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=120)
    for key, legend in SERIES.items():
        values = series[key].astype("Float64") / (10 if "/10" in legend else 1)
        ax.plot(series.index, values, marker="o", label=legend)
    ax.axvline(2020.5, color="grey", linestyle=":", linewidth=1)
    ax.text(2020.55, ax.get_ylim()[1] * 0.95, "2021 format", color="grey", fontsize=8, va="top")
    ax.set_xlabel("report year")
    ax.set_ylabel("count")
    ax.set_title(f"One body over the years ({len(series)} reports, gixml.to_frame)", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(args.output)
    print(f"chart: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
