"""Sign-in lock-outs key on the client's real address behind our proxy, never on a client's own claim."""

import pytest
from django.test import RequestFactory

from vrhub.core.http import client_ip


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.5", "203.0.113.66", "10.0.0.5"),  # no proxy: the header is the client's claim
        (1, "127.0.0.1", "203.0.113.66", "203.0.113.66"),
        (1, "127.0.0.1", "6.6.6.6, 203.0.113.66", "203.0.113.66"),  # a spoofed entry on the left is ignored
        (2, "127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.1.1", "198.51.100.7"),
        (1, "127.0.0.1", "", "127.0.0.1"),
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_lock_out_behind_the_proxy_locks_the_attacker_not_everyone(client, settings, london):
    from tests.factories import UserFactory
    from vrhub.accounts.models import User

    settings.PROXY_COUNT = 1
    user = UserFactory(username="target", organisation=london, role=User.Role.VRU_REVIEWER)
    user.set_password("correct-horse-battery")
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": "target", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.66"
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "target", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        "/accounts/login/",
        {"username": "target", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert elsewhere.status_code == 302
