"""Tests of analyser.store: datasets survive restarts, writes are atomic, deletes are complete."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

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


def test_newest_first_even_within_one_second(tmp_path, tiny_roster, monkeypatch):
    """Datasets saved in the same second (upload times have whole seconds) list the later one
    first, so the dashboard opens on the upload just made, not on the sample saved before it."""
    from datetime import datetime, timezone

    import analyser.store as store_module

    class FrozenClock:
        @staticmethod
        def now(tz=None):
            return datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)

    monkeypatch.setattr(store_module, "datetime", FrozenClock)
    store = Store(tmp_path)
    first = store.save(tiny_roster, name="First")
    second = store.save(tiny_roster, name="Second")
    third = store.save(tiny_roster, name="Third")
    assert first.uploaded == second.uploaded == third.uploaded
    assert [d.name for d in store.list()] == ["Third", "Second", "First"]
    store.rename(first.id, "First, renamed")
    assert [d.name for d in Store(tmp_path).list()] == ["Third", "Second", "First, renamed"]


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


# -- crashes, concurrency, damage, complete deletes ------------------------------------------

SAVER = textwrap.dedent("""
    import sys
    import polars as pl
    from analyser.analysis import analyse
    from analyser.roster import Roster
    from analyser.store import Store

    root, rows, label, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    frame = pl.DataFrame({
        "project": [f"P{i % 5000}" for i in range(rows)],
        "person": [f"{label}-person-{i}" for i in range(rows)],
        "unit": [f"U{i % 40}" for i in range(rows)],
    })
    roster = Roster.from_frame(frame, source=f"{label}.csv")
    small = analyse(Roster.from_frame(frame.head(60), source="small.csv"))
    store = Store(root)
    print("ready", flush=True)
    i = 0
    while count == 0 or i < count:  # count 0: save until killed
        info = store.save(roster, name=f"{label}-{i}")
        store.save_analysis(store.cache_key(info.fingerprint, {"n": i}), small)
        i += 1
    print("done", flush=True)
""")


def _saver(root: Path, rows: int, label: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SAVER, str(root), str(rows), label, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _assert_consistent(root: Path) -> list:
    """Every listed dataset loads, and nothing unlisted or unfinished is left on disk."""
    store = Store(root)
    infos = store.list()
    for info in infos:
        assert store.load(info.id).memberships.height == info.rows
    on_disk = {p.name for p in (root / "datasets").iterdir()}
    assert on_disk == {info.id for info in infos}, "half datasets or unlisted folders left on disk"
    assert not [p for p in (root / "cache").iterdir() if p.name.startswith(".tmp-")]
    assert not list(root.glob(".manifest.json.*"))
    return infos


def test_killed_save_leaves_earlier_datasets_intact(tmp_path, tiny_roster):
    """SIGKILL at random moments while a big roster is being saved: earlier datasets load as
    before, only complete datasets are listed and the next start removes the leftovers."""
    store = Store(tmp_path)
    kept = store.save(tiny_roster, name="kept")
    rng = random.Random(7)
    for _round in range(4):
        child = _saver(tmp_path, 150_000, f"crash{_round}", 0)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        threading.Event().wait(rng.uniform(0.02, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        infos = _assert_consistent(tmp_path)
        assert kept.id in {i.id for i in infos}
        assert Store(tmp_path).load(kept.id).memberships.equals(tiny_roster.memberships)


def test_concurrent_saves_from_threads_all_land(tmp_path, tiny_roster):
    """Eight threads saving at once (on one store and on their own) all get their dataset listed."""
    shared = Store(tmp_path)
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            store = shared if n % 2 else Store(tmp_path)
            store.save(tiny_roster, name=f"t{n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(d.name for d in _assert_consistent(tmp_path)) == [f"t{n}" for n in range(8)]


def test_concurrent_saves_from_two_processes_all_land(tmp_path):
    """Two processes saving (and starting, which sweeps) at the same time lose nothing."""
    children = [_saver(tmp_path, 20_000, label, 6) for label in ("left", "right")]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert out.split() == ["ready", "done"]
    names = sorted(d.name for d in _assert_consistent(tmp_path))
    assert names == sorted(f"{label}-{i}" for label in ("left", "right") for i in range(6))


def test_sweep_keeps_a_folder_still_being_written(tmp_path, tiny_roster):
    """A new Store (another process starting) must not remove an upload another one is writing."""
    store = Store(tmp_path)
    with store._staging(tmp_path / "datasets", "busy") as staging:
        (staging / "roster.parquet").write_bytes(b"being written")
        Store(tmp_path)
        assert (staging / "roster.parquet").exists()
    assert not staging.exists()


def test_sweep_removes_unlisted_dataset_folder_and_orphan_cache(tmp_path, tiny_roster):
    """A folder renamed in place whose manifest write never happened, and cached analyses of
    no listed dataset, are removed at the next start."""
    store = Store(tmp_path)
    info = store.save(tiny_roster, name="kept")
    store.analysis(info.id, level=None)
    (tmp_path / "datasets" / "20260101T000000-orphan").mkdir()
    (tmp_path / "cache" / "0123456789abcdef-0123456789abcdef").mkdir()
    Store(tmp_path)
    assert {p.name for p in (tmp_path / "datasets").iterdir()} == {info.id}
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_corrupted_parquet_names_the_dataset_and_spares_the_others(tmp_path, tiny_roster):
    """A damaged roster file of one dataset gives a StoreError naming it; the others still load."""
    store = Store(tmp_path)
    good = store.save(tiny_roster, name="Good one")
    bad = store.save(tiny_roster, name="Broken one")
    (tmp_path / "datasets" / bad.id / "roster.parquet").write_bytes(b"PAR1 not really parquet")
    again = Store(tmp_path)
    assert {d.name for d in again.list()} == {"Good one", "Broken one"}
    with pytest.raises(StoreError, match="'Broken one' cannot be read"):
        again.load(bad.id)
    assert again.load(good.id).memberships.equals(tiny_roster.memberships)
    assert again.analysis(good.id, level=None).summary["people"] > 0


def test_delete_removes_cached_analyses_of_every_setting(tmp_path, tiny_roster):
    """Analyses cached under several settings go with the dataset, on disk and in memory, while
    a second copy of the same file keeps its own."""
    store = Store(tmp_path)
    doomed = store.save(tiny_roster, name="doomed")
    twin = store.save(tiny_roster, name="twin")
    for privacy in ("names", "pseudonyms", "aggregate"):
        for min_group_size in (1, 5):
            store.analysis(doomed.id, level=None, privacy=privacy, min_group_size=min_group_size)
    store.analysis(twin.id, level=None, privacy="names")
    assert len(list((tmp_path / "cache").iterdir())) == 7
    store.delete(doomed.id)
    remaining = list((tmp_path / "cache").iterdir())
    assert len(remaining) == 1 and len(store._memory) == 1
    assert not (tmp_path / "datasets" / doomed.id).exists()
    assert store.analysis(twin.id, level=None, privacy="names").summary["people"] > 0
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert doomed.salt.encode() not in raw


# -- resources and privacy (issue 12) ----------------------------------------------------------


def test_delete_during_an_analysis_wins(tmp_path, tiny_roster, monkeypatch):
    """A dataset deleted while its analysis runs: the analysis writes no cache file (no names
    left on disk), keeps nothing in memory and is not returned."""
    import analyser.store as store_module

    store = Store(tmp_path)
    info = store.save(tiny_roster, name="doomed")
    real = store_module.analyse

    def analyse_then_delete(*args, **kwargs):
        result = real(*args, **kwargs)
        store.delete(info.id)  # the user deletes the dataset while the analysis is finishing
        return result

    monkeypatch.setattr(store_module, "analyse", analyse_then_delete)
    with pytest.raises(StoreError, match="deleted"):
        store.analysis(info.id, level=None, privacy="names")
    assert not any((tmp_path / "cache").iterdir())
    assert len(store._memory) == 0
    person = tiny_roster.memberships["person"][0]
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert person.encode() not in raw


def test_memory_cache_is_bounded_by_entries_and_bytes(tmp_path, tiny_roster):
    """Analyses of many settings do not pile up in memory: the least recently used go first."""
    from analyser.store import analysis_bytes

    store = Store(tmp_path)
    info = store.save(tiny_roster, name="t")
    store._memory.max_entries = 3
    kept = [store.analysis(info.id, level=None, min_group_size=n) for n in range(1, 7)]
    assert len(store._memory) == 3
    assert store.analysis(info.id, level=None, min_group_size=6) is kept[-1]  # the newest stayed
    store._memory.max_bytes = 1  # smaller than any analysis: only the newest (in use) stays
    newest = store.analysis(info.id, level=None, min_group_size=7)
    assert len(store._memory) == 1 and store._memory.nbytes == analysis_bytes(newest)


def test_disk_cache_is_bounded_per_dataset(tmp_path, tiny_roster, monkeypatch):
    """At most MAX_DISK_ANALYSES analyses per dataset stay on disk."""
    import analyser.store as store_module

    monkeypatch.setattr(store_module, "MAX_DISK_ANALYSES", 2)
    store = Store(tmp_path)
    info = store.save(tiny_roster, name="t")
    for n in range(1, 5):
        store.analysis(info.id, level=None, min_group_size=n)
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_same_analysis_requested_at_once_is_computed_once(tmp_path, tiny_roster, monkeypatch):
    """Two requests for the same settings share one computation (no doubled memory)."""
    import analyser.store as store_module

    store = Store(tmp_path)
    info = store.save(tiny_roster, name="t")
    calls, real = [], store_module.analyse

    def slow(*args, **kwargs):
        calls.append(1)
        threading.Event().wait(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "analyse", slow)
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(store.analysis(info.id, level=None))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(calls) == 1 and results[0] is results[1]


def test_dataset_names_are_capped(tmp_path, tiny_roster):
    """A name over 200 characters is refused with a clear message (every list carries every name);
    an uploader's long file name is shortened."""
    store = Store(tmp_path)
    info = store.save(tiny_roster, name="x" * 200)
    with pytest.raises(StoreError, match="at most 200 characters .this one has 20000000"):
        store.rename(info.id, "y" * 20_000_000)
    with pytest.raises(StoreError, match="at most 200"):
        store.save(tiny_roster, name="z" * 201)
    assert store.info(info.id).name == "x" * 200
    long_file = Roster(tiny_roster.memberships, "f" * 5000 + ".csv")
    saved = store.save(long_file, name="")
    assert len(saved.name) == len(saved.source) == 200
    assert len((tmp_path / "manifest.json").read_bytes()) < 5000


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows relies on the folder's ACL")
def test_every_store_file_is_private(tmp_path, tiny_roster):
    """Rosters, cached analyses and the manifest are 0600, folders 0700; older stores are tightened."""
    import os
    import stat

    root = tmp_path / "data"
    store = Store(root)
    info = store.save(tiny_roster, name="t")
    store.analysis(info.id, level=None)
    old = root / "datasets" / info.id / "roster.parquet"
    os.chmod(old, 0o644)  # as written by an earlier version
    os.chmod(root / "cache", 0o755)
    Store(root)
    paths = [root, *root.rglob("*")]
    assert any(p.name == "people.parquet" for p in paths)
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


def test_memory_holds_the_compact_tables_read_back(tmp_path, tiny_roster):
    """The analysis kept in memory has the computed tables' content, read back from the cache
    (computed frames can keep their intermediates' buffers alive)."""
    from analyser.analysis import analyse

    store = Store(tmp_path)
    info = store.save(tiny_roster, name="t")
    kept = store.analysis(info.id, level=None, privacy="names")
    fresh = analyse(tiny_roster, salt=bytes.fromhex(info.salt), level=None, privacy="names")
    for table in ("units", "people", "projects", "unit_links"):
        assert getattr(kept, table).equals(getattr(fresh, table)), table
    assert kept.summary == fresh.summary


def test_locks_are_the_systems_and_end_with_their_process(tmp_path):
    """The store locks with filelock's operating-system locks (flock on POSIX, LockFileEx on
    Windows), never with a lock file whose presence is the lock: one held by a process that is
    killed is free at once, and the lock file is its owner's alone (0600 where modes exist)."""
    import inspect
    import os
    import stat

    from filelock import FileLock

    from analyser import store as store_module

    if "fallback_to_soft" in inspect.signature(FileLock.__init__).parameters:
        assert store_module._LOCK_OPTIONS["fallback_to_soft"] is False
    path = tmp_path / ".owner"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom analyser.store import _file_lock\n"
         "lock = _file_lock(sys.argv[1])\nlock.acquire()\nprint('held', flush=True)\ntime.sleep(120)", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held", holder.stderr.read()
        assert store_module._try_lock(path) is None  # another process holds it
        if os.name != "nt":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()
        holder.stderr.close()
    lock = store_module._try_lock(path)
    assert lock is not None, "the killed holder's lock should be free"
    lock.release()
