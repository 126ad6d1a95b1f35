from django.db import models
from django.db.models import Q


class Organisation(models.Model):
    """Any body in the partnership: a VRU, a police force or BCU, a council (CSP area), a partner.

    A VRU owns its areas (``vru``), templates and users, so another VRU and its CSPs are added
    as data. A CSP area (``kind=AREA``) carries its ONS code and the police BCU that covers it.
    """

    class Kind(models.TextChoices):
        VRU = "vru", "Violence Reduction Unit"
        AREA = "area", "Community Safety Partnership area"
        POLICE_FORCE = "police_force", "Police force"
        BCU = "bcu", "Basic Command Unit"
        PARTNER = "partner", "Partner organisation"
        POLICING_BODY = "policing_body", "Local policing body (PCC, or MOPAC in London)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=150)
    code = models.CharField(
        max_length=20, unique=True, help_text="ONS code for areas and forces; a short code otherwise."
    )
    vru = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": "vru"},
        help_text="The VRU this organisation works with.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="For a BCU, its police force.",
    )
    bcu = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="areas",
        limit_choices_to={"kind": "bcu"},
        help_text="For a CSP area, the police BCU covering it.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="vru", vru__isnull=True) | ~Q(kind="vru"), name="org_vru_has_no_vru"
            ),
            models.CheckConstraint(
                condition=Q(kind="area", vru__isnull=False) | ~Q(kind="area"), name="org_area_belongs_to_vru"
            ),
            models.CheckConstraint(condition=Q(kind="area") | Q(bcu__isnull=True), name="org_only_areas_have_bcu"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vru(self) -> bool:
        return self.kind == self.Kind.VRU

    @property
    def owning_vru(self) -> "Organisation | None":
        return self if self.is_vru else self.vru
