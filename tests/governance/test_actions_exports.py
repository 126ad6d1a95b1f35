"""The actions arising report as DOCX and PDF: the seed 003 layout (group, date of meeting, title, a heading per
earlier meeting and the table Agenda Item | Action | Deadline | Status | Owner), rows compared with the rows
restated from the Action rows, and the seed's own 1 May 2019 table reproduced from the seed's text."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from tests.governance import factories as f
from tests.governance.actions_world import JUL, MAY, build_history, expected_ids
from tests.reports.conftest import pdf_text
from vrhub.core.words import date_words
from vrhub.governance import actions_render
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action
from vrhub.governance.selectors.actions import actions_arising

pytestmark = pytest.mark.django_db
HEADER = ["Agenda Item", "Action", "Deadline", "Status", "Owner"]
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _docx(content: bytes):
    from docx import Document

    return Document(io.BytesIO(content))


def _restated_rows(group, day) -> list[list[list[str]]]:
    """Each section's cells, built here from the Action rows (not from the selector's rows)."""
    sections = []
    for ids in expected_ids(group, day):
        rows = []
        for a in Action.objects.filter(pk__in=ids).select_related("item"):
            done = a.completed_on is not None and a.completed_on <= day
            status = "Complete" if done else "Ongoing"
            overdue = not done and a.deadline is not None and a.deadline < day
            deadline = date_words(a.deadline) if a.deadline else "Ongoing"
            rows.append(
                (
                    ids.index(a.pk),
                    [
                        f"{a.item.number}. {a.item.title}",
                        a.text,
                        deadline + (" (overdue)" if overdue else ""),
                        f"{status}: {a.latest_update}" if a.latest_update else status,
                        a.owner,
                    ],
                )
            )
        sections.append([cells for _, cells in sorted(rows)])
    return sections


@pytest.fixture
def history(prg):
    return build_history(prg)


@pytest.mark.parametrize("day", [MAY, JUL])
def test_docx_tables_match_the_restated_rows(prg, history, day):
    report = actions_arising(group=prg, meeting=history["meetings"][day])
    document = _docx(actions_render.render_docx(report=report))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert [t[0] for t in tables] == [HEADER] * len(tables)
    assert [t[1:] for t in tables] == _restated_rows(prg, day)
    text = [p.text for p in document.paragraphs]
    assert "Partnership Reference Group" in text
    assert f"Date of meeting: {date_words(day)}" in text
    assert "Title of report: Actions Arising from Previous Meetings" in text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["1 Executive Summary", "2 Recommendation"]
    assert headings[2:] == [
        f"{i} Actions Arising from the Meeting of {date_words(s.meeting.date)}"
        for i, s in enumerate(report.sections, start=3)
    ]


def test_pdf_has_the_same_rows_in_order(prg, history, tmp_path):
    report = actions_arising(group=prg, meeting=history["meetings"][JUL])
    text = pdf_text(actions_render.render_pdf(report=report), tmp_path)
    assert "Date of meeting: 3 July 2019" in text
    assert "Title of report: Actions Arising from Previous Meetings" in text
    position = 0
    for section, rows in zip(report.sections, _restated_rows(prg, JUL), strict=True):
        position = text.index(section.heading, position)
        position = text.index(" ".join(HEADER), position)
        for cells in rows:
            for cell in cells:
                position = text.index(cell, position)  # each cell, in reading order


def test_synthetic_groups_are_labelled_in_both_formats(prg, history, tmp_path):
    prg.synthetic = True
    prg.save()
    report = actions_arising(group=prg, meeting=history["meetings"][MAY])
    document = _docx(actions_render.render_docx(report=report))
    assert "Synthetic demo data" in document.sections[0].header.paragraphs[0].text
    assert any(p.text.startswith("Synthetic demo data:") for p in document.paragraphs)
    assert "Synthetic demo data" in pdf_text(actions_render.render_pdf(report=report), tmp_path)


def test_an_empty_report_says_so(prg, tmp_path):
    first = f.meeting_with_items(group=prg, date=dt.date(2019, 1, 22))
    report = actions_arising(group=prg, meeting=first)
    document = _docx(actions_render.render_docx(report=report))
    assert document.tables == []
    assert "There are no actions to report." in pdf_text(actions_render.render_pdf(report=report), tmp_path)


def _seed_tables() -> dict[str, list[list[str]]]:
    """The seed's 1 May 2019 report: {heading: rows of 5 tab-separated cells}."""
    seed = next(SEEDS.glob("003_*.txt"), None)
    if seed is None:
        pytest.skip("seed 003 is not on this machine")
    text = seed.read_text(encoding="utf-8")
    start = text.index("Title of report: **Actions Arising from Previous Meetings**")
    tables: dict[str, list[list[str]]] = {}
    heading = None
    for line in text[start:].splitlines():
        m = re.match(r"^\d+ (Actions Arising from the Meeting of .+)$", line)
        if m:
            heading = m.group(1)
            tables[heading] = []
        elif heading and line.count("\t") == 4 and not line.startswith("Agenda Item"):
            tables[heading].append(line.split("\t"))
        elif line.startswith("5 Financial Comments"):
            break
    return tables


def test_the_seeds_table_is_reproduced(prg):
    """The seed's actions, entered as the clerk would (dates of completion between the meetings), give the
    seed's table back; the one ongoing action past its deadline is flagged overdue in words."""
    seed = _seed_tables()
    meetings = {}
    for heading, rows in seed.items():
        day = dt.datetime.strptime(heading.removeprefix("Actions Arising from the Meeting of "), "%d %B %Y").date()
        meetings[heading] = meeting = f.MeetingFactory(group=prg, date=day)
        for cells in rows:
            number, title = cells[0].split(". ", 1)
            item = meeting.items.filter(number=int(number)).first() or f.AgendaItemFactory(
                meeting=meeting, number=int(number), title=title
            )
            status, update = cells[3].split(": ", 1)
            f.ActionFactory(
                meeting=meeting,
                item=item,
                text=cells[1],
                deadline=None if cells[2] == "Ongoing" else dt.datetime.strptime(cells[2], "%d %B %Y").date(),
                status=ActionStatus.COMPLETE if status == "Complete" else ActionStatus.ONGOING,
                completed_on=dt.date(2019, 4, 30) if status == "Complete" else None,
                latest_update=update,
                owner=cells[4],
            )
    may = f.MeetingFactory(group=prg, date=dt.date(2019, 5, 1))
    report = actions_arising(group=prg, meeting=may)
    document = _docx(actions_render.render_docx(report=report))
    got = {}
    for heading, table in zip([s.heading for s in report.sections], document.tables, strict=True):
        got[heading] = [[c.text for c in row.cells] for row in table.rows][1:]
    flagged = [r for rows in got.values() for r in rows if r[2].endswith(" (overdue)")]
    assert [r[1] for r in flagged] == [
        "To discuss the possibility of a future paper on systematic challenges outside the meeting."
    ]
    unflagged = {h: [[c.removesuffix(" (overdue)") for c in r] for r in rows] for h, rows in got.items()}
    assert unflagged == seed
    assert list(got) == list(seed)  # 6 March before 22 January, as in the seed
