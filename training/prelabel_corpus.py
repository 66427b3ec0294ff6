"""Create the pre-labelled annotation files of the seeds and of ``../shared/corpus``.

    python -m gixml.training.prelabel_corpus [--shared ../shared] [--out annotations]

One file per document: ``annotations/seeds/<seed>.jsonl`` and
``annotations/corpus/<case>/<input>.jsonl``. A corpus input whose
``source.json`` does not say ``"copy_into_repo": true`` is recorded without its
text (the loader reads it from ``../shared`` and checks its sha256). Existing
files are never overwritten: they hold checked labels.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from gixml.lines.rules import RuleLabeller

from .annotations import prelabel, write

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--out", default=str(ROOT / "annotations"))
    args = ap.parse_args(argv)
    out, shared = Path(args.out), Path(args.shared)
    jobs: list[tuple[Path, Path, str, bool]] = []
    for seed in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")):
        jobs.append((seed, out / "seeds" / f"{seed.stem}.jsonl", f"seeds/{seed.stem}", True))
    for case in sorted((shared / "corpus").iterdir()):
        meta = json.loads((case / "source.json").read_text(encoding="utf-8"))
        for text in sorted(case.glob("text-*.txt")):
            name = text.name[len("text-"):-len(".txt")]
            jobs.append((text, out / "corpus" / case.name / f"{name}.jsonl", f"corpus/{case.name}/{name}",
                         meta.get("copy_into_repo") is True))
    made = 0
    for source, target, doc, include_text in jobs:
        if target.exists():
            continue
        write(target, prelabel(source, doc=doc, labeller=RuleLabeller(), include_text=include_text,
                               relative_to=target.parent))
        made += 1
    print(f"{made} annotation files written, {len(jobs) - made} already there")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
