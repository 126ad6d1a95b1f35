"""Demo data for the strategic needs assessment: synthetic assessments at different stages for a few
partnerships (a partnership record is made only where the area has none yet). Every text says it is synthetic."""

from django.utils import timezone

from vrhub.core.audit import audit_created
from vrhub.duty.catalogue import SnaSectionKey
from vrhub.duty.models import NeedsAssessment, Partnership
from vrhub.duty.services import sna as services
from vrhub.organisations.models import Organisation

# Area code: how many sections are written (8 and agreed, part-way, or just started).
STAGES = {"E09000016": (8, True), "E09000022": (5, False), "E09000008": (0, False)}

TEXTS = {
    SnaSectionKey.SUMMARY: "Serious violence is concentrated in the town centre and along two bus corridors.",
    SnaSectionKey.POPULATION: "Young people aged 10 to 24 living or going to school in the borough.",
    SnaSectionKey.PROBLEM: "Knife crime peaks on Friday and Saturday evenings; most victims are under 25.",
    SnaSectionKey.RISK: "School exclusion, exploitation and domestic abuse at home; protective: trusted adults.",
    SnaSectionKey.COHORTS: "Young men aged 15 to 24; children at risk of criminal exploitation.",
    SnaSectionKey.WHAT_WORKS: "Focused deterrence and A&E navigators (Youth Endowment Fund toolkit).",
    SnaSectionKey.DATA_GAPS: "No open data counts county lines; A&E data is not shared by every trust.",
    SnaSectionKey.RECOMMENDATIONS: "Fund detached youth work in the two hotspots; share A&E data monthly.",
}


def sna_demo_load() -> int:
    """Give the areas of ``STAGES`` a synthetic needs assessment for this year unless they have one."""
    year = timezone.localdate().year
    made = 0
    for code, (written, agreed) in STAGES.items():
        area = Organisation.objects.filter(code=code).first()
        if area is None or area.owning_vru is None:
            continue
        partnership = Partnership.objects.filter(area=area).first()
        if partnership is None:
            partnership = Partnership.objects.create(
                area=area,
                vru=area.owning_vru,
                lead_body=f"{area.name} Council",
                local_policing_body="Mayor's Office for Policing and Crime",
                governance_group=f"{area.name} Safer Partnership Board",
                synthetic=True,
            )
            audit_created(actor=None, obj=partnership, fields=["area", "vru", "lead_body", "synthetic"])
        if NeedsAssessment.objects.filter(partnership=partnership, year=year).exists():
            continue
        assessment = services.assessment_start(partnership=partnership, user=None, year=year)
        for key in list(SnaSectionKey)[:written]:
            section = assessment.sections.get(key=key)
            text = f"{TEXTS[key]} (Synthetic demo text for {area.name}.)"
            services.assessment_section_save(section=section, user=None, text=text)
        if agreed:
            services.assessment_agree(assessment=assessment, user=None)
        made += 1
    return made
