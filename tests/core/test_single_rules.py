"""One rule, one place: formula neutralising in every spreadsheet export, role checks through the user's
properties, a signature's offices are the user's offices, upload limits come from settings."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.spreadsheet import FORMULA_STARTS, is_neutralised, neutralise, unneutralise
from vrhub.cycle.models import Signature
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, Theme
from vrhub.plans.services import plan_action_update, plan_add_local_action, plan_create
from vrhub.transparency.services import publication_publish
from vrhub.workbooks.export import plan_workbook

# What a spreadsheet would run, or could be led into running: each must come out with an apostrophe first.
HOSTILE = ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'=already quoted"]
# Every text field of an action that someone can type into (the local action's title and description too).
FIELDS = [
    "outcome",
    "baseline",
    "lead_name",
    "lead_role",
    "lead_agency",
    "start_note",
    "end_note",
    "progress",
    "comments",
]
ROOT = Path(__file__).resolve().parents[2]


def test_the_rule():
    for text in HOSTILE:
        assert neutralise(text) == "'" + text
        assert is_neutralised(neutralise(text)) and unneutralise(neutralise(text)) == text
    for text in ["", "1+1", "x=1", "'plain", " =1", "Knife crime -1%"]:
        assert neutralise(text) == text


@pytest.fixture
def hostile_plan(template_2021, london):
    """Havering's plan with hostile text everywhere a person can type: for each hostile text, an action with
    it in every text field, written by an editor with it as first name, and a local action with it as title
    and description; the first theme's title and the area's name too. Accepted and published."""
    havering = Organisation.objects.get(code="E09000016")
    plan = plan_create(area=havering, template=template_2021, user=None).plan
    theme = template_2021.themes.order_by("order").first()
    actions = list(plan.actions.order_by("code")[: len(HOSTILE)])
    users, local_actions = [], []
    for action, text in zip(actions, HOSTILE, strict=True):
        user = UserFactory(organisation=havering, role=User.Role.BOROUGH_EDITOR, first_name=text, last_name="")
        plan_action_update(action=action, user=user, data={f: text for f in FIELDS})
        local_actions.append(
            plan_add_local_action(plan=plan, theme=theme, user=user, title=f"{text} local", description=text)
        )
        users.append(user)
    Theme.objects.filter(pk=theme.pk).update(title=HOSTILE[0])
    Organisation.objects.filter(pk=havering.pk).update(name=HOSTILE[1])
    signatory = UserFactory(organisation=havering, role=User.Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE)
    Signature.objects.create(  # the name the signatory typed
        plan=plan, signatory=signatory, office=signatory.office, name=HOSTILE[2], statement="s", content_hash="0"
    )
    Plan.objects.filter(pk=plan.pk).update(state="accepted")
    admin = UserFactory(organisation=london, role=User.Role.VRU_ADMIN)
    publication_publish(vru=london, year=2021, user=admin)
    plan = Plan.objects.get(pk=plan.pk)
    return {"plan": plan, "actions": actions, "users": users, "local_actions": local_actions}


def _local_title(text: str) -> str:
    """A local action's title as exported: stored without surrounding space, then neutralised."""
    return neutralise(f"{text} local".strip())


def _cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode(), newline="")) for cell in row]


def _assert_every_cell_inert(cells) -> None:
    live = [c for c in cells if isinstance(c, str) and c[:1] in FORMULA_STARTS]
    assert not live, f"cells a spreadsheet would run: {live}"


@pytest.mark.django_db
def test_the_public_csv_neutralises(client, hostile_plan):
    cells = _cells(client.get(reverse("transparency:csv", args=["VRU-LDN", 2021])).content)
    _assert_every_cell_inert(cells)
    for text in HOSTILE:
        assert cells.count("'" + text) >= 2, text  # outcome and progress
        assert _local_title(text) in cells, text  # the local action's title
    assert "'" + HOSTILE[0] in cells and "'" + HOSTILE[1] in cells  # the theme's title, the area's name


@pytest.mark.django_db
def test_the_history_csv_neutralises(client, hostile_plan):
    plan = hostile_plan["plan"]
    client.force_login(UserFactory(organisation=plan.area, role=User.Role.BOROUGH_EDITOR))
    actions = hostile_plan["actions"] + hostile_plan["local_actions"]
    users = hostile_plan["users"] * 2
    for action, user in zip(actions, users, strict=True):
        url = reverse("cycle:history", args=[plan.pk, action.pk]) + "?format=csv"
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode(), newline="")))
        cells = [cell for row in rows for cell in row]
        _assert_every_cell_inert(cells)
        assert {row[1] for row in rows[1:]} - {"system"} == {neutralise(user.display_name)}, action.code  # who
        text = user.first_name
        if action in hostile_plan["actions"]:
            assert cells.count("'" + text) >= len(FIELDS), text  # the new value of every field
        else:
            assert _local_title(text) in cells, text


@pytest.mark.django_db
def test_the_excel_export_neutralises(hostile_plan):
    workbook = plan_workbook(plan=hostile_plan["plan"])
    values = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    _assert_every_cell_inert(values)
    for text in HOSTILE:
        assert values.count("'" + text) >= len(FIELDS) - 2, text  # all but the notes, when there is a date
        assert _local_title(text) in values, text
    assert "'" + HOSTILE[2] in values  # the signatory's name
    assert any(isinstance(v, str) and v.startswith("'" + HOSTILE[1] + " 2021/22") for v in values)  # area name


def test_no_other_neutraliser_in_the_code():
    """The old copies tested the first character against their own lists: none is left. Outside
    core/spreadsheet.py nothing names FORMULA_STARTS or writes out a set of formula starts ("=" and "+")."""
    inside = r"[^()\[\]{}]*"  # within one pair of brackets
    eq, plus = r"[\"']=[\"']", r"[\"']\+[\"']"
    own_list = re.compile(rf"[(\[{{]{inside}(?:{eq}{inside}{plus}|{plus}{inside}{eq})")
    found = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "vrhub").rglob("*.py")
        if p != ROOT / "vrhub/core/spreadsheet.py"
        and ("FORMULA_STARTS" in p.read_text() or own_list.search(p.read_text()))
    ]
    assert found == []
    # The scan sees the spellings it is for.
    for spelling in ['x[:1] in ("=", "+", "-", "@")', "c.startswith(('+', '='))", 'FIRST = {"@", "=", "+"}']:
        assert own_list.search(spelling), spelling


ROLE_PROPERTIES = {
    "is_vru_user": {User.Role.VRU_ADMIN, User.Role.VRU_REVIEWER},
    "is_vru_admin": {User.Role.VRU_ADMIN},
    "is_borough_user": {User.Role.BOROUGH_EDITOR, User.Role.BOROUGH_VIEWER},
    "is_borough_editor": {User.Role.BOROUGH_EDITOR},
    "is_signatory": {User.Role.SIGNATORY},
}


@pytest.mark.parametrize("role", [*User.Role.values, ""])
def test_role_properties(role):
    user = User(role=role)
    assert {name for name in ROLE_PROPERTIES if getattr(user, name)} == {
        name for name, roles in ROLE_PROPERTIES.items() if role in roles
    }


# The one file that spells out which roles make VRU staff: the User model's properties.
ROLE_SET_ALLOWED = {"vrhub/accounts/models.py"}


def test_the_vru_staff_role_set_is_written_out_only_where_allowed():
    pattern = re.compile(r"VRU_ADMIN,\s*[\w.]*VRU_REVIEWER|VRU_REVIEWER,\s*[\w.]*VRU_ADMIN|[\"']vru_reviewer[\"']")
    found = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "vrhub").rglob("*.py")
        if "migrations" not in p.parts and pattern.search(p.read_text())
    }
    assert found <= ROLE_SET_ALLOWED


def test_a_signatures_offices_are_the_users_offices():
    assert Signature._meta.get_field("office").choices == User.Office.choices
    assert Signature._meta.get_field("office").max_length >= User._meta.get_field("office").max_length


def test_every_upload_states_and_enforces_the_one_limit_from_settings(settings):
    """Documents, plan workbooks and evidence files: the same limit, from DOCUMENT_MAX_BYTES, in their
    hints and their errors (it was 10 MB written into the document form's hint)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vrhub.evidence.forms import UploadForm as EvidenceUploadForm
    from vrhub.plans.documents import validate_upload
    from vrhub.plans.forms import DocumentForm
    from vrhub.workbooks.importer import WorkbookRefused, check_file
    from vrhub.workbooks.views import UploadForm as WorkbookUploadForm

    settings.DOCUMENT_MAX_BYTES = 3 * 1024 * 1024 + 512 * 1024
    assert DocumentForm().fields["file"].help_text.endswith("; up to 3.5 MB.")
    assert WorkbookUploadForm().fields["file"].help_text == "An Excel workbook (.xlsx), up to 3.5 MB."
    assert EvidenceUploadForm().fields["file"].help_text.startswith("Up to 3.5 MB;")

    over = b"%PDF-1.7\n" + b"0" * settings.DOCUMENT_MAX_BYTES
    with pytest.raises(ValidationError, match=r"^\['The selected file must be smaller than 3.5 MB'\]$"):
        validate_upload(SimpleUploadedFile("big.pdf", over, content_type="application/pdf"))
    # The limit itself, and a byte either side: only the byte over is refused.
    for size in (settings.DOCUMENT_MAX_BYTES - 1, settings.DOCUMENT_MAX_BYTES):
        pdf = b"%PDF-1.7\n" + b"0" * (size - 9)
        assert len(pdf) == size
        assert validate_upload(SimpleUploadedFile("ok.pdf", pdf, content_type="application/pdf")) == "application/pdf"
    with pytest.raises(ValidationError, match="smaller than 3.5 MB"):
        validate_upload(SimpleUploadedFile("big.pdf", pdf + b"0", content_type="application/pdf"))
    with pytest.raises(WorkbookRefused, match=r"^The file is larger than the 3.5 MB limit\.$"):
        check_file(b"PK\x03\x04" + over, "plan.xlsx")
    evidence = EvidenceUploadForm(
        data={"kind": "police_uk"}, files={"file": SimpleUploadedFile("x.csv", over, content_type="text/csv")}
    )
    assert not evidence.is_valid()
    assert evidence.errors["file"][0].startswith("The selected file must be smaller than 3.5 MB, the limit for")


def test_sizes_read_as_people_write_them():
    from vrhub.core.limits import size_text

    assert [size_text(n) for n in (10 * 1024 * 1024, 2_621_440, 512 * 1024, 1536, 1000)] == [
        "10 MB",
        "2.5 MB",
        "512 KB",
        "1.5 KB",
        "1,000 bytes",
    ]


def test_a_users_role_is_compared_only_in_the_user_models_properties():
    """Everywhere else asks ``user.is_vru_user``, ``is_vru_admin``, ``is_signatory``…; settings-driven lists
    (the roles that need a second factor) are the one exception, read in accounts.selectors."""
    pattern = re.compile(r"\.role (==|!=|in|not in) |getattr\(\w+, [\"']role[\"']")
    found = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "vrhub").rglob("*.py")
        if "migrations" not in p.parts and pattern.search(p.read_text())
    }
    assert found == {"vrhub/accounts/models.py", "vrhub/accounts/selectors.py"}


def test_templates_ask_the_user_model_about_roles_too():
    pattern = re.compile(r"user\.role\s*(==|!=|in\b)")
    found = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "vrhub").rglob("*.html") if pattern.search(p.read_text()))
    assert found == []
