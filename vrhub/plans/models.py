from django.conf import settings
from django.db import models
from django.db.models import F, Q

from vrhub.core.limits import GUIDANCE_TEXT, LONG_TEXT


class PlanTemplate(models.Model):
    """A VRU's action-plan template for one year. A later year's template is ``based_on`` an earlier one."""

    vru = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="templates",
        limit_choices_to={"kind": "vru"},
    )
    year = models.PositiveSmallIntegerField(help_text="The year the plan runs from, e.g. 2021 for 2021/22.")
    title = models.CharField(max_length=200)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors")
    published = models.BooleanField(default=False, help_text="Boroughs can start plans only from published templates.")
    submission_deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["vru", "-year"]
        constraints = [models.UniqueConstraint(fields=["vru", "year"], name="template_one_per_vru_year")]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=GUIDANCE_TEXT)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="theme_code_unique_in_template"),
            models.UniqueConstraint(fields=["template", "order"], name="theme_order_unique_in_template"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class TemplateAction(models.Model):
    class Kind(models.TextChoices):
        MANDATORY = "mandatory", "Mandatory"
        OPTIONAL = "optional", "Optional"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="template_actions")
    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300)
    guidance = models.TextField(blank=True, max_length=GUIDANCE_TEXT)
    order = models.PositiveSmallIntegerField()
    retired = models.BooleanField(
        default=False,
        help_text="A retired action stays on the plans that have it but is not offered on new ones; "
        "its code is never reused.",
    )

    class Meta:
        ordering = ["theme", "kind", "order"]
        constraints = [models.UniqueConstraint(fields=["theme", "code"], name="template_action_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Status(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NOT_STARTED = "not_started", "Not started"
    COMPLETE = "complete", "Complete"
    NOT_UNDERTAKEN = "not_undertaken", "Not being undertaken"


STATUS_TAG_CLASSES = {
    Status.RED: "govuk-tag--red",
    Status.AMBER: "govuk-tag--orange",
    Status.GREEN: "govuk-tag--green",
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.COMPLETE: "govuk-tag--blue",
    Status.NOT_UNDERTAKEN: "govuk-tag--purple",
}


class Plan(models.Model):
    """A borough's Violence and Vulnerability Reduction Action Plan for one template year."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        RESUBMITTED = "resubmitted", "Resubmitted"
        ACCEPTED = "accepted", "Accepted"

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    area = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="plans", limit_choices_to={"kind": "area"}
    )
    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT, related_name="plans")
    created_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveSmallIntegerField(default=1, help_text="A new version reopens an accepted plan.")
    is_current = models.BooleanField(default=True, help_text="False once a newer version of the plan exists.")
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="First submission.")
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    synthetic = models.BooleanField(default=False, help_text="Demo content made up for testing, not a real plan.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__name", "-template__year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "template", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["area", "template"], condition=Q(is_current=True), name="plan_one_current_per_area_template"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "returned", "resubmitted", "accepted"]),
                name="plan_state_valid",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" (version {self.version})" if self.version > 1 else ""
        return f"{self.area} {self.template.year} plan{suffix}"

    @property
    def year(self) -> int:
        return self.template.year

    @property
    def is_editable(self) -> bool:
        return self.not_editable_reason == ""

    @property
    def not_editable_reason(self) -> str:
        """Why the plan's content cannot change now, in the words every refusal uses; "" when it can."""
        if not self.is_current:
            return "This is an earlier version of the plan and cannot be changed."
        if self.state == self.State.ACCEPTED:
            return "This plan is accepted and cannot be changed: start a new version to change it."
        if self.state not in self.EDITABLE_STATES:
            return f"This plan is {self.get_state_display().lower()} and cannot be changed until the VRU returns it."
        return ""

    @property
    def late(self) -> bool:
        deadline = self.template.submission_deadline
        if deadline is None or self.submitted_at is None:
            return False
        from django.utils import timezone

        return timezone.localtime(self.submitted_at).date() > deadline


class PlanAction(models.Model):
    """One action in a borough's plan: a mandatory or adopted optional template action, or a local one."""

    class Source(models.TextChoices):
        MANDATORY = "mandatory", "Mandatory"
        OPTIONAL = "optional", "Optional (adopted)"
        LOCAL = "local", "Local"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="plan_actions")
    template_action = models.ForeignKey(
        TemplateAction, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_actions"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    order = models.PositiveSmallIntegerField(default=0)

    outcome = models.TextField("Outcome(s)", blank=True, max_length=LONG_TEXT)
    baseline = models.TextField(blank=True, max_length=LONG_TEXT)
    lead_name = models.CharField("Lead name", max_length=150, blank=True)
    lead_role = models.CharField("Lead role", max_length=150, blank=True)
    lead_agency = models.CharField("Lead agency", max_length=150, blank=True)
    start_date = models.DateField(null=True, blank=True)
    start_estimated = models.BooleanField("Start date is an estimate", default=False)
    end_date = models.DateField(null=True, blank=True)
    end_estimated = models.BooleanField("End date is an estimate", default=False)
    start_note = models.CharField(
        "Start (no date)", max_length=60, blank=True, help_text="When there is no start date, e.g. Ongoing or TBC."
    )
    end_note = models.CharField(
        "End (no date)", max_length=60, blank=True, help_text="When there is no end date, e.g. Ongoing or TBC."
    )
    progress = models.TextField("Progress to date", blank=True, max_length=LONG_TEXT)
    comments = models.TextField(blank=True, max_length=LONG_TEXT)
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)

    version = models.PositiveIntegerField(default=1, help_text="Incremented on each save; guards against lost updates.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    EDITABLE_FIELDS = (
        "outcome",
        "baseline",
        "lead_name",
        "lead_role",
        "lead_agency",
        "start_date",
        "start_estimated",
        "end_date",
        "end_estimated",
        "start_note",
        "end_note",
        "progress",
        "comments",
        "status",
    )

    class Meta:
        # Within a plan, by theme then action; across plans by plan id, not through the plan's own ordering
        # (that joined the plan, its area and its template into every query of actions).
        ordering = ["plan_id", "theme__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_action_code_unique"),
            models.UniqueConstraint(
                fields=["plan", "template_action"],
                condition=Q(template_action__isnull=False),
                name="plan_action_template_action_once",
            ),
            models.CheckConstraint(
                condition=(Q(source="local") & Q(template_action__isnull=True))
                | (~Q(source="local") & Q(template_action__isnull=False)),
                name="plan_action_local_iff_no_template_action",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="plan_action_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=Status.values), name="plan_action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def status_tag_class(self) -> str:
        return STATUS_TAG_CLASSES.get(self.status, "govuk-tag--grey")


def document_upload_to(instance: "SupportingDocument", filename: str) -> str:
    return f"documents/plan-{instance.action.plan_id}/{filename}"


class SupportingDocument(models.Model):
    """A document supporting an action: an uploaded file or a link, always with a title."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_upload_to, blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    internal = models.BooleanField(default=False, help_text="Internal documents are never published.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="document_file_xor_url",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)
