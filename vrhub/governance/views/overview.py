"""Governance's front door: the groups a person can open, and a group's page."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from vrhub.governance.selectors import access
from vrhub.governance.selectors.overview import group_summary


def index(request):
    groups = access.groups_visible_to(user=request.user).select_related("owner").order_by("name")
    return render(
        request,
        "governance/index.html",
        {"groups": groups, "can_create": access.group_owners_for(user=request.user).exists()},
    )


def group(request, slug: str):
    g = access.group_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "governance/group.html",
        {
            "group": g,
            "summary": group_summary(group=g, today=timezone.localdate()),
            "can_edit": access.user_can_edit_group(user=request.user, group=g),
        },
    )


urlpatterns = [
    path("governance/", index, name="index"),
    path("governance/<str:slug>/", group, name="group"),
]
