"""Old word-processor files (.doc, .wps, .rtf) → .docx by LibreOffice, then read as a Word document.

Many reports on government sites are still Word 97–2003 (.doc), WPS (.wps) or
RTF files. No Python library reads them well; LibreOffice does. When ``soffice``
(or ``libreoffice``) is on the PATH, the file is converted headless::

    soffice --headless --norestore -env:UserInstallation=file:///TMP/profile \\
            --convert-to docx --outdir TMP TMP/input.doc

each conversion in a fresh temporary folder with its own LibreOffice profile
(two conversions never share a profile, so batch workers do not block each
other), under a time limit (:data:`CONVERT_TIMEOUT`). Without LibreOffice the
error says how to install it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import MissingDependencyError, UnreadableFileError

#: The suffixes read through LibreOffice.
LEGACY_SUFFIXES = (".doc", ".wps", ".rtf")
#: Seconds one conversion may take (a report converts in 2–5 s; the first run of a profile is the slowest).
CONVERT_TIMEOUT = 120.0
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
RTF_MAGIC = b"{\\rtf"


def is_legacy(data: bytes, suffix: str) -> bool:
    """An RTF file, or an OLE container (Word 97–2003, WPS) named .doc or .wps (or without a suffix)."""
    return data.startswith(RTF_MAGIC) or (data.startswith(OLE_MAGIC) and suffix in (".doc", ".wps", ""))


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, *, suffix: str, path: str | None, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The .docx LibreOffice makes of an old word-processor file's bytes."""
    command = soffice()
    what = {".rtf": "an RTF document", ".wps": "a WPS document"}.get(suffix, "an old Word document (.doc)")
    if command is None:
        raise MissingDependencyError(
            f"is {what}; reading it needs LibreOffice (soffice) on the PATH: apt-get install "
            "libreoffice-writer-nogui (Debian/Ubuntu), or install LibreOffice; or save the file as .docx", path=path)
    suffix = suffix if suffix in LEGACY_SUFFIXES else (".rtf" if data.startswith(RTF_MAGIC) else ".doc")
    with tempfile.TemporaryDirectory(prefix="gixml-soffice-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()
        argv = [command, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile}",
                "--convert-to", "docx", "--outdir", tmp, str(source)]
        try:
            done = subprocess.run(argv, capture_output=True, timeout=timeout, env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise UnreadableFileError(f"is {what}; LibreOffice did not convert it within {timeout:g} s", path=path) \
                from None
        converted = Path(tmp) / "input.docx"
        if done.returncode != 0 or not converted.exists():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise UnreadableFileError(f"is {what} that LibreOffice could not convert"
                                      + (f" ({said[-1][:200]})" if said else ""), path=path)
        return converted.read_bytes()
