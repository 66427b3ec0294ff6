"""Leave-one-converter-out: train without one converter's texts, test on them.

    python -m gixml.training.zoo.loco --train-zoo zoo-train/ --test-zoo zoo/ [--jobs 2] [--write FILE]

For each converter of the test zoo, the line classifier is trained as
``gixml train --zoo`` trains it (hand annotations, synthetic layouts, the
training zoo's texts: ``dataset.py``) but without any text of that converter,
and scored on that converter's texts in the test zoo (``matrix.py``'s, built from another
seed), labelled by alignment. The test texts are split by where their values
come from: real reports (the seeds and the corpus reports that may be copied)
and synthetic reports; training never saw either. Per converter it prints the
macro-F1 (over the labels present) and the share of lines right of: the rules
alone, the held-out model alone, and the cascade extraction runs (rules where
they are sure, the model elsewhere).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .dataset import ZooDocument, documents

WHO = ("rules", "model", "cascade")


def _labels(docs: Sequence[ZooDocument], model: Any) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    """Per origin (``real``, ``synthetic``): the aligned labels, and each labeller's, on the labelled non-blank lines."""
    from gixml.confidence import MODEL_THRESHOLD, RULE_THRESHOLD
    from gixml.lines.cascade import CascadeLabeller
    from gixml.lines.labels import label_lines
    from gixml.lines.normalise import normalise
    from gixml.lines.rules import RuleLabeller
    from gixml.lines.tokenise import tokenise

    rules = RuleLabeller()
    cascade = CascadeLabeller(model, rule_threshold=RULE_THRESHOLD, model_threshold=MODEL_THRESHOLD)
    out: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
    for d in docs:
        lines = normalise(d.text)
        if len(lines) != len(d.labels):
            continue
        tokens = tokenise(lines)
        keep = [i for i, lab in enumerate(d.labels) if lab not in (None, "blank")]
        got = {"rules": [lab.value for lab in rules.predict(lines, tokens)],
               "model": model.predict([(lines, tokens)])[0],
               "cascade": [ll.label.value for ll in label_lines(lines, tokens, cascade)]}
        part = "synthetic" if d.origin == "synthetic" else "real"
        gold, pred = out.setdefault(part, ([], {w: [] for w in WHO}))
        gold += [str(d.labels[i]) for i in keep]
        for w in WHO:
            pred[w] += [got[w][i] for i in keep]
    return out


def _scores(gold: list[str], pred: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    from sklearn.metrics import accuracy_score, f1_score

    present = sorted(set(gold))
    return {w: (float(f1_score(gold, p, labels=present, average="macro", zero_division=0)),
                float(accuracy_score(gold, p))) for w, p in pred.items()}


def held_out(converter: str | None, train_zoo: Path, test_zoo: Path, per_style: int,
             annotations: Path | None = None, synthetic: int | None = None) -> dict[str, Any]:
    """Train without ``converter`` (``None``: with every converter) and score on its test texts."""
    from gixml.training.annotations import documents as annotated
    from gixml.training.train import DEFAULT_SYNTHETIC, default_annotations, fit

    started = time.perf_counter()
    train_docs = documents(train_zoo, exclude=[converter] if converter else [])
    model = fit(annotated(annotations or default_annotations()), zoo_docs=train_docs,
                synthetic=DEFAULT_SYNTHETIC if synthetic is None else synthetic)
    tests = documents(test_zoo, only=[converter] if converter else None)
    chosen: list[ZooDocument] = []
    for style in sorted({d.style for d in tests}):
        of_style = [d for d in tests if d.style == style]
        chosen += [d for d in of_style if d.origin != "synthetic"] + \
            [d for d in of_style if d.origin == "synthetic"][:per_style]
    parts = _labels(chosen, model)
    return {"converter": converter, "seconds": round(time.perf_counter() - started, 1),
            "parts": {part: {"lines": len(gold), **_scores(gold, pred)} for part, (gold, pred) in parts.items()}}


def run(train_zoo: Path, test_zoo: Path, jobs: int, per_style: int, converters: Sequence[str] | None = None
        ) -> list[dict[str, Any]]:
    from joblib import Parallel, delayed

    names = sorted(converters or {d.converter for d in documents(test_zoo)})
    return list(Parallel(n_jobs=jobs)(delayed(held_out)(c, train_zoo, test_zoo, per_style) for c in names))


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| converter left out | test values | lines | rules: macro-F1 | model: macro-F1 | cascade: macro-F1 | "
             "rules: right | cascade: right |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        for part in ("real", "synthetic"):
            s = r["parts"].get(part)
            if not s:
                continue
            lines.append(f"| {r['converter']} | {part} | {s['lines']} | {s['rules'][0]:.3f} | {s['model'][0]:.3f} | "
                         f"{s['cascade'][0]:.3f} | {s['rules'][1]:.1%} | {s['cascade'][1]:.1%} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-zoo", type=Path, required=True, help="built by python -m gixml.training.zoo.dataset")
    ap.add_argument("--test-zoo", type=Path, required=True, help="built by python -m gixml.training.zoo.matrix")
    ap.add_argument("--per-style", type=int, default=30,
                    help="synthetic test texts per source style and converter (default 30; every real one is used)")
    ap.add_argument("--converter", action="append", help="only these converters (repeatable)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write", type=Path, help="also write the table (Markdown) to this file")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    text = table(run(args.train_zoo, args.test_zoo, args.jobs, args.per_style, args.converter))
    print(text)
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
