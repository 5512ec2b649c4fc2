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
another process or thread.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import polars as pl

from analyser import __version__
from analyser.analysis import Analysis, analyse
from analyser.roster import Problem, Roster

__all__ = ["DEFAULT_DATA_DIR", "DatasetInfo", "StoreError", "Store", "roster_fingerprint"]

DEFAULT_DATA_DIR = Path(".analyser-data")
_TABLES = ("units", "people", "projects", "unit_links")


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


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so a rename survives a power cut and not only a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _try_lock(path: Path) -> Any:
    """An open file holding an exclusive lock on ``path``, or ``None`` when another holds it."""
    try:
        handle = open(path, "a+")  # noqa: SIM115 - returned open: the lock lasts while it is
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


class Store:
    """Datasets and cached analyses in ``root`` (created when missing)."""

    def __init__(self, root: str | Path = DEFAULT_DATA_DIR):
        self.root = Path(root)
        self._memory: dict[str, Analysis] = {}
        (self.root / "datasets").mkdir(parents=True, exist_ok=True)
        (self.root / "cache").mkdir(exist_ok=True)
        self._sweep()

    # -- manifest ----------------------------------------------------------------------
    @property
    def _manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.root / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

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
            folder.mkdir(parents=True)
            owner = open(folder / ".owner", "a+")  # noqa: SIM115 - held open until the block ends
            fcntl.flock(owner, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            owner.close()
            shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def _remove_if_abandoned(folder: Path) -> None:
        """Remove an unfinished folder unless its writer is still running."""
        owner = folder / ".owner"
        handle = _try_lock(owner) if owner.exists() else None
        if owner.exists() and handle is None:
            return  # its writer holds the lock: still being written
        shutil.rmtree(folder, ignore_errors=True)
        if handle is not None:
            handle.close()

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
        with self._staging(self.root / "datasets", dataset_id) as staging:
            roster.memberships.write_parquet(staging / "roster.parquet")
            problems = [p.as_dict() for p in roster.problems]
            _write_atomic(staging / "problems.json", json.dumps(problems, ensure_ascii=False).encode("utf-8"))
            info = DatasetInfo(
                id=dataset_id,
                name=name.strip() or roster.source,
                source=roster.source,
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
                (staging / ".owner").unlink()
                final = self.root / "datasets" / dataset_id
                os.replace(staging, final)
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
        return Roster(memberships, info.source, tuple(Problem(**p) for p in problems))

    def rename(self, dataset_id: str, name: str) -> DatasetInfo:
        if not name.strip():
            raise StoreError("a dataset needs a name")
        with self._locked():
            datasets = self._read_manifest()
            if dataset_id not in datasets:
                raise StoreError(f"no dataset with id {dataset_id!r}")
            datasets[dataset_id]["name"] = name.strip()
            self._write_manifest(datasets)
            return DatasetInfo(**datasets[dataset_id])

    def delete(self, dataset_id: str) -> None:
        """Remove the dataset and every file made from it (its cached analyses too)."""
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
                for key in [k for k in list(self._memory) if k.startswith(f"{prefix}-")]:
                    self._memory.pop(key, None)

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
        problems = tuple(Problem(**p) for p in head["problems"])
        return Analysis(**tables, summary=head["summary"], meta=head["meta"], problems=problems)

    def analysis(self, dataset_id: str, **options: Any) -> Analysis:
        """The analysis of a stored dataset with ``options`` (see :func:`analyser.analysis.analyse`):
        from memory, else from the disk cache, else computed once and cached in both.

        Pseudonyms use the dataset's own salt, so codes stay stable across restarts.
        """
        info = self.info(dataset_id)
        key = self.cache_key(self._dataset_key(asdict(info)), {**options, "salt": info.salt})
        cached = self._memory.get(key) or self.load_analysis(key)
        if cached is None:
            cached = analyse(self.load(dataset_id), salt=bytes.fromhex(info.salt), **options)
            self.save_analysis(key, cached)
        self._memory[key] = cached
        return cached

    def save_analysis(self, key: str, analysis: Analysis) -> None:
        """Cache ``analysis`` under ``key`` (best effort: a failed write leaves no cache)."""
        folder = self.root / "cache" / key
        try:
            with self._staging(self.root / "cache", f"{key}-{secrets.token_hex(4)}") as staging:
                for t in _TABLES:
                    getattr(analysis, t).write_parquet(staging / f"{t}.parquet")
                head = {"summary": analysis.summary, "meta": analysis.meta,
                        "problems": [p.as_dict() for p in analysis.problems]}
                _write_atomic(staging / "meta.json", json.dumps(head, ensure_ascii=False, default=str).encode("utf-8"))
                with self._locked():
                    (staging / ".owner").unlink()
                    if folder.exists():
                        shutil.rmtree(folder, ignore_errors=True)
                    os.replace(staging, folder)
        except OSError:
            pass  # the analysis is still served from memory; the next start computes it again
