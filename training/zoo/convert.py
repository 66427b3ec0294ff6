"""Converting back: every tool users run to turn a web page, a Word document or
a PDF into text, run as its users run it.

Each converter is a :class:`Converter`: the kind of document it reads
(``html``, ``docx``, ``pdf``), what it needs (a Python module or a command on
the PATH; :func:`missing` says what is absent, so a test can skip with the
reason) and a function from the document's path to text. Command-line tools
come from Debian packages (``poppler-utils``, ``pandoc``, ``w3m``,
``libreoffice-writer-nogui``); Python libraries from the ``zoo`` extra.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["html", "docx", "pdf"]
TIMEOUT = 120  # seconds a command may take on one document


@dataclass(frozen=True)
class Converter:
    name: str
    kind: Kind
    needs: tuple[str, ...]  # Python modules ("module:bs4") and commands ("command:pdftotext")
    run: Callable[[Path], str]
    #: The same document always gives the same text. pdfminer.six's layout
    #: analysis breaks ties by object address (``id()``), so its text changes
    #: from run to run: it is scored, but left out of the training zoo, which
    #: must rebuild byte for byte.
    stable: bool = True


def _command(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------- html
def bs4_text(separator: str) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        from bs4 import BeautifulSoup

        return BeautifulSoup(_html(path), "html.parser").get_text(separator)
    return run


def lxml_text(path: Path) -> str:
    import lxml.html

    return str(lxml.html.fromstring(path.read_bytes()).text_content())


def html2text_text(path: Path) -> str:
    import html2text

    maker = html2text.HTML2Text()
    maker.body_width = 0
    return str(maker.handle(_html(path)))


def markdownify_text(path: Path) -> str:
    from markdownify import markdownify

    return str(markdownify(_html(path)))


def pandoc(to: str, source: str) -> Callable[[Path], str]:
    return lambda path: _command(["pandoc", "-f", source, "-t", to, "--wrap=none", str(path)])


def w3m_dump(path: Path) -> str:
    return _command(["w3m", "-dump", "-cols", "160", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", str(path)])


# ------------------------------------------------------------------- docx
def python_docx_text(path: Path) -> str:
    """As users write it: the paragraphs, then each table row by row, each cell
    on its own line (a merged cell is printed once per grid cell it covers)."""
    from docx import Document

    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            out += [cell.text for cell in row.cells]
    return "\n".join(out)


def docx2txt_text(path: Path) -> str:
    import docx2txt

    return str(docx2txt.process(str(path)))


def soffice_text(path: Path) -> str:
    with tempfile.TemporaryDirectory() as out:
        soffice_convert(path, "txt:Text (encoded):UTF8", Path(out))
        return (Path(out) / (path.stem + ".txt")).read_text(encoding="utf-8", errors="replace")


def soffice_convert(path: Path | list[Path], to: str, out: Path) -> None:
    """LibreOffice headless, in a profile folder of its own (so that runs do not collide)."""
    paths = path if isinstance(path, list) else [path]
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                        "--outdir", str(out), *map(str, paths)], capture_output=True,
                       timeout=TIMEOUT * max(1, len(paths) // 10), check=True)


# -------------------------------------------------------------------- pdf
def pdftotext(*options: str) -> Callable[[Path], str]:
    return lambda path: _command(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"])


def pdfplumber_text(layout: bool) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            return "\n".join(page.extract_text(layout=layout) or "" for page in pdf.pages)
    return run


def pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdfminer_text(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


CONVERTERS: dict[str, Converter] = {c.name: c for c in [
    Converter("bs4-get_text", "html", ("module:bs4",), bs4_text("")),
    Converter("bs4-get_text-newline", "html", ("module:bs4",), bs4_text("\n")),
    Converter("lxml-text_content", "html", ("module:lxml",), lxml_text),
    Converter("html2text", "html", ("module:html2text",), html2text_text),
    Converter("markdownify", "html", ("module:markdownify",), markdownify_text),
    Converter("pandoc-html-plain", "html", ("command:pandoc",), pandoc("plain", "html")),
    Converter("pandoc-html-markdown", "html", ("command:pandoc",), pandoc("markdown", "html")),
    Converter("w3m-dump", "html", ("command:w3m",), w3m_dump),
    Converter("python-docx", "docx", ("module:docx",), python_docx_text),
    Converter("docx2txt", "docx", ("module:docx2txt",), docx2txt_text),
    Converter("pandoc-docx-plain", "docx", ("command:pandoc",), pandoc("plain", "docx")),
    Converter("soffice-txt", "docx", ("command:soffice",), soffice_text),
    Converter("pdftotext", "pdf", ("command:pdftotext",), pdftotext()),
    Converter("pdftotext-raw", "pdf", ("command:pdftotext",), pdftotext("-raw")),
    Converter("pdftotext-layout", "pdf", ("command:pdftotext",), pdftotext("-layout")),
    Converter("pdfplumber", "pdf", ("module:pdfplumber",), pdfplumber_text(False)),
    Converter("pdfplumber-layout", "pdf", ("module:pdfplumber",), pdfplumber_text(True)),
    Converter("pypdf", "pdf", ("module:pypdf",), pypdf_text),
    Converter("pdfminer", "pdf", ("module:pdfminer",), pdfminer_text, stable=False),
]}


def missing(converter: Converter) -> list[str]:
    """What a converter needs and this machine lacks (empty: it runs)."""
    out = []
    for need in converter.needs:
        kind, name = need.split(":", 1)
        if kind == "module" and importlib.util.find_spec(name) is None:
            out.append(f"the Python module {name} (pip install 'gixml[zoo]')")
        elif kind == "command" and shutil.which(name) is None:
            out.append(f"the command {name} (apt-get install {_DEBIAN.get(name, name)})")
    return out


_DEBIAN = {"pdftotext": "poppler-utils", "soffice": "libreoffice-writer-nogui", "pandoc": "pandoc", "w3m": "w3m"}


def can_make_pdf() -> bool:
    return shutil.which("soffice") is not None and os.environ.get("GIXML_ZOO_NO_PDF") is None
