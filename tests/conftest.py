from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GIXML_SHARED", ROOT.parent / "shared"))


def corpus_cases(folder: str = "corpus") -> list[tuple[str, Path, Path]]:
    """(id, input text, truth.json) for every text input of a ../shared case folder."""
    base = SHARED / folder
    if not base.is_dir():
        return []
    cases = []
    for case in sorted(p for p in base.iterdir() if p.is_dir() and (p / "truth.json").exists()):
        for text in sorted(case.glob("text-*.txt")):
            cases.append((f"{case.name}/{text.stem}", text, case / "truth.json"))
    return cases
