"""The Serious Violence Duty: each area's partnership, its local definition of serious violence, strategic
needs assessments, strategies, annual reviews and data sharing.

Every row hangs off a ``Partnership`` (one per CSP area, or one for a VRU footprint covering several), so the
one fetch-and-authorise rule (``duty.selectors.access``) decides who sees and changes it. Rows are written
only by ``duty.services`` (audited). Leads' and contacts' names are personal data: never on public pages.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from vrhub.duty.catalogue import AuthorityKind, RelevantKind, SnaSectionKey

TEXT_LIMIT = 20_000  # characters in one long-text field (a section of an assessment is the longest)


def _text(**kwargs) -> models.TextField:
    return models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)], **kwargs)


class Partnership(models.Model):
    """The specified authorities of one area working together under the Duty."""

    area = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="duty_partnership",
        help_text="The CSP area, or the VRU for a footprint covering several areas.",
    )
    vru = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="duty_partnerships",
        help_text="The VRU the area works with (the VRU itself for a footprint): who may monitor it.",
    )
    covers = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="duty_footprints",
        help_text="For a VRU footprint, the CSP areas it covers.",
    )
    lead_body = models.CharField(max_length=200, blank=True, help_text="The body leading the partnership.")
    local_policing_body = models.CharField(
        max_length=200, blank=True, help_text="The PCC, or in London the Mayor's Office for Policing and Crime."
    )
    governance_group = models.CharField(
        max_length=200,
        blank=True,
        help_text="The board or group that owns the Duty locally, by name: kept where no governance group "
        "recorded here matches (``owning_group`` names the group itself).",
    )
    owning_group = models.ForeignKey(
        "governance.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duty_partnerships",
        help_text="The partnership group (its area's board, or the VRU's group) that owns the Duty.",
    )
    synthetic = models.BooleanField(default=False, help_text="Demo data, not a real partnership's record.")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__name"]

    def __str__(self) -> str:
        return f"{self.area.name} Serious Violence Duty partnership"

    @property
    def governance_group_name(self) -> str:
        """The group that owns the Duty: the linked group's name, else the name as typed ("" for neither)."""
        return self.owning_group.name if self.owning_group is not None else self.governance_group.strip()


class SpecifiedAuthority(models.Model):
    """A specified authority in the partnership (Schedule 1) and its named lead (personal data)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="specified_authorities")
    kind = models.CharField(max_length=20, choices=AuthorityKind.choices)
    organisation = models.CharField(max_length=200)
    lead_name = models.CharField(max_length=150)
    lead_role = models.CharField(max_length=150, blank=True)
    lead_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["partnership", "kind", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind", "organisation"], name="duty_authority_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"


class RelevantAuthority(models.Model):
    """A relevant authority the partnership consults (Schedule 2)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="relevant_authorities")
    kind = models.CharField(max_length=20, choices=RelevantKind.choices)
    organisation = models.CharField(max_length=200)

    class Meta:
        ordering = ["partnership", "kind", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind", "organisation"], name="duty_relevant_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"


class Consultation(models.Model):
    """One consultation of a relevant authority: who, when, what was asked, and the response."""

    authority = models.ForeignKey(RelevantAuthority, on_delete=models.CASCADE, related_name="consultations")
    consulted_on = models.DateField()
    contact = models.CharField(max_length=150, help_text="Who was consulted (personal data).")
    asked = _text()
    response = _text()
    responded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-consulted_on", "-pk"]

    def __str__(self) -> str:
        return f"Consultation of {self.authority.organisation} on {self.consulted_on:%d/%m/%Y}"


class Definition(models.Model):
    """What serious violence means in the area: offence types in scope and why (s.13(6) factors)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="definition")
    offence_types = models.JSONField(default=list, help_text="Codes from duty.catalogue.OFFENCE_TYPES.")
    local_additions = _text(help_text="Other offence types in scope locally, one per line.")
    factor_penalty = _text()
    factor_victims = _text()
    factor_prevalence = _text()
    factor_community = _text()
    rationale = _text()
    agreed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Definition of serious violence, {self.partnership.area.name}"


class NeedsAssessment(models.Model):
    """A strategic needs assessment: a structured document of sections, each with text and cited figures."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(help_text="The year the assessment is for.")
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    agreed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "-year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="duty_sna_once_a_year")]

    def __str__(self) -> str:
        return self.title


class SnaSection(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20, choices=SnaSectionKey.choices)
    text = _text()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="duty_sna_section_once")]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def complete(self) -> bool:
        return bool(self.text.strip())


class SnaFigure(models.Model):
    """A workbench figure cited in an assessment section: copied when cited, never changed afterwards."""

    section = models.ForeignKey(SnaSection, on_delete=models.CASCADE, related_name="figures")
    area_code = models.CharField(max_length=20)
    area_name = models.CharField(max_length=150)
    measure = models.CharField(max_length=200)
    unit = models.CharField(max_length=40)
    period = models.CharField(max_length=20, help_text="YYYY-MM:YYYY-MM")
    value = models.BigIntegerField()
    source = models.CharField(max_length=300)
    synthetic = models.BooleanField(default=False)
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "cited_at", "pk"]

    def __str__(self) -> str:
        return f"{self.measure}, {self.area_name}, {self.period}"


class Strategy(models.Model):
    """One version of the partnership's published strategy. A revision is a new version (a new row)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="strategies")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    assessment = models.ForeignKey(
        NeedsAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategies"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    problem_summary = _text()
    working_together = _text()
    interventions = _text()
    preventative_action = _text()
    engagement_vcs = _text()
    engagement_young_people = _text()
    funding = _text()
    public_health = _text(help_text="How the strategy applies the public health approach's principles.")
    plan_actions = models.ManyToManyField(
        "plans.PlanAction", blank=True, related_name="duty_strategies", help_text="Delivery: the action plan's actions."
    )
    published_on = models.DateField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="duty_strategy_version_once"),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_on__isnull=False), name="duty_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class AnnualReview(models.Model):
    """The year's review of the strategy: what changed, progress against outcomes, decisions, the revision."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField()
    reviewed_on = models.DateField()
    problem_changes = _text()
    progress = _text()
    decisions = _text()
    strategy = models.ForeignKey(
        Strategy,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
        help_text="The strategy version the review produced or confirmed.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["partnership", "-year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="duty_review_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} review, {self.partnership.area.name}"


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", "UK GDPR Article 6(1)(e): public task"
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR Article 6(1)(c): legal obligation"
    LAW_ENFORCEMENT = "law_enforcement", "Data Protection Act 2018 Part 3: law enforcement processing"
    NO_PERSONAL_DATA = "no_personal_data", "No personal data (aggregate or anonymised)"


class SharingAgreement(models.Model):
    """An information-sharing agreement between partners."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(max_length=200)
    parties = _text(help_text="The organisations party to it, one per line.")
    purpose = _text()
    datasets = _text(help_text="The datasets shared, one per line.")
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    dpia_done = models.BooleanField(default=False, help_text="A data protection impact assessment was done.")
    dpia_on = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    review_on = models.DateField()

    class Meta:
        ordering = ["partnership", "review_on", "title"]

    def __str__(self) -> str:
        return self.title


class Disclosure(models.Model):
    """A disclosure under s.16 (never patient information, nothing data protection forbids)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="disclosures")
    disclosed_on = models.DateField()
    from_organisation = models.CharField(max_length=200)
    to_organisation = models.CharField(max_length=200)
    purpose = _text()
    information = _text(help_text="What was disclosed, described (not the data itself).")
    agreement = models.ForeignKey(
        SharingAgreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosures"
    )
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "-disclosed_on", "-pk"]

    def __str__(self) -> str:
        return f"Disclosure from {self.from_organisation} to {self.to_organisation} on {self.disclosed_on:%d/%m/%Y}"


class InformationRequest(models.Model):
    """A request for information from the local policing body (s.17), tracked to its answer or refusal."""

    class State(models.TextChoices):
        OPEN = "open", "Awaiting a response"
        ANSWERED = "answered", "Answered"
        REFUSED = "refused", "Refused"

    class RefusalReason(models.TextChoices):
        DATA_PROTECTION = "data_protection", "It would contravene the data protection legislation"
        INVESTIGATORY_POWERS = (
            "investigatory_powers",
            "It is prohibited by Parts 1 to 7 or Chapter 1 of Part 9 of the Investigatory Powers Act 2016",
        )

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="information_requests")
    requested_on = models.DateField()
    due_on = models.DateField()
    addressed_to = models.CharField(max_length=200, help_text="The specified authority asked.")
    request = _text()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    responded_on = models.DateField(null=True, blank=True)
    answer = _text()
    refusal_reason = models.CharField(max_length=25, choices=RefusalReason.choices, blank=True)
    refusal_detail = _text()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["partnership", "-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | Q(responded_on__isnull=False), name="duty_response_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""), name="duty_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Information request to {self.addressed_to} of {self.requested_on:%d/%m/%Y}"


class ReviewReminder(models.Model):
    """One e-mail telling an editor that the strategy's annual review is due soon or overdue: at most one per
    person, strategy version, state (``due.Due``) and review date, so ``duty_reminders`` can run every day."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10)
    review_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "user", "state", "review_on"], name="duty_review_reminder_once")
        ]

    def __str__(self) -> str:
        return f"Review reminder ({self.state}) for {self.strategy} on {self.review_on:%d/%m/%Y}"
