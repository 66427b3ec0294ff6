"""The zoo as training data: built by one command, read back by ``gixml train --zoo``.

    python -m gixml.training.zoo.dataset --out zoo-train/ [--per-format 8] [--seed 1] [--jobs 2]

Renders synthetic reports only (values drawn by ``synth.random_cells``, never
a real report's: the seeds and the corpus renderings of the evaluation zoo stay
unseen by training), converts each with every converter this machine has whose
text is always the same (``Converter.stable``: pdfminer.six is not), and labels
every line by alignment (``align.py``). It writes ``MANIFEST.json``:
how the zoo was made (seed, reports per format, converters present and
missing, tool versions) and the sha256 of each text and label file, so that a
model card can say exactly what it was trained on and training refuses a zoo
that changed after it was built.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gixml.errors import AnnotationError

from .convert import CONVERTERS, missing
from .render import synthetic_reports

MANIFEST = "MANIFEST.json"
DEFAULT_PER_FORMAT = 8
#: The training zoo's seed; the evaluation zoo (``matrix.py``) uses 0, so their synthetic reports differ.
DEFAULT_SEED = 1


@dataclass(frozen=True)
class ZooDocument:
    """One converted text and the label of each of its lines (``None``: the alignment found none)."""

    style: str
    converter: str
    report: str
    origin: str
    format: str
    text: str
    labels: list[str | None]


def _tool_versions() -> dict[str, str]:
    """The first line each command-line converter prints about its version (what changes its output)."""
    out = {}
    for command, args in (("pdftotext", ["-v"]), ("pandoc", ["--version"]), ("w3m", ["-version"]),
                          ("soffice", ["--version"])):
        try:
            done = subprocess.run([command, *args], capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            continue
        text = (done.stdout or done.stderr).decode("utf-8", errors="replace").strip()
        if text:
            out[command] = text.splitlines()[0]
    from importlib.metadata import PackageNotFoundError, version

    for package in ("beautifulsoup4", "lxml", "html2text", "markdownify", "python-docx", "docx2txt", "pdfplumber",
                    "pdfminer.six", "pypdf"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            pass
    return out


def _files(zoo: Path) -> list[Path]:
    return sorted([*(zoo / "text").glob("*/*/*.txt"), *(zoo / "labels").glob("*/*/*.json")])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(out: Path, per_format: int = DEFAULT_PER_FORMAT, seed: int = DEFAULT_SEED, jobs: int = 2,
          log: Callable[[str], Any] = print) -> dict[str, Any]:
    """Render, convert and label ``per_format`` synthetic reports of each
    format into ``out``; returns the manifest (also written to ``out/MANIFEST.json``)."""
    from . import matrix

    started = time.perf_counter()
    zoo = [r for fmt in ("2019", "2021") for r in synthetic_reports(per_format, fmt, seed=seed)]
    log(f"{len(zoo)} synthetic reports, rendered into {out}")
    matrix.build(out, zoo, seed, log=log)
    matrix.matrix(out, zoo, jobs, seed, log=log, score=False)
    lacking = {name: missing(c) for name, c in CONVERTERS.items() if missing(c)}
    manifest: dict[str, Any] = {
        "command": f"python -m gixml.training.zoo.dataset --per-format {per_format} --seed {seed}",
        "per_format": per_format,
        "seed": seed,
        "converters": sorted(name for name, c in CONVERTERS.items() if c.stable and name not in lacking),
        "missing": lacking,
        "unstable": sorted(name for name, c in CONVERTERS.items() if not c.stable),
        "tools": _tool_versions(),
        "files": {p.relative_to(out).as_posix(): _sha256(p) for p in _files(out)},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"{len(manifest['files']) // 2} texts labelled by {len(manifest['converters'])} converters in "
        f"{time.perf_counter() - started:.0f} s" + (f"; missing: {', '.join(lacking)}" if lacking else ""))
    return manifest


def manifest(zoo: Path) -> dict[str, Any]:
    """The zoo's manifest, checked against its files: an :class:`AnnotationError`
    names what is missing, added or changed since :func:`build` wrote it."""
    try:
        made = json.loads((zoo / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise AnnotationError(f"no readable {MANIFEST} ({e}): build the zoo with `python -m "
                              "gixml.training.zoo.dataset --out DIR`", path=str(zoo)) from None
    found = {p.relative_to(zoo).as_posix(): p for p in _files(zoo)}
    listed = made.get("files", {})
    changed = sorted(k for k in listed if k in found and _sha256(found[k]) != listed[k])
    gone = sorted(set(listed) - set(found))
    added = sorted(set(found) - set(listed))
    if changed or gone or added:
        parts = [f"{len(x)} {what} (e.g. {x[0]})" for x, what in ((changed, "changed"), (gone, "missing"),
                                                                  (added, "not in the manifest")) if x]
        raise AnnotationError("the zoo is not as it was built: " + "; ".join(parts) + "; rebuild it",
                              path=str(zoo))
    return dict(made)


def digest(made: dict[str, Any]) -> str:
    """One sha256 over a manifest's files: what a model card records of the zoo it was trained on."""
    return hashlib.sha256(json.dumps(made["files"], sort_keys=True).encode()).hexdigest()


def documents(zoo: Path, exclude: Iterable[str] = (), only: Iterable[str] | None = None) -> list[ZooDocument]:
    """The zoo's labelled texts (checked against its manifest when it has
    one), in a stable order; ``exclude``/``only`` select converters by name."""
    if (zoo / MANIFEST).exists():
        manifest(zoo)
    skip, keep = set(exclude), set(only) if only is not None else None
    out = []
    for path in sorted((zoo / "labels").glob("*/*/*.json")):
        style, converter = path.parent.parent.name, path.parent.name
        if converter in skip or (keep is not None and converter not in keep):
            continue
        text_path = zoo / "text" / style / converter / f"{path.stem}.txt"
        truth_path = zoo / "truth" / f"{path.stem}.json"
        if not text_path.exists() or not truth_path.exists():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        out.append(ZooDocument(style, converter, path.stem, truth["origin"], truth["format"],
                               text_path.read_text(encoding="utf-8"), json.loads(path.read_text(encoding="utf-8"))))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="the folder to build the zoo in")
    ap.add_argument("--per-format", type=int, default=DEFAULT_PER_FORMAT,
                    help=f"synthetic reports of each format (default {DEFAULT_PER_FORMAT})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    build(args.out, args.per_format, args.seed, args.jobs, log=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
