"""The annotation files: format, loading, checks against their sources."""
from __future__ import annotations

import json

import pytest
from conftest import ROOT, SHARED
from gixml.training.annotations import AnnotationError, documents, load, prelabel, read_document, read_records, write

from gixml.lines.labels import LineLabel
from gixml.lines.rules import RuleLabeller

ANNOTATIONS = ROOT / "annotations"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def _copy_into_repo() -> dict[str, bool]:
    out = {}
    for case in (SHARED / "corpus").iterdir() if (SHARED / "corpus").is_dir() else []:
        out[case.name] = json.loads((case / "source.json").read_text(encoding="utf-8")).get("copy_into_repo") is True
    return out


def test_every_shipped_annotation_file_is_well_formed_and_fully_checked():
    files = sorted(ANNOTATIONS.rglob("*.jsonl"))
    assert len(files) >= 5
    for f in files:
        records = read_records(f)
        assert all(r["checked"] for r in records), f"{f}: unchecked lines"


def test_no_text_of_a_report_that_may_not_be_copied_is_in_the_repository():
    allowed = _copy_into_repo()
    if not allowed:
        pytest.skip("../shared is not on this machine")
    for f in (ANNOTATIONS / "corpus").rglob("*.jsonl"):
        case = f.parent.name
        if not allowed[case]:
            assert all(r["text"] is None for r in read_records(f)), f"{f} holds text of {case}"


def test_seed_annotations_match_their_sources_line_for_line():
    for seed in sorted(SEEDS.glob("*.txt")):
        doc = read_document(ANNOTATIONS / "seeds" / f"{seed.stem}.jsonl")
        assert doc is not None
        raw_lines = seed.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert list(doc.lines) == raw_lines


def test_textless_records_are_filled_from_the_source_and_checked_by_hash(tmp_path):
    src = tmp_path / "report.txt"
    src.write_text("二、主动公开政府信息情况\n规章\t0\t0\t0\n- 2 -\n", encoding="utf-8")
    target = tmp_path / "ann" / "report.jsonl"
    write(target, prelabel(src, labeller=RuleLabeller(), include_text=False, relative_to=target.parent))
    assert all(r["text"] is None for r in read_records(target))
    doc = read_document(target)
    assert doc is not None and doc.lines[1] == "规章\t0\t0\t0"
    assert doc.labels[:3] == (LineLabel.HEADING, LineLabel.ROW, LineLabel.NOISE)
    src.write_text("二、主动公开政府信息情况\n规章\t0\t0\t9\n- 2 -\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="has changed"):
        read_document(target)
    src.unlink()
    assert read_document(target) is None  # source absent: skipped, not an error
    assert documents([target]) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "holds no records"),
        ("not json\n", "line 1 is not JSON"),
        ('{"line": 1, "label": "table", "source": "x", "sha256": "y"}\n', "unknown label 'table'"),
        ('{"line": 1, "label": "prose", "source": "x"}\n', "lacks sha256"),
        ('{"line": 2, "label": "prose", "source": "x", "sha256": "y"}\n', "one record per line"),
        ('{"line": 1, "label": "prose", "source": "x", "sha256": "y"}\n'
         '{"line": 2, "label": "prose", "source": "z", "sha256": "y"}\n', "several sources"),
    ],
)
def test_malformed_annotation_files_are_refused_with_the_file_named(tmp_path, content, problem):
    f = tmp_path / "bad.jsonl"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(AnnotationError, match=problem) as info:
        read_records(f)
    assert str(f) in str(info.value)


def test_load_returns_a_datasets_dataset_of_every_line():
    ds = load(ANNOTATIONS / "seeds")
    assert set(ds.column_names) >= {"doc", "line", "label", "text", "checked", "source", "sha256"}
    total = sum(len(read_records(f)) for f in (ANNOTATIONS / "seeds").glob("*.jsonl"))
    assert ds.num_rows == total
    assert set(ds["label"]) <= {lab.value for lab in LineLabel}
    assert {"heading", "label", "number", "prose", "noise"} <= set(ds["label"])


def test_annotate_prefills_each_values_cell_and_the_cells_read_back_as_a_truth(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    target = tmp_path / "ann" / "seed.jsonl"
    write(target, prelabel(seed, include_text=False, relative_to=target.parent))
    records = read_records(target)
    spans = [(r["line"], c) for r in records for c in r["cells"] or ()]
    doc = read_document(target)
    assert doc is not None
    for n, (start, end, key) in spans:  # each span is the value's characters in its line
        assert doc.lines[n - 1][start:end].strip() != ""
    truth = json.loads((ROOT / "tests" / "fixtures" / "truth" / f"{seed.stem}.json").read_text(encoding="utf-8"))
    cells = doc.cell_values()
    assert cells is not None and len(cells) == len(spans) >= 150
    assert {k: v for k, v in truth["cells"].items() if k in cells} == cells


def test_a_file_without_cells_has_no_annotated_truth(tmp_path):
    target = tmp_path / "old.jsonl"
    records = read_records(ANNOTATIONS / "seeds" / f"{sorted(SEEDS.glob('*.txt'))[0].stem}.jsonl")
    for r in records:
        r.pop("cells", None)
    (tmp_path / "old.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                        encoding="utf-8")
    doc = read_document(target)
    assert doc is not None and doc.cell_values() is None


@pytest.mark.parametrize("cells, problem", [
    ([[0, 1, "active.nowhere.new_made"]], "is not a cell key of SCHEMA.md"),
    ([[0, 1]], "is not \\[start, end, key\\]"),
    ("0-1", "cells must be a list"),
    ([[3, 4, "active.regulations.new_made"], [3, 5, "active.regulations.repealed"]], "overlaps the one before"),
    ([[0, 40, "active.regulations.new_made"]], "outside the line"),
    ([[0, 2, "active.regulations.new_made"]], "which is not a value"),
])
def test_wrong_cells_are_refused_with_the_line_named(tmp_path, cells, problem):
    src = tmp_path / "report.txt"
    src.write_text("规章\t0\t0\t0\n", encoding="utf-8")
    target = tmp_path / "report.jsonl"
    records = prelabel(src, labeller=RuleLabeller(), relative_to=tmp_path)
    records[0]["cells"] = cells
    write(target, records)
    with pytest.raises(AnnotationError, match=problem) as e:
        read_document(target)
    assert str(target) in str(e.value)
