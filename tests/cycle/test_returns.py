"""Returns that explain themselves: the returned plan's banner, comments beside the actions they are about,
comments marked addressed by the borough (audited) and reopened by the VRU, and a review page whose labels
tell the truth."""

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.cycle.test_signoff_and_review import sign_all
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.cycle import services
from vrhub.cycle.models import ReviewComment
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan

pytestmark = pytest.mark.django_db

REASON = "GOV-M1 needs a baseline with a figure and a period."


@pytest.fixture
def submitted(complete_plan, signatories, editor):
    sign_all(complete_plan, signatories)
    return services.plan_submit(plan=complete_plan, user=editor)


@pytest.fixture
def returned(submitted, reviewer):
    """A returned plan with a comment on an action, one on a theme and one on the plan, made before the return."""
    gov_m1 = submitted.actions.get(code="GOV-M1")
    other_theme = submitted.template.themes.exclude(pk=gov_m1.theme_id).order_by("order").first()
    comments = {
        "action": services.review_comment_add(plan=submitted, user=reviewer, body="Name a lead.", action=gov_m1),
        "theme": services.review_comment_add(plan=submitted, user=reviewer, body="Theme gap.", theme=other_theme),
        "plan": services.review_comment_add(plan=submitted, user=reviewer, body="Overall fine."),
    }
    plan = services.plan_return(plan=submitted, user=reviewer, comment=REASON)
    return plan, comments


def _doc(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def _text(node) -> str:
    return " ".join(node.text_content().split())


# The banner -------------------------------------------------------------------------------------------


def test_a_returned_plan_opens_with_the_reason_who_when_and_links_to_each_open_comment(client, returned, editor):
    plan, comments = returned
    client.force_login(editor)
    doc = _doc(client.get(reverse("plans:detail", args=[plan.pk])))
    (banner,) = doc.xpath('//*[@data-testid="return-banner"]')
    reason = ReviewComment.objects.get(plan=plan, is_return_reason=True)
    assert reason.body == REASON
    assert REASON in _text(banner)
    assert "Robin Reviewer" in _text(banner)
    assert reason.created_at.strftime("%-d %B %Y") in _text(banner)
    links = {a.get("href"): _text(a) for a in banner.xpath('.//*[@data-testid="return-open-comments"]//a')}
    action, theme = comments["action"], comments["theme"]
    assert links == {
        reverse("plans:theme", args=[plan.pk, action.theme.code]) + f"#comment-{action.pk}": (
            f"On action GOV-M1: {action.action.title[:69]}…"
            if len(action.action.title) > 70
            else f"On action GOV-M1: {action.action.title}"
        ),
        reverse("plans:theme", args=[plan.pk, theme.theme.code])
        + f"#comment-{theme.pk}": f"On theme {theme.theme.title}",
        reverse("plans:detail", args=[plan.pk]) + f"#comment-{comments['plan'].pk}": "On the plan",
    }
    assert "3 other review comments are still open" in _text(banner)
    # The banner is the first thing after the heading.
    assert banner.getprevious().tag == "h1"


def test_the_banner_leaves_out_addressed_comments_and_is_gone_once_resubmitted(client, returned, editor):
    plan, comments = returned
    services.review_comment_mark_addressed(comment=comments["theme"], user=editor)
    client.force_login(editor)
    doc = _doc(client.get(reverse("plans:detail", args=[plan.pk])))
    (banner,) = doc.xpath('//*[@data-testid="return-banner"]')
    top_level = ReviewComment.objects.filter(plan=plan, parent=None)
    open_count = top_level.filter(addressed_at=None).count()
    assert (top_level.count(), open_count) == (4, 3)
    assert (
        _text(doc.xpath('//h2[@id="review-comments"]')[0])
        == f"Review comments ({top_level.count()}: {open_count} open)"
    )
    hrefs = [a.get("href") for a in banner.xpath('.//*[@data-testid="return-open-comments"]//a')]
    assert len(hrefs) == 2 and not any(h.endswith(f"#comment-{comments['theme'].pk}") for h in hrefs)
    assert "2 other review comments are still open" in _text(banner)
    services.plan_submit(plan=plan, user=editor)  # the content has not changed: the signatures still hold
    assert not _doc(client.get(reverse("plans:detail", args=[plan.pk]))).xpath('//*[@data-testid="return-banner"]')


def test_a_peer_borough_never_sees_the_banner_or_the_comments(client, returned, reviewer):
    plan, _ = returned
    # The plan is returned: another borough cannot see it at all.
    peer = UserFactory(organisation=Organisation.objects.get(code="E09000022"), role=User.Role.BOROUGH_EDITOR)
    client.force_login(peer)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:theme", args=[plan.pk, "GOV"])).status_code == 404


# Comments beside what they are about --------------------------------------------------------------------


def test_an_action_comment_sits_inside_its_action_on_the_theme_page_and_nowhere_else(client, returned, editor):
    plan, comments = returned
    action = comments["action"].action
    client.force_login(editor)
    doc = _doc(client.get(reverse("plans:theme", args=[plan.pk, action.theme.code])))
    (section,) = doc.xpath(f'//section[@id="action-{action.pk}"]')
    (thread,) = section.xpath(f'.//*[@id="comment-{comments["action"].pk}"]')
    assert "Name a lead." in _text(thread)
    assert len(doc.xpath('//*[@data-testid="action-comment"]')) == 1
    # The theme comment is about another theme: it is on that theme's page, above its actions.
    assert "Theme gap." not in _text(doc)
    theme = comments["theme"].theme
    other = _doc(client.get(reverse("plans:theme", args=[plan.pk, theme.code])))
    (section,) = other.xpath('//section[@id="theme-comments"]')
    assert "Theme gap." in _text(section) and not other.xpath('//*[@data-testid="action-comment"]')


def test_the_plan_page_links_on_action_to_the_action(client, returned, reviewer):
    plan, comments = returned
    action = comments["action"].action
    client.force_login(reviewer)
    doc = _doc(client.get(reverse("plans:detail", args=[plan.pk])))
    (thread,) = doc.xpath(f'//*[@id="comment-{comments["action"].pk}"]')
    (link,) = thread.xpath('.//a[starts-with(normalize-space(.), "GOV-M1")]')
    assert link.get("href") == reverse("plans:theme", args=[plan.pk, action.theme.code]) + f"#action-{action.pk}"


# Marking addressed and reopening ---------------------------------------------------------------------------


def test_the_editor_marks_a_comment_addressed_from_the_theme_page_audited_with_who_and_when(client, returned, editor):
    plan, comments = returned
    comment = comments["action"]
    client.force_login(editor)
    theme_url = reverse("plans:theme", args=[plan.pk, comment.theme.code])
    doc = _doc(client.get(theme_url))
    # The button beside the action submits a form outside the theme's own form (forms cannot nest).
    (button,) = doc.xpath(f'//section[@id="action-{comment.action_id}"]//button[@form]')
    (form,) = doc.xpath(f'//form[@id="{button.get("form")}"]')
    assert not form.xpath("ancestor::form")
    response = client.post(form.get("action"), {"back": "theme"})
    assert response.status_code == 302 and response["Location"] == theme_url + f"#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.addressed_by == editor and comment.addressed_at is not None
    entries = AuditEntry.objects.filter(
        object_type="cycle.reviewcomment", object_id=str(comment.pk), field="addressed_at"
    )
    (entry,) = entries
    assert entry.actor == editor and entry.old == "" and entry.plan_id == plan.pk
    # Collapsed, still readable, with who marked it.
    doc = _doc(client.get(theme_url))
    (thread,) = doc.xpath(f'//*[@id="comment-{comment.pk}"]')
    assert thread.get("data-state") == "addressed"
    assert thread.xpath(".//details") and "Name a lead." in _text(thread.xpath(".//details")[0])
    assert f"marked by {editor.display_name}" in _text(thread)


def test_the_reviewer_sees_addressed_comments_and_can_reopen_them(client, returned, editor, reviewer):
    plan, comments = returned
    comment = services.review_comment_mark_addressed(comment=comments["plan"], user=editor)
    client.force_login(reviewer)
    doc = _doc(client.get(reverse("cycle:review", args=[plan.pk])))
    (summary,) = doc.xpath('//*[@data-testid="review-comment-summary"]')
    assert f"Addressed by {editor.display_name}" in _text(summary)
    response = client.post(reverse("cycle:comment_reopen", args=[plan.pk, comment.pk]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.addressed_at is None and comment.addressed_by is None
    (entry,) = AuditEntry.objects.filter(
        object_type="cycle.reviewcomment", object_id=str(comment.pk), field="addressed_by", actor=reviewer
    )
    assert entry.old == editor.display_name and entry.new == ""


def test_only_the_boroughs_editors_mark_and_only_reviewers_reopen(client, returned, editor, reviewer, havering):
    plan, comments = returned
    comment = comments["action"]
    with pytest.raises(PermissionDenied):
        services.review_comment_mark_addressed(comment=comment, user=reviewer)
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    with pytest.raises(PermissionDenied):
        services.review_comment_mark_addressed(comment=comment, user=viewer)
    client.force_login(viewer)
    assert client.post(reverse("cycle:comment_addressed", args=[plan.pk, comment.pk])).status_code == 403
    other = UserFactory(organisation=Organisation.objects.get(code="E09000022"), role=User.Role.BOROUGH_EDITOR)
    client.force_login(other)
    assert client.post(reverse("cycle:comment_addressed", args=[plan.pk, comment.pk])).status_code == 404
    services.review_comment_mark_addressed(comment=comment, user=editor)
    with pytest.raises(PermissionDenied):
        services.review_comment_reopen(comment=comment, user=editor)
    comment.refresh_from_db()
    assert comment.addressed_by == editor


def test_a_reply_or_an_addressed_comment_cannot_be_marked_and_an_open_one_not_reopened(returned, editor, reviewer):
    plan, comments = returned
    reply = services.review_comment_add(plan=plan, user=editor, body="Done.", parent=comments["action"])
    with pytest.raises(ValidationError, match="A reply cannot be marked addressed"):
        services.review_comment_mark_addressed(comment=reply, user=editor)
    with pytest.raises(ValidationError, match="open already"):
        services.review_comment_reopen(comment=comments["action"], user=reviewer)
    services.review_comment_mark_addressed(comment=comments["action"], user=editor)
    with pytest.raises(ValidationError, match="already marked addressed"):
        services.review_comment_mark_addressed(comment=comments["action"], user=editor)
    assert AuditEntry.objects.filter(object_type="cycle.reviewcomment", field="addressed_at").count() == 1


# The review page tells the truth ------------------------------------------------------------------------


def _label(doc, for_id: str) -> str:
    (label,) = doc.xpath(f'//label[@for="{for_id}"]')
    return _text(label)


def test_the_review_page_labels_the_return_reason_required_and_the_accept_comment_optional(client, submitted, reviewer):
    client.force_login(reviewer)
    url = reverse("cycle:review", args=[submitted.pk])
    doc = _doc(client.get(url))
    assert _label(doc, "return-comment") == "Reason for returning the plan"
    assert _label(doc, "accept-comment") == "Comment to the borough (optional)"
    response = client.post(url, {"decision": "return", "comment": "   "})
    doc = _doc(response)
    assert "Say what the borough needs to change" in _text(doc.xpath('//*[contains(@class, "govuk-error-summary")]')[0])
    submitted.refresh_from_db()
    assert submitted.state == Plan.State.SUBMITTED
    response = client.post(url, {"decision": "return", "comment": REASON})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == Plan.State.RETURNED
    assert ReviewComment.objects.get(plan=submitted, is_return_reason=True).body == REASON


def test_accepting_needs_no_comment_and_its_comment_is_not_a_return_reason(client, submitted, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("cycle:review", args=[submitted.pk]), {"decision": "accept", "comment": "Good."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == Plan.State.ACCEPTED
    assert ReviewComment.objects.get(plan=submitted).is_return_reason is False


def test_a_returned_plans_review_page_offers_no_decision_until_resubmitted(client, returned, reviewer):
    plan, _ = returned
    client.force_login(reviewer)
    doc = _doc(client.get(reverse("cycle:review", args=[plan.pk])))
    assert not doc.xpath("//form[@data-testid='return-form' or @data-testid='accept-form']")
    (note,) = doc.xpath('//*[@data-testid="nothing-to-decide"]')
    assert "until the borough resubmits it" in _text(note)
    (summary,) = doc.xpath('//*[@data-testid="review-comment-summary"]')
    assert "On the plan (the reason for returning it)" in _text(summary)
