"""Partnership governance: groups (boards, reference groups, Duty groups) with their terms of reference,
members and declared interests, meetings with agenda items, attendance, minutes, dissent, and the actions
arising from them.

A group belongs to one organisation: a VRU (the Partnership Reference Group) or a CSP area (its community
safety board). The one fetch-and-authorise rule (``governance.selectors.access``) decides who sees and changes
it; rows are written only by ``governance.services`` (audited). Members' names and e-mail addresses are
personal data: public pages show a member's office, title and organisation, never a contact detail.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from vrhub.governance.catalogue import (
    ActionStatus,
    Attendance,
    DecisionMode,
    Frequency,
    Office,
    QuorumRole,
    RequiredRole,
    Rounding,
    Sector,
)

TEXT_LIMIT = 20_000  # characters in one long-text field (an item's minutes are the longest)
ITEMS_MAX = 60  # agenda items in one meeting
MEMBERS_MAX = 200  # members of one group


def _text(**kwargs) -> models.TextField:
    return models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)], **kwargs)


class Group(models.Model):
    """A partnership group and its terms of reference."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="governance_groups",
        help_text="The VRU (for a London-wide group) or the CSP area (for a borough board) the group belongs to.",
    )
    vru = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The VRU the owner works with (the VRU itself for its own groups).",
    )
    slug = models.SlugField(max_length=50, unique=True, help_text="Short name used in addresses and commands.")
    name = models.CharField(max_length=200)
    purpose = _text()
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY)
    # Quorum: ``quorum_numerator / quorum_denominator`` of the members, rounded as ``quorum_rounding``, with
    # every one of ``required_roles`` present; remote members counted if ``remote_counts``.
    quorum_numerator = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    quorum_denominator = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    quorum_rounding = models.CharField(max_length=10, choices=Rounding.choices, default=Rounding.UP)
    required_roles = models.JSONField(default=list, blank=True, help_text="Codes of RequiredRole.")
    remote_counts = models.BooleanField(
        default=True, help_text="Members taking part by telephone or video count while available for each item."
    )
    decision_mode = models.CharField(max_length=20, choices=DecisionMode.choices, default=DecisionMode.CONSENSUS)
    dissent_recorded = models.BooleanField(default=True, help_text="A member may have their dissent minuted.")
    agenda_days_before = models.PositiveSmallIntegerField(
        default=5,
        validators=[MaxValueValidator(60)],
        help_text="Days before a meeting by which its agenda and non-exempt papers are published.",
    )
    minutes_published = models.BooleanField(default=True, help_text="Approved minutes are published.")
    equality_statement_required = models.BooleanField(
        default=True, help_text="Every report must say how equality issues were considered."
    )
    community_target_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], help_text="Target share of VCS/community members."
    )
    synthetic = models.BooleanField(default=False, help_text="Demo data, not a real group's record.")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_numerator__lte=models.F("quorum_denominator")), name="governance_quorum_fraction"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def required_role_labels(self) -> list[str]:
        return [RequiredRole(code).label for code in self.required_roles if code in RequiredRole.values]


class Member(models.Model):
    """A member of a group, by office and sector. ``name`` and ``email`` are personal data."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=200, blank=True, help_text="The post held, e.g. Mayor of London.")
    organisation = models.CharField(max_length=200, blank=True)
    office = models.CharField(max_length=20, choices=Office.choices, default=Office.MEMBER)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    quorum_role = models.CharField(max_length=20, choices=QuorumRole.choices, blank=True)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["group", "office", "name"]
        constraints = [
            models.UniqueConstraint("group", Lower("name"), name="governance_member_name_once"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="governance_member_term_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_office_on(self, day) -> bool:
        return (self.term_start is None or self.term_start <= day) and (self.term_end is None or day <= self.term_end)


class Substitute(models.Model):
    """Someone who may attend in a member's place (counts for them, and fills their quorum role)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="substitutes")
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["member", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    agenda_published_on = models.DateField(null=True, blank=True)
    minutes_approved_on = models.DateField(null=True, blank=True)
    minutes_published_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "-date"]
        constraints = [models.UniqueConstraint(fields=["group", "date"], name="governance_meeting_once_a_day")]

    def __str__(self) -> str:
        return f"{self.group.name}, {self.date:%-d %B %Y}"


def paper_upload_to(instance: "AgendaItem", filename: str) -> str:
    return f"governance/meeting-{instance.meeting_id}/{filename}"


class AgendaItem(models.Model):
    """An item of a meeting's agenda, its paper, and (after the meeting) its minutes and decision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(ITEMS_MAX)])
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=200, blank=True, help_text="Who presents it, by office or name.")
    paper_title = models.CharField(max_length=300, blank=True)
    paper = models.FileField(upload_to=paper_upload_to, blank=True, max_length=300)
    paper_original_name = models.CharField(max_length=255, blank=True)
    paper_content_type = models.CharField(max_length=100, blank=True)
    paper_size = models.PositiveIntegerField(null=True, blank=True)
    exempt = models.BooleanField(default=False, help_text="Exempt from publication under the FOI Act 2000.")
    exemption = models.CharField(max_length=300, blank=True, help_text="The FOI Act exemption relied on.")
    equality_considerations = _text()
    minutes = _text()
    decision = _text(help_text="What was agreed (by consensus, or the result of a vote).")
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="governance_item_number_once"),
            models.CheckConstraint(condition=Q(exempt=True) | Q(exemption=""), name="governance_exemption_if_exempt"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AttendanceRecord(models.Model):
    """How one member took part in one meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance")
    attendance = models.CharField(max_length=20, choices=Attendance.choices)
    substitute_name = models.CharField(max_length=150, blank=True)
    left_after_item = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(ITEMS_MAX)],
        help_text="The agenda item after which they dropped out (not counted for later items).",
    )

    class Meta:
        ordering = ["meeting", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="governance_attendance_once"),
            models.CheckConstraint(
                condition=Q(attendance=Attendance.SUBSTITUTE) | Q(substitute_name=""),
                name="governance_substitute_named_only_for_substitute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_attendance_display()}"


class Interest(models.Model):
    """A declared interest: in the register (``meeting`` empty) or declared at a meeting on an item."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="interests")
    description = models.CharField(max_length=1000)
    declared_on = models.DateField()
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="interests")

    class Meta:
        ordering = ["member", "-declared_on"]

    def __str__(self) -> str:
        return f"{self.member}: {self.description[:60]}"


class Dissent(models.Model):
    """A member's dissent or objection, recorded in the minutes of an item at their wish."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="dissents")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dissents")
    text = models.CharField(max_length=2000)

    class Meta:
        ordering = ["item", "member__name"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="governance_dissent_once")]

    def __str__(self) -> str:
        return f"Dissent of {self.member} on {self.item}"


class Action(models.Model):
    """An action arising from a meeting: carried to every later meeting's report until complete."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    text = models.CharField(max_length=2000)
    owner = models.CharField(max_length=300, help_text="Who is to do it: a name, an office, or the Clerk.")
    deadline = models.DateField(null=True, blank=True, help_text="Empty for an ongoing action with no deadline.")
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.ONGOING)
    completed_on = models.DateField(null=True, blank=True)
    latest_update = models.CharField(max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "item__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.COMPLETE, completed_on__isnull=False)
                | Q(status=ActionStatus.ONGOING, completed_on__isnull=True),
                name="governance_action_completed_when_complete",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ActionUpdate(models.Model):
    """An update on an action, as reported to a later meeting: the history of its status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=2000)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    written_on = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["action", "written_on", "pk"]

    def __str__(self) -> str:
        return f"Update on {self.action}"
