"""How close sampled betweenness comes to the exact value on the benchmark rosters.

Usage::

    nice -n 19 .venv/bin/python benchmarks/betweenness_accuracy.py S M [--sources 256] [--seeds 0 1 2]

For each scale, computes ``analyser.metrics.bridging.betweenness`` on the roster's tie
incidence exactly (``exact_max_people`` above the number of people) and sampled
(``exact_max_people=0``, ``sample_size`` sources, one run per seed), then prints and appends
to ``benchmarks/.data/accuracy.jsonl``: Spearman correlation over all people, over people
with a non-zero exact score, and the overlap of the top-100 lists (|top ∩ top_exact| / 100).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import DATA, roster_csv


def top_overlap(a: np.ndarray, b: np.ndarray, k: int) -> float:
    """|top-k of a ∩ top-k of b| / k (ties broken by index, stable sort)."""
    top_a = set(np.argsort(-a, kind="stable")[:k].tolist())
    top_b = set(np.argsort(-b, kind="stable")[:k].tolist())
    return len(top_a & top_b) / k


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scales", nargs="+")
    ap.add_argument("--sources", type=int, default=256)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--out", type=Path, default=DATA / "accuracy.jsonl")
    a = ap.parse_args(argv)

    from analyser.ingest import read_roster
    from analyser.metrics.bridging import betweenness
    from analyser.network import build_network

    for scale in a.scales:
        net = build_network(read_roster(roster_csv(scale)))
        inc = net.tie_incidence
        n = inc.shape[0]
        t0 = time.perf_counter()
        exact = betweenness(inc, exact_max_people=n + 1).values
        t_exact = time.perf_counter() - t0
        positive = exact > 0
        for seed in a.seeds:
            t0 = time.perf_counter()
            result = betweenness(
                inc, exact_max_people=0, sample_size=a.sources, seed=seed
            )
            t_sampled = time.perf_counter() - t0
            est = result.values
            record = {
                "scale": scale,
                "people": n,
                "sources": a.sources,
                "seed": seed,
                "method": result.method,
                "spearman_all": float(spearmanr(exact, est).statistic),
                "spearman_positive": float(
                    spearmanr(exact[positive], est[positive]).statistic
                ),
                f"top{a.top}_overlap": top_overlap(exact, est, a.top),
                "zero_share": float((~positive).mean()),
                "exact_s": t_exact,
                "sampled_s": t_sampled,
            }
            print(json.dumps(record), flush=True)
            a.out.parent.mkdir(parents=True, exist_ok=True)
            with a.out.open("a") as f:
                f.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
