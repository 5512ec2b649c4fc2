"""Load test of the dashboard: 20 concurrent clients for 60 s; every request must succeed."""

from __future__ import annotations

import json
import logging
import os
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dash_requests import callback_body, find_callback
from werkzeug.serving import make_server

from dashboard import ids

CLIENTS = 20
SECONDS = float(os.environ.get("ANALYSER_LOAD_SECONDS", "60"))  # shorter for a quick local look
REPORT = Path("/tmp/analyser-load-test.json")
SETTINGS = {"level": "1", "privacy": "pseudonyms", "min_group_size": 5, "max_project_size": None}

logging.getLogger("werkzeug").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The dashboard on a free loopback port in werkzeug's threaded server, and the id of the
    sample dataset it opens on."""
    from analyser.store import Store
    from dashboard.app import create_app

    data_dir = tmp_path_factory.mktemp("load") / "data"
    app = create_app(data_dir=data_dir)
    httpd = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", Store(data_dir).list()[0].id
    httpd.shutdown()
    thread.join(10)
    httpd.server_close()


def _request(url: str, body: dict | None = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _payloads(deps: list[dict], dataset: str) -> dict[str, dict]:
    settings = {"dataset": dataset, **SETTINGS}
    values = {(ids.App.SETTINGS, "data"): settings, (ids.App.LANG, "data"): "en"}
    overview = callback_body(find_callback(deps, ids.Overview.HEADLINE), lambda i, p: values.get((i, p)),
                             changed=[f"{ids.App.SETTINGS}.data"])  # fmt: skip
    buttons = [ids.export_button(f) for f in ("html", "xlsx", "csv-zip", "json", "pdf")]

    def export_value(i, p):
        if isinstance(i, dict):
            return 1 if i["fmt"] == "xlsx" else None
        return values.get((i, p))

    download = callback_body(find_callback(deps, ids.Export.DOWNLOAD), export_value,
                             changed=[json.dumps(ids.export_button("xlsx"), separators=(",", ":"), sort_keys=True)
                                      + ".n_clicks"],
                             wildcards={"export-button": buttons})  # fmt: skip
    return {"overview_callback": overview, "download": download}


@pytest.mark.slow
def test_twenty_clients_for_a_minute(server):
    """20 clients hit the main page, the overview callback and an xlsx download for 60 s: all 200."""
    server, dataset = server
    status, raw = _request(f"{server}/_dash-dependencies")
    assert status == 200
    bodies = _payloads(json.loads(raw), dataset)
    kinds = [("page", f"{server}/overview", None),
             ("overview_callback", f"{server}/_dash-update-component", bodies["overview_callback"]),
             ("download", f"{server}/_dash-update-component", bodies["download"])]  # fmt: skip
    # warm-up: the first analysis is computed once and cached, then the run measures serving
    for kind, url, body in kinds:
        status, content = _request(url, body)
        assert status == 200, (kind, content[:300])
    assert b"silo-report" in _request(kinds[2][1], kinds[2][2])[1]

    results: list[tuple[str, int, float]] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client(number: int) -> None:
        turn = number
        while time.monotonic() < deadline:
            kind, url, body = kinds[turn % len(kinds)]
            turn += 1
            start = time.perf_counter()
            try:
                status, content = _request(url, body)
            except OSError as exc:  # connection refused/reset, timeout
                status, content = -1, repr(exc).encode()
            elapsed = time.perf_counter() - start
            with lock:
                results.append((kind, status, elapsed))
                if status != 200:
                    failures.append(f"{kind}: {status} {content[:200]!r}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic() + 90))
    wall = time.monotonic() - began
    assert not any(t.is_alive() for t in threads), "a client was still waiting 90 s after the end"

    def summary(times: list[float]) -> dict:
        ordered = sorted(times)
        return {"requests": len(ordered), "p50_ms": round(1000 * statistics.median(ordered), 1),
                "p95_ms": round(1000 * ordered[max(0, int(0.95 * len(ordered)) - 1)], 1),
                "max_ms": round(1000 * ordered[-1], 1)}  # fmt: skip

    report = {"clients": CLIENTS, "seconds": round(wall, 1), "errors": len(failures),
              "all": summary([r[2] for r in results]),
              **{kind: summary([r[2] for r in results if r[0] == kind]) for kind, _, _ in kinds}}  # fmt: skip
    REPORT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nload test: {json.dumps(report)}")
    assert not failures, f"{len(failures)} failed requests, e.g. {failures[:3]}"
    assert all(report[kind]["requests"] >= CLIENTS for kind, _, _ in kinds)
