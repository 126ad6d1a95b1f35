import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Publication(models.Model):
    """A VRU's decision to publish its boroughs' plan summaries for a year."""

    vru = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="publications",
        limit_choices_to={"kind": "vru"},
    )
    year = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vru", "year"], name="one_publication_per_vru_year")]

    def __str__(self) -> str:
        return f"{self.vru} {self.year} published"


def api_token_default_expiry():
    return timezone.now() + timedelta(days=ApiToken.DEFAULT_DAYS)


class ApiToken(models.Model):
    """A bearer token for the read-only API. Only a hash is stored; the token is shown once.

    A token works until it expires or is revoked, whichever comes first.
    """

    DEFAULT_DAYS = 90
    MAX_DAYS = 365
    DAY_CHOICES = (30, 90, 365)

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=api_token_default_expiry)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @classmethod
    def issue(cls, *, user, name: str, expires_at=None) -> tuple["ApiToken", str]:
        key = "vrh_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=cls.hash(key),
            prefix=key[4:12],
            expires_at=expires_at or api_token_default_expiry(),
        )
        return token, key
