"""Shared shape of the load_* commands: paths, --json, progress on stderr."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from vrhub.evidence.loaders import LoadSummary
from vrhub.evidence.models import EvidenceLoad
from vrhub.evidence.services import command_user, evidence_load_record


class LoaderCommand(BaseCommand):
    loader = None  # a callable taking paths= and progress=

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders to search for them")
        parser.add_argument("--json", action="store_true", help="Print the load summary as JSON")
        parser.add_argument("--quiet", action="store_true", help="No progress messages")

    def progress(self, message: str, fraction: float) -> None:
        sys.stderr.write(f"[{fraction:4.0%}] {message}\n")
        sys.stderr.flush()

    def load(self, options) -> LoadSummary:
        loader = type(self).loader
        summary = loader(
            paths=options["paths"],
            progress=None if options["quiet"] else self.progress,
            **options.get("loader_kwargs", {}),
        )
        try:
            evidence_load_record(
                kind=loader.__name__.removeprefix("load_"),
                files=options["paths"],
                summary=summary,
                user=None,
                via=EvidenceLoad.Via.COMMAND,
                ran_by=command_user(),
            )
        except DatabaseError as exc:
            # The evidence store (DuckDB) has the data already; say plainly that vrhub's record of it is missing.
            sys.stderr.write(
                f"Warning: the load is complete, but vrhub's database could not record it ({exc}). "
                "Run `manage.py migrate`, or check DATABASE_URL, so that later loads are recorded.\n"
            )
        return summary

    def handle(self, *args, **options):
        try:
            summary = self.load(options)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), indent=2))
            return
        self.stdout.write(
            f"{summary.files} files, {summary.rows} rows: {summary.loaded} loaded, {summary.duplicates} duplicates, "
            f"{summary.unlocated} unlocated, {len(summary.rejected)} rejected"
        )
        if summary.synthetic:
            self.stdout.write(f"  Synthetic data: {summary.synthetic} rows are synthetic (not real)")
        for reject in summary.rejected[:50]:
            self.stdout.write(f"  rejected {reject.file}:{reject.line}: {reject.reason}")
        if len(summary.rejected) > 50:
            self.stdout.write(f"  … and {len(summary.rejected) - 50} more (see --json)")
        for path in summary.already_loaded:
            self.stdout.write(f"  already loaded, skipped: {path}")
        for note in summary.notes:
            self.stdout.write(f"  {note}")
