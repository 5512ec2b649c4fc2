"""Header matching: synonyms in Swedish and English, explicit mappings, required and duplicate columns."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from analyser.roster import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Amount,
    InputError,
    Listing,
    Phrase,
    Problem,
    plural_key,
)

__all__ = [
    "CANONICAL_COLUMNS", "HEADER_SYNONYMS", "ColumnMappingError", "detect_columns", "parse_column_mapping",
    "synonym_keys",
]  # fmt: skip

CANONICAL_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: Header names recognised for each canonical column, most specific first: when a file has
#: two candidate headers for one column (``Namn`` and ``E-post``), the earlier synonym wins
#: and a warning names the other. Matching ignores case, surrounding space, a BOM, text in
#: brackets (``Andel (%)``) and the difference between space, ``_``, ``-`` and ``.``.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "project": (
        "project", "projekt", "project_id", "projekt_id", "projektid", "project name",
        "projektnamn", "project title", "uppdrag", "uppdragsnamn", "initiative", "initiativ",
        "programme", "program", "assignment",
    ),
    "person": (
        "person", "person_id", "personid", "employee_id", "employee number", "employee",
        "anställningsnummer", "anst nr", "anställd", "medarbetare", "e-post", "epost", "email",
        "e-mail", "mail", "namn", "name", "full name", "fullständigt namn", "member",
        "deltagare", "participant", "staff", "resource", "resurs",
    ),
    "unit": (
        "unit", "unit_path", "unit_id", "unit name", "org unit", "organisational unit",
        "organizational unit", "organisationsenhet", "enhet", "department", "dept", "avdelning",
        "förvaltning", "sektion", "section", "division", "team", "grupp", "group", "org",
        "organisation", "organization",
    ),
    "role": ("role", "roll", "project role", "projektroll"),
    "start": ("start", "start_date", "startdatum", "start datum", "från", "from", "fr.o.m.", "begin"),
    "end": ("end", "end_date", "slutdatum", "slut", "slut datum", "till", "to", "t.o.m.", "tom", "until"),
    "allocation": (
        "allocation", "allocation_pct", "allocation percent", "andel", "omfattning", "share",
        "fte", "percent", "procent", "tidsandel", "sysselsättningsgrad",
    ),
}


# -- header matching ---------------------------------------------------------------------


def _header_key(name: str) -> str:
    """Comparable form of a header: case-folded, bracketed text and punctuation dropped.

    >>> _header_key(" Andel (%) "), _header_key("Start_Date"), _header_key("\\ufeffE-post")
    ('andel', 'start date', 'e post')
    """
    key = unicodedata.normalize("NFC", name).replace("\ufeff", "").casefold()
    key = re.sub(r"\(.*?\)|\[.*?\]", " ", key)
    key = re.sub(r"[\s_\-./%:*#]+", " ", key)
    return key.strip()


def synonym_keys(synonyms: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The comparable forms of each column's name and synonyms, most specific first."""
    return {
        canonical: tuple(dict.fromkeys(_header_key(s) for s in (canonical, *names)))
        for canonical, names in synonyms.items()
    }


_SYNONYM_KEYS = synonym_keys(HEADER_SYNONYMS)


def _detect_indices(
    headers: Sequence[str], taken: Iterable[int] = (), keyed: Mapping[str, Sequence[str]] = _SYNONYM_KEYS
) -> dict[str, int | None]:
    """Position of the header chosen for each column of ``keyed`` (column -> comparable
    synonyms, :func:`synonym_keys`), skipping ``taken`` positions."""
    keys = [_header_key(h) for h in headers]
    used = set(taken)
    found: dict[str, int | None] = {}
    for canonical, synonyms in keyed.items():
        found[canonical] = next(
            (i for syn in synonyms for i, k in enumerate(keys) if k == syn and i not in used),
            None,
        )
        if found[canonical] is not None:
            used.add(found[canonical])
    return found


def detect_columns(headers: Sequence[str]) -> dict[str, str | None]:
    """Returns the file header recognised for each canonical roster column, or ``None``.

    A header matches a column when its comparable form (case-folded, trimmed, BOM and
    bracketed text removed, ``_ - .`` read as spaces) equals that of one of the column's
    :data:`HEADER_SYNONYMS`. Each header is used for at most one column; among several
    candidates the one matching the earlier synonym wins.

    Parameters
    ----------
    headers
        The header cells of the file, as written.

    Returns
    -------
    dict
        Canonical column name (``project``, ``person``, ``unit``, ``role``, ``start``,
        ``end``, ``allocation``) to the header as written in the file, or ``None``.

    Examples
    --------
    >>> found = detect_columns(["Projekt", "Namn", "Enhet ", "Andel (%)"])
    >>> found["project"], found["person"], found["unit"], found["allocation"], found["role"]
    ('Projekt', 'Namn', 'Enhet ', 'Andel (%)', None)
    """
    return {c: None if i is None else headers[i] for c, i in _detect_indices(headers).items()}


class ColumnMappingError(ValueError):
    """A ``--columns`` mapping that cannot be read; ``phrase`` says why in any language
    (``str()`` in English)."""

    def __init__(self, phrase: Phrase):
        self.phrase = phrase
        super().__init__(phrase.text("en"))


def parse_column_mapping(text: str) -> dict[str, str]:
    """Returns the column mapping written as ``project=Projekt,person=Namn,unit=Enhet``.

    Each item is ``canonical=header in the file``; items are separated by commas, and the
    header is everything after the first ``=`` (trimmed). An empty text gives ``{}``.

    Parameters
    ----------
    text
        The mapping as typed on the command line (``--columns``).

    Returns
    -------
    dict
        Canonical column name to file header.

    Raises
    ------
    ColumnMappingError
        (a ``ValueError``) For an unknown canonical name, an item without ``=``, an empty
        header or a column mapped twice; the message says which item and lists the valid names.

    Examples
    --------
    >>> parse_column_mapping("project=Projekt, person = Namn,unit=Enhet")
    {'project': 'Projekt', 'person': 'Namn', 'unit': 'Enhet'}
    """
    mapping: dict[str, str] = {}
    valid = ", ".join(CANONICAL_COLUMNS)
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, header = (s.strip() for s in item.partition("="))
        if not sep or not header:
            raise ColumnMappingError(Phrase("datacheck.mapping.item_shape", {"item": item}))
        canonical = name.casefold()
        if canonical not in CANONICAL_COLUMNS:
            values = {"name": name, "valid": valid, "hint": _reversed_hint(name, header)}
            raise ColumnMappingError(Phrase("datacheck.mapping.not_a_column", values))
        if canonical in mapping:
            values = {"column": canonical, "first": mapping[canonical], "second": header}
            raise ColumnMappingError(Phrase("datacheck.mapping.twice", values))
        mapping[canonical] = header
    return mapping


def _reversed_hint(name: str, header: str) -> Phrase | str:
    """A hint for ``Projekt=project``, where the two sides were swapped."""
    if header.casefold() not in CANONICAL_COLUMNS:
        return ""
    return Phrase("datacheck.mapping.swapped", {"column": header.casefold(), "header": name})


# -- column mapping ----------------------------------------------------------------------


def _resolve_columns(
    header: list[str], header_line: int, columns: Mapping[str, str | None] | None, source: str
) -> tuple[dict[str, int], list[Problem]]:
    """Header position of each canonical column in use; fails naming what is missing."""
    columns = dict(columns or {})
    unknown = [c for c in columns if c not in CANONICAL_COLUMNS]
    if unknown:
        key = plural_key("datacheck.mapping.unknown_columns", len(unknown))
        names = {"names": ", ".join(unknown), "valid": ", ".join(CANONICAL_COLUMNS)}
        raise InputError(Problem.of(source, None, None, key, "error", **names))
    keys = [_header_key(h) for h in header]
    chosen: dict[str, int | None] = {}
    errors: list[Problem] = []
    for canonical, wanted in columns.items():
        if not wanted:
            chosen[canonical] = None
            continue
        exact = [i for i, h in enumerate(header) if h.strip() == wanted.strip()]
        loose = [i for i, k in enumerate(keys) if k == _header_key(wanted)]
        if exact or loose:
            chosen[canonical] = (exact or loose)[0]
        else:
            errors.append(Problem.of(source, header_line, canonical, "datacheck.mapped_to_absent", "error",
                                     wanted=wanted, headers=_list_headers(header)))  # fmt: skip
    twice = Counter(i for i in chosen.values() if i is not None)
    for canonical, index in chosen.items():
        if index is not None and twice[index] > 1:
            others = Listing([Phrase(f"datacheck.column.{c}") for c, i in chosen.items() if i == index and c != canonical])
            errors.append(Problem.of(source, header_line, canonical, "datacheck.mapped_twice", "error",
                                     header=header[index], others=others))  # fmt: skip
    if errors:
        raise InputError(errors)
    detected = _detect_indices(header, taken=[i for i in chosen.values() if i is not None])
    for canonical in CANONICAL_COLUMNS:
        chosen.setdefault(canonical, detected[canonical])
    found = {c: i for c, i in chosen.items() if i is not None}
    _check_required(found, header, header_line, source)
    _check_duplicate_headers(found, header, keys, header_line, source)
    return found, _ambiguity_warnings(found, header, keys, header_line, source)


def _list_headers(header: Sequence[str]) -> Phrase | str:
    return ", ".join(repr(h) for h in header if h.strip()) or Phrase("datacheck.no_headers")


def _check_required(found: dict[str, int], header: list[str], header_line: int, source: str) -> None:
    """Raise naming each missing required column, the headers found and how to map them."""
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if not missing:
        return
    spare = [h for i, h in enumerate(header) if h.strip() and i not in found.values()]
    problems = []
    for canonical in missing:
        example = spare[0] if len(spare) == 1 else Phrase("datacheck.header_placeholder")
        names = ", ".join(HEADER_SYNONYMS[canonical][1:5])
        problems.append(Problem.of(source, header_line, canonical, "datacheck.required_column", "error",
                                   headers=_list_headers(header), canonical=canonical, names=names,
                                   example=example))  # fmt: skip
    raise InputError(problems)


def _check_duplicate_headers(
    found: dict[str, int], header: list[str], keys: list[str], header_line: int, source: str
) -> None:
    """Raise when a header in use appears more than once (which copy is meant is unclear)."""
    problems = []
    for canonical, index in found.items():
        twins = [i + 1 for i, k in enumerate(keys) if k == keys[index]]
        if len(twins) > 1:
            problems.append(Problem.of(source, header_line, canonical, "datacheck.duplicate_header", "error",
                                       header=header[index].strip(), n=Amount(len(twins)),
                                       positions=Listing(twins)))  # fmt: skip
    if problems:
        raise InputError(problems)


def _ambiguity_warnings(
    found: dict[str, int], header: list[str], keys: list[str], header_line: int, source: str
) -> list[Problem]:
    """Warn when an unused header also looked like a column that is already taken."""
    problems = []
    used = set(found.values())
    for canonical, index in found.items():
        others = [header[i] for i, k in enumerate(keys) if i not in used and k in _SYNONYM_KEYS[canonical]]
        if others:
            problems.append(Problem.of(source, header_line, canonical, "datacheck.other_candidate",
                                       used=header[index].strip(), others=", ".join(repr(o) for o in others),
                                       column=Phrase(f"datacheck.column.{canonical}"), canonical=canonical,
                                       example=others[0]))  # fmt: skip
    return problems
