"""Time and measure peak memory of each stage of the analyser pipeline on synthetic rosters.

Usage (run it niced on a shared machine; one benchmark process at a time)::

    nice -n 19 .venv/bin/python benchmarks/run.py S M --baseline
    nice -n 19 .venv/bin/python benchmarks/run.py L --stages ours
    nice -n 19 .venv/bin/python benchmarks/run.py XL --stages unit-level --mem-limit-gb 16
    .venv/bin/python benchmarks/run.py --table benchmarks/.data/results.jsonl

Each stage runs in a fresh subprocess (``run.py --worker STAGE CSV``) so its peak RSS is its
own. The parent kills a worker that runs longer than ``--timeout`` seconds or whose RSS
passes ``--mem-limit-gb`` and records ``timeout`` / ``memory``. Results are appended to a
JSON-lines file (one record per stage and scale) and printed as a markdown table.

Rosters come from ``/work/shared/bench/gen.py`` (seed 42), imported by path and cached as
CSV under ``benchmarks/.data/``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import inspect
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
GEN = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "gen.py"

#: people, projects, units of each scale (seed 42), as in /work/shared/bench/README.md.
SCALES = {
    "S": (1_000, 200, 15),
    "M": (10_000, 2_000, 50),
    "L": (100_000, 20_000, 150),
    "XL": (1_000_000, 200_000, 500),
}
SEED = 42

PERSON_METRICS = (
    "betweenness", "cross_unit_betweenness", "participation", "constraint", "effective_size", "brokerage",
    "sole_bridges", "counts",
)  # fmt: skip
OUR_STAGES = (
    "read", "graphs", "unit", *(f"person.{m}" for m in PERSON_METRICS),
    "structure", "projects", "analyse", "report", "full", "full.html", "cli",
)  # fmt: skip
BASELINE_STAGES = ("naive",)
GROUPS = {
    "ours": OUR_STAGES,
    "baseline": BASELINE_STAGES,
    "all": OUR_STAGES + BASELINE_STAGES,
    "person": tuple(f"person.{m}" for m in PERSON_METRICS),
    "unit-level": ("read", "graphs", "unit"),
}


# ==============================================================================================
# data
# ==============================================================================================


def roster_csv(scale: str) -> Path:
    """Path of the cached roster CSV of ``scale``, generated with gen.py if missing."""
    people, projects, units = SCALES[scale]
    out = DATA / f"{scale}.csv"
    if out.exists():
        return out
    if not GEN.exists():
        sys.exit(f"cannot generate the {scale} roster: {GEN} not found")
    DATA.mkdir(parents=True, exist_ok=True)
    spec = importlib.util.spec_from_file_location("bench_gen", GEN)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    tmp = out.with_suffix(".csv.part")
    argv = [
        "gen.py",
        "--people",
        str(people),
        "--projects",
        str(projects),
        "--units",
        str(units),
        "--seed",
        str(SEED),
        "--out",
        str(tmp),
    ]
    saved, sys.argv = sys.argv, argv
    try:
        gen.main()  # the generator's own CLI path, so the CSV is byte-identical to `gen.py ...`
    finally:
        sys.argv = saved
    Path(str(tmp) + ".json").replace(str(out) + ".json")
    tmp.replace(out)
    return out


# ==============================================================================================
# worker: one stage in this process
# ==============================================================================================


def _rss_mb(field: str = "VmRSS") -> float | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) so the op's own peak can be read afterwards."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class Stage:
    """Set-up (not timed) and timed parts of one stage."""

    def __init__(self, csv: Path) -> None:
        self.csv = csv
        self.parts: dict[str, float] = {}
        self.info: dict[str, object] = {}
        self._cache: dict[str, object] = {}

    @contextlib.contextmanager
    def part(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        yield
        self.parts[name] = self.parts.get(name, 0.0) + time.perf_counter() - t0

    # lazily built inputs (set-up, untimed)
    def roster(self):
        if "roster" not in self._cache:
            self._cache["roster"] = _read_roster(self.csv)
        return self._cache["roster"]

    def net(self):
        if "net" not in self._cache:
            from analyser.network import build_network

            net = build_network(self.roster())
            self._cache.update(
                net=net, adj=net.adjacency, w=net.weights, ti=net.tie_incidence
            )
        return self._cache["net"]

    def get(self, key: str):
        self.net()
        return self._cache[key]

    def analysis(self):
        if "analysis" not in self._cache:
            from analyser.analysis import analyse

            self._cache["analysis"] = analyse(self.roster())
        return self._cache["analysis"]


def _read_roster(csv: Path):
    """read_roster without the upload size limit (if this version has one): XL is 68 MB."""
    import inspect

    from analyser.ingest import read_roster

    if "max_bytes" in inspect.signature(read_roster).parameters:
        return read_roster(csv, max_bytes=None)
    return read_roster(csv)


def _stage_read(s: Stage) -> Callable[[], None]:
    def op() -> None:
        with s.part("read_roster"):
            r = _read_roster(s.csv)
        s.info["rows"] = r.memberships.height
        s.info["problems"] = len(r.problems)

    return op


def _stage_graphs(s: Stage) -> Callable[[], None]:
    from analyser.network import build_network

    roster = s.roster()

    def op() -> None:
        with s.part("build_network"):
            net = build_network(roster)
        with s.part("ties (B·Bᵀ: shared + weights)"):
            _ = net.weights
        with s.part("adjacency"):
            adj = net.adjacency
        with s.part("tie_incidence"):
            _ = net.tie_incidence
        s.info.update(
            people=len(net.people),
            projects=len(net.projects),
            units=len(net.units),
            ties=adj.nnz // 2,
        )

    return op


def _stage_unit(s: Stage) -> Callable[[], None]:
    from analyser.metrics import silo
    from analyser.network import unit_link_table

    net, adj = s.net(), s.get("adj")
    g, k = net.person_unit, len(net.units)

    def op() -> None:
        with s.part("unit_tie_counts"):
            internal, external = silo.unit_tie_counts(adj, g, k)
        with s.part("ei_index"):
            silo.ei_index(internal, external)
        with s.part("ei_permutation_test"):
            perm = silo.ei_permutation_test(adj, g, k, n_permutations=999, seed=0)
        with s.part("expected_ei_index"):
            silo.expected_ei_index(net.unit_size)
            silo.org_expected_ei_index(net.unit_size)
        with s.part("org_ei_index"):
            silo.org_ei_index(adj, g)
        with s.part("partner_units"):
            silo.partner_units(adj, g, k)
        with s.part("cross_unit_project_share"):
            silo.cross_unit_project_share(net.incidence, g, k)
        with s.part("bridge_concentration"):
            silo.bridge_concentration(adj, g, k)
        with s.part("densities"):
            silo.internal_density(internal, net.unit_size)
            silo.external_density(external, net.unit_size)
        with s.part("unit_link_table"):
            unit_link_table(net)
        s.info["permutations"] = perm.n_permutations

    return op


def _metric(name: str) -> Callable:
    """A person-metric function, wherever the library currently keeps it."""
    for module in ("bridging", "structural_holes", "brokerage"):
        with contextlib.suppress(ImportError):
            mod = importlib.import_module(f"analyser.metrics.{module}")
            if hasattr(mod, name):
                return getattr(mod, name)
    raise AttributeError(f"no metric function {name!r} in analyser.metrics")


def _routed(fn: Callable, tie_incidence) -> dict:
    """``incidence=`` for a metric that can route its two-step term through projects (as analyse does)."""
    return {"incidence": tie_incidence} if "incidence" in inspect.signature(fn).parameters else {}


def _person_stage(metric: str) -> Callable[[Stage], Callable[[], None]]:
    def make(s: Stage) -> Callable[[], None]:
        bridging = type(
            "metrics",
            (),
            {
                n: staticmethod(_metric(n))
                for n in (
                    "betweenness",
                    "cross_unit_betweenness",
                    "participation",
                    "constraint",
                    "effective_size",
                    "brokerage",
                    "sole_bridges",
                    "collaborators",
                    "external_collaborators",
                    "units_reached",
                )
            },
        )

        net, adj, w, ti = s.net(), s.get("adj"), s.get("w"), s.get("ti")
        g, k = net.person_unit, len(net.units)
        calls = {
            "betweenness": lambda: bridging.betweenness(ti, seed=0),
            "cross_unit_betweenness": lambda: bridging.cross_unit_betweenness(ti, g, k, seed=0),
            "participation": lambda: bridging.participation(adj, g, k),
            "constraint": lambda: bridging.constraint(w, **_routed(bridging.constraint, ti)),
            "effective_size": lambda: bridging.effective_size(w, **_routed(bridging.effective_size, ti)),
            "brokerage": lambda: bridging.brokerage(adj, g, k, **_routed(bridging.brokerage, ti)),
            "sole_bridges": lambda: bridging.sole_bridges(adj, g),
            "counts": lambda: (
                bridging.collaborators(adj),
                bridging.external_collaborators(adj, g),
                bridging.units_reached(adj, g, k),
            ),
        }

        def op() -> None:
            with s.part(metric):
                result = calls[metric]()
            if metric in ("betweenness", "cross_unit_betweenness"):
                s.info.update(method=result.method, sources=result.sources)

        return op

    return make


def _stage_structure(s: Stage) -> Callable[[], None]:
    from analyser.metrics import structure

    net, adj, w, ti = s.net(), s.get("adj"), s.get("w"), s.get("ti")
    g = net.person_unit

    def op() -> None:
        with s.part("modularity"):
            structure.modularity(adj, g)
        with s.part("unit_assortativity"):
            structure.unit_assortativity(adj, g)
        with s.part("louvain_communities"):
            labels = structure.louvain_communities(w, seed=0)
        runs = structure.stability_runs(w.nnz // 2)
        if runs:
            with s.part("community_stability"):
                # the analysis runs all seeds in one call; timed apart here to show the extra cost
                more = structure.louvain_partitions(w, seeds=range(1, runs))
                structure.community_stability([labels, *more], mask=adj.indptr[1:] > adj.indptr[:-1])
        with s.part("normalized_mutual_information"):
            structure.normalized_mutual_information(labels, g)
        with s.part("connected_components"):
            structure.component_summary(structure.connected_components(ti))
        s.info["communities"] = int(labels.max() + 1) if labels.size else 0
        s.info["louvain_engine"] = structure.louvain_engine(w.nnz // 2)
        s.info["stability_runs"] = runs

    return op


def _stage_projects(s: Stage) -> Callable[[], None]:
    from analyser.metrics.projects import project_table

    net = s.net()

    def op() -> None:
        with s.part("project_table"):
            project_table(
                net.incidence, net.person_unit, len(net.units), projects=net.projects
            )

    return op


def _stage_analyse(s: Stage) -> Callable[[], None]:
    from analyser.analysis import analyse

    roster = s.roster()

    def op() -> None:
        steps: list[tuple[str, float]] = []
        with s.part("analyse"):
            a = analyse(
                roster, progress=lambda name: steps.append((name, time.perf_counter()))
            )
        steps.append(("end", time.perf_counter()))
        for (name, t0), (_, t1) in itertools.pairwise(steps):
            s.info[f"step: {name}"] = round(t1 - t0, 4)
        s.info["betweenness"] = a.meta["methods"]["betweenness"]
        s.info["ei_permutations"] = a.meta["methods"]["ei_permutations"]

    return op


REPORT_SUFFIXES = ("json", "html", "xlsx")


def _write_reports(s: Stage, analysis, folder: Path, suffixes: tuple[str, ...] = REPORT_SUFFIXES) -> None:
    from analyser.report import write_report

    for suffix in suffixes:
        with s.part(f"write {suffix}"):
            path = write_report(analysis, folder / f"report.{suffix}")
        s.info[f"{suffix}_mb"] = round(path.stat().st_size / 2**20, 2)


def _stage_report(s: Stage) -> Callable[[], None]:
    analysis = s.analysis()

    def op() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            _write_reports(s, analysis, Path(tmp))

    return op


def _full(suffixes: tuple[str, ...]) -> Callable[[Stage], Callable[[], None]]:
    """From the CSV to the report files of ``suffixes``, in process."""

    def make(s: Stage) -> Callable[[], None]:
        from analyser.analysis import analyse

        def op() -> None:
            with s.part("read_roster"):
                roster = _read_roster(s.csv)
            with s.part("analyse"):
                analysis = analyse(roster)
            with tempfile.TemporaryDirectory() as tmp:
                _write_reports(s, analysis, Path(tmp), suffixes)

        return op

    return make


def _stage_cli(s: Stage) -> Callable[[], None]:
    """The command a user runs, timed from process start: ``analyser report CSV --out report.html``."""
    exe = Path(sys.executable).with_name("analyser")

    def op() -> None:
        with tempfile.TemporaryDirectory() as tmp, s.part("analyser report (process)"):
            subprocess.run(
                [str(exe), "report", str(s.csv), "--out", str(Path(tmp) / "report.html"), "--max-file-mb", "1000"],
                check=True, capture_output=True,
            )

    return op


def _stage_naive(s: Stage) -> Callable[[], None]:
    """The pipeline one would write with networkx alone (research 'naive')."""
    import networkx as nx
    import polars as pl
    from networkx.algorithms import bipartite

    def op() -> None:
        with s.part("read (polars)"):
            df = pl.read_csv(s.csv)
        with s.part("bipartite graph"):
            people = df["person_id"].unique().to_list()
            b = nx.Graph()
            b.add_nodes_from(people, bipartite=0)
            b.add_nodes_from(df["project_id"].unique().to_list(), bipartite=1)
            b.add_edges_from(zip(df["person_id"].to_list(), df["project_id"].to_list()))
        with s.part("weighted_projected_graph"):
            g = bipartite.weighted_projected_graph(b, people)
        with s.part("unit E-I (loop over G.edges)"):
            unit = dict(zip(df["person_id"].to_list(), df["unit"].to_list()))
            internal: dict[str, int] = {}
            external: dict[str, int] = {}
            for a, c in g.edges():
                ua, uc = unit[a], unit[c]
                if ua == uc:
                    internal[ua] = internal.get(ua, 0) + 1
                else:
                    external[ua] = external.get(ua, 0) + 1
                    external[uc] = external.get(uc, 0) + 1
            {
                u: (external.get(u, 0) - internal.get(u, 0))
                / max(1, external.get(u, 0) + internal.get(u, 0))
                for u in set(unit.values())
            }
        with s.part("betweenness k=64"):
            nx.betweenness_centrality(g, k=min(64, g.number_of_nodes()), seed=0)
        with s.part("louvain"):
            communities = nx.community.louvain_communities(g, weight="weight", seed=0)
        with s.part("constraint"):
            nx.constraint(g, weight="weight")
        s.info.update(ties=g.number_of_edges(), communities=len(communities))

    return op


STAGE_FUNCS: dict[str, Callable[[Stage], Callable[[], None]]] = {
    "read": _stage_read,
    "graphs": _stage_graphs,
    "unit": _stage_unit,
    **{f"person.{m}": _person_stage(m) for m in PERSON_METRICS},
    "structure": _stage_structure,
    "projects": _stage_projects,
    "analyse": _stage_analyse,
    "report": _stage_report,
    "full": _full(REPORT_SUFFIXES),
    "full.html": _full(("html",)),  # what `analyser report CSV --out report.html` does
    "cli": _stage_cli,
    "naive": _stage_naive,
}


def worker(stage: str, csv: Path) -> None:
    """Run one stage and print its record as the last stdout line (``RESULT {...}``)."""
    s = Stage(csv)
    t0 = time.perf_counter()
    op = STAGE_FUNCS[stage](s)  # set-up: imports and inputs the stage needs
    setup_s = time.perf_counter() - t0
    setup_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    gc.collect()
    rss_before = _rss_mb()
    reset = _reset_peak()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    op()
    op_s = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    record = {
        "time_s": op_s,
        # CPU seconds of the op (all threads): less sensitive than wall time to other load
        "cpu_s": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
        "setup_s": setup_s,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "setup_peak_mb": setup_peak,
        "rss_before_mb": rss_before,
        "op_peak_mb": _rss_mb("VmHWM") if reset else None,
        "parts": s.parts,
        "info": s.info,
    }
    print("RESULT " + json.dumps(record), flush=True)


# ==============================================================================================
# parent: run workers with a timeout and a memory watchdog
# ==============================================================================================


def _tree_rss_mb(pid: int) -> float:
    """RSS of ``pid`` and its descendants (igraph/polars threads are in the process)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return total


def run_stage(
    scale: str, stage: str, csv: Path, *, timeout: float, mem_limit_mb: float
) -> dict:
    """Run ``stage`` in a subprocess; return its record (status ok/timeout/memory/error)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                stage,
                str(csv),
            ],
            stdout=out,
            stderr=err,
            cwd=HERE.parent,
        )
        t0, status, max_seen = time.perf_counter(), None, 0.0
        while proc.poll() is None:
            max_seen = max(max_seen, _tree_rss_mb(proc.pid))
            if max_seen > mem_limit_mb:
                status = "memory"
            elif time.perf_counter() - t0 > timeout:
                status = "timeout"
            if status:
                proc.kill()
                proc.wait()
                break
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        lines = [ln for ln in out.read().splitlines() if ln.startswith("RESULT ")]
        record = {
            "scale": scale,
            "stage": stage,
            "pipeline": "baseline" if stage in BASELINE_STAGES else "ours",
        }
        if status:
            record.update(status=status, wall_s=wall, max_rss_seen_mb=max_seen)
        elif proc.returncode != 0 or not lines:
            record.update(status="error", wall_s=wall, error=err.read()[-2000:])
        else:
            record.update(
                status="ok", wall_s=wall, **json.loads(lines[-1][len("RESULT ") :])
            )
    record.update(_context())
    return record


def _context() -> dict:
    import networkx
    import numpy
    import polars
    import scipy

    try:
        import igraph

        ig = igraph.__version__
    except ImportError:
        ig = None
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host": {
            "cpus": os.cpu_count(),
            "mem_gb": round(
                os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
            ),
            "machine": platform.machine(),
            "nice": os.nice(0),
        },
        "versions": {
            "python": platform.python_version(),
            "networkx": networkx.__version__,
            "polars": polars.__version__,
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "igraph": ig,
        },
    }


# ==============================================================================================
# tables
# ==============================================================================================


def _cell(r: dict | None) -> str:
    if r is None:
        return "–"
    if r["status"] == "ok":
        return f"{_secs(r['time_s'])} / {_mb(r['peak_mb'])}"
    if r["status"] == "timeout":
        return f"timeout (> {r['wall_s']:.0f} s)"
    if r["status"] == "memory":
        return f"killed: RSS > {r['max_rss_seen_mb'] / 1024:.1f} GB"
    return "error"


def _secs(t: float) -> str:
    return f"{t:.3g} s" if t < 100 else f"{t:.0f} s"


def _mb(m: float) -> str:
    return f"{m:.0f} MB" if m < 1024 else f"{m / 1024:.1f} GB"


def latest(records: list[dict]) -> dict[tuple[str, str], dict]:
    """Last record per (scale, stage)."""
    out: dict[tuple[str, str], dict] = {}
    for r in records:
        out[(r["scale"], r["stage"])] = r
    return out


def markdown_table(records: list[dict]) -> str:
    """Stage × scale table of ``time / peak RSS``, plus speed-ups against the baseline at M."""
    last = latest(records)
    scales = [s for s in SCALES if any(k[0] == s for k in last)]
    stages = [
        s for s in (*OUR_STAGES, *BASELINE_STAGES) if any(k[1] == s for k in last)
    ]
    lines = ["| stage | " + " | ".join(scales) + " |", "|---|" + "---|" * len(scales)]
    for stage in stages:
        lines.append(
            f"| {stage} | "
            + " | ".join(_cell(last.get((sc, stage))) for sc in scales)
            + " |"
        )
    ratios = speedups(last, "M")
    if ratios:
        lines += [
            "",
            "Speed-up against the naive networkx pipeline at M:",
            "",
            "| ours | naive networkx | ours | naive | speed-up |",
            "|---|---|---|---|---|",
        ]
        for ours, naive, t_ours, t_naive in ratios:
            lines.append(
                f"| {ours} | {naive} | {_secs(t_ours)} | {_secs(t_naive)} | {t_naive / t_ours:.2g}× |"
            )
    return "\n".join(lines)


#: (our stage, our part or None for the whole stage, naive part or None for the whole naive run)
COMPARISONS = (
    ("full", None, None),
    ("analyse", None, None),
    ("full.html", None, None),
    ("cli", None, None),  # ours from process start (imports included); naive without imports
    ("read", None, "read (polars)"),
    ("graphs", None, "weighted_projected_graph"),
    ("unit", "unit_tie_counts", "unit E-I (loop over G.edges)"),
    (
        "unit",
        None,
        "unit E-I (loop over G.edges)",
    ),  # ours also runs the permutation test
    ("person.betweenness", None, "betweenness k=64"),
    ("structure", "louvain_communities", "louvain"),
    ("person.constraint", None, "constraint"),
)


def speedups(last: dict, scale: str) -> list[tuple[str, str, float, float]]:
    naive = last.get((scale, "naive"))
    if not naive or naive["status"] != "ok":
        return []
    out = []
    for stage, part, naive_part in COMPARISONS:
        ours = last.get((scale, stage))
        if not ours or ours["status"] != "ok":
            continue
        t_ours = ours["parts"][part] if part else ours["time_s"]
        t_naive = naive["parts"][naive_part] if naive_part else naive["time_s"]
        label = f"{stage}" + (f": {part}" if part else "")
        out.append((label, naive_part or "whole naive pipeline", t_ours, t_naive))
    return out


def parts_table(records: list[dict], scale: str) -> str:
    """Per-part times of every stage at one scale (where the time goes)."""
    last = latest(records)
    lines = [f"| stage ({scale}) | part | time |", "|---|---|---|"]
    for (sc, stage), r in last.items():
        if sc != scale or r["status"] != "ok":
            continue
        for name, t in sorted(r["parts"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| {stage} | {name} | {_secs(t)} |")
    return "\n".join(lines)


# ==============================================================================================
# CLI
# ==============================================================================================


def _stages(spec: list[str] | None, baseline: bool) -> list[str]:
    names: list[str] = []
    for item in spec or ["ours"]:
        for name in item.split(","):
            names += GROUPS.get(name, (name,))
    if baseline:
        names += BASELINE_STAGES
    unknown = [n for n in names if n not in STAGE_FUNCS]
    if unknown:
        sys.exit(
            f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(STAGE_FUNCS)}; groups: {', '.join(GROUPS)}"
        )
    return list(dict.fromkeys(names))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scales", nargs="*", help="S, M, L, XL")
    ap.add_argument(
        "--stages",
        nargs="+",
        help=f"stages or groups ({', '.join(GROUPS)}); default: ours",
    )
    ap.add_argument(
        "--baseline", action="store_true", help="also run the naive networkx pipeline"
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=DATA / "results.jsonl",
        help="JSON-lines file (appended)",
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds per subprocess (default 600)",
    )
    ap.add_argument(
        "--mem-limit-gb",
        type=float,
        default=18.0,
        help="RSS cap per subprocess (default 18)",
    )
    ap.add_argument(
        "--table", type=Path, help="print the markdown table of a results file and exit"
    )
    ap.add_argument(
        "--worker", nargs=2, metavar=("STAGE", "CSV"), help=argparse.SUPPRESS
    )
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker[0], Path(a.worker[1]))
        return 0
    if a.table:
        records = [
            json.loads(ln) for ln in a.table.read_text().splitlines() if ln.strip()
        ]
        print(markdown_table(records))
        for scale in SCALES:
            if any(r["scale"] == scale for r in records):
                print()
                print(parts_table(records, scale))
        return 0
    if not a.scales:
        ap.error("give at least one scale (S, M, L, XL) or --table FILE")
    if bad := [s for s in a.scales if s not in SCALES]:
        ap.error(f"unknown scale(s) {', '.join(bad)}; choose from {', '.join(SCALES)}")
    stages = _stages(a.stages, a.baseline)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    records = []
    for scale in a.scales:
        csv = roster_csv(scale)
        for stage in stages:
            r = run_stage(
                scale, stage, csv, timeout=a.timeout, mem_limit_mb=a.mem_limit_gb * 1024
            )
            records.append(r)
            with a.out.open("a") as f:
                f.write(json.dumps(r) + "\n")
            print(f"{scale:>2} {stage:<22} {_cell(r)}", flush=True)
    print()
    print(markdown_table(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
