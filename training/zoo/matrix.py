"""The converter zoo, built and scored: every report whose values we know,
rendered into web pages, Word documents and PDFs, read back by every
converter, extracted by gixml and scored cell by cell.

    python -m gixml.training.zoo.matrix --out zoo/ --per-format 100 --jobs 2 --write training/ZOO.md
    python -m gixml.training.zoo.matrix --out zoo/ --relabel      # after a change to align.py

Reports: the seeds (``tests/fixtures/truth``), the corpus reports of
``../shared`` that may be copied (``source.json``: ``copy_into_repo``), and synthetic reports whose values satisfy
the form's identities, up to ``--per-format`` of each format. The generated
documents and texts go to ``--out`` (out of git; the command rebuilds them
from the seed). The matrix prints, per source style (``html`` with a real
table, ``html-inline`` without separators between cells, ``docx``, ``pdf``
made by LibreOffice from the docx) × converter × format: the share of cells
right, of non-zero cells right, the reports read perfectly, the cells
wrong **without a flag** (the worst output: a wrong number that looks sure),
and the share of printed lines the alignment labelled (``align.py``; each
text's line labels go to ``OUT/labels/``, for training, and the cell key of
each value it prints, where the alignment knows it, to ``OUT/cells/``).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .convert import CONVERTERS, can_make_pdf, missing, soffice_convert
from .render import (
    ZooReport,
    document,
    synthetic_reports,
    to_docx,
    to_html,
    truth_reports,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
#: Source styles → the kind of document they are: ``html`` (gixml's <table> page), ``html-inline``
#: (cells as spans, no separators), ``html-soffice`` (LibreOffice's HTML export of the Word
#: document), ``docx``, ``pdf`` (LibreOffice's PDF of the Word document).
STYLES = {"html": "html", "html-inline": "html", "html-soffice": "html", "docx": "docx", "pdf": "pdf"}


def reports(per_format: int, seed: int, shared: Path = SHARED) -> list[ZooReport]:
    """The seeds, the corpus truths (when ``shared`` is there), synthetic reports to ``per_format`` each."""
    found = list(truth_reports(ROOT / "tests" / "fixtures" / "truth", "seed"))
    corpus = shared / "corpus"
    if corpus.is_dir():
        for folder in sorted(p for p in corpus.iterdir() if (p / "truth.json").is_file()):
            try:
                copyable = json.loads((folder / "source.json").read_text(encoding="utf-8")).get("copy_into_repo")
            except (OSError, ValueError):
                copyable = False
            if copyable is not True:  # (the sources: the corpus reports that may be copied)
                continue
            truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
            meta = truth.get("meta") or {}
            found.append(ZooReport(folder.name, truth["format"], dict(truth["cells"]),
                                   meta.get("organization") or "某某人民政府", int(meta.get("year") or 2022), "corpus"))
    out = []
    for fmt in ("2019", "2021"):
        real = [r for r in found if r.format == fmt][:per_format]
        out += real + synthetic_reports(max(0, per_format - len(real)), fmt, seed=seed)
    return out


def build(out: Path, zoo: list[ZooReport], seed: int, log=print) -> None:
    """Render every report as html, html-inline, docx (and, with LibreOffice, pdf and html-soffice)."""
    for style in STYLES:
        (out / "docs" / style).mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    todo_pdf = []
    for report in zoo:
        rng = random.Random(f"{seed}-{report.name}")
        blocks = document(report, rng)
        (out / "truth" / f"{report.name}.json").write_text(json.dumps(
            {"format": report.format, "cells": report.cells, "origin": report.origin,
             "meta": {"organization": report.organization, "year": report.year}}, ensure_ascii=False),
            encoding="utf-8")
        (out / "docs" / "html" / f"{report.name}.html").write_text(to_html(blocks, rng, "table"), encoding="utf-8")
        (out / "docs" / "html-inline" / f"{report.name}.html").write_text(to_html(blocks, rng, "inline"),
                                                                         encoding="utf-8")
        docx = out / "docs" / "docx" / f"{report.name}.docx"
        to_docx(blocks, rng, docx)
        if not (out / "docs" / "pdf" / f"{report.name}.pdf").exists():
            todo_pdf.append(docx)
    if todo_pdf and can_make_pdf():
        log(f"LibreOffice: {len(todo_pdf)} PDFs and web pages")
        for i in range(0, len(todo_pdf), 25):
            soffice_convert(todo_pdf[i:i + 25], "pdf", out / "docs" / "pdf")
            soffice_convert(todo_pdf[i:i + 25], "html:HTML (StarWriter)", out / "docs" / "html-soffice")


@dataclass
class Score:
    cells: int = 0
    right: int = 0
    nonzero: int = 0
    nonzero_right: int = 0
    reports: int = 0
    perfect: int = 0
    wrong_unflagged: int = 0
    errors: int = 0
    lines: int = 0  # non-blank lines printed
    lines_labelled: int = 0  # of which the alignment labelled (align.py)
    values: int = 0  # values rendered (not blank-as-nothing)
    values_keyed: int = 0  # of which the alignment gave the printed token its cell key


def _convert_and_score(style: str, name: str, out: str, names: list[str], seed: int, score: bool = True
                       ) -> list[tuple[str, str, str, Score]]:
    """One converter over one source style: each document's text and line
    labels written to ``OUT/text`` and ``OUT/labels``, and, with ``score``,
    extracted and scored: (style, converter, format, score) per format."""
    from gixml.lines.labels import LineLabel
    from gixml.pipeline import extract_text

    from .align import label_lines, value_cells

    converter = CONVERTERS[name]
    scores: dict[str, Score] = defaultdict(Score)
    folder = Path(out)
    ext = STYLES[style]  # (a source style's files are named by the kind of document they are)
    (folder / "text" / style / name).mkdir(parents=True, exist_ok=True)
    (folder / "labels" / style / name).mkdir(parents=True, exist_ok=True)
    for report in names:
        truth = json.loads((folder / "truth" / f"{report}.json").read_text(encoding="utf-8"))
        tally = scores[truth["format"]]
        source = folder / "docs" / style / f"{report}.{ext}"
        if not source.exists():
            continue
        got: dict[Any, Any] = {}
        try:
            text = converter.run(source)
        except Exception:  # a converter failing counts every cell wrong
            tally.errors += 1
            text = ""
        else:
            (folder / "text" / style / name / f"{report}.txt").write_text(text, encoding="utf-8")
            if score:
                try:
                    got = dict(extract_text(text, name=f"{report}.txt").cells)
                except Exception:  # so does extraction failing
                    tally.errors += 1
        meta = truth["meta"]
        zoo_report = ZooReport(report, truth["format"], truth["cells"], meta["organization"], meta["year"],
                               truth["origin"])
        blocks = document(zoo_report, random.Random(f"{seed}-{report}"))
        aligned = label_lines(text, blocks)
        if text:
            (folder / "labels" / style / name / f"{report}.json").write_text(
                json.dumps([x.value if x is not None else None for x in aligned]), encoding="utf-8")
            keys = value_cells(text, aligned, blocks)
            (folder / "cells" / style / name).mkdir(parents=True, exist_ok=True)
            (folder / "cells" / style / name / f"{report}.json").write_text(json.dumps(keys), encoding="utf-8")
            tally.values_keyed += sum(len(spans or ()) for spans in keys)
        tally.values += sum(1 for b in blocks if b.kind == "table" for row in b.rows for c in row
                            if c.key and c.text.strip())
        labels = [x for x in aligned if x is not LineLabel.BLANK]
        tally.lines += len(labels)
        tally.lines_labelled += sum(x is not None for x in labels)
        if score:
            add_score(tally, truth["cells"], got)
    return [(style, name, fmt, s) for fmt, s in sorted(scores.items())]


def relabel(out: Path, seed: int) -> int:
    """Label again every text of a built zoo, lines and value cells (after a
    change to ``align.py``), without converting anything again; returns the
    texts relabelled."""
    from .align import label_lines, value_cells

    done = 0
    for text_path in sorted((out / "text").glob("*/*/*.txt")):
        truth = json.loads((out / "truth" / f"{text_path.stem}.json").read_text(encoding="utf-8"))
        meta = truth["meta"]
        report = ZooReport(text_path.stem, truth["format"], truth["cells"], meta["organization"], meta["year"],
                           truth["origin"])
        text = text_path.read_text(encoding="utf-8")
        blocks = document(report, random.Random(f"{seed}-{report.name}"))
        aligned = label_lines(text, blocks)
        where = Path(text_path.parent.parent.name) / text_path.parent.name / f"{text_path.stem}.json"
        (out / "labels" / where).write_text(json.dumps([x.value if x is not None else None for x in aligned]),
                                           encoding="utf-8")
        (out / "cells" / where).parent.mkdir(parents=True, exist_ok=True)
        (out / "cells" / where).write_text(json.dumps(value_cells(text, aligned, blocks)), encoding="utf-8")
        done += 1
    return done


def add_score(score: Score, truth: dict[str, Any], got: dict[Any, Any], skip: Sequence[str] = ()) -> None:
    """Count one report's cells into ``score`` (``got``: key → Cell)."""
    perfect = True
    for key, want in truth.items():
        if key in skip:
            continue
        cell = got.get(key)
        value = cell.value if cell is not None else None
        ok = value == want
        score.cells += 1
        score.right += ok
        if want not in (None, 0):
            score.nonzero += 1
            score.nonzero_right += ok
        if not ok:
            perfect = False
            if cell is not None and value is not None and not cell.flags:
                score.wrong_unflagged += 1
    score.perfect += perfect
    score.reports += 1


def real_inputs(shared: Path = SHARED) -> list[tuple[str, str, str, Score]]:
    """The same figures for the real inputs of ``shared``: the seeds, and each
    kind of input of the corpus and of pdf-made (``original.pdf``,
    ``text-pdftotext-raw.txt``…), per format."""
    from gixml.errors import GixmlError
    from gixml.pipeline import extract

    scores: dict[tuple[str, str, str], Score] = defaultdict(Score)
    cases: list[tuple[str, str, Path, dict[str, Any]]] = []
    if (shared / "seeds").is_dir():
        for path in sorted((shared / "seeds").glob("*.txt")):
            truth_path = shared / "truth" / f"{path.stem}.json"
            if truth_path.is_file():
                cases.append(("seeds", "text", path, json.loads(truth_path.read_text(encoding="utf-8"))))
    for group in ("corpus", "pdf-made"):
        for folder in sorted(p for p in (shared / group).glob("*") if (p / "truth.json").is_file()):
            truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.name not in ("truth.json", "source.json", "README.md"):
                    cases.append((group, path.name.split(".")[0] + path.suffix, path, truth))
    for group, kind, path, truth in cases:
        score = scores[(group, kind, truth["format"])]
        try:
            got = dict(extract(path).cells)
        except GixmlError:
            score.errors += 1
            got = {}
        add_score(score, truth["cells"], got, skip=truth.get("ambiguous") or ())
    return [(group, kind, fmt, s) for (group, kind, fmt), s in sorted(scores.items())]


def matrix(out: Path, zoo: list[ZooReport], jobs: int, seed: int, log=print, score: bool = True
           ) -> list[tuple[str, str, str, Score]]:
    """Every converter this machine has over every source style (see
    :func:`_convert_and_score`); without ``score`` it only converts and labels,
    with the converters whose text is always the same (``Converter.stable``)."""
    work = []
    for style, kind in STYLES.items():
        for name, converter in CONVERTERS.items():
            if converter.kind != kind or not (score or converter.stable):
                continue
            lacking = missing(converter)
            if lacking:
                log(f"skipped {style}/{name}: this machine lacks {', '.join(lacking)}")
                continue
            work.append((style, name))
    names = [r.name for r in zoo]
    from joblib import Parallel, delayed

    results = Parallel(n_jobs=jobs)(delayed(_convert_and_score)(style, name, str(out), names, seed, score)
                                    for style, name in work)
    return [row for rows in results for row in rows]


def table(rows: list[tuple[str, str, str, Score]]) -> str:
    lines = ["| source | converter | format | reports | cells right | non-zero right | perfect | wrong, no flag "
             "| lines labelled | values keyed |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for style, name, fmt, s in rows:
        lines.append(f"| {style} | {name} | {fmt} | {s.reports} | {100 * s.right / max(s.cells, 1):.1f}% | "
                     f"{100 * s.nonzero_right / max(s.nonzero, 1):.1f}% | {s.perfect} | {s.wrong_unflagged} | "
                     + (f"{100 * s.lines_labelled / s.lines:.1f}% |" if s.lines else "— |")
                     + (f" {100 * s.values_keyed / s.values:.1f}% |" if s.values else " — |"))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "zoo", help="where documents and texts go (default ./zoo)")
    ap.add_argument("--per-format", type=int, default=100, help="reports of each format (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write", type=Path, help="also write the matrix (Markdown) to this file")
    ap.add_argument("--relabel", action="store_true",
                    help="only label again the texts of the zoo in --out (after a change to align.py)")
    args = ap.parse_args(argv)
    if args.relabel:
        print(f"{relabel(args.out, args.seed)} texts relabelled", file=sys.stderr)
        return 0
    started = time.perf_counter()
    zoo = reports(args.per_format, args.seed)
    origins = {o: sum(r.origin == o for r in zoo) for o in ("seed", "corpus", "synthetic")}
    print(f"{len(zoo)} reports ({origins}); rendering into {args.out}", file=sys.stderr)
    build(args.out, zoo, args.seed, log=lambda m: print(m, file=sys.stderr))
    rows = matrix(args.out, zoo, args.jobs, args.seed, log=lambda m: print(m, file=sys.stderr))
    text = table(rows)
    real = table(real_inputs()) if SHARED.is_dir() else "(../shared is not here)\n"
    text += "\n## The real inputs of ../shared, the same way\n\n" + real.replace("| source | converter |", "| set | input |")
    print(text)
    if args.write:
        header = (f"# The converter zoo: cells read right, per source × converter × format\n\n"
                  f"Made by `python -m gixml.training.zoo.matrix --per-format {args.per_format} --seed {args.seed}` "
                  f"({len(zoo)} reports: {origins['seed']} seeds, {origins['corpus']} corpus truths, "
                  f"{origins['synthetic']} synthetic; {time.perf_counter() - started:.0f} s).\n\n")
        args.write.write_text(header + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
