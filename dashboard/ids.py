"""Component IDs of the dashboard: one class per page or shell part, dict IDs for families."""

from __future__ import annotations

__all__ = ["App", "Upload", "Overview", "Units", "Bridges", "Projects", "Network", "Person", "Export", "Trends", "Plan", "text",
           "column_map", "export_button", "Progress"]


class App:
    """The shell in ``app.py``: global controls and the stores every page reads."""

    SETTINGS = "app-settings"  # dcc.Store: dataset, level, privacy, min_group_size, max_project_size
    LANG = "app-lang"  # dcc.Store: "en" or "sv"
    DATASETS_CHANGED = "app-datasets-changed"  # dcc.Store: {"select": id or None, "stamp": n}
    REDIRECT = "app-redirect"  # dcc.Location used to open a page from a callback
    DATASET = "app-dataset"
    LEVEL = "app-level"
    PRIVACY = "app-privacy"
    PRIVACY_NOTE = "app-privacy-note"  # why names (or pseudonyms) are not offered to this login
    MIN_GROUP = "app-min-group"
    MAX_PROJECT = "app-max-project"
    LANGUAGE = "app-language"
    NAV = "app-nav"
    DATASET_ERROR = "app-dataset-error"  # alert: the store or the chosen dataset cannot be read


class Upload:
    FILE = "upload-file"
    REPORT = "upload-report"
    MAPPING = "upload-mapping"
    APPLY_MAPPING = "upload-apply-mapping"
    NAME = "upload-name"
    ACCEPT = "upload-accept"
    STATE = "upload-state"  # dcc.Store: filename, columns, ok
    RESULT = "upload-result"
    DATASETS = "upload-datasets"
    RENAME_TARGET = "upload-rename-target"
    RENAME_NAME = "upload-rename-name"
    RENAME = "upload-rename"
    DELETE = "upload-delete"
    MANAGE_RESULT = "upload-manage-result"
    LIMIT = "upload-limit"  # the largest file accepted, under the drop zone


class Overview:
    HEADLINE = "overview-headline"
    CARDS = "overview-cards"
    UNIT_MAP = "overview-unit-map"
    UNIT_MAP_CARD = "overview-unit-map-card"
    UNIT_MAP_LEGEND = "overview-unit-map-legend"
    UNIT_MAP_INFO = "overview-unit-map-info"  # the hovered or tapped unit's name and figures
    HEATMAP = "overview-heatmap"
    MATRIX_CARD = "overview-matrix-card"
    MATRIX_SHOW = "overview-matrix-show"  # top units and "Other units" / all units / by the level above
    MATRIX_NOTE = "overview-matrix-note"  # how the matrix is ordered and what "Other units" holds
    EI_CHART = "overview-ei-chart"
    EI_CARD = "overview-ei-card"
    EI_NOTE = "overview-ei-note"  # which units the E-I chart shows when there are more than 30


class Units:
    GRID = "units-grid"
    DETAIL = "units-detail"
    SHEET_BUTTON = "units-sheet-button"  # "Export unit sheet" of the clicked unit
    SHEET_DOWNLOAD = "units-sheet-download"
    SHEET_MESSAGE = "units-sheet-message"


class Bridges:
    BODY = "bridges-body"
    GRID = "bridges-grid"
    GRID_WRAP = "bridges-grid-wrap"
    BAR = "bridges-bar"
    RISKS = "bridges-risks"
    SEARCH = "bridges-search"  # person or unit text, matched on the server (the grid is capped)


class Projects:
    SUMMARY = "projects-summary"
    GRID = "projects-grid"
    UNIQUE = "projects-unique"
    SEARCH = "projects-search"  # project name text, matched on the server (the grid is capped)
    GRID_NOTE = "projects-grid-note"


class Network:
    MODE = "network-mode"
    CHOICE = "network-choice"
    MESSAGE = "network-message"
    MAP = "network-map"
    LEGEND = "network-legend"
    URL_STATE = "network-url-state"  # dcc.Store: output of the clientside callback that keeps mode and choice in the address


class Person:
    """The person page (``/person?id=...``): one person's units, collaborators, projects and ego map."""

    WHO = "person-who"  # dcc.Store: the id in the address (a name, or a pseudonym code)
    HEAD = "person-head"
    FIGURES = "person-figures"
    TABLES = "person-tables"  # units reached, brokerage roles, sole bridges
    MAP_WRAP = "person-map-wrap"
    MAP = "person-map"
    LEGEND = "person-legend"
    LISTS = "person-lists"  # projects and collaborators


class Export:
    DOWNLOAD = "export-download"
    MESSAGE = "export-message"


class Trends:
    PERIOD = "trends-period"
    NOTES = "trends-notes"
    ORG_EI = "trends-org-ei"
    SHARE = "trends-share"
    MODULARITY = "trends-modularity"
    UNIT_EI = "trends-unit-ei"
    FROM = "trends-from"
    TO = "trends-to"
    CHANGES = "trends-changes"
    OTHER = "trends-other"  # dataset to compare the chosen one with (before/after a reorganisation)
    OTHER_CHANGES = "trends-other-changes"


class Plan:
    NAME = "plan-name"
    PEOPLE = "plan-people"
    PEOPLE_NOTE = "plan-people-note"
    COUNTS = "plan-counts"  # editable grid: unit, count
    APPLY = "plan-apply"
    RESULT = "plan-result"
    SUGGESTIONS = "plan-suggestions"
    LEAVE = "plan-leave"  # people who may leave
    LEAVE_APPLY = "plan-leave-apply"
    LEAVE_RESULT = "plan-leave-result"
    KEYPLAYERS = "plan-keyplayers"
    KEYPLAYERS_RESULT = "plan-keyplayers-result"


class Progress:
    """A background job's progress panel (:mod:`dashboard.progress`), one per ``scope``
    (``analysis`` in the shell; ``trends``, ``whatif``, ``export``, ``sheet`` on their pages)."""

    @staticmethod
    def of(scope: str, part: str) -> str:
        """ID of ``part`` of the panel of ``scope``: ``job`` and ``done`` (dcc.Store: the signed job
        and its finished stamp), ``state`` (dcc.Store: stage, share done, seconds), ``box``, ``title``,
        ``bar``, ``stage``, ``estimate``, ``cancel``, ``stopped``, ``retry``."""
        return f"progress-{scope}-{part}"


def text(key: str) -> dict[str, str]:
    """ID of a shell label that follows the language (one family, one callback)."""
    return {"type": "app-text", "key": key}


def column_map(column: str) -> dict[str, str]:
    """ID of the dropdown mapping a file header to the roster column ``column``."""
    return {"type": "upload-column-map", "column": column}


def export_button(fmt: str) -> dict[str, str]:
    """ID of the download button of report format ``fmt``."""
    return {"type": "export-button", "fmt": fmt}
