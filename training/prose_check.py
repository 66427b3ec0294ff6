"""How well the prose check (``gixml/prose.py``) does on reports with a truth file.

    python -m gixml.training.prose_check                 # the seeds, ../shared/corpus and ../shared/pdf-made
    python -m gixml.training.prose_check --show          # and every statement found

For each set it prints the statements found, how many the table as read agrees
with, how many the truth agrees with (the statement read right, and the report
consistent), and each ``prose_mismatch`` warning with what it is: a real
inconsistency of the report (the truth disagrees with the prose too), or a
misread table (the truth agrees with the prose; the warning then cites
flagged cells, which ``tests/test_dataset.py`` checks).
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def cases(shared: Path = SHARED) -> Iterator[tuple[str, Path, dict]]:
    """(set, input, truth) for the seeds and every text input of ../shared's corpus and pdf-made."""
    for truth_file in sorted((ROOT / "tests" / "fixtures" / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        yield "seeds", ROOT / "tests" / "fixtures" / "seeds" / truth["source"], truth
    for folder in ("corpus", "pdf-made"):
        for truth_file in sorted((shared / folder).glob("*/truth.json")):
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
            for text in sorted(truth_file.parent.glob("text-*.txt")):
                yield folder, text, truth


def check(shared: Path = SHARED, *, show: bool = False) -> dict[str, dict[str, int]]:
    from gixml.pipeline import extract

    figures: dict[str, dict[str, int]] = {}
    for name, path, truth in cases(shared):
        f = figures.setdefault(name, dict.fromkeys(
            ("inputs", "statements", "table agrees", "truth agrees", "mismatches", "real", "misread"), 0))
        f["inputs"] += 1
        report = extract(path)
        for s in report.statements:
            want = [truth["cells"].get(str(k)) for k in s.keys]
            truth_sum = None if any(v is None for v in want) else sum(want)
            f["statements"] += 1
            f["table agrees"] += s.agrees is True
            f["truth agrees"] += truth_sum == s.value
            if show:
                print(f"{name} {path.parent.name}/{path.name}:{s.line} {s.what} {s.value!r}: table {s.table}, "
                      f"truth {truth_sum} ({s.phrase})")
            if s.agrees is False:
                f["mismatches"] += 1
                kind = "real" if truth_sum != s.value else "misread"
                f[kind] += 1
                print(f"{name} {path.parent.name}/{path.name}:{s.line} prose_mismatch ({kind}): {s.phrase!r} "
                      f"{s.value}, table {s.table}, truth {truth_sum}")
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (default ../shared)")
    ap.add_argument("--show", action="store_true", help="print every statement found")
    args = ap.parse_args(argv)
    figures = check(args.shared, show=args.show)
    print("| set | inputs | statements | table agrees | truth agrees | mismatches | real | misread |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, f in figures.items():
        print(f"| {name} | " + " | ".join(str(v) for v in f.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
