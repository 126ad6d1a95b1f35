"""Write-path scenarios of the strategic needs assessment's services (see tests/core/test_write_path.py)."""

from tests.core.scenario import STANDARD, Scenario
from tests.duty import factories as f
from vrhub.duty.catalogue import SnaSectionKey
from vrhub.duty.models import NeedsAssessment, SnaFigure


def _services():
    from vrhub.duty.services import sna

    return sna


def _assessment(w, *, text: str = "", state: str = NeedsAssessment.State.DRAFT, offence_types=None):
    partnership = f.PartnershipFactory(area=w.havering, vru=w.london)
    if offence_types:
        f.DefinitionFactory(partnership=partnership, offence_types=offence_types)
    return f.assessment_with_sections(partnership=partnership, text=text, state=state)


def _figure(w):
    section = _assessment(w).sections.get(key=SnaSectionKey.PROBLEM)
    return SnaFigure.objects.create(
        section=section,
        area_code="E09000016",
        area_name="Havering",
        measure="police.uk:Robbery",
        unit="offences",
        period="2023-01:2023-01",
        value=3,
        source="data.police.uk street-level crime",
    )


SCENARIOS = {
    "duty.sna.assessment_start": Scenario(
        lambda w: (
            lambda p: lambda: _services().assessment_start(partnership=p, user=w.editor, year=2025, copy_previous=False)
        )(f.PartnershipFactory(area=w.havering, vru=w.london)),
        actor="editor",
    ),
    "duty.sna.assessment_section_save": Scenario(
        lambda w: (
            lambda a: (
                lambda: _services().assessment_section_save(
                    section=a.sections.get(key=SnaSectionKey.SUMMARY), user=w.editor, text="Knife crime rose."
                )
            )
        )(_assessment(w)),
        actor="editor",
    ),
    "duty.sna.assessment_agree": Scenario(
        lambda w: (lambda a: lambda: _services().assessment_agree(assessment=a, user=w.editor))(
            _assessment(w, text="Written.")
        ),
        actor="editor",
    ),
    "duty.sna.assessment_reopen": Scenario(
        lambda w: (lambda a: lambda: _services().assessment_reopen(assessment=a, user=w.editor))(
            _assessment(w, text="Written.", state=NeedsAssessment.State.AGREED)
        ),
        actor="editor",
    ),
    "duty.sna.figure_cite": Scenario(
        lambda w: (
            lambda a: (
                lambda: _services().figure_cite(
                    section=a.sections.get(key=SnaSectionKey.PROBLEM),
                    user=w.editor,
                    area_code="E09000016",
                    measure="police.uk:Robbery",
                    period="2023-01:2023-01",
                )
            )
        )(_assessment(w, offence_types=["robbery"])),
        needs=(*STANDARD, "robbery_store"),
        actor="editor",
    ),
    "duty.sna.figure_remove": Scenario(
        lambda w: (lambda fig: lambda: _services().figure_remove(figure=fig, user=w.editor))(_figure(w)),
        actor="editor",
    ),
}
