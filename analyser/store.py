"""Dataset store: rosters and cached analyses on disk, written atomically.

Layout of a data directory::

    manifest.json                 the list of datasets (the only file that makes one visible)
    datasets/<id>/roster.parquet  memberships as validated
    datasets/<id>/problems.json   the data check of the upload
    cache/<key>/...               analyses, keyed by dataset content and options

Every file is written to a temporary name and renamed into place; the manifest is updated
last, under a lock. A crash at any moment leaves either the old state or the new one, and
files of an unfinished upload are invisible and removed at the next start.

An unfinished folder (``.tmp-*``) holds an ``.owner`` file locked by the process writing it;
the operating system drops that lock when the process ends, even when it is killed, so the
sweep removes exactly the folders whose writer is gone and never one still being written by
another process or thread. The locks are the ``filelock`` package's (``flock`` on POSIX,
``LockFileEx`` through ``msvcrt`` on Windows), never its "soft" lock files, which a killed
process would leave behind. Nothing here needs a POSIX-only module, so the store (and the
dashboard on it) starts on Windows as on Linux and macOS. An embedded database (SQLite) was
weighed and not taken: it could hold the manifest, but the tables stay Parquet files that
polars reads directly, and telling a live writer's unfinished folder from a dead one's needs a
lock that ends with the writer's process either way, which is what these file locks are.

Rosters are personal data: on POSIX every file is written ``0600`` and every folder ``0700``
(readable by the owner only); Windows has no such mode bits, there the folder's ACL applies.
Analyses are kept in memory as well, at most :data:`MAX_MEMORY_ANALYSES` of them and
:data:`MAX_MEMORY_BYTES` together (least recently used out first), and on disk at most
:data:`MAX_DISK_ANALYSES` per dataset. Deleting a dataset wins over an analysis of it still
running: that analysis is neither cached nor returned.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import polars as pl
from filelock import FileLock, Timeout

from analyser import __version__
from analyser.analysis import Analysis, analyse
from analyser.roster import Problem, Roster

__all__ = ["DEFAULT_DATA_DIR", "MAX_NAME_LENGTH", "MAX_MEMORY_ANALYSES", "MAX_MEMORY_BYTES", "MAX_DISK_ANALYSES",
           "DatasetInfo", "StoreError", "Store", "roster_fingerprint", "analysis_bytes"]

DEFAULT_DATA_DIR = Path(".analyser-data")
_TABLES = ("units", "people", "projects", "unit_links")
#: Longest dataset name: every list of datasets sent to a browser carries every name.
MAX_NAME_LENGTH = 200
#: Analyses kept in memory, and their approximate size together (bytes); each one of a
#: 60,000-person roster is about 10 MB, and any settings value a client sends makes a new one.
MAX_MEMORY_ANALYSES = 16
MAX_MEMORY_BYTES = 256 * 2**20
#: Analyses kept on disk per dataset (the oldest written are removed first).
MAX_DISK_ANALYSES = 32
_PRIVATE_FILE = 0o600
_PRIVATE_DIR = 0o700
#: Analyses of different settings computed at once; the same settings wait for the first one.
_KEY_LOCKS = 16
_LOCK_POLL_SECONDS = 0.05
_WINDOWS = os.name == "nt"
#: Options of FileLock that older releases lack, passed where known. filelock 4 falls back, where
#: the file system has no ``flock``, to a lock file whose mere presence is the lock: a killed
#: writer would leave it and the store would wait for it forever, so that is refused (such a
#: file system fails loudly instead); filelock 3 has no such fallback.
_LOCK_OPTIONS = {
    name: value
    for name, value in {"fallback_to_soft": False, "poll_interval": _LOCK_POLL_SECONDS}.items()
    if name in inspect.signature(FileLock.__init__).parameters
}


def _file_lock(path: Path) -> FileLock:
    """An exclusive lock on the file ``path`` (created ``0600``) between processes and threads.

    The operating system drops it when its process ends, even when killed. Not tied to a
    thread: a staging folder's owner lock may be released by another thread than its taker.
    """
    return FileLock(path, mode=_PRIVATE_FILE, thread_local=False, **_LOCK_OPTIONS)


class StoreError(RuntimeError):
    """The store cannot do what was asked (unknown dataset, unreadable file, ...)."""


@dataclass(frozen=True)
class DatasetInfo:
    """One stored dataset as listed in the manifest."""

    id: str
    name: str
    source: str
    uploaded: str
    rows: int
    fingerprint: str
    salt: str


def roster_fingerprint(roster: Roster) -> str:
    """SHA-256 of the roster's memberships (row order does not matter)."""
    m = roster.memberships.drop("line").sort("project", "person")
    digest = hashlib.sha256()
    for column in m.columns:
        digest.update(column.encode())
        digest.update(m[column].cast(pl.String).fill_null("\x00").str.join("\x1f").item().encode("utf-8"))
    return digest.hexdigest()


def _private(path: Path, mode: int = _PRIVATE_FILE) -> None:
    """Give ``path`` to its owner alone (``0600`` files, ``0700`` folders): rosters are personal data.

    Best effort, and skipped on Windows, whose mode bits only mean read-only.
    """
    if _WINDOWS:
        return
    try:
        os.chmod(path, mode)
    except OSError:
        pass  # not ours to change (a shared folder): the files inside still are


def _private_dir(path: Path) -> Path:
    """Make the folder ``path`` (and its missing parents) readable by its owner alone."""
    path.mkdir(mode=_PRIVATE_DIR, parents=True, exist_ok=True)
    _private(path, _PRIVATE_DIR)
    return path


def _replace(source: str | Path, target: Path) -> None:
    """``os.replace``, retried briefly on Windows, where a reader holding the target open blocks it."""
    for _attempt in range(20 if _WINDOWS else 0):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(_LOCK_POLL_SECONDS)
    os.replace(source, target)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # made 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync(path.parent)


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` readable by its owner alone (polars follows the umask)."""
    frame.write_parquet(path)
    _private(path)


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so a rename survives a power cut and not only a crash.

    Windows cannot open a folder for this (NTFS journals renames itself), so folders are skipped there.
    """
    if _WINDOWS and path.is_dir():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _try_lock(path: Path) -> FileLock | None:
    """A held exclusive lock on ``path`` (release it), or ``None`` when another holds it."""
    lock = _file_lock(path)
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return None
    return lock


def _checked_name(name: str) -> str:
    """``name`` without surrounding spaces; refused when empty or longer than :data:`MAX_NAME_LENGTH`.

    >>> _checked_name("  Spring roster ")
    'Spring roster'
    >>> _checked_name("x" * 201)
    Traceback (most recent call last):
    ...
    analyser.store.StoreError: a dataset name may have at most 200 characters (this one has 201)
    """
    name = name.strip()
    if not name:
        raise StoreError("a dataset needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise StoreError(f"a dataset name may have at most {MAX_NAME_LENGTH} characters (this one has {len(name)})")
    return name


def _shortened(text: str, limit: int = MAX_NAME_LENGTH) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut).

    >>> _shortened("abcdef", 4)
    'abc\u2026'
    """
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def analysis_bytes(analysis: Analysis) -> int:
    """Approximate memory of an analysis: its tables (the summary and meta are a few kB)."""
    return sum(getattr(analysis, t).estimated_size() for t in _TABLES)


class _Analyses:
    """Analyses kept in memory: least recently used out first, beyond ``max_entries`` or ``max_bytes``.

    The newest entry stays even when it alone is larger than ``max_bytes`` (it is in use).

    Examples
    --------
    >>> cache = _Analyses(max_entries=2, max_bytes=100, size=len)
    >>> for key in ("a1", "a2", "b1"):
    ...     cache.put(key, "xx")
    >>> cache.keys(), cache.get("a1")
    (['a2', 'b1'], None)
    >>> cache.drop_prefix("a"); cache.keys()
    ['b1']
    """

    def __init__(self, max_entries: int = MAX_MEMORY_ANALYSES, max_bytes: int = MAX_MEMORY_BYTES,
                 size: Any = analysis_bytes):  # fmt: skip
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size = size
        self._entries: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.nbytes = 0

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: str, value: Any) -> None:
        size = self._size(value)
        with self._lock:
            old = self._entries.pop(key, None)
            self.nbytes -= old[1] if old else 0
            self._entries[key] = (value, size)
            self.nbytes += size
            while len(self._entries) > 1 and (len(self._entries) > self.max_entries or self.nbytes > self.max_bytes):
                _, (_, dropped) = self._entries.popitem(last=False)
                self.nbytes -= dropped

    def drop_prefix(self, prefix: str) -> None:
        """Forget every analysis whose key starts with ``prefix`` (a deleted dataset's)."""
        with self._lock:
            for key in [k for k in self._entries if k.startswith(prefix)]:
                self.nbytes -= self._entries.pop(key)[1]

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class Store:
    """Datasets and cached analyses in ``root`` (created when missing)."""

    def __init__(self, root: str | Path = DEFAULT_DATA_DIR):
        self.root = Path(root)
        self._memory = _Analyses()
        self._key_locks = tuple(threading.Lock() for _ in range(_KEY_LOCKS))
        self._owners: dict[Path, FileLock] = {}
        _private_dir(self.root)
        _private_dir(self.root / "datasets")
        _private_dir(self.root / "cache")
        self._sweep()
        self._make_private()

    # -- manifest ----------------------------------------------------------------------
    @property
    def _manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with _file_lock(self.root / ".lock"):
            yield

    def _read_manifest(self) -> dict[str, dict[str, Any]]:
        if not self._manifest_path.exists():
            return {}
        try:
            data = json.loads(self._manifest_path.read_text("utf-8"))
            return dict(data["datasets"])
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{self._manifest_path}: the list of datasets is damaged ({exc})") from exc

    def _write_manifest(self, datasets: dict[str, dict[str, Any]]) -> None:
        body = json.dumps({"version": __version__, "datasets": datasets}, ensure_ascii=False, indent=1)
        _write_atomic(self._manifest_path, body.encode("utf-8"))

    @contextmanager
    def _staging(self, parent: Path, name: str) -> Iterator[Path]:
        """A new folder ``parent/.tmp-name`` owned by this call until the block ends.

        The folder and its locked ``.owner`` file are made under the store lock, so the
        sweep (also under it) never sees a folder whose owner has not locked it yet.
        Whatever is still in the folder at the end (it was not renamed) is removed.
        """
        folder = parent / f".tmp-{name}"
        with self._locked():
            folder.mkdir(mode=_PRIVATE_DIR, parents=True)
            _private(folder, _PRIVATE_DIR)
            owner = _file_lock(folder / ".owner")  # held until the block ends
            owner.acquire()
            self._owners[folder] = owner
        try:
            yield folder
        finally:
            self._owners.pop(folder, owner).release()
            shutil.rmtree(folder, ignore_errors=True)

    def _disown(self, folder: Path) -> None:
        """Drop the ``.owner`` file of a staging folder about to be renamed (call under the store lock).

        Released (and so closed) first: Windows can neither delete an open file nor rename a
        folder holding one.
        """
        owner = self._owners.pop(folder, None)
        if owner is not None:
            owner.release()
        (folder / ".owner").unlink(missing_ok=True)

    @staticmethod
    def _remove_if_abandoned(folder: Path) -> None:
        """Remove an unfinished folder unless its writer is still running."""
        owner = folder / ".owner"
        handle = _try_lock(owner) if owner.exists() else None
        if owner.exists() and handle is None:
            return  # its writer holds the lock: still being written
        if handle is not None:
            handle.release()  # before removing: Windows cannot delete an open file
        shutil.rmtree(folder, ignore_errors=True)

    def _make_private(self) -> None:
        """Give every file and folder of the store to its owner alone (stores written by older versions)."""
        if _WINDOWS:
            return
        for folder, _dirs, files in os.walk(self.root):
            _private(Path(folder), _PRIVATE_DIR)
            for name in files:
                _private(Path(folder) / name)

    def _sweep(self) -> None:
        """Remove what a crash can leave behind: unfinished folders whose writer is gone,
        dataset folders the manifest does not list and cached analyses of no listed dataset."""
        with self._locked():
            try:
                datasets = self._read_manifest()
            except StoreError:
                return  # damaged manifest: remove nothing, the error is reported on use
            for leftover in self.root.glob(".manifest.json.*.tmp"):
                leftover.unlink(missing_ok=True)  # a manifest write that never reached its rename
            known = set(datasets)
            owners = {prefix for d in datasets.values() for prefix in self._cache_prefixes(d)}
            for folder in (self.root / "datasets").iterdir():
                if folder.name.startswith(".tmp-"):
                    self._remove_if_abandoned(folder)
                elif folder.is_dir() and folder.name not in known:
                    shutil.rmtree(folder, ignore_errors=True)  # renamed in place, manifest never written
            for folder in (self.root / "cache").iterdir():
                if folder.name.startswith(".tmp-"):
                    self._remove_if_abandoned(folder)
                elif folder.is_dir() and folder.name.split("-", 1)[0] not in owners:
                    shutil.rmtree(folder, ignore_errors=True)  # its dataset was deleted mid-way

    # -- datasets ----------------------------------------------------------------------
    def list(self) -> list[DatasetInfo]:
        """Datasets, newest upload first (of two saved in the same second, the later one)."""
        infos = [DatasetInfo(**d) for d in self._read_manifest().values()]
        # upload times have whole seconds; the manifest keeps datasets in the order saved
        order = sorted(range(len(infos)), key=lambda i: (infos[i].uploaded, i), reverse=True)
        return [infos[i] for i in order]

    def info(self, dataset_id: str) -> DatasetInfo:
        entry = self._read_manifest().get(dataset_id)
        if entry is None:
            raise StoreError(f"no dataset with id {dataset_id!r}")
        return DatasetInfo(**entry)

    def save(self, roster: Roster, *, name: str) -> DatasetInfo:
        """Store ``roster`` under ``name``; it becomes visible only once fully written."""
        dataset_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(4)
        name = _checked_name(name) if name.strip() else _shortened(roster.source.strip() or dataset_id)
        with self._staging(self.root / "datasets", dataset_id) as staging:
            _write_parquet(roster.memberships, staging / "roster.parquet")
            problems = [p.record() for p in roster.problems]  # with keys: shown in any language
            _write_atomic(staging / "problems.json", json.dumps(problems, ensure_ascii=False).encode("utf-8"))
            info = DatasetInfo(
                id=dataset_id,
                name=name,
                source=_shortened(roster.source),  # a file name chosen by the uploader: any length
                uploaded=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                rows=roster.memberships.height,
                fingerprint=roster_fingerprint(roster),
                salt=secrets.token_hex(16),
            )
            _fsync(staging / "roster.parquet")  # polars does not; the manifest must not outrun the data
            _fsync(staging)
            # rename and manifest under one lock: the sweep then never sees the folder unlisted
            with self._locked():
                datasets = self._read_manifest()
                self._disown(staging)
                final = self.root / "datasets" / dataset_id
                _replace(staging, final)
                try:
                    datasets[dataset_id] = asdict(info)
                    self._write_manifest(datasets)
                except BaseException:
                    shutil.rmtree(final, ignore_errors=True)
                    raise
        return info

    def load(self, dataset_id: str) -> Roster:
        """The stored roster, with the data check of its upload."""
        info = self.info(dataset_id)
        folder = self.root / "datasets" / dataset_id
        try:
            memberships = pl.read_parquet(folder / "roster.parquet")
            problems = json.loads((folder / "problems.json").read_text("utf-8"))
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            raise StoreError(f"dataset {info.name!r} cannot be read ({exc}); delete it and upload again") from exc
        return Roster(memberships, info.source, tuple(Problem.from_record(p) for p in problems))

    def rename(self, dataset_id: str, name: str) -> DatasetInfo:
        """Give a dataset a new name (at most :data:`MAX_NAME_LENGTH` characters)."""
        name = _checked_name(name)
        with self._locked():
            datasets = self._read_manifest()
            if dataset_id not in datasets:
                raise StoreError(f"no dataset with id {dataset_id!r}")
            datasets[dataset_id]["name"] = name
            self._write_manifest(datasets)
            return DatasetInfo(**datasets[dataset_id])

    def delete(self, dataset_id: str) -> None:
        """Remove the dataset and every file made from it (its cached analyses too).

        An analysis of it still running when this returns is then neither cached nor
        returned (see :meth:`analysis`): the delete wins.
        """
        with self._locked():
            datasets = self._read_manifest()
            entry = datasets.pop(dataset_id, None)
            if entry is None:
                raise StoreError(f"no dataset with id {dataset_id!r}")
            self._write_manifest(datasets)
            still_used = {prefix for d in datasets.values() for prefix in self._cache_prefixes(d)}
            shutil.rmtree(self.root / "datasets" / dataset_id, ignore_errors=True)
            for prefix in set(self._cache_prefixes(entry)) - still_used:
                for folder in (self.root / "cache").glob(f"{prefix}-*"):
                    shutil.rmtree(folder, ignore_errors=True)
                self._memory.drop_prefix(f"{prefix}-")

    # -- cached analyses -------------------------------------------------------------------
    @staticmethod
    def _dataset_key(entry: dict[str, Any]) -> str:
        """Content and salt of a dataset in one hash: its cache belongs to it alone, so
        deleting it removes its analyses even when the same file is stored twice."""
        return hashlib.sha256(f"{entry['fingerprint']}:{entry['salt']}".encode()).hexdigest()

    @classmethod
    def _cache_prefixes(cls, entry: dict[str, Any]) -> tuple[str, str]:
        """Cache folder prefixes of a dataset: its own, and its content's (older caches)."""
        return cls._dataset_key(entry)[:16], entry["fingerprint"][:16]

    @staticmethod
    def cache_key(fingerprint: str, options: dict[str, Any]) -> str:
        """Folder name of the analysis of a roster (by content) with ``options``."""
        body = json.dumps({"v": __version__, "options": options}, sort_keys=True, default=str)
        return f"{fingerprint[:16]}-{hashlib.sha256(body.encode()).hexdigest()[:16]}"

    def load_analysis(self, key: str) -> Analysis | None:
        """A cached analysis, or ``None`` when there is none (or it cannot be read)."""
        folder = self.root / "cache" / key
        if not (folder / "meta.json").exists():
            return None
        try:
            head = json.loads((folder / "meta.json").read_text("utf-8"))
            tables = {t: pl.read_parquet(folder / f"{t}.parquet") for t in _TABLES}
        except (OSError, ValueError, pl.exceptions.PolarsError):
            return None
        problems = tuple(Problem.from_record(p) for p in head["problems"])
        return Analysis(**tables, summary=head["summary"], meta=head["meta"], problems=problems)

    def analysis(self, dataset_id: str, **options: Any) -> Analysis:
        """The analysis of a stored dataset with ``options`` (see :func:`analyser.analysis.analyse`):
        from memory, else from the disk cache, else computed once and cached in both.

        Pseudonyms use the dataset's own salt, so codes stay stable across restarts. Requests
        for the same options wait for one computation. When the dataset is deleted while it
        runs, nothing is cached and :class:`StoreError` is raised.
        """
        info = self.info(dataset_id)
        key = self.cache_key(self._dataset_key(asdict(info)), {**options, "salt": info.salt})
        cached = self._memory.get(key)
        if cached is not None:
            return cached
        with self._key_locks[int(key[-8:], 16) % len(self._key_locks)]:
            cached = self._memory.get(key) or self.load_analysis(key)
            if cached is None:
                cached = analyse(self.load(dataset_id), salt=bytes.fromhex(info.salt), **options)
                if self.save_analysis(key, cached, owner=dataset_id):
                    cached = self._compact(key, cached)
            with self._locked():
                if not self._is_listed(dataset_id, info.salt):
                    raise StoreError(f"dataset {info.name!r} was deleted")
                self._memory.put(key, cached)
        return cached

    def _compact(self, key: str, analysis: Analysis) -> Analysis:
        """``analysis`` with its tables read back from the cache just written.

        Computed tables can keep the buffers of the frames they were cut from alive, about
        five times their own size; read back they hold only themselves, so the memory bound
        (:data:`MAX_MEMORY_BYTES`, counted by :func:`analysis_bytes`) is what is really held.
        """
        folder = self.root / "cache" / key
        try:
            return replace(analysis, **{t: pl.read_parquet(folder / f"{t}.parquet") for t in _TABLES})
        except (OSError, pl.exceptions.PolarsError):
            return analysis  # removed meanwhile (a delete): the caller finds out

    def _is_listed(self, dataset_id: str, salt: str) -> bool:
        """Whether the dataset is still in the manifest (call under the store lock)."""
        try:
            entry = self._read_manifest().get(dataset_id)
        except StoreError:
            return False
        return entry is not None and entry.get("salt") == salt

    def save_analysis(self, key: str, analysis: Analysis, owner: str | None = None) -> bool:
        """Cache ``analysis`` under ``key``; return whether it was written.

        Best effort: a failed write leaves no cache. With ``owner`` (a dataset id) nothing is
        written once that dataset is deleted, so a delete during the analysis leaves no file.
        At most :data:`MAX_DISK_ANALYSES` are kept per dataset; the oldest go first.
        """
        folder = self.root / "cache" / key
        try:
            salt = self.info(owner).salt if owner is not None else None
            with self._staging(self.root / "cache", f"{key}-{secrets.token_hex(4)}") as staging:
                for t in _TABLES:
                    _write_parquet(getattr(analysis, t), staging / f"{t}.parquet")
                head = {"summary": analysis.summary, "meta": analysis.meta,
                        "problems": [p.record() for p in analysis.problems]}
                _write_atomic(staging / "meta.json", json.dumps(head, ensure_ascii=False, default=str).encode("utf-8"))
                with self._locked():
                    if owner is not None and not self._is_listed(owner, salt):  # type: ignore[arg-type]
                        return False  # deleted meanwhile: the staging folder goes with the block
                    self._disown(staging)
                    if folder.exists():
                        shutil.rmtree(folder, ignore_errors=True)
                    _replace(staging, folder)
                    self._prune_disk(key.split("-", 1)[0])
        except (OSError, StoreError):
            return False  # the analysis is still served from memory; the next start computes it again
        return True

    def _prune_disk(self, prefix: str) -> None:
        """Keep the :data:`MAX_DISK_ANALYSES` newest cached analyses of one dataset (under the store lock)."""
        folders = [f for f in (self.root / "cache").glob(f"{prefix}-*") if f.is_dir()]
        if len(folders) <= MAX_DISK_ANALYSES:
            return
        folders.sort(key=lambda f: f.stat().st_mtime)
        for folder in folders[: len(folders) - MAX_DISK_ANALYSES]:
            shutil.rmtree(folder, ignore_errors=True)
