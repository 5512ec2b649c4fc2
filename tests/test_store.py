"""Tests of analyser.store: datasets survive restarts, writes are atomic, deletes are complete."""

from __future__ import annotations

import json

import pytest

from analyser.roster import Problem, Roster
from analyser.store import Store, StoreError, roster_fingerprint


@pytest.fixture
def roster_with_warning(tiny_roster) -> Roster:
    return Roster(tiny_roster.memberships, "tiny.csv", (Problem("tiny.csv", 3, "unit", "note"),))


def test_saved_dataset_survives_a_new_store_object(tmp_path, roster_with_warning):
    """A second Store on the same folder (an app restart) sees the dataset and its data check."""
    info = Store(tmp_path).save(roster_with_warning, name="Spring roster")
    again = Store(tmp_path)
    assert [d.name for d in again.list()] == ["Spring roster"]
    loaded = again.load(info.id)
    assert loaded.memberships.equals(roster_with_warning.memberships)
    assert loaded.problems == roster_with_warning.problems


def test_rename_and_delete_remove_every_file(tmp_path, tiny_roster):
    """Renaming keeps the data; deleting removes the dataset folder and its cached analyses."""
    from analyser.analysis import analyse

    store = Store(tmp_path)
    info = store.save(tiny_roster, name="a")
    assert store.rename(info.id, "b").name == "b"
    key = Store.cache_key(info.fingerprint, {"level": None})
    store.save_analysis(key, analyse(tiny_roster))
    assert store.load_analysis(key) is not None
    store.delete(info.id)
    assert store.list() == []
    assert not any((tmp_path / "datasets").iterdir())
    assert not any((tmp_path / "cache").iterdir())
    with pytest.raises(StoreError):
        store.load(info.id)


def test_cached_analysis_round_trips(tmp_path, tiny_roster):
    """Tables, summary and meta come back as saved."""
    from analyser.analysis import analyse

    store, a = Store(tmp_path), analyse(tiny_roster)
    store.save_analysis("k", a)
    b = store.load_analysis("k")
    assert b.units.equals(a.units) and b.people.equals(a.people) and b.summary == a.summary
    assert store.load_analysis("missing") is None


def test_unfinished_upload_is_invisible_and_swept(tmp_path, tiny_roster):
    """Files of an upload that never reached the manifest are not listed and are removed."""
    store = Store(tmp_path)
    store.save(tiny_roster, name="kept")
    half = tmp_path / "datasets" / ".tmp-20260101T000000-dead"
    half.mkdir()
    (half / "roster.parquet").write_bytes(b"partial")
    assert [d.name for d in Store(tmp_path).list()] == ["kept"]
    assert not half.exists()


def test_damaged_manifest_is_reported(tmp_path, tiny_roster):
    """A corrupted manifest gives a clear StoreError, not a JSON traceback."""
    Store(tmp_path).save(tiny_roster, name="x")
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(StoreError, match="damaged"):
        Store(tmp_path).list()


def test_fingerprint_ignores_row_order(tiny_roster):
    """The same memberships in another order are the same dataset content."""
    shuffled = Roster(tiny_roster.memberships.reverse(), "x.csv")
    assert roster_fingerprint(shuffled) == roster_fingerprint(tiny_roster)
    assert json.dumps(roster_fingerprint(tiny_roster))


def test_analysis_is_computed_once_and_survives_restart(tmp_path, tiny_roster, monkeypatch):
    """A second request, even from a new Store (a restart), reads the cache instead of recomputing."""
    import analyser.store as store_module

    store = Store(tmp_path)
    info = store.save(tiny_roster, name="t")
    first = store.analysis(info.id, level=None, privacy="pseudonyms")

    def fail(*args, **kwargs):
        raise AssertionError("recomputed")

    monkeypatch.setattr(store_module, "analyse", fail)
    assert store.analysis(info.id, level=None, privacy="pseudonyms") is first
    again = Store(tmp_path).analysis(info.id, level=None, privacy="pseudonyms")
    assert again.people["person"].to_list() == first.people["person"].to_list()
