"""The dashboard data layer's grid capping and derived-table cache."""

from __future__ import annotations

import threading

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from analyser.store import Store
from dashboard.data import GRID_ROW_LIMIT, DashboardData, Settings, grid_rows

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
