"""The strategy, its versions and annual reviews, and the public strategy pages, in the permission matrix."""

from django.urls import reverse

HAV = "E09000016"


def _strategy(w):
    return w["havering"]["strategy"].pk


def _review(w):
    return w["havering"]["review"].pk


URLS = {
    "strategy": ("get", lambda w: reverse("duty:strategy", args=[HAV]), "view"),
    "strategy_versions": ("get", lambda w: reverse("duty:strategy_versions", args=[HAV]), "view"),
    "strategy_version": ("get", lambda w: reverse("duty:strategy_version", args=[HAV, _strategy(w)]), "view"),
    "strategy_compare": (
        "get",
        lambda w: reverse("duty:strategy_compare", args=[HAV]) + f"?from={_strategy(w)}&to={_strategy(w)}",
        "view",
    ),
    "strategy_start": ("post", lambda w: reverse("duty:strategy_start", args=[HAV]), "edit"),
    "strategy_edit": ("get", lambda w: reverse("duty:strategy_edit", args=[HAV, _strategy(w)]), "edit"),
    "strategy_edit_post": ("post", lambda w: reverse("duty:strategy_edit", args=[HAV, _strategy(w)]), "edit"),
    "strategy_publish": ("get", lambda w: reverse("duty:strategy_publish", args=[HAV, _strategy(w)]), "edit"),
    "strategy_publish_post": ("post", lambda w: reverse("duty:strategy_publish", args=[HAV, _strategy(w)]), "edit"),
    "strategy_revise": ("post", lambda w: reverse("duty:strategy_revise", args=[HAV, _strategy(w)]), "edit"),
    "reviews": ("get", lambda w: reverse("duty:reviews", args=[HAV]), "view"),
    "review_add": ("get", lambda w: reverse("duty:review_add", args=[HAV]), "edit"),
    "review_add_post": ("post", lambda w: reverse("duty:review_add", args=[HAV]), "edit"),
    "review_edit": ("get", lambda w: reverse("duty:review_edit", args=[HAV, _review(w)]), "edit"),
    "review_edit_post": ("post", lambda w: reverse("duty:review_edit", args=[HAV, _review(w)]), "edit"),
    "public_duty_strategies": ("get", lambda w: reverse("transparency:duty_strategies", args=["VRU-LDN"]), "public"),
}

POST_DATA = {
    "strategy_start": {"title": "Another strategy"},
    "strategy_edit_post": {"title": "Havering serious violence strategy", "problem_summary": "Knife crime."},
    "strategy_publish_post": {},
    "review_add_post": {
        "year": "2025",
        "reviewed_on": "2025-06-01",
        "problem_changes": "Robbery fell.",
        "progress": "On track.",
        "decisions": "Keep it.",
    },
    "review_edit_post": {
        "reviewed_on": "2026-06-02",
        "problem_changes": "Robbery rose.",
        "progress": "Behind.",
        "decisions": "Revise it.",
    },
}
