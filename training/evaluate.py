"""Evaluate the line classifier honestly: leave one report out.

    gixml evaluate [--annotations DIR] [--jobs N] [--synthetic-test N] [--write FILE] [--card FILE]

For each report (a seed, or a corpus case with all its text inputs — so no
extraction of the report being tested was seen in training) a model is trained
on all the other real documents plus the synthetic ones, exactly as ``gixml
train`` does, and then

1. labels the left-out documents' lines: per-label precision/recall/F1 and
   macro-F1 over the non-blank labels, for the model alone, the rules alone
   and the cascade (rules where confident, model elsewhere) that extraction uses;
2. extracts the left-out documents that have a truth file (``truth.json`` beside
   the source, or ``../truth/<name>.json``) with the cascade and with the rules
   alone: the cell scores, as ``tools/score.py`` counts them.

Then the model trained on everything is compared with the rules on
``--synthetic-test`` generated documents from a generator seed never used in
training (layouts the real annotations do not have).
"""
from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from joblib import Parallel, delayed

from gixml.confidence import MODEL_THRESHOLD, RULE_THRESHOLD
from gixml.lines.cascade import CascadeLabeller
from gixml.lines.labels import Labeller, LineLabel, label_lines
from gixml.lines.normalise import normalise
from gixml.lines.rules import RuleLabeller
from gixml.lines.tokenise import tokenise
from gixml.pipeline import extract_text

from .annotations import AnnotatedDocument, documents
from .synth import generate_corpus
from .train import DEFAULT_SEED, DEFAULT_SYNTHETIC, cell_score, default_annotations, fit, group_of
from .zoo.dataset import ZooDocument
from .zoo.dataset import documents as zoo_documents

TEST_SEED = 1000  # generator seed of the synthetic test documents (training uses DEFAULT_SEED)
LABELS = [lab.value for lab in LineLabel if lab is not LineLabel.BLANK]


def truth_for(doc: AnnotatedDocument) -> dict[str, Any] | None:
    """The document's truth file (``truth.json`` beside its source, or
    ``truth/<name>.json`` beside its folder), else its annotated cells."""
    source = (Path(doc.path).parent / doc.source).resolve()
    for candidate in (source.parent / "truth.json", source.parent.parent / "truth" / f"{source.stem}.json"):
        if candidate.is_file():
            truth = json.loads(candidate.read_text(encoding="utf-8"))
            return None if truth.get("usable") is False else truth
    cells = doc.cell_values()
    return {"cells": cells} if cells is not None else None


def _extract_cells(text: str, labeller: Labeller) -> dict[str, Any]:
    return {k: c.value for k, c in extract_text(text, labeller=labeller).cells.items()}


def _fold(train_docs: Sequence[AnnotatedDocument], test_docs: Sequence[AnnotatedDocument], synthetic: int, seed: int,
          zoo_docs: Sequence[ZooDocument] = ()) -> list[dict[str, Any]]:
    model = fit(train_docs, synthetic=synthetic, seed=seed, zoo_docs=zoo_docs)
    cascade = CascadeLabeller(model, rule_threshold=RULE_THRESHOLD, model_threshold=MODEL_THRESHOLD)
    rules = RuleLabeller()
    out = []
    for doc in test_docs:
        lines = normalise(doc.text)
        tokens = tokenise(lines)
        row: dict[str, Any] = {
            "doc": doc.doc,
            "gold": [lab.value for lab in doc.labels],
            "model": model.predict([(lines, tokens)])[0],
            "rules": [lab.value for lab in rules.predict(lines, tokens)],
            "cascade": [ll.label.value for ll in label_lines(lines, tokens, cascade)],
        }
        truth = truth_for(doc)
        if truth is not None:
            skip = truth.get("ambiguous", [])
            row["cells_cascade"] = cell_score(_extract_cells(doc.text, cascade), truth["cells"], skip)
            row["cells_rules"] = cell_score(_extract_cells(doc.text, rules), truth["cells"], skip)
        out.append(row)
    return out


def _prf(gold: list[str], pred: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for lab in LABELS:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": tp + fn}
    return out


def evaluate(annotations: str | Path | None = None, *, jobs: int = 2, synthetic: int = DEFAULT_SYNTHETIC,
             seed: int = DEFAULT_SEED, synthetic_test: int = 60, zoo: str | Path | None = None, log=print
             ) -> dict[str, Any]:
    """Leave-one-report-out over the annotated documents, each fold trained as
    ``gixml train`` trains (with the zoo's texts too, given ``zoo``)."""
    started = time.perf_counter()
    docs = documents(Path(annotations) if annotations else default_annotations())
    zoo_docs = zoo_documents(Path(zoo)) if zoo is not None else []
    groups: dict[str, list[AnnotatedDocument]] = defaultdict(list)
    for d in docs:
        groups[group_of(d)].append(d)
    log(f"leave-one-report-out: {len(docs)} documents, {len(groups)} reports, {jobs} job(s)")
    folds = Parallel(n_jobs=jobs)(
        delayed(_fold)([d for d in docs if group_of(d) != g], members, synthetic, seed, zoo_docs) for g, members in groups.items()
    )
    rows = [r for fold in folds for r in fold]
    result: dict[str, Any] = {"documents": len(docs), "reports": len(groups), "lines": {}}
    for who in ("model", "cascade", "rules"):
        gold = [g for r in rows for g, _ in zip(r["gold"], r[who]) if g != "blank"]
        pred = [p for r in rows for g, p in zip(r["gold"], r[who]) if g != "blank"]
        per = _prf(gold, pred)
        result["lines"][who] = {
            "per_label": per,
            "macro_f1": round(sum(v["f1"] for v in per.values()) / len(per), 4),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1), 4),
        }
    cells: dict[str, dict[str, list[int]]] = {"seeds": {"cascade": [0, 0], "rules": [0, 0]},
                                               "corpus": {"cascade": [0, 0], "rules": [0, 0]}}
    for r in rows:
        if "cells_cascade" not in r:
            continue
        part = "seeds" if r["doc"].startswith("seeds/") else "corpus"
        for who in ("cascade", "rules"):
            right, total = r[f"cells_{who}"]
            cells[part][who][0] += right
            cells[part][who][1] += total
    result["cells_left_out"] = cells

    model = fit(docs, synthetic=synthetic, seed=seed, zoo_docs=zoo_docs)
    cascade = CascadeLabeller(model, rule_threshold=RULE_THRESHOLD, model_threshold=MODEL_THRESHOLD)
    synth = {"cascade": [0, 0], "rules": [0, 0]}
    by_layout: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"cascade": [0, 0], "rules": [0, 0]})
    for sd in generate_corpus(synthetic_test, seed=TEST_SEED):
        for who, labeller in (("cascade", cascade), ("rules", RuleLabeller())):
            right, total = cell_score(_extract_cells(sd.text, labeller), sd.cells)
            synth[who][0] += right
            synth[who][1] += total
            by_layout[sd.layout][who][0] += right
            by_layout[sd.layout][who][1] += total
    result["cells_synthetic"] = {"documents": synthetic_test, "generator_seed": TEST_SEED, **synth,
                                 "by_layout": dict(by_layout)}
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _pct(pair: Sequence[int]) -> str:
    return f"{100 * pair[0] / pair[1]:.2f}% ({pair[0]}/{pair[1]})" if pair[1] else "n/a"


def report(result: dict[str, Any]) -> str:
    """The evaluation as Markdown."""
    out = ["# Line classifier evaluation", "",
           f"Leave-one-report-out over {result['documents']} real documents ({result['reports']} reports); "
           f"blank lines excluded. {result['seconds']} s.", ""]
    out += ["| label | model P | model R | model F1 | cascade F1 | rules F1 | support |", "|---|---|---|---|---|---|---|"]
    for lab in LABELS:
        m = result["lines"]["model"]["per_label"][lab]
        c = result["lines"]["cascade"]["per_label"][lab]
        r = result["lines"]["rules"]["per_label"][lab]
        out.append(f"| {lab} | {m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | {c['f1']:.4f} | "
                   f"{r['f1']:.4f} | {m['support']} |")
    out.append(f"| **macro** | | | **{result['lines']['model']['macro_f1']:.4f}** | "
               f"{result['lines']['cascade']['macro_f1']:.4f} | {result['lines']['rules']['macro_f1']:.4f} | |")
    out += ["", "Accuracy: model {model}, cascade {cascade}, rules {rules}.".format(
        **{k: f"{v['accuracy']:.4f}" for k, v in result["lines"].items()}), ""]
    out += ["## Extraction: cells right, with the model (cascade) and with rules alone", "",
            "| documents | with the model | rules alone |", "|---|---|---|"]
    for part in ("seeds", "corpus"):
        c = result["cells_left_out"][part]
        out.append(f"| {part} (left out of training) | {_pct(c['cascade'])} | {_pct(c['rules'])} |")
    s = result["cells_synthetic"]
    out.append(f"| synthetic, {s['documents']} documents, generator seed {s['generator_seed']} | "
               f"{_pct(s['cascade'])} | {_pct(s['rules'])} |")
    for layout, v in sorted(s["by_layout"].items()):
        out.append(f"| — layout `{layout}` | {_pct(v['cascade'])} | {_pct(v['rules'])} |")
    return "\n".join(out) + "\n"


def record_in_card(result: dict[str, Any], card_path: str | Path, *, report_file: str | None = None) -> dict[str, Any]:
    """Record the evaluation's headline figures in a model card (``metrics.leave_one_report_out``);
    ``gixml train`` keeps them while the training stays the same."""
    path = Path(card_path)
    card = json.loads(path.read_text(encoding="utf-8"))
    lines = result["lines"]
    cells = result["cells_left_out"]
    synth = result["cells_synthetic"]

    def share(pair: Sequence[int]) -> float | None:
        return round(pair[0] / pair[1], 6) if pair[1] else None

    figures = {
        "documents": result["documents"],
        "reports": result["reports"],
        "line_macro_f1": {who: lines[who]["macro_f1"] for who in ("model", "cascade", "rules")},
        "line_accuracy": {who: lines[who]["accuracy"] for who in ("model", "cascade", "rules")},
        "cells_right": {
            **{f"{part}_left_out": {who: share(cells[part][who]) for who in ("cascade", "rules")}
               for part in ("seeds", "corpus")},
            f"synthetic_seed_{synth['generator_seed']}": {who: share(synth[who]) for who in ("cascade", "rules")},
        },
        "report": Path(report_file).name if report_file else None,
    }
    card.setdefault("metrics", {})["leave_one_report_out"] = figures
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return figures
