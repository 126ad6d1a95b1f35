"""The plan workbook's layout: one sheet per theme with these columns, shared by export and import."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # PlanAction field, or a pseudo-field
    heading: str
    width: int
    synonyms: tuple[str, ...] = ()


ID = "vrhub id"
THEME_COLUMNS = [
    Column("id", ID, 12),
    Column("code", "Code", 10, ("ref", "reference", "action code", "no", "no.", "number")),
    Column("source", "Type", 11, ("action type", "mandatory/optional")),
    Column("title", "Action", 48, ("action title", "actions", "action description")),
    Column("outcome", "Outcome(s)", 40, ("outcomes", "outcome", "outcome(s) and baseline")),
    Column("baseline", "Baseline", 30, ("baselines",)),
    Column("lead_name", "Lead name", 20, ("named lead", "lead", "lead officer", "lead person")),
    Column("lead_role", "Lead role", 22, ("role",)),
    Column("lead_agency", "Lead agency", 20, ("agency", "lead organisation", "organisation")),
    Column("start_date", "Start date", 14, ("start", "start date (estimate)")),
    Column("start_estimated", "Start estimated", 10, ("start date estimated", "start estimate")),
    Column("end_date", "End date", 14, ("end", "end date (estimate)", "completion date")),
    Column("end_estimated", "End estimated", 10, ("end date estimated", "end estimate")),
    Column("progress", "Progress to date", 48, ("progress", "update", "progress update")),
    Column("comments", "Comments", 36, ("comment", "notes", "rationale")),
    Column("status", "Status", 16, ("rag", "rag status", "status (rag)")),
]
OPTIONAL_COLUMNS = [
    Column("id", ID, 12),
    Column("theme", "Theme", 30),
    Column("code", "Code", 10, ("ref",)),
    Column("title", "Optional action", 60, ("action", "optional actions")),
    Column("guidance", "Guidance", 60),
    Column("adopt", "Adopt", 10, ("adopted", "adopt?", "tick to adopt", "select")),
]
# The quarterly update sheet: read-only columns (what the plan and last quarter say), then the new ones.
VERSION = "vrhub version"
UPDATE_COLUMNS = [
    Column("id", ID, 12),
    Column("version", VERSION, 12),
    Column("code", "Action code", 12, ("code", "ref", "reference", "action ref", "action reference")),
    Column("theme", "Theme", 26),
    Column("title", "Action", 50, ("action title", "title", "action description")),
    Column("last_status", "Last quarter's status", 16, ("previous status", "last status")),
    Column("last_progress", "Last quarter's progress", 44, ("previous progress", "last progress")),
    Column("status", "Status", 18, ("status this quarter", "new status", "rag", "rag status", "status (rag)")),
    Column(
        "progress",
        "Progress this quarter",
        50,
        ("progress", "progress update", "update", "progress to date", "new progress"),
    ),
    Column("measured_value", "Measured value", 14, ("measure", "value", "measured", "figure")),
]
UPDATE_REQUIRED = {"code", "title", "status", "progress"}  # the heading row must name at least these
UPDATE_READ_ONLY = {"id", "version", "code", "theme", "title", "last_status", "last_progress"}
UPDATES_README_SHEET = "README"


def update_version_token(*, year: int, quarter: int, version: int) -> str:
    """The hidden version cell: which quarter the sheet was exported for, and the update's version then
    ("2021-Q1:3"), so a sheet whose tab was renamed cannot be imported into another quarter."""
    return f"{year}-Q{quarter}:{version}"


def update_version_parse(raw: object) -> tuple[str | None, int]:
    """(quarter key such as "2021-Q1" or None for a bare number, version); version -1 if unreadable."""
    key, _, number = str(raw).strip().rpartition(":")
    try:
        return (key or None), int(float(number))
    except ValueError:
        return (key or None), -1


def updates_sheet_name(quarter_label: str) -> str:
    """'Updates Q3 2021-22': a sheet name cannot hold '/'."""
    return f"Updates {quarter_label.replace('/', '-')}"[:31]


OPTIONAL_SHEET = "Optional actions"
SIGNOFF_SHEET = "Sign-off"
INSTRUCTIONS_SHEET = "Instructions"
STATUS_CHOICES = ["Red", "Amber", "Green", "Not started", "Complete", "Not being undertaken"]


def normalise(text) -> str:
    return re.sub(r"[^a-z0-9()/?]+", " ", str(text or "").lower()).strip()


def heading_map(columns: list[Column]) -> dict[str, str]:
    """Normalised heading or synonym -> column key."""
    result = {}
    for col in columns:
        for name in (col.heading, *col.synonyms):
            result[normalise(name)] = col.key
    return result


def theme_sheet_name(order: int, title: str) -> str:
    return f"{order} {title}"[:31].rstrip()
