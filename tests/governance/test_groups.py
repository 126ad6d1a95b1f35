"""Setting up a group and its terms of reference: the services' checks, audit, version check and lock;
the pages (editable for editors, read-only for lookers)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.governance.models import Group
from vrhub.governance.services import groups

pytestmark = pytest.mark.django_db

TERMS = {
    "name": "Havering Community Safety Partnership Board",
    "slug": "havering-board",
    "purpose": "To reduce violence in Havering.",
    "frequency": "quarterly",
    "quorum_numerator": 1,
    "quorum_denominator": 3,
    "quorum_rounding": "more_than",
    "required_roles": ["police", "chair_or_deputy"],
    "remote_counts": False,
    "decision_mode": "vote",
    "dissent_recorded": False,
    "agenda_days_before": 7,
    "minutes_published": True,
    "equality_statement_required": True,
    "community_target_percent": 25,
}


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict


def test_create_saves_every_term_and_audits(editor, havering, london):
    group = groups.group_create(owner=havering, user=editor, data=TERMS)
    group.refresh_from_db()
    assert (group.owner, group.vru) == (havering, london)
    assert group.quorum_rounding == "more_than" and group.remote_counts is False
    # Roles are kept in the catalogue's order, each once.
    assert group.required_roles == ["chair_or_deputy", "police"]
    entries = AuditEntry.objects.filter(object_type="governance.group", object_id=str(group.pk))
    assert set(entries.values_list("action", flat=True)) == {AuditEntry.Action.CREATE}
    assert entries.get(field="slug").new == "havering-board"
    assert set(entries.values_list("actor", flat=True)) == {editor.pk}


def test_create_refused_for_another_owner_and_for_viewers(editor, havering, london):
    with pytest.raises(PermissionDenied):
        groups.group_create(owner=london, user=editor, data=TERMS)
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    with pytest.raises(PermissionDenied):
        groups.group_create(owner=havering, user=viewer, data=TERMS)
    assert not Group.objects.filter(slug="havering-board").exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"quorum_numerator": 3, "quorum_denominator": 2}, "quorum_numerator", "must not be more than its bottom"),
        ({"quorum_denominator": 101}, "quorum_denominator", "between 1 and 100"),
        ({"slug": "x" * 51}, "slug", "50 characters or fewer (it has 51)"),
        ({"slug": "Has Spaces"}, "slug", "lower-case letters"),
        ({"slug": "new"}, "slug", "used by the service"),
        ({"name": ""}, "name", "Enter the group's name"),
        ({"name": "n" * 201}, "name", "200 characters or fewer"),
        ({"community_target_percent": 101}, "community_target_percent", "between 0 and 100 (it is 101)"),
        ({"agenda_days_before": 61}, "agenda_days_before", "between 0 and 60"),
        ({"frequency": "fortnightly"}, "frequency", "from the list"),
        ({"required_roles": ["mayor"]}, "required_roles", "from the list"),
        ({"purpose": "p" * 20_001}, "purpose", "20,000 characters or fewer"),
    ],
)
def test_create_names_the_field_and_the_limit(editor, havering, change, field, words):
    with pytest.raises(ValidationError) as caught:
        groups.group_create(owner=havering, user=editor, data={**TERMS, **change})
    assert words in " ".join(_errors(caught.value)[field])
    assert not Group.objects.filter(owner=havering).exists()


def test_slug_must_be_unique(editor, havering, prg):
    with pytest.raises(ValidationError) as caught:
        groups.group_create(owner=havering, user=editor, data={**TERMS, "slug": "prg"})
    assert "already used" in _errors(caught.value)["slug"][0]


def test_update_audits_old_and_new_and_bumps_version(editor, havering_board):
    before = havering_board.version
    data = {**TERMS, "slug": havering_board.slug, "name": havering_board.name}
    saved = groups.group_update(group=havering_board, user=editor, data=data, version=before)
    assert saved.version == before + 1
    entry = AuditEntry.objects.get(
        object_type="governance.group", object_id=str(havering_board.pk), field="decision_mode"
    )
    assert (entry.old, entry.new, entry.actor_id) == ("consensus", "vote", editor.pk)
    assert not AuditEntry.objects.filter(
        object_type="governance.group", object_id=str(havering_board.pk), field="name"
    ).exists()


def test_stale_version_refused_and_nothing_saved(editor, havering_board):
    data = {**TERMS, "slug": havering_board.slug, "name": "Renamed"}
    with pytest.raises(ValidationError) as caught:
        groups.group_update(group=havering_board, user=editor, data=data, version=havering_board.version - 1)
    assert "Someone else changed" in _errors(caught.value)["version"][0]
    havering_board.refresh_from_db()
    assert havering_board.name != "Renamed"


def test_update_refused_for_lookers(havering_board, havering):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    with pytest.raises(PermissionDenied):
        groups.group_update(group=havering_board, user=viewer, data=TERMS, version=havering_board.version)


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="the database has no row locks")
def test_update_locks_the_group_row(editor, havering_board):
    data = {**TERMS, "slug": havering_board.slug}
    with CaptureQueriesContext(connection) as queries:
        groups.group_update(group=havering_board, user=editor, data=data, version=havering_board.version)
    assert any("FOR UPDATE" in q["sql"] and "governance_group" in q["sql"] for q in queries.captured_queries)


# Pages ---------------------------------------------------------------------------------------------


def _form(group, **change):
    data = {**TERMS, "name": group.name, "slug": group.slug, "version": str(group.version), **change}
    return {k: v for k, v in data.items() if v is not False}


def test_viewer_sees_terms_read_only_with_the_rule_in_words(client, havering_board, havering):
    havering_board.required_roles = ["chair_or_deputy", "police"]
    havering_board.save()
    client.force_login(UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER))
    page = client.get(reverse("governance:group_edit", args=[havering_board.slug])).content.decode()
    assert 'name="slug"' not in page
    # The words of seed 003's rule, as a person reads them (not a code).
    assert "half the members, rounded up to the next whole number" in page
    assert "the Chair or Deputy Chair and a police representative" in page
    assert "chair_or_deputy" not in page


def test_editor_saves_terms_and_a_stale_form_keeps_what_was_typed(client, editor, havering_board):
    client.force_login(editor)
    url = reverse("governance:group_edit", args=[havering_board.slug])
    stale = _form(havering_board, name="Typed Name")
    groups.group_update(
        group=havering_board, user=editor, data={**TERMS, "slug": havering_board.slug}, version=havering_board.version
    )
    response = client.post(url, stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed these terms of reference" in page
    assert 'value="Typed Name"' in page
    havering_board.refresh_from_db()
    assert havering_board.name == TERMS["name"]
    # The page now carries the current version: sending it again saves.
    response = client.post(url, {**stale, "version": str(havering_board.version)})
    assert response.status_code == 302
    havering_board.refresh_from_db()
    assert havering_board.name == "Typed Name"


def test_editor_sets_up_a_group(client, editor, havering):
    client.force_login(editor)
    response = client.post(reverse("governance:group_new"), _form(Group(name="Board", slug="new-board", version=1)))
    assert response.status_code == 302
    assert Group.objects.get(slug="new-board").owner == havering


def test_form_error_names_the_field(client, editor, havering):
    client.force_login(editor)
    response = client.post(
        reverse("governance:group_new"), _form(Group(name="Board", slug="b", version=1), quorum_numerator="5")
    )
    assert response.status_code == 200
    assert "must not be more than its bottom number" in response.content.decode()
