from django.conf import settings
from django.db import models
from django.db.models import Q

from vrhub.accounts.models import User
from vrhub.core.limits import LONG_TEXT
from vrhub.plans.models import Status


class ReportingQuarter(models.Model):
    """A reporting quarter of a template's plan year; the VRU closes it once updates are in."""

    template = models.ForeignKey("plans.PlanTemplate", on_delete=models.CASCADE, related_name="quarters")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    due_on = models.DateField(help_text="Updates for the quarter are due by this date.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="quarter_unique_in_template"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="quarter_number_1_to_4"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="quarter_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        year = self.template.year
        return f"Q{self.number} {year}/{str(year + 1)[-2:]}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class QuarterlyUpdate(models.Model):
    """An action's progress report for one quarter."""

    action = models.ForeignKey("plans.PlanAction", on_delete=models.CASCADE, related_name="quarterly_updates")
    quarter = models.ForeignKey(ReportingQuarter, on_delete=models.PROTECT, related_name="updates")
    progress = models.TextField("Progress this quarter", max_length=LONG_TEXT)
    status = models.CharField(max_length=20, choices=Status.choices)
    measured_value = models.DecimalField(
        "Measured value",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Optional: the figure measured this quarter, against the action's baseline.",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["action", "quarter__number"]
        constraints = [
            models.UniqueConstraint(fields=["action", "quarter"], name="one_update_per_action_quarter"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="update_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} {self.quarter.label}"

    @property
    def status_tag_class(self) -> str:
        from vrhub.plans.models import STATUS_TAG_CLASSES

        return STATUS_TAG_CLASSES.get(self.status, "govuk-tag--grey")


class Signature(models.Model):
    """A signatory's statement that they have reviewed the plan, bound to the plan's content hash."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="signatures")
    signatory = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures")
    office = models.CharField(
        max_length=20,
        choices=User.Office.choices,
    )
    name = models.CharField(max_length=150)
    statement = models.TextField()
    signed_at = models.DateTimeField(auto_now_add=True)
    content_hash = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "office"], condition=Q(voided_at__isnull=True), name="one_live_signature_per_office"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()}: {self.name} ({self.signed_at:%Y-%m-%d})"


class ReviewComment(models.Model):
    """A reviewer's comment on a plan, a theme or an action, or a reply in its thread."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="review_comments")
    theme = models.ForeignKey("plans.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(
        "plans.PlanAction", null=True, blank=True, on_delete=models.CASCADE, related_name="review_comments"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("Comment", max_length=5_000)
    created_at = models.DateTimeField(auto_now_add=True)
    # The comment a reviewer wrote when returning the plan: the reason shown in the returned plan's banner.
    is_return_reason = models.BooleanField(default=False)
    # The borough's editor marks a thread addressed (a reviewer can reopen it); kept with who and when.
    addressed_at = models.DateTimeField(null=True, blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.plan}"

    @property
    def is_addressed(self) -> bool:
        return self.addressed_at is not None

    @property
    def state_form_id(self) -> str:
        """The id of the form that marks this comment addressed or reopens it, on pages that hold it apart."""
        return f"comment-{self.pk}-state"

    @property
    def about(self) -> str:
        """What the comment is about, in words: "action GOV-M1", "theme Governance" or "the plan"."""
        if self.action_id:
            return f"action {self.action.code}"
        if self.theme_id:
            return f"theme {self.theme.title}"
        return "the plan"


class ReminderSent(models.Model):
    """One reminder e-mail: at most one per person, plan, quarter and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    quarter = models.ForeignKey(ReportingQuarter, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    actions_missing = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "plan", "quarter", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.user} for {self.quarter} on {self.sent_on}"
