"""The dashboard's data: the sample dataset and the per-app caches of rosters, graphs, analyses
and period analyses (:class:`DashboardData`).

Settings are in :mod:`dashboard.settings`, upload checks in :mod:`dashboard.uploads`, and which
people and rows a page shows in :mod:`dashboard.selection`."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import polars as pl

from analyser import __version__
from analyser.analysis import Analysis, analyse, person_communities
from analyser.i18n import t
from analyser.ingest import read_roster
from analyser.network import CollaborationNetwork, build_network
from analyser.periods import (
    PERIODS,
    PeriodAnalysis,
    analyse_periods,
    period_bounds,
    trend_tables,
    trends_document,
)
from analyser.privacy import PrivacyPolicy
from analyser.roster import Roster
from analyser.store import DatasetInfo, Store, StoreError
from dashboard.settings import Settings
from dashboard.uploads import MAX_UPLOAD_BYTES, forget_checked_uploads

__all__ = [
    "SAMPLE_PATH",
    "SAMPLE_NAME",
    "dataset_label",
    "MAX_UPLOAD_BYTES",
    "MAX_LEVEL",
    "MAX_MIN_GROUP",
    "MAX_PROJECT_LIMIT",
    "MAX_CONCURRENT_UPLOADS",
    "GRID_ROW_LIMIT",
    "Settings",
    "most_private",
    "allowed_privacy",
    "parse_settings",
    "ensure_sample",
    "decode_upload",
    "UploadCheck",
    "check_upload",
    "file_headers",
    "unit_projects",
    "select_people",
    "network_withheld_units",
    "grid_rows",
    "megabytes",
    "TrendData",
    "trend_data",
    "SHARED_TAG",
    "DashboardData",
]

SAMPLE_PATH = Path(__file__).resolve().parents[1] / "data" / "sample_rosters.csv"
SAMPLE_NAME = "Sample municipality"


def dataset_label(name: str, lang: str) -> str:
    """A dataset's name as the reader sees it: the shipped sample in the reader's language
    (its stored name stays :data:`SAMPLE_NAME`), any other dataset as it was named.

    >>> dataset_label(SAMPLE_NAME, "sv"), dataset_label("Roster 2026", "sv")
    ('Exempelkommun (påhittad)', 'Roster 2026')
    """
    return t("sample_dataset_name", lang) if name == SAMPLE_NAME else name
#: Tag of the results that background jobs leave in the shared cache (:attr:`DashboardData.shared`).
SHARED_TAG = "analyser-result"
T = TypeVar("T")


def ensure_sample(store: Store, path: Path = SAMPLE_PATH) -> DatasetInfo | None:
    """Save the shipped sample roster as "Sample municipality" when the store is empty.

    Returns the new dataset, or ``None`` when the store already had one (or the sample file
    is missing from this installation).
    """
    try:
        if store.list() or not path.is_file():
            return None
    except StoreError:
        return None  # a damaged list of datasets: the app starts and says so (never overwrite it)
    return store.save(read_roster(path), name=SAMPLE_NAME)


@dataclass(frozen=True)
class TrendData:
    """One dataset analysed period by period, with the tables the Trends page draws.

    ``results`` are :func:`analyser.periods.analyse_periods` (empty when the roster has no
    dates), ``summary`` and ``units`` :func:`analyser.periods.trend_tables`;
    ``undated`` counts memberships without dates, which count in every period.
    """

    period: str
    results: tuple[PeriodAnalysis, ...]
    summary: pl.DataFrame
    units: pl.DataFrame
    undated: int
    dated: bool

    @property
    def labels(self) -> list[str]:
        """Period labels in time order."""
        return [r.period for r in self.results]

    def analysis(self, label: str | None) -> Analysis | None:
        """The analysis of period ``label`` (``None`` when there is no such period)."""
        return next((r.analysis for r in self.results if r.period == label), None)


def trend_data(
    roster: Roster, settings: Settings, period: str, salt: bytes, *, on_stage: Callable[[str, float], None] | None = None
) -> TrendData:
    """Analyse ``roster`` period by period with ``settings`` (the Trends page's data).

    ``on_stage`` is handed to every period's :func:`analyser.analysis.analyse` (a progress bar
    counts its ``"graphs"`` stages to know which period is running).
    """
    m = roster.memberships
    undated = m.filter(pl.col("start").is_null() & pl.col("end").is_null()).height
    if not period_bounds(roster, period):  # type: ignore[arg-type]
        return TrendData(period, (), pl.DataFrame(), pl.DataFrame(), undated, False)
    hook = {"on_stage": on_stage} if on_stage is not None else {}
    results = analyse_periods(roster, period=period, salt=salt, **settings.options(), **hook)  # type: ignore[arg-type]
    tables = trend_tables(results)
    return TrendData(period, tuple(results), tables["summary"], tables["units"], undated, True)


class DashboardData:
    """The store plus caches of what callbacks need besides analyses (rosters, graphs, periods).

    One instance per app (made by :func:`dashboard.app.create_app`); analyses are cached
    by the store itself, in memory and on disk; period analyses here, per dataset,
    settings and period length.

    ``shared`` (a ``diskcache.Cache``, or ``None``) holds what background jobs computed in
    other processes (:mod:`dashboard.progress`): period analyses are looked up there before
    they are computed here. ``jobs`` (set by :func:`dashboard.app.create_app`) starts them;
    without it every callback computes in the request, as before.
    """

    def __init__(self, store: Store, *, max_upload_bytes: int = MAX_UPLOAD_BYTES, shared: Any = None):
        self.store = store
        self.max_upload_bytes = max_upload_bytes
        self.shared = shared
        self.jobs: Any = None
        self._trends_here: set[str] = set()  # period analyses made or read in this process
        self.roster = lru_cache(maxsize=8)(self._roster)
        self.network = lru_cache(maxsize=8)(self._network)
        self._trends = lru_cache(maxsize=16)(self._trend_data)
        self._derived: OrderedDict[tuple, Any] = OrderedDict()
        self._derived_lock = threading.Lock()
        self.derived_max = 64

    def cached(self, kind: str, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once per ``(kind, key)``: tables and figures derived from an analysis.

        ``key`` must name everything the result depends on (dataset, settings, language,
        page inputs); dataset ids are never reused, and :meth:`forget` drops it all. The
        least recently used of more than :attr:`derived_max` entries are dropped. Two
        requests racing on a new key may both build it; the last one is kept.
        """
        full = (kind, key)
        with self._derived_lock:
            if full in self._derived:
                self._derived.move_to_end(full)
                return self._derived[full]
        value = build()
        with self._derived_lock:
            self._derived[full] = value
            self._derived.move_to_end(full)
            while len(self._derived) > self.derived_max:
                self._derived.popitem(last=False)
        return value

    def _roster(self, dataset_id: str) -> Roster:
        return self.store.load(dataset_id)

    def _network(self, dataset_id: str, level: int, max_project_size: int | None) -> CollaborationNetwork:
        return build_network(self.roster(dataset_id), level=level, max_project_size=max_project_size)

    def communities(self, settings: Settings) -> np.ndarray:
        """Community of each person of the settings' network, as its rank by size from 0 (largest).

        Read from the analysis' ``community`` column when it has one for every person (so
        "Community 1" here is community 1 in the exports), matched by name or, with
        pseudonyms, by code; otherwise (aggregate mode) Louvain runs here, with the same
        seed. Cached per dataset, level and largest project size.
        """
        key = (settings.dataset, settings.level, settings.max_project_size)
        return self.cached("communities", key, lambda: self._communities(settings))

    def _communities(self, settings: Settings) -> np.ndarray:
        net = self.network(settings.dataset, settings.level, settings.max_project_size)
        analysis = self.analysis(settings)
        people = analysis.people if analysis is not None else pl.DataFrame()
        if "community" in people.columns and people.height == len(net.people):
            names = self.policy(settings).people(pl.Series(net.people, dtype=pl.String))
            by_person = pl.DataFrame({"person": names}).join(
                people.select("person", "community"), on="person", how="left", maintain_order="left"
            )["community"]
            if by_person.null_count() == 0:
                return by_person.to_numpy().astype(np.int64) - 1
        return person_communities(net, seed=0) - 1

    def _trend_data(self, settings: Settings, period: str, fingerprint: str) -> TrendData:
        # fingerprint is part of the key so a re-uploaded dataset id never serves old periods
        kept = self._shared_get(self._trend_key(settings, period, fingerprint))
        if kept is not None:
            return kept
        return trend_data(self.roster(settings.dataset), settings, period, self.salt(settings.dataset))  # type: ignore[arg-type]

    @staticmethod
    def _trend_key(settings: Settings, period: str, fingerprint: str) -> str:
        """Key of period analyses in the shared cache: everything they depend on."""
        body = json.dumps(["trends", __version__, asdict(settings), period, fingerprint])
        return "trends-" + hashlib.sha256(body.encode()).hexdigest()

    def _shared_get(self, key: str) -> Any:
        try:
            return self.shared.get(key) if self.shared is not None else None
        except Exception:  # an unreadable entry is computed again, as a missing one
            return None

    def share(self, key: str, value: Any, *, expire: float | None = None, owner: str | None = None) -> None:
        """Keep ``value`` in the shared cache (tagged, so :meth:`forget` drops it); best effort.

        With ``owner`` (a dataset id) nothing is kept once that dataset is deleted: a job
        finishing after the delete leaves none of its people behind.
        """
        if self.shared is None:
            return
        try:
            if owner is not None:
                self.store.info(owner)
        except StoreError:
            return
        self.shared.set(key, value, expire=expire, tag=SHARED_TAG)

    def take_shared(self, key: str) -> Any:
        """A value a background job left in the shared cache, removed as it is read (``None`` when absent)."""
        if self.shared is None:
            return None
        try:
            return self.shared.pop(key, default=None)
        except Exception:
            return None

    def has_trends(self, settings: Settings, period: str) -> bool:
        """Whether the period analyses of ``settings`` are in the shared cache (no computing)."""
        try:
            fingerprint = self.store.info(settings.dataset).fingerprint if settings.dataset else None
        except StoreError:
            return False
        if fingerprint is None:
            return False
        key = self._trend_key(settings, period, fingerprint)
        return key in self._trends_here or (self.shared is not None and key in self.shared)

    def compute_trends(self, settings: Settings, period: str, *, on_stage: Callable[[str, float], None] | None = None) -> None:
        """Compute the period analyses of ``settings`` into the shared cache (in a background job)."""
        if settings.dataset is None or period not in PERIODS:
            return
        fingerprint = self.store.info(settings.dataset).fingerprint
        key = self._trend_key(settings, period, fingerprint)
        if self._shared_get(key) is None:
            result = trend_data(self.roster(settings.dataset), settings, period, self.salt(settings.dataset), on_stage=on_stage)
            self.share(key, result, owner=settings.dataset)

    def trends(self, settings: Settings, period: str) -> TrendData | None:
        """The period analyses of the chosen dataset (cached), or ``None`` without a dataset.

        Pseudonyms use the dataset's salt, as on every other page, so codes match.
        """
        if settings.dataset is None or period not in PERIODS:
            return None
        try:
            fingerprint = self.store.info(settings.dataset).fingerprint
            found = self._trends(settings, period, fingerprint)
            self._trends_here.add(self._trend_key(settings, period, fingerprint))
            return found
        except StoreError:
            return None

    def report_trends(self, settings: Settings, period: str = "year") -> dict | None:
        """The report's "Change over time" data (year periods, as the CLI), or ``None`` without dates."""
        data = self.trends(settings, period)
        if data is None or not data.results:
            return None
        return trends_document(self.roster(settings.dataset), data.results, period=period)  # type: ignore[arg-type]

    def analysis(self, settings: Settings) -> Analysis | None:
        """The cached analysis for ``settings``, or ``None`` when no dataset is chosen or it is gone.

        A level beyond the dataset's depth is analysed (and cached) as its deepest level: the
        same analysis, so it is not a second cache entry.
        """
        if settings.dataset is None:
            return None
        try:
            return self.store.analysis(settings.dataset, **self._analysis_options(settings))
        except StoreError:
            return None

    def _analysis_options(self, settings: Settings) -> dict[str, Any]:
        return {**settings.options(), "level": min(settings.level, self.levels(settings.dataset))}

    def _analysis_key(self, settings: Settings) -> tuple[DatasetInfo, str]:
        """The dataset and the key under which the store caches the analysis of ``settings``
        (the store's own key, as :meth:`analyser.store.Store.analysis` makes it)."""
        info = self.store.info(settings.dataset)  # type: ignore[arg-type]
        options = {**self._analysis_options(settings), "salt": info.salt}
        return info, self.store.cache_key(self.store._dataset_key(asdict(info)), options)

    def has_analysis(self, settings: Settings) -> bool:
        """Whether the analysis of ``settings`` is cached, in memory or on disk (nothing is computed).

        ``True`` without a dataset or when it cannot be read: there is nothing to wait for.
        """
        if settings.dataset is None:
            return True
        try:
            _, key = self._analysis_key(settings)
        except StoreError:
            return True
        return self.store._memory.get(key) is not None or (self.store.root / "cache" / key / "meta.json").is_file()

    def compute_analysis(self, settings: Settings, *, on_stage: Callable[[str, float], None] | None = None) -> None:
        """Compute the analysis of ``settings`` into the store's disk cache, reporting its stages
        to ``on_stage`` (in a background job; the app then reads it as any cached analysis)."""
        if self.has_analysis(settings):
            return
        info, key = self._analysis_key(settings)
        result = analyse(self.roster(info.id), salt=bytes.fromhex(info.salt), on_stage=on_stage,
                         **self._analysis_options(settings))  # fmt: skip
        self.store.save_analysis(key, result, owner=info.id)

    def rows(self, dataset_id: str | None) -> int:
        """Memberships of a dataset as listed (0 when unknown): how big its analysis is."""
        try:
            return self.store.info(dataset_id).rows if dataset_id else 0
        except StoreError:
            return 0

    def levels(self, dataset_id: str | None) -> int:
        """Number of unit hierarchy levels of a dataset (1 when unknown)."""
        if not dataset_id:
            return 1
        try:
            return max(1, self.roster(dataset_id).levels)
        except StoreError:
            return 1

    def salt(self, dataset_id: str) -> bytes:
        return bytes.fromhex(self.store.info(dataset_id).salt)

    def policy(self, settings: Settings) -> PrivacyPolicy:
        """What the settings' privacy mode lets a page show, with the dataset's own salt
        (the analysis' codes)."""
        salt = self.salt(settings.dataset) if settings.dataset and settings.privacy == "pseudonyms" else None
        return PrivacyPolicy(settings.privacy, settings.min_group_size, salt)

    def name(self, dataset_id: str | None) -> str:
        try:
            return self.store.info(dataset_id).name if dataset_id else ""
        except StoreError:
            return ""

    def datasets(self) -> tuple[list[DatasetInfo], str | None]:
        """The stored datasets, and the store's error when their list cannot be read."""
        try:
            return self.store.list(), None
        except StoreError as exc:
            return [], str(exc)

    def dataset_problem(self, dataset_id: str | None) -> str | None:
        """Why a chosen dataset cannot be used (its stored files are damaged), else ``None``."""
        if not dataset_id:
            return None
        try:
            self.roster(dataset_id)
        except StoreError as exc:
            return str(exc)
        return None

    def forget(self) -> None:
        """Drop the in-memory rosters, graphs and derived tables (after a delete, so no copy stays in memory).

        Rosters of checked but not accepted uploads go too.
        """
        for cached in (self.roster, self.network, getattr(self, "_trends", None)):
            if cached is not None:
                cached.cache_clear()
        with self._derived_lock:
            self._derived.clear()
        forget_checked_uploads()
        self._trends_here.clear()
        if self.shared is not None:
            self.shared.evict(SHARED_TAG)  # period analyses and job results of background jobs
