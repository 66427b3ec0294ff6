"""Train the line classifier from ``annotations/`` (plus synthetic layouts) → ``models/``.

    gixml train [--annotations DIR] [--out DIR] [--synthetic N] [--seed S]

Reproducible: the same annotations, the same ``--synthetic``/``--seed`` and the
same library versions give the same model (the solver is deterministic and the
synthetic documents come from a seeded generator).
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..annotations import AnnotatedDocument, AnnotationError, annotation_files, documents
from ..estimator import LineClassifier, save_model
from ..labels import LineLabel
from ..normalise import Line, normalise
from ..prior import PRIOR_FILE, ValuePrior

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SYNTHETIC = 150
DEFAULT_SEED = 0
RULE_THRESHOLD = 0.9  # rules at least this sure decide a line
MODEL_THRESHOLD = 0.8  # elsewhere the model decides when at least this sure
# Synthetic lines augment the real ones with a smaller weight: real documents stay the authority.
SYNTHETIC_WEIGHT = 0.3


def default_annotations() -> Path:
    """``annotations/`` of the checkout (or of the current folder)."""
    for base in (Path.cwd(), REPO):
        if (base / "annotations").is_dir():
            return base / "annotations"
    return Path.cwd() / "annotations"


def group_of(doc: AnnotatedDocument) -> str:
    """The report a document was made from: its text inputs share a group
    (``corpus/<case>/<input>`` → ``corpus/<case>``), so evaluation never trains
    on one extraction of a report and tests on another."""
    parts = doc.doc.split("/")
    return "/".join(parts[:2]) if parts[0] == "corpus" else doc.doc


def xy(docs: Sequence[AnnotatedDocument]) -> tuple[list[list[Line]], list[list[str]]]:
    X = [normalise(d.text) for d in docs]
    y = [[lab.value for lab in d.labels] for d in docs]
    for d, lines in zip(docs, X):
        assert len(lines) == len(d.labels), d.path
    return X, y


def synthetic_xy(n: int, seed: int) -> tuple[list[list[Line]], list[list[str]]]:
    from .synth import generate_corpus

    X, y = [], []
    for sd in generate_corpus(n, seed=seed):
        X.append(normalise(sd.text))
        y.append([lab.value for lab in sd.labels])
    return X, y


def fit(docs: Sequence[AnnotatedDocument], *, synthetic: int = DEFAULT_SYNTHETIC, seed: int = DEFAULT_SEED,
        params: dict[str, Any] | None = None) -> LineClassifier:
    """Fit a classifier on real documents plus ``synthetic`` generated ones."""
    X, y = xy(docs)
    w = [[1.0] * len(labels) for labels in y]
    if synthetic:
        sX, sy = synthetic_xy(synthetic, seed)
        X, y = X + sX, y + sy
        w += [[SYNTHETIC_WEIGHT] * len(labels) for labels in sy]
    return LineClassifier(**(params or {})).fit(X, y, sample_weight=w)


def fit_prior(annotations: Path) -> ValuePrior | None:
    """The value prior, from ``values.tsv`` (see ``collect_values.py``); None without that file."""
    path = annotations / "values.tsv"
    if not path.exists():
        return None
    triples = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        if not line.strip():
            continue
        try:
            doc, fmt, key, value, unit = line.split("\t")
            triples.append((doc, fmt, key.split(".", 1)[1], float(value), unit))
        except ValueError:
            raise AnnotationError(f"line {n} is not doc, format, key, value, unit separated by tabs",
                                  path=str(path)) from None
    return ValuePrior.fit(triples)


def _file_hash(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train(annotations: str | Path | None = None, out: str | Path | None = None, *, synthetic: int = DEFAULT_SYNTHETIC,
          seed: int = DEFAULT_SEED, params: dict[str, Any] | None = None, log=print) -> dict[str, Any]:
    """Train on every annotated document and write the model and its card; returns the card."""
    annotations = Path(annotations) if annotations else default_annotations()
    out = Path(out) if out else REPO / "models"
    started = time.perf_counter()
    files = annotation_files(annotations)
    docs = documents(files)
    if not docs:
        raise AnnotationError("holds no annotated document whose text is available", path=str(annotations))
    skipped = len(files) - len(docs)
    if skipped:
        log(f"{skipped} annotation file(s) skipped: their source text is not on this machine")
    model = fit(docs, synthetic=synthetic, seed=seed, params=params)
    counts = Counter(lab.value for d in docs for lab in d.labels)
    X, y = xy(docs)
    predicted = model.predict(X)
    correct = sum(p == t for ps, ts in zip(predicted, y) for p, t in zip(ps, ts))
    total = sum(len(ts) for ts in y)
    card = {
        "name": "gixml line classifier",
        "labels": [lab.value for lab in LineLabel],
        "estimator": "LineClassifier (hashed char n-grams + shape/position/context features → LogisticRegression)",
        "params": model.get_params(),
        "rule_threshold": RULE_THRESHOLD,
        "model_threshold": MODEL_THRESHOLD,
        "training_data": {
            "documents": len(docs),
            "reports": len({group_of(d) for d in docs}),
            "lines": total,
            "lines_per_label": dict(sorted(counts.items())),
            "unchecked_lines": sum(1 for d in docs for c in d.checked if not c),
            "synthetic_documents": synthetic,
            "synthetic_seed": seed,
            "synthetic_weight": SYNTHETIC_WEIGHT,
            "files": {str(Path(d.path).relative_to(annotations)): {"annotation_sha256": _file_hash(d.path),
                                                                    "source_sha256": d.sha256} for d in docs},
        },
        "metrics": {
            "training_accuracy": round(correct / total, 4),
            "evaluation": "run `gixml evaluate` for leave-one-report-out figures (recorded in models/EVALUATION.md)",
        },
    }
    model_path, card_path = save_model(model, card, out)
    prior = fit_prior(annotations)
    prior_path = prior.save(out / PRIOR_FILE) if prior else "no values.tsv: value prior not refitted"
    log(f"trained on {len(docs)} documents ({total} lines) + {synthetic} synthetic in "
        f"{time.perf_counter() - started:.1f} s → {model_path} ({model_path.stat().st_size / 1e6:.2f} MB), {card_path}, "
        f"{prior_path}")
    return card
