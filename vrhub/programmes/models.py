"""Funded programmes: the money a VRU (or a CSP area) has and what it buys.

* ``Budget``: one owner's income (``IncomeLine`` by source, with its conditions) and spend (``SpendLine`` by
  category) for one financial year, with the totals as published so a difference can be shown;
* ``Commitment``: a funder's multi-year promise (the Mayor's core and growth funding for 2020/21 and 2021/22);
* ``Recipient``: an organisation funded (charity and company numbers give its 360Giving identifier);
* ``Programme``: a grant or commissioned programme: amounts by financial year (``ProgrammeAmount``), areas and
  wards served, the logic-model objectives and plan actions it supports, its evaluation;
* ``MonitoringReturn``: a provider's quarterly return: people reached, outputs, spend to date;
* ``LogicNode`` / ``LogicLink``: the logic model above the programmes (objectives -> outcomes -> aims).

Who sees and changes what is decided in one place (``programmes.selectors.access``); rows are written only by
``programmes.services`` (audited).
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from vrhub.programmes.catalogue import (
    MONEY_DIGITS,
    NAME_MAX,
    REFERENCE_MAX,
    TEXT_LIMIT,
    TITLE_MAX,
    URL_MAX,
    YEAR_MAX,
    YEAR_MIN,
    EvaluationStatus,
    EvidenceStrength,
    LogicLevel,
)


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2, validators=[MinValueValidator(0)], **kwargs)


def _year(**kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text="The financial year, named by the year it starts: 2020 is 2020/21.",
        **kwargs,
    )


def _text(**kwargs) -> models.TextField:
    return models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)], **kwargs)


class Budget(models.Model):
    """One owner's budget for one financial year."""

    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="programme_budgets",
        help_text="The VRU, or the CSP area, whose budget this is.",
    )
    vru = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    year = _year()
    stated_income_total = _money(
        null=True, blank=True, help_text="The income total as published, if any: a difference from the sum is shown."
    )
    stated_expenditure_total = _money(null=True, blank=True, help_text="The expenditure total as published, if any.")
    notes = _text()
    synthetic = models.BooleanField(default=False, help_text="Made-up demo figures, not a real budget.")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "year"], name="programmes_budget_owner_year")]
        ordering = ["owner__name", "year"]

    def __str__(self) -> str:
        from vrhub.programmes.catalogue import year_label

        return f"{self.owner} {year_label(self.year)}"


class IncomeLine(models.Model):
    """Income from one source, with its conditions."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="income")
    source = models.CharField(max_length=NAME_MAX)
    amount = _money()
    ring_fenced = models.BooleanField(default=False, help_text="May be spent only on the purpose it was given for.")
    labour_amount = _money(null=True, blank=True, help_text="Of the amount, labour costs (staff), where split.")
    non_labour_amount = _money(null=True, blank=True, help_text="Of the amount, non-labour costs, where split.")
    match_funding = _money(null=True, blank=True, help_text="Match funding the source requires from others.")
    conditions = _text()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["budget", "source"], name="programmes_income_source")]
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.source


class SpendLine(models.Model):
    """Planned spend in one category."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="spend")
    category = models.CharField(max_length=NAME_MAX)
    amount = _money()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["budget", "category"], name="programmes_spend_category")]
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.category


class Commitment(models.Model):
    """A funder's commitment of money for a future (or current) financial year."""

    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    vru = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    funder = models.CharField(max_length=NAME_MAX, help_text="Who committed the money, e.g. the Mayor of London.")
    source = models.CharField(
        max_length=NAME_MAX, help_text="The income source it will be, e.g. Mayoral growth funding."
    )
    year = _year()
    amount = _money()
    description = _text()
    synthetic = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "source", "year"], name="programmes_commitment_source_year")
        ]
        ordering = ["source", "year"]

    def __str__(self) -> str:
        return f"{self.source} {self.year}"


class Recipient(models.Model):
    """An organisation a VRU funds."""

    vru = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=TITLE_MAX)
    charity_number = models.CharField(max_length=20, blank=True, help_text="Charity Commission (England and Wales).")
    company_number = models.CharField(max_length=20, blank=True, help_text="Companies House.")
    other_identifier = models.CharField(
        max_length=60, blank=True, help_text="An org-id.guide identifier for bodies with neither, e.g. GB-LAE-HAV."
    )
    postcode = models.CharField(max_length=10, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vru", "name"], name="programmes_recipient_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LogicNode(models.Model):
    """An objective, outcome or aim of a VRU's logic model."""

    vru = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=10, choices=LogicLevel.choices)
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(99)])
    title = models.CharField(max_length=TITLE_MAX)
    horizon = models.CharField(max_length=40, blank=True, help_text="When change is expected, e.g. 2–3 years.")
    measures = _text(help_text="The measures that track it, one per line.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vru", "level", "number"], name="programmes_node_number")]
        ordering = ["level", "number"]

    def __str__(self) -> str:
        return self.title

    @property
    def measure_list(self) -> list[str]:
        return [line.strip() for line in self.measures.splitlines() if line.strip()]


class LogicLink(models.Model):
    """An objective contributing to an outcome, or an outcome to an aim."""

    source = models.ForeignKey(LogicNode, on_delete=models.CASCADE, related_name="links_up")
    target = models.ForeignKey(LogicNode, on_delete=models.CASCADE, related_name="links_down")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="programmes_link_once")]

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


class Programme(models.Model):
    """A funded programme or grant."""

    vru = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="funded_programmes",
        help_text="Who funds and manages it: the VRU, or a CSP area.",
    )
    reference = models.CharField(
        max_length=REFERENCE_MAX, help_text="The funder's own reference, unique in the VRU; part of its grant id."
    )
    title = models.CharField(max_length=TITLE_MAX)
    description = _text()
    recipient = models.ForeignKey(Recipient, null=True, blank=True, on_delete=models.PROTECT, related_name="programmes")
    funding_source = models.CharField(max_length=NAME_MAX, blank=True, help_text="The income source that pays for it.")
    spend_category = models.CharField(
        max_length=NAME_MAX, blank=True, help_text="The budget's spend category it falls in, e.g. VCS/Community."
    )
    award_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    areas = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="programmes_served", help_text="CSP areas served."
    )
    all_areas = models.BooleanField(default=False, help_text="Serves every area of the VRU (London-wide).")
    wards = models.JSONField(default=list, blank=True, help_text="Names or codes of the wards served, if targeted.")
    objectives = models.ManyToManyField(LogicNode, blank=True, related_name="programmes")
    plan_actions = models.ManyToManyField("plans.PlanAction", blank=True, related_name="funded_programmes")
    theme = models.ForeignKey(
        "plans.Theme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The action-plan theme it serves.",
    )
    # Evaluation
    evaluation_status = models.CharField(max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.NONE)
    evaluator = models.CharField(max_length=TITLE_MAX, blank=True)
    evaluation_method = _text()
    findings = _text()
    evidence_strength = models.PositiveSmallIntegerField(null=True, blank=True, choices=EvidenceStrength.choices)
    report_url = models.URLField(max_length=URL_MAX, blank=True)
    published = models.BooleanField(default=False, help_text="Included in the open data (360Giving) and public pages.")
    synthetic = models.BooleanField(default=False, help_text="Invented for the demo, not a real programme.")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vru", "reference"], name="programmes_programme_reference"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="programmes_programme_dates_in_order",
            ),
        ]
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProgrammeAmount(models.Model):
    """The amount awarded to a programme for one financial year."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="amounts")
    year = _year()
    amount = _money()
    estimated = models.BooleanField(
        default=False, help_text="The split between years is an estimate: the source gives only the total."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="programmes_amount_year")]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}: {self.amount}"


class MonitoringReturn(models.Model):
    """A provider's return for one quarter of one financial year. Counts are ``None`` when not reported
    (never 0)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="returns")
    year = _year()
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    reached_direct = models.PositiveIntegerField(null=True, blank=True)
    reached_indirect = models.PositiveIntegerField(null=True, blank=True)
    reached_by_age = models.JSONField(default=dict, blank=True, help_text="People reached directly by AgeBand.")
    outputs = _text()
    spend_to_date = _money(null=True, blank=True, help_text="Spent in the financial year up to the quarter's end.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "quarter"], name="programmes_return_quarter")
        ]
        ordering = ["year", "quarter"]

    def __str__(self) -> str:
        return f"{self.programme} {self.year} Q{self.quarter}"


class FunderProfile(models.Model):
    """How a VRU publishes its grants in the 360Giving Data Standard."""

    vru = models.OneToOneField("organisations.Organisation", on_delete=models.PROTECT, related_name="funder_profile")
    org_identifier = models.CharField(
        max_length=60, help_text="The VRU's (or its host body's) org-id.guide identifier, e.g. GB-GOR-…"
    )
    funder_name = models.CharField(max_length=TITLE_MAX)
    grant_prefix = models.CharField(
        max_length=60, help_text="The 360Giving prefix of its grant ids, starting 360G-, e.g. 360G-londonvru."
    )
    licence_url = models.URLField(max_length=URL_MAX, default="https://creativecommons.org/licenses/by/4.0/")
    synthetic = models.BooleanField(default=False, help_text="A made-up prefix for the demo: not registered.")

    def __str__(self) -> str:
        return self.funder_name
