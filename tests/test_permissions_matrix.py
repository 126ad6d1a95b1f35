"""Every URL against every role, including a user of another borough and another BCU."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.isolation.london import london_in, london_markers
from tests.role_matrix import WM_ROLES
from vrhub.accounts.models import User
from vrhub.cycle.services import quarters_create, review_comment_add
from vrhub.jobs.models import Job
from vrhub.organisations.models import Organisation
from vrhub.plans import services
from vrhub.plans.templates import london_template
from vrhub.transparency.services import api_token_issue

ROLES = {
    # name: (organisation code, role, office)
    "vru_admin": ("VRU-LDN", User.Role.VRU_ADMIN, ""),
    "vru_reviewer": ("VRU-LDN", User.Role.VRU_REVIEWER, ""),
    "borough_editor": ("E09000016", User.Role.BOROUGH_EDITOR, ""),
    "borough_viewer": ("E09000016", User.Role.BOROUGH_VIEWER, ""),
    "chief_executive": ("E09000016", User.Role.SIGNATORY, User.Office.CHIEF_EXECUTIVE),
    "leader": ("E09000016", User.Role.SIGNATORY, User.Office.LEADER),
    "bcu_commander": ("MPS-EA", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    "other_borough_editor": ("E09000022", User.Role.BOROUGH_EDITOR, ""),
    "other_borough_viewer": ("E09000022", User.Role.BOROUGH_VIEWER, ""),
    "other_bcu_commander": ("MPS-AS", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    "policing_body": ("MOPAC", User.Role.POLICING_BODY, ""),
    **WM_ROLES,
    "anonymous": None,
}
CAN_SEE = {
    "vru_admin",
    "vru_reviewer",
    "borough_editor",
    "borough_viewer",
    "chief_executive",
    "leader",
    "bcu_commander",
}
CAN_EDIT = {"borough_editor"}
EDITORS_ANYWHERE = {"borough_editor", "other_borough_editor", "wm_borough_editor"}
# The West Midlands' own VRU staff: on a page of "their VRU" (the VRU view, its templates, its tokens) they get
# their own VRU's, which must show nothing of London; every London object is 404 to every West Midlands role.
WM_VRU = {"wm_vru_admin", "wm_vru_reviewer"}

# name: (method, url builder, kind). Kinds: "view" (see the plan), "edit" (change the plan),
# "public" (anyone), "signed_in" (any signed-in user), "start" (any borough editor), "admin" (staff).
URLS = {
    "healthz": ("get", lambda w: "/healthz", "public"),
    "login": ("get", lambda w: reverse("login"), "login"),
    "logout": ("post", lambda w: reverse("logout"), "logout"),
    "home": ("get", lambda w: reverse("home"), "home"),
    "plan_start": ("get", lambda w: reverse("plans:start"), "start"),
    "plan_detail": ("get", lambda w: reverse("plans:detail", args=[w["plan"].pk]), "view"),
    "add_missing": ("post", lambda w: reverse("plans:add_missing", args=[w["plan"].pk]), "edit"),
    "theme": ("get", lambda w: reverse("plans:theme", args=[w["plan"].pk, "GOV"]), "view"),
    "theme_save": ("post", lambda w: reverse("plans:theme", args=[w["plan"].pk, "GOV"]), "edit"),
    "optional": ("get", lambda w: reverse("plans:optional", args=[w["plan"].pk, "GOV"]), "edit"),
    "optional_save": ("post", lambda w: reverse("plans:optional", args=[w["plan"].pk, "GOV"]), "edit"),
    "local_new": ("get", lambda w: reverse("plans:local_new", args=[w["plan"].pk, "GOV"]), "edit"),
    "local_save": ("post", lambda w: reverse("plans:local_new", args=[w["plan"].pk, "GOV"]), "edit"),
    "action_remove": ("get", lambda w: reverse("plans:action_remove", args=[w["plan"].pk, w["optional"].pk]), "edit"),
    "action_remove_post": (
        "post",
        lambda w: reverse("plans:action_remove", args=[w["plan"].pk, w["optional"].pk]),
        "edit",
    ),
    "documents": ("get", lambda w: reverse("plans:documents", args=[w["plan"].pk, w["action"].pk]), "view"),
    "document_add": ("post", lambda w: reverse("plans:documents", args=[w["plan"].pk, w["action"].pk]), "edit"),
    "document_download": (
        "get",
        lambda w: reverse("plans:document_download", args=[w["plan"].pk, w["action"].pk, w["doc"].pk]),
        "view",
    ),
    "document_delete": (
        "post",
        lambda w: reverse("plans:document_delete", args=[w["plan"].pk, w["action"].pk, w["doc"].pk]),
        "edit",
    ),
    "admin": ("get", lambda w: "/admin/", "admin"),
    "quarters": ("get", lambda w: reverse("cycle:quarters", args=[w["plan"].pk]), "view"),
    "quarter_theme": ("get", lambda w: reverse("cycle:quarter_theme", args=[w["plan"].pk, 1, "GOV"]), "view"),
    "quarter_theme_save": ("post", lambda w: reverse("cycle:quarter_theme", args=[w["plan"].pk, 1, "GOV"]), "edit"),
    "quarter_close": ("post", lambda w: reverse("cycle:quarter_close", args=[w["plan"].pk, 1]), "vru"),
    "sign": ("get", lambda w: reverse("cycle:sign", args=[w["plan"].pk]), "sign"),
    "sign_post": ("post", lambda w: reverse("cycle:sign", args=[w["plan"].pk]), "sign"),
    "submit": ("post", lambda w: reverse("cycle:submit", args=[w["plan"].pk]), "edit"),
    "review": ("get", lambda w: reverse("cycle:review", args=[w["plan"].pk]), "vru"),
    "review_post": ("post", lambda w: reverse("cycle:review", args=[w["plan"].pk]), "vru"),
    "comment_add": ("post", lambda w: reverse("cycle:comment_add", args=[w["plan"].pk]), "comment"),
    "comment_addressed": (
        "post",
        lambda w: reverse("cycle:comment_addressed", args=[w["plan"].pk, w["comment"].pk]),
        "edit",
    ),
    "comment_reopen": ("post", lambda w: reverse("cycle:comment_reopen", args=[w["plan"].pk, w["comment"].pk]), "vru"),
    "new_version": ("post", lambda w: reverse("cycle:new_version", args=[w["plan"].pk]), "edit"),
    "history": ("get", lambda w: reverse("cycle:history", args=[w["plan"].pk, w["action"].pk]), "view"),
    "history_csv": (
        "get",
        lambda w: reverse("cycle:history", args=[w["plan"].pk, w["action"].pk]) + "?format=csv",
        "view",
    ),
    "workbook_download": ("get", lambda w: reverse("workbooks:download", args=[w["plan"].pk]), "view"),
    "workbook_upload": ("get", lambda w: reverse("workbooks:upload", args=[w["plan"].pk]), "edit"),
    "workbook_upload_post": ("post", lambda w: reverse("workbooks:upload", args=[w["plan"].pk]), "edit"),
    "workbook_confirm": ("post", lambda w: reverse("workbooks:confirm", args=[w["plan"].pk]), "edit"),
    "workbook_updates_download": (
        "get",
        lambda w: reverse("workbooks:updates_download", args=[w["plan"].pk, 1]),
        "edit",
    ),
    "workbook_updates_upload": ("get", lambda w: reverse("workbooks:updates_upload", args=[w["plan"].pk, 1]), "edit"),
    "workbook_updates_upload_post": (
        "post",
        lambda w: reverse("workbooks:updates_upload", args=[w["plan"].pk, 1]),
        "edit",
    ),
    "workbook_updates_confirm": (
        "post",
        lambda w: reverse("workbooks:updates_confirm", args=[w["plan"].pk, 1]),
        "edit",
    ),
    "dashboard_latest": ("get", lambda w: reverse("dashboard:latest"), "vru_page"),
    "dashboard_overview": ("get", lambda w: reverse("dashboard:overview", args=[2021]), "vru_page"),
    "dashboard_borough": ("get", lambda w: reverse("dashboard:borough", args=[2021, "E09000016"]), "vru_borough"),
    "dashboard_borough_wm": ("get", lambda w: reverse("dashboard:borough", args=[2021, "E22000335"]), "wm_page"),
    "learning_emerging": ("get", lambda w: reverse("learning:emerging", args=[2021]), "vru_page"),
    "learning_library": ("get", lambda w: reverse("learning:library"), "signed_in"),
    "learning_similar": ("get", lambda w: reverse("learning:similar", args=[w["plan"].pk, w["action"].pk]), "view"),
    "learning_good_practice": (
        "post",
        lambda w: reverse("learning:good_practice", args=[w["plan"].pk, w["action"].pk]),
        "comment",
    ),
    "report_scrutiny": ("get", lambda w: reverse("reports:scrutiny", args=[w["plan"].pk, "pdf"]), "view"),
    "report_scrutiny_docx": ("get", lambda w: reverse("reports:scrutiny", args=[w["plan"].pk, "docx"]), "view"),
    "report_london": ("get", lambda w: reverse("reports:london", args=[2021, "pdf"]), "vru_page"),
    "report_prepare": ("post", lambda w: reverse("reports:prepare"), "prepare"),
    "reminders_start": ("post", lambda w: reverse("cycle:reminders_start"), "vru_admin"),
    "jobs_list": ("get", lambda w: reverse("jobs:list"), "signed_in"),
    "jobs_detail": ("get", lambda w: reverse("jobs:detail", args=[w["job"].pk]), "others_job"),
    "jobs_status": ("get", lambda w: reverse("jobs:status", args=[w["job"].pk]), "others_job"),
    "jobs_output": ("get", lambda w: reverse("jobs:output", args=[w["job"].pk]), "others_job"),
    "jobs_retry": ("post", lambda w: reverse("jobs:retry", args=[w["job"].pk]), "others_job"),
    "evidence_index": ("get", lambda w: reverse("evidence:index"), "signed_in"),
    "evidence_cite": (
        "get",
        lambda w: reverse("evidence_cite") + "?area=E09000016&measure=x&period=2023-01:2023-02",
        "bad_request",
    ),
    "evidence_trend": ("get", lambda w: reverse("evidence:trend"), "signed_in"),
    "evidence_need": ("get", lambda w: reverse("evidence:need"), "signed_in"),
    "evidence_need_geojson": ("get", lambda w: reverse("evidence:need_geojson"), "signed_in"),
    "evidence_profile": ("get", lambda w: reverse("evidence:profile", args=["E09000016"]), "signed_in"),
    "evidence_istv": ("get", lambda w: reverse("evidence:istv") + "?area=E09000016", "signed_in"),
    "evidence_hotspots": ("get", lambda w: reverse("evidence:hotspots"), "signed_in"),
    "evidence_upload": ("get", lambda w: reverse("evidence:upload"), "vru_admin_page"),
    "evidence_upload_post": ("post", lambda w: reverse("evidence:upload"), "vru_admin_page"),
    "transparency_index": ("get", lambda w: reverse("transparency:index"), "public"),
    "transparency_plans": ("get", lambda w: reverse("transparency:plans", args=["VRU-LDN", 2021]), "unpublished"),
    "transparency_csv": ("get", lambda w: reverse("transparency:csv", args=["VRU-LDN", 2021]), "unpublished"),
    "transparency_publish": ("get", lambda w: reverse("transparency:publish", args=[2021]), "vru_admin_page"),
    "transparency_publish_post": ("post", lambda w: reverse("transparency:publish", args=[2021]), "vru_admin"),
    # Nothing is published in the world: the VRU admin is sent back to the London view, saying so.
    "transparency_withdraw": ("get", lambda w: reverse("transparency:withdraw", args=[2021]), "vru_admin"),
    "transparency_withdraw_post": ("post", lambda w: reverse("transparency:withdraw", args=[2021]), "vru_admin"),
    "transparency_duty_strategies": (
        "get",
        lambda w: reverse("transparency:duty_strategies", args=["VRU-LDN"]),
        "public",
    ),
    # No strategy is published in this world: the public page of one is not there for anyone.
    "transparency_duty_strategy": (
        "get",
        lambda w: reverse("transparency:duty_strategy", args=["VRU-LDN", "E09000016"]),
        "unpublished",
    ),
    # Governance's public pages: the list is there for everyone (no group in this world); a group, a meeting,
    # its actions arising report and a paper are not there for anyone when nothing is published.
    "transparency_governance_groups": (
        "get",
        lambda w: reverse("transparency:governance_groups", args=["VRU-LDN"]),
        "public",
    ),
    "transparency_governance_group": (
        "get",
        lambda w: reverse("transparency:governance_group", args=["VRU-LDN", "havering-csp"]),
        "unpublished",
    ),
    "transparency_governance_meeting": (
        "get",
        lambda w: reverse("transparency:governance_meeting", args=["VRU-LDN", "havering-csp", "2026-03-06"]),
        "unpublished",
    ),
    "transparency_governance_actions": (
        "get",
        lambda w: reverse("transparency:governance_actions", args=["VRU-LDN", "havering-csp", "2026-03-06"]),
        "unpublished",
    ),
    "transparency_governance_paper": (
        "get",
        lambda w: reverse("transparency:governance_paper", args=["VRU-LDN", "havering-csp", "2026-03-06", 1]),
        "unpublished",
    ),
    # 360Giving open data: the grants page is public; this world's VRU has no funder profile, so no year's file
    # is published (tests/transparency/test_programmes_public.py serves them).
    "transparency_programmes_grants": (
        "get",
        lambda w: reverse("transparency:programmes_grants", args=["VRU-LDN"]),
        "public",
    ),
    "transparency_programmes_grants_json": (
        "get",
        lambda w: reverse("transparency:programmes_grants_json", args=["VRU-LDN", 2020]),
        "unpublished",
    ),
    "transparency_programmes_grants_xlsx": (
        "get",
        lambda w: reverse("transparency:programmes_grants_xlsx", args=["VRU-LDN", 2020]),
        "unpublished",
    ),
    # The national view of published plans and strategies, its CSV and its open data: public.
    "transparency_national": ("get", lambda w: reverse("transparency:national"), "public"),
    "transparency_national_csv": ("get", lambda w: reverse("transparency:national_csv"), "public"),
    "transparency_api_national": ("get", lambda w: reverse("transparency:api_national"), "public"),
    "transparency_api_index": ("get", lambda w: reverse("transparency:api_index"), "public"),
    "transparency_api_openapi": ("get", lambda w: reverse("transparency:api_openapi"), "public"),
    "transparency_api_public_plans": (
        "get",
        lambda w: reverse("transparency:api_public_plans", args=["VRU-LDN", 2021]),
        "unpublished",
    ),
    "transparency_api_plans": ("get", lambda w: reverse("transparency:api_plans"), "api"),
    "transparency_api_plan": ("get", lambda w: reverse("transparency:api_plan", args=[w["plan"].pk]), "api_plan"),
    "transparency_api_london_summary": (
        "get",
        lambda w: reverse("transparency:api_london_summary", args=[2021]),
        "api_vru",
    ),
    "account_account": ("get", lambda w: reverse("accounts:account"), "signed_in"),
    "account_password_change": ("get", lambda w: reverse("accounts:password_change"), "signed_in"),
    "account_otp_setup": ("get", lambda w: reverse("accounts:otp_setup"), "signed_in"),
    "account_otp_verify": ("get", lambda w: reverse("accounts:otp_verify"), "redirect"),
    "account_otp_backup_codes": ("post", lambda w: reverse("accounts:otp_backup_codes"), "redirect"),
    "account_otp_remove": ("get", lambda w: reverse("accounts:otp_remove"), "redirect"),
    "account_token_new": ("get", lambda w: reverse("accounts:token_new"), "signed_in"),
    "account_token_new_post": ("post", lambda w: reverse("accounts:token_new"), "signed_in"),
    "account_token_revoke": ("get", lambda w: reverse("accounts:token_revoke", args=[w["token"].pk]), "token"),
    "account_token_revoke_post": (
        "post",
        lambda w: reverse("accounts:token_revoke", args=[w["token"].pk]),
        "token_revoke",
    ),
    "account_vru_tokens": ("get", lambda w: reverse("accounts:vru_tokens"), "vru_admin_page"),
    # Template management: the list is the VRU admins' page; a template and its parts are found only by
    # an admin of its VRU (anyone else cannot tell that it exists). The world's template is published, so
    # the admin's changes to its actions are refused on the page (200) rather than made.
    "template_list": ("get", lambda w: reverse("templates:list"), "vru_admin_page"),
    "template_next": ("post", lambda w: reverse("templates:next"), "vru_admin"),
    "template_detail": ("get", lambda w: reverse("templates:detail", args=[w["plan"].template_id]), "template"),
    "template_settings": ("get", lambda w: reverse("templates:settings", args=[w["plan"].template_id]), "template"),
    "template_settings_post": (
        "post",
        lambda w: reverse("templates:settings", args=[w["plan"].template_id]),
        "template",
    ),
    "template_theme_new": ("get", lambda w: reverse("templates:theme_new", args=[w["plan"].template_id]), "template"),
    "template_theme_new_post": (
        "post",
        lambda w: reverse("templates:theme_new", args=[w["plan"].template_id]),
        "template",
    ),
    "template_theme": (
        "get",
        lambda w: reverse("templates:theme", args=[w["plan"].template_id, w["action"].theme_id]),
        "template",
    ),
    "template_theme_post": (
        "post",
        lambda w: reverse("templates:theme", args=[w["plan"].template_id, w["action"].theme_id]),
        "template",
    ),
    "template_action_new": (
        "get",
        lambda w: reverse("templates:action_new", args=[w["plan"].template_id, w["action"].theme_id]),
        "template",
    ),
    "template_action_new_post": (
        "post",
        lambda w: reverse("templates:action_new", args=[w["plan"].template_id, w["action"].theme_id]),
        "template",
    ),
    "template_action": (
        "get",
        lambda w: reverse("templates:action", args=[w["plan"].template_id, w["action"].template_action_id]),
        "template",
    ),
    "template_action_post": (
        "post",
        lambda w: reverse("templates:action", args=[w["plan"].template_id, w["action"].template_action_id]),
        "template",
    ),
    "template_action_retire": (
        "post",
        lambda w: reverse("templates:action_retire", args=[w["plan"].template_id, w["action"].template_action_id]),
        "template",
    ),
    "template_preview": ("get", lambda w: reverse("templates:preview", args=[w["plan"].template_id]), "template"),
    "template_publish": ("get", lambda w: reverse("templates:publish", args=[w["plan"].template_id]), "template"),
    "template_publish_post": (
        "post",
        lambda w: reverse("templates:publish", args=[w["plan"].template_id]),
        "template",
    ),
    "account_sign_ins": ("get", lambda w: reverse("accounts:sign_ins"), "vru_admin_page"),
    # A VRU admin's areas: nothing chosen is an error on the page (200); Havering has plans, so giving it back
    # is refused with a message (302). tests/organisations/test_area_views.py covers other VRUs' areas (404).
    "organisations_areas": ("get", lambda w: reverse("organisations:areas"), "vru_admin_page"),
    "organisations_areas_post": ("post", lambda w: reverse("organisations:areas"), "vru_admin_page"),
    "organisations_area_release": (
        "post",
        lambda w: reverse("organisations:area_release", args=["E09000016"]),
        "vru_admin_london",
    ),
}
POST_DATA = {
    "comment_add": {"body": "A comment"},
    "learning_good_practice": {"note": "Worth copying"},
    "account_token_new_post": {"name": "BI tool", "days": "30"},
    "report_prepare": lambda w: {"kind": "scrutiny", "plan": w["plan"].pk, "fmt": "pdf"},
}
SIGNATORIES = {"chief_executive", "leader", "bcu_commander"}
# Texts of the world's London objects that no West Midlands page may show (with London's organisations).
LONDON_TEXTS = ("Havering knife crime strategy", "GOV-M1 needs a baseline", "Havering BI")
VRU = {"vru_admin", "vru_reviewer"}
# Known bugs, each a strict expected failure of one URL for some roles: (URL name, role) -> the answer given instead
# of the expected one. Any other answer fails, and so does the expected one (remove the row then). The multiple-need
# ranking covers London's boroughs only (evidence.selectors._units): for a West Midlands user the form's default
# area is one of theirs, so the map's JSON answers 400 to a request that sent no parameter (and the page opens on
# that error) — not the 200 a signed-in page owes them.
KNOWN_BUGS: dict[tuple[str, str], tuple[int, str]] = {}


@pytest.fixture
def world(template_2021, west_midlands):
    # The West Midlands hold a plan too (Birmingham's, on their own 2021 template): their pages are not empty.
    wm_template = services.template_create_from_content(
        vru=west_midlands, year=2021, title="WM 2021", themes=london_template().themes_2021, published=True
    )
    birmingham = Organisation.objects.get(code="E22000335")
    services.plan_create(area=birmingham, template=wm_template, user=UserFactory(organisation=birmingham))
    havering = Organisation.objects.get(code="E09000016")
    editor = UserFactory(organisation=havering)
    plan = services.plan_create(area=havering, template=template_2021, user=editor).plan
    quarters_create(template=template_2021)
    gov = plan.template.themes.get(code="GOV")
    services.plan_set_optional_actions(
        plan=plan, theme=gov, user=editor, adopted=[gov.template_actions.filter(kind="optional").first()]
    )
    action = plan.actions.get(code="GOV-M1")
    doc = services.document_add(
        action=action,
        user=editor,
        title="Havering knife crime strategy",
        file=SimpleUploadedFile("s.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    token, _key = api_token_issue(user=editor, name="Havering BI")
    job = Job.objects.create(kind="reports.scrutiny", started_by=editor, params={"plan": plan.pk, "fmt": "pdf"})
    reviewer = UserFactory(organisation=template_2021.vru, role=User.Role.VRU_REVIEWER)
    comment = review_comment_add(plan=plan, user=reviewer, body="GOV-M1 needs a baseline", action=action)
    return {
        "comment": comment,
        "job": job,
        "plan": plan,
        "action": action,
        "optional": plan.actions.get(source="optional"),
        "doc": doc,
        "token": token,
    }


def expected_wm(kind: str, role: str) -> set[int] | None:
    """What a West Midlands role gets where it differs from any other outsider's answer: pages of their own VRU
    (200, or a redirect after a POST), the West Midlands' own borough page (their VRU staff); None elsewhere."""
    if kind == "vru_page" and role in WM_VRU:
        return {200, 302}  # (a 302 to a sign-in page is a failure: see test_url_role_matrix)
    if kind == "api_vru" and role in WM_VRU:
        return {200}
    if kind == "wm_page":
        return {200} if role in WM_VRU else {403}
    if kind == "vru_admin_page" and role == "wm_vru_admin":
        return {200}
    if kind == "vru_admin" and role == "wm_vru_admin":
        return {302}
    if kind == "vru_admin_london" and role == "wm_vru_admin":
        # A VRU admin's change to one of London's objects named in the URL (an area, say): not theirs to find.
        return {404}
    if kind == "home" and role in WM_VRU:
        return {302}
    return None


def expected(kind: str, role: str) -> set[int]:
    if role in WM_ROLES and (wm := expected_wm(kind, role)) is not None:
        return wm
    if kind == "vru_admin_london":
        # London's admin changes it (a redirect after the POST); other people are refused as for "vru_admin".
        return expected("vru_admin", role)
    if kind == "vru_borough":
        # A London borough's page of the VRU view: London's VRU staff; other signed-in people refused as for
        # any VRU page, except another VRU's staff, who cannot tell it exists.
        return expected("vru_page", role) if role not in WM_VRU else {404}
    if kind == "wm_page":
        # Birmingham's page of the VRU view: London's VRU staff cannot tell it exists.
        return {302} if role == "anonymous" else ({404} if role in VRU else {403})
    if kind == "logout":
        return {302}
    if kind == "unpublished":
        return {404}
    if kind == "bad_request" and role != "anonymous":
        return {400}
    if kind == "api":
        return {401} if role == "anonymous" else {200}
    if kind == "api_plan":
        return {401} if role == "anonymous" else ({200} if role in CAN_SEE else {404})
    if kind == "api_vru":
        return {401} if role == "anonymous" else ({200} if role in VRU else {403})
    if role != "anonymous" and kind == "vru_admin_page":
        return {200} if role == "vru_admin" else {403}
    if role != "anonymous" and kind == "vru_admin":
        return {302} if role == "vru_admin" else {403}
    if role != "anonymous" and kind == "template":
        return {200, 302} if role == "vru_admin" else {404}
    if kind == "login":
        return {302} if role != "anonymous" else {200}
    if role != "anonymous" and kind == "others_job":
        # Every job in the world was started by someone else: no one else can tell that it exists.
        return {404}
    if role != "anonymous" and kind == "prepare":
        return {302} if role in CAN_SEE else {404}
    if role == "anonymous":
        return {200} if kind == "public" else {302}
    if kind == "redirect":
        return {302}
    if kind in {"token", "token_revoke"}:
        # Only the token's owner (a Havering editor made for the world) and their VRU's admins.
        return ({200} if kind == "token" else {302}) if role == "vru_admin" else {404}
    if kind in {"public", "signed_in"}:
        return {200}
    if kind == "home":
        return {302} if role in VRU else {200}
    if kind == "vru_page":
        return {200, 302} if role in VRU else {403}
    if kind == "admin":
        return {200} if role == "vru_admin" else {302}
    if kind == "start":
        return {200} if role in EDITORS_ANYWHERE else {404}
    if kind == "view":
        return {200} if role in CAN_SEE else {404}
    if kind in {"vru", "sign", "comment"}:
        allowed = SIGNATORIES if kind == "sign" else VRU
        if role in allowed:
            return {302} if kind == "comment" else {200, 302}
        return {403} if role in CAN_SEE else {404}
    # edit: editors of the borough may (200 or a redirect after a POST); those who may only look get 403;
    # everyone else cannot tell that the plan exists.
    if role in CAN_EDIT:
        return {200, 302}
    return {403} if role in CAN_SEE else {404}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_url_role_matrix(client, world, role):
    """One role per test, every URL in turn: reads first, then the changes, the destructive ones last."""
    if ROLES[role] is not None:
        code, user_role, office = ROLES[role]
        user = UserFactory(
            organisation=Organisation.objects.get(code=code),
            role=user_role,
            office=office,
            # London's VRU admin also operates the service (Django's /admin/, which spans every VRU), as in the
            # demo data; another VRU's admins never do, so /admin/ sends them to sign in as staff.
            is_staff=role == "vru_admin",
            is_superuser=role == "vru_admin",
        )
    order = sorted(URLS, key=lambda n: (URLS[n][0] == "post", n in DESTRUCTIVE, n == "logout"))
    markers = london_markers(extra=LONDON_TEXTS) if role in WM_ROLES else set()
    failures = []
    for url_name in order:
        if ROLES[role] is not None:
            client.force_login(user)
        method, build, kind = URLS[url_name]
        url = build(world)
        data = POST_DATA.get(url_name, {})
        data = data(world) if callable(data) else data
        response = client.post(url, data) if method == "post" else client.get(url)
        if (url_name, role) in KNOWN_BUGS:
            status, words = KNOWN_BUGS[url_name, role]
            if response.status_code in expected(kind, role):
                failures.append(f"{url_name}: now {response.status_code} as expected: remove it from KNOWN_BUGS")
            elif response.status_code != status or words not in response.content.decode():
                failures.append(f"{url_name}: {response.status_code}, neither {expected(kind, role)} nor the known bug")
            continue
        if response.status_code not in expected(kind, role):
            failures.append(
                f"{method.upper()} {url} ({url_name}): {response.status_code}, expected {expected(kind, role)}"
            )
        elif (
            role == "anonymous"
            and kind not in {"public", "login", "logout", "unpublished", "api", "api_plan", "api_vru"}
            and "login" not in response["Location"]
        ):
            failures.append(f"{url_name}: anonymous user not sent to sign in")
        elif (
            ROLES[role] is not None
            and response.status_code == 302
            and kind not in {"admin", "logout"}
            and "login" in response["Location"]
        ):
            # Sets such as {200, 302} hold a redirect after a change, never a refusal that sends a signed-in
            # user to sign in (only Django's /admin/ does that, to people who are not staff).
            failures.append(f"{url_name}: signed-in user sent to sign in ({response['Location']})")
        elif markers and kind != "public" and response.status_code == 200 and not url_name.startswith("evidence_"):
            # (The evidence pages' open data is shared by design; their isolation is tested in tests/evidence.)
            # A page a West Midlands user may open (their lists, their VRU's pages) shows nothing of London.
            if seen := london_in(response.content, markers):
                failures.append(f"{method.upper()} {url} ({url_name}) shows London: {', '.join(seen[:5])}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


DESTRUCTIVE = {
    "action_remove_post",
    "optional_save",
    "document_delete",
    "quarter_close",
    "transparency_publish_post",
    "transparency_withdraw_post",
    "account_token_revoke_post",
    "organisations_area_release",
}


def test_every_url_is_in_the_matrix():
    from django.urls import get_resolver

    from vrhub.evidence import urls as evidence_urls
    from vrhub.plans import urls as plan_urls

    names = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    names |= {p.name for p in evidence_urls.citation_urlpatterns}
    plan_names = {p.name for p in plan_urls.urlpatterns}
    covered_targets = {
        "start": "plan_start",
        "detail": "plan_detail",
        "add_missing": "add_missing",
        "theme": "theme",
        "optional": "optional",
        "local_new": "local_new",
        "action_remove": "action_remove",
        "documents": "documents",
        "document_download": "document_download",
        "document_delete": "document_delete",
    }
    assert plan_names == set(covered_targets), "a new plans URL needs a row in the permission matrix"
    assert set(covered_targets.values()) <= set(URLS)
    from vrhub.cycle import urls as cycle_urls
    from vrhub.workbooks import urls as workbook_urls

    cycle_names = {p.name for p in cycle_urls.urlpatterns}
    covered = set(URLS) | {n.removesuffix("_post").removesuffix("_save").removesuffix("_csv") for n in URLS}
    assert cycle_names <= covered
    assert {f"workbook_{p.name}" for p in workbook_urls.urlpatterns} <= covered
    from vrhub.dashboard import urls as dashboard_urls
    from vrhub.learning import urls as learning_urls

    assert {f"dashboard_{p.name}" for p in dashboard_urls.urlpatterns} <= covered
    assert {f"learning_{p.name}" for p in learning_urls.urlpatterns} <= covered
    from vrhub.reports import urls as report_urls

    assert {f"report_{p.name}" for p in report_urls.urlpatterns} <= covered
    from vrhub.evidence import urls as evidence_urls

    assert {f"evidence_{p.name}" for p in evidence_urls.urlpatterns} <= covered
    from vrhub.transparency import urls as transparency_urls

    assert {f"transparency_{p.name}" for p in transparency_urls.urlpatterns} <= covered
    from vrhub.jobs import urls as job_urls

    assert {f"jobs_{p.name}" for p in job_urls.urlpatterns} <= covered
    from vrhub.plans import template_urls

    assert {f"template_{p.name}" for p in template_urls.urlpatterns} <= covered
    from vrhub.accounts import urls as account_urls

    assert {f"account_{p.name}" for p in account_urls.urlpatterns} <= covered
    from vrhub.organisations import urls as organisation_urls

    assert {f"organisations_{p.name}" for p in organisation_urls.urlpatterns} <= covered
    assert names == {"home", "healthz", "login", "logout", "evidence_cite"}
    assert "evidence_cite" in URLS
