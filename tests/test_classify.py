"""The line classifier: estimator API, the shipped model, persistence, the cascade."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from sklearn.base import clone

from gixml.classify import (
    CARD_NAME,
    MODEL_NAME,
    CascadeLabeller,
    LineClassifier,
    default_model_path,
    load_model,
    save_model,
)
from gixml.errors import ModelError
from gixml.features import FEATURE_VERSION
from gixml.labels import LABEL_VERSION, LineLabel, RuleLabeller, label_lines
from gixml.normalise import normalise
from gixml.pipeline import extract
from gixml.tokenise import tokenise
from gixml.training.synth import generate_corpus


@pytest.fixture(scope="module")
def small_model():
    docs = generate_corpus(12, seed=3)
    X = [normalise(d.text) for d in docs]
    y = [[lab.value for lab in d.labels] for d in docs]
    return LineClassifier(C=1.0, n_features=2**12).fit(X, y), X, y


def test_the_shipped_model_loads_with_a_card_matching_this_code():
    model, card = load_model()
    assert isinstance(model, LineClassifier)
    assert card["labels"] == [lab.value for lab in LineLabel]
    assert card["label_version"] == LABEL_VERSION and card["feature_version"] == FEATURE_VERSION
    assert default_model_path().stat().st_size < 10 * 1024 * 1024
    assert card["training_data"]["documents"] >= 5 and card["training_data"]["unchecked_lines"] == 0
    shipped_card = json.loads(default_model_path().with_name(CARD_NAME).read_text(encoding="utf-8"))
    assert shipped_card == json.loads(json.dumps(card))


def test_estimator_api_one_label_and_one_probability_row_per_line(small_model):
    model, X, y = small_model
    predicted = model.predict(X[:2])
    proba = model.predict_proba(X[:2])
    assert [len(p) for p in predicted] == [len(x) for x in X[:2]]
    assert all(p.shape == (len(x), len(model.all_classes_)) for p, x in zip(proba, X[:2]))
    assert np.allclose(proba[0].sum(axis=1), 1.0)
    blank = [i for i, line in enumerate(X[0]) if not line.text.strip()]
    assert blank and all(predicted[0][i] == "blank" for i in blank)
    right = sum(p == t for ps, ts in zip(predicted, y[:2]) for p, t in zip(ps, ts))
    assert right / sum(map(len, y[:2])) > 0.9  # it learned its own training data
    params = model.get_params()
    assert params["C"] == 1.0 and params["n_features"] == 2**12
    assert not hasattr(clone(model), "model_")  # a clone is unfitted, as sklearn expects


def test_save_and_load_round_trip_and_version_checks(small_model, tmp_path):
    model, X, _ = small_model
    path, card_path = save_model(model, {"rule_threshold": 0.9}, tmp_path)
    loaded, card = load_model(path)
    assert loaded.predict(X[:1]) == model.predict(X[:1])
    assert json.loads(card_path.read_text(encoding="utf-8"))["feature_version"] == FEATURE_VERSION

    import joblib

    blob = joblib.load(path)
    blob["card"]["feature_version"] = FEATURE_VERSION + 1
    joblib.dump(blob, tmp_path / "old.joblib")
    with pytest.raises(ModelError, match="feature set .* retrain"):
        load_model(tmp_path / "old.joblib")
    blob["card"]["feature_version"] = FEATURE_VERSION
    blob["card"]["libraries"]["scikit-learn"] = "0.24.2"
    joblib.dump(blob, tmp_path / "sk.joblib")
    with pytest.raises(ModelError, match="scikit-learn 0.24.2"):
        load_model(tmp_path / "sk.joblib")
    (tmp_path / "broken.joblib").write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelError, match="broken.joblib: is not a readable gixml model"):
        load_model(tmp_path / "broken.joblib")
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "missing.joblib")


def test_the_cascade_keeps_confident_rules_and_asks_the_model_elsewhere(small_model):
    model, X, _ = small_model
    lines = X[0]
    tokens = tokenise(lines)
    cascade = CascadeLabeller(model, rule_threshold=0.9)
    rules = RuleLabeller()
    out = label_lines(lines, tokens, cascade)
    for ll, toks in zip(out, tokens):
        label, conf = rules.predict_one(ll.line, toks)
        if conf >= 0.9:
            assert (ll.label, ll.method, ll.confidence) == (label, "rule", round(conf, 4))
        else:
            assert ll.method == "model"
    assert {"rule", "model"} <= {ll.method for ll in out}


def test_cells_read_from_model_labelled_lines_say_so():
    found = False
    for doc in generate_corpus(12, seed=11):
        report = extract(doc.text)
        for cell in report.cells.values():
            if cell.method == "model":
                found = True
                assert cell.value is not None and cell.line is not None
                assert cell.printed in cell.source
    assert found


def test_extraction_with_the_model_is_no_worse_than_rules_on_synthetic_layouts():
    rng_docs = generate_corpus(18, seed=4242)  # a generator seed the shipped model never saw
    with_model = rules_only = total = 0
    for doc in rng_docs:
        a = extract(doc.text).values
        b = extract(doc.text, labeller=RuleLabeller()).values
        for key, want in doc.cells.items():
            total += 1
            with_model += a.get(key) == want
            rules_only += b.get(key) == want
    assert with_model >= rules_only
    assert with_model / total > 0.9
