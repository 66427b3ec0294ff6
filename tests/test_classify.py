"""The line classifier: estimator API, the shipped model, persistence, the cascade."""
from __future__ import annotations

import json

import numpy as np
import pytest
from gixml.training.estimator import LineClassifier, compile_scorer, save_model
from gixml.training.synth import generate_corpus
from sklearn.base import clone

from gixml.errors import ModelError
from gixml.lines.cascade import CascadeLabeller, labeller_for
from gixml.lines.features import FEATURE_VERSION
from gixml.lines.labels import LABEL_VERSION, LineLabel, label_lines
from gixml.lines.normalise import normalise
from gixml.lines.rules import RuleLabeller
from gixml.lines.scorer import CARD_FILE, MODEL_FILE, LinearScorer, load_line_classifier, shipped_folder
from gixml.lines.tokenise import tokenise
from gixml.pipeline import extract_text


@pytest.fixture(scope="module")
def small_model():
    docs = generate_corpus(12, seed=3)
    X = [normalise(d.text) for d in docs]
    y = [[lab.value for lab in d.labels] for d in docs]
    return LineClassifier(C=1.0, n_features=2**12).fit(X, y), X, y


def test_the_shipped_model_loads_with_a_card_matching_this_code():
    scorer, card = load_line_classifier()
    assert isinstance(scorer, LinearScorer)
    assert card["labels"] == [lab.value for lab in LineLabel]
    assert card["label_version"] == LABEL_VERSION and card["feature_version"] == FEATURE_VERSION
    assert (shipped_folder() / MODEL_FILE).stat().st_size < 10 * 1024 * 1024
    assert card["training_data"]["documents"] >= 5 and card["training_data"]["unchecked_lines"] == 0
    shipped_card = json.loads((shipped_folder() / CARD_FILE).read_text(encoding="utf-8"))
    assert shipped_card == card
    assert isinstance(card["metrics"]["leave_one_report_out"], dict), "run gixml evaluate --card"


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


def test_the_compiled_scorer_gives_the_estimators_probabilities(small_model):
    model, X, _ = small_model
    scorer = compile_scorer(model)
    rules = RuleLabeller()
    for lines in X[:4] + [normalise(generate_corpus(1, seed=77)[0].text)]:
        tokens = tokenise(lines)
        decided = [rules.predict_one(line, toks) for line, toks in zip(lines, tokens)]
        which = [i for i, line in enumerate(lines) if line.text.strip()]
        fast = scorer.predict_lines(lines, tokens, decided, which)
        slow = model.predict_lines(lines, tokens, decided, which)
        assert fast.shape == slow.shape and np.abs(fast - slow).max() < 1e-9


def test_save_and_load_round_trip_and_card_checks(small_model, tmp_path):
    model, X, _ = small_model
    folder = tmp_path / "model"
    path, card_path = save_model(model, {"labels": [lab.value for lab in LineLabel], "rule_threshold": 0.9,
                                         "model_threshold": 0.8}, folder)
    assert (path.name, card_path.name) == (MODEL_FILE, CARD_FILE)
    scorer, card = load_line_classifier(folder)
    assert load_line_classifier(path)[1] == card
    assert card["feature_version"] == FEATURE_VERSION and "scikit-learn" in card["libraries"]
    lines = X[0]
    tokens = tokenise(lines)
    assert labeller_for(folder).predict(lines, tokens) == CascadeLabeller(model).predict(lines, tokens)
    again = LinearScorer.load(path)
    assert again.feature_names == scorer.feature_names and np.array_equal(again.coef, scorer.coef)

    def with_card(**changes):
        other = tmp_path / f"other{len(list(tmp_path.iterdir()))}"
        other.mkdir()
        (other / MODEL_FILE).write_bytes(path.read_bytes())
        (other / CARD_FILE).write_text(json.dumps({**card, **changes}), encoding="utf-8")
        return other

    with pytest.raises(ModelError, match="feature set .* retrain"):
        load_line_classifier(with_card(feature_version=FEATURE_VERSION + 1))
    with pytest.raises(ModelError, match="label set"):
        load_line_classifier(with_card(label_version=LABEL_VERSION + 1))
    with pytest.raises(ModelError, match="other labels"):
        load_line_classifier(with_card(labels=["blank"]))
    broken = with_card()
    (broken / MODEL_FILE).write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelError, match="model.npz: is not a readable gixml model"):
        load_line_classifier(broken)
    (broken / CARD_FILE).unlink()
    with pytest.raises(ModelError, match="no readable model card"):
        load_line_classifier(broken)
    with pytest.raises(ModelError, match="no such model file"):
        load_line_classifier(tmp_path / "missing")


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
        report = extract_text(doc.text)
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
        a = extract_text(doc.text).values
        b = extract_text(doc.text, labeller=RuleLabeller()).values
        for key, want in doc.cells.items():
            total += 1
            with_model += a.get(key) == want
            rules_only += b.get(key) == want
    assert with_model >= rules_only
    assert with_model / total > 0.9
