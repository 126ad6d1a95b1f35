"""Human words everywhere: no page shows people a raw code.

Each page each role sees on the demo data (plus a returned plan with review comments, MPS figures in the
evidence store and a workbook import preview) is rendered, its visible text taken (no attributes, classes,
scripts or styles), and searched for what a person should never have to read:

- a raw status or plan state value (``not_started``, ``in_progress``, or ``amber`` standing alone);
- a ``family:`` measure code (``mps:``, ``police_uk:``, ``istv:`` …);
- a raw period ``YYYY-MM:YYYY-MM`` (people read "March 2025 to February 2026");
- a wrong plural after one ("1 actions");
- bare theme codes strung together ("GOV · ANE · WPN").
"""

import io
import re
from pathlib import Path

import lxml.html
import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from vrhub.accounts.models import User
from vrhub.cycle import services as cycle_services
from vrhub.plans.models import Plan, Status

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "data" / "mps" / "monthly-crime-dashboard.parquet"

RAW_VALUES = sorted({*Status.values, *Plan.State.values})
UNDERSCORED = [v for v in RAW_VALUES if "_" in v]
FAMILIES = ("mps", "mps_lsoa", "mps_ward", "mps_borough", "police_uk", "police.uk", "istv", "ons", "imd")
NOUNS = (
    "actions|items|updates|comments|replies|boroughs|plans|signatures|documents|themes|quarters|changes|rows"
    "|errors|problems|entries|offences|crimes|days|weeks|months|years|people|areas|files|sheets|measures"
)
CHECKS = [
    ("raw status value", re.compile(r"\b(" + "|".join(map(re.escape, UNDERSCORED)) + r")\b")),
    ("raw status change", re.compile(r"\b(" + "|".join(map(re.escape, RAW_VALUES)) + r")\s*(→|->)\s*\w+")),
    ("measure code", re.compile(r"(?<![\w/.@])(" + "|".join(map(re.escape, FAMILIES)) + r"):[A-Za-z]")),
    ("raw period", re.compile(r"\b\d{4}-\d{2}:\d{4}-\d{2}\b")),
    ("wrong plural", re.compile(r"(?<![\d.,])\b1 (" + NOUNS + r")\b")),
    ("bare theme codes", re.compile(r"\b[A-Z]{2,5}( · [A-Z]{2,5}){1,}\b")),
]


def visible_text(html: str, *, screen_reader: bool = True) -> tuple[str, list[str]]:
    """The page's text as one string, and the text of each element on its own (stripped). With
    ``screen_reader=False``, without the text only screen readers hear (what the eye sees)."""
    doc = lxml.html.fromstring(html)
    for bad in doc.xpath("//script|//style|//template|//noscript"):
        bad.drop_tree()
    if not screen_reader:
        for hidden in doc.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " govuk-visually-hidden ")]'):
            hidden.drop_tree()
    body = doc.xpath("//body")
    root = body[0] if body else doc
    pieces = [t.strip() for t in root.xpath(".//text()") if t.strip()]
    return " ".join(" ".join(pieces).split()), pieces


# An input's hint may show the form a period is typed in ("For example, 2023-01:2023-12").
TYPING_HINT = re.compile(r"For example, \d{4}-\d{2}:\d{4}-\d{2}")


def raw_words(html: str) -> list[str]:
    """What a page's text shows that a person should not have to read, each with its context."""
    text, pieces = visible_text(html)
    seen, _ = visible_text(html, screen_reader=False)
    text, seen = TYPING_HINT.sub("For example", text), TYPING_HINT.sub("For example", seen)
    found = []
    for name, pattern in CHECKS:
        for where in {text, seen}:
            for m in pattern.finditer(where):
                found.append(f"{name}: …{where[max(0, m.start() - 40) : m.end() + 40]}…")
    # A bare value standing alone in an element ("amber", "draft"): a value printed instead of its label.
    for piece in pieces:
        if piece in RAW_VALUES:
            found.append(f"raw value alone in an element: {piece!r}")
    return found


# The detector itself ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>Status: not_started</p>",
        "<td>not_started → amber</td>",
        "<td>amber</td>",
        "<p>Measure mps:VIOLENCE AGAINST THE PERSON</p>",
        "<p>Figures for 2025-03:2026-02</p>",
        "<p>1 actions added</p>",
        "<a>GOV · ANE · WPN</a>",
        '<a>GOV<span class="govuk-visually-hidden"> Governance</span></a> · <a>ANE</a>',
        "<p>police_uk:Robbery</p>",
    ],
)
def test_the_detector_finds_raw_words(html):
    assert raw_words(f"<html><body>{html}</body></html>")


@pytest.mark.parametrize(
    ("stored", "words"),
    [
        ("2025-03:2026-02", "March 2025 to February 2026"),
        ("2025-03:2025-03", "March 2025"),
        ("2024-12", "December 2024"),
        ("2025-13:2026-02", "2025-13:2026-02"),
        ("Ongoing", "Ongoing"),
    ],
)
def test_periods_in_words(stored, words):
    from vrhub.core.words import period_words

    assert period_words(stored) == words


def test_counts_in_the_right_number():
    from vrhub.core.words import count_noun

    assert [count_noun(n, "action") for n in (0, 1, 2, 1200)] == ["0 actions", "1 action", "2 actions", "1,200 actions"]
    assert count_noun(1, "reply", "replies") == "1 reply" and count_noun(2, "reply", "replies") == "2 replies"


@pytest.mark.parametrize(
    "html",
    [
        '<p class="status-not_started" data-status="amber">Not started → Amber</p>',
        '<a href="/evidence/?measure=mps:X&amp;period=2025-03:2026-02">Knife crime, March 2025 to February 2026</a>',
        "<p>1 action added; 11 actions in all; 21 items</p>",
        "<p>Rated green by the lead in March</p>",
        "<script>var s = 'not_started';</script><p>Fine</p>",
    ],
)
def test_the_detector_leaves_human_words_alone(html):
    assert raw_words(f"<html><body>{html}</body></html>") == []


# Every page each role sees ----------------------------------------------------------------------------


def _workbook_with_a_status_change(client, plan) -> bytes:
    """The plan's own workbook, with the first action's status changed to another status's label."""
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("workbooks:download", args=[plan.pk])).content))
    labels = dict((label, value) for value, label in Status.choices)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in labels and labels[cell.value] != Status.AMBER:
                    cell.value = Status.AMBER.label
                    out = io.BytesIO()
                    book.save(out)
                    return out.getvalue()
    raise AssertionError("no status cell found in the workbook")


@pytest.fixture
def world(demo, tmp_path):
    from vrhub.evidence.loaders.mps import load_mps

    havering = Plan.objects.get(area__code="E09000016", template__year=2021, is_current=True)
    reviewer = User.objects.get(username="vru.reviewer")
    Plan.objects.filter(pk=havering.pk).update(state=Plan.State.SUBMITTED)
    havering.refresh_from_db()
    action = havering.actions.order_by("code").first()
    cycle_services.review_comment_add(plan=havering, user=reviewer, body="Name a lead.", action=action)
    cycle_services.review_comment_add(plan=havering, user=reviewer, body="Theme gap.", theme=action.theme)
    cycle_services.plan_return(plan=havering, user=reviewer, comment="The baselines need figures.")
    store = str(tmp_path / "evidence.duckdb")
    with override_settings(EVIDENCE_DUCKDB=store):
        load_mps(paths=[DASHBOARD])
    return {"plan": havering, "store": store}


def _pages(plan: Plan) -> dict[str, list[str]]:
    themes = [t.code for t in plan.template.themes.order_by("order")]
    own = [
        reverse("plans:detail", args=[plan.pk]),
        *(reverse("plans:theme", args=[plan.pk, code]) for code in themes),
        reverse("cycle:quarters", args=[plan.pk]),
        *(reverse("cycle:quarter_theme", args=[plan.pk, 1, code]) for code in themes),
    ]
    evidence = [
        reverse("evidence:index"),
        reverse("evidence:trend"),
        reverse("evidence:trend")
        + "?area=E09000016&measure=mps:Knife+Crime/Knife+Crime&period=2025-03:2026-02&baseline=2024-03:2025-02",
        reverse("evidence:need"),
        reverse("evidence:profile", args=["E09000016"]),
        reverse("evidence_cite") + "?area=E09000016&measure=mps:Knife+Crime/Knife+Crime&period=2025-03:2026-02",
        reverse("learning:library"),
    ]
    return {
        "havering.editor": [*own, *evidence, reverse("home")],
        "havering.chiefexec": [reverse("cycle:sign", args=[plan.pk]), reverse("home")],
        "vru.reviewer": [
            *own,
            reverse("cycle:review", args=[plan.pk]),
            reverse("dashboard:overview", args=[2021]),
            reverse("learning:emerging", args=[2021]),
        ],
        "lambeth.editor": [reverse("home"), reverse("learning:library")],
        "": [reverse("transparency:index")],
    }


@pytest.mark.django_db
def test_no_page_shows_people_a_raw_code(client, world, settings):
    settings.EVIDENCE_DUCKDB = world["store"]
    plan = world["plan"]
    found: dict[str, list[str]] = {}
    seen = 0
    for username, urls in _pages(plan).items():
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{username} {url}: {response.status_code}"
            seen += 1
            if problems := raw_words(response.content.decode()):
                found[f"{username or 'public'} {url}"] = sorted(set(problems))[:8]
    # The workbook import preview, with a status changed.
    client.force_login(User.objects.get(username="havering.editor"))
    upload = io.BytesIO(_workbook_with_a_status_change(client, plan))
    upload.name = "plan.xlsx"
    response = client.post(reverse("workbooks:upload", args=[plan.pk]), {"file": upload})
    assert response.status_code == 200 and 'data-testid="import-changes"' in response.content.decode()
    seen += 1
    preview = response.content.decode()
    if problems := raw_words(preview):
        found["workbook import preview"] = sorted(set(problems))[:8]
    # The preview shows the status change in words, and saving it says what was saved in the right number.
    (changes,) = lxml.html.fromstring(preview).xpath('//*[@data-testid="import-changes"]')
    cells = [[" ".join(c.text_content().split()) for c in row.xpath("./td")] for row in changes.xpath(".//tbody/tr")]
    assert any(row[1] == "Status" and row[3] == "Amber" and row[2] in Status.labels for row in cells), cells
    form = lxml.html.fromstring(preview).xpath('//form[contains(@action, "/import/confirm/")]')[0]
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    response = client.post(form.get("action"), fields, follow=True)
    saved = visible_text(response.content.decode())[0]
    assert f"Workbook imported: 0 actions added, {len(cells)} change{'s' if len(cells) != 1 else ''} saved" in saved
    seen += 1
    if problems := raw_words(response.content.decode()):
        found["plan page after the import"] = sorted(set(problems))[:8]
    assert seen > 25
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())
