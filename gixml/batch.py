"""Many reports at once: find the inputs, extract them in parallel, write the
results as they finish, and pick up where a stopped run left off.

    from gixml import BatchOptions, extract_many
    for result in extract_many(paths, BatchOptions(n_jobs=2)):   # as they finish
        print(result.path, result.status, result.report and result.report.status)

The command ``gixml batch INPUT... -o results.jsonl`` (see :func:`run_batch`)
writes one JSON line per input::

    {"path": …, "sha256": …, "status": "ok" | "warnings" | "error",
     "report": {…the report's JSON…} | null, "error": null | "the message",
     "error_type": null | "UnreadableFileError", "seconds": 0.012}

**Resume.** Re-running the same command skips every input already in the
results file with the same path and the same sha256 (an input whose file
changed is extracted again; errors are retried with ``retry_errors``). Each
line is written with one ``write`` and flushed, so a run killed with
``kill -9`` loses at most the inputs in flight; a last line cut short by the
kill is removed by the next run before it appends.

**Parallelism.** Inputs go to worker processes in small chunks (joblib's
``loky`` processes, or a Dask cluster with ``backend="dask"``); each worker
loads the model once, reads, extracts and serialises, so the parent only
writes lines.
"""
from __future__ import annotations

import gc
import glob
import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

import orjson

from .errors import GixmlError, MissingDependencyError, UnreadableFileError
from .export import rows_to_csv, to_rows
from .pipeline import extract_document
from .read.document import file_bytes, read_bytes

#: The file suffixes a folder is searched for.
INPUT_SUFFIXES = (".txt", ".md", ".text", ".pdf", ".docx", ".html", ".htm")
#: One input's outcome: extracted without a warning, with warnings, or not at all.
BatchStatus = Literal["ok", "warnings", "error"]
Backend = Literal["loky", "dask"]


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs (:func:`extract_many`, :func:`run_batch`, ``gixml batch``)."""

    n_jobs: int = 1  # worker processes; -1: one per core
    backend: Backend = "loky"  # local processes (joblib's loky), or a Dask cluster
    scheduler: str | None = None  # the Dask scheduler's address, e.g. tcp://10.0.0.5:8786
    strict: bool = False  # a text holding none of the tables is an error
    xml_dir: str | None = None  # also write each report as XML into this folder
    csv_path: str | None = None  # also write every cell of every report as CSV (rebuilt at the end)
    retry_errors: bool = False  # extract again the inputs that failed last time
    progress: bool | None = None  # a progress bar (None: when standard error is a terminal)


@dataclass(frozen=True)
class WorkerOptions:
    """What a worker needs to know to extract a chunk of inputs."""

    strict: bool = False
    xml_dir: str | None = None
    results: bool = False  # give BatchResults (extract_many), not results-file lines
    tune_gc: bool = False  # pause the garbage collector while extracting (see _work_chunk)
    own_process: bool = False  # the calling process does nothing else: it may freeze its objects too


@dataclass
class BatchResult:
    """The outcome of one input: ``status`` ``ok`` (no warning), ``warnings``
    or ``error``; ``report`` is the :class:`~gixml.report.Report` (in
    :func:`extract_many`) or its JSON dict (read back from a results file)."""

    path: str
    sha256: str | None
    status: BatchStatus
    report: Any = None
    error: str | None = None
    error_type: str | None = None
    seconds: float = 0.0

    def to_record(self) -> dict[str, Any]:
        report = self.report.to_dict() if hasattr(self.report, "to_dict") else self.report
        return {"path": self.path, "sha256": self.sha256, "status": self.status, "report": report,
                "error": self.error, "error_type": self.error_type, "seconds": round(self.seconds, 4)}


@dataclass
class BatchSummary:
    """What a run did: counts per status, skipped inputs, failed identities, speed."""

    ok: int = 0
    warnings: int = 0
    errors: int = 0
    skipped: int = 0
    identities_failed: int = 0
    seconds: float = 0.0
    error_paths: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.ok + self.warnings + self.errors

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (f"{self.done} extracted: {self.ok} ok, {self.warnings} with warnings, {self.errors} errors; "
                f"{self.identities_failed} with failed identities; {self.skipped} skipped (already done); "
                f"{self.seconds:.1f} s, {self.rate:.1f} reports/s")


# ------------------------------------------------------------------ inputs
def find_inputs(patterns: Iterable[str], *, suffixes: Sequence[str] = INPUT_SUFFIXES) -> list[str]:
    """Files named by ``patterns``: files as given, folders searched recursively
    for ``suffixes``, glob patterns expanded. Sorted within each pattern, each
    file once. A pattern that names nothing raises :class:`UnreadableFileError`."""
    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for pattern in patterns:
        if os.path.isdir(pattern):
            hits = []
            for root, dirs, files in os.walk(pattern):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                hits += [os.path.join(root, f) for f in files
                         if f.lower().endswith(tuple(suffixes)) and not f.startswith(".")]
            for path in sorted(hits):
                add(path)
        elif os.path.exists(pattern):
            add(pattern)
        elif glob.has_magic(pattern):
            hits = sorted(glob.glob(pattern, recursive=True))
            if not hits:
                raise UnreadableFileError("matches no file", path=pattern)
            for path in hits:
                if os.path.isdir(path):
                    for inner in find_inputs([path], suffixes=suffixes):
                        add(inner)
                else:
                    add(path)
        else:
            raise UnreadableFileError("no such file or folder", path=pattern)
    return found


def sha256_of(path: str) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


# ------------------------------------------------------------------ workers
def _extract_one(path: str, options: WorkerOptions) -> BatchResult:
    """Read, hash and extract one input; every failure becomes an error result."""
    start = time.perf_counter()
    digest: str | None = None
    try:
        data = file_bytes(path)
        digest = hashlib.sha256(data).hexdigest()
        doc = read_bytes(data, source=path)
        report = extract_document(doc, strict=options.strict)
        status: BatchStatus = "warnings" if report.warnings else "ok"
        return BatchResult(path, digest, status, report, seconds=time.perf_counter() - start)
    except GixmlError as exc:
        return BatchResult(path, digest, "error", None, str(exc), type(exc).__name__, time.perf_counter() - start)
    except Exception as exc:  # a bug in gixml: recorded, the batch goes on
        return BatchResult(path, digest, "error", None,
                           f"{path}: internal error ({type(exc).__name__}: {exc}); please report it with this file",
                           "InternalError", time.perf_counter() - start)


def _work_chunk(paths: Sequence[str], options: WorkerOptions) -> list[Any]:
    """Worker side: extract a chunk. For the results file, (JSON line, status, whether an identity failed)
    per input, the XML written if asked; for :func:`extract_many`, the results.

    With ``tune_gc`` the cyclic garbage collector is paused while the chunk is
    extracted: extraction makes no reference cycles (a test checks it), so the
    collector only spent time scanning objects that reference counting frees
    anyway. A worker then freezes what is alive (the model, the memos: frozen
    objects are still freed by reference counting, the collector no longer
    scans them), so that the collections between chunks stay short. Without
    this a batch takes 1.11× as long (``benchmarks/compare.py``, 600 text
    reports, median of 6 runs, 2026-12-03).
    """
    enabled = gc.isenabled()
    if options.tune_gc:
        gc.disable()
    try:
        results = [_extract_one(path, options) for path in paths]
        if options.results:
            return results
        out = []
        for result in results:
            if options.xml_dir and result.report is not None:
                _write_xml(result, options.xml_dir)
            out.append((_json_line(result.to_record()), result.status, _identity_failed(result)))
        return out
    finally:
        if options.tune_gc:
            if options.own_process or multiprocessing.parent_process() is not None:
                gc.freeze()
            if enabled:
                gc.enable()


def _json_line(record: dict[str, Any]) -> bytes:
    """One line of the results file: compact UTF-8 JSON and a newline. orjson
    writes it five times faster than the standard library (a report's line
    holds every cell's provenance, 100 KB for a web dump)."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


def _identity_failed(result: BatchResult) -> bool:
    report = result.report
    return report is not None and any(w.code == "identity" for w in report.warnings)


def _xml_name(path: str, digest: str | None) -> str:
    stem = os.path.splitext(os.path.basename(path))[0] or "report"
    return f"{stem}-{(digest or 'unknown')[:12]}.xml"


def _write_xml(result: BatchResult, xml_dir: str) -> str:
    target = os.path.join(xml_dir, _xml_name(result.path, result.sha256))
    tmp = f"{target}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(result.report.to_xml())
    os.replace(tmp, target)
    return target


def _chunks(paths: Sequence[str], size: int) -> list[list[str]]:
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


def _chunk_size(n: int, jobs: int) -> int:
    # Small enough that progress moves and a kill loses little, large enough to
    # amortise the hand-over to a worker process.
    return max(1, min(16, n // max(jobs * 8, 1) or 1))


def _run_chunks(paths: Sequence[str], options: WorkerOptions, *, n_jobs: int, backend: Backend,
                scheduler: str | None) -> Iterator[list[Any]]:
    """Chunk results in the order they finish."""
    if not paths:
        return
    jobs = _jobs(n_jobs)
    chunks = _chunks(paths, _chunk_size(len(paths), jobs))
    if backend == "dask":
        yield from _run_dask(chunks, options, scheduler)
        return
    if backend != "loky":
        raise ValueError(f"unknown backend {backend!r}; expected 'loky' or 'dask'")
    if jobs == 1:
        for chunk in chunks:
            yield _work_chunk(chunk, options)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator_unordered", pre_dispatch="2*n_jobs")
    yield from parallel(delayed(_work_chunk)(chunk, options) for chunk in chunks)


def _run_dask(chunks: list[list[str]], options: WorkerOptions, scheduler: str | None
              ) -> Iterator[list[Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise MissingDependencyError("the dask backend needs dask.distributed: pip install 'gixml[dask]'") from None
    if not scheduler:
        raise ValueError("the dask backend needs the address of a scheduler (--scheduler tcp://HOST:PORT)")
    with Client(scheduler, set_as_default=False) as client:
        futures = [client.submit(_work_chunk, chunk, options, pure=False) for chunk in chunks]
        for future in as_completed(futures, loop=client.loop):
            yield future.result()
            future.release()


def _jobs(n_jobs: int) -> int:
    if n_jobs is None or n_jobs == 0:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return n_jobs


# ------------------------------------------------------------ library API
def extract_many(paths: Iterable[str | os.PathLike[str]], options: BatchOptions = BatchOptions()
                 ) -> Iterator[BatchResult]:
    """Extract many files, yielding a :class:`BatchResult` per input as it finishes
    (not in input order). Errors are results with ``status="error"``, never
    exceptions. ``options.n_jobs`` worker processes (-1: one per core);
    ``backend="dask"`` with ``scheduler="tcp://host:port"`` runs on a Dask
    cluster; ``xml_dir``, ``csv_path`` and ``retry_errors`` are for
    :func:`run_batch` (a ValueError here), ``progress`` is for the command line."""
    files_only = {"xml_dir": options.xml_dir, "csv_path": options.csv_path, "retry_errors": options.retry_errors}
    given = [name for name, value in files_only.items() if value]
    if given:
        raise ValueError(f"extract_many writes no files and keeps no results file: {', '.join(given)} "
                         "are options of run_batch (gixml batch)")
    items = [os.fspath(p) for p in paths]
    if _jobs(options.n_jobs) == 1 and options.backend == "loky":
        for path in items:
            yield _extract_one(path, WorkerOptions(strict=options.strict))
        return
    work = WorkerOptions(strict=options.strict, results=True, tune_gc=options.backend == "loky")
    for chunk in _run_chunks(items, work, n_jobs=options.n_jobs, backend=options.backend,
                             scheduler=options.scheduler):
        yield from chunk


# -------------------------------------------------------- the results file
def _records(path: str) -> Iterator[tuple[int, bytes, dict[str, Any]]]:
    """(byte length, raw line, record) of each complete line of a results file,
    up to the first line cut short by a kill (or not a record)."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return
    with handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                return
            try:
                record = orjson.loads(raw)
            except ValueError:
                return
            if not isinstance(record, dict) or "path" not in record:
                return
            yield len(raw), raw, record


def read_results(path: str) -> tuple[dict[str, dict[str, Any]], int]:
    """What a results file says of each input, by absolute path (the last record
    of a path wins): its ``path``, ``sha256`` and ``status`` (not the report,
    so that a file of many thousand reports is read in little memory); and the
    byte length of its complete lines."""
    records: dict[str, dict[str, Any]] = {}
    good = 0
    for size, _, record in _records(path):
        records[os.path.abspath(record["path"])] = {k: record.get(k) for k in ("path", "sha256", "status")}
        good += size
    return records, good


def _open_results(path: str, good: int) -> Any:
    """Open the results file for appending, cutting off a partial last line."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    size = os.fstat(fd).st_size
    if size > good:
        os.ftruncate(fd, good)
    os.lseek(fd, 0, os.SEEK_END)
    return fd


def run_batch(inputs: Sequence[str], output: str, options: BatchOptions = BatchOptions(), *,
              err: TextIO | None = None, own_process: bool = False) -> BatchSummary:
    """The ``gixml batch`` command: see the module docstring. ``own_process``:
    the calling process does nothing else (the command line), so with one job
    the garbage collector may be tuned there as in a worker."""
    err = err or sys.stderr
    started = time.perf_counter()
    paths = find_inputs(inputs)
    out_abs = os.path.abspath(output)
    paths = [p for p in paths if os.path.abspath(p) != out_abs]
    records, good = read_results(output)
    summary = BatchSummary()
    todo: list[str] = []
    for path in paths:
        record = records.get(os.path.abspath(path))
        if record is not None and (record.get("status") != "error" or not options.retry_errors) \
                and record.get("sha256") is not None and record.get("sha256") == sha256_of(path):
            summary.skipped += 1
            continue
        todo.append(path)
    if options.xml_dir:
        os.makedirs(options.xml_dir, exist_ok=True)
    work = WorkerOptions(strict=options.strict, xml_dir=options.xml_dir, tune_gc=options.backend == "loky",
                         own_process=own_process)
    fd = _open_results(output, good)
    bar = _progress(len(todo), options.progress, err)
    try:
        for chunk in _run_chunks(todo, work, n_jobs=options.n_jobs, backend=options.backend,
                                 scheduler=options.scheduler):
            _write_all(fd, b"".join(line for line, _, _ in chunk))
            for line, status, identity_failed in chunk:
                _count(summary, line, status, identity_failed)
            if bar is not None:
                bar.update(len(chunk))
                bar.set_postfix_str(f"ok {summary.ok} · warnings {summary.warnings} · errors {summary.errors}",
                                    refresh=False)
    finally:
        os.close(fd)
        if bar is not None:
            bar.close()
    summary.seconds = time.perf_counter() - started
    if options.csv_path:
        write_csv(output, options.csv_path)
    return summary


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _count(summary: BatchSummary, line: bytes, status: str, identity_failed: bool) -> None:
    if status == "error":
        summary.errors += 1
        summary.error_paths.append(orjson.loads(line)["path"])
        return
    if status == "warnings":
        summary.warnings += 1
    else:
        summary.ok += 1
    if identity_failed:
        summary.identities_failed += 1


def _progress(total: int, enabled: bool | None, err: TextIO) -> Any:
    if enabled is None:
        enabled = hasattr(err, "isatty") and err.isatty()
    if not enabled or total == 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, file=err, unit="report", dynamic_ncols=True, smoothing=0.1)


def write_csv(results: str, csv_path: str) -> int:
    """The long-form CSV (one row per cell, ``Report.to_rows`` columns) of every
    report in a results file (the last record of each input), written
    atomically, one report at a time; returns the number of rows."""
    last: dict[str, int] = {}
    for n, (_, _, record) in enumerate(_records(results)):
        last[os.path.abspath(record["path"])] = n
    keep = set(last.values())
    rows = 0
    tmp = f"{csv_path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(rows_to_csv([]))  # the header
        for n, (_, _, record) in enumerate(_records(results)):
            if n in keep and record.get("report"):
                these = to_rows(record["report"], source=record["path"])
                handle.write(rows_to_csv(these, header=False))
                rows += len(these)
    os.replace(tmp, csv_path)
    return rows
