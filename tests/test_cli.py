"""Tests of the command line: verbs, exit codes, messages on stderr, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analyser.cli import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, build_parser, main
from tests.shared_data import REAL_ROSTERS, SAMPLE_ROSTER, require_shared

README = Path(__file__).resolve().parents[1] / "README.md"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analyser", *args], capture_output=True, text=True, timeout=600)


def test_every_command_is_documented_in_the_readme():
    """Each CLI verb appears in the README as `analyser VERB`."""
    verbs = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001
    text = README.read_text("utf-8")
    missing = [v for v in verbs if f"analyser {v}" not in text]
    assert not missing, f"README does not mention: {missing}"


def test_report_json_on_sample(tmp_path):
    """`analyser report` on the shipped sample writes the JSON contract and exits 0."""
    out = tmp_path / "r.json"
    assert main(["report", str(SAMPLE_ROSTER), "--out", str(out), "--level", "1"]) == EXIT_OK
    data = json.loads(out.read_text("utf-8"))
    assert list(data)[:6] == ["meta", "summary", "units", "people", "projects", "unit_links"]
    assert data["summary"]["units"] == 8 and data["meta"]["options"]["level"] == 1


def test_report_every_format(tmp_path):
    """The suffix of --out picks HTML, XLSX or a CSV folder."""
    for name in ("r.html", "r.xlsx", "csv"):
        assert main(["report", str(SAMPLE_ROSTER), "--out", str(tmp_path / name), "--privacy", "aggregate"]) == EXIT_OK
    assert (tmp_path / "csv" / "units.csv").exists()
    assert (tmp_path / "r.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_validate_bad_file_exit_1_with_line_numbers(tmp_path):
    """A file with no usable rows exits 1 and names file and line on stderr, no traceback."""
    bad = tmp_path / "bad.csv"
    bad.write_text("project,person,unit\nP1,,A\n,ann,B\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == EXIT_INVALID_INPUT
    assert "bad.csv:2: person" in result.stderr and "bad.csv:3: project" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_warnings_exit_0(tmp_path):
    """A usable file with skipped rows exits 0 and prints the skipped lines."""
    f = tmp_path / "ok.csv"
    f.write_text("project,person,unit\nP1,ann,A\nP1,bob,B\nP1,,B\n", encoding="utf-8")
    result = run("validate", str(f))
    assert result.returncode == EXIT_OK, result.stderr
    assert "ok.csv:4: person" in result.stderr and "2 people" in result.stdout


def test_missing_file_and_usage_errors():
    """A missing file is invalid input (1); a wrong option is a usage error (2)."""
    assert main(["validate", "/nonexistent/roster.csv"]) == EXIT_INVALID_INPUT
    assert main(["report", str(SAMPLE_ROSTER)]) == EXIT_USAGE  # --out missing
    assert main(["report", str(SAMPLE_ROSTER), "--out", "x.json", "--level", "0"]) == EXIT_USAGE
    assert main(["frobnicate"]) == EXIT_USAGE


def test_unknown_suffix_is_usage_error(tmp_path, capsys):
    """An --out suffix that names no format says which formats exist."""
    assert main(["report", str(SAMPLE_ROSTER), "--out", str(tmp_path / "r.docx")]) == EXIT_USAGE
    assert ".html" in capsys.readouterr().err


def test_columns_mapping(tmp_path):
    """--columns maps unrecognised headers."""
    f = tmp_path / "odd.csv"
    f.write_text("Job;Who;Where\nP1;ann;A\nP1;bob;B\n", encoding="utf-8")
    assert main(["validate", str(f)]) == EXIT_INVALID_INPUT
    assert main(["validate", str(f), "--columns", "project=Job,person=Who,unit=Where"]) == EXIT_OK


def test_sample_writes_a_roster(tmp_path):
    """`analyser sample` writes a roster that validates."""
    out = tmp_path / "s.csv"
    assert main(["sample", "--people", "60", "--projects", "12", "--seed", "3", "--out", str(out)]) == EXIT_OK
    assert main(["validate", str(out)]) == EXIT_OK


@pytest.mark.refcase
@pytest.mark.parametrize("name", ["uboot.csv", "dpdk.csv", "uboot_boards.csv"])
def test_report_on_real_rosters_without_options(tmp_path, name):
    """The real MAINTAINERS rosters (one-person projects, people in two units) analyse as-is."""
    roster = require_shared(REAL_ROSTERS / name)
    out = tmp_path / "r.json"
    result = run("report", str(roster), "--out", str(out))
    assert result.returncode == EXIT_OK, result.stderr
    summary = json.loads(out.read_text("utf-8"))["summary"]
    assert summary["people"] > 50 and summary["units"] > 10


def test_swedish_excel_export_without_options(tmp_path):
    """A `;`-separated cp1252 file with Swedish headers analyses without any option."""
    f = tmp_path / "export.csv"
    rows = ["Projekt;Namn;Enhet", "Trygg hemgång;Åsa Öberg;Äldreomsorg", "Trygg hemgång;Per Ek;Hemtjänst",
            "Ny simhall;Per Ek;Hemtjänst", "Ny simhall;Lena Ström;Fritid"]
    f.write_bytes("\r\n".join(rows).encode("cp1252"))
    out = tmp_path / "r.json"
    assert main(["report", str(f), "--out", str(out)]) == EXIT_OK
    data = json.loads(out.read_text("utf-8"))
    assert {p["person"] for p in data["people"]} == {"Åsa Öberg", "Per Ek", "Lena Ström"}


def test_report_unit_level_route_says_what_it_skipped(tmp_path, capsys):
    """Above --person-level-max-pairs the report is unit level and stderr names every skipped figure."""
    from analyser.analysis import PERSON_LEVEL_MAX_PAIRS
    from analyser.cli import PERSON_LEVEL_MAX_PAIRS as CLI_DEFAULT

    assert CLI_DEFAULT == PERSON_LEVEL_MAX_PAIRS
    out = tmp_path / "r.html"
    assert main(["report", str(SAMPLE_ROSTER), "--out", str(out), "--person-level-max-pairs", "10"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "note: skipped person-level metrics" in captured.err and "more than the person-level limit of 10" in captured.err
    assert "significance not tested" in captured.out
    html = out.read_text("utf-8")
    assert "Figures not computed" in html and "person-level limit of 10" in html


def test_report_in_swedish(tmp_path):
    """--lang sv writes the HTML report in Swedish with Swedish numbers; an unknown language is a usage error."""
    from analyser.cli import REPORT_LANGUAGES as CLI_LANGUAGES
    from analyser.report import REPORT_LANGUAGES

    assert CLI_LANGUAGES == REPORT_LANGUAGES
    out = tmp_path / "rapport.html"
    assert main(["report", str(SAMPLE_ROSTER), "--out", str(out), "--lang", "sv"]) == EXIT_OK
    page = out.read_text("utf-8")
    assert '<html lang="sv">' in page and "Rapport om samarbete och silor" in page
    assert "8. Förändring över tid" in page and "signifikant silo" in page
    assert "600 personer i 28 enheter arbetade i 120 projekt" in page
    assert re.search(r"Modulariteten för indelningen i enheter är -?\d,\d\d ", page)  # decimal comma
    assert main(["report", str(SAMPLE_ROSTER), "--out", str(out), "--lang", "fi"]) == EXIT_USAGE


def test_min_silo_projects_reaches_the_analysis(tmp_path, capsys):
    """--min-silo-projects is an analysis option: it reaches meta.options and changes which units are judged."""
    from analyser.analysis import MIN_SILO_PROJECTS
    from analyser.cli import MIN_SILO_PROJECTS as CLI_DEFAULT

    assert CLI_DEFAULT == MIN_SILO_PROJECTS
    judged = {}
    for n in (3, 30):
        out = tmp_path / f"r{n}.json"
        args = ["report", str(SAMPLE_ROSTER), "--out", str(out), "--level", "2", "--min-silo-projects", str(n)]
        assert main(args) == EXIT_OK
        data = json.loads(out.read_text("utf-8"))
        assert data["meta"]["options"]["min_silo_projects"] == n
        judged[n] = data["summary"]["units_judged"]
        assert f"of {judged[n]} unit" in capsys.readouterr().out
    assert judged[30] < judged[3]  # few units have members in 30 projects
    assert main(["report", str(SAMPLE_ROSTER), "--out", str(tmp_path / "x.json"), "--min-silo-projects", "0"]) == EXIT_USAGE


def test_report_prints_the_verdicts(tmp_path, capsys):
    """The printed summary counts significant silos among the units judged, with the right plural."""
    assert main(["report", str(SAMPLE_ROSTER), "--out", str(tmp_path / "r.json"), "--level", "1"]) == EXIT_OK
    assert capsys.readouterr().out.rstrip().endswith("8 units, 1 significant silo of 8 units judged")


# -- language (issue 11) and error handling (issue 13) -------------------------------------------


def _bad_and_ok(tmp_path: Path) -> tuple[Path, Path]:
    bad = tmp_path / "bad.csv"
    bad.write_text("project,person,unit\nP1,,A\n,ann,B\n", encoding="utf-8")
    ok = tmp_path / "ok.csv"
    ok.write_text("project,person,unit\nP1,ann,A\nP1,bob,B\nP1,,B\n", encoding="utf-8")
    return bad, ok


def test_lang_sv_gives_swedish_messages_with_the_same_exit_codes(tmp_path, capsys, monkeypatch):
    """`--lang sv` writes the data check and the summary in Swedish; exit codes do not change."""
    monkeypatch.delenv("ANALYSER_LANG", raising=False)
    bad, ok = _bad_and_ok(tmp_path)
    assert main(["validate", str(bad), "--lang", "sv"]) == EXIT_INVALID_INPUT
    err = capsys.readouterr().err
    assert "fel: bad.csv: filen har inga användbara rader" in err
    assert "fel: bad.csv:2: person: värde saknas (raden hoppades över)" in err
    assert "fel: bad.csv:3: projekt: värde saknas (raden hoppades över)" in err
    assert main(["validate", str(ok), "--lang", "sv"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out.strip() == "ok.csv: går att använda: 2 deltaganden, 2 personer, 1 projekt, 2 enheter (1 nivå)"
    assert "fel: ok.csv:4: person: värde saknas (raden hoppades över)" in captured.err
    assert main(["validate", str(ok)]) == EXIT_OK  # English stays as it was
    assert capsys.readouterr().out.strip() == "ok.csv: usable: 2 memberships, 2 people, 1 projects, 2 units (1 hierarchy level)"


def test_analyser_lang_setting_and_lang_option(tmp_path, capsys, monkeypatch):
    """ANALYSER_LANG=sv makes Swedish the default; --lang en still wins; usage errors follow too."""
    monkeypatch.setenv("ANALYSER_LANG", "sv_SE.UTF-8")
    _bad, ok = _bad_and_ok(tmp_path)
    assert main(["validate", str(ok)]) == EXIT_OK
    assert "går att använda" in capsys.readouterr().out
    assert main(["validate", str(ok), "--lang", "en"]) == EXIT_OK
    assert "usable: 2 memberships" in capsys.readouterr().out
    assert main(["report", str(SAMPLE_ROSTER), "--out", "x.json", "--level", "0"]) == EXIT_USAGE
    assert "analyser report: fel: --level måste vara minst 1" in capsys.readouterr().err
    assert main(["validate", str(ok), "--columns", "projekt=Projekt"]) == EXIT_USAGE
    assert "'projekt' är ingen kolumn i projektlistan" in capsys.readouterr().err
    assert main(["trends", str(SAMPLE_ROSTER)]) == EXIT_USAGE  # argparse's own words too
    assert "analyser trends: fel: följande argument krävs: --out" in capsys.readouterr().err


def test_help_in_swedish(capsys, monkeypatch):
    """The parser is built in the language asked for, so --help is Swedish, argparse's words included."""
    monkeypatch.delenv("ANALYSER_LANG", raising=False)
    assert main(["report", "--help", "--lang", "sv"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("användning: analyser report")
    assert "visa den här hjälptexten och avsluta" in out and "nivå i enhetshierarkin (1 = högsta" in out
    assert main(["report", "--help"]) == EXIT_OK
    assert "unit hierarchy level (1 = top" in capsys.readouterr().out


def test_json_report_is_the_same_in_every_language(tmp_path, monkeypatch):
    """Only human text follows the language: the JSON report's field names and values do not."""
    monkeypatch.delenv("ANALYSER_LANG", raising=False)
    _bad, ok = _bad_and_ok(tmp_path)
    reports = {}
    for lang in ("en", "sv"):
        out = tmp_path / f"{lang}.json"
        assert main(["report", str(ok), "--out", str(out), "--lang", lang]) == EXIT_OK
        data = json.loads(out.read_text("utf-8"))
        data["meta"].pop("generated")
        reports[lang] = data
    assert reports["sv"] == reports["en"]
    assert reports["sv"]["data_check"][0]["message"] == "missing value (row skipped)"


def test_a_bug_is_not_turned_into_a_usage_error(tmp_path, monkeypatch):
    """Only the errors meant for the user are caught: a ValueError from a bug keeps its traceback."""
    import analyser.cli as cli

    def broken(args):
        raise ValueError("a bug")

    monkeypatch.setattr(cli, "_validate", broken)
    _bad, ok = _bad_and_ok(tmp_path)
    with pytest.raises(ValueError, match="a bug"):
        main(["validate", str(ok)])


def test_privacy_choices_are_the_one_tuple():
    """Every privacy option offers analyser.privacy.PRIVACY_MODES, written once."""
    from analyser.privacy import PRIVACY_MODES

    verbs = build_parser("en")._subparsers._group_actions[0].choices  # noqa: SLF001
    choices = [a.choices for v in verbs.values() for a in v._actions if a.dest in ("privacy", "privacy_floor")]  # noqa: SLF001
    assert len(choices) == 5 and all(c is PRIVACY_MODES for c in choices)


def test_python_m_analyser_and_dashboard_in_swedish(tmp_path):
    """In a fresh process ANALYSER_LANG=sv gives Swedish; `python -m dashboard` needs no analyser.cli."""
    import os

    bad, _ok = _bad_and_ok(tmp_path)
    env = {**os.environ, "ANALYSER_LANG": "sv"}
    result = subprocess.run([sys.executable, "-m", "analyser", "validate", str(bad)], capture_output=True, text=True,
                            timeout=300, env=env)  # fmt: skip
    assert result.returncode == EXIT_INVALID_INPUT and "Traceback" not in result.stderr
    assert "fel: bad.csv:2: person: värde saknas (raden hoppades över)" in result.stderr
    result = subprocess.run([sys.executable, "-m", "dashboard", "--help"], capture_output=True, text=True, timeout=300,
                            env=env)  # fmt: skip
    assert result.returncode == EXIT_OK and "Starta samarbetspanelen" in result.stdout
    code = "import sys, dashboard.__main__; print('analyser.cli' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300).stdout.strip() == "False"
