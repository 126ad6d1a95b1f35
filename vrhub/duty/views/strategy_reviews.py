"""The strategy's annual reviews: the history of reviews (one a year) and recording or changing one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vrhub.core.forms import apply_validation_errors
from vrhub.duty.forms_strategy import ReviewForm
from vrhub.duty.selectors import access
from vrhub.duty.selectors import strategy as selectors
from vrhub.duty.services import reviews as services


@require_GET
def reviews(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code)
    today = timezone.localdate()
    published = selectors.strategy_published(partnership=partnership)
    return render(
        request,
        "duty/strategy/reviews.html",
        {
            "area": partnership.area,
            "partnership": partnership,
            "reviews": selectors.reviews_of(partnership=partnership),
            "published": published,
            "banner": selectors.review_banner(strategy=published, today=today),
            "can_edit": access.user_can_edit_partnership(user=request.user, partnership=partnership),
        },
    )


def _form_page(request, *, partnership, review=None):
    strategies = selectors.strategies_of(partnership=partnership)
    if request.method == "POST":
        form = ReviewForm(request.POST, strategies=strategies)
        if form.is_valid():
            try:
                if review is None:
                    saved = services.review_record(partnership=partnership, user=request.user, data=form.cleaned_data)
                else:
                    data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
                    saved = services.review_update(review=review, user=request.user, data=data)
            except ValidationError as exc:
                apply_validation_errors(form, exc)
            else:
                messages.success(request, f"The {saved.year} review is {'recorded' if review is None else 'saved'}.")
                return redirect("duty:reviews", code=partnership.area.code)
    elif review is None:
        published = selectors.strategy_published(partnership=partnership)
        form = ReviewForm(
            initial={"year": timezone.localdate().year, "strategy": str(published.pk) if published else ""},
            strategies=strategies,
        )
    else:
        form = ReviewForm(
            initial={
                "year": review.year,
                "reviewed_on": review.reviewed_on,
                "problem_changes": review.problem_changes,
                "progress": review.progress,
                "decisions": review.decisions,
                "strategy": str(review.strategy_id or ""),
            },
            strategies=strategies,
        )
    if review is not None:
        form.fields["year"].disabled = True
    return render(
        request,
        "duty/strategy/review_form.html",
        {"area": partnership.area, "partnership": partnership, "form": form, "review": review},
    )


@require_http_methods(["GET", "POST"])
def review_add(request, code: str):
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    return _form_page(request, partnership=partnership)


@require_http_methods(["GET", "POST"])
def review_edit(request, code: str, pk: int):
    review = access.annual_review_get_for_user(user=request.user, code=code, pk=pk, edit=True)
    partnership = access.partnership_get_for_user(user=request.user, code=code, edit=True)
    return _form_page(request, partnership=partnership, review=review)


urlpatterns = [
    path("duty/<str:code>/reviews/", reviews, name="reviews"),
    path("duty/<str:code>/reviews/add/", review_add, name="review_add"),
    path("duty/<str:code>/reviews/<int:pk>/edit/", review_edit, name="review_edit"),
]
