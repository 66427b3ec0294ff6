"""Collect the hand-checked 主动公开 values that the value prior is fitted on (``prior.py``).

    python -m gixml.training.collect_values [--shared ../shared] [--out annotations/values.tsv]

One tab-separated line (doc, format, key, value, unit) per cell of the active table: the seeds' truth files
(``tests/fixtures/truth``) and the truth of every ``../shared/corpus`` report
whose ``source.json`` says ``"copy_into_repo": true`` (the others stay out of the
repository, numbers included). ``gixml train`` fits ``models/value-prior/prior.json``
from this file.
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def records(truth: dict, doc: str) -> Iterator[dict]:
    units = truth.get("units") or {}
    for key, value in truth["cells"].items():
        if key.startswith("active.") and isinstance(value, (int, float)) and not isinstance(value, bool):
            yield {"doc": doc, "format": truth["format"], "key": key, "value": value, "unit": units.get(key, "")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--out", default=str(ROOT / "annotations" / "values.tsv"))
    args = ap.parse_args(argv)
    out: list[dict] = []
    for path in sorted((ROOT / "tests" / "fixtures" / "truth").glob("*.json")):
        out += records(json.loads(path.read_text(encoding="utf-8")), f"seeds/{path.stem}")
    for case in sorted(Path(args.shared, "corpus").iterdir()):
        meta = json.loads((case / "source.json").read_text(encoding="utf-8"))
        truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
        if meta.get("copy_into_repo") is True and truth.get("usable") is not False:
            out += records(truth, f"corpus/{case.name}")
    lines = ["doc\tformat\tkey\tvalue\tunit"] + [
        f"{r['doc']}\t{r['format']}\t{r['key']}\t{r['value']}\t{r['unit']}" for r in out]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(out)} values from {len({r['doc'] for r in out})} reports → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
