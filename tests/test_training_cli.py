"""gixml train / evaluate / annotate: the retraining loop end to end."""
from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest
from conftest import ROOT, SHARED
from gixml.training.annotations import documents, read_records

from gixml.cli import main
from gixml.lines.normalise import normalise
from gixml.lines.rules import RuleLabeller
from gixml.lines.scorer import load_line_classifier
from gixml.lines.tokenise import tokenise

SEED_ANNOTATIONS = ROOT / "annotations" / "seeds"


def test_annotate_then_train_then_extract_with_the_new_model(tmp_path, capsys):
    seed = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[2]
    ann = tmp_path / "annotations"
    shutil.copytree(SEED_ANNOTATIONS, ann / "seeds")
    shutil.copy(ROOT / "annotations" / "values.tsv", ann / "values.tsv")
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
    err = capsys.readouterr().err
    assert f"{len(records)} lines no person has checked were left out" in err
    assert re.search(r"line labels right on these annotated documents \(checked lines\): before \d+\.\d\d% .*"
                     r"→ after \d+\.\d\d%", err)
    assert f"gixml extract --model {models} FILE" in err
    _, card = load_line_classifier(models / "line-classifier")
    assert card["training_data"]["documents"] == 6 and card["training_data"]["synthetic_documents"] == 5
    assert sorted(p.name for p in (models / "value-prior").iterdir()) == ["card.json", "prior.json"]
    assert main(["extract", "-q", "--model", str(models / "line-classifier"), str(seed)]) == 0
    assert '"requests.new_received.total"' in capsys.readouterr().out
    assert main(["extract", "-q", "--model", str(models), str(seed)]) == 0  # the folder train wrote
    assert '"requests.new_received.total"' in capsys.readouterr().out


def test_train_on_a_zoo_that_was_not_built_for_training_is_one_clear_error(tmp_path, capsys):
    (tmp_path / "zoo" / "labels").mkdir(parents=True)
    assert main(["train", "--annotations", str(SEED_ANNOTATIONS), "--zoo", str(tmp_path / "zoo"),
                 "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "zoo") in err and "no readable MANIFEST.json" in err and "Traceback" not in err
    assert not (tmp_path / "m").exists()


def test_train_on_a_missing_folder_is_one_clear_error(tmp_path, capsys):
    assert main(["train", "--annotations", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "nowhere: no such file or folder" in err and "Traceback" not in err


def test_extract_with_a_broken_model_is_one_clear_error(tmp_path, capsys):
    shutil.copy(ROOT / "models" / "line-classifier" / "card.json", tmp_path / "card.json")
    (tmp_path / "model.npz").write_bytes(b"not a model")
    seed = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[0]
    assert main(["extract", "--model", str(tmp_path), str(seed)]) == 1
    assert "model.npz: is not a readable gixml model" in capsys.readouterr().err


def test_evaluate_prints_per_label_figures_and_cell_scores(tmp_path, capsys):
    ann = tmp_path / "annotations"
    for f in sorted(SEED_ANNOTATIONS.glob("*.jsonl"))[:3]:
        (ann / "seeds").mkdir(parents=True, exist_ok=True)
        shutil.copy(f, ann / "seeds" / f.name)
    # the annotation files name their sources relative to themselves: keep that layout
    fixtures = tmp_path / "tests" / "fixtures"
    shutil.copytree(ROOT / "tests" / "fixtures", fixtures)
    report = tmp_path / "EVAL.md"
    card = tmp_path / "card.json"
    card.write_text('{"name": "a model", "metrics": {"training_accuracy": 1.0}}', encoding="utf-8")
    assert main(["evaluate", "--annotations", str(ann), "--jobs", "1", "--synthetic", "5",
                 "--synthetic-test", "3", "--write", str(report), "--card", str(card)]) == 0
    text = capsys.readouterr().out
    assert text == report.read_text(encoding="utf-8")
    figures = json.loads(card.read_text(encoding="utf-8"))["metrics"]["leave_one_report_out"]
    assert figures["reports"] == 3 and figures["report"] == "EVAL.md"
    assert 0 < figures["line_macro_f1"]["cascade"] <= 1 and figures["cells_right"]["seeds_left_out"]["rules"] > 0.5
    for label in ("heading", "label", "number", "row", "prose", "noise", "**macro**"):
        assert f"| {label} |" in text
    assert "| seeds (left out of training) |" in text and "| synthetic, 3 documents" in text


def _shipped_zoo(tmp_path):
    """The converter zoo the shipped model was trained on, rebuilt by the command its card names
    (None when it was trained without one); skips when this machine lacks one of its converters."""
    from gixml.training.zoo import convert, dataset

    _, card = load_line_classifier()
    zoo = card["training_data"].get("zoo")
    if not zoo:
        return None
    lacking = [need for name in zoo["converters"] for need in convert.missing(convert.CONVERTERS[name])]
    if lacking or not convert.can_make_pdf():
        pytest.skip("rebuilding the shipped model's converter zoo needs "
                    + (", ".join(sorted(set(lacking))) or "LibreOffice (apt-get install libreoffice-writer-nogui)"))
    args = zoo["command"].split()
    per_format, seed = int(args[args.index("--per-format") + 1]), int(args[args.index("--seed") + 1])
    made = dataset.build(tmp_path / "zoo", per_format=per_format, seed=seed, log=lambda m: None)
    assert dataset.digest(made) == zoo["digest"], "the zoo rebuilt from its command differs from the one trained on"
    return tmp_path / "zoo"


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared holds the sources of some annotations")
def test_gixml_train_reproduces_the_shipped_models(tmp_path):
    zoo = _shipped_zoo(tmp_path)
    assert main(["train", "--out", str(tmp_path / "m"), *(["--zoo", str(zoo)] if zoo else [])]) == 0
    tmp_path = tmp_path / "m"
    shipped, shipped_card = load_line_classifier()
    fresh, fresh_card = load_line_classifier(tmp_path / "line-classifier")
    # the card too: its evaluation figures are kept while the training is the same
    assert fresh_card == shipped_card
    # the weights up to the solver's last digits (the shipped model was fitted on another machine:
    # its weights differ from a refit here by at most 3e-6)
    assert fresh.feature_names == shipped.feature_names
    assert np.abs(fresh.coef - shipped.coef).max() < 1e-4
    docs = documents(ROOT / "annotations")
    for d in docs[:8]:
        lines = normalise(d.text)
        tokens = tokenise(lines)
        rules = [RuleLabeller().predict_one(line, toks) for line, toks in zip(lines, tokens)]
        which = [i for i, line in enumerate(lines) if line.text.strip()]
        a = fresh.predict_lines(lines, tokens, rules, which)
        b = shipped.predict_lines(lines, tokens, rules, which)
        assert abs(a - b).max() < 1e-6
    # the value prior is refitted from annotations/values.tsv to the same files
    for name in ("prior.json", "card.json"):
        assert (tmp_path / "value-prior" / name).read_text() == (ROOT / "models" / "value-prior" / name).read_text()


def test_train_names_its_folder_and_replaces_the_shipped_models_only_on_purpose(tmp_path, capsys):
    assert main(["train", "--annotations", str(ROOT / "annotations")]) == 2
    assert "name the folder to train into (--out DIR" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # one or the other
        main(["train", "--out", str(tmp_path), "--replace-shipped"])


def test_replacing_the_shipped_models_refuses_when_sources_are_missing(tmp_path, monkeypatch):
    """Without ../shared the corpus annotations have no text: a model trained without them is
    weaker, and must not silently replace the shipped one."""
    from gixml.errors import AnnotationError
    from gixml.training import train as training

    ann = tmp_path / "annotations"
    shutil.copytree(SEED_ANNOTATIONS, ann / "seeds")
    first = sorted((ann / "seeds").glob("*.jsonl"))[0]
    records = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    for r in records:
        r["source"], r["text"] = "../nowhere/gone.txt", None
    (ann / "seeds" / "gone.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                              encoding="utf-8")
    shipped = (ROOT / "models" / "line-classifier" / "model.npz").read_bytes()
    with pytest.raises(AnnotationError, match="1 of 6 annotation files have no source text.*not replacing"):
        training.train(ann, replace_shipped=True, synthetic=0, log=lambda m: None)
    assert (ROOT / "models" / "line-classifier" / "model.npz").read_bytes() == shipped
    logged: list[str] = []
    training.train(ann, tmp_path / "mine", synthetic=0, log=logged.append)  # into a folder of the user's: a warning
    assert any(m.startswith("WARNING: 1 of 6 annotation files have no source text") for m in logged)
    monkeypatch.setattr(training, "REPO", tmp_path / "mine")  # an installed gixml: no checkout around it
    with pytest.raises(AnnotationError, match="installed package, not a checkout"):
        training.shipped_models_folder()
    monkeypatch.chdir(tmp_path / "mine")
    with pytest.raises(AnnotationError, match="name yours with --annotations DIR"):
        training.default_annotations()


def test_review_set_and_check_say_what_they_did(tmp_path, capsys):
    from gixml.training.review import main as review

    ann = tmp_path / "a.jsonl"
    seed = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[0]
    assert main(["annotate", str(seed), "-o", str(ann)]) == 0
    capsys.readouterr()
    label = read_records(ann)[2]["label"]
    other = "noise" if label != "noise" else "prose"
    assert review(["set", str(ann), f"3-4={other}"]) == 0
    out = capsys.readouterr().out
    assert f"lines 3-4 → {other}:" in out and "2 now checked" in out
    assert review(["check", str(ann)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\d+ lines newly checked \(2 already were\); 0 unchecked left", out)
    assert review(["set", str(ann), "3=nonsense"]) == 1
    assert "no label 'nonsense'" in capsys.readouterr().err


def test_review_cell_moves_a_value_to_the_cell_a_person_names(tmp_path, capsys):
    from gixml.training.review import main as review

    src = tmp_path / "report.txt"
    src.write_text("二、主动公开政府信息情况\n规章\t3\t0\t0\n", encoding="utf-8")
    ann = tmp_path / "a.jsonl"
    assert main(["annotate", str(src), "-o", str(ann)]) == 0
    capsys.readouterr()
    assert review(["cell", str(ann), "2:3-4=active.regulations.repealed", "2:5-6=active.regulations.new_made"]) == 0
    out = capsys.readouterr().out
    assert "line 2 '3' → active.regulations.repealed" in out
    records = read_records(ann)
    cells = {c[2]: tuple(c[:2]) for c in records[1]["cells"]}
    assert cells["active.regulations.repealed"] == (3, 4) and cells["active.regulations.new_made"] == (5, 6)
    assert len(cells) == len(set(cells.values()))  # a key in one place, a place with one key
    assert review(["show", str(ann)]) == 0
    assert "[3:4] active.regulations.repealed = 3" in capsys.readouterr().out
    assert review(["cell", str(ann), "2:3-4=-"]) == 0
    assert "active.regulations.repealed" not in {c[2] for c in read_records(ann)[1]["cells"]}
    assert review(["cell", str(ann), "2:3-4=active.nowhere.x"]) == 1
    assert "is not a cell key" in capsys.readouterr().err
    assert review(["cell", str(ann), "2:30-34=active.regulations.repealed"]) == 1
    assert "has no characters 30-34" in capsys.readouterr().err


def test_training_says_how_many_annotated_cells_extraction_reads_before_and_after(tmp_path, capsys):
    from gixml.training.review import main as review

    ann = tmp_path / "annotations"
    shutil.copytree(SEED_ANNOTATIONS, ann / "seeds")
    seed = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[0]
    mine = ann / "mine" / "seed.jsonl"
    assert main(["annotate", str(seed), "-o", str(mine)]) == 0
    records = read_records(mine)
    text = seed.read_text(encoding="utf-8").split("\n")
    printed = {c[2]: text[r["line"] - 1][c[0]:c[1]] for r in records for c in r["cells"] or ()}
    first = next(r for r in records if len(r["cells"] or ()) >= 1)
    start, end, key = first["cells"][0]
    other = next(k for k, v in printed.items() if v.strip() != printed[key].strip())  # another value's cell
    assert review(["check", str(mine)]) == 0
    assert review(["cell", str(mine), f"{first['line']}:{start}-{end}={other}"]) == 0  # a "correction"
    capsys.readouterr()
    assert main(["train", "--annotations", str(ann), "--out", str(tmp_path / "m"), "--synthetic", "0"]) == 0
    err = capsys.readouterr().err
    m = re.search(r"cells extracted as annotated \(\"cells\" of 1 documents\): before (\d+)/(\d+) → after "
                  r"(\d+)/(\d+)", err)
    assert m, err
    right, total = int(m[1]), int(m[2])
    assert total == sum(len(r["cells"] or ()) for r in read_records(mine)) and right <= total - 1
