"""Annotated lines: the training and evaluation data of the line classifier.

One file per document, in JSON Lines: one record per line of the document, in
line order, every record with the same fields (so ``datasets`` loads a folder
of them as one table)::

    {"line": 12, "label": "number", "text": "0\\t0\\t5", "confidence": 0.95,
     "checked": true, "doc": "seeds/000", "source": "../../tests/fixtures/seeds/000.txt",
     "sha256": "…", "cells": [[0, 1, "requests.total.natural"], [2, 3, "requests.total.commercial"],
                               [4, 5, "requests.total.research"]]}

- ``line`` is the 1-based line number as gixml counts lines (LF, CRLF or CR);
- ``label`` is one of :class:`gixml.lines.labels.LineLabel` (see ``annotations/GUIDELINES.md``);
- ``text`` is the raw line, or ``null`` when the source may not be copied (the
  loader then reads it from ``source`` and checks ``sha256``);
- ``confidence`` is the pre-labeller's confidence (a guide for checking);
- ``checked`` is true once a person has checked the label;
- ``source`` is the document's path relative to the annotation file, and
  ``sha256`` the hash of its bytes: a label is only ever paired with the
  exact text it was made for;
- ``cells`` says which table cell each value printed on the line is: one
  ``[start, end, key]`` per value, ``start:end`` the value's characters in the
  line (0-based offsets, as a cell's ``span`` in gixml's output) and ``key`` its
  SCHEMA key; ``[]`` when the line prints no cell value; ``null`` (or absent)
  when nobody has said. ``gixml annotate`` fills it from the extraction; a
  person corrects it where the extraction put a value in the wrong cell (the
  failures of assembly, which line labels alone cannot show).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gixml.errors import AnnotationError
from gixml.lines.cascade import default_labeller
from gixml.lines.labels import Labeller, LineLabel, label_lines
from gixml.lines.normalise import normalise
from gixml.lines.tokenise import tokenise
from gixml.read.document import read

if TYPE_CHECKING:  # pragma: no cover
    import datasets

FIELDS = ("line", "label", "text", "confidence", "checked", "doc", "source", "sha256", "cells")

#: A value's cell on its line: (start, end, SCHEMA key).
CellSpan = tuple[int, int, str]


@dataclass(frozen=True)
class AnnotatedDocument:
    """One document's lines (raw text) and their labels, in line order."""

    doc: str
    path: str  # the annotation file
    source: str
    sha256: str
    lines: tuple[str, ...]
    labels: tuple[LineLabel, ...]
    checked: tuple[bool, ...]
    #: Per line, its values' cells (``None``: not annotated); see the module docstring.
    cells: tuple[tuple[CellSpan, ...] | None, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def cell_values(self) -> dict[str, Any] | None:
        """The document's cells as annotated (SCHEMA key → value read from the
        characters the annotation points at), or ``None`` when no line's cells
        were annotated: a truth for scoring extraction on this document."""
        from gixml.lines.values import parse_value

        if not any(c is not None for c in self.cells):
            return None
        out: dict[str, Any] = {}
        for line, spans in zip(self.lines, self.cells):
            for start, end, key in spans or ():
                parsed = parse_value(line[start:end])
                out[key] = parsed.value if parsed is not None else None
        return out


def sha256_of(path: str | os.PathLike[str]) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def prelabel(
    source: str | os.PathLike[str],
    *,
    doc: str | None = None,
    labeller: Labeller | None = None,
    include_text: bool = True,
    relative_to: str | os.PathLike[str] | None = None,
    extraction: Labeller | None = None,
) -> list[dict[str, Any]]:
    """Label every line of ``source`` (with ``labeller``, the shipped model by
    default) and return the annotation records, unchecked, for a person to
    correct, each line with the cells extraction read from it (extraction
    labelling lines with ``extraction``, by default ``labeller``).
    ``relative_to`` is the folder the annotation file will be written in
    (``source`` is recorded relative to it)."""
    path = Path(source)
    document = read(path)
    lines = normalise(document.text)
    labelled = label_lines(lines, tokenise(lines), labeller or default_labeller())
    sha = sha256_of(path)
    rel = os.path.relpath(path.resolve(), Path(relative_to).resolve()) if relative_to else str(path)
    doc = doc or path.stem
    cells = extracted_cells(document.text, extraction or labeller)
    return [
        {
            "line": ll.line.number,
            "label": ll.label.value,
            "text": ll.line.raw if include_text else None,
            "confidence": ll.confidence,
            "checked": False,
            "doc": doc,
            "source": rel,
            "sha256": sha,
            "cells": cells.get(ll.line.number, []),
        }
        for ll in labelled
    ]


def extracted_cells(text: str, labeller: Labeller | None) -> dict[int, list[list[Any]]]:
    """Line number → ``[start, end, key]`` of every cell extraction read from
    that line (what ``gixml annotate`` pre-fills, for a person to correct)."""
    from gixml.pipeline import extract_text

    report = extract_text(text, labeller=labeller or default_labeller())
    out: dict[int, list[list[Any]]] = {}
    for key, cell in report.cells.items():
        if cell.line is not None and cell.span is not None:
            out.setdefault(cell.line, []).append([cell.span[0], cell.span[1], str(key)])
    return {n: sorted(spans) for n, spans in out.items()}


def write(path: str | os.PathLike[str], records: Iterable[dict[str, Any]]) -> None:
    """Write records as JSON Lines (atomically: a crash leaves the old file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps({k: rec.get(k) for k in FIELDS}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def read_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The records of one annotation file, checked for shape (text not resolved)."""
    path = Path(path)
    records = []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise AnnotationError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from None
    with handle:
        for n, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise AnnotationError(f"line {n} is not JSON: {exc.msg}", path=str(path)) from None
            missing = [k for k in ("line", "label", "source", "sha256") if k not in rec]
            if missing:
                raise AnnotationError(f"line {n} lacks {', '.join(missing)}", path=str(path))
            try:
                LineLabel(rec["label"])
            except ValueError:
                allowed = ", ".join(lab.value for lab in LineLabel)
                raise AnnotationError(f"line {n} has the unknown label {rec['label']!r} (allowed: {allowed})",
                                      path=str(path)) from None
            rec["cells"] = _checked_cells(rec, n, path)
            records.append(rec)
    if not records:
        raise AnnotationError("holds no records", path=str(path))
    numbers = [r["line"] for r in records]
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise AnnotationError("does not hold exactly one record per line 1…N", path=str(path))
    if len({(r["source"], r["sha256"]) for r in records}) != 1:
        raise AnnotationError("mixes records of several sources", path=str(path))
    return sorted(records, key=lambda r: r["line"])


def _known_keys() -> frozenset[str]:
    from gixml.forms import FORMATS, cell_keys

    return frozenset(str(k) for fmt in FORMATS for fees in (False, True) for single in (False, True)
                     for k in cell_keys(fmt, fees_decisions=fees, single_other=single))


def _checked_cells(rec: dict[str, Any], n: int, path: Path) -> list[CellSpan] | None:
    """A record's ``cells``, checked: spans inside the line, in order, not
    overlapping, each key a SCHEMA key (an :class:`AnnotationError` says which is not)."""
    cells = rec.get("cells")
    if cells is None:
        return None
    text = rec.get("text")
    known = _known_keys()
    out: list[CellSpan] = []
    if not isinstance(cells, list):
        raise AnnotationError(f"line {n}: cells must be a list of [start, end, key]", path=str(path))
    for item in cells:
        if not (isinstance(item, list) and len(item) == 3 and all(isinstance(x, int) for x in item[:2])
                and isinstance(item[2], str)):
            raise AnnotationError(f"line {n}: {item!r} is not [start, end, key]", path=str(path))
        start, end, key = item
        if key not in known:
            raise AnnotationError(f"line {n}: {key!r} is not a cell key of SCHEMA.md", path=str(path))
        if not 0 <= start < end or (text is not None and end > len(text)) or (out and start < out[-1][1]):
            raise AnnotationError(f"line {n}: the span {start}:{end} of {key} is outside the line or overlaps "
                                  "the one before", path=str(path))
        out.append((start, end, key))
    return out


def read_document(path: str | os.PathLike[str]) -> AnnotatedDocument | None:
    """One annotation file as a document, its text filled in from the source
    when the file does not hold it. Returns None when the text is not in the
    file and the source is absent (e.g. ``../shared`` is not on this machine);
    raises :class:`AnnotationError` when the source no longer matches."""
    path = Path(path)
    records = read_records(path)
    first = records[0]
    source = (path.parent / first["source"]).resolve() if not os.path.isabs(first["source"]) else Path(first["source"])
    texts = [r.get("text") for r in records]
    if any(t is None for t in texts):
        if not source.is_file():
            return None
        if sha256_of(source) != first["sha256"]:
            raise AnnotationError(f"its source {source} has changed since it was annotated (sha256 differs)",
                                  path=str(path))
        raws = [line.raw for line in normalise(read(source).text)]
        if len(raws) != len(records):
            raise AnnotationError(f"has {len(records)} records but its source has {len(raws)} lines", path=str(path))
        texts = [t if t is not None else raws[i] for i, t in enumerate(texts)]
    return AnnotatedDocument(
        doc=first.get("doc") or path.stem,
        path=str(path),
        source=first["source"],
        sha256=first["sha256"],
        lines=tuple(str(t) for t in texts),
        labels=tuple(LineLabel(r["label"]) for r in records),
        checked=tuple(bool(r.get("checked")) for r in records),
        cells=tuple(_within(r["cells"], str(t), path) for r, t in zip(records, texts)),
    )


def _within(cells: list[CellSpan] | None, line: str, path: Path) -> tuple[CellSpan, ...] | None:
    """``cells`` once the line's text is known (it may come from the source): every span inside it."""
    from gixml.lines.values import parse_value

    if cells is None:
        return None
    for start, end, key in cells:
        if end > len(line) or parse_value(line[start:end]) is None:
            raise AnnotationError(f"the cell {key} points at {line[start:end]!r} ({start}:{end}), which is not a "
                                  f"value, in the line {line!r}", path=str(path))
    return tuple(cells)


def annotation_files(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Annotation files under the given folders/files, sorted."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(p.rglob("*.jsonl")))
        elif p.is_file():
            out.append(p)
        else:
            raise AnnotationError("no such file or folder", path=str(p))
    return out


def documents(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[AnnotatedDocument]:
    """Every annotated document whose text is available, in path order."""
    docs = []
    for f in annotation_files(paths):
        d = read_document(f)
        if d is not None:
            docs.append(d)
    return docs


def load(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> "datasets.Dataset":
    """All annotated lines under ``paths`` as a ``datasets.Dataset`` with the
    columns doc, line, label, text, checked, source, sha256."""
    import datasets

    rows: dict[str, list[Any]] = {k: [] for k in ("doc", "line", "label", "text", "checked", "source", "sha256")}
    for d in documents(paths):
        for n, (text, label, checked) in enumerate(zip(d.lines, d.labels, d.checked), start=1):
            rows["doc"].append(d.doc)
            rows["line"].append(n)
            rows["label"].append(label.value)
            rows["text"].append(text)
            rows["checked"].append(checked)
            rows["source"].append(d.source)
            rows["sha256"].append(d.sha256)
    return datasets.Dataset.from_dict(rows)
