"""How well lines are labelled on each converter's output: the rules alone
against the cascade with the shipped model, scored on the labels the
alignment gave for free (``align.py``).

    python -m gixml.training.zoo.lines --zoo zoo/ [--per-converter 40]

Reads what ``matrix.py`` wrote (``zoo/text/…`` and ``zoo/labels/…``) and prints,
per source × converter, the macro-F1 over the labels present and the share of
lines labelled right, for each labeller. The shipped model was trained on the
hand annotations and the synthetic layouts of ``synth.py``, never on the zoo:
every converter here is one it has not seen.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gixml.lines.cascade import default_labeller
from gixml.lines.labels import Labeller
from gixml.lines.normalise import normalise
from gixml.lines.rules import RuleLabeller
from gixml.lines.tokenise import tokenise


def scores(zoo: Path, per_converter: int) -> list[tuple[str, str, int, dict[str, tuple[float, float]]]]:
    """(source, converter, lines scored, {labeller: (macro-F1, accuracy)}) per converter."""
    from sklearn.metrics import accuracy_score, f1_score

    labellers: dict[str, Labeller] = {"rules": RuleLabeller(), "rules + model": default_labeller()}
    out = []
    for folder in sorted((zoo / "labels").glob("*/*")):
        style, name = folder.parent.name, folder.name
        truth: list[str] = []
        predicted: dict[str, list[str]] = {k: [] for k in labellers}
        for path in sorted(folder.glob("*.json"))[:per_converter]:
            text_path = zoo / "text" / style / name / f"{path.stem}.txt"
            if not text_path.exists():
                continue
            wanted = json.loads(path.read_text(encoding="utf-8"))
            lines = normalise(text_path.read_text(encoding="utf-8"))
            tokens = tokenise(lines)
            if len(lines) != len(wanted):
                continue
            keep = [i for i, w in enumerate(wanted) if w is not None]
            truth += [wanted[i] for i in keep]
            for key, labeller in labellers.items():
                labels = labeller.label(lines, tokens)
                predicted[key] += [str(getattr(labels[i][0], "value", labels[i][0])) for i in keep]
        if truth:
            present = sorted(set(truth))
            out.append((style, name, len(truth), {
                k: (float(f1_score(truth, p, labels=present, average="macro", zero_division=0)),
                    float(accuracy_score(truth, p))) for k, p in predicted.items()}))
    return out


def table(rows: list[tuple[str, str, int, dict[str, tuple[float, float]]]]) -> str:
    lines = ["| source | converter | lines | rules: macro-F1 | rules: right | rules + model: macro-F1 | "
             "rules + model: right |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for style, name, n, s in rows:
        (f1_r, acc_r), (f1_m, acc_m) = s["rules"], s["rules + model"]
        lines.append(f"| {style} | {name} | {n} | {f1_r:.3f} | {acc_r:.1%} | {f1_m:.3f} | {acc_m:.1%} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zoo", type=Path, default=Path("zoo"))
    ap.add_argument("--per-converter", type=int, default=40, help="documents per converter (default 40)")
    args = ap.parse_args(argv)
    if not (args.zoo / "labels").is_dir():
        ap.error(f"{args.zoo}/labels is not there: build the zoo first (python -m gixml.training.zoo.matrix)")
    print(table(scores(args.zoo, args.per_converter)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
