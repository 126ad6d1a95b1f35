"""The governance index and a group's page: who sees which groups, and the page's counts checked against the
rows themselves."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.governance import factories as f
from vrhub.accounts.models import User
from vrhub.governance.catalogue import ActionStatus, Sector
from vrhub.governance.models import Action, Member

pytestmark = pytest.mark.django_db


def test_borough_index_lists_its_own_board_only(client, governance_world, editor):
    client.force_login(editor)
    page = client.get(reverse("governance:index")).content.decode()
    assert "Havering Community Safety Partnership Board" in page
    assert "Safer Lambeth Partnership Board" not in page
    assert "Partnership Reference Group" not in page
    assert "Set up a group" in page


def test_vru_index_lists_every_group_of_its_vru(client, governance_world, vru_clerk, mopac_officer):
    for user in (vru_clerk, mopac_officer):
        client.force_login(user)
        page = client.get(reverse("governance:index")).content.decode()
        for name in ("Havering Community Safety", "Safer Lambeth", "Partnership Reference Group"):
            assert name in page
    assert "Set up a group" not in page  # MOPAC looks, it does not set groups up


def test_group_page_counts_match_the_rows(client, prg, vru_clerk):
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    f.MemberFactory(group=prg, name="Former Member", sector=Sector.COMMUNITY, term_end=today - 400 * day)
    f.MemberFactory(group=prg, name="Future Member", sector=Sector.COMMUNITY, term_start=today + 10 * day)
    f.MemberFactory(group=prg, name="Youth Member", sector=Sector.YOUTH)
    past = f.meeting_with_items(group=prg, date=today - 90 * day)
    upcoming = f.meeting_with_items(group=prg, date=today + 30 * day)
    f.ActionFactory(meeting=past, deadline=today - 60 * day)  # overdue
    f.ActionFactory(meeting=past, deadline=None)  # ongoing, no deadline
    f.ActionFactory(meeting=past, deadline=today + 90 * day)
    f.ActionFactory(meeting=past, status=ActionStatus.COMPLETE, completed_on=today - 50 * day)
    in_office = [
        m
        for m in Member.objects.filter(group=prg)
        if (m.term_end is None or m.term_end >= today) and (m.term_start is None or m.term_start <= today)
    ]
    community = sum(1 for m in in_office if m.sector == Sector.COMMUNITY)
    open_actions = [a for a in Action.objects.filter(meeting__group=prg) if a.status == ActionStatus.ONGOING]
    overdue = [a for a in open_actions if a.deadline is not None and a.deadline < today]
    client.force_login(vru_clerk)
    page = client.get(reverse("governance:group", args=["prg"])).content.decode()
    assert f"{len(in_office)} members, {community} from the voluntary and community sector" in page
    assert f"{len(open_actions)} open actions, <strong>{len(overdue)} overdue</strong>" in page
    assert reverse("governance:meeting", args=["prg", past.pk]) in page
    for meeting in (past, upcoming):
        assert f"{meeting.date.day} {meeting.date:%B %Y}" in page
    assert reverse("governance:meeting", args=["prg", upcoming.pk]) in page


def test_group_page_is_404_for_another_borough_and_for_a_crafted_slug(client, governance_world, london):
    lambeth_viewer = UserFactory(organisation=governance_world["lambeth"]["group"].owner, role=User.Role.BOROUGH_VIEWER)
    client.force_login(lambeth_viewer)
    assert client.get(reverse("governance:group", args=["havering-csp"])).status_code == 404
    assert client.get("/governance/" + "x" * 300 + "/").status_code == 404
    assert client.get("/governance/prg%00/").status_code == 404


def test_group_page_queries_do_not_grow_with_meetings(client, prg, vru_clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(vru_clerk)
    url = reverse("governance:group", args=["prg"])
    counts = []
    for n in (1, 12):
        for i in range(n):
            f.ActionFactory(meeting=f.MeetingFactory(group=prg))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
