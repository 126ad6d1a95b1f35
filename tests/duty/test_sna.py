"""The strategic needs assessment: starting, writing, citing figures, agreeing and reopening.

Cited figures are checked against a total worked out here with DuckDB and pandas straight from the shipped MPS
dashboard parquet, never copied from the code's output.
"""

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from tests.duty import factories as f
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import SnaSectionKey
from vrhub.duty.models import TEXT_LIMIT, NeedsAssessment, SnaFigure, SnaSection
from vrhub.duty.selectors import access
from vrhub.duty.selectors import sna as selectors
from vrhub.duty.selectors.readiness import area_readiness
from vrhub.duty.services import sna as services
from vrhub.evidence.loaders.mps import load_mps

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "mps"
DASHBOARD = DATA / "monthly-crime-dashboard.parquet"
HOMICIDE = DATA / "homicide.parquet"
HAVERING, LONDON = "E09000016", "E12000007"
KNIFE = "mps:Knife Crime/Knife Crime"
PERIOD = "2025-03:2026-02"
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def mps_store(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("sna") / "evidence.duckdb")
    with override_settings(EVIDENCE_DUCKDB=path):
        load_mps(paths=[DASHBOARD, HOMICIDE])
    return path


@pytest.fixture
def store(settings, mps_store):
    settings.EVIDENCE_DUCKDB = mps_store
    return mps_store


def knife_offences(period: str, borough: str | None, path: Path = DASHBOARD) -> int:
    """Knife crime offences in ``period``, from the raw parquet (pandas works out the months)."""
    first, _, last = period.partition(":")
    months = [str(p) for p in pd.period_range(first, last, freq="M")]
    frame = duckdb.sql(
        f"SELECT strftime(month_year, '%Y-%m') AS month, area_code, measure, crime_subtype, count "  # noqa: S608
        f"FROM '{path}' WHERE area_type = 'Borough'"
    ).df()
    frame = frame[(frame.crime_subtype == "Knife Crime") & (frame.measure == "Offences") & frame.month.isin(months)]
    if borough:
        frame = frame[frame.area_code == borough]
    return int(frame["count"].sum())


@pytest.fixture
def partnership(london, havering):
    return f.PartnershipFactory(area=havering, vru=london)


@pytest.fixture
def assessment(partnership, editor):
    return services.assessment_start(partnership=partnership, user=editor, year=2026, today=TODAY)


def _section(assessment, key=SnaSectionKey.PROBLEM) -> SnaSection:
    return assessment.sections.get(key=key)


# Starting ------------------------------------------------------------------------------------------------


def test_start_creates_the_eight_sections_in_order_and_audits_them(assessment, editor):
    assert assessment.year == 2026 and assessment.state == NeedsAssessment.State.DRAFT
    keys = [s.key for s in selectors.sections_of(assessment=assessment)]
    assert keys == [k.value for k in SnaSectionKey] and len(keys) == 8
    assert all(s.text == "" for s in assessment.sections.all())
    created = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=editor)
    assert created.filter(object_type="duty.needsassessment", object_id=str(assessment.pk)).exists()
    assert created.filter(object_type="duty.snasection").values("object_id").distinct().count() == 8


def test_a_second_assessment_for_the_same_year_is_refused_naming_the_year(assessment, partnership, editor):
    with pytest.raises(ValidationError) as exc:
        services.assessment_start(partnership=partnership, user=editor, year=2026, today=TODAY)
    assert exc.value.message_dict["year"] == [
        "Havering already has a 2026 needs assessment: open it to carry on writing"
    ]
    assert NeedsAssessment.objects.count() == 1 and SnaSection.objects.count() == 8


@pytest.mark.parametrize("year", [2022, 2028, 0])
def test_a_year_outside_the_duty_is_refused_and_nothing_is_written(partnership, editor, year):
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.assessment_start(partnership=partnership, user=editor, year=year, today=TODAY)
    assert "from 2023 (when the Duty came into force) to 2027" in exc.value.message_dict["year"][0]
    assert not NeedsAssessment.objects.exists() and AuditEntry.objects.count() == audited


def test_copying_last_year_takes_the_texts_but_not_the_figures(assessment, partnership, editor, store):
    services.assessment_section_save(section=_section(assessment), user=editor, text="Knife crime is concentrated.")
    services.figure_cite(section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period=PERIOD)
    with pytest.raises(ValidationError) as exc:
        services.assessment_start(partnership=partnership, user=editor, year=2025, today=TODAY, copy_previous=True)
    assert "no needs assessment before 2025" in exc.value.message_dict["copy_previous"][0]
    later = services.assessment_start(partnership=partnership, user=editor, year=2027, today=TODAY, copy_previous=True)
    assert _section(later).text == "Knife crime is concentrated."
    assert _section(later, SnaSectionKey.SUMMARY).text == ""
    assert not SnaFigure.objects.filter(section__assessment=later).exists()


# Writing, agreeing, reopening --------------------------------------------------------------------------------


def test_saving_a_section_is_audited_old_to_new(assessment, editor):
    section = _section(assessment)
    services.assessment_section_save(section=section, user=editor, text="First")
    services.assessment_section_save(section=section, user=editor, text="Second\r\nline", loaded_hash=None)
    section.refresh_from_db()
    assert section.text == "Second\nline"
    entries = AuditEntry.objects.filter(object_type="duty.snasection", object_id=str(section.pk), field="text")
    assert list(entries.order_by("pk").values_list("old", "new"))[-2:] == [("", "First"), ("First", "Second\nline")]


def test_text_over_the_limit_is_refused_naming_the_section_and_the_limit(assessment, editor):
    section = _section(assessment)
    with pytest.raises(ValidationError) as exc:
        services.assessment_section_save(section=section, user=editor, text="x" * (TEXT_LIMIT + 1))
    message = exc.value.message_dict["text"][0]
    assert "Problem profile" in message and f"{TEXT_LIMIT:,} characters or fewer" in message
    section.refresh_from_db()
    assert section.text == ""


def test_a_colleagues_change_since_the_page_was_opened_is_not_overwritten(assessment, editor):
    section = _section(assessment)
    opened = selectors.text_hash(section.text)
    services.assessment_section_save(section=section, user=editor, text="A colleague's text")
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.assessment_section_save(section=section, user=editor, text="Mine", loaded_hash=opened)
    section.refresh_from_db()
    assert section.text == "A colleague's text"


def test_agree_is_refused_while_sections_are_empty_naming_them(assessment, editor, havering):
    for key in list(SnaSectionKey)[:6]:
        services.assessment_section_save(section=_section(assessment, key), user=editor, text="Written")
    with pytest.raises(ValidationError) as exc:
        services.assessment_agree(assessment=assessment, user=editor)
    assert exc.value.message_dict["state"] == [
        "Write every section before agreeing the assessment: 2 sections are empty (Gaps in data; Recommendations)"
    ]
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    readiness = area_readiness(area=havering, today=TODAY)
    assert {m.element for m in readiness.elements_missing("sna")} == {
        "sna.data_gaps",
        "sna.recommendations",
        "sna.agreed",
    }


def test_agree_then_reopen(assessment, editor, havering, store):
    for key in SnaSectionKey:
        services.assessment_section_save(section=_section(assessment, key), user=editor, text="Written")
    services.assessment_agree(assessment=assessment, user=editor, today=TODAY)
    assessment.refresh_from_db()
    assert (assessment.state, assessment.agreed_on, assessment.version) == ("agreed", TODAY, 2)
    assert area_readiness(area=havering, today=TODAY).elements_missing("sna") == []
    # Agreed: nothing changes until it is reopened.
    with pytest.raises(ValidationError, match="is agreed: reopen it"):
        services.assessment_section_save(section=_section(assessment), user=editor, text="Changed")
    with pytest.raises(ValidationError, match="is agreed: reopen it"):
        services.figure_cite(
            section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period=PERIOD
        )
    with pytest.raises(ValidationError, match="already agreed"):
        services.assessment_agree(assessment=assessment, user=editor)
    services.assessment_reopen(assessment=assessment, user=editor)
    assessment.refresh_from_db()
    assert (assessment.state, assessment.agreed_on) == ("draft", None)
    assert [m.element for m in area_readiness(area=havering, today=TODAY).elements_missing("sna")] == ["sna.agreed"]
    states = AuditEntry.objects.filter(object_type="duty.needsassessment", field="state").order_by("pk")
    assert list(states.values_list("old", "new")) == [("", "draft"), ("draft", "agreed"), ("agreed", "draft")]
    with pytest.raises(ValidationError, match="a draft already"):
        services.assessment_reopen(assessment=assessment, user=editor)


# Cited figures ----------------------------------------------------------------------------------------------


def test_a_cited_figure_matches_the_raw_parquet_and_names_unit_period_and_source(assessment, editor, store):
    figure = services.figure_cite(
        section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period=PERIOD
    )
    expected = knife_offences(PERIOD, HAVERING)
    assert expected > 0
    assert (figure.value, figure.unit, figure.period, figure.area_name) == (expected, "offences", PERIOD, "Havering")
    assert "monthly crime dashboard" in figure.source and figure.synthetic is False
    assert selectors.figure_words(figure) == (
        f"{expected:,} offences: Knife Crime, Havering, March 2025 to February 2026 (source: {figure.source})"
    )
    london = services.figure_cite(
        section=_section(assessment), user=editor, area_code=LONDON, measure=KNIFE, period=PERIOD
    )
    assert london.value == knife_offences(PERIOD, None) and london.area_name == "London"
    entry = AuditEntry.objects.get(object_type="duty.snafigure", object_id=str(figure.pk), field="value")
    assert (entry.action, entry.new, entry.actor_id) == (AuditEntry.Action.CREATE, str(expected), editor.pk)


def test_a_figure_is_fixed_when_cited_even_after_the_store_is_reloaded(assessment, editor, store, settings, tmp_path):
    figure = services.figure_cite(
        section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period=PERIOD
    )
    cited = figure.value
    revised = tmp_path / "revised" / "monthly-crime-dashboard.parquet"
    revised.parent.mkdir()
    duckdb.sql(f"COPY (SELECT * REPLACE (count * 2 AS count) FROM '{DASHBOARD}') TO '{revised}' (FORMAT parquet)")  # noqa: S608
    settings.EVIDENCE_DUCKDB = str(tmp_path / "reloaded.duckdb")
    load_mps(paths=[revised])
    again = services.figure_cite(
        section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period=PERIOD
    )
    assert again.value == knife_offences(PERIOD, HAVERING, revised) == 2 * cited  # the store did change
    figure.refresh_from_db()
    assert figure.value == cited
    # What the section page and its messages show is the figure as cited, not the reloaded store's.
    assert selectors.figure_words(figure).startswith(f"{cited:,} ")
    assert selectors.figure_words(again).startswith(f"{2 * cited:,} ")


def test_no_data_is_refused_with_the_evidence_message_never_stored_as_0(assessment, editor, store):
    with pytest.raises(ValidationError) as exc:
        services.figure_cite(
            section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period="2019-03:2020-02"
        )
    message = exc.value.message_dict["period"][0]
    assert message.startswith("There is no Knife Crime (offences,") and "March 2019 to February 2020" in message
    assert "does not cover Havering" in message
    assert not SnaFigure.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.figure_cite(
            section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period="2025-13:2026-02"
        )
    assert "YYYY-MM:YYYY-MM" in exc.value.message_dict["period"][0]


def test_the_definition_decides_which_measures_are_offered(partnership, assessment, editor, store):
    # No definition: the guidance's core (homicide, weapons, county lines).
    offered = selectors.figures_offered(partnership=partnership)
    assert offered.defaults
    assert [label for label, _ in offered.groups] == ["Homicide", "Weapons offences, including knife crime"]
    assert offered.uncounted == [
        ("County lines and drug-related violence", "No open data series counts county lines; use local intelligence.")
    ]
    f.DefinitionFactory(partnership=partnership, offence_types=["homicide", "robbery"])
    partnership.refresh_from_db()
    offered = selectors.figures_offered(partnership=partnership)
    assert offered.measures == {"mps:Homicide"}
    assert [label for label, _note in offered.uncounted] == ["Robbery"]
    with pytest.raises(ValidationError) as exc:
        services.figure_cite(
            section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period=PERIOD
        )
    assert "in scope of the local definition" in exc.value.message_dict["measure"][0]
    with pytest.raises(ValidationError) as exc:
        services.figure_cite(
            section=_section(assessment), user=editor, area_code="E09000022", measure="mps:Homicide", period=PERIOD
        )
    assert exc.value.message_dict["area"] == ["Choose Havering or London (for comparison)"]
    assert not SnaFigure.objects.exists()


def test_recent_periods_are_the_last_covered_twelve_months(store):
    frame = duckdb.sql(f"SELECT max(month_year) AS last FROM '{DASHBOARD}'").df()  # noqa: S608
    last = pd.Period(frame["last"][0], freq="M")
    assert selectors.recent_periods(area_code=HAVERING, measure=KNIFE) == {
        "latest": f"{last - 11}:{last}",
        "previous": f"{last - 23}:{last - 12}",
    }


def test_removing_a_figure_is_audited(assessment, editor, store):
    figure = services.figure_cite(
        section=_section(assessment), user=editor, area_code=HAVERING, measure=KNIFE, period=PERIOD
    )
    pk = figure.pk
    services.figure_remove(figure=figure, user=editor)
    assert not SnaFigure.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_type="duty.snafigure", object_id=str(pk), action=AuditEntry.Action.DELETE)
    assert "Knife Crime" in entry.old and entry.actor_id == editor.pk


# Access -------------------------------------------------------------------------------------------------------


def test_access_other_borough_404_viewer_403(client, assessment, havering, lambeth, editor):
    url = reverse("duty:assessment", args=[HAVERING, assessment.pk])
    section_url = reverse("duty:sna_section", args=[HAVERING, assessment.pk, "problem"])
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    other = UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(section_url, {"text": "x"}).status_code == 404
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    assert client.get(section_url).status_code == 403
    assert client.post(reverse("duty:assessment_agree", args=[HAVERING, assessment.pk])).status_code == 403
    with pytest.raises(NotFound):
        selectors.figure_get_for_user(user=other, code=HAVERING, assessment_pk=assessment.pk, key="problem", pk=1)
    with pytest.raises(PermissionDenied):
        access.sna_section_get_for_user(
            user=viewer, code=HAVERING, assessment_pk=assessment.pk, key="problem", edit=True
        )
    assert _section(assessment).text == ""


# Pages ---------------------------------------------------------------------------------------------------------


def test_pages_start_write_cite_and_agree(client, partnership, editor, store):
    client.force_login(editor)
    url = reverse("duty:assessments", args=[HAVERING])
    body = client.get(url).content.decode()
    assert "Start the strategic needs assessment" in body and "Start an assessment" in body
    response = client.post(url, {"year": "2026"})
    found = NeedsAssessment.objects.get(partnership=partnership)
    assert response.status_code == 302 and response["Location"] == reverse("duty:assessment", args=[HAVERING, found.pk])
    again = client.post(url, {"year": "2026"}).content.decode()
    assert "Havering already has a 2026 needs assessment" in again and "govuk-error-summary" in again
    section_url = reverse("duty:sna_section", args=[HAVERING, found.pk, "problem"])
    page = client.get(section_url).content.decode()
    assert "Weapons offences, including knife crime" in page and "county lines; use local intelligence" in page
    assert ">mps:" not in page and "(mps," not in page  # codes are option values, never shown
    client.post(section_url, {"text": "Knife crime rose.", "loaded_hash": selectors.text_hash("")})
    cite = reverse("duty:sna_figure_cite", args=[HAVERING, found.pk, "problem"])
    response = client.post(cite, {"measure": KNIFE, "area": HAVERING, "period_choice": "other", "period": PERIOD})
    assert response.status_code == 302
    page = client.get(section_url).content.decode()
    assert f"{knife_offences(PERIOD, HAVERING):,}" in page and "March 2025 to February 2026" in page
    refused = client.post(
        cite, {"measure": KNIFE, "area": HAVERING, "period_choice": "other", "period": "2019-01:2019-12"}
    )
    assert "There is no Knife Crime" in refused.content.decode() and SnaFigure.objects.count() == 1
    agree = client.post(reverse("duty:assessment_agree", args=[HAVERING, found.pk])).content.decode()
    assert "7 sections are empty" in agree
    found.refresh_from_db()
    assert found.state == "draft"
    detail = client.get(reverse("duty:assessment", args=[HAVERING, found.pk])).content.decode()
    assert "1 of 8" in detail and "Knife crime rose." in detail
