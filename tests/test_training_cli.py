"""gixml train / evaluate / annotate: the retraining loop end to end."""
from __future__ import annotations

import shutil

import pytest

from gixml.annotations import documents, read_records
from gixml.classify import load_model
from gixml.cli import main

from conftest import ROOT, SHARED

SEED_ANNOTATIONS = ROOT / "annotations" / "seeds"


def test_annotate_then_train_then_extract_with_the_new_model(tmp_path, capsys):
    seed = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[2]
    ann = tmp_path / "annotations"
    shutil.copytree(SEED_ANNOTATIONS, ann / "seeds")
    out = ann / "mine" / "report.jsonl"
    assert main(["annotate", str(seed), "-o", str(out), "--least-confident-first"]) == 0
    records = read_records(out)
    assert len(records) == len(seed.read_text(encoding="utf-8").split("\n"))
    raw = out.read_text(encoding="utf-8").splitlines()
    confidences = [float(line.split('"confidence": ')[1].split(",")[0]) for line in raw]
    assert confidences == sorted(confidences)
    assert "with confidence below 0.9" in capsys.readouterr().err

    models = tmp_path / "models"
    assert main(["train", "--annotations", str(ann), "--out", str(models), "--synthetic", "5"]) == 0
    model, card = load_model(models / "line-classifier.joblib")
    assert card["training_data"]["documents"] == 6 and card["training_data"]["synthetic_documents"] == 5
    assert main(["extract", "-q", "--model", str(models / "line-classifier.joblib"), str(seed)]) == 0
    assert '"requests.new_received.total"' in capsys.readouterr().out


def test_train_on_a_missing_folder_is_one_clear_error(tmp_path, capsys):
    assert main(["train", "--annotations", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "nowhere: no such file or folder" in err and "Traceback" not in err


def test_extract_with_a_broken_model_is_one_clear_error(tmp_path, capsys):
    bad = tmp_path / "m.joblib"
    bad.write_bytes(b"not a model")
    seed = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[0]
    assert main(["extract", "--model", str(bad), str(seed)]) == 1
    assert "m.joblib: is not a readable gixml model" in capsys.readouterr().err


def test_evaluate_prints_per_label_figures_and_cell_scores(tmp_path, capsys):
    ann = tmp_path / "annotations"
    for f in sorted(SEED_ANNOTATIONS.glob("*.jsonl"))[:3]:
        (ann / "seeds").mkdir(parents=True, exist_ok=True)
        shutil.copy(f, ann / "seeds" / f.name)
    # the annotation files name their sources relative to themselves: keep that layout
    fixtures = tmp_path / "tests" / "fixtures"
    shutil.copytree(ROOT / "tests" / "fixtures", fixtures)
    report = tmp_path / "EVAL.md"
    assert main(["evaluate", "--annotations", str(ann), "--jobs", "1", "--synthetic", "5",
                 "--synthetic-test", "3", "--write", str(report)]) == 0
    text = capsys.readouterr().out
    assert text == report.read_text(encoding="utf-8")
    for label in ("heading", "label", "number", "row", "prose", "noise", "**macro**"):
        assert f"| {label} |" in text
    assert "| seeds (left out of training) |" in text and "| synthetic, 3 documents" in text


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared holds the sources of some annotations")
def test_gixml_train_reproduces_the_shipped_model(tmp_path):
    assert main(["train", "--out", str(tmp_path)]) == 0
    shipped, shipped_card = load_model()
    fresh, fresh_card = load_model(tmp_path / "line-classifier.joblib")
    assert fresh_card["training_data"] == shipped_card["training_data"]
    assert fresh_card["params"] == shipped_card["params"]
    docs = documents(ROOT / "annotations")
    from gixml.normalise import normalise

    X = [normalise(d.text) for d in docs]
    assert fresh.predict(X) == shipped.predict(X)
    for a, b in zip(fresh.predict_proba(X[:5]), shipped.predict_proba(X[:5])):
        assert abs(a - b).max() < 1e-6
    # the compiled scorer that extraction uses is the same too
    from gixml.classify import load_scorer
    from gixml.labels import RuleLabeller
    from gixml.tokenise import tokenise

    fresh_scorer, _ = load_scorer(tmp_path / "line-classifier.npz")
    shipped_scorer, _ = load_scorer()
    for lines in X[:5]:
        tokens = tokenise(lines)
        rules = [RuleLabeller().predict_one(line, toks) for line, toks in zip(lines, tokens)]
        which = [i for i, line in enumerate(lines) if line.text.strip()]
        a = fresh_scorer.predict_lines(lines, tokens, rules, which)
        b = shipped_scorer.predict_lines(lines, tokens, rules, which)
        assert abs(a - b).max() < 1e-6
    # the value prior is refitted from annotations/values.tsv to the same file
    assert (tmp_path / "value-prior.json").read_text() == (ROOT / "models" / "value-prior.json").read_text()
