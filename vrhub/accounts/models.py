from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A person using vrhub: belongs to one organisation and holds one role there."""

    class Role(models.TextChoices):
        VRU_ADMIN = "vru_admin", "VRU admin"
        VRU_REVIEWER = "vru_reviewer", "VRU reviewer"
        BOROUGH_EDITOR = "borough_editor", "Borough editor"
        BOROUGH_VIEWER = "borough_viewer", "Borough viewer"
        SIGNATORY = "signatory", "Signatory"
        POLICING_BODY = "policing_body", "Local policing body officer"

    class Office(models.TextChoices):
        CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
        LEADER = "leader", "Leader of the Council or Elected Mayor"
        BCU_COMMANDER = "bcu_commander", "BCU Commander"

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    office = models.CharField(max_length=20, choices=Office.choices, blank=True, help_text="Only for signatories.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="signatory") & ~Q(office="")) | (~Q(role="signatory") & Q(office="")),
                name="user_office_iff_signatory",
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(organisation__isnull=False), name="user_role_needs_organisation"
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_vru_user(self) -> bool:
        return self.role in {self.Role.VRU_ADMIN, self.Role.VRU_REVIEWER}

    @property
    def is_vru_admin(self) -> bool:
        return self.role == self.Role.VRU_ADMIN

    @property
    def is_borough_user(self) -> bool:
        return self.role in {self.Role.BOROUGH_EDITOR, self.Role.BOROUGH_VIEWER}

    @property
    def is_borough_editor(self) -> bool:
        return self.role == self.Role.BOROUGH_EDITOR

    @property
    def is_signatory(self) -> bool:
        return self.role == self.Role.SIGNATORY

    @property
    def is_policing_body(self) -> bool:
        """An officer of the local policing body: monitors the Serious Violence Duty, asks for information."""
        return self.role == self.Role.POLICING_BODY


class SignInEvent(models.Model):
    """One sign-in, failed sign-in, lock-out, second-factor check or sign-out: who, when, from where.

    Written only by ``vrhub.accounts.services.sign_in_event_record``; never changed afterwards.
    """

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in with password"
        FAILED = "failed", "Wrong username or password"
        LOCKED_OUT = "locked_out", "Locked out after too many failures"
        REFUSED_LOCKED = "refused_locked", "Refused: locked out"
        VERIFIED = "verified", "Second factor accepted"
        OTP_FAILED = "otp_failed", "Wrong second-factor code"
        SIGNED_OUT = "signed_out", "Signed out"
        TIMED_OUT = "timed_out", "Signed out after inactivity"
        EXPIRED = "expired", "Signed out: session too old"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, help_text="As typed, for failed sign-ins.")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_in_events")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_outcome_display()}"
