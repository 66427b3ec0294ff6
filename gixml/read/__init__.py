"""Stage 1 — read: a file → a :class:`Document` (the report's text, its source, its encoding).

In: a path (text in any encoding, a PDF with a text layer, a Word ``.docx``, a
saved web page) or a string. Out: a :class:`Document` whose ``text`` the next
stage splits into lines; in the text of a PDF, Word or web-page original each
table row is one line, its cells separated by tabs.

- ``document.py`` — what a file is and which reader reads it; size limits;
- ``text.py`` — decoding text bytes (byte-order marks, UTF-8, GBK, detection);
- ``markup.py`` — HTML tables inside a text file (markdown's raw HTML) read as tab rows;
- ``pdf.py``, ``docx.py``, ``html.py`` — the readers of originals (optional extras);
- ``common.py`` — what those readers share.
"""
