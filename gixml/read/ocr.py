"""A scanned PDF (no text layer) → text by OCR, each table row one line of tab-separated cells.

An optional extra (``pip install 'gixml[ocr]'``): RapidOCR (``rapidocr-onnxruntime``,
the PP-OCR Chinese detection and recognition models inside its wheel, run by
onnxruntime on the CPU; nothing is downloaded). Each page is rendered by pdfium
(``pypdfium2``) at :data:`DPI` and read from its red channel alone, in which the
red seal stamped over many reports' tables fades to near white while black
print stays black. RapidOCR gives text boxes with their corners and a
confidence. The page is then laid out the way the PDF reader lays out a page
with a text layer (``pdf.py``):

- its skew is measured on the long horizontal strokes (the tables' rulings),
  and the page and its boxes are turned straight (:func:`page_layout`);
- the rulings are found as long runs of dark pixels and made into cells by
  pdfplumber's table algorithm (:func:`rulings`, :func:`grid_tables`), so a
  cell merged over several rows, or a label wrapped over several lines of
  its cell, is one cell, as in a Word table;
- a cell with ink but no box (the detector passes over a lone digit now and
  then), or whose box OCR was unsure of, is cut out and read again alone; the
  surer reading is kept (:func:`reread_cells`);
- each table row is one line of tab-separated cells, a cell's boxes joined in
  reading order; the boxes outside tables are lines of their own, boxes
  whose vertical middles fall within one another's height on one line
  (:func:`lines_of`); lines top to bottom, pages separated by a blank line.

The reader also returns, for every line, the span of each box in the line's
text with the box's confidence, so that a cell read from a box OCR was unsure
of gets a lower confidence and a ``low_confidence`` flag (``pipeline.py``): an
identity may confirm such a cell, but it is never rewritten.

RapidOCR was chosen over Tesseract 4.1 (``chi_sim``, Debian packages) after
reading the same table page with both (``benchmarks/RESULTS.md``): RapidOCR
gave each cell and each label as one box with its confidence; Tesseract split
labels into single characters, read the table's rulings as ``|`` and misread
labels (总计 as 站). Tesseract used less CPU on that page (5.7 s against about
13 s); the boxes matter more here than the speed.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import MissingDependencyError, UnreadableFileError

#: The resolution pages are rendered at for OCR.
DPI = 200
#: The OCR engine, as warnings name it.
ENGINE = "RapidOCR (PP-OCR)"
#: A box OCR reads with less confidence than this makes its cells low_confidence.
OCR_SURE = 0.9
#: A box that holds a number and nothing else.
_NUMBER = re.compile(r"^[+\-−]?[0-9][0-9,.]*$")
#: A pixel darker than this (0-255, in the red channel) is ink, for finding a table's rulings.
DARK = 190
#: What OCR reads a lone 0 as when it sees it cut out alone, without its row: a ring is 。 in Chinese text.
_RINGS = frozenset(".。oO〇○°D")
#: The confidence of a 0 read from a ring (:func:`reread_cells`): below :data:`OCR_SURE`, so the cell is flagged.
RING_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Box:
    """A text box found by OCR: its corners' extent on the page, its text, its confidence."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def available() -> bool:
    """Whether the OCR extra is installed."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def lines_of(boxes: list[Box]) -> list[list[Box]]:
    """The boxes of one page as lines: a box joins the line whose vertical extent holds its middle
    (and whose middle its own extent holds), lines top to bottom, boxes left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.middle, b.x0)):
        for line in reversed(lines[-3:]):
            top = min(b.top for b in line)
            bottom = max(b.bottom for b in line)
            middle = (top + bottom) / 2
            if top <= box.middle <= bottom and box.top <= middle <= box.bottom:
                line.append(box)
                break
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def page_text(boxes: list[Box], tables: list[list[tuple[float, float, float, float]]] | None = None
              ) -> tuple[list[str], list[tuple[tuple[int, int, float], ...]]]:
    """A page's lines (fields joined by tabs: a table's cells, or, outside tables, the boxes) and, per line,
    each box's span in it with its confidence."""
    texts, spans = [], []
    for fields in page_items(boxes, tables or []):
        parts, where, at = [], [], 0
        for field in fields:
            start = at
            for box in field:
                text = box.text.strip()
                where.append((at, at + len(text), round(box.confidence, 4)))
                at += len(text)
            parts.append(field and "".join(b.text.strip() for b in field) or "")
            at = start + len(parts[-1]) + 1
        texts.append("\t".join(parts))
        spans.append(tuple(where))
    return texts, spans


def _runs(mask: Any, length: int, axis: int) -> Any:
    """The pixels of ``mask`` that lie in a run of at least ``length`` along ``axis``."""
    import numpy as np

    m = np.moveaxis(mask, axis, -1)
    n = m.shape[-1]
    if n < length:
        return np.zeros_like(mask, dtype=bool)
    pad = np.zeros(m.shape[:-1] + (1,), dtype=np.int32)
    total = np.concatenate([pad, np.cumsum(m, axis=-1, dtype=np.int32)], axis=-1)
    starts = (total[..., length:] - total[..., :-length]) == length  # a full window starts here
    begun = np.concatenate([pad, np.cumsum(starts, axis=-1, dtype=np.int32)], axis=-1)
    j = np.arange(n)
    covered = begun[..., np.minimum(j, n - length) + 1] - begun[..., np.maximum(j - length + 1, 0)] > 0
    return np.moveaxis(covered, -1, axis)


def skew(dark: Any, length: int) -> float:
    """The page's skew in degrees (as ``PIL.Image.rotate`` takes it to straighten the page): the angle at
    which the long horizontal strokes, the tables' rulings, project onto the fewest rows."""
    import numpy as np

    thick = dark.copy()
    thick[1:] |= dark[:-1]
    thick[2:] |= dark[:-2]  # a turned line steps down a row every so often: thickened, its runs stay long
    ys, xs = np.nonzero(_runs(thick, length, axis=1))
    if len(ys) < 50:
        return 0.0

    def sharpness(degrees: float) -> float:
        rows = np.round(ys - xs * np.tan(np.radians(degrees))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    best = max(np.arange(-3.0, 3.001, 0.1), key=sharpness)
    best = max(np.arange(best - 0.1, best + 0.101, 0.02), key=sharpness)
    return float(best)


def _straighten(box: Box, degrees: float, width: int, height: int) -> Box:
    """A box in the page turned by ``degrees`` (counter-clockwise, about the middle, as PIL turns it)."""
    t = math.radians(degrees)
    cx, cy = width / 2, height / 2
    x, y = (box.x0 + box.x1) / 2, box.middle
    nx = cx + (x - cx) * math.cos(t) + (y - cy) * math.sin(t)
    ny = cy - (x - cx) * math.sin(t) + (y - cy) * math.cos(t)
    dx, dy = nx - x, ny - y
    return Box(box.x0 + dx, box.top + dy, box.x1 + dx, box.bottom + dy, box.text, box.confidence)


def _segments(covered: Any, gap: int, length: int) -> list[tuple[int, int]]:
    """Runs of True in a 1-d array, joined across gaps of at most ``gap``, at least ``length`` long."""
    import numpy as np

    at = np.flatnonzero(covered)
    if not len(at):
        return []
    breaks = np.flatnonzero(np.diff(at) > gap + 1)
    starts = np.concatenate([[at[0]], at[breaks + 1]])
    ends = np.concatenate([at[breaks], [at[-1]]])
    return [(int(a), int(b)) for a, b in zip(starts, ends) if b - a + 1 >= length]


def rulings(dark: Any, em: float) -> list[dict[str, Any]]:
    """The straight lines of a (straightened) page as pdfplumber's edges: long runs of dark pixels, a
    horizontal one at least two lines of text long, a vertical one at least one; the rows (columns) of one
    line's thickness are one edge at their middle."""

    edges: list[dict[str, Any]] = []
    for axis, orientation, length in ((1, "h", max(int(2 * em), 16)), (0, "v", max(int(em), 10))):
        along = _runs(dark, length, axis=axis)
        across = along.any(axis=axis)
        for first, last in _segments(across, 1, 1):
            middle = (first + last) / 2
            band = along[first:last + 1] if axis == 1 else along[:, first:last + 1]
            for a, b in _segments(band.any(axis=1 - axis), 3, length):
                if orientation == "h":
                    edges.append({"x0": a, "x1": b, "top": middle, "bottom": middle, "width": b - a, "height": 0,
                                  "orientation": "h", "object_type": "line"})
                else:
                    edges.append({"x0": middle, "x1": middle, "top": a, "bottom": b, "width": 0, "height": b - a,
                                  "orientation": "v", "object_type": "line"})
    return edges


def grid_tables(edges: list[dict[str, Any]], tolerance: float) -> list[list[tuple[float, float, float, float]]]:
    """The ruled tables the edges draw, each a list of cells (x0, top, x1, bottom), by pdfplumber's
    algorithm (snap and join the edges, find where they cross, take the smallest rectangles)."""
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    merged = merge_edges(edges, tolerance, tolerance, tolerance, tolerance)
    crossings = edges_to_intersections(merged, tolerance, tolerance)
    return [table for table in cells_to_tables(intersections_to_cells(crossings)) if len(table) > 1]


def page_items(boxes: list[Box], tables: list[list[tuple[float, float, float, float]]]) -> list[list[list[Box]]]:
    """A page as lines from top to bottom, each a list of fields, each field the boxes read into it:
    a ruled table's row has a field per cell (its boxes in reading order), a line outside the tables a
    field per box (the boxes on one level, left to right)."""
    inside: dict[tuple[float, float, float, float], list[Box]] = {}
    outside: list[Box] = []
    for box in boxes:
        cell = _cell_at(tables, box)
        if cell is not None:
            inside.setdefault(cell, []).append(box)
        else:
            outside.append(box)
    items: list[tuple[float, int, list[list[Box]]]] = []
    for line in lines_of(outside):
        items.append((min(b.top for b in line), 0, [[b] for b in line]))
    for table in tables:
        tops = sorted({c[1] for c in table})
        rows: dict[float, list[tuple[float, list[Box]]]] = {top: [] for top in tops}
        for cell in table:
            lines = lines_of(inside.get(cell, []))
            spanned = [top for top in tops if cell[1] <= top < cell[3]]
            if len(lines) > 1 and len(spanned) > 1 and all(_NUMBER.match(b.text.strip()) for ln in lines for b in ln):
                # Numbers on several rows of one tall cell: a ruling between them too faint to be found (a
                # form's tall cells are labels). Each number goes to the row it stands in, never joined.
                for line in lines:
                    middle = sum(b.middle for b in line) / len(line)
                    rows[max((t for t in spanned if t <= middle), default=spanned[0])].append((cell[0], line))
                continue
            rows[cell[1]].append((cell[0], [b for line in lines for b in line]))
        for top in tops:
            fields = [boxes for _, boxes in sorted(rows[top], key=lambda field: field[0])]
            if any(fields):
                items.append((top, 1, fields))
    items.sort(key=lambda item: (item[0], item[1]))
    return [fields for _, _, fields in items]


@dataclass(frozen=True)
class Layout:
    """A page straightened: its image, its boxes turned with it, and the ruled tables drawn on it."""

    image: Any  # the page's gray image (the red channel), turned straight
    boxes: list[Box]
    tables: list[list[tuple[float, float, float, float]]]
    em: float  # the usual height of a text box: a line of text, in pixels


def page_layout(gray: Any, boxes: list[Box]) -> Layout:
    """A page's skew measured on its long horizontal strokes, the page and its boxes turned straight, and
    the rulings found on it as tables."""
    import numpy as np
    from PIL import Image

    if not boxes:
        return Layout(gray, boxes, [], 0.0)
    em = float(np.median([b.bottom - b.top for b in boxes]))
    dark = np.asarray(gray) < DARK
    degrees = skew(dark, max(int(2 * em), 16))
    if abs(degrees) > 0.01:
        gray = np.asarray(Image.fromarray(np.asarray(gray)).rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255))
        dark = gray < DARK
        height, width = dark.shape
        boxes = [_straighten(b, degrees, width, height) for b in boxes]
    return Layout(gray, boxes, grid_tables(rulings(dark, em), tolerance=max(3.0, em / 5)), em)


def reread_cells(layout: Layout, recognise: Any) -> list[Box]:
    """The page's boxes, and a box for each table cell that has ink but no box (OCR's detector passes over
    a lone digit now and then), or one box OCR was unsure of: the ink cut out with a margin and read alone,
    kept when surer than the box. Read alone, a 0 often comes back as a ring (。, ., o): a ring as tall as
    half a line and no wider than tall is read as 0 with :data:`RING_CONFIDENCE`, so its cell is flagged.
    ``recognise(image) -> (text, confidence)`` reads one cut-out line of text."""
    import numpy as np

    inset = max(3, int(layout.em / 6))
    held: dict[tuple[float, float, float, float], list[Box]] = {}
    for box in layout.boxes:
        cell = _cell_at(layout.tables, box)
        if cell is not None:
            held.setdefault(cell, []).append(box)
    out = list(layout.boxes)
    height, width = layout.image.shape
    for table in layout.tables:
        for cell in table:
            boxes = held.get(cell, [])
            if len(boxes) > 1 or (boxes and boxes[0].confidence >= OCR_SURE):
                continue
            x0, top, x1, bottom = (int(cell[0]) + inset, int(cell[1]) + inset, int(cell[2]) - inset,
                                   int(cell[3]) - inset)
            if x1 - x0 < layout.em / 2 or bottom - top < layout.em / 2:
                continue
            ink = layout.image[top:bottom, x0:x1] < DARK
            if int(ink.sum()) < layout.em:  # a blank cell: nothing to read
                continue
            rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
            margin = int(layout.em / 3)
            a, b = max(top + rows[0] - margin, 0), min(top + rows[-1] + 1 + margin, height)
            c, d = max(x0 + cols[0] - margin, 0), min(x0 + cols[-1] + 1 + margin, width)
            text, confidence = recognise(layout.image[a:b, c:d])
            text = text.strip()
            tall, wide = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
            if text in _RINGS and tall >= layout.em / 2 and wide <= tall:
                # A ring as tall as a digit, alone in a cell: a 0 read without its row. Kept unsure (flagged).
                text, confidence = "0", min(confidence, RING_CONFIDENCE)
            if not text or (boxes and confidence <= boxes[0].confidence):
                continue
            if boxes:
                out.remove(boxes[0])
            out.append(Box(float(c), float(a), float(d), float(b), text, confidence))
    return out


def _cell_at(tables: list[list[tuple[float, float, float, float]]], box: Box
             ) -> tuple[float, float, float, float] | None:
    """The table cell that holds the middle of a box."""
    x, y = (box.x0 + box.x1) / 2, box.middle
    for table in tables:
        for cell in table:
            if cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                return cell
    return None


def read_scan(data: bytes, *, path: str | None = None, dpi: int = DPI
              ) -> tuple[str, dict[int, tuple[tuple[int, int, float], ...]], int]:
    """The text of a scanned PDF by OCR; the boxes' spans and confidences by
    1-based line number; the number of pages."""
    try:
        import numpy as np
        import pypdfium2 as pdfium
    except ImportError:
        raise MissingDependencyError("is a scanned PDF; reading it needs pypdfium2: pip install 'gixml[ocr]'",
                                     path=path) from None
    if not available():
        raise MissingDependencyError("is a PDF without a text layer (a scan); gixml reads it by OCR with the "
                                     "optional extra: pip install 'gixml[ocr]' (or run ocrmypdf -l chi_sim on it "
                                     "first)", path=path)
    try:
        pdf = pdfium.PdfDocument(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFileError(f"is not a readable PDF ({type(exc).__name__}: {exc})", path=path) from None
    engine = _engine()

    def recognise(cut: Any) -> tuple[str, float]:
        found, _ = engine(np.stack([cut, cut, cut], axis=-1), use_det=False, use_cls=False, use_rec=True)
        return (str(found[0][0]), float(found[0][1])) if found else ("", 0.0)

    lines: list[str] = []
    confidences: dict[int, tuple[tuple[int, int, float], ...]] = {}
    pages = len(pdf)
    for n in range(pages):
        image = np.asarray(pdf[n].render(scale=dpi / 72).to_pil().convert("RGB"))
        red = image[..., 0]  # a red seal is light in the red channel, black print dark: the seal fades away
        found, _ = engine(np.stack([red, red, red], axis=-1), use_cls=False)
        boxes = [Box(min(p[0] for p in corners), min(p[1] for p in corners), max(p[0] for p in corners),
                     max(p[1] for p in corners), str(text), float(conf)) for corners, text, conf in (found or [])]
        layout = page_layout(red, boxes)
        texts, spans = page_text(reread_cells(layout, recognise), layout.tables)
        for text, span in zip(texts, spans):
            lines.append(text)
            confidences[len(lines)] = span
        lines.append("")  # between pages
    return "\n".join(lines) + "\n", confidences, pages
