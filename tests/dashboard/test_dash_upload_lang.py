"""The Upload page's data check in the page's language, also for stored datasets and cached analyses (issue 11)."""

from __future__ import annotations

import base64

from analyser.ingest import read_roster_bytes
from analyser.store import Store
from dashboard.pages import upload
from tests.dashboard.component_text import texts

ROSTER = b"project,person,unit\nP1,Anna,HR\nP1,Bo,\nP2,Cai,IT\nP2,Bo,IT\nP2,Anna,IT\n"


def _data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def test_upload_page_shows_the_data_check_in_swedish():
    """The same file reads in Swedish on the Swedish page and in English on the English one."""
    swedish = texts(upload.check_contents(_data_url(ROSTER), "lista.csv", None, "sv")[0])
    assert "värde saknas (raden hoppades över)" in swedish and "enhet" in swedish
    assert "'Anna' står under 2 enheter: 'HR' (rad 2); 'IT' (rad 6)" in swedish
    assert "missing value" not in swedish and "is listed under" not in swedish
    english = texts(upload.check_contents(_data_url(ROSTER), "lista.csv", None, "en")[0])
    assert "missing value (row skipped)" in english and "'Anna' is listed under 2 units" in english


def test_refused_file_is_explained_in_swedish():
    """A file the reader refuses (no unit column) says why in Swedish, naming the column in Swedish."""
    report = texts(upload.check_contents(_data_url(b"Projekt;Namn\nP1;Anna\n"), "lista.csv", None, "sv")[0])
    assert "obligatorisk kolumn saknas. Rubriker i filen: 'Projekt', 'Namn'" in report and "enhet" in report


def test_stored_dataset_and_cached_analysis_keep_their_language(tmp_path, monkeypatch):
    """The data check of a stored dataset, and of an analysis read back from the disk cache (aggregate
    mode, where problems are counted by kind), is still shown in the reader's language."""
    store = Store(tmp_path)
    info = store.save(read_roster_bytes(ROSTER, "lista.csv"), name="Lista")
    loaded = Store(tmp_path).load(info.id).problems
    assert "lista.csv:3: enhet: värde saknas (raden hoppades över)" in [p.describe("sv") for p in loaded]
    store.analysis(info.id, privacy="aggregate", min_group_size=1)
    monkeypatch.setattr("analyser.store.analyse", None)  # the second store must read the disk cache
    cached = Store(tmp_path).analysis(info.id, privacy="aggregate", min_group_size=1).problems
    words = [p.text("sv") for p in cached]
    assert any(w.startswith("1 rad: 'en person' står under 2 enheter") for w in words), words
    assert all("Anna" not in w for w in words)
