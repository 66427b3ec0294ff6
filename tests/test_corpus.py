"""The real reports of ../shared/corpus, reached only through their truth files.

Skipped when ../shared is absent (a clone elsewhere); CI has it.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from conftest import corpus_cases

import gixml

CASES = corpus_cases("corpus")
pytestmark = pytest.mark.skipif(not CASES, reason="../shared/corpus is not here")

# The share of truth cells extracted right over the whole corpus must not fall
# below what was last measured (python ../shared/tools/score.py ../shared/corpus).
CORPUS_CELLS_FLOOR = 0.997
CORPUS_NON_ZERO_FLOOR = 0.99  # cells whose truth is not 0 (non-zero numbers and nulls)
APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")


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
    right = total = right_nz = total_nz = 0
    for report, truth in results.values():
        skip = set(truth.get("ambiguous", []))
        for key, want in truth["cells"].items():
            if key in skip:
                continue
            ok = _same(report.values.get(key), want)
            total += 1
            right += ok
            if want != 0:
                total_nz += 1
                right_nz += ok
    assert right / total >= CORPUS_CELLS_FLOOR, f"{right}/{total}"
    assert right_nz / total_nz >= CORPUS_NON_ZERO_FLOOR, f"non-zero {right_nz}/{total_nz}"


def _listed_failures(notes: str) -> list[str]:
    """The subjects of "Identities that fail as printed: S: …; S: …" in a truth file's notes."""
    m = re.search(r"Identities that fail as printed:(.*)", notes)
    return [part.split(":")[0].strip() for part in m.group(1).split(";") if part.strip()] if m else []


def _subject_cells(subject: str, truth: dict) -> list[str]:
    """The truth cells an identity subject of the notes involves."""
    table, *rest = subject.split(".")
    if table == "requests" and rest and rest[0] in APPLICANT_COLUMNS:  # a column balance: 一 + 二 = (七) + 四
        return [f"requests.{r}.{rest[0]}" for r in ("new_received", "carried_over", "total", "carried_forward")]
    return [k for k in truth["cells"] if k.startswith(subject + ".") or k == subject]


def _reported(subject: str, cells: list[str], report: gixml.Report) -> bool:
    return any(w.code == "identity" and (set(cells) <= set(w.cells) or subject in w.cells) for w in report.warnings)


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_identity_failures_listed_in_the_truth_notes_are_reported(name: str, results: dict) -> None:
    """Where the notes say the report breaks its own arithmetic, gixml says so too
    (failures that involve a cell the report leaves empty cannot be checked)."""
    report, truth = results[name]
    for subject in _listed_failures(truth.get("notes", "")):
        cells = _subject_cells(subject, truth)
        if not cells or any(truth["cells"].get(k) is None for k in cells):
            continue
        if subject.startswith("requests.total."):  # (七)总计 = the sum of the result rows, per column
            cells = [subject]
        assert _reported(subject, cells, report), f"{subject} fails in the truth but gixml does not say so"
