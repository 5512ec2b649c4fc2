"""The dashboard's data layer: settings, the sample dataset, upload checks and cached graphs."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import polars as pl

from analyser import __version__
from analyser.analysis import Analysis, analyse
from analyser.ingest import detect_columns, read_headers, read_roster, read_roster_bytes
from analyser.network import CollaborationNetwork, build_network
from analyser.periods import PERIODS, PeriodAnalysis, analyse_periods, period_bounds, trend_tables, trends_document
from analyser.privacy import PRIVACY_MODES, PrivacyPolicy
from analyser.roster import REQUIRED_COLUMNS, Problem, Roster, RosterError
from analyser.store import DatasetInfo, Store, StoreError
from analyser.i18n import t

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
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Most rows a people or project grid sends to the browser; a search narrows the rest on the server.
GRID_ROW_LIMIT = 1000
#: Largest values the global controls may take. Each value is a new cached analysis, and
#: beyond these a value changes nothing (levels beyond a roster's depth are its deepest).
MAX_LEVEL = 20
MAX_MIN_GROUP = 100
MAX_PROJECT_LIMIT = 10_000
#: Uploads parsed at the same time (a 50 MB file takes about 1 GB while parsed); one more is
#: asked to try again instead of queueing up memory.
MAX_CONCURRENT_UPLOADS = 2
#: Rosters of checked files kept for their "Accept" click, so a file is parsed once, and how long.
CHECKED_KEEP = 2
CHECKED_KEEP_SECONDS = 600
#: Tag of the results that background jobs leave in the shared cache (:attr:`DashboardData.shared`).
SHARED_TAG = "analyser-result"
UPLOAD_BUSY = {
    "en": "The dashboard is checking other uploads right now. Try again in a minute.",
    "sv": "Verktyget kontrollerar andra uppladdningar just nu. Försök igen om en minut.",
}
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """The global controls, validated: what every page analyses and how it shows people."""

    dataset: str | None = None
    level: int = 1
    privacy: str = "names"
    min_group_size: int = 5
    max_project_size: int | None = None

    def options(self) -> dict[str, Any]:
        """Keyword arguments of :meth:`analyser.store.Store.analysis`."""
        return {"level": self.level, "privacy": self.privacy, "min_group_size": self.min_group_size,
                "max_project_size": self.max_project_size, "seed": 0}  # fmt: skip


def _int(value: object, default: int | None, lowest: int) -> int | None:
    try:
        number = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # OverflowError: "inf"
        return default
    return number if number >= lowest else default


def most_private(*modes: str) -> str:
    """The most private of ``modes`` in the order names < pseudonyms < aggregate.

    An unknown mode counts as the most private one: a typo must never open names.

    Examples
    --------
    >>> most_private("names", "pseudonyms"), most_private("aggregate", "names"), most_private("names")
    ('pseudonyms', 'aggregate', 'names')
    >>> most_private("names", "typo")
    'aggregate'
    """
    rank = {mode: i for i, mode in enumerate(PRIVACY_MODES)}
    return PRIVACY_MODES[max(rank.get(m, len(PRIVACY_MODES) - 1) for m in modes)]


def allowed_privacy(floor: str) -> list[str]:
    """The privacy modes at least as private as ``floor``, least private first.

    >>> allowed_privacy("names"), allowed_privacy("pseudonyms")
    (['names', 'pseudonyms', 'aggregate'], ['pseudonyms', 'aggregate'])
    """
    return [m for m in PRIVACY_MODES if most_private(m, floor) == m]


def _request_floor() -> str:
    # dashboard.security imports this module, so its floor is looked up at call time
    from dashboard.security import privacy_floor

    return privacy_floor()


def parse_settings(raw: Mapping[str, Any] | None, floor: str | None = None) -> Settings:
    """Return the settings held in the ``App.SETTINGS`` store, bad values replaced by defaults.

    The privacy mode is raised to ``floor``, by default the floor of the request being
    answered (:func:`dashboard.security.privacy_floor`: the server's ``--privacy-floor``
    raised by the role of the login). Every callback reads its settings here, so a browser
    that sends "names" to a viewer still gets pseudonyms: the page's dropdown is not what
    protects the names.

    Numbers are capped at :data:`MAX_LEVEL`, :data:`MAX_MIN_GROUP` and
    :data:`MAX_PROJECT_LIMIT`: every distinct value becomes a cached analysis, so a client
    must not be able to make unlimited ones.

    Examples
    --------
    >>> parse_settings({"dataset": "d1", "level": "2", "privacy": "x", "max_project_size": ""})
    Settings(dataset='d1', level=2, privacy='names', min_group_size=5, max_project_size=None)
    >>> parse_settings({"level": 1e9, "min_group_size": 10**6, "max_project_size": 10**9})
    Settings(dataset=None, level=20, privacy='names', min_group_size=100, max_project_size=10000)
    >>> parse_settings({"privacy": "names"}, floor="pseudonyms").privacy
    'pseudonyms'
    """
    raw = raw or {}
    privacy = raw.get("privacy")
    dataset = raw.get("dataset")
    max_project = _int(raw.get("max_project_size"), None, 2)
    requested = privacy if privacy in PRIVACY_MODES else "names"
    return Settings(
        dataset=dataset if isinstance(dataset, str) and dataset else None,
        level=min(_int(raw.get("level"), 1, 1) or 1, MAX_LEVEL),
        privacy=most_private(requested, _request_floor() if floor is None else floor),
        min_group_size=min(_int(raw.get("min_group_size"), 5, 1) or 5, MAX_MIN_GROUP),
        max_project_size=None if max_project is None else min(max_project, MAX_PROJECT_LIMIT),
    )


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


def decode_upload(contents: str) -> bytes:
    """Return the file bytes of a ``dcc.Upload`` data URL (``data:...;base64,....``).

    Examples
    --------
    >>> decode_upload("data:text/csv;base64,YSxiCg==")
    b'a,b\\n'
    """
    _, _, body = contents.partition(",")
    try:
        return base64.b64decode(body, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"the upload could not be decoded ({exc})") from exc


@dataclass(frozen=True)
class UploadCheck:
    """What the upload page shows about a file before it is accepted."""

    filename: str
    ok: bool
    rows: int = 0
    people: int = 0
    projects: int = 0
    units: int = 0
    rejected: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    headers: tuple[str, ...] = ()
    detected: dict[str, str | None] = field(default_factory=dict)
    needs_mapping: bool = False


def file_headers(data: bytes, filename: str) -> list[str]:
    """The header cells of a roster file as the reader finds them (``[]`` if unreadable)."""
    try:
        return read_headers(data, filename)
    except (RosterError, ValueError):
        return []


def check_upload(
    data: bytes,
    filename: str,
    columns: Mapping[str, str | None] | None = None,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    lang: str = "en",
) -> tuple[UploadCheck, Roster | None]:
    """Validate an uploaded file; return what to show and the roster when it is usable.

    Rejected rows are the ``error`` problems with a line number; ``needs_mapping`` is set
    when a required column is not recognised, so the page offers header dropdowns. A file
    over ``max_bytes`` is refused before parsing, with a message in ``lang``.

    At most :data:`MAX_CONCURRENT_UPLOADS` files are parsed at once; another gets a "try
    again" message. A usable roster is kept (:data:`CHECKED_KEEP` of them, for
    :data:`CHECKED_KEEP_SECONDS`) and handed out once more for the same file and columns,
    so accepting a checked file does not parse it a second time.

    Examples
    --------
    >>> check, roster = check_upload(b"Projekt;Namn;Enhet\\nP1;Anna;HR\\nP1;Bo;\\n", "r.csv")
    >>> check.ok, check.rows, [p.line for p in check.rejected]
    (True, 1, [3])
    >>> check_upload(b"a;b;c\\nP1;Anna;HR\\n", "r.csv")[0].needs_mapping
    True
    """
    if len(data) > max_bytes:
        message = t("upload_too_large", lang, size=megabytes(len(data)), limit=megabytes(max_bytes))
        return UploadCheck(filename, False, errors=(Problem(filename, None, None, message, "error"),)), None
    key = _upload_key(data, filename, columns, max_bytes)
    kept = _checked.take(key)
    if kept is not None:
        return kept
    if not _upload_slots.acquire(blocking=False):
        message = UPLOAD_BUSY.get(lang, UPLOAD_BUSY["en"])
        return UploadCheck(filename, False, errors=(Problem(filename, None, None, message, "error"),)), None
    try:
        check, roster = _parse_upload(data, filename, columns, max_bytes)
    finally:
        _upload_slots.release()
    if roster is not None:
        _checked.keep(key, (check, roster))
    return check, roster


def _upload_key(data: bytes, filename: str, columns: Mapping[str, str | None] | None, max_bytes: int) -> str:
    """What a parsed upload depends on, as one hash (the file's bytes, name, columns and limit)."""
    digest = hashlib.sha256(data)
    chosen = sorted((k, v) for k, v in (columns or {}).items() if v)
    digest.update(json.dumps([filename, chosen, max_bytes]).encode("utf-8"))
    return digest.hexdigest()


class _Kept:
    """A few values kept for a while and handed out once (the rosters of checked uploads).

    Examples
    --------
    >>> kept = _Kept(size=1, seconds=60)
    >>> kept.keep("a", 1); kept.keep("b", 2)
    >>> kept.take("a"), kept.take("b"), kept.take("b")
    (None, 2, None)
    """

    def __init__(self, size: int = CHECKED_KEEP, seconds: float = CHECKED_KEEP_SECONDS):
        self.size, self.seconds = size, seconds
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def take(self, key: str) -> Any:
        with self._lock:
            # personal data: nothing stays in memory longer than needed
            stale = time.monotonic() - self.seconds
            for old in [k for k, (at, _) in self._items.items() if at < stale]:
                del self._items[old]
            item = self._items.pop(key, None)
        return None if item is None else item[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_upload_slots = threading.BoundedSemaphore(MAX_CONCURRENT_UPLOADS)
_checked = _Kept()


def _parse_upload(
    data: bytes, filename: str, columns: Mapping[str, str | None] | None, max_bytes: int
) -> tuple[UploadCheck, Roster | None]:
    try:
        roster = read_roster_bytes(data, filename, columns=columns or None, max_bytes=max_bytes)
    except RosterError as exc:
        headers = file_headers(data, filename)
        detected = {**detect_columns(headers), **{k: v for k, v in (columns or {}).items() if v}}
        needs = bool(headers) and any(not detected.get(c) for c in REQUIRED_COLUMNS)
        check = UploadCheck(filename, False, errors=tuple(exc.problems), headers=tuple(headers),
                            detected=detected, needs_mapping=needs)  # fmt: skip
        return check, None
    m = roster.memberships
    check = UploadCheck(
        filename,
        True,
        rows=m.height,
        people=m["person"].n_unique(),
        projects=m["project"].n_unique(),
        units=m["unit"].n_unique(),
        rejected=tuple(p for p in roster.problems if p.severity == "error"),
        warnings=tuple(p for p in roster.problems if p.severity != "error"),
    )
    return check, roster


def megabytes(size: int) -> str:
    """A size in bytes as megabytes (2**20 bytes) for messages: one decimal, none when whole
    (two significant digits below 0.1 MB, so a small size never reads as 0).

    >>> megabytes(50 * 2**20), megabytes(77_000_000), megabytes(4096)
    ('50', '73.4', '0.0039')
    """
    mb = size / 2**20
    if 0 < mb < 0.05:
        return f"{mb:.2g}"
    return f"{mb:.1f}".removesuffix(".0")


def unit_projects(memberships: pl.DataFrame, unit: str, projects: pl.DataFrame) -> pl.DataFrame:
    """Return the projects with at least one member in ``unit``, with that unit's members.

    ``memberships`` must have units at the level analysed (``Roster.at_level``); the
    figures of ``projects`` (the analysis' project table) are joined on.

    Examples
    --------
    >>> m = pl.DataFrame({"project": ["P1", "P1", "P2"], "person": ["a", "b", "c"], "unit": ["A", "B", "B"]})
    >>> p = pl.DataFrame({"project": ["P1", "P2"], "members": [2, 1], "units": [2, 1]})
    >>> unit_projects(m, "A", p).rows()
    [('P1', 1, 2, 2)]
    """
    own = (
        memberships.filter(pl.col("unit") == unit)
        .group_by("project")
        .agg(pl.col("person").n_unique().alias("members_in_unit"))
    )
    keep = [c for c in ("project", "members", "units", "blau_index", "cross_unit") if c in projects.columns]
    return own.join(projects.select(keep), on="project", how="left").sort(
        ["members_in_unit", "project"], descending=[True, False]
    )


def grid_rows(
    frame: pl.DataFrame, search: str | None, columns: tuple[str, ...], limit: int = GRID_ROW_LIMIT
) -> tuple[pl.DataFrame, int]:
    """Return the first ``limit`` rows of ``frame`` whose ``columns`` hold ``search``, and how many match.

    The match ignores case and takes the text literally (no patterns); an empty search
    matches every row. ``frame`` keeps its order, so sort it first: the rows sent are then
    the top of the ranking, and the count says how many more there are.

    Examples
    --------
    >>> f = pl.DataFrame({"person": ["Ann", "Bo", "Anders"], "unit": ["HR", "IT", "IT"]})
    >>> rows, total = grid_rows(f, "an", ("person", "unit"), limit=1)
    >>> rows["person"].to_list(), total
    (['Ann'], 2)
    >>> grid_rows(f, None, ("person",), limit=2)[1]
    3
    """
    needle = (search or "").strip().lower()  # as polars' to_lowercase, so both sides fold alike
    columns = tuple(c for c in columns if c in frame.columns)
    if needle and columns:
        hit = pl.any_horizontal(
            pl.col(c).cast(pl.String).fill_null("").str.to_lowercase().str.contains(needle, literal=True) for c in columns
        )
        frame = frame.filter(hit)
    return frame.head(limit), frame.height


def network_withheld_units(net: CollaborationNetwork, privacy: str, min_group_size: int) -> frozenset[str]:
    """The units of ``net`` whose people a person map must not show in ``privacy`` mode.

    With pseudonyms (and aggregate) these are the units the analysis withholds
    (:meth:`analyser.privacy.PrivacyPolicy.withheld_set`): small units and their
    complements. With names nothing is withheld.

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P1", "cid", "B"), ("P2", "dan", "C"),
    ...                       ("P2", "eva", "C"), ("P2", "fay", "D"), ("P2", "gus", "D"), ("P2", "hal", "D")])
    >>> sorted(network_withheld_units(build_network(r), "pseudonyms", 2))
    ['A', 'B', 'C']
    >>> network_withheld_units(build_network(r), "names", 2)
    frozenset()
    """
    return PrivacyPolicy(privacy, min_group_size).withheld_set(net)


def select_people(
    net: CollaborationNetwork, mode: str, choice: str | None, communities: np.ndarray | None = None
) -> np.ndarray:
    """Return the indices of the people a person map shows.

    ``mode`` is ``"unit"`` (people of a unit), ``"community"`` (one detected community,
    ``choice`` its number as text) or ``"project"`` (the members of a project and everyone
    they share another project with).

    Examples
    --------
    >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "bob", "B"), ("P2", "cid", "B")])
    >>> net = build_network(r)
    >>> select_people(net, "unit", "B").tolist(), select_people(net, "project", "P1").tolist()
    ([1, 2], [0, 1, 2])
    """
    if choice is None:
        return np.zeros(0, dtype=np.int64)
    if mode == "unit":
        if choice not in net.units:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(net.person_unit == net.units.index(choice))
    if mode == "community":
        if communities is None:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(communities == _int(choice, -1, 0))
    if mode == "project":
        if choice not in net.projects:
            return np.zeros(0, dtype=np.int64)
        members = net.incidence[:, [net.projects.index(choice)]].nonzero()[0]
        reached = net.adjacency[members].nonzero()[1] if members.size else members
        return np.unique(np.concatenate([members, reached])).astype(np.int64)
    raise ValueError(f"unknown selection mode {mode!r}")


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
        from analyser.metrics.structure import community_ranks, louvain_communities

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
        return community_ranks(louvain_communities(net.weights, seed=0)) - 1

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
        _checked.clear()
        self._trends_here.clear()
        if self.shared is not None:
            self.shared.evict(SHARED_TAG)  # period analyses and job results of background jobs
