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
    def is_borough_user(self) -> bool:
        return self.role in {self.Role.BOROUGH_EDITOR, self.Role.BOROUGH_VIEWER}
