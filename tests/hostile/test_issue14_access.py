"""Break-it pass on issue 14 (partnership governance): other boroughs' ids behind one's own slug, forged form
choices, GETs that change state, the Duty link. Each test asserts the secure behaviour; a failing one is
xfail(strict=True) with the fault it shows."""
# Fixtures imported from tests/governance are parameters below:
# ruff: noqa: F811

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.governance import factories as f
from tests.governance.conftest import (  # noqa: F401
    governance_world,
    havering_board,
    lambeth,
    lambeth_board,
    mopac_officer,
    prg,
    vru_clerk,
)
from vrhub.accounts.models import User
from vrhub.governance.models import Action, AttendanceRecord, Dissent, Interest, Member, Substitute
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _user(code, role=User.Role.BOROUGH_EDITOR, office=""):
    if code in ("VRU-X", "PCC-X") and not Organisation.objects.filter(code="VRU-X").exists():
        other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
        Organisation.objects.create(kind=Organisation.Kind.POLICING_BODY, code="PCC-X", name="Other PCC", vru=other_vru)
    return UserFactory(organisation=Organisation.objects.get(code=code), role=role, office=office)


@pytest.fixture
def gw(governance_world):
    return governance_world


@pytest.fixture
def hav_editor(gw):
    return _user("E09000016")


def _mixed_urls(w):
    """Havering's slug with Lambeth's (or the PRG's) ids: every URL that takes an id."""
    hav = "havering-csp"
    out = []
    for key in ("lambeth", "prg"):
        mt, mem, act = w[key]["meeting"].pk, w[key]["member"].pk, w[key]["action"].pk
        out += [
            ("get", reverse("governance:meeting", args=[hav, mt])),
            ("get", reverse("governance:attendance", args=[hav, mt])),
            ("post", reverse("governance:attendance", args=[hav, mt])),
            ("get", reverse("governance:quorum", args=[hav, mt])),
            ("get", reverse("governance:attendance_import", args=[hav, mt])),
            ("post", reverse("governance:attendance_import_confirm", args=[hav, mt])),
            ("get", reverse("governance:item_edit", args=[hav, mt, 1])),
            ("get", reverse("governance:item_paper", args=[hav, mt, 1])),
            ("post", reverse("governance:item_remove", args=[hav, mt, 1])),
            ("post", reverse("governance:item_move", args=[hav, mt, 1])),
            ("get", reverse("governance:item_minutes", args=[hav, mt, 1])),
            ("post", reverse("governance:item_dissent", args=[hav, mt, 1])),
            ("post", reverse("governance:item_interest", args=[hav, mt, 1])),
            ("post", reverse("governance:publish_agenda", args=[hav, mt])),
            ("post", reverse("governance:approve_minutes", args=[hav, mt])),
            ("post", reverse("governance:publish_minutes", args=[hav, mt])),
            ("get", reverse("governance:member", args=[hav, mem])),
            ("post", reverse("governance:member_edit", args=[hav, mem])),
            ("post", reverse("governance:member_remove", args=[hav, mem])),
            ("post", reverse("governance:substitute_add", args=[hav, mem])),
            ("post", reverse("governance:interest_add", args=[hav, mem])),
            ("get", reverse("governance:action", args=[hav, act])),
            ("post", reverse("governance:action_edit", args=[hav, act])),
            ("post", reverse("governance:action_update", args=[hav, act])),
            ("post", reverse("governance:action_remove", args=[hav, act])),
            ("get", reverse("governance:actions", args=[hav]) + f"?meeting={mt}"),
            ("get", reverse("governance:actions_download", args=[hav, "pdf"]) + f"?meeting={mt}"),
            ("get", reverse("governance:action_new", args=[hav]) + f"?meeting={mt}"),
            ("post", reverse("governance:action_new", args=[hav]) + f"?meeting={mt}"),
        ]
    return out


def _state():
    return (
        list(Action.objects.order_by("pk").values()),
        list(Member.objects.order_by("pk").values()),
        list(AttendanceRecord.objects.order_by("pk").values()),
        Dissent.objects.count(),
        Interest.objects.count(),
        Substitute.objects.count(),
    )


def test_havering_slug_with_lambeth_or_prg_ids_is_404_and_changes_nothing(client, gw, hav_editor):
    client.force_login(hav_editor)
    before = _state()
    wrong = []
    for method, url in _mixed_urls(gw):
        data = {"version": "1", "text": "x", "owner": "x", "name": "x"} if method == "post" else None
        response = getattr(client, method)(url, data)
        if response.status_code != 404:
            wrong.append((method, url, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
    assert _state() == before


@pytest.mark.parametrize(
    "who",
    [
        ("VRU-X", User.Role.VRU_ADMIN, ""),
        ("PCC-X", User.Role.POLICING_BODY, ""),
        ("E09000022", User.Role.BOROUGH_EDITOR, ""),
        ("E09000022", User.Role.SIGNATORY, User.Office.CHIEF_EXECUTIVE),
        ("MPS-AS", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    ],
)
def test_outsiders_get_404_on_havering_even_with_their_own_ids(client, gw, who):
    """Another VRU, another policing body, Lambeth's editor and signatory, another BCU: Havering's slug with
    Havering's own ids and with Lambeth's ids."""
    client.force_login(_user(*who))
    hav = gw["havering"]
    for meeting in (hav["meeting"], gw["lambeth"]["meeting"]):
        for url in (
            reverse("governance:meeting", args=["havering-csp", meeting.pk]),
            reverse("governance:quorum", args=["havering-csp", meeting.pk]),
            reverse("governance:item_paper", args=["havering-csp", meeting.pk, 1]),
        ):
            assert client.get(url).status_code == 404, url
    assert client.post(reverse("governance:members_import_confirm", args=["havering-csp"])).status_code == 404


def test_mopac_changes_nothing_on_the_prg(client, gw, mopac_officer):
    client.force_login(mopac_officer)
    w = gw["prg"]
    before = _state()
    for url in (
        reverse("governance:member_edit", args=["prg", w["member"].pk]),
        reverse("governance:attendance", args=["prg", w["meeting"].pk]),
        reverse("governance:publish_agenda", args=["prg", w["meeting"].pk]),
        reverse("governance:action_remove", args=["prg", w["action"].pk]),
        reverse("governance:group_edit", args=["prg"]),
        reverse("governance:members_import_confirm", args=["prg"]),
    ):
        assert client.post(url, {"version": "1"}).status_code == 403, url
    assert _state() == before


def test_dissent_removal_with_another_items_dissent_id_is_404(client, gw, hav_editor):
    """Item 1's URL with item 2's dissent id (same meeting), and with Lambeth's dissent id."""
    meeting = gw["havering"]["meeting"]
    item2 = meeting.items.get(number=2)
    own = Dissent.objects.create(item=item2, member=gw["havering"]["member"], text="I disagree")
    lam = Dissent.objects.create(item=gw["lambeth"]["item"], member=gw["lambeth"]["member"], text="Lambeth no")
    client.force_login(hav_editor)
    for pk in (own.pk, lam.pk):
        url = reverse("governance:dissent_remove", args=["havering-csp", meeting.pk, 1, pk])
        assert client.post(url, {"version": str(meeting.version)}).status_code == 404
    assert Dissent.objects.count() == 2


def test_substitute_and_interest_of_another_member_cannot_be_removed(client, gw, hav_editor):
    hav_member = gw["havering"]["member"]
    lam_member = gw["lambeth"]["member"]
    sub = Substitute.objects.create(member=lam_member, name="Lambeth Deputy")
    interest = Interest.objects.create(member=lam_member, description="Trustee", declared_on=dt.date(2026, 1, 1))
    client.force_login(hav_editor)
    assert (
        client.post(reverse("governance:substitute_remove", args=["havering-csp", hav_member.pk, sub.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("governance:interest_remove", args=["havering-csp", hav_member.pk, interest.pk])
        ).status_code
        == 404
    )
    assert Substitute.objects.filter(pk=sub.pk).exists() and Interest.objects.filter(pk=interest.pk).exists()


def test_forged_choices_in_dissent_interest_and_action_forms_are_refused(client, gw, hav_editor):
    """A Lambeth member in the dissent / interest forms, an item of another meeting in the action form."""
    meeting = gw["havering"]["meeting"]
    other_meeting = f.meeting_with_items(group=gw["havering"]["group"], date=dt.date(2026, 6, 1))
    client.force_login(hav_editor)
    before = _state()
    lam_member = gw["lambeth"]["member"].pk
    url = reverse("governance:item_dissent", args=["havering-csp", meeting.pk, 1])
    r = client.post(url, {"dissent-member": lam_member, "dissent-text": "No", "dissent-version": meeting.version})
    assert r.status_code in (200, 400) and "Choose a member of the group" in r.content.decode()
    url = reverse("governance:item_interest", args=["havering-csp", meeting.pk, 1])
    r = client.post(
        url, {"interest-member": lam_member, "interest-description": "x", "interest-version": meeting.version}
    )
    assert r.status_code in (200, 400) and "Choose a member of the group" in r.content.decode()
    for item in (other_meeting.items.get(number=1), gw["lambeth"]["item"]):
        url = reverse("governance:action_new", args=["havering-csp"]) + f"?meeting={meeting.pk}"
        r = client.post(url, {"item": item.pk, "text": "Forged", "owner": "Clerk", "deadline": ""})
        assert r.status_code == 200 and "Choose an agenda item of the meeting" in r.content.decode()
    action = gw["havering"]["action"]
    url = reverse("governance:action_edit", args=["havering-csp", action.pk])
    r = client.post(
        url, {"item": gw["lambeth"]["item"].pk, "text": "Forged", "owner": "Clerk", "version": action.version}
    )
    assert r.status_code == 200
    assert _state() == before


def test_forged_office_and_sector_codes_are_refused(client, gw, hav_editor):
    member = gw["havering"]["member"]
    client.force_login(hav_editor)
    before = Member.objects.get(pk=member.pk)
    for field, value in (("office", "king"), ("sector", "<script>"), ("quorum_role", "police\x00")):
        data = {
            "name": member.name,
            "office": "member",
            "sector": "other",
            "quorum_role": "",
            "version": "1",
            field: value,
        }
        r = client.post(reverse("governance:member_edit", args=["havering-csp", member.pk]), data)
        assert r.status_code in (200, 400), (field, r.status_code)
    after = Member.objects.get(pk=member.pk)
    assert (after.office, after.sector, after.quorum_role) == (before.office, before.sector, before.quorum_role)


def test_gets_never_change_state(client, gw, hav_editor):
    w = gw["havering"]
    meeting = w["meeting"]
    client.force_login(hav_editor)
    before = _state()
    for url in (
        reverse("governance:publish_agenda", args=["havering-csp", meeting.pk]),
        reverse("governance:publish_minutes", args=["havering-csp", meeting.pk]),
        reverse("governance:item_remove", args=["havering-csp", meeting.pk, 1]) + "?version=1",
        reverse("governance:member_remove", args=["havering-csp", w["member"].pk]) + "?version=1",
        reverse("governance:action_remove", args=["havering-csp", w["action"].pk]) + "?version=1",
        reverse("governance:members_import_confirm", args=["havering-csp"]),
        reverse("governance:attendance_import_confirm", args=["havering-csp", meeting.pk]),
    ):
        assert client.get(url).status_code in (200, 405), url
    meeting.refresh_from_db()
    assert meeting.agenda_published_on is None and meeting.items.count() == 3
    assert _state() == before


def test_html_in_names_is_escaped(client, gw, hav_editor):
    member = gw["havering"]["member"]
    Member.objects.filter(pk=member.pk).update(name="<script>alert(1)</script>", organisation="<b>org</b>")
    client.force_login(hav_editor)
    for url in (
        reverse("governance:member", args=["havering-csp", member.pk]),
        reverse("governance:members", args=["havering-csp"]),
        reverse("governance:attendance", args=["havering-csp", gw["havering"]["meeting"].pk]),
        reverse("governance:quorum", args=["havering-csp", gw["havering"]["meeting"].pk]),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body and "<b>org</b>" not in body, url


def test_duty_partnership_cannot_name_another_boroughs_group(gw):
    from django.core.exceptions import ValidationError

    from vrhub.duty.services.partnership import partnership_create

    havering = Organisation.objects.get(code="E09000016")
    editor = _user("E09000016")
    for group in (gw["lambeth"]["group"], gw["prg"]["group"]):
        with pytest.raises(ValidationError):
            partnership_create(area=havering, user=editor, data={"lead_body": "Council", "owning_group": group})


def test_member_edit_from_a_stale_page_does_not_undo_a_colleagues_change(client, gw, hav_editor):
    """Two clerks open the same member; one ends the term, the other (page loaded before) corrects the title.
    The second save must not silently put the old term end back (every other governance form has a version)."""
    member = gw["havering"]["member"]
    url = reverse("governance:member_edit", args=["havering-csp", member.pk])
    client.force_login(hav_editor)
    page = client.get(url)
    initial = page.context["form"].initial
    stale = {k: ("" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v)) for k, v in initial.items()}
    Member.objects.filter(pk=member.pk).update(term_end=dt.date(2026, 2, 1))  # the colleague's save
    stale["title"] = "Corrected title"
    client.post(url, stale)
    assert Member.objects.get(pk=member.pk).term_end == dt.date(2026, 2, 1)
