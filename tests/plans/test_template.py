import pytest
from django.core.exceptions import ValidationError

from vrhub.plans.models import TemplateAction
from vrhub.plans.services import template_create_for_year, theme_add
from vrhub.plans.templates import london_template

pytestmark = pytest.mark.django_db


def test_2021_template_has_seven_themes_with_mandatory_and_optional_actions(template_2021):
    themes = list(template_2021.themes.all())
    assert [t.title for t in themes][:3] == ["Governance", "Analysis and Enforcement", "Reducing Access to Weapons"]
    assert len(themes) == 7
    for theme in themes:
        kinds = list(theme.template_actions.values_list("kind", flat=True))
        assert kinds.count(TemplateAction.Kind.MANDATORY) >= 3
        assert kinds.count(TemplateAction.Kind.OPTIONAL) >= 3


def test_later_year_adds_a_theme_and_retires_an_action(template_2021):
    retired = london_template().retired_in_2022[0]
    t2022 = template_create_for_year(source=template_2021, year=2022, title="2022", retire=[retired])
    theme_add(template=t2022, data=london_template().vawg_theme)
    codes_2021 = set(TemplateAction.objects.filter(theme__template=template_2021).values_list("code", flat=True))
    codes_2022 = set(TemplateAction.objects.filter(theme__template=t2022).values_list("code", flat=True))
    assert retired in codes_2021 and retired not in codes_2022
    assert t2022.themes.count() == 8
    assert t2022.themes.last().title == "Tackling Violence Against Women and Girls"
    assert t2022.based_on == template_2021


def test_new_template_year_must_be_later_and_unique(template_2021):
    with pytest.raises(ValidationError) as exc:
        template_create_for_year(source=template_2021, year=2021, title="again")
    assert "year" in exc.value.message_dict
