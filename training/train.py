"""Train the models from ``annotations/`` → ``models/``: the line classifier and the value prior.

    gixml train (--out DIR | --replace-shipped) [--annotations DIR] [--zoo DIR] [--synthetic N] [--seed S]

The lines come from three places: the hand annotations (``annotations/``,
weight 1), synthetic layouts (``synth.py``, weight ``SYNTHETIC_WEIGHT``) and,
with ``--zoo``, the converter zoo's labelled texts (``zoo/dataset.py``: synthetic
reports rendered as web pages, Word files and PDFs and read back by the
converters users run, labelled by alignment; weight ``ZOO_WEIGHT``). The
shipped model is trained with all three:

    python -m gixml.training.zoo.dataset --out zoo-train/
    gixml train --zoo zoo-train/ --replace-shipped

Each model goes into its own folder with its card: ``models/line-classifier/``
(``model.npz``, ``card.json``) and ``models/value-prior/`` (``prior.json``,
``card.json``). Reproducible: the same annotations, the same
``--synthetic``/``--seed`` and the same library versions give the same models
(the solver is deterministic and the synthetic documents come from a seeded
generator).
"""
from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gixml.confidence import MODEL_THRESHOLD, RULE_THRESHOLD
from gixml.errors import AnnotationError
from gixml.lines.labels import LineLabel
from gixml.lines.normalise import Line, normalise
from gixml.lines.scorer import CARD_FILE, shipped_folder
from gixml.records import CellKey

from .annotations import AnnotatedDocument, annotation_files, documents, sha256_of
from .estimator import LineClassifier, card_header, save_model
from .prior import train_prior
from .synth import generate_corpus
from .zoo import dataset as zoo_dataset
from .zoo.dataset import ZooDocument

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SYNTHETIC = 150
DEFAULT_SEED = 0
# Synthetic lines augment the real ones with a smaller weight: real documents stay the authority.
SYNTHETIC_WEIGHT = 0.3
# The zoo's lines are real converters' output of synthetic reports, labelled by alignment.
ZOO_WEIGHT = 0.3


def default_annotations() -> Path:
    """``annotations/`` of the current folder, else of the checkout gixml runs
    from; an :class:`AnnotationError` when neither has one (gixml installed
    with pip carries no annotations: name them with ``--annotations DIR``)."""
    for base in (Path.cwd(), REPO):
        if (base / "annotations").is_dir():
            return base / "annotations"
    raise AnnotationError("no annotations/ folder here or in gixml's checkout (an installed gixml carries none): "
                          "name yours with --annotations DIR", path=str(Path.cwd()))


def shipped_models_folder() -> Path:
    """The checkout's ``models/``, which ``--replace-shipped`` writes; an
    :class:`AnnotationError` when gixml runs from an installed package (whose
    models are not replaced by training)."""
    if not ((REPO / "pyproject.toml").is_file() and (REPO / "models").is_dir() and (REPO / "training").is_dir()):
        raise AnnotationError("gixml runs from an installed package, not a checkout: its shipped models are not "
                              "replaced by training; train into a folder of yours with --out DIR and extract with "
                              "--model DIR", path=str(REPO))
    return REPO / "models"


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
    X, y = [], []
    for sd in generate_corpus(n, seed=seed):
        X.append(normalise(sd.text))
        y.append([lab.value for lab in sd.labels])
    return X, y


def zoo_xy(zoo_docs: Sequence[ZooDocument]) -> tuple[list[list[Line]], list[list[str]], list[list[float]]]:
    """The zoo's texts as training documents: a line the alignment could not
    label weighs nothing (its stand-in label is never learnt)."""
    X, y, w = [], [], []
    for d in zoo_docs:
        lines = normalise(d.text)
        if len(lines) != len(d.labels):
            raise AnnotationError(f"{len(d.labels)} labels for {len(lines)} lines: rebuild the zoo",
                                  path=f"{d.style}/{d.converter}/{d.report}")
        X.append(lines)
        y.append([lab or LineLabel.NOISE.value for lab in d.labels])
        w.append([ZOO_WEIGHT if lab is not None else 0.0 for lab in d.labels])
    return X, y, w


def fit(docs: Sequence[AnnotatedDocument], *, synthetic: int = DEFAULT_SYNTHETIC, seed: int = DEFAULT_SEED,
        params: dict[str, Any] | None = None, zoo_docs: Sequence[ZooDocument] = ()) -> LineClassifier:
    """Fit a classifier on real documents plus ``synthetic`` generated ones and
    the zoo's labelled texts. Lines no person has checked (``checked: false``,
    as ``gixml annotate`` writes them) weigh nothing: a model learning its own
    guesses learns nothing."""
    X, y = xy(docs)
    w = [[1.0 if checked else 0.0 for checked in d.checked] for d in docs]
    if synthetic:
        sX, sy = synthetic_xy(synthetic, seed)
        X, y = X + sX, y + sy
        w += [[SYNTHETIC_WEIGHT] * len(labels) for labels in sy]
    if zoo_docs:
        zX, zy, zw = zoo_xy(zoo_docs)
        X, y, w = X + zX, y + zy, w + zw
    return LineClassifier(**(params or {})).fit(X, y, sample_weight=w)


def zoo_card(zoo: Path, zoo_docs: Sequence[ZooDocument]) -> dict[str, Any]:
    """What a model card records of the zoo it was trained on."""
    made = zoo_dataset.manifest(zoo)
    return {"command": made["command"], "digest": zoo_dataset.digest(made), "converters": made["converters"],
            "documents": len(zoo_docs), "lines": sum(1 for d in zoo_docs for lab in d.labels if lab is not None),
            "weight": ZOO_WEIGHT}


def train(annotations: str | Path | None = None, out: str | Path | None = None, *, synthetic: int = DEFAULT_SYNTHETIC,
          seed: int = DEFAULT_SEED, params: dict[str, Any] | None = None, replace_shipped: bool = False,
          allow_missing_sources: bool = False, zoo: str | Path | None = None,
          log: Callable[[str], Any] = print) -> dict[str, Any]:
    """Train both models on the annotations and write each into its folder under
    ``out`` with its card; returns the line classifier's card.

    ``out`` is a folder of the user's; the checkout's shipped ``models/`` is
    written only with ``replace_shipped`` (and then only with every annotated
    document's source on this machine, unless ``allow_missing_sources``: a
    model trained on fewer documents would silently be weaker). It logs what
    was trained on, the lines left out, and the line labels right on the
    annotated documents before (the model extraction used so far) and after."""
    if (out is None) == (not replace_shipped):
        raise ValueError("name the folder to train into (--out DIR, then `gixml extract --model DIR`), or "
                         "--replace-shipped to replace the models of this checkout")
    annotations = Path(annotations) if annotations else default_annotations()
    out = Path(out) if out is not None else shipped_models_folder()
    started = time.perf_counter()
    files = annotation_files(annotations)
    docs = documents(files)
    if not docs:
        raise AnnotationError("holds no annotated document whose text is available", path=str(annotations))
    skipped = len(files) - len(docs)
    if skipped:
        message = (f"{skipped} of {len(files)} annotation files have no source text on this machine (../shared "
                   "is not here?): a model trained without them is weaker than the shipped one")
        if replace_shipped and not allow_missing_sources:
            raise AnnotationError(message + "; not replacing the shipped models (--allow-missing-sources to do it "
                                  "anyway)", path=str(annotations))
        log(f"WARNING: {message}")
    unchecked = sum(1 for d in docs for c in d.checked if not c)
    if unchecked:
        log(f"{unchecked} lines no person has checked were left out (\"checked\": false; check them with "
            "`python -m gixml.training.review set/check FILE`)")
    if zoo is not None:
        zoo_dataset.manifest(Path(zoo))  # (before any work: a zoo dataset.py did not build is refused)
    zoo_docs = zoo_dataset.documents(Path(zoo)) if zoo is not None else []
    if zoo is not None and not zoo_docs:
        raise AnnotationError("holds no labelled text (zoo/labels/…): build it with `python -m "
                              "gixml.training.zoo.dataset --out DIR`", path=str(zoo))
    shipped_zoo = _shipped_training().get("zoo")
    if zoo is None and shipped_zoo:
        log(f"note: the shipped model was also trained on a converter zoo ({shipped_zoo['command']}); without "
            "--zoo this model learns no converter's layout but those of the annotations")
    before = _labels_right(docs, None)
    cells_before = _cells_right(docs, None)
    model = fit(docs, synthetic=synthetic, seed=seed, params=params, zoo_docs=zoo_docs)
    reviewed = reviewed_lines(docs, model)
    counts = Counter(lab.value for d in docs for lab in d.labels)
    X, y = xy(docs)
    predicted = model.predict(X)
    correct = sum(p == t for ps, ts in zip(predicted, y) for p, t in zip(ps, ts))
    total = sum(len(ts) for ts in y)
    card: dict[str, Any] = {
        "name": "gixml line classifier",
        "labels": [lab.value for lab in LineLabel],
        "estimator": "LineClassifier (hashed char n-grams + shape/position/context features → LogisticRegression), "
                     "compiled to a LinearScorer",
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
            "zoo": zoo_card(Path(zoo), zoo_docs) if zoo is not None else None,
            "files": {Path(d.path).relative_to(annotations).as_posix(): {"annotation_sha256": sha256_of(d.path),
                                                                          "source_sha256": d.sha256} for d in docs},
        },
        "metrics": {"training_accuracy": round(correct / total, 4)},
        "reviewed_lines": reviewed,
    }
    folder = out / "line-classifier"
    card["metrics"]["leave_one_report_out"] = _evaluation_kept(folder / CARD_FILE, card)
    model_path, card_path = save_model(model, card, folder)
    values = annotations / "values.tsv"
    if values.exists():
        prior_card = train_prior(values, out / "value-prior")
        prior_note = f"{out / 'value-prior'} ({prior_card['metrics']['leave_one_report_out']})"
    else:
        prior_note = f"no {values}: value prior not refitted"
    after = _labels_right(docs, folder)
    cells_after = _cells_right(docs, folder)
    log(f"trained on {len(docs)} documents of {len({group_of(d) for d in docs})} reports ({total} lines, "
        f"{unchecked} unchecked left out) + {synthetic} synthetic"
        + (f" + {len(zoo_docs)} zoo texts" if zoo_docs else "") + f" in {time.perf_counter() - started:.1f} s → "
        f"{model_path} ({model_path.stat().st_size / 1e6:.2f} MB), {card_path}; value prior → {prior_note}")
    log(f"line labels right on these annotated documents (checked lines): before {before:.2%} (the model "
        f"extraction used so far) → after {after:.2%}" + ("" if replace_shipped else
                                                          f"; extract with it: gixml extract --model {out} FILE"))
    if cells_before[1]:
        log(f"cells extracted as annotated (\"cells\" of {cells_before[2]} documents): before "
            f"{cells_before[0]}/{cells_before[1]} → after {cells_after[0]}/{cells_after[1]}")
    return card


def _shipped_training() -> dict[str, Any]:
    """The shipped line classifier's ``training_data`` (empty when its card is unreadable)."""
    try:
        return dict(json.loads((shipped_folder() / CARD_FILE).read_text(encoding="utf-8"))["training_data"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _cells_right(docs: Sequence[AnnotatedDocument], model: Path | None) -> tuple[int, int, int]:
    """(cells right, cells annotated, documents) over the documents whose
    lines carry cells: extraction with the model in ``model`` (or the
    shipped one) against the annotated values."""
    from gixml.lines.cascade import labeller_for
    from gixml.pipeline import extract_text

    labeller = labeller_for(model)
    right = total = n = 0
    for d in docs:
        want = d.cell_values()
        if want is None:
            continue
        got = {str(k): c.value for k, c in extract_text(d.text, labeller=labeller).cells.items()}
        r, t = cell_score(got, want)
        right, total, n = right + r, total + t, n + 1
    return right, total, n


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def cell_score(cells: Mapping[str, Any], truth_cells: Mapping[str, Any] | Mapping[CellKey, Any],
               skip: Sequence[str] = ()) -> tuple[int, int]:
    """(cells right, cells scored), as ``tools/score.py`` counts them; the keys in ``skip`` are not scored."""
    truth = [(str(k), v) for k, v in truth_cells.items() if k not in set(skip)]
    return sum(_same(cells.get(k), v) for k, v in truth), len(truth)


#: A line is remembered (``reviewed_lines``) only when its text holds this many characters and a CJK one:
#: a bare number or page mark means different things in different places.
REVIEWED_MIN_CHARS = 4


def reviewed_lines(docs: Sequence[AnnotatedDocument], model: Any) -> dict[str, str]:
    """The checked lines the cascade with ``model`` still labels otherwise than
    the person did: their stripped normalised text → the person's label. A
    text labelled two ways anywhere in the annotations is left out, as are
    short texts and texts without a CJK character (``REVIEWED_MIN_CHARS``).
    Extraction gives these lines the person's label (``CascadeLabeller.reviewed``)."""
    from gixml.lines.cascade import CascadeLabeller
    from gixml.lines.tokenise import tokenise

    cascade = CascadeLabeller(model, rule_threshold=RULE_THRESHOLD, model_threshold=MODEL_THRESHOLD)
    wrong: dict[str, str] = {}
    seen: dict[str, set[str]] = {}
    for d in docs:
        lines = normalise(d.text)
        labels = cascade.label(lines, tokenise(lines))
        for line, (got, _, _), want, checked in zip(lines, labels, d.labels, d.checked):
            if not checked:
                continue
            text = line.text.strip()
            seen.setdefault(text, set()).add(LineLabel(want).value)
            if LineLabel(got) != want and len(text) >= REVIEWED_MIN_CHARS \
                    and any("\u4e00" <= ch <= "\u9fff" for ch in text):
                wrong[text] = LineLabel(want).value
    return {text: label for text, label in sorted(wrong.items()) if len(seen[text]) == 1}


def _labels_right(docs: Sequence[AnnotatedDocument], model: Path | None) -> float:
    """The share of checked lines that extraction's labeller (the rules, then
    the model in ``model``, or the shipped one) labels as annotated."""
    from gixml.lines.cascade import labeller_for
    from gixml.lines.tokenise import tokenise

    labeller = labeller_for(model)
    right = total = 0
    for d in docs:
        lines = normalise(d.text)
        labels = labeller.label(lines, tokenise(lines))
        for (label, _, _), want, checked in zip(labels, d.labels, d.checked):
            if checked:
                total += 1
                right += LineLabel(label) == want
    return right / total if total else 0.0


#: What must be the same for an earlier evaluation to describe a retrained model.
_SAME_MODEL = ("label_version", "feature_version", "libraries", "params", "rule_threshold", "model_threshold",
               "training_data")


def _evaluation_kept(card_path: Path, card: dict[str, Any]) -> Any:
    """The figures ``gixml evaluate --card`` recorded for the same training, in
    the card being replaced or in the shipped one (so that retraining an
    unchanged checkout reproduces the card too); otherwise a note to run it."""
    new = {**card_header(), **card}
    for path in (card_path, shipped_folder() / CARD_FILE):
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if all(json.dumps(old.get(k), sort_keys=True) == json.dumps(new.get(k), sort_keys=True) for k in _SAME_MODEL):
            figures = old.get("metrics", {}).get("leave_one_report_out")
            if isinstance(figures, dict):
                return figures
    return "not evaluated: run `gixml evaluate --card models/line-classifier/card.json`"
