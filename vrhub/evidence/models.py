from django.conf import settings
from django.db import models


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
        return (
            f"{self.value:,} {label}{self.measure.split(':', 1)[-1].lower()} offences, {self.area_name}, "
            f"{self.period.replace(':', ' to ')} (source: {self.source})"
        )
