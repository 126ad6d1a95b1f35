"""Hostile arguments to the management commands: a CommandError with a one-line reason (or, for the
evidence loaders, each file rejected with its line and reason), nothing saved, no traceback."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.hostile.conftest import assert_saved_nothing, snapshot
from vrhub.evidence import selectors as evidence

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"
HAV = ["--area", "E09000016"]
MEASURE = "mps:VIOLENCE AGAINST THE PERSON"
AREA_HINT = "give the ONS code of a CSP area, e.g. E09000016."


def case(case_id, args, message, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(args, message, id=case_id, marks=marks)


# "{tmp}" in an argument is the test's own folder, holding the files written by FILES.
FILES = {
    "text.xlsx": b"hello, not a workbook",
    "pdf.xlsx": b"%PDF-1.4 a PDF named .xlsx",
    "empty.xlsx": b"",
    "zip.xlsx": b"PK\x05\x06" + b"\x00" * 18,
    "macro.xlsm": b"PK\x03\x04",
    "crafted-header.csv": b'lsoa21_code,"x""); COPY (SELECT 1) TO \'/tmp/pwn\' --",IMD_score\nE01000001,1,2\n',
    "empty.csv": b"",
    "binary.csv": b"\x00\x01\x02\xff" * 100,
}
NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx)."

# fmt: off
COMMANDS = [
    case("plan-check-area-drop-table", ["plan_check", "--area", "'; DROP TABLE plans_plan; --", "--year", "2021"],
         f"Unknown area \"'; DROP TABLE plans_plan; --\": {AREA_HINT}"),
    case("plan-check-area-empty", ["plan_check", "--area", "", "--year", "2021"], f"Unknown area '': {AREA_HINT}"),
    case("plan-check-area-10k-chars", ["plan_check", "--area", "E" * 10_000, "--year", "2021"], "Unknown area 'EEEE"),
    case("plan-check-year-abc", ["plan_check", *HAV, "--year", "abc"],
         "Error: argument --year: invalid int value: 'abc'"),
    case("plan-check-year-superscript-two", ["plan_check", *HAV, "--year", "²"],
         "Error: argument --year: invalid int value: '²'"),
    case("plan-check-year-20-digits", ["plan_check", *HAV, "--year", BIG],
         f"Havering (E09000016) has no plan for {BIG}."),
    case("plan-check-year-negative", ["plan_check", *HAV, "--year", "-1"], "Havering (E09000016) has no plan for -1."),
    case("plan-check-year-missing", ["plan_check", *HAV], "Error: the following arguments are required: --year"),
    case("plan-status-area-sql", ["plan_status", "--area", "x' OR 1=1 --", "--year", "2021"],
         f"Unknown area \"x' OR 1=1 --\": {AREA_HINT}"),
    case("plan-status-year-float", ["plan_status", *HAV, "--year", "2021.0"],
         "Error: argument --year: invalid int value: '2021.0'"),
    case("export-plan-out-exe", ["export_plan", *HAV, "--year", "2021", "--out", "{tmp}/plan.exe"],
         "--out must end in .xlsx, not 'plan.exe'"),
    case("export-plan-out-missing-folder", ["export_plan", *HAV, "--year", "2021", "--out", "/nonexistent/x.xlsx"],
         "The folder /nonexistent does not exist"),
    case("import-plan-missing-file", ["import_plan", "{tmp}/nope.xlsx", *HAV, "--year", "2021"],
         "No such file: {tmp}/nope.xlsx"),
    case("import-plan-a-folder", ["import_plan", "{tmp}", *HAV, "--year", "2021"], "No such file: {tmp}"),
    case("import-plan-etc-passwd", ["import_plan", "../../../../../../etc/passwd", *HAV, "--year", "2021"],
         "1 error(s); nothing was saved."),
    case("import-plan-text", ["import_plan", "{tmp}/text.xlsx", *HAV, "--year", "2021"],
         "1 error(s); nothing was saved."),
    case("import-plan-pdf", ["import_plan", "{tmp}/pdf.xlsx", *HAV, "--year", "2021"],
         "1 error(s); nothing was saved."),
    case("import-plan-empty", ["import_plan", "{tmp}/empty.xlsx", *HAV, "--year", "2021"],
         "1 error(s); nothing was saved."),
    case("import-plan-empty-zip", ["import_plan", "{tmp}/zip.xlsx", *HAV, "--year", "2021"],
         "1 error(s); nothing was saved."),
    case("import-plan-csv", ["import_plan", "{tmp}/crafted-header.csv", *HAV, "--year", "2021"],
         "1 error(s); nothing was saved."),
    case("import-plan-area-sql", ["import_plan", "{tmp}/text.xlsx", "--area", "' OR 1=1", "--year", "2021"],
         f"Unknown area \"' OR 1=1\": {AREA_HINT}"),
    case("export-updates-quarter-5", ["export_updates", *HAV, "--year", "2021", "--quarter", "5",
                                      "--out", "{tmp}/q.xlsx"],
         "Error: argument --quarter: invalid choice: 5 (choose from 1, 2, 3, 4)"),
    case("export-updates-out-exe", ["export_updates", *HAV, "--year", "2021", "--quarter", "1", "--out", "{tmp}/q.exe"],
         "--out must end in .xlsx, not 'q.exe'"),
    case("export-updates-area-sql", ["export_updates", "--area", "' OR 1=1", "--year", "2021", "--quarter", "1",
                                     "--out", "{tmp}/q.xlsx"], f"Unknown area \"' OR 1=1\": {AREA_HINT}"),
    case("export-updates-year-20-digits", ["export_updates", *HAV, "--year", BIG, "--quarter", "1",
                                           "--out", "{tmp}/q.xlsx"], f"Havering (E09000016) has no plan for {BIG}."),
    case("import-updates-missing-file", ["import_updates", "{tmp}/nope.xlsx", *HAV, "--year", "2021", "--quarter", "1"],
         "No such file: {tmp}/nope.xlsx"),
    case("import-updates-etc-passwd", ["import_updates", "../../../../../../etc/passwd", *HAV, "--year", "2021",
                                       "--quarter", "1"], "1 error; nothing was saved."),
    case("import-updates-text", ["import_updates", "{tmp}/text.xlsx", *HAV, "--year", "2021", "--quarter", "1"],
         "1 error; nothing was saved."),
    case("import-updates-macro", ["import_updates", "{tmp}/macro.xlsm", *HAV, "--year", "2021", "--quarter", "1"],
         "1 error; nothing was saved."),
    case("import-updates-quarter-0", ["import_updates", "{tmp}/text.xlsx", *HAV, "--year", "2021", "--quarter", "0"],
         "Error: argument --quarter: invalid choice: 0 (choose from 1, 2, 3, 4)"),
    case("report-kind-evil", ["report", "--kind", "evil", "--year", "2021", "--out", "{tmp}/r.pdf"],
         "Unknown kind 'evil': use scrutiny or london."),
    case("report-year-abc", ["report", "--kind", "london", "--year", "abc", "--out", "{tmp}/r.pdf"],
         "Unknown year 'abc': give the template year, e.g. 2021."),
    case("report-year-20-digits", ["report", "--kind", "london", "--year", BIG, "--out", "{tmp}/r.pdf"],
         f"Unknown year: London Violence Reduction Unit has no {BIG} template."),
    case("report-format-exe", ["report", "--kind", "london", "--year", "2021", "--out", "{tmp}/r.exe"],
         "Unknown format 'exe': use --format pdf or --format docx."),
    case("report-out-is-a-folder",
         ["report", "--kind", "london", "--year", "2021", "--format", "pdf", "--out", "{tmp}"],
         "--out {tmp} is a directory: give a file name."),
    case("report-scrutiny-without-area", ["report", "--kind", "scrutiny", "--year", "2021", "--out", "{tmp}/r.pdf"],
         "A scrutiny report needs --area, the ONS code of the borough."),
    case("report-area-drop", ["report", "--kind", "scrutiny", "--area", "'; DROP", "--year", "2021",
                              "--out", "{tmp}/r.pdf"], f"Unknown area \"'; DROP\": {AREA_HINT}"),
    case("report-vru-of-another-area", ["report", "--kind", "scrutiny", *HAV, "--vru", "x' OR 1=1", "--year", "2021",
                                        "--out", "{tmp}/r.pdf"], "Unknown VRU \"x' OR 1=1\""),
    case("london-summary-year-1999", ["london_summary", "--year", "1999"],
         "London Violence Reduction Unit has no template for 1999."),
    case("london-summary-vru-drop", ["london_summary", "--year", "2021", "--vru", "'; DROP"],
         "Unknown VRU \"'; DROP\"."),
    case("similar-action-20-digits", ["similar_actions", "--action", BIG], f"No action with id {BIG}"),
    case("similar-action-abc", ["similar_actions", "--action", "abc"],
         "Error: argument --action: invalid int value: 'abc'"),
    case("similar-limit-0", ["similar_actions", "--action", "1", "--limit", "0"], "--limit must be between 1 and 100"),
    case("similar-limit-20-digits", ["similar_actions", "--action", "1", "--limit", BIG],
         "--limit must be between 1 and 100"),
    case("emerging-quarter-5", ["emerging_themes", "--year", "2021", "--quarter", "5"],
         "Error: argument --quarter: invalid choice: 5 (choose from 1, 2, 3, 4)"),
    case("emerging-vru-unknown", ["emerging_themes", "--year", "2021", "--quarter", "1", "--vru", "x"],
         "Unknown VRU 'x'"),
    case("emerging-limit-negative", ["emerging_themes", "--year", "2021", "--quarter", "2", "--limit", "-5"],
         "--limit must be between 1 and 100"),
    case("emerging-year-1999", ["emerging_themes", "--year", "1999", "--quarter", "2"],
         "London Violence Reduction Unit has no template for 1999."),
    case("reminders-today-month-13", ["send_reminders", "--today", "2021-13-45"],
         "--today must be a date like 2022-07-10, not '2021-13-45'"),
    case("reminders-today-year-99999", ["send_reminders", "--today", "99999-01-01"],
         "--today must be a date like 2022-07-10, not '99999-01-01'"),
    case("reminders-today-sql", ["send_reminders", "--today", "2021-01-01' OR 1=1"],
         "--today must be a date like 2022-07-10, not \"2021-01-01' OR 1=1\""),
    case("token-user-sql", ["create_api_token", "--user", "nobody' OR 1=1", "--name", "x"],
         "No active user \"nobody' OR 1=1\""),
    case("token-name-101-chars", ["create_api_token", "--user", "hav.editor", "--name", "n" * 101],
         "Token name must be 100 characters or fewer"),
    case("token-name-blank", ["create_api_token", "--user", "hav.editor", "--name", "   "],
         "Name the token, e.g. the system that will use it"),
    case("token-days-20-digits", ["create_api_token", "--user", "hav.editor", "--name", "x", "--days", BIG],
         "A token must last between 1 and 365 days"),
    case("token-days-0", ["create_api_token", "--user", "hav.editor", "--name", "x", "--days", "0"],
         "A token must last between 1 and 365 days"),
    case("trend-area-sql", ["evidence_trend", "--area", "x' OR 1=1 --", "--measure", MEASURE],
         "Unknown area \"x' OR 1=1 --\": give an LSOA, ward, borough or police force code, or E12000007"),
    case("trend-area-13-chars", ["evidence_trend", "--area", "E010000010000", "--measure", MEASURE],
         "An area code is at most 12 characters; this one has 13"),
    case("trend-measure-copy", ["evidence_trend", *HAV, "--measure", "\"); COPY x TO '/tmp/x'"],
         "Unknown measure '\"); COPY x TO \\'/tmp/x\\'': see the list of measures"),
    case("trend-measure-201-chars", ["evidence_trend", *HAV, "--measure", "m" * 201],
         "A measure name is at most 200 characters; this one has 201"),
    case("trend-period-month-13", ["evidence_trend", *HAV, "--measure", MEASURE, "--period", "2025-13:2026-99",
                                   "--baseline", "2024-01:2024-02"],
         "A period is YYYY-MM:YYYY-MM, not '2025-13:2026-99'"),
    case("trend-period-reversed", ["evidence_trend", *HAV, "--measure", MEASURE, "--period", "2025-02:2025-01",
                                   "--baseline", "2024-01:2024-02"],
         "The period '2025-02:2025-01' ends before it starts"),
    case("trend-baseline-sql", ["evidence_trend", *HAV, "--measure", MEASURE, "--period", "2025-01:2025-02",
                                "--baseline", "' OR 1=1"], "A period is YYYY-MM:YYYY-MM, not \"' OR 1=1\""),
    case("trend-period-without-baseline", ["evidence_trend", *HAV, "--measure", MEASURE, "--period", "2025-01:2025-02"],
         "Give both --period and --baseline, or neither for the monthly series"),
    case("need-within-sql", ["need_ranking", "--within", "x' OR 1=1"],
         "Unknown area \"x' OR 1=1\": give an LSOA, ward, borough or police force code, or E12000007"),
    case("need-level-county", ["need_ranking", "--within", "E09000016", "--level", "county"],
         "Error: argument --level: invalid choice: 'county' (choose from 'lsoa', 'ward', 'borough')"),
    case("need-weight-negative", ["need_ranking", "--within", "E09000016", "--weight", "imd=-1"],
         "The weight of imd must be a number from 0 to 10, not -1.0"),
    case("need-weight-unknown", ["need_ranking", "--within", "E09000016", "--weight", "evil=1"],
         "Unknown indicator 'evil': choose from"),
    case("need-weight-no-number", ["need_ranking", "--within", "E09000016", "--weight", "imd"],
         "--weight takes INDICATOR=NUMBER, not 'imd'"),
    case("need-weight-nan", ["need_ranking", "--within", "E09000016", "--weight", "imd=nan"],
         "The weight of imd must be a number from 0 to 10, not nan"),
    case("need-weight-inf", ["need_ranking", "--within", "E09000016", "--weight", "imd=inf"],
         "The weight of imd must be a number from 0 to 10, not inf"),
]
# fmt: on


def _expand(value: str, tmp_path) -> str:
    return value.replace("{tmp}", str(tmp_path))


@pytest.mark.parametrize(("args", "message"), COMMANDS)
def test_hostile_command_arguments_are_refused_in_one_line(world, settings, evidence_file, tmp_path, args, message):
    settings.EVIDENCE_DUCKDB = evidence_file
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
    args = [_expand(a, tmp_path) for a in args]
    before, loads = snapshot(), evidence.loads_by_kind()
    stderr = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=io.StringIO(), stderr=stderr)
    reason = str(refused.value)
    assert _expand(message, tmp_path) in reason
    assert "\n" not in reason.strip()
    assert_saved_nothing(before)
    assert evidence.loads_by_kind() == loads
    if args[0] == "import_plan" and reason.startswith("1 error"):
        assert stderr.getvalue().strip() == NOT_A_WORKBOOK


# fmt: off
# id: (loader, file, the reason given for its line 1)
LOADS = {
    "imd-crafted-header": ("load_imd", "crafted-header.csv",
                           "Not an IMD file (an LSOA code column and <Domain>_score/_rank/_decile columns): "
                           "unknown column 2 'x\"); COPY (SELECT 1) TO \\'/tmp/pwn\\' --'"),
    "imd-empty": ("load_imd", "empty.csv", "The file is empty"),
    "imd-binary": ("load_imd", "binary.csv", "Cannot read the file as UTF-8 CSV"),
    "imd-missing": ("load_imd", "missing.csv", "No such file"),
    "mps-binary": ("load_mps", "binary.csv", "Cannot read the file as UTF-8 CSV"),
    "police-uk-binary": ("load_police_uk", "binary.csv", "Cannot read the file as UTF-8 CSV"),
    "istv-binary": ("load_istv", "binary.csv", "Cannot read the file"),
    "boundaries-binary": ("load_boundaries", "binary.csv", "Not GeoJSON or TopoJSON"),
}
# fmt: on


@pytest.mark.parametrize(("command", "name", "reason"), list(LOADS.values()), ids=list(LOADS))
def test_a_hostile_evidence_file_is_rejected_by_line_and_loads_nothing(
    world, settings, evidence_file, tmp_path, command, name, reason
):
    settings.EVIDENCE_DUCKDB = evidence_file
    for file_name, data in FILES.items():
        (tmp_path / file_name).write_bytes(data)
    before, loads = snapshot(), evidence.loads_by_kind()
    out = io.StringIO()
    call_command(command, str(tmp_path / name), "--quiet", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "0 loaded" in text and "1 rejected" in text
    assert f"  rejected {tmp_path / name}:1: {reason}" in text
    assert_saved_nothing(before)
    assert evidence.loads_by_kind() == loads
