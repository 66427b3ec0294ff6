"""A scanned PDF (no text layer) → text by OCR, each table row one line of tab-separated cells.

An optional extra (``pip install 'gixml[ocr]'``): RapidOCR (``rapidocr-onnxruntime``,
the PP-OCR Chinese detection and recognition models inside its wheel, run by
onnxruntime on the CPU; nothing is downloaded). Each page is rendered by pdfium
(``pypdfium2``, which pdfplumber already installs) at :data:`DPI`; RapidOCR gives
text boxes with their corners and a confidence; boxes whose vertical middles
fall within one another's height are one line, ordered left to right and
joined by tabs (a box is a cell, or a piece of a label), lines top to bottom,
pages separated by a blank line. Each page is read from its red channel alone,
in which the red seal stamped over many reports' tables fades to near white
while black print stays black.

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


def page_text(boxes: list[Box]) -> tuple[list[str], list[tuple[tuple[int, int, float], ...]]]:
    """A page's lines (boxes joined by tabs) and, per line, each box's span in it with its confidence."""
    texts, spans = [], []
    for line in lines_of(boxes):
        parts, where, at = [], [], 0
        for box in line:
            text = box.text.strip()
            parts.append(text)
            where.append((at, at + len(text), round(box.confidence, 4)))
            at += len(text) + 1
        texts.append("\t".join(parts))
        spans.append(tuple(where))
    return texts, spans


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
    lines: list[str] = []
    confidences: dict[int, tuple[tuple[int, int, float], ...]] = {}
    pages = len(pdf)
    for n in range(pages):
        image = np.asarray(pdf[n].render(scale=dpi / 72).to_pil().convert("RGB"))
        red = image[..., 0]  # a red seal is light in the red channel, black print dark: the seal fades away
        found, _ = engine(np.stack([red, red, red], axis=-1), use_cls=False)
        boxes = [Box(min(p[0] for p in corners), min(p[1] for p in corners), max(p[0] for p in corners),
                     max(p[1] for p in corners), str(text), float(conf)) for corners, text, conf in (found or [])]
        texts, spans = page_text(boxes)
        for text, span in zip(texts, spans):
            lines.append(text)
            confidences[len(lines)] = span
        lines.append("")  # between pages
    return "\n".join(lines) + "\n", confidences, pages
