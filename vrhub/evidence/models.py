from django.conf import settings
from django.db import models

from vrhub.evidence.measures import unit_of_qualified
from vrhub.evidence.statistics import SUPPRESS_BELOW


class Citation(models.Model):
    """A workbench figure cited in an action's baseline. The value is copied when cited and never changes,
    even if the evidence store is reloaded with revised data."""

    action = models.ForeignKey("plans.PlanAction", on_delete=models.CASCADE, related_name="citations")
    area_code = models.CharField(max_length=20)
    area_name = models.CharField(max_length=150)
    measure = models.CharField(max_length=200)
    period = models.CharField(max_length=20, help_text="YYYY-MM:YYYY-MM")
    value = models.BigIntegerField()
    source = models.CharField(max_length=300)
    synthetic = models.BooleanField(default=False)
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "cited_at"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        label = "synthetic " if self.synthetic else ""
        unit = unit_of_qualified(self.measure)  # victims and attendances are never "offences"
        # Baselines are published: a count below 5 is suppressed in the text (the value is kept).
        count = f"fewer than {SUPPRESS_BELOW}" if self.value < SUPPRESS_BELOW else f"{self.value:,}"
        return (
            f"{count} {label}{self.measure.split(':', 1)[-1].lower()} {unit}, {self.area_name}, "
            f"{self.period.replace(':', ' to ')} (source: {self.source})"
        )


class EvidenceLoad(models.Model):
    """One run of an evidence loader, from the upload page or a load_* command: who loaded which files,
    when, and what came of it. Written only by ``evidence.services.evidence_load_record`` (audited)."""

    class Via(models.TextChoices):
        UPLOAD = "upload", "Upload page"
        COMMAND = "command", "Command line"

    kind = models.CharField(max_length=30)
    files = models.JSONField(default=list, help_text="The names of the files loaded.")
    via = models.CharField(max_length=10, choices=Via.choices)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    command_user = models.CharField(
        max_length=150, blank=True, help_text="The operating-system account that ran the command."
    )
    rows = models.BigIntegerField(default=0)
    loaded = models.BigIntegerField(default=0)
    duplicates = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    already_loaded = models.PositiveIntegerField(default=0, help_text="Files skipped as loaded before.")
    synthetic = models.BigIntegerField(null=True, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        who = self.loaded_by or self.command_user or "the system"
        return f"{self.kind} load of {len(self.files)} files by {who}"
