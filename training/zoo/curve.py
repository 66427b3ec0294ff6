"""The learning curve on a layout the model has not seen: how many annotated
documents of a converter it takes to read that converter's output.

    python -m gixml.training.zoo.curve --train-zoo zoo-train/ --test-zoo zoo/ \\
        --converter html2text --converter w3m-dump ... [--steps 0,1,3,10] [--test 40]

For each converter: the model is trained as ``gixml train --zoo`` trains it,
but without any text of that converter (it has never seen its layout). Then,
through the user's own loop, ``k`` of the converter's texts from the test zoo
are annotated (``gixml annotate``'s pre-labelling, written as annotation
files), corrected (each line's label set to the one the alignment gives;
lines the alignment cannot label stay unchecked, as a person who skipped
them would leave them), and trained on with the rest. Extraction with each
model is scored cell by cell on ``--test`` other texts of that converter
(real-value renderings first, then synthetic ones), never annotated.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .dataset import ZooDocument, documents

DEFAULT_STEPS = (0, 1, 3, 10)


def annotate_and_correct(doc: ZooDocument, folder: Path) -> Path:
    """One converted text through ``gixml annotate`` and a person's corrections
    (the alignment's labels); returns the annotation file."""
    from gixml.training.annotations import prelabel, read_records, write

    source = folder / f"{doc.style}-{doc.report}.txt"
    source.write_text(doc.text, encoding="utf-8")
    target = folder / f"{doc.style}-{doc.report}.jsonl"
    write(target, prelabel(source, relative_to=folder))
    records = read_records(target)
    for record, label in zip(records, doc.labels):
        if label is not None:
            record["label"], record["checked"] = label, True
    write(target, records)
    return target


def cells_right(docs: Sequence[ZooDocument], test_zoo: Path, model: Any) -> tuple[int, int]:
    import json

    from gixml.confidence import MODEL_THRESHOLD, RULE_THRESHOLD
    from gixml.lines.cascade import CascadeLabeller
    from gixml.pipeline import extract_text

    from ..train import cell_score

    labeller = CascadeLabeller(model, rule_threshold=RULE_THRESHOLD, model_threshold=MODEL_THRESHOLD)
    right = total = 0
    for d in docs:
        truth = json.loads((test_zoo / "truth" / f"{d.report}.json").read_text(encoding="utf-8"))
        got = {str(k): c.value for k, c in extract_text(d.text, labeller=labeller).cells.items()}
        r, t = cell_score(got, truth["cells"])
        right, total = right + r, total + t
    return right, total


def curve(converter: str, train_zoo: Path, test_zoo: Path, steps: Sequence[int], n_test: int,
          annotations: Path | None = None, synthetic: int | None = None) -> dict[str, Any]:
    """One converter's curve: cells right on its test texts after 0, 1, 3… annotated texts of it."""
    from gixml.training.annotations import documents as annotated
    from gixml.training.train import DEFAULT_SYNTHETIC, default_annotations, fit

    started = time.perf_counter()
    base = annotated(annotations or default_annotations())
    synthetic = DEFAULT_SYNTHETIC if synthetic is None else synthetic
    zoo_docs = documents(train_zoo, exclude=[converter])
    texts = documents(test_zoo, only=[converter])
    real = [d for d in texts if d.origin != "synthetic"]
    made_up = [d for d in texts if d.origin == "synthetic"]
    test = (real + made_up)[:n_test]
    pool = [d for d in made_up if d not in test]  # what the user annotates: never a test text
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in steps:
            mine = [annotate_and_correct(d, Path(tmp)) for d in pool[:k]]
            model = fit([*base, *annotated(mine)] if mine else base, synthetic=synthetic, zoo_docs=zoo_docs)
            right, total = cells_right(test, test_zoo, model)
            points.append({"annotated": k, "cells_right": right, "cells": total})
    return {"converter": converter, "test_texts": len(test), "points": points,
            "seconds": round(time.perf_counter() - started)}


def table(results: Sequence[dict[str, Any]]) -> str:
    steps = [p["annotated"] for p in results[0]["points"]] if results else []
    out = ["| converter (never seen) | test texts | " + " | ".join(f"{k} annotated" for k in steps) + " |",
           "| --- | ---: | " + " | ".join("---:" for _ in steps) + " |"]
    for r in results:
        out.append(f"| {r['converter']} | {r['test_texts']} | " + " | ".join(
            f"{100 * p['cells_right'] / max(p['cells'], 1):.1f}%" for p in r["points"]) + " |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-zoo", type=Path, required=True)
    ap.add_argument("--test-zoo", type=Path, required=True)
    ap.add_argument("--converter", action="append", required=True)
    ap.add_argument("--steps", default=",".join(map(str, DEFAULT_STEPS)))
    ap.add_argument("--test", type=int, default=40, help="test texts per converter (default 40)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args(argv)
    from joblib import Parallel, delayed

    steps = [int(x) for x in args.steps.split(",")]
    results = Parallel(n_jobs=args.jobs)(delayed(curve)(c, args.train_zoo, args.test_zoo, steps, args.test)
                                         for c in args.converter)
    text = table(results)
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
