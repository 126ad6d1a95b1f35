import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vrhub.core.exceptions import NotFound
from vrhub.core.words import count_noun, date_words
from vrhub.governance import actions_render
from vrhub.governance.selectors import access
from vrhub.governance.selectors.actions import report_for

HELP = """The actions arising report of a group: for its next meeting (the first on or after today), for
--meeting ID, or, when no meeting is arranged, every open action. The rule: every action from the group's
earlier meetings still ongoing at the meeting's date, or completed since the meeting before it (so each
completion is reported once); overdue = ongoing at the date with a deadline before it.

--json prints (keys stable):
  {"group": SLUG, "synthetic": bool, "meeting": {"id": int, "date": "YYYY-MM-DD"} | null,
   "as_at": "YYYY-MM-DD", "title": text,
   "sections": [{"meeting": {"id", "date"},            (the meeting the actions arose from, newest first)
                 "actions": [{"id": int, "item": "3. Actions Arising" | "No agenda item", "action": text,
                              "deadline": "YYYY-MM-DD" | null (null: ongoing, no deadline),
                              "status": "ongoing" | "complete" (as at the date), "update": text,
                              "owner": text, "overdue": bool}]}]}

--format pdf|docx --out FILE writes the report in the layout of the Partnership Reference Group's paper
(written whole or not at all). An unknown group or meeting: one line on stderr, exit status 1."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True, help="The group's slug, e.g. prg.")
        parser.add_argument("--meeting", type=int, help="The id of the group's meeting the report is for.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON (shape above).")
        parser.add_argument("--format", choices=actions_render.FORMATS, help="Write the report as PDF or DOCX.")
        parser.add_argument("--out", help="The file to write with --format.")

    def handle(self, *args, group: str, meeting: int | None, **options):
        fmt, out = options["format"], options["out"]
        if bool(fmt) != bool(out):
            raise CommandError("--format and --out go together: --format pdf|docx --out FILE")
        try:
            found = access.group_get_for_command(slug=group)
            report = report_for(group=found, meeting_id=meeting, today=timezone.localdate())
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        if fmt:
            _write(Path(out), actions_render.render(fmt=fmt, report=report))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2))
            return
        label = " (SYNTHETIC demo data)" if report.synthetic else ""
        if report.meeting is not None:
            head = f"{found.name}{label}: {report.title}, meeting of {date_words(report.meeting.date)}"
        else:
            head = f"{found.name}{label}: {report.title} as at {date_words(report.as_at)} (no meeting arranged)"
        self.stdout.write(head)
        self.stdout.write(
            f"  {count_noun(len(report.rows), 'action')}"
            + (f", {report.overdue} overdue" if report.overdue else ", none overdue")
        )
        for section in report.sections:
            self.stdout.write(f"  {section.heading}")
            for row in section.rows:
                flag = " [OVERDUE]" if row.overdue else ""
                self.stdout.write(
                    f"    - {row.item}: {row.action} | deadline {row.deadline_words}{flag} | "
                    f"{row.status_and_update} | {row.owner}"
                )
        if fmt:
            self.stdout.write(f"  Written to {out}")


def _write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all (a temporary file renamed into place)."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"Cannot write {path}: the folder {directory} does not exist")
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".actions-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(content)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
