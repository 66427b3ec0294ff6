"""Digests of gixml's JSON output for every input we hold, to prove a change leaves outputs alone.

    python tests/output_digests.py                 # compare with tests/fixtures/output-digests.json
    python tests/output_digests.py --write         # record the current outputs as the reference
    python tests/output_digests.py --only seeds    # the seeds alone (they are in tests/fixtures)

Every input of ``../shared`` (the seeds, each corpus report's originals and text
inputs, each pdf-made case's PDF and text dumps) is extracted with
``gixml.extract(path).to_dict(provenance="full")`` (everything a report
can carry) and written as ``json.dumps(…, ensure_ascii=False,
indent=2)``, as ``gixml extract`` prints it, with two fields set apart: ``source``
becomes the input's path relative to ``../shared`` (so the digest does not depend
on where the checkout is) and ``gixml_version`` is dropped (a new version number
is not a changed output). An input that raises gives the digest of its error's
type and message. Only SHA-256 digests are stored: the reports that may not be
copied into the repository stay out of it.

``tests/test_output_digests.py`` runs the comparison: the seeds always, the rest
when ``../shared`` is there.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GIXML_SHARED", ROOT.parent / "shared"))
DIGESTS = ROOT / "tests" / "fixtures" / "output-digests.json"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
_NOT_INPUTS = {"source.json", "truth.json", "README.md"}


def inputs(shared: Path = SHARED, *, only: str | None = None) -> Iterator[tuple[str, Path]]:
    """(name, path) of every input: ``seeds/…`` from the fixtures, the rest from ``shared``."""
    if only in (None, "seeds"):
        for path in sorted(SEEDS.glob("*.txt")):
            yield f"seeds/{path.name}", path
    if only == "seeds":
        return
    for folder in ("corpus", "pdf-made"):
        if only not in (None, folder) or not (shared / folder).is_dir():
            continue
        for case in sorted(p for p in (shared / folder).iterdir() if p.is_dir()):
            for path in sorted(case.iterdir()):
                if path.is_file() and path.name not in _NOT_INPUTS:
                    yield f"{folder}/{case.name}/{path.name}", path


def output_of(name: str, path: Path) -> str:
    """The JSON text gixml gives for one input (see the module docstring)."""
    import gixml

    try:
        report = gixml.extract(path).to_dict(provenance="full")
    except gixml.GixmlError as exc:
        return f"{type(exc).__name__}: {str(exc).replace(str(path), name)}"
    report["source"] = name
    report.pop("gixml_version", None)
    return json.dumps(report, ensure_ascii=False, indent=2)


def digests(shared: Path = SHARED, *, only: str | None = None) -> dict[str, str]:
    return {name: hashlib.sha256(output_of(name, path).encode("utf-8")).hexdigest()
            for name, path in inputs(shared, only=only)}


def differences(found: dict[str, str], recorded: dict[str, str]) -> list[str]:
    """What differs between two sets of digests, over the inputs both hold."""
    return [name for name in sorted(found) if recorded.get(name) != found[name]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="record the current outputs as the reference")
    ap.add_argument("--only", choices=("seeds", "corpus", "pdf-made"), help="one group of inputs")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args(argv)
    found = digests(args.shared, only=args.only)
    if args.write:
        recorded = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() and args.only else {}
        recorded.update(found)
        DIGESTS.write_text(json.dumps(dict(sorted(recorded.items())), indent=1) + "\n", encoding="utf-8")
        print(f"{len(found)} digests written to {DIGESTS}")
        return 0
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    changed = differences(found, recorded)
    missing = sorted(set(found) - set(recorded))
    for name in changed:
        print(f"changed: {name}" if name not in missing else f"new input: {name}")
    print(f"{len(found) - len(changed)}/{len(found)} outputs identical to the recorded ones")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
