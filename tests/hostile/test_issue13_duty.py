"""Break-it pass on issue 13 (the Serious Violence Duty app): hostile attacks, each asserting the secure or
correct behaviour. A failing attack is marked xfail(strict=True) with the fault it shows."""
# Fixtures imported from tests/duty (not visible here otherwise) are parameters below:
# ruff: noqa: F811

import csv
import datetime as dt
import io
import os
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.duty import factories as f
from tests.duty.conftest import duty_reviewer, duty_world, lambeth, mopac, mopac_officer  # noqa: F401
from tests.duty.test_datapack import loaded, store  # noqa: F401
from tests.duty.test_permissions import POST_DATA, URLS
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.duty.models import InformationRequest, Partnership, SharingAgreement, Strategy
from vrhub.duty.services import sharing as sharing_services
from vrhub.organisations.models import Organisation

HAVERING, LAMBETH = "E09000016", "E09000022"


@pytest.fixture
def dw(duty_world):
    return duty_world


def _editor(code, role=User.Role.BOROUGH_EDITOR):
    return UserFactory(organisation=Organisation.objects.get(code=code), role=role)


# --- Havering's URL code with Lambeth's object ids ------------------------------------------------------

MIXED = []
for _name, (_method, _url, _kind) in URLS.items():
    MIXED.append(_name)


@pytest.mark.parametrize("name", MIXED)
def test_havering_code_with_lambeth_ids_is_404_for_havering_editor(client, dw, name):
    method, url, kind = URLS[name]
    real = url(dw)
    mixed_world = {"havering": dw["lambeth"], "lambeth": dw["lambeth"]}
    mixed = url(mixed_world)
    if mixed == real:
        pytest.skip("URL carries no object id")
    client.force_login(_editor(HAVERING))
    data = POST_DATA.get(name, {})
    data = data(mixed_world) if callable(data) else data
    before = {
        m.__name__: list(m.objects.order_by("pk").values()) for m in (Strategy, SharingAgreement, InformationRequest)
    }
    response = client.get(mixed) if method == "get" else client.post(mixed, data)
    assert response.status_code == 404, (name, mixed, response.status_code)
    after = {
        m.__name__: list(m.objects.order_by("pk").values()) for m in (Strategy, SharingAgreement, InformationRequest)
    }
    assert before == after


# --- forged choices: another partnership's ids in Havering's own forms -----------------------------------


def test_disclosure_with_lambeth_agreement_is_refused(client, dw):
    client.force_login(_editor(HAVERING))
    count = dw["lambeth"]["agreement"].disclosures.count()
    response = client.post(
        reverse("duty:sharing_disclosure_add", args=[HAVERING]),
        {
            "agreement": dw["lambeth"]["agreement"].pk,
            "disclosed_on": "2025-06-01",
            "from_organisation": "Met",
            "to_organisation": "Council",
            "purpose": "x",
            "description": "x",
        },
    )
    assert response.status_code == 200  # the form again, with an error
    assert "agreement" in response.context["form"].errors
    assert dw["lambeth"]["agreement"].disclosures.count() == count
    assert not dw["havering"]["partnership"].disclosures.filter(agreement=dw["lambeth"]["agreement"]).exists()


def test_strategy_edit_with_lambeth_assessment_is_refused(client, dw):
    client.force_login(_editor(HAVERING))
    strategy = dw["havering"]["strategy"]
    response = client.post(
        reverse("duty:strategy_edit", args=[HAVERING, strategy.pk]),
        {"title": "T", "assessment": dw["lambeth"]["assessment"].pk},
    )
    assert response.status_code == 200
    assert "assessment" in response.context["form"].errors
    strategy.refresh_from_db()
    assert strategy.assessment_id != dw["lambeth"]["assessment"].pk


# --- s.17 requests --------------------------------------------------------------------------------------


def test_mopac_cannot_answer_its_own_request(client, dw, mopac_officer):
    req = dw["havering"]["request"]
    client.force_login(mopac_officer)
    response = client.post(
        reverse("duty:sharing_request_answer", args=[HAVERING, req.pk]),
        {"answer-responded_on": "2025-12-01", "answer-answer": "Here it is"},
    )
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.state == InformationRequest.State.OPEN


def test_answer_by_get_changes_nothing(client, dw):
    req = dw["havering"]["request"]
    client.force_login(_editor(HAVERING))
    response = client.get(
        reverse("duty:sharing_request_answer", args=[HAVERING, req.pk]),
        {"answer-responded_on": "2025-12-01", "answer-answer": "Here it is"},
    )
    assert response.status_code == 405
    req.refresh_from_db()
    assert req.state == InformationRequest.State.OPEN


def test_answer_twice_and_refuse_without_reason(client, dw):
    req = dw["havering"]["request"]
    client.force_login(_editor(HAVERING))
    url = reverse("duty:sharing_request_refuse", args=[HAVERING, req.pk])
    response = client.post(url, {"refuse-responded_on": dt.date.today().isoformat(), "refuse-refusal_detail": "no"})
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.state == InformationRequest.State.OPEN
    answer = reverse("duty:sharing_request_answer", args=[HAVERING, req.pk])
    data = {"answer-responded_on": dt.date.today().isoformat(), "answer-answer": "First"}
    assert client.post(answer, data).status_code == 302
    data["answer-answer"] = "Second"
    assert client.post(answer, data).status_code == 302
    req.refresh_from_db()
    assert req.state == InformationRequest.State.ANSWERED and req.answer == "First"


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_only_one_wins(london, havering, lambeth):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    p = f.PartnershipFactory(area=havering, vru=london)
    req = f.InformationRequestFactory(partnership=p, due_on=dt.date(2026, 1, 1))
    editor = _editor(HAVERING)
    results = []
    barrier = threading.Barrier(2)

    def go(text):
        from django.db import connection as c

        try:
            barrier.wait()
            sharing_services.information_request_answer(
                info_request=InformationRequest.objects.get(pk=req.pk),
                user=editor,
                data={"responded_on": dt.date.today(), "answer": text},
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            c.close()

    threads = [threading.Thread(target=go, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]


# --- text inputs ----------------------------------------------------------------------------------------


def test_script_and_nul_in_agreement(client, dw):
    client.force_login(_editor(HAVERING))
    agreement = dw["havering"]["agreement"]
    url = reverse("duty:sharing_agreement_edit", args=[HAVERING, agreement.pk])
    page = client.get(url)
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["dpia_on"] = "2025-01-01"
    data["title"] = "Bad\x00title"
    response = client.post(url, data)
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert "\x00" not in agreement.title
    data["title"] = "<script>alert(1)</script>"
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors
    agreement.refresh_from_db()
    assert agreement.title == "<script>alert(1)</script>"
    shown = client.get(reverse("duty:sharing_agreement", args=[HAVERING, agreement.pk])).content.decode()
    assert "<script>alert(1)</script>" not in shown


def test_overlong_strategy_title_names_the_limit(client, dw):
    client.force_login(_editor(HAVERING))
    strategy = dw["havering"]["strategy"]
    response = client.post(reverse("duty:strategy_edit", args=[HAVERING, strategy.pk]), {"title": "x" * 201})
    assert response.status_code == 200
    assert "200 characters" in response.content.decode()
    strategy.refresh_from_db()
    assert len(strategy.title) <= 200


def test_publish_with_missing_elements_is_refused(client, dw):
    client.force_login(_editor(HAVERING))
    strategy = dw["havering"]["strategy"]
    Strategy.objects.filter(pk=strategy.pk).update(problem_summary="", funding="")
    client.post(reverse("duty:strategy_publish", args=[HAVERING, strategy.pk]), {})
    strategy.refresh_from_db()
    assert strategy.state == Strategy.State.DRAFT


# --- public pages: no personal data, no drafts ----------------------------------------------------------


def test_public_pages_show_no_personal_data_and_no_draft(client, london, havering):
    p = f.complete_partnership(area=havering, vru=london)
    leads = [(a.lead_name, a.lead_email) for a in p.specified_authorities.all()]
    contacts = [c.contact for r in p.relevant_authorities.all() for c in r.consultations.all()]
    index = client.get(reverse("transparency:duty_strategies", args=[london.code])).content.decode()
    page = client.get(reverse("transparency:duty_strategy", args=[london.code, HAVERING]))
    body = index + (page.content.decode() if page.status_code == 200 else "")
    for name, email in leads:
        assert name not in body
        if email:
            assert email not in body
    for c in contacts:
        assert c not in body
    draft = Strategy.objects.filter(partnership=p, state=Strategy.State.DRAFT).first()
    if draft is not None:
        assert draft.title not in body or Strategy.objects.filter(partnership=p, state="published").exists()


def test_public_page_of_a_draft_only_area_is_404(client, dw, london):
    assert dw["havering"]["strategy"].state == Strategy.State.DRAFT
    response = client.get(reverse("transparency:duty_strategy", args=[london.code, HAVERING]))
    assert response.status_code == 404
    index = client.get(reverse("transparency:duty_strategies", args=[london.code])).content.decode()
    assert dw["havering"]["strategy"].title not in index


# --- monitoring CSV: formula injection ------------------------------------------------------------------


def test_monitoring_csv_neutralises_formulae(client, dw, duty_reviewer):
    Organisation.objects.filter(code=HAVERING).update(name='=HYPERLINK("http://evil","x")')
    Partnership.objects.filter(area__code=HAVERING).update(governance_group="=1+1", lead_body="@SUM(A1)")
    client.force_login(duty_reviewer)
    response = client.get(reverse("duty:monitoring_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join([response.content]).decode())))
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (row, cell)


def test_other_vru_monitor_sees_no_london_area(client, dw):
    other = Organisation.objects.create(code="VRU-X", name="Other VRU", kind=Organisation.Kind.VRU)
    user = UserFactory(organisation=other, role=User.Role.VRU_ADMIN)
    client.force_login(user)
    body = client.get(reverse("duty:monitoring_csv")).content.decode()
    assert HAVERING not in body and LAMBETH not in body
    page = client.get(reverse("duty:monitoring")).content.decode()
    assert "Havering" not in page and "Lambeth" not in page


# --- jobs ----------------------------------------------------------------------------------------------


def test_data_pack_job_for_another_borough_is_refused(dw):
    from vrhub.jobs.services import job_start

    with pytest.raises(PermissionDenied):
        job_start(kind="duty.sna_pack", user=_editor(HAVERING), params={"area": LAMBETH, "fmt": "pdf"})
    with pytest.raises((PermissionDenied, ValidationError)):
        job_start(kind="duty.sna_pack", user=_editor(HAVERING), params={"area": "x" * 10_000, "fmt": "pdf"})
    with pytest.raises(ValidationError):
        job_start(kind="duty.sna_pack", user=_editor(HAVERING), params={"area": HAVERING, "fmt": "../../etc"})


def test_another_persons_job_output_is_not_downloadable(client, store, havering, django_capture_on_commit_callbacks):
    from vrhub.jobs.models import Job

    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("duty:datapack", args=[HAVERING]), {"fmt": "pdf"})
    job = Job.objects.get(kind="duty.sna_pack")
    assert job.state == Job.State.SUCCEEDED, job.error
    for other in (_editor(LAMBETH), _editor(HAVERING)):
        client.force_login(other)
        assert client.get(reverse("jobs:output", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


# --- commands ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["' OR 1=1 --", "../../etc/passwd", "x" * 100_000, ""])
def test_duty_readiness_crafted_area(london, area):
    with pytest.raises(CommandError) as exc:
        call_command("duty_readiness", "--area", area, "--json", stdout=io.StringIO())
    message = str(exc.value)
    assert "\n" not in message and len(message) < 300


@pytest.mark.parametrize("area", ["' OR 1=1 --", "../x", "y" * 100_000])
def test_sna_pack_crafted_area(london, tmp_path, area):
    out = tmp_path / "pack.pdf"
    with pytest.raises(CommandError) as exc:
        call_command("sna_pack", "--area", area, "--format", "pdf", "--out", str(out), stdout=io.StringIO())
    assert len(str(exc.value)) < 300
    assert list(tmp_path.iterdir()) == []


def test_sna_pack_out_paths(store, havering, tmp_path):
    def run(out):
        call_command("sna_pack", "--area", HAVERING, "--format", "pdf", "--out", str(out), stdout=io.StringIO())

    with pytest.raises(CommandError, match="directory"):
        run(tmp_path)
    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "missing" / "pack.pdf")
    (tmp_path / "sub").mkdir()
    run(tmp_path / "sub" / ".." / "dotdot.pdf")
    assert (tmp_path / "dotdot.pdf").read_bytes().startswith(b"%PDF")
    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"precious")
    run(existing)  # observed: an existing file is replaced (atomically)
    assert existing.read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.rglob("*.tmp")]


# --- services authorise on their own (as strategy, sharing, partnership, definition and reviews do) ------

# Was a fault, fixed: the SNA services did not check the user (only the pages did).


def test_sna_section_save_by_another_borough_is_refused_by_the_service(dw):
    from vrhub.duty.services import sna as sna_services

    section = dw["havering"]["assessment"].sections.first()
    with pytest.raises(PermissionDenied):
        sna_services.assessment_section_save(section=section, user=_editor(LAMBETH), text="Written by Lambeth")
    section.refresh_from_db()
    assert section.text == ""


def test_sna_start_by_the_policing_body_is_refused_by_the_service(dw, mopac_officer):
    from vrhub.duty.services import sna as sna_services

    with pytest.raises(PermissionDenied):
        sna_services.assessment_start(partnership=dw["havering"]["partnership"], user=mopac_officer, year=2024)


def test_authority_overlong_lead_name_and_unknown_kind(client, dw):
    from vrhub.duty.models import SpecifiedAuthority

    client.force_login(_editor(HAVERING))
    url = reverse("duty:partnership_authority_add", args=[HAVERING])
    before = SpecifiedAuthority.objects.count()
    data = {"kind": "fire", "organisation": "LFB", "lead_name": "x" * 151, "lead_email": "a@example.org"}
    response = client.post(url, data)
    assert response.status_code == 200 and "150" in response.content.decode()
    data.update(lead_name="Alex", kind="secret_police")
    assert client.post(url, data).status_code == 200
    data.update(kind="fire", organisation="<img src=x onerror=alert(1)>")
    client.post(url, data)
    assert SpecifiedAuthority.objects.count() <= before + 1
    page = client.get(reverse("duty:partnership", args=[HAVERING])).content.decode()
    assert "<img src=x onerror" not in page


def test_job_with_a_list_format_is_a_validation_error_not_a_crash(dw):
    from vrhub.jobs.services import job_start

    with pytest.raises(ValidationError):
        job_start(kind="duty.sna_pack", user=_editor(HAVERING), params={"area": HAVERING, "fmt": ["pdf"]})
    with pytest.raises((ValidationError, PermissionDenied)):
        job_start(kind="duty.sna_pack", user=_editor(HAVERING), params={"area": [HAVERING], "fmt": "pdf"})


def test_public_pages_of_another_vru_code(client, dw, london):
    Strategy.objects.filter(pk=dw["havering"]["strategy"].pk).update(
        state=Strategy.State.PUBLISHED, published_on=dt.date(2025, 6, 1), next_review=dt.date(2026, 6, 1)
    )
    Organisation.objects.create(code="VRU-X", name="Other VRU", kind=Organisation.Kind.VRU)
    assert client.get(reverse("transparency:duty_strategy", args=["VRU-X", HAVERING])).status_code == 404
    assert (
        client.get(reverse("transparency:duty_strategy", args=[london.code, "E09000016' OR '1'='1"])).status_code == 404
    )
    page = client.get(reverse("transparency:duty_strategy", args=[london.code, HAVERING]))
    assert page.status_code == 200
    body = page.content.decode()
    authority, consultation = dw["havering"]["authority"], dw["havering"]["consultation"]
    assert authority.organisation in body  # the page does show the partnership
    for personal in (authority.lead_name, authority.lead_email, consultation.contact):
        assert not personal or personal not in body, personal


def test_double_submit_strategy_start_and_review_add(client, london, havering):
    from vrhub.duty.models import AnnualReview

    p = f.PartnershipFactory(area=havering, vru=london)
    client.force_login(_editor(HAVERING))
    url = reverse("duty:strategy_start", args=[HAVERING])
    client.post(url, {"title": "One"})
    client.post(url, {"title": "One"})
    assert Strategy.objects.filter(partnership=p).count() == 1
    review = reverse("duty:review_add", args=[HAVERING])
    data = {
        "year": 2025,
        "reviewed_on": "2025-06-01",
        "problem_changes": "a",
        "progress": "b",
        "decisions": "c",
        "strategy": "",
    }
    client.post(review, data)
    client.post(review, data)
    assert AnnualReview.objects.filter(partnership=p, year=2025).count() == 1
    data.update(year=2024, reviewed_on="2099-01-01")
    client.post(review, data)
    assert not AnnualReview.objects.filter(partnership=p, year=2024).exists()  # a review dated in the future


def test_state_changing_urls_refuse_get(client, dw):
    client.force_login(_editor(HAVERING))
    s, a = dw["havering"]["strategy"], dw["havering"]["assessment"]
    for url in (
        reverse("duty:strategy_publish", args=[HAVERING, s.pk]),
        reverse("duty:strategy_revise", args=[HAVERING, s.pk]),
        reverse("duty:assessment_agree", args=[HAVERING, a.pk]),
        reverse("duty:assessment_reopen", args=[HAVERING, a.pk]),
    ):
        before = (Strategy.objects.get(pk=s.pk).state, Strategy.objects.count(), a.__class__.objects.get(pk=a.pk).state)
        client.get(url + "?confirm=1")
        after = (Strategy.objects.get(pk=s.pk).state, Strategy.objects.count(), a.__class__.objects.get(pk=a.pk).state)
        assert before == after, url


def test_nul_in_sna_section_text_is_refused(client, dw):
    client.force_login(_editor(HAVERING))
    assessment = dw["havering"]["assessment"]
    url = reverse("duty:sna_section", args=[HAVERING, assessment.pk, "problem"])
    client.raise_request_exception = False
    response = client.post(url, {"text": "Knife\x00crime"})
    assert response.status_code == 200
    assert "\x00" not in assessment.sections.get(key="problem").text


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
# Was a fault (PostgreSQL), fixed: a NUL in an area code reached the database (DataError, 500).


def test_duty_readiness_nul_area_is_a_one_line_error(london):
    with pytest.raises(CommandError):
        call_command("duty_readiness", "--area", "E09000016\x00", "--json", stdout=io.StringIO())


def test_sna_pack_nul_area_is_a_one_line_error(london, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "sna_pack",
            "--area",
            "E09000016\x00",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "p.pdf"),
            stdout=io.StringIO(),
        )
    assert list(tmp_path.iterdir()) == []


def test_job_nul_area_is_refused(dw):
    from vrhub.jobs.services import job_start

    with pytest.raises((PermissionDenied, ValidationError)):
        job_start(kind="duty.sna_pack", user=_editor(HAVERING), params={"area": "E09000016\x00", "fmt": "pdf"})


def test_duty_page_with_nul_code_is_404(client, dw):
    client.force_login(_editor(HAVERING))
    client.raise_request_exception = False
    for url in ("/duty/E09000016%00/", "/duty/E09000016%00/partnership/", "/duty/E09000016%00/data-sharing/"):
        assert client.get(url).status_code == 404, url
