"""The logic model: the page (diagram and text alternative) for the VRU and for a borough, and its editing.

Figures are checked against pandas over the raw rows (programme-objective links and amounts), with who sees
which programme written out here from the world's description, not asked of the code."""

from decimal import Decimal

import lxml.etree
import lxml.html
import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from tests.programmes import factories as f
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.models import LogicLink, LogicNode, Programme, ProgrammeAmount
from vrhub.programmes.services import logic

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def world(programmes_world, london, lambeth):
    """The programmes world plus: LDN-3 (London-wide, objective 1) with an amount for 2021 only, a third
    objective whose only programme (LDN-3) has no 2020 amount, and measures on objective 1."""
    model = programmes_world["logic_model"]
    first, second = model["objectives"]
    first.measures = "Young people supported\nRepeat victimisation"
    first.save()
    third = f.LogicNodeFactory(vru=london, level=LogicLevel.OBJECTIVE, number=3, title="Young people leading change")
    LogicLink.objects.create(source=third, target=model["outcome"])
    late = f.ProgrammeFactory(owner=london, reference="LDN-3", title="Programme LDN-3", all_areas=True)
    late.objectives.set([first, third])
    f.ProgrammeAmountFactory(programme=late, year=2021, amount=Decimal("12345.67"))
    f.ProgrammeAmountFactory(programme=programmes_world["vru_programme"], year=2021, amount=Decimal("1000.00"))
    return {**programmes_world, "third": third, "late": late}


def havering_viewer():
    return UserFactory(organisation=Organisation.objects.get(code="E09000016"), role=User.Role.BOROUGH_VIEWER)


# Who sees which of the world's programmes (from the world's description and access.py's rule): the VRU sees
# all of its own; a Havering person sees the London-wide ones (LDN-1, LDN-3) and Havering's own (HAV-1).
SEES = {"vru": {"LDN-1", "LDN-2", "LDN-3", "HAV-1", "LAM-1"}, "havering": {"LDN-1", "LDN-3", "HAV-1"}}


def expected_objectives(year: int, who: str) -> dict[int, tuple[int, str]]:
    """``{objective number: (programmes, spend text)}`` computed with pandas over the raw rows."""
    links = pd.DataFrame(
        list(Programme.objectives.through.objects.values("programme__reference", "logicnode__number")),
        columns=["programme__reference", "logicnode__number"],
    ).rename(columns={"programme__reference": "ref", "logicnode__number": "objective"})
    amounts = pd.DataFrame(
        list(ProgrammeAmount.objects.filter(year=year).values("programme__reference", "amount")),
        columns=["programme__reference", "amount"],
    ).rename(columns={"programme__reference": "ref"})
    links = links[links["ref"].isin(SEES[who])]
    merged = links.merge(amounts, on="ref", how="left")
    found = {}
    for number in LogicNode.objects.filter(level="objective").values_list("number", flat=True):
        rows = merged[merged["objective"] == number]
        paid = rows["amount"].dropna()
        spend = "No data" if paid.empty else f"£{sum(paid, Decimal(0)):,.0f}"
        if not paid.empty and sum(paid, Decimal(0)) % 1:
            spend = f"£{sum(paid, Decimal(0)):,.2f}"
        found[number] = (len(rows), spend)
    return found


def page_objectives(client, user, year: int):
    client.force_login(user)
    response = client.get(f"/programmes/logic-model/?year={year}")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    rows = doc.xpath('//*[@data-testid="objectives"]/tbody/tr')
    shown = {}
    for row in rows:
        number = int(row.xpath("./th")[0].text_content().split(":")[0].split()[-1])
        count = int(row.xpath('.//*[@data-testid="objective-count"]')[0].text_content())
        spend = row.xpath('.//*[@data-testid="objective-spend"]')[0].text_content().strip()
        shown[number] = (count, spend)
    return doc, shown, response.content.decode()


@pytest.mark.parametrize("year", [2020, 2021])
def test_vru_sees_every_objectives_programmes_and_spend(client, world, vru_officer, year):
    doc, shown, _ = page_objectives(client, vru_officer, year)
    assert shown == expected_objectives(year, "vru")
    assert not doc.xpath('.//*[@data-testid="visible-note"]')


def test_objective_spend_for_2020_by_hand(client, world, vru_officer):
    # Objective 1: LDN-1 and LDN-2 at £60,000 each in 2020 and LDN-3 with no 2020 amount; objective 3: only
    # LDN-3, so "No data", never £0.
    _, shown, _ = page_objectives(client, vru_officer, 2020)
    assert shown[1] == (3, "£120,000")
    assert shown[3] == (1, "No data")


def test_havering_sees_only_the_programmes_open_to_it(client, world):
    doc, shown, html = page_objectives(client, havering_viewer(), 2020)
    assert shown == expected_objectives(2020, "havering")
    assert "LDN-2" not in html  # the VRU's programme serving Lambeth only
    note = doc.xpath('.//*[@data-testid="visible-note"]')[0].text_content()
    assert "only the programmes you can see" in note


def test_overlap_rule_is_stated(client, world, vru_officer):
    doc, _, _ = page_objectives(client, vru_officer, 2020)
    rule = doc.xpath('.//*[@data-testid="overlap-rule"]')[0].text_content()
    assert "counted in full under each of them" in rule


def test_diagram_and_text_carry_the_same_figures(client, world, vru_officer):
    doc, shown, html = page_objectives(client, vru_officer, 2020)
    svg = doc.xpath('//*[@data-testid="logic-diagram"]/svg')[0]
    assert svg.get("role") == "img"
    svg_text = " ".join(t.text_content() for t in svg.iter() if t.tag in ("text", f"{SVG}text"))
    text_part = doc.xpath('.//*[@data-testid="objectives"]')[0].text_content()
    for number, (count, spend) in expected_objectives(2020, "vru").items():
        words = f"{count} programme{'' if count == 1 else 's'}, {spend} in 2020/21"
        assert words in svg_text.replace("\n", " "), number
    for ref in SEES["vru"] - {"LAM-1"}:  # LAM-1 supports no objective: not an intervention of the model
        assert ref in svg_text
        assert ref in text_part
    assert "LAM-1" not in svg_text
    assert "Measures: Young people supported; Repeat victimisation" in " ".join(svg_text.split())
    measures = doc.xpath('//*[@data-testid="objective-measures"]/li')
    assert [m.text_content() for m in measures] == ["Young people supported", "Repeat victimisation"]


def test_diagram_draws_each_link(client, world, vru_officer):
    doc, _, _ = page_objectives(client, vru_officer, 2020)
    svg = doc.xpath('//*[@data-testid="logic-diagram"]/svg')[0]
    drawn = {line.get("data-link") for line in svg.iter() if line.get("data-link")}
    expected = {f"n{link.source_id}-n{link.target_id}" for link in LogicLink.objects.all()}
    expected |= {
        f"p{row.programme_id}-n{row.logicnode_id}"
        for row in Programme.objectives.through.objects.exclude(programme__reference="LAM-1")
    }
    assert drawn == expected


def test_other_vru_sees_its_own_empty_model(client, world):
    other = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-Y", name="Other VRU")
    client.force_login(UserFactory(organisation=other, role=User.Role.VRU_ADMIN))
    html = client.get("/programmes/logic-model/").content.decode()
    assert "No logic model has been set up yet" in html
    assert "Programme LDN-1" not in html


def test_unknown_year_is_not_found(client, world, vru_officer):
    client.force_login(vru_officer)
    assert client.get("/programmes/logic-model/?year=abc").status_code == 404
    assert client.get("/programmes/logic-model/?year=1999").status_code == 404


# Editing ------------------------------------------------------------------------------------------------


def test_create_objective_with_links_is_audited(world, london, vru_officer):
    outcome = world["logic_model"]["outcome"]
    node = logic.logic_node_create(
        vru=london,
        user=vru_officer,
        data={
            "level": "objective",
            "number": 4,
            "title": "Enabling communities",
            "horizon": "2–3 years",
            "measures": " Cohesion survey \n\n Volunteers ",
            "links": [outcome.pk],
        },
    )
    assert node.measure_list == ["Cohesion survey", "Volunteers"]
    assert list(node.links_up.values_list("target_id", flat=True)) == [outcome.pk]
    link = node.links_up.get()
    assert set(
        AuditEntry.objects.filter(
            object_type="programmes.logicnode", object_id=str(node.pk), action="create"
        ).values_list("field", flat=True)
    ) == {"vru", "level", "number", "title", "horizon", "measures"}
    assert AuditEntry.objects.filter(
        object_type="programmes.logiclink", object_id=str(link.pk), action="create"
    ).exists()


def _data(**changes):
    return {
        "level": "objective",
        "number": 9,
        "title": "A title",
        "horizon": "",
        "measures": "",
        "links": [],
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": ""}, "title", "Enter the title"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"title": "bad\x00"}, "title", "NUL"),
        ({"number": 0}, "number", "from 1 to 99"),
        ({"number": 100}, "number", "from 1 to 99"),
        ({"number": 1}, "number", "Objective 1 already exists"),
        ({"horizon": "y" * 41}, "horizon", "40 characters or fewer"),
        ({"measures": "\n".join(f"m{i}" for i in range(31))}, "measures", "at most 30"),
        ({"measures": "z" * 301}, "measures", "300 characters or fewer"),
        ({"level": "programme"}, "level", "Choose the level"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(world, london, vru_officer, changes, field, words):
    before = LogicNode.objects.count()
    with pytest.raises(ValidationError) as caught:
        logic.logic_node_create(vru=london, user=vru_officer, data=_data(**changes))
    assert words in " ".join(caught.value.message_dict[field])
    assert LogicNode.objects.count() == before


def test_links_only_to_the_next_level_of_the_same_vru(world, london, vru_officer):
    aim = world["logic_model"]["aim"]
    objective = world["logic_model"]["objectives"][0]
    other = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-Z", name="Elsewhere")
    foreign = f.LogicNodeFactory(vru=other, level=LogicLevel.OUTCOME, number=1)
    cases = [
        ("objective", aim.pk, "an objective links only to an outcome"),
        ("outcome", objective.pk, "an outcome links only to an overall impact"),
        ("aim", objective.pk, "is the top of the model and links to nothing"),
        ("objective", foreign.pk, "another VRU's logic model"),
        ("objective", 999999, "does not exist"),
    ]
    for level, target, words in cases:
        with pytest.raises(ValidationError) as caught:
            logic.logic_node_create(vru=london, user=vru_officer, data=_data(level=level, links=[target]))
        assert words in caught.value.message_dict["links"][0], level
    assert not LogicNode.objects.filter(number=9).exists()


def test_update_changes_fields_and_links_audited(world, vru_officer, london):
    outcome = world["logic_model"]["outcome"]
    second = f.LogicNodeFactory(vru=london, level=LogicLevel.OUTCOME, number=2, title="Communities involved")
    node = world["logic_model"]["objectives"][0]
    old_link = node.links_up.get()
    logic.logic_node_update(
        node=node,
        user=vru_officer,
        data={"number": 1, "title": "Stronger families", "measures": "A\nB", "links": [second.pk]},
    )
    node.refresh_from_db()
    assert (node.title, node.measures) == ("Stronger families", "A\nB")
    assert list(node.links_up.values_list("target_id", flat=True)) == [second.pk]
    assert outcome.pk not in node.links_up.values_list("target_id", flat=True)
    titles = AuditEntry.objects.filter(object_type="programmes.logicnode", object_id=str(node.pk), field="title")
    assert titles.get().new == "Stronger families"
    assert AuditEntry.objects.filter(
        object_type="programmes.logiclink", object_id=str(old_link.pk), action="delete"
    ).exists()


def test_remove_refused_naming_the_programmes(world, vru_officer):
    node = world["logic_model"]["objectives"][0]
    with pytest.raises(ValidationError) as caught:
        logic.logic_node_remove(node=node, user=vru_officer)
    words = caught.value.message_dict["node"][0]
    assert "LDN-1 Programme LDN-1" in words
    assert "LDN-2 Programme LDN-2" in words
    assert "3 programmes" in words
    assert LogicNode.objects.filter(pk=node.pk).exists()


def test_remove_unused_node_removes_its_links_audited(world, vru_officer):
    aim = world["logic_model"]["aim"]
    link = aim.links_down.get()
    logic.logic_node_remove(node=aim, user=vru_officer)
    assert not LogicNode.objects.filter(pk=aim.pk).exists()
    assert not LogicLink.objects.filter(pk=link.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="programmes.logiclink", object_id=str(link.pk), action="delete"
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="programmes.logicnode", object_id=str(aim.pk), action="delete"
    ).exists()


def test_borough_editor_and_mopac_cannot_change_the_model(world, london, editor, mopac_officer):
    for user in (editor, mopac_officer):
        with pytest.raises(PermissionDenied):
            logic.logic_node_create(vru=london, user=user, data=_data())
        with pytest.raises(PermissionDenied):
            logic.logic_node_remove(node=world["logic_model"]["aim"], user=user)
    assert LogicNode.objects.filter(pk=world["logic_model"]["aim"].pk).exists()


def test_officer_adds_a_measure_through_the_page(client, world, vru_officer):
    node = world["logic_model"]["objectives"][1]
    outcome = world["logic_model"]["outcome"]
    client.force_login(vru_officer)
    response = client.post(
        f"/programmes/logic-model/{node.pk}/edit/",
        {
            "number": node.number,
            "title": node.title,
            "horizon": "2–3 years",
            "measures": "School exclusions",
            "links": [outcome.pk],
        },
    )
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.measure_list == ["School exclusions"]
    html = client.get("/programmes/logic-model/?year=2020").content.decode()
    assert "School exclusions" in html


def test_page_shows_a_wrong_link_error_on_its_field(client, world, vru_officer):
    client.force_login(vru_officer)
    response = client.post(
        "/programmes/logic-model/VRU-LDN/new/objective/",
        {"number": "1", "title": "Duplicate", "links": [str(world["logic_model"]["aim"].pk)]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Links: choose from the list" in html  # the aim is not among an objective's choices


def test_remove_page_refuses_and_lists_programmes(client, world, vru_officer):
    node = world["logic_model"]["objectives"][0]
    client.force_login(vru_officer)
    page = client.get(f"/programmes/logic-model/{node.pk}/remove/").content.decode()
    assert "It cannot be removed while these programmes are linked to it" in page
    response = client.post(f"/programmes/logic-model/{node.pk}/remove/")
    assert response.status_code == 400
    assert "unlink them from it first" in response.content.decode()
    assert LogicNode.objects.filter(pk=node.pk).exists()


def test_new_node_for_another_vru_code_is_not_found(client, world, vru_officer):
    client.force_login(vru_officer)
    assert client.get("/programmes/logic-model/VRU-X/new/objective/").status_code == 404
    assert client.get("/programmes/logic-model/VRU-LDN/new/programme/").status_code == 404


def test_edit_page_shows_the_current_values(client, world, vru_officer):
    node = world["logic_model"]["objectives"][0]
    client.force_login(vru_officer)
    doc = lxml.html.fromstring(client.get(f"/programmes/logic-model/{node.pk}/edit/").content.decode())
    assert doc.xpath('//input[@name="title"]/@value') == [node.title]
    assert doc.xpath('//input[@name="number"]/@value') == [str(node.number)]
    assert doc.xpath('//textarea[@name="measures"]')[0].text_content().strip() == node.measures
    checked = doc.xpath('//input[@name="links"][@checked]/@value')
    assert checked == [str(world["logic_model"]["outcome"].pk)]


def test_a_stale_form_is_refused_and_nothing_saved(client, world, vru_officer):
    node = world["logic_model"]["objectives"][0]
    client.force_login(vru_officer)
    doc = lxml.html.fromstring(client.get(f"/programmes/logic-model/{node.pk}/edit/").content.decode())
    loaded = doc.xpath('//input[@name="loaded"]/@value')[0]
    # A colleague changes the title meanwhile.
    logic.logic_node_update(node=node, user=vru_officer, data={"number": 1, "title": "Colleague's title"})
    response = client.post(
        f"/programmes/logic-model/{node.pk}/edit/",
        {"number": "1", "title": "My title", "measures": "Mine", "loaded": loaded},
    )
    assert response.status_code == 200
    assert "Someone else changed this part of the logic model" in response.content.decode()
    node.refresh_from_db()
    assert (node.title, node.measures) == ("Colleague's title", "")
    # The page now carries the current fingerprint: saving again goes through.
    again = lxml.html.fromstring(response.content.decode()).xpath('//input[@name="loaded"]/@value')[0]
    response = client.post(
        f"/programmes/logic-model/{node.pk}/edit/",
        {"number": "1", "title": "My title", "measures": "Mine", "loaded": again},
    )
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.title == "My title"
