"""Break-it pass on issue 15 (funded programmes): other boroughs' and other VRUs' ids in every URL, forged form
choices, crafted money and dates, hostile spreadsheets, stale and concurrent saves, the commands' --out, and
the public grants pages. Each test asserts the secure behaviour."""
# Fixtures imported from tests/programmes are parameters below:
# ruff: noqa: F811

import io
import json
import os
import stat
import threading
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import close_old_connections
from django.urls import reverse

from tests.factories import UserFactory
from tests.programmes import factories as f
from tests.programmes.conftest import (  # noqa: F401
    lambeth,
    lambeth_editor,
    logic_model,
    mopac_officer,
    programmes_world,
    vru_officer,
)
from tests.programmes.open_data_world import offline_validator, profile
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.models import (
    Budget,
    IncomeLine,
    LogicNode,
    MonitoringReturn,
    Programme,
    ProgrammeAmount,
    Recipient,
)
from vrhub.programmes.services import programmes as programme_services
from vrhub.programmes.services.returns_import import COLUMNS, ImportRefused, returns_import_preview

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


@pytest.fixture
def w(programmes_world):
    return programmes_world


@pytest.fixture
def other_vru(db):
    vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    area = Organisation.objects.create(kind=Organisation.Kind.AREA, code="X0000001", name="Elsewhere", vru=vru)
    recipient = Recipient.objects.create(vru=vru, name="Elsewhere Trust", charity_number="1099999")
    programme = f.ProgrammeFactory(owner=vru, reference="X-1", title="Elsewhere grant", all_areas=True, published=True)
    programme.recipient = recipient
    programme.save()
    f.ProgrammeAmountFactory(programme=programme, year=2020, amount=Decimal("777.00"))
    node = f.LogicNodeFactory(vru=vru, level=LogicLevel.OBJECTIVE, number=1, title="Elsewhere objective")
    budget = f.BudgetFactory(owner=area, year=2020)
    return {"vru": vru, "area": area, "recipient": recipient, "programme": programme, "node": node, "budget": budget}


@pytest.fixture
def hav_editor(havering):
    return UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)


@pytest.fixture
def x_editor(other_vru):
    return UserFactory(organisation=other_vru["vru"], role=User.Role.VRU_ADMIN)


def _state():
    return {
        "audit": AuditEntry.objects.count(),
        "programmes": list(Programme.objects.order_by("pk").values()),
        "amounts": list(ProgrammeAmount.objects.order_by("pk").values()),
        "returns": list(MonitoringReturn.objects.order_by("pk").values()),
        "budgets": list(Budget.objects.order_by("pk").values()),
        "income": list(IncomeLine.objects.order_by("pk").values()),
        "recipients": list(Recipient.objects.order_by("pk").values()),
        "nodes": list(LogicNode.objects.order_by("pk").values()),
    }


def _programme_urls(p):
    return [
        ("get", reverse("programmes:programme_detail", args=[p.pk])),
        ("get", reverse("programmes:programme_edit", args=[p.pk])),
        ("post", reverse("programmes:programme_edit", args=[p.pk])),
        ("post", reverse("programmes:programme_amounts", args=[p.pk])),
        ("post", reverse("programmes:programme_amount_remove", args=[p.pk, 2020])),
        ("post", reverse("programmes:programme_areas", args=[p.pk])),
        ("post", reverse("programmes:programme_links", args=[p.pk])),
        ("post", reverse("programmes:programme_publication", args=[p.pk])),
        ("get", reverse("programmes:programme_evaluation", args=[p.pk])),
        ("post", reverse("programmes:programme_evaluation", args=[p.pk])),
        ("get", reverse("programmes:returns", args=[p.pk])),
        ("get", reverse("programmes:return_edit", args=[p.pk, 2020, 1])),
        ("post", reverse("programmes:return_edit", args=[p.pk, 2020, 1])),
    ]


def _budget_urls(b):
    code, year = b.owner.code, b.year
    line = b.income_lines.first() if hasattr(b, "income_lines") else IncomeLine.objects.filter(budget=b).first()
    urls = [
        ("get", reverse("programmes:budget_detail", args=[code, year])),
        ("get", reverse("programmes:budget_edit", args=[code, year])),
        ("post", reverse("programmes:budget_edit", args=[code, year])),
        ("post", reverse("programmes:budget_income_new", args=[code, year])),
        ("post", reverse("programmes:budget_spend_new", args=[code, year])),
        ("post", reverse("programmes:budget_commitment_new", args=[code, year])),
    ]
    if line is not None:
        urls += [
            ("post", reverse("programmes:budget_income_edit", args=[code, year, line.pk])),
            ("post", reverse("programmes:budget_income_remove", args=[code, year, line.pk])),
        ]
    return urls


POST = {"version": "1", "amount": "5", "year": "2020", "title": "x", "reference": "PWN-1", "published": "on"}


# Other boroughs' and other VRUs' ids ---------------------------------------------------------------------------


def test_havering_never_sees_nor_changes_lambeths_records(client, w, hav_editor):
    client.force_login(hav_editor)
    before = _state()
    urls = _programme_urls(w["lambeth_programme"]) + _programme_urls(w["vru_lambeth_programme"])
    urls += _budget_urls(w["lambeth_budget"])
    for method, url in urls:
        response = getattr(client, method)(url, POST)
        assert response.status_code == 404, (method, url, response.status_code)
    assert _state() == before


def test_havering_sees_but_cannot_change_the_vrus_programme_and_budget(client, w, hav_editor):
    client.force_login(hav_editor)
    before = _state()
    for method, url in _programme_urls(w["vru_programme"]) + _budget_urls(w["vru_budget"]):
        response = getattr(client, method)(url, POST)
        expected = 200 if method == "get" and "edit" not in url and "evaluation" not in url else 403
        if url.endswith("/returns/2020/1/"):
            expected = 403
        assert response.status_code == expected, (method, url, response.status_code)
    assert _state() == before


def test_another_vrus_staff_get_404_on_everything_of_london(client, w, x_editor):
    client.force_login(x_editor)
    before = _state()
    urls = []
    for key in ("vru_programme", "havering_programme", "lambeth_programme"):
        urls += _programme_urls(w[key])
    for key in ("vru_budget", "havering_budget"):
        urls += _budget_urls(w[key])
    node = w["logic_model"]["objectives"][0]
    urls += [
        ("get", reverse("programmes:logic_node_edit", args=[node.pk])),
        ("post", reverse("programmes:logic_node_edit", args=[node.pk])),
        ("post", reverse("programmes:logic_node_remove", args=[node.pk])),
    ]
    recipient = Recipient.objects.create(vru=w["vru_programme"].vru, name="London Trust")
    before = _state()
    urls += [("get", reverse("programmes:recipient_edit", args=[recipient.pk]))]
    urls += [("post", reverse("programmes:recipient_edit", args=[recipient.pk]))]
    for method, url in urls:
        response = getattr(client, method)(url, POST)
        assert response.status_code == 404, (method, url, response.status_code)
    assert _state() == before


def test_london_lists_show_nothing_of_another_vru(client, w, other_vru, vru_officer):
    client.force_login(vru_officer)
    for name in ("programmes:index", "programmes:budget_list", "programmes:recipients", "programmes:logic_model"):
        page = client.get(reverse(name)).content.decode()
        assert "Elsewhere" not in page, name
        assert "X-1" not in page, name


@pytest.mark.parametrize(
    ("code", "year"), [("E09000022", 2020), ("X0000001", 2020), ("E09000016", 1999), ("E09000016", 2101)]
)
def test_budget_by_code_and_year_of_others_or_out_of_range_is_404(client, w, other_vru, hav_editor, code, year):
    client.force_login(hav_editor)
    assert client.get(reverse("programmes:budget_detail", args=[code, year])).status_code == 404


def test_budget_url_with_nul_or_huge_code_is_404(client, w, hav_editor):
    client.force_login(hav_editor)
    assert client.get("/programmes/budgets/E09%00000016/2020/").status_code == 404
    assert client.get(f"/programmes/budgets/{'A' * 5000}/2020/").status_code == 404


def test_return_urls_with_quarter_5_or_year_1999_are_404(client, w, hav_editor):
    client.force_login(hav_editor)
    pk = w["havering_programme"].pk
    for year, quarter in ((2020, 5), (2020, 0), (1999, 1), (2101, 1)):
        assert client.get(reverse("programmes:return_edit", args=[pk, year, quarter])).status_code == 404
        assert client.post(reverse("programmes:return_edit", args=[pk, year, quarter]), {}).status_code == 404
    assert client.get(f"/programmes/{2**70}/").status_code == 404


# Forged form choices --------------------------------------------------------------------------------------------


def test_forged_links_of_another_vru_are_refused(w, other_vru, hav_editor):
    from vrhub.plans.models import PlanAction, Theme

    p = w["havering_programme"]
    before = _state()
    theme = Theme.objects.exclude(template__vru=p.vru).first()
    action = PlanAction.objects.exclude(plan__area=p.owner).first()
    forged = {
        "objectives": [other_vru["node"].pk],
        "plan_actions": [action.pk] if action else [],
        "theme": theme.pk if theme else None,
    }
    with pytest.raises(ValidationError) as caught:
        programme_services.programme_links_set(programme=p, user=hav_editor, version=p.version, **forged)
    assert "objectives" in caught.value.message_dict
    # An outcome (not an objective) of London's own model is refused too.
    with pytest.raises(ValidationError):
        programme_services.programme_links_set(
            programme=p,
            user=hav_editor,
            version=p.version,
            objectives=[w["logic_model"]["outcome"].pk],
            plan_actions=[],
            theme=None,
        )
    assert _state() == before


def test_forged_area_and_recipient_of_another_vru_are_refused(w, other_vru, lambeth, hav_editor):
    p = w["havering_programme"]
    before = _state()
    with pytest.raises(ValidationError) as caught:
        programme_services.programme_areas_set(
            programme=p, user=hav_editor, all_areas=False, areas=[other_vru["area"].pk], wards="", version=p.version
        )
    assert "areas" in caught.value.message_dict
    data = {"reference": "HAV-1", "title": "t", "recipient": other_vru["recipient"].pk}
    with pytest.raises(ValidationError) as caught:
        programme_services.programme_update(programme=p, user=hav_editor, data=data, version=p.version)
    assert "recipient" in caught.value.message_dict
    assert _state() == before


def test_forged_recipient_through_the_form_is_refused(client, w, other_vru, hav_editor):
    client.force_login(hav_editor)
    p = w["havering_programme"]
    before = _state()
    response = client.post(
        reverse("programmes:programme_edit", args=[p.pk]),
        {"reference": "HAV-1", "title": "t", "recipient": str(other_vru["recipient"].pk), "version": str(p.version)},
    )
    assert response.status_code in (200, 400)
    assert "<title>Error:" in response.content.decode()
    assert _state() == before


def test_a_borough_editor_cannot_set_up_a_programme_or_budget_for_another_area(w, lambeth, hav_editor):
    from django.core.exceptions import PermissionDenied

    from vrhub.programmes.services import budgets as budget_services

    before = _state()
    with pytest.raises(PermissionDenied):
        programme_services.programme_create(owner=lambeth, user=hav_editor, data={"reference": "Z-1", "title": "t"})
    with pytest.raises(PermissionDenied):
        budget_services.budget_create(owner=lambeth, year=2021, user=hav_editor)
    assert _state() == before


# The plan page, the Duty strategy and the public pages -----------------------------------------------------------


def test_havering_plan_page_never_lists_lambeths_programmes(client, w, plan, havering):
    action = plan.actions.first()
    for key in ("lambeth_programme", "vru_lambeth_programme"):
        w[key].plan_actions.add(action)  # as if linked by a bug or directly in the database
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "LAM-1" not in page
    assert "LDN-2" not in page


def test_the_public_strategy_page_lists_no_unpublished_programme(client, w, lambeth):
    import datetime as dt

    from tests.duty import factories as duty_f
    from vrhub.duty.models import Strategy

    partnership = duty_f.PartnershipFactory(area=lambeth)
    duty_f.StrategyFactory(
        partnership=partnership,
        state=Strategy.State.PUBLISHED,
        published_on=dt.date(2020, 6, 1),
        next_review=dt.date(2021, 6, 1),
    )
    response = client.get(reverse("transparency:duty_strategy", args=[lambeth.vru.code, lambeth.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "LAM-1" not in page
    assert "Programme LAM-1" not in page


def test_public_grants_hold_only_londons_own_published_grants_and_no_personal_data(client, w, london, other_vru):
    profile(london)
    profile(other_vru["vru"], prefix="360G-othervru")
    recipient = Recipient.objects.create(vru=london, name="Youth Trust", charity_number="1123456")
    Programme.objects.filter(vru=london).update(recipient=recipient, award_date="2020-05-01")
    response = client.get(reverse("transparency:programmes_grants_json", args=[london.code, 2020]))
    assert response.status_code == 200
    package = json.loads(response.content)
    assert offline_validator().is_valid(package)
    ids = [g["id"] for g in package["grants"]]
    text = response.content.decode()
    assert sorted(ids) == ["360G-londonvru-LDN-1-2020", "360G-londonvru-LDN-2-2020"]
    for word in ("LAM-1", "HAV-1", "Elsewhere", "X-1"):
        assert word not in text
    for user in User.objects.all():
        if user.email:
            assert user.email not in text
    xlsx = client.get(reverse("transparency:programmes_grants_xlsx", args=[london.code, 2020]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = [str(c.value) for row in book["grants"].iter_rows() for c in row if c.value is not None]
    assert not any("LAM-1" in c or "Elsewhere" in c for c in cells)


def test_public_pages_of_unknown_vru_or_year_are_404(client, w, london):
    profile(london)
    assert client.get("/public/VRU-NOPE/grants/").status_code == 404
    assert client.get(f"/public/{london.code}/grants/1999.json").status_code == 404
    assert client.get(f"/public/{london.code}/grants/2021.json").status_code == 404
    assert client.get(f"/public/{london.code}/grants/99999999999999999999.xlsx").status_code == 404


@pytest.mark.parametrize("evil", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"])
def test_exported_spreadsheet_cells_are_never_formulas(client, w, london, evil):
    profile(london)
    recipient = Recipient.objects.create(vru=london, name=evil)
    Programme.objects.filter(vru=london).update(recipient=recipient, award_date="2020-05-01", title=evil)
    xlsx = client.get(reverse("transparency:programmes_grants_xlsx", args=[london.code, 2020]))
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in "=+-@", (sheet.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    assert "'" + evil in texts  # the title (and recipient) written, made inert


# Crafted money, dates and texts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [
        "-1",
        "1e9",
        "1E3",
        "0.001",
        "£1,00,0",
        "1,50",
        "1_000",
        "NaN",
        "Infinity",
        "-0.00",
        "1234567890123",
        "5\x00",
        "١٢٣",
        " ",
        "0x10",
        "1.5.0",
    ],
)
def test_bad_programme_amounts_are_refused(w, hav_editor, amount):
    p = w["havering_programme"]
    before = _state()
    with pytest.raises(ValidationError) as caught:
        programme_services.programme_amount_save(
            programme=p, user=hav_editor, year=2020, amount=amount, version=p.version
        )
    assert "amount" in caught.value.message_dict
    assert _state() == before


@pytest.mark.parametrize(("amount", "expected"), [("12,500.50", "12500.50"), ("£60000", "60000.00"), ("0", "0.00")])
def test_good_programme_amounts_are_taken(w, hav_editor, amount, expected):
    p = w["havering_programme"]
    row = programme_services.programme_amount_save(
        programme=p, user=hav_editor, year=2020, amount=amount, version=p.version
    )
    assert row.amount == Decimal(expected)


@pytest.mark.parametrize("amount", ["-1", "1e9", "0.001", "£1,00,0", "NaN", "Infinity", "1234567890123", "5\x00"])
def test_bad_budget_amounts_are_refused(w, havering, hav_editor, amount):
    from vrhub.programmes.services import budgets as budget_services

    budget = w["havering_budget"]
    before = _state()
    with pytest.raises(ValidationError):
        budget_services.budget_update(
            budget=budget, user=hav_editor, data={"stated_income_total": amount}, version=budget.version
        )
    assert _state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"start_date": "2021-04-01", "end_date": "2020-04-01"},
        {"award_date": "2022-01-01", "end_date": "2021-03-31"},
        {"start_date": "2020-02-30"},
        {"end_date": "2020-04-01\x00"},
        {"title": "t\x00"},
        {"description": "x" * (4 * 1024 * 1024)},
        {"reference": "=HYPERLINK(1)"},
        {"reference": "LAM-1 "},
    ],
)
def test_bad_programme_details_are_refused(w, hav_editor, data):
    p = w["havering_programme"]
    before = _state()
    full = {"reference": "HAV-9", "title": "Title", **data}
    with pytest.raises(ValidationError):
        programme_services.programme_update(programme=p, user=hav_editor, data=full, version=p.version)
    assert _state() == before


def test_dates_cannot_leave_an_amount_outside_them(w, hav_editor):
    p = w["havering_programme"]  # 2020/21 amount
    before = _state()
    with pytest.raises(ValidationError) as caught:
        programme_services.programme_update(
            programme=p,
            user=hav_editor,
            data={"reference": "HAV-1", "title": "t", "start_date": "2021-04-01", "end_date": "2022-03-31"},
            version=p.version,
        )
    assert "start_date" in caught.value.message_dict
    assert _state() == before


def test_a_4mb_post_through_the_form_is_refused_without_500(client, w, hav_editor):
    client.force_login(hav_editor)
    p = w["havering_programme"]
    before = _state()
    response = client.post(
        reverse("programmes:programme_edit", args=[p.pk]),
        {"reference": "HAV-1", "title": "t", "description": "x" * (4 * 1024 * 1024), "version": str(p.version)},
    )
    assert response.status_code in (200, 400, 413)
    assert _state() == before


# The returns import ----------------------------------------------------------------------------------------------


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _row(reference="HAV-1", year="2020/21", quarter="Q2", direct="5", spend="13000", outputs="ok") -> str:
    return f"{reference},{year},{quarter},{direct},,,,,,,,{outputs},{spend}"


def _refused(user, content, filename="r.csv") -> list[str]:
    before = _state()
    with pytest.raises(ImportRefused) as caught:
        returns_import_preview(user=user, filename=filename, content=content)
    assert _state() == before
    return caught.value.errors


def test_import_with_another_boroughs_reference_does_not_reveal_it(w, hav_editor):
    lambeths = _refused(hav_editor, _csv(_row("LAM-1")))
    nowhere = _refused(hav_editor, _csv(_row("NOPE-1")))
    assert lambeths == [e.replace("NOPE-1", "LAM-1") for e in nowhere]
    vrus = _refused(hav_editor, _csv(_row("LDN-1")))
    assert vrus == [e.replace("NOPE-1", "LDN-1") for e in nowhere]


@pytest.mark.parametrize(
    ("content", "filename", "needle"),
    [
        (_csv(_row(outputs='=HYPERLINK("http://evil","x")')), "r.csv", "formula"),
        (_csv(_row(spend="@SUM(1)")), "r.csv", "formula"),
        (_csv(_row(spend="-1")), "r.csv", "must not be negative"),
        (_csv(_row(quarter="Q5")), "r.csv", "quarter"),
        (_csv(_row(year="1999")), "r.csv", "1999"),
        (_csv(_row(year="2101/02")), "r.csv", "2101"),
        (_csv(_row(year="2020/23")), "r.csv", "follow"),
        (_csv(_row(direct="NaN")), "r.csv", "whole number"),
        (_csv(_row(direct="1e9")), "r.csv", "whole number"),
        (_csv(_row(spend="NaN")), "r.csv", "pounds and pence"),
        (_csv(_row(spend="Infinity")), "r.csv", "pounds and pence"),
        (_csv(_row(spend="0.001")), "r.csv", "2 decimal places"),
        (_csv(_row(spend="1234567890123")), "r.csv", "at most"),
        (_csv(_row(), _row()), "r.csv", "twice"),
        (b"reference,year\nHAV-1,2020\n", "r.csv", "no column"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "r.csv", "NUL"),
        (b"\xff\xfe" + "reference".encode("utf-16-le"), "r.csv", "UTF-8"),
        (b"", "r.csv", "empty"),
        (b"PK\x03\x04garbage", "r.xlsx", ""),
        (_csv(*[_row(quarter=str(1 + i % 4), year=str(2000 + i // 4)) for i in range(10_001)]), "r.csv", "limit"),
    ],
)
def test_hostile_return_files_are_refused_naming_the_problem(w, hav_editor, content, filename, needle):
    errors = _refused(hav_editor, content, filename)
    assert errors
    assert needle in " ".join(errors)


def test_a_bom_csv_and_a_formula_xlsx(w, hav_editor):
    preview = returns_import_preview(user=hav_editor, filename="r.csv", content=b"\xef\xbb\xbf" + _csv(_row()))
    assert [r.programme.reference for r in preview.rows] == ["HAV-1"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(["HAV-1", "2020/21", "Q2", "=1+1", None, None, None, None, None, None, None, "x", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    errors = _refused(hav_editor, buffer.getvalue(), "r.xlsx")
    assert "formula" in " ".join(errors)


def test_a_zip_bomb_xlsx_is_refused(w, hav_editor):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<" + "a" * (200 * 1024 * 1024) + "/>")
    errors = _refused(hav_editor, buffer.getvalue(), "r.xlsx")
    assert errors


def _upload(client, content, name="r.csv"):
    return client.post(reverse("programmes:returns_import"), {"file": SimpleUploadedFile(name, content)})


def _token_and_fingerprint(page: str) -> tuple[str, str]:
    import re

    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)[1]
    return token, fingerprint


def test_confirming_twice_or_after_a_change_saves_once_or_nothing(client, w, hav_editor):
    client.force_login(hav_editor)
    p = w["havering_programme"]
    page = _upload(client, _csv(_row())).content.decode()
    token, fingerprint = _token_and_fingerprint(page)
    confirm = reverse("programmes:returns_import_confirm")
    client.post(confirm, {"token": token, "fingerprint": fingerprint})
    assert MonitoringReturn.objects.filter(programme=p, year=2020, quarter=2).count() == 1
    audit = AuditEntry.objects.count()
    response = client.post(confirm, {"token": token, "fingerprint": fingerprint}, follow=True)
    assert "expired or was already used" in response.content.decode()
    assert AuditEntry.objects.count() == audit
    # Upload a change, then the data changes underneath, then confirm: nothing saved.
    page = _upload(client, _csv(_row(quarter="Q3", spend="14000"))).content.decode()
    token, fingerprint = _token_and_fingerprint(page)
    MonitoringReturn.objects.filter(programme=p, year=2020, quarter=2).update(spend_to_date=Decimal("13500"))
    before = _state()
    response = client.post(confirm, {"token": token, "fingerprint": fingerprint}, follow=True)
    assert "changed since" in response.content.decode()
    assert _state() == before


def test_another_user_cannot_confirm_my_upload(client, w, hav_editor, lambeth_editor):
    client.force_login(hav_editor)
    page = _upload(client, _csv(_row())).content.decode()
    token, fingerprint = _token_and_fingerprint(page)
    client.force_login(lambeth_editor)
    before = _state()
    client.post(reverse("programmes:returns_import_confirm"), {"token": token, "fingerprint": fingerprint})
    assert _state() == before


def test_a_viewer_cannot_import(client, w, havering):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    assert _upload(client, _csv(_row())).status_code == 403
    assert client.post(reverse("programmes:returns_import_confirm"), {"token": "x"}).status_code == 403


# Stale forms and two workers at once --------------------------------------------------------------------------------


def test_stale_programme_and_return_forms_are_refused(client, w, hav_editor):
    client.force_login(hav_editor)
    p = w["havering_programme"]
    before = _state()
    response = client.post(
        reverse("programmes:programme_edit", args=[p.pk]), {"reference": "HAV-1", "title": "New", "version": "0"}
    )
    assert "Someone else changed" in response.content.decode()
    response = client.post(
        reverse("programmes:programme_amounts", args=[p.pk]), {"year": "2020", "amount": "1", "version": "0"}
    )
    assert "Someone else changed" in response.content.decode()
    response = client.post(
        reverse("programmes:return_edit", args=[p.pk, 2020, 1]), {"reached_direct": "3", "version": ""}
    )
    assert "changed by someone else" in response.content.decode()
    assert _state() == before


# Two workers at once: meaningful on PostgreSQL (scripts/with-postgres.sh); SQLite runs every write
# transaction one after the other, so there these tests only show the refusal, not the lock.


def _race(targets):
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
            results[i] = exc
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_programme_amount_one_wins_one_refused(programmes_world, havering):
    user = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)
    p = programmes_world["havering_programme"]
    version = p.version

    def save(amount):
        return lambda: programme_services.programme_amount_save(
            programme=Programme.objects.get(pk=p.pk), user=user, year=2021, amount=amount, version=version
        )

    Programme.objects.filter(pk=p.pk).update(end_date="2022-03-31")
    results = _race([save("1.00"), save("2.00")])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert ProgrammeAmount.objects.filter(programme=p, year=2021).count() == 1
    assert Programme.objects.get(pk=p.pk).version == version + 1


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_budget_line_one_wins_one_refused(programmes_world, havering):
    from vrhub.programmes.services import budgets as budget_services

    user = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)
    budget = programmes_world["havering_budget"]
    line = IncomeLine.objects.filter(budget=budget).first()
    version = budget.version

    def save(amount):
        return lambda: budget_services.income_line_save(
            budget=Budget.objects.get(pk=budget.pk),
            line=IncomeLine.objects.get(pk=line.pk),
            user=user,
            data={"source": "VRU grant", "amount": amount},
            version=version,
        )

    results = _race([save("1.00"), save("2.00")])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert Budget.objects.get(pk=budget.pk).version == version + 1


@pytest.mark.django_db(transaction=True)
def test_two_new_returns_for_the_same_quarter_make_one_return(programmes_world, havering):
    from vrhub.programmes.services.returns import return_save

    user = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)
    p = programmes_world["havering_programme"]

    def save(direct):
        return lambda: return_save(
            programme=p, user=user, year=2020, quarter=3, data={"reached_direct": direct}, version=""
        )

    results = _race([save("1"), save("2")])
    assert MonitoringReturn.objects.filter(programme=p, year=2020, quarter=3).count() == 1
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results


# The commands ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vru", "atlantis", "--year", "2020"], "No VRU"),
        (["--vru", "london", "--year", "1999"], "No such financial year"),
        (["--vru", "london", "--year", "20x0"], "No such financial year"),
        (["--vru", "london", "--year", "9" * 40], "No such financial year"),
        (["--vru", "VRU\x00", "--year", "2020"], "No VRU"),
        (["--vru", "VRU-X", "--year", "2020"], "no budget"),
    ],
)
def test_programmes_summary_refuses_clearly(w, other_vru, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("programmes_summary", *args, "--json", stdout=io.StringIO())


def test_programmes_summary_never_counts_another_vrus_programmes(w, other_vru):
    out = io.StringIO()
    call_command("programmes_summary", "--vru", "london", "--year", "2020", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["programmes"] == Programme.objects.filter(vru=w["vru_programme"].vru).count() == 4


def test_export_without_funder_profile_or_unknown_vru(w, other_vru, tmp_path):
    out = tmp_path / "g.json"
    with pytest.raises(CommandError, match="no funder profile"):
        call_command("export_360giving", "--vru", "VRU-X", "--year", "2020", "--out", str(out))
    with pytest.raises(CommandError, match="No VRU"):
        call_command("export_360giving", "--vru", "nowhere", "--year", "2020", "--out", str(out))
    assert not out.exists()


def test_export_to_a_full_device_fails_clearly_and_leaves_the_device(w, london, tmp_path):
    """``--out /dev/full``: a device node made in tmp (the same device as /dev/full), never the real one."""
    profile(london)
    Programme.objects.filter(vru=london).update(
        recipient=Recipient.objects.create(vru=london, name="Trust", charity_number="1123456"),
        award_date="2020-05-01",
    )
    device = tmp_path / "full"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("cannot make a device node here")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_360giving", "--vru", "london", "--year", "2020", "--out", str(device))
    assert stat.S_ISCHR(device.stat().st_mode), "the device was replaced by a regular file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_export_into_a_folder_it_cannot_write_fails_clearly(w, london, tmp_path):
    profile(london)
    Programme.objects.filter(vru=london).update(
        recipient=Recipient.objects.create(vru=london, name="Trust", charity_number="1123456"),
        award_date="2020-05-01",
    )
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.geteuid() == 0:
            # root writes anywhere: make the folder a file's name instead (mkstemp fails: not a directory).
            (tmp_path / "file").write_text("x")
            target = tmp_path / "file" / "g.json"
        else:
            target = folder / "g.json"
        with pytest.raises(CommandError, match="Cannot write"):
            call_command("export_360giving", "--vru", "london", "--year", "2020", "--out", str(target))
    finally:
        folder.chmod(0o700)


# Figures: no data is never 0 ------------------------------------------------------------------------------------------


def test_a_budget_without_lines_says_no_data_not_zero(client, w, havering, hav_editor):
    budget = w["havering_budget"]
    IncomeLine.objects.filter(budget=budget).delete()
    client.force_login(hav_editor)
    page = client.get(reverse("programmes:budget_list")).content.decode()
    table = page[page.index('data-testid="budgets"') :]
    row = table[table.index("Havering<span") :]
    row = row[: row.index("</tr>")]
    assert "No data" in row
    assert "£0" not in row
    detail = client.get(reverse("programmes:budget_detail", args=[havering.code, 2020])).content.decode()
    assert "No data: no income lines yet." in detail


def test_a_budget_whose_totals_do_not_add_up_shows_the_difference(client, w, havering, hav_editor):
    budget = w["havering_budget"]
    Budget.objects.filter(pk=budget.pk).update(stated_income_total=Decimal("260000.00"))
    client.force_login(hav_editor)
    detail = client.get(reverse("programmes:budget_detail", args=[havering.code, 2020])).content.decode()
    assert "10,000" in detail


# Commitments: a stale form never silently undoes a colleague's change ----------------------------------------------


def _commitment(havering):
    from vrhub.programmes.models import Commitment

    return Commitment.objects.create(
        owner=havering, vru=havering.vru, funder="The Mayor", source="Growth", year=2021, amount=Decimal("100.00")
    )


def test_a_stale_commitment_form_is_refused(client, w, havering, hav_editor):
    import re

    from vrhub.programmes.models import Commitment

    made = _commitment(havering)
    client.force_login(hav_editor)
    url = reverse("programmes:budget_commitment_edit", args=[havering.code, 2020, made.pk])
    page = client.get(url).content.decode()
    loaded = re.search(r'name="loaded" value="([^"]+)"', page)[1]
    form = {"funder": "The Mayor", "source": "Growth", "year": "2021", "loaded": loaded}
    assert client.post(url, {**form, "amount": "200"}).status_code == 302  # the first editor's save
    before = _state()
    response = client.post(url, {**form, "amount": "300"})  # the second editor, from the same old page
    assert "Someone else changed this commitment" in response.content.decode()
    assert Commitment.objects.get(pk=made.pk).amount == Decimal("200.00")
    assert _state() == before
    # The refused page carries the commitment as it is now: saving again from it works.
    fresh = re.search(r'name="loaded" value="([^"]+)"', response.content.decode())[1]
    assert client.post(url, {**form, "loaded": fresh, "amount": "300"}).status_code == 302
    assert Commitment.objects.get(pk=made.pk).amount == Decimal("300.00")


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_commitment_one_wins_one_refused(programmes_world, havering):
    from vrhub.programmes.models import Commitment
    from vrhub.programmes.selectors.budgets import commitment_fingerprint
    from vrhub.programmes.services import budgets as budget_services

    user = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)
    made = _commitment(havering)
    loaded = commitment_fingerprint(commitment=made)

    def save(amount):
        data = {"funder": "The Mayor", "source": "Growth", "year": "2021", "amount": amount}
        return lambda: budget_services.commitment_save(
            owner=havering, user=user, data=data, commitment=Commitment.objects.get(pk=made.pk), loaded=loaded
        )

    results = _race([save("1.00"), save("2.00")])
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1, results


# More places another borough's data could leak through ---------------------------------------------------------------


def test_havering_reports_and_evaluation_list_leave_out_lambeths_programmes(client, w, hav_editor):
    import docx

    client.force_login(hav_editor)
    for url in (
        reverse("programmes:reports") + "?year=2020",
        reverse("programmes:evaluation_priorities") + "?sort=gap",
        reverse("programmes:index") + "?year=2020",
        reverse("programmes:logic_model"),
    ):
        page = client.get(url).content.decode()
        assert "Programme LAM-1" not in page, url
        assert "Programme LDN-2" not in page, url
    document = docx.Document(io.BytesIO(client.get(reverse("programmes:report_docx", args=[2020])).content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Programme HAV-1" in text
    assert "Programme LAM-1" not in text
    assert "Programme LDN-2" not in text


@pytest.mark.parametrize(
    "query",
    [
        "?year=99999999999999999999",
        "?year=abc&area=%00&owner=" + "x" * 5000,
        "?theme=-1&evaluation=zzz&source=%00",
        "?sort=;DROP",
        "?area=E09000022",
    ],
)
def test_garbage_filters_never_500_nor_leak(client, w, hav_editor, query):
    client.force_login(hav_editor)
    for name in ("programmes:index", "programmes:evaluation_priorities", "programmes:reports"):
        response = client.get(reverse(name) + query)
        assert response.status_code in (200, 400, 404), (name, query, response.status_code)
        assert "Programme LAM-1" not in response.content.decode()


def test_london_cannot_add_nodes_to_another_vrus_logic_model(client, w, other_vru, vru_officer):
    client.force_login(vru_officer)
    before = _state()
    url = reverse("programmes:logic_node_new", args=["VRU-X", "objective"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"number": "9", "title": "Pwned"}).status_code == 404
    for method in ("get", "post"):
        assert (
            getattr(client, method)(reverse("programmes:logic_node_edit", args=[other_vru["node"].pk])).status_code
            == 404
        )
    assert _state() == before


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,<script>", "ftp://x.example/r.pdf", "https://" + "a" * 600]
)
def test_an_evaluation_report_link_must_be_a_web_address(w, hav_editor, link):
    from vrhub.programmes.services.evaluation import programme_evaluation_update

    p = w["havering_programme"]
    before = _state()
    data = {"evaluation_status": "reported", "evaluator": "E", "findings": "F", "report_url": link}
    with pytest.raises(ValidationError) as caught:
        programme_evaluation_update(programme=p, user=hav_editor, data=data, version=p.version)
    assert "report_url" in caught.value.message_dict
    assert _state() == before


def test_an_income_split_beyond_the_amount_and_a_commitment_in_2101_are_refused(w, havering, hav_editor):
    from vrhub.programmes.services import budgets as budget_services

    budget = w["havering_budget"]
    before = _state()
    with pytest.raises(ValidationError) as caught:
        budget_services.income_line_save(
            budget=budget,
            user=hav_editor,
            data={"source": "Duty grant", "amount": "100", "labour_amount": "60", "non_labour_amount": "41"},
            version=budget.version,
        )
    assert "labour_amount" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        budget_services.commitment_save(
            owner=havering, user=hav_editor, data={"funder": "M", "source": "S", "year": "2101", "amount": "1"}
        )
    assert "year" in caught.value.message_dict
    assert _state() == before


def test_a_stale_recipient_form_is_refused(client, w, london, hav_editor, lambeth_editor):
    """Recipients are shared by the VRU's and its areas' editors: Lambeth's correction must not be undone by a
    Havering editor saving a page opened before it."""
    import re

    trust = Recipient.objects.create(vru=london, name="Youth Trust", charity_number="1123456")
    url = reverse("programmes:recipient_edit", args=[trust.pk])
    client.force_login(hav_editor)
    page = client.get(url).content.decode()
    loaded = re.search(r'name="loaded" value="([^"]+)"', page)[1]
    client.force_login(lambeth_editor)
    assert client.post(url, {"name": "Youth Trust", "charity_number": "1123457", "loaded": loaded}).status_code == 302
    client.force_login(hav_editor)
    before = _state()
    response = client.post(url, {"name": "Youth Trust Ltd", "charity_number": "1123456", "loaded": loaded})
    assert "Someone else changed this organisation" in response.content.decode()
    assert _state() == before
    fresh = re.search(r'name="loaded" value="([^"]+)"', response.content.decode())[1]
    assert (
        client.post(url, {"name": "Youth Trust Ltd", "charity_number": "1123457", "loaded": fresh}).status_code == 302
    )
    assert Recipient.objects.get(pk=trust.pk).name == "Youth Trust Ltd"


@pytest.mark.parametrize("spend", ["130,00", "1,30,00,0", "£13,00,0", "13,0000", ",13000", "1.3e4", "١٣٠٠٠", "13_000"])
def test_a_misplaced_comma_in_a_returns_spend_is_refused_not_misread(w, hav_editor, spend):
    """ "130,00" typed the European way (£130) must not become £13,000.00. (Every reading here is above Q1's
    £12,000, so the refusal can only be about how it is written.)"""
    errors = _refused(hav_editor, _csv(_row(spend=f'"{spend}"')))
    assert len(errors) == 1
    assert "(spend_to_date): Spend to date must be an amount in pounds and pence" in errors[0]


@pytest.mark.parametrize("direct", ["1,5", "1,00,0", ",5", "١٢"])
def test_a_misplaced_comma_in_a_returns_count_is_refused(w, hav_editor, direct):
    errors = _refused(hav_editor, _csv(_row(direct=f'"{direct}"')))
    assert len(errors) == 1
    assert "(reached_direct): Enter the number of people reached directly as a whole number" in errors[0]


@pytest.mark.parametrize(("spend", "direct"), [("13,000.50", "1,200"), ("£13000", "5")])
def test_well_grouped_figures_in_returns_are_taken(w, hav_editor, spend, direct):
    preview = returns_import_preview(
        user=hav_editor, filename="r.csv", content=_csv(_row(spend=f'"{spend}"', direct=f'"{direct}"'))
    )
    values = preview.rows[0].values
    assert values["spend_to_date"] == Decimal(spend.replace(",", "").removeprefix("£"))
    assert values["reached_direct"] == int(direct.replace(",", ""))


@pytest.mark.django_db(transaction=True)
def test_two_boroughs_setting_up_the_same_reference_at_once_get_a_clear_refusal(
    programmes_world, havering, lambeth, monkeypatch
):
    import time

    real = programme_services._details

    def slow(*args, **kwargs):  # both check the reference is free before either writes it
        values = real(*args, **kwargs)
        time.sleep(0.5)
        return values

    monkeypatch.setattr(programme_services, "_details", slow)
    hav = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)
    lam = UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)

    def create(owner, user, reference):
        return lambda: programme_services.programme_create(
            owner=owner, user=user, data={"reference": reference, "title": "Joint"}
        )

    for hav_ref, lam_ref in (("JOINT-1", "JOINT-1"), ("JOINT-2", "joint-2")):
        results = _race([create(havering, hav, hav_ref), create(lambeth, lam, lam_ref)])
        assert [type(r).__name__ for r in results].count("Programme") == 1, results
        refused = [r for r in results if not isinstance(r, Programme)]
        assert isinstance(refused[0], ValidationError), results
        assert "reference" in refused[0].message_dict
        assert Programme.objects.filter(reference__iexact=hav_ref).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_the_same_recipient_at_once_get_a_clear_refusal(programmes_world, havering, lambeth):
    from vrhub.programmes.services.recipients import recipient_create

    hav = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR)
    lam = UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)

    def create(user):
        return lambda: recipient_create(vru=havering.vru, user=user, data={"name": "Same Trust"})

    results = _race([create(hav), create(lam)])
    assert [type(r).__name__ for r in results].count("Recipient") == 1, results
    refused = [r for r in results if not isinstance(r, Recipient)]
    assert isinstance(refused[0], ValidationError), results
    assert Recipient.objects.filter(name="Same Trust").count() == 1
