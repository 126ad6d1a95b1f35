"""Selectors raise the domain NotFound; pages answer it with 404, commands with a one-line CommandError."""

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from vrhub.core.exceptions import NotFound
from vrhub.core.middleware import NotFoundMiddleware

pytestmark = pytest.mark.django_db


def test_middleware_turns_not_found_into_http404_and_leaves_other_errors_alone():
    middleware = NotFoundMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    with pytest.raises(Http404, match="No such theme"):
        middleware.process_exception(request, NotFound("No such theme"))
    assert middleware.process_exception(request, ValueError("boom")) is None


def test_pages_answer_a_selectors_not_found_with_404(client, plan, editor):
    client.force_login(editor)
    assert client.get(reverse("plans:theme", args=[plan.pk, "NOPE"])).status_code == 404
    assert client.get(reverse("cycle:quarter_theme", args=[plan.pk, 9, "ANE"])).status_code == 404
    assert client.get(reverse("plans:documents", args=[plan.pk, 10**9])).status_code == 404
    assert client.get(reverse("plans:theme", args=[plan.pk, "ANE"])).status_code == 200


def test_commands_answer_not_found_with_the_same_one_line_reason(plan):
    for command in ("plan_check", "plan_status", "export_plan"):
        extra = ["--out", "/tmp/x.xlsx"] if command == "export_plan" else []
        with pytest.raises(CommandError, match=r"^Havering \(E09000016\) has no plan for 1999\.$"):
            call_command(command, "--area", "E09000016", "--year", "1999", *extra)
        with pytest.raises(CommandError, match=r"^Unknown area 'NOPE'"):
            call_command(command, "--area", "NOPE", "--year", "2021", *extra)
