from django.urls import path

from vrhub.plans import template_views as views

app_name = "templates"

urlpatterns = [
    path("templates/", views.template_list, name="list"),
    path("templates/next-year/", views.template_next, name="next"),
    path("templates/<int:pk>/", views.template_detail, name="detail"),
    path("templates/<int:pk>/settings/", views.template_settings, name="settings"),
    path("templates/<int:pk>/themes/new/", views.theme_new, name="theme_new"),
    path("templates/<int:pk>/themes/<int:theme_pk>/", views.theme_edit, name="theme"),
    path("templates/<int:pk>/themes/<int:theme_pk>/actions/new/", views.action_new, name="action_new"),
    path("templates/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action"),
    path("templates/<int:pk>/actions/<int:action_pk>/retire/", views.action_retire, name="action_retire"),
    path("templates/<int:pk>/preview/", views.template_preview, name="preview"),
    path("templates/<int:pk>/publish/", views.template_publish, name="publish"),
]
