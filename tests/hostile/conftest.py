"""The world hostile inputs are thrown at, and the checks every case shares.

Every case must be refused with a message that names what is wrong, must leave every table as it was
(``snapshot``: the audit trail and the rows that forms, uploads, the API and commands can change,
field by field) and must never answer 500.
"""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter, ReviewComment, Signature
from vrhub.cycle.services import quarters_create, review_comment_add
from vrhub.jobs.models import Job
from vrhub.learning.models import GoodPractice
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load
from vrhub.plans import services
from vrhub.plans.models import Plan, PlanAction, SupportingDocument
from vrhub.plans.services import template_create_from_content
from vrhub.plans.templates import london_template
from vrhub.transparency.models import ApiToken

# The rows any way in could change; compared value by value before and after each case.
WATCHED = [Plan, PlanAction, SupportingDocument, QuarterlyUpdate, ReportingQuarter, Signature, ReviewComment]
WATCHED += [GoodPractice, ApiToken, Job]


def snapshot() -> dict:
    state = {"audit": AuditEntry.objects.count()}
    for model in WATCHED:
        rows = list(model.objects.order_by("pk").values())
        for row in rows:
            row.pop("last_used_at", None)  # a token records its use, even in a refused request
        state[model.__name__] = rows
    media = Path(settings.MEDIA_ROOT)
    state["media"] = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())
    return state


def assert_saved_nothing(before: dict) -> None:
    """Every watched table (and the uploaded files) exactly as in ``before``, a ``snapshot()``."""
    after = snapshot()
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"saved despite the refusal: {changed}"


def page_text(response) -> str:
    """What the person is told: the page's text (tags stripped), JSON, and any flashed messages."""
    parts = [str(m) for m in get_messages(response.wsgi_request)] if hasattr(response, "wsgi_request") else []
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode("utf-8", "replace")
    else:
        body = response.content.decode("utf-8", "replace")
    parts.append(html.unescape(re.sub(r"<[^>]+>", " ", body)))
    return re.sub(r"\s+", " ", " ".join(parts))


def error_summary(response) -> str:
    """The GOV.UK error summary's text: empty when the page has none."""
    body = response.content.decode("utf-8", "replace")
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(0)))) if match else ""


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """Built once per test module and rolled back after it; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world, db):
    return module_world


def build_world() -> dict:
    """Havering's 2021 plan (with an optional and a local action, a document and a review comment),
    Lambeth's submitted plan with its own comment, the four quarters, and a user in every role."""
    london_load()
    template_2021 = template_create_from_content(
        vru=Organisation.objects.get(code="VRU-LDN"),
        year=2021,
        title="2021 template",
        themes=london_template().themes_2021,
        published=True,
    )
    havering = Organisation.objects.get(code="E09000016")
    editor = UserFactory(username="hav.editor", organisation=havering, role=User.Role.BOROUGH_EDITOR)
    london = Organisation.objects.get(code="VRU-LDN")
    lambeth = Organisation.objects.get(code="E09000022")
    quarters_create(template=template_2021)
    plan = services.plan_create(area=havering, template=template_2021, user=editor).plan
    gov = plan.template.themes.get(code="GOV")
    services.plan_set_optional_actions(
        plan=plan, theme=gov, user=editor, adopted=[gov.template_actions.filter(kind="optional").first()]
    )
    local = services.plan_add_local_action(plan=plan, theme=gov, user=editor, title="Youth hub outreach")
    action = plan.actions.get(code="GOV-M1")
    doc = services.document_add(
        action=action,
        user=editor,
        title="Strategy",
        file=SimpleUploadedFile("s.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    users = {
        "editor": editor,
        "viewer": UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER),
        "reviewer": UserFactory(organisation=london, role=User.Role.VRU_REVIEWER),
        "admin": UserFactory(organisation=london, role=User.Role.VRU_ADMIN),
        "chief": UserFactory(organisation=havering, role=User.Role.SIGNATORY, office=User.Office.CHIEF_EXECUTIVE),
        "lambeth_editor": UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR),
    }
    comment = review_comment_add(plan=plan, user=users["reviewer"], body="Say who leads GOV-M1")
    other = services.plan_create(area=lambeth, template=template_2021, user=users["lambeth_editor"]).plan
    Plan.objects.filter(pk=other.pk).update(state=Plan.State.SUBMITTED)
    other.refresh_from_db()
    other_comment = review_comment_add(plan=other, user=users["reviewer"], body="Lambeth: add a baseline")
    return {
        "template": template_2021,
        "plan": plan,
        "action": action,
        "local": local,
        "optional": plan.actions.get(source="optional"),
        "doc": doc,
        "comment": comment,
        "other_plan": other,
        "other_comment": other_comment,
        "users": users,
    }


def told(response) -> str:
    """What a refused request tells the person: the error summary of a page shown again (which must
    have one), the error messages flashed before a redirect, or the text of an error page or JSON."""
    if response.status_code == 200:
        summary = error_summary(response)
        assert summary, "the page was shown again without an error summary"
        return summary
    if response.status_code == 302:
        errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert errors, "redirected without an error message"
        return " ".join(errors)
    return page_text(response)


EDITABLE = ["outcome", "baseline", "lead_name", "lead_role", "lead_agency", "start_note", "end_note"]
EDITABLE += ["progress", "comments", "status"]


def theme_post(plan, target=None, theme="GOV", **fields) -> dict:
    """A theme page's form as the browser sends it, every action as it is, ``fields`` changed on ``target``."""
    data = {}
    for action in plan.actions.filter(theme__code=theme):
        prefix = f"a{action.pk}-"
        data[prefix + "version"] = str(action.version)
        if action.source == "local":
            data[prefix + "title"] = action.title
        for name in EDITABLE:
            data[prefix + name] = getattr(action, name)
        for name in ("start_date", "end_date"):
            value = getattr(action, name)
            data[prefix + name] = value.isoformat() if value else ""
        for name in ("start_estimated", "end_estimated"):
            if getattr(action, name):
                data[prefix + name] = "on"
    for name, value in fields.items():
        data[f"a{target.pk}-{name}"] = value
    return data


def quarter_post(plan, changes: dict, theme="GOV") -> dict:
    """A quarter's theme page as the browser sends it (no updates yet): ``{action: {field: value}}``."""
    data = {}
    for action in plan.actions.filter(theme__code=theme):
        data |= {f"a{action.pk}-{f}": "" for f in ("progress", "status", "measured_value")}
        data[f"a{action.pk}-version"] = "0"
    for action, fields in changes.items():
        data |= {f"a{action.pk}-{name}": value for name, value in fields.items()}
    return data


@pytest.fixture(scope="module")
def evidence_file(tmp_path_factory):
    """A small evidence store with the MPS violence figures for a few Havering LSOAs."""
    from tests.evidence.test_mps_imd_need import LSOA_CSV
    from vrhub.evidence.loaders.mps import load_mps

    folder = tmp_path_factory.mktemp("hostile-evidence")
    path = str(folder / "evidence.duckdb")
    (folder / "lsoa.csv").write_text(LSOA_CSV, encoding="utf-8")
    with override_settings(EVIDENCE_DUCKDB=path):
        load_mps(paths=[str(folder / "lsoa.csv")])
    return path
