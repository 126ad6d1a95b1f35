"""One audited write path, proven.

(a) Every model on the admin site is audited (``AuditedAdminMixin``) or read-only, and the admin's add,
    change, inline and bulk-delete writes are audited with who, old and new values.
(b) Every public function of every ``vrhub/*/services.py`` has a scenario below. Each scenario runs the
    function while every SQL statement is captured: a write (INSERT, UPDATE, DELETE) to a domain table
    must come with audit entries for that kind of object, written in the same call; every entry names the
    user the call acts as (none for a system call); and every row made or deleted has an entry with its own
    primary key. Functions that only read are run too, must write nothing, and must succeed. A new service
    function without a scenario fails here.
"""

import importlib
import importlib.util
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models, transaction
from django.forms import inlineformset_factory, modelform_factory
from django.test import RequestFactory
from django.utils import timezone

import vrhub
from tests.accounts.conftest import code_for
from tests.core.scenario import CYCLE, STANDARD, Scenario
from tests.cycle.conftest import complete_plan, quarters, reviewer, signatories  # noqa: F401  (fixtures)
from tests.factories import TemplateActionFactory, TemplateFactory, ThemeFactory, UserFactory
from tests.plans.conftest import complete_content
from vrhub.accounts.models import User
from vrhub.core.admin import AuditedAdminMixin
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, TemplateAction, Theme

pytestmark = pytest.mark.django_db

# Tables written without an audit entry, and why. Everything else in the database is a domain table.
NOT_DOMAIN = {
    "core_auditentry": "the audit trail itself",
    "django_session": "sessions: who is signed in, not a record of the service",
    "accounts_signinevent": "the sign-in record, itself an audit record (who, when, where, outcome)",
    "cycle_remindersent": "the record of each reminder e-mail sent, itself the audit of reminders",
    "axes_accessattempt": "django-axes' throttle of failed sign-ins (unlocking one in the admin is audited)",
    "axes_accesslog": "django-axes' log of sign-ins, itself a record",
    "axes_accessfailurelog": "django-axes' log of failed sign-ins, itself a record",
    "django_tasks_database_dbtaskresult": "the task queue's bookkeeping; the job it runs (jobs_job) is audited",
}
# A write to the left table is audited by entries for the right model (the rows belong to it).
COVERED_BY = {"otp_static.statictoken": "otp_static.staticdevice"}
# Statements that touch a domain table without changing what it records, and why they need no entry.
BOOKKEEPING = [
    (
        re.compile(r'^UPDATE "plans_plan" SET "updated_at" = \S+ WHERE "plans_plan"\."id" = '),
        "the plan's last-changed time, touched by each content change (which is audited with the plan's id)",
    ),
]

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)


def _table_labels() -> dict[str, str]:
    return {m._meta.db_table: m._meta.label_lower for m in apps.get_models(include_auto_created=True)}


@dataclass
class Captured:
    writes: list[tuple[str, str, str]] = field(default_factory=list)  # (verb, table, sql)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = WRITE.match(sql)
        # A statement that changed no rows (a cascade's DELETE … WHERE with nothing to delete) wrote nothing.
        verb = match.group(1).split()[0].upper() if match else ""
        if match and not (verb in ("UPDATE", "DELETE") and context["cursor"].rowcount == 0):
            self.writes.append((verb, match.group(2), sql))
        return result


def run_captured(call: Callable[[], object]) -> tuple[object, Captured, dict[str, int]]:
    """Run ``call``, capturing its SQL writes and counting the audit entries it wrote, by object type."""
    result, captured, audited, _entries = run_captured_entries(call)
    return result, captured, audited


def run_captured_entries(call: Callable[[], object]):
    """As ``run_captured``, and also the entries written: (object_type, object_id, actor_id) each."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    captured = Captured()
    with connection.execute_wrapper(captured):
        result = call()
    entries = list(AuditEntry.objects.filter(id__gt=last).values_list("object_type", "object_id", "actor_id"))
    audited: dict[str, int] = {}
    for object_type, _id, _actor in entries:
        audited[object_type] = audited.get(object_type, 0) + 1
    return result, captured, audited, entries


def domain_models(allowed: dict[str, str] | None = None) -> list:
    skip = {**NOT_DOMAIN, **(allowed or {})}
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table not in skip]


def row_ids(models) -> dict[str, set[str]]:
    """Every row's primary key, as the audit trail writes it, by model label."""
    return {m._meta.label_lower: {str(pk) for pk in m._default_manager.values_list("pk", flat=True)} for m in models}


def unaudited_rows(before: dict[str, set[str]], after: dict[str, set[str]], entries) -> list[str]:
    """Each row made or deleted by the call whose own primary key has no audit entry."""
    audited_ids: dict[str, set[str]] = {}
    for object_type, object_id, _actor in entries:
        audited_ids.setdefault(object_type, set()).add(object_id)
    problems = []
    for label in before:
        if label in COVERED_BY:  # audited through the rows it belongs to, not its own ids
            continue
        for what, ids in (("made", after[label] - before[label]), ("deleted", before[label] - after[label])):
            missing = ids - audited_ids.get(label, set())
            if missing:
                problems.append(f"{label} rows {what} without an entry of their own: {sorted(missing)}")
    return problems


def unaudited_writes(captured: Captured, audited: dict[str, int], allowed: dict[str, str] | None = None) -> list[str]:
    """Each captured write to a domain table with no audit entry for its model written in the same call."""
    labels = _table_labels()
    allowed = allowed or {}
    problems = []
    for verb, table, sql in captured.writes:
        if table in NOT_DOMAIN or table in allowed or any(p.match(sql) for p, _ in BOOKKEEPING):
            continue
        label = labels.get(table, table)
        if audited.get(COVERED_BY.get(label, label)):
            continue
        problems.append(f"{verb} {table} without an audit entry for {label}: {sql[:160]}")
    return problems


def domain_writes(captured: Captured) -> list[str]:
    return [table for _verb, table, _sql in captured.writes if table not in NOT_DOMAIN]


# (b) Every service function has a scenario ----------------------------------------------------------


def _submitted(w):
    from vrhub.cycle.services import plan_submit

    _sign_all(w)
    return plan_submit(plan=w.complete_plan, user=w.editor)


def _sign_all(w):
    from vrhub.cycle.services import plan_sign
    from vrhub.plans.content import plan_content_hash

    plan = w.complete_plan
    for user in w.signatories.values():
        plan_sign(plan=plan, user=user, name=user.get_full_name(), confirmed=True, seen_hash=plan_content_hash(plan))
    return plan


def _accepted(w):
    from vrhub.cycle.services import plan_accept

    return plan_accept(plan=_submitted(w), user=w.reviewer)


def _local_action(w, plan=None):
    from vrhub.plans.services import plan_add_local_action

    plan = plan or w.plan
    return plan_add_local_action(plan=plan, theme=plan.template.themes.first(), user=w.editor, title="Local work")


def _citation(action, user):
    from vrhub.evidence.models import Citation

    return Citation.objects.create(
        action=action,
        area_code="E09000016",
        area_name="Havering",
        measure="Violence against the person",
        period="2024-01:2024-12",
        value=1234,
        source="data.police.uk",
        cited_by=user,
    )


def _confirmed_device(user):
    from vrhub.accounts.services import totp_device_confirm, totp_device_start

    device = totp_device_start(user=user)
    codes = totp_device_confirm(user=user, device=device, code=code_for(device))
    device.refresh_from_db()
    return device, codes


def _job(w, **changes):
    from vrhub.jobs.models import Job
    from vrhub.jobs.services import job_start

    job = job_start(kind="reports.scrutiny", user=w.editor, params={"plan": w.plan.pk, "fmt": "docx"})
    if changes:
        Job.objects.filter(pk=job.pk).update(**changes)
        job.refresh_from_db()
    return job


def _in_transaction(call):
    def run():
        with transaction.atomic():
            return call()

    return run


def _draft_2022(w):
    return _s("plans").template_start_next_year(source=w.template_2021, user=w.vru_admin)


def _s(module: str):
    return importlib.import_module(f"vrhub.{module}.services")


NEW_PASSWORD = "correct-horse-battery-staple-77"
THEME = {"code": "T9", "title": "New theme", "actions": [{"code": "T9-M1", "kind": "mandatory", "title": "Do it"}]}

SCENARIOS: dict[str, Scenario] = {
    # accounts
    "accounts.sign_in_event_record": Scenario(
        lambda w: lambda: _s("accounts").sign_in_event_record(request=None, outcome="success", user=w.editor),
        records=True,
    ),
    "accounts.user_password_change": Scenario(
        lambda w: lambda: _s("accounts").user_password_change(user=w.editor, new_password=NEW_PASSWORD)
    ),
    "accounts.totp_key_base32": Scenario(
        lambda w: (lambda device: lambda: _s("accounts").totp_key_base32(device))(
            _s("accounts").totp_device_start(user=w.editor)
        ),
        reads=True,
    ),
    "accounts.totp_device_start": Scenario(lambda w: lambda: _s("accounts").totp_device_start(user=w.editor)),
    "accounts.totp_device_confirm": Scenario(
        lambda w: (
            lambda device: (
                lambda: _s("accounts").totp_device_confirm(user=w.editor, device=device, code=code_for(device))
            )
        )(_s("accounts").totp_device_start(user=w.editor))
    ),
    "accounts.otp_verify": Scenario(
        lambda w: (lambda pair: lambda: _s("accounts").otp_verify(user=w.editor, code=code_for(pair[0], drift=1)))(
            _confirmed_device(w.editor)
        ),
        reads=True,
        allowed={"otp_totp_totpdevice": "django_otp's replay counter, drift and throttle, written by every check"},
    ),
    "accounts.backup_codes_regenerate": Scenario(
        lambda w: (lambda _: lambda: _s("accounts").backup_codes_regenerate(user=w.editor))(_confirmed_device(w.editor))
    ),
    "accounts.second_factor_remove": Scenario(
        lambda w: (lambda _: lambda: _s("accounts").second_factor_remove(user=w.editor, actor=w.editor))(
            _confirmed_device(w.editor)
        )
    ),
    # core (the admin's writes)
    "core.admin_object_save": Scenario(
        lambda w: (
            lambda form: (
                lambda: (
                    (form.is_valid() or pytest.fail(form.errors.as_text()))
                    and _s("core").admin_object_save(actor=w.vru_admin, obj=form.instance, form=form, change=True)
                )
            )
        )(modelform_factory(Organisation, fields=["name"])({"name": "London Borough of Havering"}, instance=w.havering))
    ),
    "core.admin_formset_save": Scenario(lambda w: _admin_formset_call(w)),
    "core.admin_objects_delete": Scenario(
        lambda w: (
            lambda theme: (
                lambda: _s("core").admin_objects_delete(actor=w.vru_admin, objects=Theme.objects.filter(pk=theme.pk))
            )
        )(TemplateActionFactory(theme=ThemeFactory(template=TemplateFactory(vru=w.london, year=2030))).theme)
    ),
    # cycle
    "cycle.quarters_create": Scenario(
        lambda w: lambda: _s("cycle").quarters_create(template=w.template_2021, user=w.vru_admin)
    ),
    "cycle.quarterly_update_save": Scenario(
        lambda w: (
            lambda: _s("cycle").quarterly_update_save(
                action=w.plan.actions.first(),
                quarter=w.quarters[0],
                user=w.editor,
                progress="Going well",
                status="green",
            )
        )
    ),
    "cycle.quarter_close": Scenario(
        lambda w: lambda: _s("cycle").quarter_close(quarter=w.quarters[0], user=w.reviewer)
    ),
    "cycle.signature_is_valid": Scenario(
        lambda w: (lambda plan: lambda: _s("cycle").signature_is_valid(plan.signatures.first(), "0" * 64))(
            _sign_all(w)
        ),
        reads=True,
    ),
    "cycle.signatures_void": Scenario(
        lambda w: (lambda plan: lambda: _s("cycle").signatures_void(plan=plan, user=w.editor, reason="changed"))(
            _sign_all(w)
        )
    ),
    "cycle.signoff_notices_send": Scenario(
        lambda w: (lambda plan: lambda: _s("cycle").signoff_notices_send(plan=plan, user=w.editor))(
            (lambda plan: _s("cycle").signatures_void(plan=plan, user=w.editor, reason="changed") and plan)(
                _sign_all(w)
            )
        ),
        notes=True,
    ),
    "cycle.plan_sign": Scenario(
        lambda w: (
            lambda user: (
                lambda: _s("cycle").plan_sign(
                    plan=w.complete_plan,
                    user=user,
                    name="Casey Chief",
                    confirmed=True,
                    seen_hash=importlib.import_module("vrhub.plans.content").plan_content_hash(w.complete_plan),
                )
            )
        )(w.signatories["chief_executive"])
    ),
    "cycle.signatures_status": Scenario(
        lambda w: (lambda plan: lambda: _s("cycle").signatures_status(plan=plan))(_sign_all(w)), reads=True
    ),
    "cycle.plan_submit": Scenario(
        lambda w: (lambda plan: lambda: _s("cycle").plan_submit(plan=plan, user=w.editor))(_sign_all(w))
    ),
    "cycle.plan_return": Scenario(
        lambda w: (lambda plan: lambda: _s("cycle").plan_return(plan=plan, user=w.reviewer, comment="Say more"))(
            _submitted(w)
        )
    ),
    "cycle.plan_accept": Scenario(
        lambda w: (lambda plan: lambda: _s("cycle").plan_accept(plan=plan, user=w.reviewer, comment="Well done"))(
            _submitted(w)
        )
    ),
    "cycle.review_comment_add": Scenario(
        lambda w: lambda: _s("cycle").review_comment_add(plan=w.plan, user=w.reviewer, body="Please add a baseline")
    ),
    "cycle.review_comment_mark_addressed": Scenario(
        lambda w: (lambda comment: lambda: _s("cycle").review_comment_mark_addressed(comment=comment, user=w.editor))(
            _s("cycle").review_comment_add(plan=w.plan, user=w.reviewer, body="Please add a baseline")
        )
    ),
    "cycle.review_comment_reopen": Scenario(
        lambda w: (lambda comment: lambda: _s("cycle").review_comment_reopen(comment=comment, user=w.reviewer))(
            _s("cycle").review_comment_mark_addressed(
                comment=_s("cycle").review_comment_add(plan=w.plan, user=w.reviewer, body="Please add a baseline"),
                user=w.editor,
            )
        )
    ),
    "cycle.reminders_due": Scenario(
        lambda w: (lambda _: lambda: _s("cycle").reminders_due(today=date(2021, 8, 1)))((w.quarters, w.plan)),
        reads=True,
    ),
    "cycle.reminders_send": Scenario(
        lambda w: (lambda _: lambda: _s("cycle").reminders_send(today=date(2021, 8, 1)))((w.quarters, w.plan)),
        records=True,
    ),
    # evidence
    "evidence.command_user": Scenario(lambda w: lambda: _s("evidence").command_user(), reads=True),
    "evidence.evidence_load_record": Scenario(
        lambda w: (
            lambda: _s("evidence").evidence_load_record(
                kind="istv",
                files=["istv.csv"],
                summary=importlib.import_module("vrhub.evidence.loaders").LoadSummary(files=1, rows=10, loaded=9),
                user=w.vru_admin,
                via="upload",
            )
        )
    ),
    "evidence.citation_add": Scenario(
        lambda w: (
            lambda: _s("evidence").citation_add(
                action=w.plan.actions.first(),
                user=w.editor,
                area_code="E01002356",
                measure="police.uk:Robbery",
                period="2023-01:2023-01",
            )
        ),
        needs=(*STANDARD, "robbery_store"),
    ),
    # jobs
    "jobs.job_is_stale": Scenario(lambda w: (lambda job: lambda: _s("jobs").job_is_stale(job))(_job(w)), reads=True),
    "jobs.job_start": Scenario(
        lambda w: (
            lambda: _s("jobs").job_start(
                kind="reports.scrutiny", user=w.editor, params={"plan": w.plan.pk, "fmt": "docx"}
            )
        )
    ),
    "jobs.job_run": Scenario(lambda w: (lambda job: lambda: _s("jobs").job_run(job_id=str(job.pk)))(_job(w))),
    "jobs.job_retry": Scenario(
        lambda w: (lambda job: lambda: _s("jobs").job_retry(job=job, user=w.editor))(_job(w, state="failed"))
    ),
    "jobs.jobs_purge": Scenario(
        lambda w: (lambda _: lambda: _s("jobs").jobs_purge(older_than=timedelta(days=30)))(
            _job(w, state="succeeded", finished_at=timezone.now() - timedelta(days=31))
        )
    ),
    # learning
    "learning.good_practice_flag": Scenario(
        lambda w: (
            lambda: _s("learning").good_practice_flag(
                action=w.plan.actions.first(), user=w.reviewer, note="Worth a look"
            )
        )
    ),
    "learning.good_practice_unflag": Scenario(
        lambda w: (lambda gp: lambda: _s("learning").good_practice_unflag(action=gp.action, user=w.reviewer))(
            _s("learning").good_practice_flag(action=w.plan.actions.first(), user=w.reviewer, note="Worth a look")
        )
    ),
    # organisations
    "organisations.london_load": Scenario(lambda w: lambda: _s("organisations").london_load()),
    "organisations.organisation_upsert": Scenario(
        lambda w: lambda: _s("organisations").organisation_upsert(code="X-1", kind="partner", name="A partner")
    ),
    "organisations.organisations_upsert": Scenario(
        lambda w: (
            lambda: _s("organisations").organisations_upsert(
                rows=[
                    {"code": "X-2", "kind": "partner", "name": "A partner"},
                    {"code": "LC", "kind": "partner", "name": "LC"},
                ]
            )
        )
    ),
    # plans
    "plans.template_create_from_content": Scenario(
        lambda w: (
            lambda: _s("plans").template_create_from_content(
                vru=w.london, year=2030, title="2030 template", themes=[THEME], user=w.vru_admin
            )
        )
    ),
    "plans.theme_add": Scenario(
        lambda w: lambda: _s("plans").theme_add(template=w.template_2021, data=THEME, user=w.vru_admin)
    ),
    "plans.template_actions_add": Scenario(
        lambda w: (
            lambda: _s("plans").template_actions_add(
                theme=w.template_2021.themes.first(),
                actions=[{"code": "NEW-1", "kind": "optional", "title": "Something new"}],
                user=w.vru_admin,
            )
        )
    ),
    "plans.template_create_for_year": Scenario(
        lambda w: (
            lambda: _s("plans").template_create_for_year(
                source=w.template_2021, year=2022, title="2022 template", user=w.vru_admin
            )
        )
    ),
    # template management (a draft 2022 template started from 2021's before the capture)
    "plans.template_start_next_year": Scenario(
        lambda w: lambda: _s("plans").template_start_next_year(source=w.template_2021, user=w.vru_admin)
    ),
    "plans.template_settings_update": Scenario(
        lambda w: (
            lambda t: (
                lambda: _s("plans").template_settings_update(
                    template=t, user=w.vru_admin, title="2022 plan template", submission_deadline=date(2022, 12, 9)
                )
            )
        )(_draft_2022(w))
    ),
    "plans.template_theme_add": Scenario(
        lambda w: (
            lambda t: (
                lambda: _s("plans").template_theme_add(
                    template=t, user=w.vru_admin, code="VAWG", title="Violence against women and girls"
                )
            )
        )(_draft_2022(w))
    ),
    "plans.template_theme_update": Scenario(
        lambda w: (
            lambda t: (
                lambda: _s("plans").template_theme_update(
                    theme=t.themes.first(), user=w.vru_admin, title="Governance", description="How the board works"
                )
            )
        )(_draft_2022(w))
    ),
    "plans.template_action_add": Scenario(
        lambda w: (
            lambda t: (
                lambda: _s("plans").template_action_add(
                    theme=t.themes.first(), user=w.vru_admin, kind="optional", title="Youth panel"
                )
            )
        )(_draft_2022(w))
    ),
    "plans.template_action_update": Scenario(
        lambda w: (
            lambda t: (
                lambda: _s("plans").template_action_update(
                    action=TemplateAction.objects.filter(theme__template=t).first(),
                    user=w.vru_admin,
                    title="A new title",
                    guidance="New guidance",
                )
            )
        )(_draft_2022(w))
    ),
    "plans.template_action_retire": Scenario(
        lambda w: (
            lambda t: (
                lambda: _s("plans").template_action_retire(
                    action=TemplateAction.objects.filter(theme__template=t, kind="optional").first(), user=w.vru_admin
                )
            )
        )(_draft_2022(w))
    ),
    "plans.template_publish": Scenario(
        lambda w: (lambda t: lambda: _s("plans").template_publish(template=t, user=w.vru_admin))(_draft_2022(w))
    ),
    "plans.plan_create": Scenario(
        lambda w: lambda: _s("plans").plan_create(area=w.havering, template=w.template_2021, user=w.editor)
    ),
    "plans.plan_lock_editable": Scenario(
        lambda w: _in_transaction(lambda: _s("plans").plan_lock_editable(plan_id=w.plan.pk)), reads=True
    ),
    "plans.plan_new_version": Scenario(lambda w: _new_version_call(w)),
    "plans.plan_set_optional_actions": Scenario(
        lambda w: (
            lambda ta: (
                lambda: _s("plans").plan_set_optional_actions(plan=w.plan, theme=ta.theme, user=w.editor, adopted=[ta])
            )
        )(TemplateAction.objects.filter(theme__template=w.template_2021, kind="optional").first())
    ),
    "plans.plan_add_local_action": Scenario(
        lambda w: (
            lambda: _s("plans").plan_add_local_action(
                plan=w.plan, theme=w.template_2021.themes.first(), user=w.editor, title="Street outreach"
            )
        )
    ),
    "plans.plan_add_missing_mandatory": Scenario(
        lambda w: (lambda _: lambda: _s("plans").plan_add_missing_mandatory(plan=w.plan, user=w.editor))(
            _s("plans").template_actions_add(
                theme=w.template_2021.themes.first(), actions=[{"code": "LATE-1", "kind": "mandatory", "title": "Late"}]
            )
        )
    ),
    "plans.plan_remove_action": Scenario(lambda w: _remove_action_call(w)),
    "plans.action_has_content": Scenario(
        lambda w: lambda: _s("plans").action_has_content(action=w.plan.actions.first()), reads=True
    ),
    "plans.validate_action_data": Scenario(
        lambda w: lambda: _s("plans").validate_action_data(complete_content()), reads=True
    ),
    "plans.plan_action_update": Scenario(
        lambda w: (
            lambda: _s("plans").plan_action_update(
                action=w.plan.actions.first(), user=w.editor, data={"outcome": "Fewer injuries"}
            )
        )
    ),
    "plans.document_add": Scenario(
        lambda w: (
            lambda: _s("plans").document_add(
                action=w.plan.actions.first(), user=w.editor, title="Strategy", url="https://example.org/strategy"
            )
        )
    ),
    "plans.document_delete": Scenario(
        lambda w: (lambda doc: lambda: _s("plans").document_delete(document=doc, user=w.editor))(
            _s("plans").document_add(
                action=w.plan.actions.first(), user=w.editor, title="Strategy", url="https://example.org/s"
            )
        )
    ),
    # transparency
    "transparency.publication_publish": Scenario(
        lambda w: lambda: _s("transparency").publication_publish(vru=w.london, year=2021, user=w.vru_admin)
    ),
    "transparency.publication_withdraw": Scenario(
        lambda w: (
            lambda _: (
                lambda: _s("transparency").publication_withdraw(
                    vru=w.london, year=2021, user=w.vru_admin, reason="Published by mistake"
                )
            )
        )(_s("transparency").publication_publish(vru=w.london, year=2021, user=w.vru_admin))
    ),
    "transparency.api_token_issue": Scenario(
        lambda w: lambda: _s("transparency").api_token_issue(user=w.vru_admin, name="Data warehouse")
    ),
    "transparency.api_token_authenticate": Scenario(
        lambda w: (lambda issued: lambda: _s("transparency").api_token_authenticate(issued[1]))(
            _s("transparency").api_token_issue(user=w.vru_admin, name="Data warehouse")
        ),
        reads=True,
        allowed={"transparency_apitoken": "the token's last-used time, for its owner: a use, not a change"},
    ),
    "transparency.api_token_can_revoke": Scenario(
        lambda w: (lambda issued: lambda: _s("transparency").api_token_can_revoke(token=issued[0], user=w.vru_admin))(
            _s("transparency").api_token_issue(user=w.vru_admin, name="Data warehouse")
        ),
        reads=True,
    ),
    "transparency.api_token_revoke": Scenario(
        lambda w: (lambda issued: lambda: _s("transparency").api_token_revoke(token=issued[0], user=w.vru_admin))(
            _s("transparency").api_token_issue(user=w.vru_admin, name="Data warehouse")
        )
    ),
}

# Scenarios kept beside an app's tests: every ``tests/<app>/write_path_*.py`` module's SCENARIOS.
for _module_info in pkgutil.walk_packages(importlib.import_module("tests").__path__, "tests."):
    if _module_info.name.rsplit(".", 1)[-1].startswith("write_path_"):
        _found = importlib.import_module(_module_info.name).SCENARIOS
        assert not set(_found) & set(SCENARIOS), f"{_module_info.name} repeats a scenario"
        SCENARIOS.update(_found)

# Scenarios that need more than the standard fixtures, or (london_load, on an empty database) fewer.
for _name in (
    "cycle.signature_is_valid",
    "cycle.signatures_void",
    "cycle.signoff_notices_send",
    "cycle.plan_sign",
    "cycle.signatures_status",
    "cycle.plan_submit",
    "cycle.plan_return",
    "cycle.plan_accept",
    "cycle.quarterly_update_save",
    "cycle.quarter_close",
    "cycle.reminders_due",
    "cycle.reminders_send",
    "plans.plan_new_version",
    "plans.plan_remove_action",
):
    SCENARIOS[_name].needs = CYCLE
SCENARIOS["organisations.london_load"].needs = ()

# Who each writing scenario acts as. Not listed: a system call (actor None), e.g. london_load, job_run.
for _actor, _names in {
    "editor": (
        "accounts.user_password_change",
        "accounts.totp_device_start",
        "accounts.totp_device_confirm",
        "accounts.backup_codes_regenerate",
        "accounts.second_factor_remove",
        "cycle.quarterly_update_save",
        "cycle.signatures_void",
        "cycle.signoff_notices_send",
        "cycle.plan_submit",
        "cycle.review_comment_mark_addressed",
        "evidence.citation_add",
        "jobs.job_start",
        "jobs.job_retry",
        "plans.plan_create",
        "plans.plan_new_version",
        "plans.plan_set_optional_actions",
        "plans.plan_add_local_action",
        "plans.plan_add_missing_mandatory",
        "plans.plan_remove_action",
        "plans.plan_action_update",
        "plans.document_add",
        "plans.document_delete",
    ),
    "reviewer": (
        "cycle.quarter_close",
        "cycle.plan_return",
        "cycle.plan_accept",
        "cycle.review_comment_add",
        "cycle.review_comment_reopen",
        "learning.good_practice_flag",
        "learning.good_practice_unflag",
    ),
    "vru_admin": (
        "core.admin_object_save",
        "core.admin_formset_save",
        "core.admin_objects_delete",
        "cycle.quarters_create",
        "evidence.evidence_load_record",
        "plans.template_create_from_content",
        "plans.theme_add",
        "plans.template_actions_add",
        "plans.template_create_for_year",
        "plans.template_start_next_year",
        "plans.template_settings_update",
        "plans.template_theme_add",
        "plans.template_theme_update",
        "plans.template_action_add",
        "plans.template_action_update",
        "plans.template_action_retire",
        "plans.template_publish",
        "transparency.publication_publish",
        "transparency.publication_withdraw",
        "transparency.api_token_issue",
        "transparency.api_token_revoke",
    ),
}.items():
    for _name in _names:
        SCENARIOS[_name].actor = _actor
SCENARIOS["cycle.plan_sign"].actor = lambda w: w.signatories["chief_executive"]


# What a read scenario must return: the call succeeded, not merely wrote nothing.
EXPECTED_RESULTS: dict[str, Callable[[object, SimpleNamespace], None]] = {
    "accounts.otp_verify": lambda result, w: (
        (type(result).__name__ == "TOTPDevice" and result.user == w.editor and result.confirmed)
        or pytest.fail(f"otp_verify gave {result!r}")
    ),
    "transparency.api_token_authenticate": lambda result, w: (
        result == w.vru_admin or pytest.fail(f"api_token_authenticate gave {result!r}")
    ),
    "transparency.api_token_can_revoke": lambda result, w: (
        result is True or pytest.fail(f"api_token_can_revoke gave {result!r}")
    ),
}
SCENARIOS["plans.plan_create"].needs = tuple(n for n in STANDARD if n != "plan")


def _admin_formset_call(w):
    template = TemplateFactory(vru=w.london, year=2031)
    keep, drop = ThemeFactory(template=template, order=1), ThemeFactory(template=template, order=2)
    TemplateActionFactory(theme=drop)
    Formset = inlineformset_factory(PlanTemplate, Theme, fields=["code", "title", "order"], extra=1, can_delete=True)
    prefix = Formset.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "3",
        f"{prefix}-INITIAL_FORMS": "2",
        f"{prefix}-0-id": keep.pk,
        f"{prefix}-0-code": keep.code,
        f"{prefix}-0-title": "Renamed",
        f"{prefix}-0-order": "1",
        f"{prefix}-1-id": drop.pk,
        f"{prefix}-1-code": drop.code,
        f"{prefix}-1-title": drop.title,
        f"{prefix}-1-order": "2",
        f"{prefix}-1-DELETE": "on",
        f"{prefix}-2-code": "NEW",
        f"{prefix}-2-title": "Added",
        f"{prefix}-2-order": "3",
    }
    formset = Formset(data, instance=template)
    assert formset.is_valid(), formset.errors
    return lambda: _s("core").admin_formset_save(actor=w.vru_admin, formset=formset)


def _new_version_call(w):
    from vrhub.plans.services import document_add

    plan = w.complete_plan
    action = plan.actions.first()
    document_add(action=action, user=w.editor, title="Strategy", url="https://example.org/strategy")
    _citation(action, w.editor)
    accepted = _accepted(w)
    return lambda: _s("plans").plan_new_version(plan=accepted, user=w.editor)


def _remove_action_call(w):
    from vrhub.cycle.services import quarterly_update_save
    from vrhub.plans.services import document_add

    action = _local_action(w)
    document_add(action=action, user=w.editor, title="Strategy", url="https://example.org/strategy")
    _citation(action, w.editor)
    quarterly_update_save(action=action, quarter=w.quarters[0], user=w.editor, progress="Begun", status="green")
    return lambda: _s("plans").plan_remove_action(action=action, user=w.editor)


def service_functions() -> set[str]:
    found = set()
    for module_info in pkgutil.iter_modules(vrhub.__path__):
        if not module_info.ispkg or importlib.util.find_spec(f"vrhub.{module_info.name}.services") is None:
            continue  # a module, or an app without services; an app's services that fail to import fail here
        module = importlib.import_module(f"vrhub.{module_info.name}.services")
        modules = [(module_info.name, module)]
        if hasattr(module, "__path__"):  # services as a package: one module per part of the app
            modules += [
                (f"{module_info.name}.{sub.name}", importlib.import_module(f"{module.__name__}.{sub.name}"))
                for sub in pkgutil.iter_modules(module.__path__)
            ]
        for prefix, found_module in modules:
            for name, function in inspect.getmembers(found_module, inspect.isfunction):
                if function.__module__ == found_module.__name__ and not name.startswith("_"):
                    found.add(f"{prefix}.{name}")
    return found


def test_every_service_function_has_a_write_path_scenario():
    functions = service_functions()
    assert len(functions) > 40  # the walk found the services
    missing = sorted(functions - set(SCENARIOS))
    assert not missing, f"Add a scenario to SCENARIOS in {__file__} for: {', '.join(missing)}"
    assert not sorted(set(SCENARIOS) - functions), "Scenarios for functions that no longer exist"


@pytest.fixture
def robbery_store(settings, tmp_path):
    """An evidence store of its own holding three robberies in one Havering LSOA in January 2023."""
    from vrhub.evidence.loaders.police_uk import HEADER, load_police_uk

    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    rows = [",".join(HEADER)] + [
        f"id-{i},2023-01,Metropolitan Police Service,Metropolitan Police Service,0.2,51.5,On or near X,"
        "E01002356,Havering 013C,Robbery,Under investigation,"
        for i in range(3)
    ]
    path = tmp_path / "2023-01-metropolitan-street.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    load_police_uk(paths=[path])


class World(SimpleNamespace):
    """The fixtures a scenario asks for, made when first used (so that london_load can run on an empty db)."""

    def __init__(self, request):
        super().__init__()
        self._request = request
        self._frozen = False

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        assert not self._frozen, f"the scenario uses {name!r} during the capture: add it to its needs"
        if name == "vru_admin":
            value = UserFactory(username="ldn.admin", organisation=self.london, role=User.Role.VRU_ADMIN, is_staff=True)
        else:
            value = self._request.getfixturevalue(name)
        setattr(self, name, value)
        return value


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_service_writes_are_audited(name, request, mailoutbox):
    scenario = SCENARIOS[name]
    world = World(request)
    for need in scenario.needs:
        getattr(world, need)
    call = scenario.setup(world)
    if scenario.actor is None:
        actor = None
    elif isinstance(scenario.actor, str):
        actor = getattr(world, scenario.actor)
    else:
        actor = scenario.actor(world)
    models = domain_models(scenario.allowed)
    before = row_ids(models)
    world._frozen = True
    result, captured, audited, entries = run_captured_entries(call)
    problems = unaudited_writes(captured, audited, scenario.allowed)
    assert not problems, "\n".join(problems)
    actors = {actor_id for _type, _id, actor_id in entries}
    assert actors <= {getattr(actor, "pk", None)}, f"{name} audited as {actors}, not as {actor}"
    problems = unaudited_rows(before, row_ids(models), entries)
    assert not problems, "\n".join(problems)
    if name in EXPECTED_RESULTS:
        EXPECTED_RESULTS[name](result, world)
    writes = [t for t in domain_writes(captured) if t not in scenario.allowed]
    if scenario.reads:
        assert writes == [] and audited == {}, f"{name} reads only, but wrote {writes} and audited {audited}"
    elif scenario.notes:
        assert writes == [] and entries, f"{name} wrote {writes}, or noted nothing in the audit trail"
    elif scenario.records:
        assert writes == [] and audited == {}
        assert [t for _v, t, _s in captured.writes if t in NOT_DOMAIN], f"{name} recorded nothing"
    else:
        assert writes, f"{name}'s scenario wrote nothing: make it exercise a write"
        assert set(audited) - {"core.auditentry"}, f"{name} wrote {writes} and audited nothing"


def test_the_checker_catches_an_unaudited_write(plan):
    """The check above is not vacuous: a bare ORM write to a domain table is reported."""
    _result, captured, audited = run_captured(lambda: Plan.objects.filter(pk=plan.pk).update(state="accepted"))
    problems = unaudited_writes(captured, audited)
    assert len(problems) == 1 and problems[0].startswith("UPDATE plans_plan without an audit entry for plans.plan")
    _result, captured, audited = run_captured(
        lambda: PlanAction.objects.filter(pk=plan.actions.first().pk).update(title="x")
    )
    assert len(unaudited_writes(captured, audited)) == 1


# (a) The admin -----------------------------------------------------------------------------------


@pytest.fixture
def superuser(london):
    return UserFactory(username="root", organisation=london, role=User.Role.VRU_ADMIN, is_staff=True, is_superuser=True)


def test_every_admin_model_is_audited_or_read_only(superuser):
    from django.contrib.auth.models import Group

    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert Group not in admin.site._registry  # vrhub's permissions are roles, not groups
    audited, read_only = set(), set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if isinstance(model_admin, AuditedAdminMixin):
            for method in ("save_model", "save_formset", "delete_model", "delete_queryset"):
                assert getattr(type(model_admin), method) is getattr(AuditedAdminMixin, method), (label, method)
            # A custom admin action could write past delete_queryset: only "delete selected" is allowed.
            assert set(model_admin.get_actions(request)) <= {"delete_selected"}, label
            audited.add(label)
        else:
            permissions = (
                model_admin.has_add_permission(request),
                model_admin.has_change_permission(request),
                model_admin.has_delete_permission(request),
            )
            assert permissions == (False, False, False), f"{label} is neither audited nor read-only"
            read_only.add(label)
    assert audited == {
        "accounts.user",
        "organisations.organisation",
        "plans.plantemplate",
        "plans.theme",
        "axes.accessattempt",
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
    }
    assert read_only == {
        "core.auditentry",
        "accounts.signinevent",
        "evidence.evidenceload",
        "axes.accesslog",
        "axes.accessfailurelog",
        "django_tasks_database.dbtaskresult",
    }


def _entries(obj, **filters):
    return {
        (e.action, e.field, e.old, e.new, e.actor_id)
        for e in AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), **filters)
    }


def test_admin_add_change_inline_and_bulk_delete_are_audited(client, superuser, london):
    client.force_login(superuser)
    me = superuser.pk

    # Add
    response = client.post(
        "/admin/plans/plantemplate/add/",
        {
            "vru": london.pk,
            "year": "2040",
            "title": "2040 template",
            "themes-TOTAL_FORMS": "1",
            "themes-INITIAL_FORMS": "0",
            "themes-0-code": "A",
            "themes-0-title": "Theme A",
            "themes-0-description": "",
            "themes-0-order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    template = PlanTemplate.objects.get(vru=london, year=2040)
    theme = template.themes.get()
    assert ("create", "title", "", "2040 template", me) in _entries(template)
    assert ("create", "title", "", "Theme A", me) in _entries(theme)  # the inline's new object

    # Change, with an inline change and an inline delete
    other = Theme.objects.create(template=template, code="B", title="Theme B", order=2)
    child = TemplateAction.objects.create(theme=other, code="B-1", kind="mandatory", title="B one", order=1)
    response = client.post(
        f"/admin/plans/plantemplate/{template.pk}/change/",
        {
            "vru": london.pk,
            "year": "2040",
            "title": "2040 plan template",
            "themes-TOTAL_FORMS": "2",
            "themes-INITIAL_FORMS": "2",
            "themes-0-id": theme.pk,
            "themes-0-template": template.pk,
            "themes-0-code": "A",
            "themes-0-title": "Theme A, renamed",
            "themes-0-description": "",
            "themes-0-order": "1",
            "themes-1-id": other.pk,
            "themes-1-template": template.pk,
            "themes-1-code": "B",
            "themes-1-title": "Theme B",
            "themes-1-description": "",
            "themes-1-order": "2",
            "themes-1-DELETE": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ("update", "title", "2040 template", "2040 plan template", me) in _entries(template)
    assert ("update", "title", "Theme A", "Theme A, renamed", me) in _entries(theme)
    assert not Theme.objects.filter(pk=other.pk).exists()
    assert _entries(other, action="delete") == {("delete", "", str(other), "", me)}
    assert _entries(child, action="delete") == {("delete", "", "B-1 B one", "", me)}  # deleted with its theme

    # Inline on the theme page: change an action's title, add one
    kept = TemplateAction.objects.create(theme=theme, code="A-1", kind="mandatory", title="A one", order=1)
    response = client.post(
        f"/admin/plans/theme/{theme.pk}/change/",
        {
            "template": template.pk,
            "code": "A",
            "title": "Theme A, renamed",
            "description": "",
            "order": "1",
            "template_actions-TOTAL_FORMS": "2",
            "template_actions-INITIAL_FORMS": "1",
            "template_actions-0-id": kept.pk,
            "template_actions-0-theme": theme.pk,
            "template_actions-0-code": "A-1",
            "template_actions-0-kind": "mandatory",
            "template_actions-0-title": "A one, clearer",
            "template_actions-0-guidance": "",
            "template_actions-0-order": "1",
            "template_actions-1-code": "A-2",
            "template_actions-1-kind": "optional",
            "template_actions-1-title": "A two",
            "template_actions-1-guidance": "",
            "template_actions-1-order": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _entries(kept) == {("update", "title", "A one", "A one, clearer", me)}
    added = TemplateAction.objects.get(theme=theme, code="A-2")
    assert ("create", "kind", "", "optional", me) in _entries(added)

    # Bulk "delete selected"
    theme.refresh_from_db()
    response = client.post(
        "/admin/plans/theme/", {"action": "delete_selected", "_selected_action": [theme.pk], "post": "yes"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert _entries(theme, action="delete") == {("delete", "", str(theme), "", me)}
    assert _entries(kept, action="delete") == {("delete", "", "A-1 A one, clearer", "", me)}
    assert _entries(added, action="delete") == {("delete", "", "A-2 A two", "", me)}


def test_admin_second_factor_secrets_are_not_recorded(client, superuser, editor):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(superuser)
    key = "3132333435363738393031323334353637383930"
    response = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": editor.pk,
            "name": "Phone",
            "confirmed": "on",
            "key": key,
            "step": "30",
            "t0": "0",
            "digits": "6",
            "tolerance": "1",
            "drift": "0",
            "throttling_failure_timestamp": "",
            "throttling_failure_count": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    device = TOTPDevice.objects.get(user=editor)
    entries = _entries(device)
    assert ("create", "name", "", "Phone", superuser.pk) in entries
    assert ("create", "key", "", "(secret, not recorded)", superuser.pk) in entries
    assert not AuditEntry.objects.filter(new__contains=key).exists()


def test_admin_password_change_is_audited_without_the_password(client, superuser, editor):
    client.force_login(superuser)
    password = "a-new-Long-passphrase-42"
    response = client.post(
        f"/admin/accounts/user/{editor.pk}/password/",
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    editor.refresh_from_db()
    assert editor.check_password(password)
    assert _entries(editor, field="password") == {("update", "password", "", "set by an administrator", superuser.pk)}
    assert not AuditEntry.objects.filter(new__contains=password).exists()


def test_a_refused_admin_password_form_records_nothing(client, superuser, editor):
    """Conflicting buttons: Django answers with a redirect and changes nothing, so nothing is audited."""
    client.force_login(superuser)
    before = editor.password
    response = client.post(f"/admin/accounts/user/{editor.pk}/password/", {"usable_password": "false"})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.password == before
    assert _entries(editor, field="password") == set()


def test_admin_changes_to_permissions_are_audited_in_full(client, superuser, editor):
    from django.contrib.auth.models import Permission

    client.force_login(superuser)
    chosen = list(Permission.objects.order_by("pk")[:25])
    page = client.get(f"/admin/accounts/user/{editor.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: (value.pk if isinstance(value, models.Model) else value)
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions", "last_login", "date_joined"}
    }
    data |= {
        "date_joined_0": editor.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": editor.date_joined.strftime("%H:%M:%S"),
        "user_permissions": [p.pk for p in chosen],
    }
    response = client.post(f"/admin/accounts/user/{editor.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = AuditEntry.objects.filter(object_id=str(editor.pk), field="user_permissions")
    assert entry.new == ", ".join(sorted(str(p) for p in chosen))
    assert "truncated" not in entry.new
