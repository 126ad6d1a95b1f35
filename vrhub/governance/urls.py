from vrhub.governance.views import actions, attendance, groups, meetings, members, overview

app_name = "governance"

# Fixed paths (governance/new/…) come before a group's /governance/<slug>/.
urlpatterns = [
    *groups.urlpatterns,
    *overview.urlpatterns,
    *members.urlpatterns,
    *meetings.urlpatterns,
    *attendance.urlpatterns,
    *actions.urlpatterns,
]
