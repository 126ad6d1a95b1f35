from django.db import models
from django.db.models import Q

from vrhub.organisations import ons


class Organisation(models.Model):
    """Any body in the partnership: a VRU, a police force or BCU, a council (CSP area), a partner.

    A VRU owns its areas (``vru``), templates and users, so another VRU and its CSPs are added
    as data. A CSP area (``kind=AREA``) carries its ONS code, its CSP code, the police force area it
    lies in and the police BCU that covers it. ``load_areas`` creates all 314 CSPs of England and
    Wales unassigned (no ``vru``); a VRU admin assigns them to their VRU.
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
    csp_code = models.CharField(
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        help_text="For a CSP area, its ONS Community Safety Partnership code (E22 or W14).",
    )
    police_force = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="force_areas",
        limit_choices_to={"kind": "police_force"},
        help_text="For a CSP area, the police force area it lies in.",
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
                condition=Q(kind="area") | Q(csp_code__isnull=True), name="org_only_areas_have_csp_code"
            ),
            models.CheckConstraint(condition=Q(kind="area") | Q(bcu__isnull=True), name="org_only_areas_have_bcu"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.AREA:
            ons.area_code_check(self.code)
            if self.csp_code:
                ons.csp_code_check(self.csp_code)
        elif self.kind == self.Kind.POLICE_FORCE:
            ons.police_force_code_check(self.code)

    @property
    def is_vru(self) -> bool:
        return self.kind == self.Kind.VRU

    @property
    def owning_vru(self) -> "Organisation | None":
        return self if self.is_vru else self.vru

    @property
    def place_name(self) -> str:
        """The place a VRU serves, as its pages say it ("London view", "West Midlands view"): its name less
        "Violence Reduction Unit" or "Partnership"; any other organisation's name as it is."""
        for suffix in (" Violence Reduction Unit", " Violence Reduction Partnership"):
            if self.is_vru and self.name.endswith(suffix) and len(self.name) > len(suffix):
                return self.name[: -len(suffix)]
        return self.name


class Boundary(models.Model):
    """The generalised boundary of a CSP area or police force area (GeoJSON geometry, longitude/latitude),
    from the ONS file ``load_areas`` read. Kept apart so that listing organisations never reads shapes."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    source = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"Boundary of {self.organisation}"
