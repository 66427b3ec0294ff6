"""Many reports at once: find the inputs, extract them in parallel, write the
results as they finish, and pick up where a stopped run left off.

    from gixml import BatchOptions, extract_many
    for result in extract_many(paths, BatchOptions(n_jobs=2)):   # as they finish
        print(result.path, result.status, result.report and result.report.status)

The command ``gixml batch INPUT... -o results.jsonl`` (see :func:`run_batch`)
writes one JSON line per input::

    {"path": …, "sha256": …, "status": "ok" | "warnings" | "not_a_report" | "error",
     "report": {…the report's JSON…} | null, "error": null | "the message",
     "error_type": null | "UnreadableFileError" | "ExtractionTimeoutError" | …,
     "seconds": 0.012}

**Time limit.** Each input gets ``timeout`` seconds (default
:data:`DEFAULT_TIMEOUT`); one that takes longer is an ``error`` line with
``error_type`` ``ExtractionTimeoutError`` and the run goes on. The limit is
an interval timer in the process that extracts (a worker process, or this
one with one job), so it needs that process's main thread: it is not applied
on a Dask cluster, whose workers run tasks in threads.

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
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

import orjson

from .errors import (
    ExtractionTimeoutError,
    GixmlError,
    MissingDependencyError,
    UnreadableFileError,
)
from .export import Provenance, check_provenance, rows_to_csv, to_rows
from .pipeline import extract_document
from .read.document import file_bytes, read_bytes

#: The file suffixes a folder is searched for.
INPUT_SUFFIXES = (".txt", ".md", ".text", ".pdf", ".docx", ".doc", ".wps", ".rtf", ".html", ".htm")
#: One input's outcome: extracted without a warning, with warnings, extracted
#: but holding no table of a report (an empty file, another document), or not at all.
BatchStatus = Literal["ok", "warnings", "not_a_report", "error"]
#: Seconds one input may take (``--timeout``). A report's text takes well under
#: a second, a long PDF a few seconds, and the largest text gixml reads (20
#: million characters) about two minutes on a 2-core machine of 2026
#: (``benchmarks/scaling.py``): past five minutes something is stuck.
DEFAULT_TIMEOUT = 300.0
Backend = Literal["loky", "dask"]
#: What ``gixml batch`` prints: failures only; a progress bar, failures and a summary; every input.
Verbosity = Literal["quiet", "normal", "verbose"]


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
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per input (None or 0: no limit)
    provenance: Provenance = "lines"  # how much of the source each report carries: full, lines, none

    def __post_init__(self) -> None:
        check_provenance(self.provenance)
        if self.timeout is not None and self.timeout < 0:
            raise ValueError(f"timeout must be a number of seconds ≥ 0 (0: no limit), not {self.timeout}")


@dataclass(frozen=True)
class WorkerOptions:
    """What a worker needs to know to extract a chunk of inputs."""

    strict: bool = False
    xml_dir: str | None = None
    timeout: float | None = None  # seconds per input
    provenance: Provenance = "lines"
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

    def to_record(self, provenance: Provenance = "lines") -> dict[str, Any]:
        report = self.report.to_dict(provenance=provenance) if hasattr(self.report, "to_dict") else self.report
        return {"path": self.path, "sha256": self.sha256, "status": self.status, "report": report,
                "error": self.error, "error_type": self.error_type, "seconds": round(self.seconds, 4)}


@dataclass
class BatchSummary:
    """What a run did: counts per outcome, what was skipped, failed identities,
    speed, and whether it was interrupted."""

    ok: int = 0
    warnings: int = 0
    not_a_report: int = 0
    errors: int = 0  # timeouts included
    timeouts: int = 0
    done_before: int = 0  # skipped: already in the results file with the same content
    skipped_kinds: Counter[str] = field(default_factory=Counter)  # files in folders gixml does not read, by suffix
    identities_failed: int = 0
    todo: int = 0  # inputs this run had to extract
    seconds: float = 0.0
    interrupted: bool = False
    error_paths: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.ok + self.warnings + self.not_a_report + self.errors

    @property
    def skipped(self) -> int:
        return self.done_before + sum(self.skipped_kinds.values())

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def lines(self, output: str) -> list[str]:
        """The summary printed at the end of ``gixml batch``."""
        head = f"{self.done} of {self.todo} extracted" if self.interrupted else f"{self.done} extracted"
        out = [f"{head} → {output} in {self.seconds:.1f} s ({self.rate:.1f} reports/s)",
               f"  ok {self.ok} · with warnings {self.warnings} · not a report {self.not_a_report} · "
               f"errors {self.errors - self.timeouts} · timeouts {self.timeouts}"]
        if self.identities_failed:
            out.append(f"  {self.identities_failed} report{'s' if self.identities_failed != 1 else ''} with failed "
                       "identities (the report's own arithmetic; see their warnings)")
        skipped = []
        if self.done_before:
            skipped.append(f"{self.done_before} already in {os.path.basename(output)}")
        if self.skipped_kinds:
            kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(self.skipped_kinds.items(),
                                                                       key=lambda kv: (-kv[1], kv[0])))
            skipped.append(f"{kinds} not of a kind gixml reads")
        out.append(f"  skipped {self.skipped}" + (f": {'; '.join(skipped)}" if skipped else ""))
        return out


# ------------------------------------------------------------------ inputs
def find_inputs(patterns: Iterable[str], *, suffixes: Sequence[str] = INPUT_SUFFIXES) -> list[str]:
    """Files named by ``patterns``: files as given, folders searched recursively
    for ``suffixes``, glob patterns expanded. Sorted within each pattern, each
    file once. A pattern that names nothing raises :class:`UnreadableFileError`."""
    return find_inputs_and_others(patterns, suffixes=suffixes)[0]


def find_inputs_and_others(patterns: Iterable[str], *, suffixes: Sequence[str] = INPUT_SUFFIXES
                           ) -> tuple[list[str], Counter[str]]:
    """:func:`find_inputs`, and how many files the folders held that are not
    of the ``suffixes``, by lower-case suffix (``.doc``; ``(none)`` for a file
    without one). Hidden files and folders are neither."""
    found: list[str] = []
    others: Counter[str] = Counter()
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
                for f in files:
                    if f.startswith("."):
                        continue
                    if f.lower().endswith(tuple(suffixes)):
                        hits.append(os.path.join(root, f))
                    else:
                        others[os.path.splitext(f)[1].lower() or "(none)"] += 1
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
                    inner, inner_others = find_inputs_and_others([path], suffixes=suffixes)
                    for each in inner:
                        add(each)
                    others.update(inner_others)
                else:
                    add(path)
        else:
            raise UnreadableFileError("no such file or folder", path=pattern)
    return found, others


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
    """Read, hash and extract one input within its time limit; every failure becomes an error result."""
    start = time.perf_counter()
    digest: str | None = None
    try:
        with _time_limit(options.timeout, path):
            data = file_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            doc = read_bytes(data, source=path)
            report = extract_document(doc, strict=options.strict)
        status: BatchStatus = ("not_a_report" if report.status == "not_a_report"
                               else "warnings" if report.warnings else "ok")
        return BatchResult(path, digest, status, report, seconds=time.perf_counter() - start)
    except GixmlError as exc:
        return BatchResult(path, digest, "error", None, str(exc), type(exc).__name__, time.perf_counter() - start)
    except Exception as exc:  # a bug in gixml: recorded, the batch goes on
        return BatchResult(path, digest, "error", None,
                           f"{path}: internal error ({type(exc).__name__}: {exc}); please report it with this file",
                           "InternalError", time.perf_counter() - start)


class _time_limit:
    """Raise :class:`ExtractionTimeoutError` in this thread once ``seconds``
    have passed (an interval timer and its signal: the main thread of a
    process only; elsewhere, or with no limit, nothing is timed). The signal
    interrupts Python code, and C code (a regex, numpy) when it returns;
    extraction runs in linear time, so no C call runs long."""

    def __init__(self, seconds: float | None, path: str):
        self.seconds, self.path = seconds, path
        self.active = bool(seconds) and hasattr(signal, "setitimer") \
            and threading.current_thread() is threading.main_thread()
        self.previous: Any = None

    def _expired(self, signum: int, frame: Any) -> None:
        if self.active:
            self.active = False
            raise ExtractionTimeoutError(f"took longer than {self.seconds:g} s, the time limit per input "
                                         "(--timeout); the run went on without it (give it longer with "
                                         "--timeout, or look at the file: is it a report?)", path=self.path)

    def __enter__(self) -> _time_limit:
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, float(self.seconds or 0))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            self.active = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


@dataclass(frozen=True)
class Done:
    """One finished input as a worker hands it to the parent: its line of the
    results file and what the terminal says of it."""

    path: str
    line: bytes
    status: BatchStatus
    error: str | None
    error_type: str | None
    identity_failed: bool
    warnings: int
    seconds: float


def _work_chunk(paths: Sequence[str], options: WorkerOptions) -> list[Any]:
    """Worker side: extract a chunk. For the results file, a :class:`Done` per
    input, the XML written if asked; for :func:`extract_many`, the results.

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
                _write_xml(result, options.xml_dir, options.provenance)
            out.append(Done(result.path, _json_line(result.to_record(options.provenance)), result.status,
                            result.error, result.error_type, _identity_failed(result),
                            len(result.report.warnings) if result.report is not None else 0, result.seconds))
        return out
    finally:
        if options.tune_gc:
            if options.own_process or multiprocessing.parent_process() is not None:
                gc.freeze()
            if enabled:
                gc.enable()


def _json_line(record: dict[str, Any]) -> bytes:
    """One line of the results file: compact UTF-8 JSON and a newline. orjson
    writes it five times faster than the standard library."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


def _identity_failed(result: BatchResult) -> bool:
    report = result.report
    return report is not None and any(w.code == "identity" for w in report.warnings)


def _xml_name(path: str, digest: str | None) -> str:
    stem = os.path.splitext(os.path.basename(path))[0] or "report"
    return f"{stem}-{(digest or 'unknown')[:12]}.xml"


def _write_xml(result: BatchResult, xml_dir: str, provenance: Provenance) -> str:
    target = os.path.join(xml_dir, _xml_name(result.path, result.sha256))
    tmp = f"{target}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(result.report.to_xml(provenance=provenance))
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
    cluster; ``timeout`` limits each input (an ``ExtractionTimeoutError``
    result); ``provenance`` is for the results file; ``xml_dir``, ``csv_path`` and ``retry_errors`` are for
    :func:`run_batch` (a ValueError here), ``progress`` is for the command line."""
    files_only = {"xml_dir": options.xml_dir, "csv_path": options.csv_path, "retry_errors": options.retry_errors}
    given = [name for name, value in files_only.items() if value]
    if given:
        raise ValueError(f"extract_many writes no files and keeps no results file: {', '.join(given)} "
                         "are options of run_batch (gixml batch)")
    items = [os.fspath(p) for p in paths]
    if _jobs(options.n_jobs) == 1 and options.backend == "loky":
        for path in items:
            yield _extract_one(path, WorkerOptions(strict=options.strict, timeout=options.timeout))
        return
    work = WorkerOptions(strict=options.strict, timeout=options.timeout, results=True,
                         tune_gc=options.backend == "loky")
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
              err: TextIO | None = None, own_process: bool = False, verbosity: Verbosity = "normal"
              ) -> BatchSummary:
    """The ``gixml batch`` command: see the module docstring. On ``err`` it
    prints each failed input with its reason as it happens (and, ``verbose``,
    every input with its status); ``normal`` adds the progress bar where
    ``options.progress`` says, ``quiet`` prints only the failures. A Ctrl-C
    ends the run with what was done written, and the summary says it was
    interrupted. ``own_process``: the calling process does nothing else (the
    command line), so with one job the garbage collector may be tuned there
    as in a worker."""
    err = err or sys.stderr
    started = time.perf_counter()
    paths, others = find_inputs_and_others(inputs)
    out_abs = os.path.abspath(output)
    paths = [p for p in paths if os.path.abspath(p) != out_abs]
    records, good = read_results(output)
    summary = BatchSummary(skipped_kinds=others)
    todo: list[str] = []
    for path in paths:
        record = records.get(os.path.abspath(path))
        if record is not None and (record.get("status") != "error" or not options.retry_errors) \
                and record.get("sha256") is not None and record.get("sha256") == sha256_of(path):
            summary.done_before += 1
            continue
        todo.append(path)
    summary.todo = len(todo)
    if options.xml_dir:
        os.makedirs(options.xml_dir, exist_ok=True)
    work = WorkerOptions(strict=options.strict, xml_dir=options.xml_dir, timeout=options.timeout,
                         provenance=options.provenance, tune_gc=options.backend == "loky", own_process=own_process)
    fd = _open_results(output, good)
    bar = _progress(len(todo), options.progress if verbosity == "normal" else False, err)
    try:
        for chunk in _run_chunks(todo, work, n_jobs=options.n_jobs, backend=options.backend,
                                 scheduler=options.scheduler):
            with _no_interrupt():  # what is written is what the summary counts
                _write_all(fd, b"".join(done.line for done in chunk))
                for done in chunk:
                    _count(summary, done)
            for done in chunk:
                _tell(done, verbosity, bar, err)
            if bar is not None:
                bar.update(len(chunk))
                bar.set_postfix_str(f"ok {summary.ok} · warnings {summary.warnings} · not a report "
                                    f"{summary.not_a_report} · errors {summary.errors}", refresh=False)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        os.close(fd)
        if bar is not None:
            bar.close()
    summary.seconds = time.perf_counter() - started
    if options.csv_path and not summary.interrupted:
        write_csv(output, options.csv_path)
    return summary


class _no_interrupt:
    """Hold back a Ctrl-C while a chunk is written and counted, so that an
    interrupted run's summary counts exactly the lines in the results file;
    the Ctrl-C is raised as the block ends. (Signals reach Python's main thread
    only, so elsewhere there is nothing to hold back.)"""

    def __enter__(self) -> None:
        self.blocked = (threading.current_thread() is threading.main_thread()
                        and hasattr(signal, "pthread_sigmask"))
        if self.blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    def __exit__(self, *exc: object) -> None:
        if self.blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _count(summary: BatchSummary, done: Done) -> None:
    if done.status == "error":
        summary.errors += 1
        summary.timeouts += done.error_type == ExtractionTimeoutError.__name__
        summary.error_paths.append(done.path)
        return
    if done.status == "not_a_report":
        summary.not_a_report += 1
    elif done.status == "warnings":
        summary.warnings += 1
    else:
        summary.ok += 1
    if done.identity_failed:
        summary.identities_failed += 1


def _tell(done: Done, verbosity: Verbosity, bar: Any, err: TextIO) -> None:
    """What the terminal says of one finished input."""
    if done.status == "error":
        text = f"gixml: error: {done.error}"
    elif verbosity == "verbose":
        what = {"ok": "ok", "warnings": f"{done.warnings} warning{'s' if done.warnings != 1 else ''}",
                "not_a_report": "not a report"}[done.status]
        failed = ", failed identities" if done.identity_failed else ""
        text = f"{done.path}: {what}{failed} ({done.seconds:.2f} s)"
    else:
        return
    if bar is not None:
        bar.write(text, file=err)
    else:
        print(text, file=err)


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


def latest_records(results: str) -> Iterator[dict[str, Any]]:
    """The last record of each input in a results file (a re-run appends a
    newer one), in the order of the file, read twice so that only one report
    is in memory at a time."""
    last: dict[str, int] = {}
    for n, (_, _, record) in enumerate(_records(results)):
        last[os.path.abspath(record["path"])] = n
    keep = set(last.values())
    for n, (_, _, record) in enumerate(_records(results)):
        if n in keep:
            yield record


def write_csv(results: str, csv_path: str) -> int:
    """The long-form CSV (one row per cell, ``Report.to_rows`` columns) of every
    report in a results file (the last record of each input), written
    atomically, one report at a time; returns the number of rows."""
    rows = 0
    tmp = f"{csv_path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(rows_to_csv([]))  # the header
        for record in latest_records(results):
            if record.get("report"):
                these = to_rows(record["report"], source=record["path"])
                handle.write(rows_to_csv(these, header=False))
                rows += len(these)
    os.replace(tmp, csv_path)
    return rows
