from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from vrhub.accounts import views as account_views
from vrhub.core.views import healthz
from vrhub.evidence.urls import citation_urlpatterns
from vrhub.plans.views import home

admin.site.site_header = "vrhub administration"
admin.site.site_title = "vrhub"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", account_views.sign_in, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("vrhub.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("vrhub.plans.urls")),
    path("", include("vrhub.plans.template_urls")),
    path("", include("vrhub.cycle.urls")),
    path("", include("vrhub.workbooks.urls")),
    path("", include("vrhub.reports.urls")),
    path("", include("vrhub.dashboard.urls")),
    path("", include("vrhub.learning.urls")),
    path("", include("vrhub.transparency.urls")),
    path("", include("vrhub.evidence.urls")),
    path("", include(citation_urlpatterns)),
    path("", include("vrhub.jobs.urls")),
    path("", include("vrhub.duty.urls")),
    path("", include("vrhub.governance.urls")),
    path("", include("vrhub.programmes.urls")),
    path("", include("vrhub.organisations.urls")),
]
