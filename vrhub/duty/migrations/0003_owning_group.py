"""A Duty partnership names the governance group that owns it (``owning_group``), no longer only its name.

Data: each partnership whose ``governance_group`` text matches (ignoring case and spaces at either end) the
name of exactly one group owned by the partnership's area (a VRU footprint: by the VRU) is linked to that group
and its text cleared; where no group, or more than one, matches, the text is kept as it was. Backwards: the
linked group's name goes back into the text where it is empty.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_groups(apps, schema_editor) -> None:
    Partnership = apps.get_model("duty", "Partnership")
    Group = apps.get_model("governance", "Group")
    for p in Partnership.objects.exclude(governance_group="").filter(owning_group__isnull=True):
        name = p.governance_group.strip()
        matches = list(Group.objects.filter(owner_id=p.area_id, name__iexact=name)[:2])
        if len(matches) == 1:
            Partnership.objects.filter(pk=p.pk).update(owning_group=matches[0], governance_group="")


def unlink_groups(apps, schema_editor) -> None:
    Partnership = apps.get_model("duty", "Partnership")
    for p in Partnership.objects.filter(owning_group__isnull=False, governance_group="").select_related(
        "owning_group"
    ):
        Partnership.objects.filter(pk=p.pk).update(governance_group=p.owning_group.name[:200])


class Migration(migrations.Migration):

    dependencies = [
        ('duty', '0002_strategy_reminders'),
        ('governance', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='owning_group',
            field=models.ForeignKey(blank=True, help_text="The partnership group (its area's board, or the VRU's group) that owns the Duty.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duty_partnerships', to='governance.group'),
        ),
        migrations.AlterField(
            model_name='partnership',
            name='governance_group',
            field=models.CharField(blank=True, help_text='The board or group that owns the Duty locally, by name: kept where no governance group recorded here matches (``owning_group`` names the group itself).', max_length=200),
        ),
        migrations.RunPython(link_groups, unlink_groups),
    ]
