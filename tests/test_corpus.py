"""The real reports of ../shared/corpus, reached only through their truth files.

Skipped when ../shared is absent (a clone elsewhere); CI has it.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import gixml

from conftest import corpus_cases

CASES = corpus_cases("corpus")
pytestmark = pytest.mark.skipif(not CASES, reason="../shared/corpus is not here")

# The share of truth cells extracted right over the whole corpus must not fall
# below what was last measured (python ../shared/tools/score.py ../shared/corpus).
CORPUS_CELLS_FLOOR = 0.943


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), abs_tol=1e-9)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[gixml.Report, dict]]:
    return {name: (gixml.extract(text), json.loads(truth.read_text(encoding="utf-8"))) for name, text, truth in CASES}


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_extracts_with_truth_format_and_cited_values(name: str, results: dict) -> None:
    report, truth = results[name]
    assert report.format == truth["format"]
    for key, cell in report.cells.items():
        if cell.value is None:
            continue
        assert cell.printed and cell.printed in cell.source, key
        assert cell.source == Path(report.source).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n")[cell.line - 1]


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_no_value_ever_lands_on_a_wrong_key_silently(name: str, results: dict) -> None:
    """A wrong non-null value must come with a warning or a flag that says so."""
    report, truth = results[name]
    skip = set(truth.get("ambiguous", []))
    wrong = [
        key for key, want in truth["cells"].items()
        if key not in skip and report.values.get(key) is not None and not _same(report.values.get(key), want)
        and not report.cells[key].flags
    ]
    assert wrong == [], f"{len(wrong)} confident wrong values, e.g. " + ", ".join(
        f"{k}: got {report.values[k]} want {truth['cells'][k]}" for k in wrong[:5])


def test_corpus_cell_share_does_not_fall(results: dict) -> None:
    right = total = 0
    for report, truth in results.values():
        skip = set(truth.get("ambiguous", []))
        for key, want in truth["cells"].items():
            if key in skip:
                continue
            total += 1
            right += _same(report.values.get(key), want)
    assert right / total >= CORPUS_CELLS_FLOOR, f"{right}/{total}"
