"""The dashboard data layer's grid capping, derived-table cache, analysis cache bound and upload limits."""

from __future__ import annotations

import base64
import threading

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dashboard.settings as settings_module
import dashboard.uploads as uploads_module
from analyser.store import Store
from analyser.i18n import t
from dashboard.data import DashboardData, ensure_sample
from dashboard.selection import GRID_ROW_LIMIT, grid_rows
from dashboard.settings import Settings, parse_settings
from dashboard.uploads import MAX_CONCURRENT_UPLOADS, check_upload

PEOPLE = pl.DataFrame({"person": ["Ann Ek", "Bo Ek", "Cia Lund", "Dan"], "unit": ["HR", "IT", "Ekonomi", None]})


def test_grid_rows_caps_and_counts_all_rows():
    """Without a search the first rows are sent and the count is of every row."""
    rows, total = grid_rows(PEOPLE, "", ("person", "unit"), limit=2)
    assert rows["person"].to_list() == ["Ann Ek", "Bo Ek"] and total == 4


def test_grid_rows_search_matches_any_column_in_any_case():
    """A search matches person or unit, ignoring case, and keeps the frame's order."""
    rows, total = grid_rows(PEOPLE, "  EK ", ("person", "unit"), limit=10)
    assert rows["person"].to_list() == ["Ann Ek", "Bo Ek", "Cia Lund"] and total == 3


def test_grid_rows_search_is_literal_text():
    """Pattern characters are plain text, so a stray bracket or dot never errors or matches everything."""
    assert grid_rows(PEOPLE, "[", ("person",))[1] == 0
    assert grid_rows(PEOPLE, ".", ("person",))[1] == 0


def test_grid_rows_ignores_missing_columns_and_nulls():
    """A null cell never matches and a column the frame lacks is skipped."""
    rows, total = grid_rows(PEOPLE, "dan", ("person", "unit", "no_such_column"))
    assert rows["person"].to_list() == ["Dan"] and total == 1


def test_default_cap_keeps_the_sample_whole():
    """The cap is above the shipped sample's 600 people, so small datasets are never cut."""
    assert GRID_ROW_LIMIT >= 600


@given(st.lists(st.text(alphabet="abAB. ", max_size=4), max_size=30), st.text(alphabet="abAB. ", max_size=2),
       st.integers(0, 40))  # fmt: skip
def test_grid_rows_never_sends_more_than_the_limit(names, search, limit):
    """Sent rows are at most the limit and at most the matches; all of them match the search."""
    frame = pl.DataFrame({"person": names}, schema={"person": pl.String})
    rows, total = grid_rows(frame, search, ("person",), limit=limit)
    needle = search.strip().lower()
    assert rows.height == min(limit, total) and total <= frame.height
    assert all(needle in p.lower() for p in rows["person"])
    assert total == sum(needle in p.lower() for p in names)


def _data(tmp_path) -> DashboardData:
    return DashboardData(Store(tmp_path / "data"))


def test_cached_builds_once_per_key(tmp_path):
    """The same kind and key build once; another key or kind builds again."""
    data, calls = _data(tmp_path), []

    def build(value):
        return lambda: calls.append(value) or value

    s = Settings("d1")
    assert data.cached("overview", (s, "en"), build(1)) == 1
    assert data.cached("overview", (s, "en"), build(2)) == 1
    assert data.cached("overview", (s, "sv"), build(3)) == 3
    assert data.cached("bridges", (s, "en"), build(4)) == 4
    assert calls == [1, 3, 4]


def test_cached_drops_the_least_recently_used(tmp_path):
    """Beyond ``derived_max`` entries the least recently used one is built again."""
    data = _data(tmp_path)
    data.derived_max = 2
    data.cached("k", "a", lambda: "A")
    data.cached("k", "b", lambda: "B")
    data.cached("k", "a", lambda: "never")  # a is now the most recently used
    data.cached("k", "c", lambda: "C")  # b goes
    assert data.cached("k", "a", lambda: "again") == "A"
    assert data.cached("k", "b", lambda: "rebuilt") == "rebuilt"


def test_forget_drops_derived_tables(tmp_path):
    """After a delete (forget) no derived table survives in memory."""
    data = _data(tmp_path)
    data.cached("k", "a", lambda: "old")
    data.forget()
    assert data.cached("k", "a", lambda: "new") == "new"


def test_cached_is_safe_from_threads(tmp_path):
    """Requests on several threads get a value and the cache stays within its bound."""
    data = _data(tmp_path)
    data.derived_max = 5
    seen: list[int] = []

    def work(i: int) -> None:
        for j in range(200):
            seen.append(data.cached("k", (i + j) % 9, lambda j=j: j))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 800 and len(data._derived) <= 5


# -- analysis cache bound and uploads (issue 12) ------------------------------------------------


@pytest.fixture
def sample(tmp_path) -> tuple[DashboardData, str]:
    """Dashboard data over a fresh store holding the sample; the id of the sample."""
    store = Store(tmp_path / "data")
    ensure_sample(store)
    return DashboardData(store), store.list()[0].id


def test_settings_from_a_client_are_capped():
    """Numbers a client sends are capped before they become cache keys; junk becomes defaults."""
    s = parse_settings({"dataset": ["x"], "level": "1e300", "min_group_size": "inf", "max_project_size": 10**12})
    assert s == Settings(None, settings_module.MAX_LEVEL, "names", 5, settings_module.MAX_PROJECT_LIMIT)
    assert parse_settings({"min_group_size": 10**9}).min_group_size == settings_module.MAX_MIN_GROUP


def test_level_beyond_the_dataset_is_the_same_cached_analysis(sample):
    """Level 9 of a 2-level roster is its level 2: one cache entry, not two."""
    data, dataset = sample
    deepest = data.levels(dataset)
    first = data.analysis(Settings(dataset, level=deepest))
    assert data.analysis(Settings(dataset, level=deepest + 7)) is first
    assert len(data.store._memory) == 1


def test_twelve_settings_values_stay_within_the_cache_bound(sample):
    """A client cycling through settings values cannot grow the in-memory analyses past the bound."""
    data, dataset = sample
    data.store._memory.max_entries = 4
    for value in range(1, 13):
        assert data.analysis(parse_settings({"dataset": dataset, "min_group_size": value})) is not None
    assert len(data.store._memory) == 4


def _roster_csv(rows: int = 30, tag: str = "a") -> bytes:
    return ("project,person,unit\n" + "".join(f"P{n % 4},{tag}-{n},U{n % 3}\n" for n in range(rows))).encode()


def test_accepting_a_checked_upload_parses_it_once(sample, monkeypatch):
    """Check then accept: the file is read once (the roster of the check is reused), and only once."""
    from dashboard.pages.upload import accept_upload, check_contents

    data, _ = sample
    reads, real = [], uploads_module.read_roster_bytes
    monkeypatch.setattr(uploads_module, "read_roster_bytes", lambda *a, **k: reads.append(1) or real(*a, **k))
    contents = "data:text/csv;base64," + base64.b64encode(_roster_csv(tag="once")).decode()
    state = check_contents(contents, "once.csv", None, "en")[-1]
    message, changed, _ = accept_upload(data, contents, state, "Once", "en")
    assert changed["select"] and len(reads) == 1
    check_upload(_roster_csv(tag="once"), "once.csv")  # handed out once: a new check reads again
    assert len(reads) == 2


def test_concurrent_uploads_are_capped_with_a_retry_message(monkeypatch):
    """While MAX_CONCURRENT_UPLOADS files are being parsed, another gets "try again" at once."""
    release, started = threading.Event(), threading.Semaphore(0)
    real = uploads_module.read_roster_bytes

    def slow(*args, **kwargs):
        started.release()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads_module, "read_roster_bytes", slow)
    busy = [threading.Thread(target=check_upload, args=(_roster_csv(tag=f"busy{n}"), f"b{n}.csv"))
            for n in range(MAX_CONCURRENT_UPLOADS)]  # fmt: skip
    for thread in busy:
        thread.start()
    for _ in busy:
        assert started.acquire(timeout=10)
    answer: list = []
    extra = threading.Thread(target=lambda: answer.append(check_upload(_roster_csv(tag="late"), "late.csv", lang="sv")))
    extra.start()
    extra.join(5)
    release.set()
    for thread in (*busy, extra):
        thread.join(30)
    check, roster = answer[0]
    assert roster is None and not check.ok and check.errors[0].message == t("upload_busy", "sv")
    assert check_upload(_roster_csv(tag="late"), "late.csv")[1] is not None  # free again
