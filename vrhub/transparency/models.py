import hashlib
import secrets

from django.conf import settings
from django.db import models


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


class ApiToken(models.Model):
    """A bearer token for the read-only API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        key = "vrh_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=cls.hash(key), prefix=key[4:12]), key
