from django.urls import path

from vrhub.cycle import views

app_name = "cycle"

urlpatterns = [
    path("plans/<int:pk>/quarters/", views.quarters, name="quarters"),
    path("reminders/send/", views.reminders_start, name="reminders_start"),
    path("plans/<int:pk>/quarters/<int:number>/themes/<slug:theme_code>/", views.quarter_theme, name="quarter_theme"),
    path("plans/<int:pk>/quarters/<int:number>/close/", views.quarter_close, name="quarter_close"),
    path("plans/<int:pk>/sign/", views.sign, name="sign"),
    path("plans/<int:pk>/submit/", views.submit, name="submit"),
    path("plans/<int:pk>/review/", views.review, name="review"),
    path("plans/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("plans/<int:pk>/comments/<int:comment_pk>/addressed/", views.comment_addressed, name="comment_addressed"),
    path("plans/<int:pk>/comments/<int:comment_pk>/reopen/", views.comment_reopen, name="comment_reopen"),
    path("plans/<int:pk>/new-version/", views.new_version, name="new_version"),
    path("plans/<int:pk>/actions/<int:action_pk>/history/", views.action_history, name="history"),
]
