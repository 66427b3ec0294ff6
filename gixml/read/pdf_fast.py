"""PDF → text through pdfium: the same text as pdfplumber's reading, about five times sooner.

pdfplumber spends most of its time in pdfminer's pure-Python parsing of the
page content. Here pdfium (``pypdfium2``, C++) reads the pages: its text page
gives each character's code point, text matrix, font and size, in content-stream
order, and its path objects give the rulings. From these the characters and
edges are rebuilt as pdfplumber's dicts, with pdfminer's own arithmetic (a
character's box from the font's descent in its descriptor and its advance
width, as ``pdfminer.layout.LTChar`` computes it; a path split into lines,
rectangles and curves as ``PDFLayoutAnalyzer.paint_path`` splits it), and
pdfplumber's table and text-line functions make the page's text, so the two
engines give the same text.

What pdfium cannot tell apart from what pdfminer would do differently is
refused, and the caller reads the document with pdfplumber instead
(:class:`Unsupported`): rotated pages or a media box not at the origin, form
XObjects, fonts other than Type1/TrueType (with /Widths) or Type0
(Identity-H/V) with a descriptor and a ToUnicode map, vertical fonts with
their own metrics (W2/DW2) or several glyphs in one text object, text state
that pdfminer handles its own way (character or word spacing, horizontal
scaling, rise: ``Tc Tw Tz Ts "``), ActualText (pdfium shows it in place of
the glyphs), characters without a Unicode mapping, mapped to several or beyond
the BMP, and text objects pdfium leaves out of its text page (a duplicate drawn
for fake bold). pdfium's text page orders the text objects of a line its own
way; the characters are put back in the order of the page's objects, which is
pdfminer's.
"""
from __future__ import annotations

import bisect
import ctypes
import io
import re
import threading
from typing import Any

from ..errors import GixmlError

#: The text-state operators whose effect pdfminer computes unlike the PDF
#: reference (``Tc`` is not added after the last glyph of a string) or that
#: this reader does not reproduce; any non-zero use sends the document to pdfplumber.
_TEXT_STATE = re.compile(rb"(?<![\w.+-])([-+]?(?:\d+\.?\d*|\.\d+))\s+(Tc|Tw|Tz|Ts)(?![\w])")
#: The ``"`` operator sets word and character spacing (a string then ``"``).
_QUOTE_OP = re.compile(rb"[)>]\s*\"")
#: The tag of a subset font's name, which pdfium leaves out of some fonts' names.
_SUBSET = re.compile(rb"^[A-Z]{6}\+")
#: pdfium's page object types.
_TEXT, _PATH, _FORM = 1, 2, 5
#: pdfium's path segment types.
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2


#: pdfium is not thread-safe: one document at a time per process (a Dask worker runs tasks in threads).
_PDFIUM = threading.Lock()


class Unsupported(Exception):
    """A document (or page) this engine does not read exactly as pdfplumber would; read it with pdfplumber."""


def page_texts(data: bytes) -> tuple[list[str], int]:
    """The text of each page (as ``pdf._pdf_page`` makes it) and the number of characters in the document.

    Raises :class:`Unsupported` for anything the fast path cannot reproduce,
    including a file pdfium or pdfminer cannot open (pdfplumber then gives the
    error).
    """
    with _PDFIUM:
        return _page_texts(data)


def _page_texts(data: bytes) -> tuple[list[str], int]:
    """``page_texts``, pdfium's lock held."""
    import pypdfium2 as pdfium
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        mpages = list(PDFPage.create_pages(doc))
    except GixmlError:  # a time limit (batch --timeout) is not a file pdfminer cannot open
        raise
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        raise Unsupported("pdfminer cannot open it") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except GixmlError:
        raise
    except Exception:  # noqa: BLE001
        raise Unsupported("pdfium cannot open it") from None
    try:
        if len(pdf) != len(mpages):
            raise Unsupported("page count differs")
        texts: list[str] = []
        chars = 0
        doctop = 0.0
        font_cache: dict[Any, tuple[bytes, tuple[float, bool]]] = {}  # font object number → name, metrics
        for index, mpage in enumerate(mpages):
            width, height, fonts = _page_setup(mpage, font_cache)
            page = pdf[index]
            try:
                page_chars, lines, rects, curves = _page_objects(page, fonts, height, doctop)
            finally:
                page.close()
            chars += len(page_chars)
            texts.append(_page_text(page_chars, lines, rects, curves, (0, 0, width, height)))
            doctop += height
        return texts, chars
    finally:
        pdf.close()


def _page_setup(mpage: Any, font_cache: dict[Any, tuple[bytes, tuple[float, bool]]] | None = None
                ) -> tuple[float, float, dict[bytes, set[tuple[float, bool]]]]:
    """A pdfminer page's size and its fonts by name (descent, vertical), after the checks that need the PDF objects."""
    from pdfminer.pdftypes import resolve1, stream_value

    font_cache = {} if font_cache is None else font_cache
    attrs = mpage.attrs
    rotation = resolve1(attrs.get("Rotate", 0)) or 0
    if not isinstance(rotation, (int, float)) or rotation % 360:
        raise Unsupported("rotated page")
    box = resolve1(attrs.get("MediaBox"))
    try:
        x0, y0, x1, y1 = (resolve1(v) for v in box)
    except (TypeError, ValueError):
        raise Unsupported("odd media box") from None
    if not all(isinstance(v, (int, float)) for v in (x0, y0, x1, y1)) or x0 != 0 or y0 != 0 or x1 <= 0 or y1 <= 0:
        raise Unsupported("media box not at the origin")
    resources = resolve1(mpage.resources) or {}
    xobjects = resolve1(resources.get("XObject")) or {}
    for ref in xobjects.values():
        xobject = resolve1(ref)
        subtype = getattr(xobject.get("Subtype") if hasattr(xobject, "get") else None, "name", None)
        if subtype != "Image":
            raise Unsupported("form XObject")
    for ref in (resolve1(resources.get("Properties")) or {}).values():
        properties = resolve1(ref)
        if hasattr(properties, "get") and "ActualText" in properties:
            raise Unsupported("ActualText")  # pdfium's text page shows it in place of the glyphs; pdfminer does not
    fonts: dict[bytes, set[tuple[float, bool]]] = {}
    for ref in (resolve1(resources.get("Font")) or {}).values():
        key = getattr(ref, "objid", None)  # a font shared by pages is looked at once
        known = font_cache.get(key) if key is not None else None
        if known is None:
            known = _font_metrics(resolve1(ref))
            if key is not None:
                font_cache[key] = known
        name, metrics = known
        fonts.setdefault(name, set()).add(metrics)
    for stream in mpage.contents:
        content = stream_value(stream).get_data()
        if not any(op in content for op in (b"Tc", b"Tw", b"Tz", b"Ts")):
            matches = []
        else:
            matches = list(_TEXT_STATE.finditer(content))
        for match in matches:
            value = float(match.group(1))
            if value != (100 if match.group(2) == b"Tz" else 0):
                raise Unsupported(f"text state {match.group(2).decode()}")
        if _QUOTE_OP.search(content):
            raise Unsupported('the " operator')
        if b"ActualText" in content:
            raise Unsupported("ActualText")
    return float(x1), float(y1), fonts


def _font_metrics(spec: Any) -> tuple[bytes, tuple[float, bool]]:
    """A font's name as pdfium gives it, and (descent, vertical) as pdfminer computes them; or Unsupported."""
    from pdfminer.pdftypes import resolve1

    def name_of(value: Any) -> str | None:
        return getattr(resolve1(value), "name", None)

    if not hasattr(spec, "get"):
        raise Unsupported("odd font")
    subtype = name_of(spec.get("Subtype"))
    if "ToUnicode" not in spec:
        raise Unsupported("font without ToUnicode")
    vertical = False
    if subtype == "Type0":
        encoding = name_of(spec.get("Encoding"))
        if encoding not in ("Identity-H", "Identity-V"):
            raise Unsupported("Type0 font encoding")
        descendants = resolve1(spec.get("DescendantFonts"))
        if not isinstance(descendants, list) or not descendants:
            raise Unsupported("Type0 font without descendant")
        font = resolve1(descendants[0])
        vertical = encoding == "Identity-V"
        if vertical and ("W2" in font or "DW2" in font):
            raise Unsupported("vertical font metrics")
        widths: tuple[Any, ...] = (font.get("W", []), font.get("DW", 1000))
    elif subtype in ("Type1", "TrueType"):
        font = spec
        if "Widths" not in font:
            raise Unsupported("simple font without Widths")
        widths = (font.get("Widths"),)
    else:
        raise Unsupported(f"{subtype} font")
    if not _integral(widths):  # pdfium keeps a font's widths as integers, pdfminer as they are printed
        raise Unsupported("fractional glyph widths")
    descriptor = resolve1(font.get("FontDescriptor"))
    if not hasattr(descriptor, "get"):
        raise Unsupported("font without descriptor")
    descent = resolve1(descriptor.get("Descent", 0))
    if not isinstance(descent, (int, float)):
        raise Unsupported("odd descent")
    if descent > 0:  # pdfminer: "PDF RM 9.8.1 specifies /Descent should always be a negative number"
        descent = -descent
    basefont = resolve1(spec.get("BaseFont"))
    name = getattr(basefont, "name", None)
    if not isinstance(name, str):
        raise Unsupported("font without name")
    return _SUBSET.sub(b"", name.encode("utf-8", "surrogateescape")), (float(descent), vertical)


def _integral(value: Any) -> bool:
    """Whether every number in a (nested) PDF array is a whole number."""
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    if isinstance(value, (list, tuple)):
        return all(_integral(item) for item in value)
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _page_objects(page: Any, fonts: dict[bytes, set[tuple[float, bool]]], height: float,
                  doctop: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """A page's characters, lines, rectangles and curves as pdfplumber's dicts."""
    import pypdfium2.raw as pdfium_c

    api = _api()
    raw = page.raw
    handle = ctypes.cast(raw, ctypes.c_void_p).value
    order: dict[int, int] = {}  # text object address → its index among the page's objects
    lines: list[dict[str, Any]] = []
    rects: list[dict[str, Any]] = []
    curves: list[dict[str, Any]] = []
    matrix = pdfium_c.FS_MATRIX()
    get_object, get_type = api.page_object, api.object_type
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        address = get_object(handle, i)
        kind = get_type(address)
        if kind == _TEXT:
            order[address] = i
        elif kind == _PATH:
            obj = pdfium_c.FPDFPage_GetObject(raw, i)
            _path_objects(obj, matrix, height, doctop, lines, rects, curves)
        elif kind == _FORM:
            raise Unsupported("form object")
    chars = _chars(page, fonts, order, height, doctop)
    return chars, lines, rects, curves


def _chars(page: Any, fonts: dict[bytes, set[tuple[float, bool]]], order: dict[int, int], height: float,
           doctop: float) -> list[dict[str, Any]]:
    """The characters of a page's text page, as pdfplumber's char dicts with pdfminer's boxes."""
    import pypdfium2.raw as pdfium_c

    textpage = pdfium_c.FPDFText_LoadPage(page.raw)
    if not textpage:
        raise Unsupported("no text page")
    try:
        count = pdfium_c.FPDFText_CountChars(textpage)
        buffer = ctypes.create_string_buffer(2 * count + 2)
        got = pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[:2 * max(got - 1, 0)].decode("utf-16-le", "surrogatepass")
        if len(text) != count or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            raise Unsupported("characters beyond the BMP")
        handle = ctypes.cast(textpage, ctypes.c_void_p).value
        api = _api()
        is_generated, map_error, get_object, get_origin = api.is_generated, api.map_error, api.text_object, api.origin
        get_font, get_size, get_matrix = api.font, api.font_size, api.matrix
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        x_ref, y_ref = ctypes.addressof(origin_x), ctypes.addressof(origin_y)
        font_cache: dict[int, tuple[Any, set[tuple[float, bool]]]] = {}
        runs: list[tuple[int, list[dict[str, Any]]]] = []  # (text object's index, its characters)
        matrix = pdfium_c.FS_MATRIX()
        width = ctypes.c_float()
        size = ctypes.c_float()
        name = ctypes.create_string_buffer(256)
        size_ref, matrix_ref = ctypes.addressof(size), ctypes.addressof(matrix)
        # text object address → (font size, the font's possible metrics, font, font address, matrix)
        objects: dict[int, tuple[float, set[tuple[float, bool]], Any, int, tuple[float, float, float, float, float, float]]] = {}
        glyphs: dict[tuple[int, str], tuple[float, float, bool]] = {}  # (font, character) → (width, descent, vertical)
        last_obj = -1
        last_origin: tuple[float, float] | None = None
        run: list[dict[str, Any]] = []
        for i, ch in enumerate(text):
            # pdfium adds spaces and line ends of its own between words and lines: not pdfminer's characters
            if ch in " \r\n" and is_generated(handle, i):  # pdfium generates only these
                continue
            if map_error(handle, i):
                raise Unsupported("character without Unicode mapping")
            address = get_object(handle, i) or 0
            info = objects.get(address)
            if info is None:
                index = order.get(address)
                if index is None:
                    raise Unsupported("a character of no text object")
                if not get_size(address, size_ref):
                    raise Unsupported("no font size")
                font_address = get_font(address) or 0
                cached = font_cache.get(font_address)
                if cached is None:
                    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, i))
                    length = pdfium_c.FPDFFont_GetBaseFontName(font, name, len(name))
                    if not 0 < length <= len(name):
                        raise Unsupported("font name")
                    candidates = fonts.get(_SUBSET.sub(b"", name.raw[:length - 1]))
                    if not candidates:
                        raise Unsupported("font not in the page's resources")
                    cached = font_cache[font_address] = (font, candidates)
                font, candidates = cached
                # the text object's matrix (its position, not the character's)
                if not get_matrix(handle, i, matrix_ref):
                    raise Unsupported("no matrix")
                info = objects[address] = (size.value, candidates, font, font_address,
                                           (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f))
                run = []
                runs.append((index, run))
            elif address != last_obj:
                raise Unsupported("a text object's characters not together")
            fontsize, candidates, font, font_address, (a, b, c, d, e, f) = info
            get_origin(handle, i, x_ref, y_ref)
            first = address != last_obj
            if not first and last_origin == (origin_x.value, origin_y.value):
                raise Unsupported("one code mapped to several characters")
            last_obj, last_origin = address, (origin_x.value, origin_y.value)
            key = (font_address, ch)
            glyph = glyphs.get(key)
            if glyph is None:
                if not pdfium_c.FPDFFont_GetGlyphWidth(font, ord(ch), ctypes.c_float(1000.0), ctypes.byref(width)):
                    raise Unsupported("glyph width")
                w = width.value
                # A vertical font's glyphs advance down (-1000: the default of DW2, the only metrics read here).
                matching = [m for m in candidates if m[1] == (w < 0)]
                if len({m[0] for m in matching}) != 1 or (matching[0][1] and w != -1000):
                    raise Unsupported("font metrics not known for certain")
                glyph = glyphs[key] = (w, *matching[0])
            w, descent, vertical = glyph
            textwidth = w * 0.001
            adv = textwidth * fontsize * 1.0
            if vertical:
                # pdfium's origin of a vertical glyph is its box's corner (found from its own metrics), so the
                # pen position is known only for a text object's first glyph, the object's position.
                if not first:
                    raise Unsupported("vertical text of several glyphs in one text object")
                vx = fontsize * 0.5
                vy = (1000 - 880) * fontsize * 0.001
                box = (-vx, vy + 0 + adv, -vx + fontsize, vy + 0)
            else:
                e, f = last_origin
                desc = descent * 0.001 * fontsize
                box = (0, desc + 0, adv, desc + 0 + fontsize)
            if b == 0 and c == 0:  # apply_matrix_rect's arithmetic, for an unrotated matrix
                bx0, by0, bx1, by1 = box
                x0, x1 = a * bx0 + e, a * bx1 + e
                y0, y1 = d * by0 + f, d * by1 + f
                if x1 < x0:
                    x0, x1 = x1, x0
                if y1 < y0:
                    y0, y1 = y1, y0
            else:
                x0, y0, x1, y1 = _apply_matrix_rect((a, b, c, d, e, f), box)
            top = (height - y1) + 0
            run.append({
                "text": ch, "size": (x1 - x0) if vertical else (y1 - y0), "adv": adv,
                "upright": a * d * 1.0 > 0 and b * c <= 0, "matrix": (a, b, c, d, e, f),
                "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
                "top": top, "bottom": (height - y0) + 0, "doctop": doctop + top, "object_type": "char",
            })
        if len(runs) != len(order):
            raise Unsupported("a text object left out of pdfium's text page")
        # pdfium's text page puts the text objects of a line in its own order; pdfminer keeps the content's.
        runs.sort(key=lambda run: run[0])
        return [char for _, run in runs for char in run]
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


class _Api:
    """The pdfium functions called once per character or page object, bound to take and give plain addresses."""

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium_c

        p, i = ctypes.c_void_p, ctypes.c_int
        self.page_object = _cfunc(pdfium_c.FPDFPage_GetObject, p, p, i)
        self.object_type = _cfunc(pdfium_c.FPDFPageObj_GetType, i, p)
        self.is_generated = _cfunc(pdfium_c.FPDFText_IsGenerated, i, p, i)
        self.map_error = _cfunc(pdfium_c.FPDFText_HasUnicodeMapError, i, p, i)
        self.text_object = _cfunc(pdfium_c.FPDFText_GetTextObject, p, p, i)
        self.origin = _cfunc(pdfium_c.FPDFText_GetCharOrigin, i, p, i, p, p)
        self.matrix = _cfunc(pdfium_c.FPDFText_GetMatrix, i, p, i, p)
        self.font = _cfunc(pdfium_c.FPDFTextObj_GetFont, p, p)
        self.font_size = _cfunc(pdfium_c.FPDFTextObj_GetFontSize, i, p, p)
        self.segment = _cfunc(pdfium_c.FPDFPath_GetPathSegment, p, p, i)
        self.segment_type = _cfunc(pdfium_c.FPDFPathSegment_GetType, i, p)
        self.segment_point = _cfunc(pdfium_c.FPDFPathSegment_GetPoint, i, p, p, p)
        self.segment_close = _cfunc(pdfium_c.FPDFPathSegment_GetClose, i, p)


_API: list[_Api] = []


def _api() -> _Api:
    """The bound pdfium functions, made once."""
    if not _API:
        _API.append(_Api())
    return _API[0]


def _cfunc(function: Any, restype: Any, *argtypes: Any) -> Any:
    """A pdfium function called with plain addresses and numbers: several times quicker per call than
    pypdfium2's typed binding, for the calls made once per character."""
    address = ctypes.cast(function, ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _apply_matrix_rect(m: tuple[float, float, float, float, float, float],
                       rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """pdfminer.utils.apply_matrix_rect: the upright box around a rectangle mapped by a matrix."""
    a, b, c, d, e, f = m
    x0, y0, x1, y1 = rect
    left1, bottom1 = a * x0 + c * y0 + e, b * x0 + d * y0 + f
    right1, bottom2 = a * x1 + c * y0 + e, b * x1 + d * y0 + f
    right2, top1 = a * x1 + c * y1 + e, b * x1 + d * y1 + f
    left2, top2 = a * x0 + c * y1 + e, b * x0 + d * y1 + f
    return (min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2),
            max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2))


def _path_objects(obj: Any, matrix: Any, height: float, doctop: float, lines: list[dict[str, Any]],
                  rects: list[dict[str, Any]], curves: list[dict[str, Any]]) -> None:
    """A painted path as pdfminer's lines, rectangles and curves (one per subpath), as pdfplumber's dicts."""
    import pypdfium2.raw as pdfium_c

    fillmode = ctypes.c_int()
    stroke = ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fillmode), ctypes.byref(stroke)):
        raise Unsupported("path draw mode")
    if fillmode.value == 0 and not stroke.value:
        return
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        raise Unsupported("path matrix")
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    api = _api()
    get_segment, segment_type, segment_point, segment_close = (api.segment, api.segment_type, api.segment_point,
                                                               api.segment_close)
    x = ctypes.c_float()
    y = ctypes.c_float()
    x_ref, y_ref = ctypes.addressof(x), ctypes.addressof(y)
    handle = ctypes.cast(obj, ctypes.c_void_p).value
    # The path as pdfminer records it: (operator, point); a closed segment adds "h".
    path: list[tuple[str, tuple[float, float]]] = []
    curve_points = 0  # pdfium gives a Bézier segment as three points; pdfminer keeps its last
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = get_segment(handle, i)
        kind = segment_type(segment)
        if not segment_point(segment, x_ref, y_ref):
            raise Unsupported("path point")
        px, py = float(x.value), float(y.value)
        point = (a * px + c * py + e, b * px + d * py + f)
        if kind == _MOVETO:
            path.append(("m", point))
        elif kind == _LINETO:
            path.append(("l", point))
        elif kind == _BEZIERTO:
            curve_points += 1
            if curve_points % 3:
                if segment_close(segment):
                    raise Unsupported("path closed at a control point")
                continue
            path.append(("c", point))
        else:
            raise Unsupported("path segment type")
        if kind != _BEZIERTO and curve_points % 3:
            raise Unsupported("Bézier segment of fewer than three points")
        if segment_close(segment):
            path.append(("h", point))
    if not path or path[0][0] != "m":  # pdfminer paints nothing of a path that does not start with a move
        return
    start = 0
    for i in range(1, len(path) + 1):
        if i == len(path) or path[i][0] == "m":
            sub = path[start:i]
            start = i
            if len(sub) > 1:
                _paint_subpath(sub, height, doctop, lines, rects, curves)


def _paint_subpath(sub: list[tuple[str, tuple[float, float]]], height: float, doctop: float,
                   lines: list[dict[str, Any]], rects: list[dict[str, Any]], curves: list[dict[str, Any]]) -> None:
    """pdfminer's PDFLayoutAnalyzer.paint_path for one subpath: a line, a rectangle or a curve."""
    shape = "".join(op for op, _ in sub)
    pts = [point if op != "h" else sub[0][1] for op, point in sub]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        lines.append(_curve_dict(pts[:2], height, doctop, "line"))
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            rects.append(_curve_dict([(x0, y0), (x2, y0), (x2, y2), (x0, y2)], height, doctop, "rect"))
        else:
            curves.append(_curve_dict(pts, height, doctop, "curve"))
    else:
        curves.append(_curve_dict(pts, height, doctop, "curve"))


def _curve_dict(pts: list[tuple[float, float]], height: float, doctop: float, kind: str) -> dict[str, Any]:
    """An LTLine / LTRect / LTCurve as pdfplumber's object dict (the keys its edges use)."""
    x0 = min(p[0] for p in pts)
    y0 = min(p[1] for p in pts)
    x1 = max(p[0] for p in pts)
    y1 = max(p[1] for p in pts)
    top = (height - y1) + 0
    return {"object_type": kind, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "top": top, "bottom": (height - y0) + 0, "doctop": doctop + top,
            "pts": [(px, 0 + height - py) for px, py in pts]}


def _page_text(chars: list[dict[str, Any]], lines: list[dict[str, Any]], rects: list[dict[str, Any]],
               curves: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> str:
    """The page's text as ``pdf._pdf_page`` makes it from a pdfplumber page: tables, and the lines around them."""
    from pdfplumber import utils
    from pdfplumber.table import (
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
        merge_edges,
    )

    settings = TableSettings.resolve(None)
    edges = [utils.line_to_edge(line) for line in lines]
    for rect in rects:
        edges.extend(utils.rect_to_edges(rect))
    for curve in curves:
        edges.extend(utils.curve_to_edges(curve))
    v = utils.filter_edges(edges, "v", min_length=settings.edge_min_length_prefilter)
    h = utils.filter_edges(edges, "h", min_length=settings.edge_min_length_prefilter)
    merged = merge_edges(v + h, snap_x_tolerance=settings.snap_x_tolerance, snap_y_tolerance=settings.snap_y_tolerance,
                         join_x_tolerance=settings.join_x_tolerance, join_y_tolerance=settings.join_y_tolerance)
    merged = utils.filter_edges(merged, min_length=settings.edge_min_length)
    intersections = edges_to_intersections(merged, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    tables = [_table_rows(cells, chars, settings.text_settings or {})
              for cells in cells_to_tables(_intersections_to_cells(intersections))]
    boxes = [box for box, _ in tables]

    def outside(obj: dict[str, Any]) -> bool:
        return not any(x0 - 1 <= obj["x0"] and obj["x1"] <= x1 + 1 and top - 1 <= obj["top"] and obj["bottom"] <= bottom + 1
                       for x0, top, x1, bottom in boxes)

    from .common import cell_text

    rest = [char for char in chars if outside(char)] if boxes else chars
    textmap = utils.chars_to_textmap(rest, layout_bbox=bbox, layout_width=bbox[2] - bbox[0],
                                     layout_height=bbox[3] - bbox[1])
    items: list[tuple[float, int, str]] = [(line["top"], 0, line["text"])
                                           for line in textmap.extract_text_lines(strip=True, return_chars=True)]
    for box, rows in tables:
        texts = ["\t".join(cell_text(c) for c in row if c is not None) for row in rows]
        items.append((box[1], 1, "\n".join(r for r in texts if r.strip())))
    items.sort(key=lambda item: (item[0], item[1]))
    return "\n".join(text for _, _, text in items)


def _intersections_to_cells(intersections: dict[tuple[float, float], dict[str, list[dict[str, Any]]]]
                            ) -> list[tuple[float, float, float, float]]:
    """pdfplumber.table.intersections_to_cells, the same cells in the same order, without its quadratic scans:
    each point's edges as a set once, and the points below and to the right of a point looked up, not searched."""
    def boxes(edges: list[dict[str, Any]]) -> set[tuple[float, float, float, float]]:
        return {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges}

    vertical = {point: boxes(edges["v"]) for point, edges in intersections.items()}
    horizontal = {point: boxes(edges["h"]) for point, edges in intersections.items()}

    def connects(p1: tuple[float, float], p2: tuple[float, float]) -> bool:
        if p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]):
            return True
        return p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])

    points = sorted(intersections)
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for point in points:  # in sorted order, so each list is too
        by_x.setdefault(point[0], []).append(point)
        by_y.setdefault(point[1], []).append(point)
    cells: list[tuple[float, float, float, float]] = []
    for i, pt in enumerate(points[:-1]):
        # pdfplumber takes the later points of pt's column (below it) and of pt's row (right of it), in order
        column, row = by_x[pt[0]], by_y[pt[1]]
        below = column[column.index(pt) + 1:]
        right = row[row.index(pt) + 1:]
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                bottom_right = (right_pt[0], below_pt[1])
                if bottom_right in intersections and connects(bottom_right, right_pt) and connects(bottom_right, below_pt):
                    cell = (pt[0], pt[1], bottom_right[0], bottom_right[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _table_rows(cells: list[tuple[float, float, float, float]], chars: list[dict[str, Any]],
                text_settings: dict[str, Any]) -> tuple[tuple[float, float, float, float], list[list[str | None]]]:
    """pdfplumber's Table(...).bbox and .extract(): a table's box and its rows of cell texts (None: no cell)."""
    from pdfplumber.table import Table

    table = Table(None, cells)  # type: ignore[arg-type]  # only bbox and rows are used, not the page
    from pdfplumber import utils

    # each character's middle, as Table.extract's char_in_bbox computes it; sorted by the vertical middle so a
    # row's characters are a slice, put back in page order
    mids = sorted((((ch["top"] + ch["bottom"]) / 2, i, (ch["x0"] + ch["x1"]) / 2, ch) for i, ch in enumerate(chars)),
                  key=lambda m: m[0])
    v_mids = [m[0] for m in mids]
    rows: list[list[str | None]] = []
    for row in table.rows:
        rx0, rtop, rx1, rbottom = row.bbox
        band = mids[bisect.bisect_left(v_mids, rtop):bisect.bisect_left(v_mids, rbottom)]
        row_chars = sorted(((m[2], m[0], m[3], m[1]) for m in band if m[2] >= rx0 and m[2] < rx1),
                           key=lambda m: m[3])
        out: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                out.append(None)
                continue
            x0, top, x1, bottom = cell
            cell_chars = [m[2] for m in row_chars if m[0] >= x0 and m[0] < x1 and m[1] >= top and m[1] < bottom]
            if not cell_chars:
                out.append("")
            elif text_settings == {"x_tolerance": 3, "y_tolerance": 3} and all(ch["upright"] for ch in cell_chars):
                out.append(_cell_text(cell_chars, 3, 3))
            else:
                out.append(utils.extract_text(cell_chars, **text_settings))
        rows.append(out)
    return table.bbox, rows


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """pdfplumber.utils.clustering.make_cluster_dict: each value's cluster, values within tolerance of the last chained."""
    clusters: dict[float, int] = {}
    index, last = -1, None
    for value in sorted(set(values)):
        if last is None or not value <= last + tolerance:
            index += 1
        clusters[value] = index
        last = value
    return clusters


def _cell_text(chars: list[dict[str, Any]], x_tolerance: float, y_tolerance: float) -> str:
    """``pdfplumber.utils.extract_text(chars, x_tolerance=..., y_tolerance=...)`` for upright characters: the same
    lines of words, without the generality (directions, ratios, extra attributes) that makes it slow."""
    from pdfplumber.utils.text import LIGATURES

    # iter_chars_to_lines: lines by clustered top (stable), each sorted by x0
    tops = [ch["top"] for ch in chars]
    if min(tops) == max(tops):  # one line (a number, a short label): no clustering to do
        line_of = {tops[0]: 0}
        by_line = chars
    else:
        line_of = _clusters(tops, y_tolerance)
        by_line = sorted(chars, key=lambda ch: line_of[ch["top"]])
    words: list[tuple[float, str]] = []  # (top, text)
    start = 0
    for end in range(1, len(by_line) + 1):
        if end < len(by_line) and line_of[by_line[end]["top"]] == line_of[by_line[start]["top"]]:
            continue
        line = sorted(by_line[start:end], key=lambda ch: ch["x0"])
        start = end
        # iter_chars_to_words with no blank characters kept and no punctuation split
        word: list[dict[str, Any]] = []
        for ch in line:
            text = ch["text"]
            if text.isspace():
                if word:
                    words.append(_word(word, LIGATURES))
                word = []
            elif text == "":  # `text in ""`: a word of its own
                if word:
                    words.append(_word(word, LIGATURES))
                words.append(_word([ch], LIGATURES))
                word = []
            elif word and (ch["x0"] < word[-1]["x0"] or ch["x0"] > word[-1]["x1"] + x_tolerance
                           or abs(ch["top"] - word[-1]["top"]) > y_tolerance):
                words.append(_word(word, LIGATURES))
                word = [ch]
            else:
                word.append(ch)
        if word:
            words.append(_word(word, LIGATURES))
    # extract_text: the words clustered into lines by their top, words joined by spaces, lines by line ends
    line_of_word = _clusters([top for top, _ in words], y_tolerance)
    ordered = sorted(words, key=lambda w: line_of_word[w[0]])
    lines: list[list[str]] = []
    last = None
    for top, text in ordered:
        if line_of_word[top] != last:
            lines.append([])
            last = line_of_word[top]
        lines[-1].append(text)
    return "\n".join(" ".join(line) for line in lines)


def _word(chars: list[dict[str, Any]], ligatures: dict[str, str]) -> tuple[float, str]:
    """WordExtractor.merge_chars, the top and text only."""
    return min(ch["top"] for ch in chars), "".join(ligatures.get(ch["text"], ch["text"] or "") for ch in chars)
