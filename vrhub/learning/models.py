from django.conf import settings
from django.db import models


class GoodPractice(models.Model):
    """A reviewer's flag on an action (and its progress) as good practice for other boroughs."""

    action = models.OneToOneField("plans.PlanAction", on_delete=models.CASCADE, related_name="good_practice")
    note = models.TextField(max_length=2_000, help_text="Why other boroughs should look at this action.")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-flagged_at"]
        verbose_name_plural = "good practice"

    def __str__(self) -> str:
        return f"Good practice: {self.action}"
