"""The install on the machines users have (issue 13): what can be proven on this Linux machine.

- Every module of ``analyser`` and ``dashboard`` imports with the POSIX-only standard modules
  hidden (those Windows lacks), so nothing POSIX-only is imported at module level.
- ``import analyser.analysis`` does not import the optional accelerators (numba with llvmlite,
  python-graphblas, networkit): they load when a computation first needs them.
- Without the accelerators (the ``[fast]`` extra not installed), the analysis of the sample
  roster gives the same tables as with them, and ``meta["methods"]`` names each fallback.

``.ci/wheels`` proves the other half: that the required dependencies install from wheels alone
on Windows, macOS 12 (arm64 and x86-64) and Linux for Python 3.10 to 3.13.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import polars as pl
import pytest

from tests.shared_data import ROOT, SAMPLE_ROSTER

#: Standard modules that exist on POSIX systems only (not on Windows). ``posix`` itself is left
#: alone: ``os`` is built on it here, as it is on ``nt`` there.
POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "syslog", "crypt", "spwd", "nis",
              "posixshmem", "_posixshmem")  # fmt: skip
#: The accelerators of the ``[fast]`` extra (and what they bring in).
ACCELERATORS = ("numba", "llvmlite", "graphblas", "suitesparse_graphblas", "networkit")


def _hide(names: tuple[str, ...]) -> str:
    """Python lines that make ``import NAME`` fail for each of ``names`` (ImportError), as where they are missing."""
    return "import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in names)


#: Python lines that make an import of a POSIX-only module fail when our code (``analyser``,
#: ``dashboard``) asks for it, directly or inside a function, as it would on Windows. Other
#: packages keep them: their POSIX branches (psutil's ``resource``, filelock's ``fcntl``) are
#: not taken on Windows, where their wheels bring their Windows branches instead.
HIDE_POSIX_FROM_OUR_CODE = textwrap.dedent(
    f"""
    import builtins
    _real_import = builtins.__import__
    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        importer = ((globals or {{}}).get("__name__") or "").split(".")[0]
        if level == 0 and name.split(".")[0] in {POSIX_ONLY!r} and importer in ("analyser", "dashboard"):
            raise ModuleNotFoundError(f"No module named {{name!r}} (hidden: POSIX only)", name=name)
        return _real_import(name, globals, locals, fromlist, level)
    builtins.__import__ = _import
    """
)


def _run(code: str, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_every_module_imports_without_posix_only_modules():
    """As on Windows: no module of the library or the dashboard needs fcntl, pwd, resource, ... to import."""
    code = HIDE_POSIX_FROM_OUR_CODE + textwrap.dedent(
        """
        import importlib, pkgutil
        import analyser, dashboard
        failed, names = [], []
        for package in (analyser, dashboard):
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                if info.name.rsplit(".", 1)[-1] == "__main__":
                    continue  # runs the program
                names.append(info.name)
                try:
                    importlib.import_module(info.name)
                except Exception as exc:
                    failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
        for name in ("analyser.analysis", "analyser.store", "analyser.cli", "dashboard.app"):
            assert name in names, name
        print("\\n".join(failed) if failed else f"ok {len(names)}")
        """
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok"), done.stdout


def test_store_and_dashboard_start_without_posix_only_modules(tmp_path):
    """The dataset store saves a roster (its locks included) and the Dash app is built on it with them hidden."""
    code = HIDE_POSIX_FROM_OUR_CODE + textwrap.dedent(
        """
        import sys
        from analyser.ingest import read_roster
        from analyser.store import Store
        from dashboard.app import create_app
        store = Store(sys.argv[1])
        store.save(read_roster(sys.argv[2]), name="sample")
        create_app(store)
        print(len(store.list()))
        """
    )
    done = _run(code, str(tmp_path / "store"), str(SAMPLE_ROSTER))
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "1"


def test_importing_the_analysis_loads_no_accelerator():
    """numba (with llvmlite, about 0.3 s and 200 MB), GraphBLAS and networkit load only when used."""
    done = _run(
        "import sys, analyser.analysis, analyser.store\n"
        f"print(sorted(m for m in {ACCELERATORS!r} if m in sys.modules))"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[]"


_ANALYSE = """
import json, sys
import analyser.metrics.structure as structure
from analyser.analysis import analyse
from analyser.ingest import read_roster
if sys.argv[2] == "fallback":
    structure.NETWORKIT_MIN_TIES = 0  # from any size on networkit would run, were it installed
a = analyse(read_roster(sys.argv[1]), seed=7, n_permutations=199)
for name in ("units", "people", "projects", "unit_links"):
    getattr(a, name).write_parquet(f"{sys.argv[3]}/{name}.parquet")
print(json.dumps({"methods": a.meta["methods"], "summary": a.summary}, default=str))
"""


@pytest.mark.slow
def test_analysis_without_accelerators_equals_the_accelerated_one(tmp_path):
    """With numba, GraphBLAS and networkit hidden: the same tables (floats to 1e-9), and the methods
    name every fallback (igraph Brandes passes, scipy products, igraph Louvain)."""
    pytest.importorskip("numba")  # the [fast] extra, which .ci/run installs
    pytest.importorskip("graphblas")
    runs = {}
    for route, hidden in (("accelerated", ()), ("fallback", ACCELERATORS)):
        out = tmp_path / route
        out.mkdir()
        done = _run(_hide(hidden) + _ANALYSE, str(SAMPLE_ROSTER), route, str(out))
        assert done.returncode == 0, done.stderr[-3000:]
        runs[route] = json.loads(done.stdout.strip().splitlines()[-1])
        runs[route]["tables"] = {p.stem: pl.read_parquet(p) for p in out.glob("*.parquet")}
    fast, pure = runs["accelerated"], runs["fallback"]

    assert "numba" in fast["methods"]["betweenness_engine"] and "GraphBLAS" in fast["methods"]["brokerage_engine"]
    assert pure["methods"]["betweenness_engine"].startswith("igraph") and "numba not installed" in pure["methods"][
        "betweenness_engine"]  # fmt: skip
    assert "scipy" in pure["methods"]["brokerage_engine"] and "numba not installed" in pure["methods"]["brokerage_engine"]
    assert "GraphBLAS" not in pure["methods"]["brokerage_engine"]
    assert "networkit not available" in pure["methods"]["communities"]
    assert "networkit" not in fast["methods"]["communities"]  # 600 people: igraph below 100,000 ties anyway

    assert fast["tables"].keys() == pure["tables"].keys() == {"units", "people", "projects", "unit_links"}
    for name, expected in fast["tables"].items():
        got = pure["tables"][name]
        assert got.columns == expected.columns and got.height == expected.height, name
        for column in expected.columns:
            a, b = expected[column], got[column]
            if a.dtype.is_float():
                np.testing.assert_allclose(b.to_numpy(), a.to_numpy(), rtol=1e-9, atol=1e-12, err_msg=f"{name}.{column}")
            else:
                assert a.equals(b), f"{name}.{column}"
    for key, value in fast["summary"].items():
        if isinstance(value, float):
            assert pure["summary"][key] == pytest.approx(value, rel=1e-9, abs=1e-12, nan_ok=True), key
        else:
            assert pure["summary"][key] == value, key


@pytest.mark.parametrize("seed", range(6))
def test_pure_routes_equal_the_compiled_ones(seed, monkeypatch):
    """The scipy project-set pass and the scipy masked products give the numba pass's and
    GraphBLAS's brokerage counts (exactly) and constraint and effective size (to 1e-12), in
    one block and in many."""
    pytest.importorskip("numba")
    pytest.importorskip("graphblas")
    import analyser.metrics._arrays as arrays_module
    import analyser.metrics.brokerage as brokerage_module
    import analyser.metrics.structural_holes as holes_module
    from analyser.metrics.brokerage import BROKERAGE_ROLES, brokerage
    from analyser.metrics.structural_holes import constraint, effective_size
    from tests.metrics.test_structural_holes import random_ties_by_project

    w, tie_b, _, _ = random_ties_by_project(seed, n_people=60, n_projects=20)
    adjacency = (w > 0).astype(np.float64)
    groups = np.random.default_rng(seed).integers(0, 4, w.shape[0])
    monkeypatch.setattr(brokerage_module, "ROUTED_WORK_FACTOR", float("inf"))  # route whatever the cost
    monkeypatch.setattr(brokerage_module, "ROUTED_MIN_PATHS", 0)

    def figures():
        return (brokerage(adjacency, groups, 4, incidence=tie_b), brokerage(adjacency, groups, 4),
                constraint(w, incidence=tie_b), constraint(w), effective_size(w))  # fmt: skip

    assert brokerage_module._routed_pass()[0] == "numba" and arrays_module.graphblas() is not None
    fast = figures()
    monkeypatch.setattr(brokerage_module, "_routed_pass", lambda: ("scipy", brokerage_module._signed_set_sums_sparse))
    monkeypatch.setattr(arrays_module, "graphblas", lambda: None)
    monkeypatch.setattr(holes_module, "graphblas", lambda: None)
    if seed % 2:  # many small blocks
        monkeypatch.setattr(brokerage_module, "SPARSE_BLOCK_ENTRIES", 40)
        monkeypatch.setattr(arrays_module, "BLOCK_WORK", 50)
    assert "scipy" in brokerage_module.brokerage_engine() and "GraphBLAS" not in brokerage_module.brokerage_engine()
    pure = figures()
    for fast_roles, pure_roles in zip(fast[:2], pure[:2]):
        for role in BROKERAGE_ROLES:
            np.testing.assert_array_equal(pure_roles[role], fast_roles[role])
    for fast_values, pure_values in zip(fast[2:], pure[2:]):
        np.testing.assert_allclose(pure_values, fast_values, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_masked_values_without_graphblas(seed, monkeypatch):
    """scipy's masked values, by row-block products and by gathered dot products, equal the dense
    product at the mask's entries (uint64 wrapping modulo 2⁶⁴ included), with GraphBLAS's when installed."""
    import scipy.sparse as sp

    import analyser.metrics._arrays as arrays_module

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    x = sp.random_array((n, m), density=0.2, rng=rng, format="csr")
    y = sp.random_array((m, n), density=0.2, rng=rng, format="csr")
    mask = sp.random_array((n, n), density=0.3, rng=rng, format="csr")
    dtype = np.uint64 if seed % 2 else np.float64
    if dtype is np.uint64:  # large packed counts, as brokerage's, whose products overflow
        x.data = (rng.integers(1, 2**40, x.nnz)).astype(np.uint64)
        y.data = (rng.integers(1, 2**40, y.nnz)).astype(np.uint64)
    with np.errstate(over="ignore"):
        dense = x.toarray() @ y.toarray()
    mask.sort_indices()
    rows = np.repeat(np.arange(n), np.diff(mask.indptr))
    expected = dense[rows, mask.indices]
    graphblas = arrays_module.graphblas()
    got = {}
    monkeypatch.setattr(arrays_module, "graphblas", lambda: None)
    monkeypatch.setattr(arrays_module, "BLOCK_WORK", 7)  # many blocks
    for route, cost in (("gather", 0.0), ("products", float("inf"))):
        monkeypatch.setattr(arrays_module, "GATHER_COST", cost)
        got[route] = arrays_module.masked_values(x, y, mask)
    if graphblas is not None:
        monkeypatch.setattr(arrays_module, "graphblas", lambda: graphblas)
        got["graphblas"] = arrays_module.masked_values(x, y, mask)
    for route, values in got.items():
        assert values.dtype == dtype, route
        if dtype is np.uint64:
            np.testing.assert_array_equal(values, expected, err_msg=route)
        else:
            np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-12, err_msg=route)


# -- PDF export without the system programs pip cannot install ---------------------------------

_PANGO_ADVICE = {"windows": "pacman -S mingw-w64-ucrt-x86_64-pango", "macos": "brew install pango",
                 "linux": "apt install libpango-1.0-0 libpangoft2-1.0-0"}  # fmt: skip


@pytest.mark.parametrize("system", sorted(_PANGO_ADVICE))
def test_pdf_without_pango_says_what_to_install(system, monkeypatch):
    """WeasyPrint failing to load Pango (an OSError on import; here: weasyprint hidden) becomes
    PdfUnavailable with this system's install advice, in English and Swedish, pointing to HTML."""
    from analyser.report import pdf_report

    monkeypatch.setattr(pdf_report, "_system", lambda: system)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(pdf_report.PdfUnavailable) as caught:
        pdf_report.load_weasyprint()
    error = caught.value
    assert error.key == f"install.pdf.pango.{system}" and isinstance(error, pdf_report.PdfExportError)
    english, swedish = error.message("en"), error.message("sv")
    assert str(error) == english and english.startswith("PDF export needs") and swedish.startswith("PDF-exporten behöver")
    for text in (english, swedish):
        assert _PANGO_ADVICE[system] in text and "HTML" in text and "weasyprint" in text  # the detail


def test_cli_and_dashboard_say_it_in_the_readers_language(monkeypatch, tmp_path, capsys, tiny_roster):
    """`analyser report --lang sv` prints the Swedish advice and writes no PDF (exit 1); the
    Export page shows it in the page's language instead of an error."""
    from analyser import cli
    from analyser.analysis import analyse
    from analyser.report import pdf_report
    from dashboard.pages import export
    from tests.dashboard.component_text import texts

    monkeypatch.setattr(pdf_report, "_system", lambda: "windows")
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    roster = tmp_path / "roster.csv"
    tiny_roster.memberships.select("project", "person", "unit").write_csv(roster)
    out = tmp_path / "report.pdf"
    assert cli.main(["report", str(roster), "--out", str(out), "--lang", "sv"]) == 1
    err = capsys.readouterr().err
    assert "PDF-exporten behöver textbiblioteket Pango" in err and _PANGO_ADVICE["windows"] in err
    assert not out.exists()

    analysis = analyse(tiny_roster, n_permutations=9)
    for lang, words in (("sv", "PDF-exporten behöver"), ("en", "PDF export needs")):
        payload, message = export.export_report(analysis, "pdf", "tiny", lang)
        assert payload is None and message.id == "export-error"
        assert words in texts(message) and _PANGO_ADVICE["windows"] in texts(message)
