"""The worst output, counted: cells whose value is wrong and that carry no flag; and what confidence is worth.

A cell left ``null`` is wrong but honest; a wrong number flagged
``low_confidence``, ``failed_identity`` or ``undetermined`` tells the user
where to look. A wrong number without a flag looks sure: this counts those,
per set of inputs whose truth we hold, and lists each one.

    python -m gixml.training.unflagged                    # the seeds, and ../shared's corpus and pdf-made
    python -m gixml.training.unflagged --zoo zoo-train/   # and every text of a converter zoo
    python -m gixml.training.unflagged --show 20          # list the cells

The same pass counts the metadata fields right (organization, year,
published, as ``../shared/tools/score.py`` counts them) and gives the
reliability table: the cells read with a value,
binned by their confidence, and the share of each bin that is right. A
confidence of 0.9 or more is meant to be right at least 99.9% of the time.

Sets: ``seeds`` (``../shared/seeds`` with ``../shared/truth``, else the copies
in ``tests/fixtures``), ``corpus`` and ``pdf-made`` (each input beside a
``truth.json``: the ``text-*.txt`` and the originals), and with ``--zoo`` each
source style × converter of a zoo (``OUT/text/STYLE/CONVERTER/*.txt`` with
``OUT/truth/``). The exit status is 1 when any set has such a cell. CI runs it
on the sets it has (``tests/test_unflagged.py``).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"


#: The confidence bins of the reliability table: [low, high).
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))


@dataclass
class SetCount:
    """One set's inputs, cells, wrong cells and wrong cells without a flag (each listed)."""

    name: str
    inputs: int = 0
    cells: int = 0
    wrong: int = 0
    errors: int = 0
    unflagged: list[str] = field(default_factory=list)  # "input: key got G, want W"
    bins: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in BINS])  # per bin: cells, right
    meta: list[int] = field(default_factory=lambda: [0, 0])  # metadata fields in the truth, right

    def add_confidence(self, confidence: float, right: bool) -> None:
        for n, (low, high) in enumerate(BINS):
            if low <= confidence < high:
                self.bins[n][0] += 1
                self.bins[n][1] += right
                return


def cases(shared: Path = SHARED, zoo: Path | None = None) -> Iterator[tuple[str, Path, dict[str, Any]]]:
    """(set name, input, truth) for every input whose truth we hold (see the module docstring)."""
    seeds, truths = shared / "seeds", shared / "truth"
    if not (seeds.is_dir() and truths.is_dir()):
        seeds, truths = FIXTURES / "seeds", FIXTURES / "truth"
    for path in sorted(seeds.glob("*.txt")):
        truth = truths / f"{path.stem}.json"
        if truth.is_file():
            yield "seeds", path, _json(truth)
    for group in ("corpus", "pdf-made"):
        for folder in sorted(p for p in (shared / group).glob("*") if (p / "truth.json").is_file()):
            truth = _json(folder / "truth.json")
            for path in sorted(folder.iterdir()):
                if path.is_file() and (path.name.startswith("text-") or path.name.startswith("original.")):
                    yield group, path, truth
    if zoo is not None:
        for text in sorted((zoo / "text").glob("*/*/*.txt")):
            truth = zoo / "truth" / f"{text.stem}.json"
            if truth.is_file():
                yield f"zoo {text.parent.parent.name}/{text.parent.name}", text, _json(truth)


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _body(name: str) -> str:
    for suffix in ("人民政府", "政府", "办事处"):
        name = name.removesuffix(suffix)
    return name


def _meta_right(name: str, got: Any, want: Any) -> bool:
    """A metadata field right as ``../shared/tools/score.py`` counts it: the body's
    name when either holds the other's core (without 人民政府, 政府, 办事处), the
    rest as printed."""
    if name == "organization":
        a, b = _body(str(got or "")), _body(str(want))
        return bool(a) and (a in b or b in a)
    return str(got) == str(want)


def count(shared: Path = SHARED, zoo: Path | None = None) -> list[SetCount]:
    """Extract every input of :func:`cases` and count its wrong cells, flagged or not."""
    from gixml.errors import GixmlError
    from gixml.pipeline import extract

    sets: dict[str, SetCount] = {}
    for name, path, truth in cases(shared, zoo):
        tally = sets.setdefault(name, SetCount(name))
        tally.inputs += 1
        try:
            report = extract(path)
        except GixmlError:
            tally.errors += 1
            continue
        got = {str(k): c for k, c in report.cells.items()}
        for name_, want_ in (truth.get("meta") or {}).items():
            if name_ in ("organization", "year", "published") and want_ is not None:
                tally.meta[0] += 1
                tally.meta[1] += _meta_right(name_, getattr(report.meta, name_), want_)
        skip = set(truth.get("ambiguous") or ())
        for key, want in truth["cells"].items():
            if key in skip:
                continue
            tally.cells += 1
            cell = got.get(key)
            value = cell.value if cell is not None else None
            if cell is not None and value is not None:
                tally.add_confidence(cell.confidence, value == want)
            if value == want:
                continue
            tally.wrong += 1
            if cell is not None and value is not None and not cell.flags:
                tally.unflagged.append(f"{path}: {key} got {value}, want {want}")
    return list(sets.values())


def reliability(counts: list[SetCount]) -> str:
    """The reliability table (Markdown): per confidence bin, the cells read with a value and the share right,
    per set (a zoo's source × converter sets together as one column, ``zoo``)."""
    merged: dict[str, SetCount] = {}
    for c in counts:
        name = c.name.split(" ")[0]
        into = merged.setdefault(name, SetCount(name))
        for n, (total, right) in enumerate(c.bins):
            into.bins[n][0] += total
            into.bins[n][1] += right
    counts = list(merged.values())
    head = "| confidence | " + " | ".join(c.name for c in counts) + " |"
    lines = [head, "| --- |" + " ---: |" * len(counts)]
    for n, (low, high) in enumerate(BINS):
        label = f"[{low:.2f}, {min(high, 1.0):.2f}{']' if high > 1 else ')'}"
        cells = []
        for c in counts:
            total, right = c.bins[n]
            cells.append(f"{100 * right / total:.2f}% of {total:,}" if total else "—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    sure = [(sum(c.bins[n][0] for n in range(len(BINS)) if BINS[n][0] >= 0.9),
             sum(c.bins[n][1] for n in range(len(BINS)) if BINS[n][0] >= 0.9)) for c in counts]
    lines.append("| **≥ 0.90** | " + " | ".join(f"**{100 * r / t:.3f}%** of {t:,}" if t else "—" for t, r in sure) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gixml.training.unflagged", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (default: %(default)s)")
    parser.add_argument("--zoo", type=Path, help="a converter zoo built by gixml.training.zoo (dataset or matrix)")
    parser.add_argument("--show", type=int, default=10, metavar="N", help="list up to N such cells per set")
    args = parser.parse_args(argv)
    counts = count(args.shared, args.zoo)
    print("| set | inputs | cells | wrong | wrong, no flag | metadata right |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for c in counts:
        errors = f" ({c.errors} unreadable)" if c.errors else ""
        meta = f"{c.meta[1]}/{c.meta[0]}" if c.meta[0] else "—"
        print(f"| {c.name} | {c.inputs}{errors} | {c.cells} | {c.wrong} | {len(c.unflagged)} | {meta} |")
    for c in counts:
        for line in c.unflagged[:args.show]:
            print(f"  {c.name}: {line}")
    print()
    print(reliability(counts))
    total = sum(len(c.unflagged) for c in counts)
    print(f"wrong cells without a flag: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
