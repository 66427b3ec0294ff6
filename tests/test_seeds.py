"""End to end: every seed report against its hand-made truth file."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

import gixml
from gixml.lines.values import parse_value

FIXTURES = Path(__file__).parent / "fixtures"
TRUTH_FILES = sorted((FIXTURES / "truth").glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


CASES = [_load(p) for p in TRUTH_FILES]
IDS = [Path(t["source"]).stem for t in CASES]


def _seed(truth: dict) -> Path:
    return FIXTURES / "seeds" / truth["source"]


def _core(name: str) -> str:
    return re.sub(r"(人民政府|政府|办事处)$", "", name)


def _same_value(expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return False
    return math.isclose(expected, got, rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def extracted() -> dict[str, gixml.Report]:
    """Each seed extracted once for the whole module."""
    return {t["source"]: gixml.extract(_seed(t)) for t in CASES}


def test_there_are_seeds():
    assert len(CASES) >= 5
    for truth in CASES:
        assert _seed(truth).is_file(), truth["source"]


@pytest.mark.parametrize("truth", CASES, ids=IDS)
def test_seed_matches_truth(truth, extracted):
    report = extracted[truth["source"]]
    out = report.to_dict()

    assert out["format"] == truth["format"]

    # meta
    assert out["meta"]["year"] == truth["meta"]["year"]
    assert out["meta"]["published"] == truth["meta"]["published"]
    want_org, got_org = truth["meta"]["organization"], out["meta"]["organization"]
    if want_org is None:
        assert got_org is None
    else:
        assert got_org, "no organization extracted"
        a, b = _core(want_org), _core(got_org)
        assert a in b or b in a, f"organization {got_org!r} does not match {want_org!r}"

    # cells: the same keys, and every non-ambiguous value as in the truth
    assert set(out["cells"]) == set(truth["cells"])
    ambiguous = set(truth.get("ambiguous", []))
    if truth.get("usable", True):
        wrong = {
            key: (want, out["cells"].get(key))
            for key, want in truth["cells"].items()
            if key not in ambiguous and not _same_value(want, out["cells"].get(key))
        }
        assert not wrong, f"cells differ from the truth (expected, got): {wrong}"

    assert out["units"] == truth.get("units", {})


@pytest.mark.parametrize("truth", CASES, ids=IDS)
def test_seed_provenance(truth, extracted):
    report = extracted[truth["source"]]
    raw_lines = _seed(truth).read_text(encoding="utf-8").splitlines()
    checked = 0
    for key, cell in report.cells.items():
        if cell.value is None:
            continue
        checked += 1
        assert cell.line is not None and 1 <= cell.line <= len(raw_lines), key
        assert cell.source == raw_lines[cell.line - 1], f"{key}: source is not line {cell.line} of the file"
        assert cell.printed, key
        assert cell.printed in cell.source, f"{key}: {cell.printed!r} not in {cell.source!r}"
        start, end = cell.span
        assert cell.source[start:end] == cell.printed, key
        parsed = parse_value(cell.printed)
        assert parsed is not None and _same_value(parsed.value, cell.value), (key, cell.printed, cell.value)
    assert checked > 0
