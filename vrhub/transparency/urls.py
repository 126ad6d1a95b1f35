from django.urls import path

from vrhub.transparency import duty_views, governance_views, national_views, programmes_views, views

app_name = "transparency"

urlpatterns = [
    path("public/", views.public_index, name="index"),
    path("public/national/", national_views.national, name="national"),
    path("public/national/areas.csv", national_views.national_csv, name="national_csv"),
    path("public/<str:vru_code>/<int:year>/", views.public_plans, name="plans"),
    path("public/<str:vru_code>/<int:year>/plans.csv", views.public_csv, name="csv"),
    path("public/<str:vru_code>/serious-violence-strategies/", duty_views.duty_strategies, name="duty_strategies"),
    path(
        "public/<str:vru_code>/serious-violence-strategies/<str:area_code>/",
        duty_views.duty_strategy,
        name="duty_strategy",
    ),
    path("public/<str:vru_code>/partnership-groups/", governance_views.governance_groups, name="governance_groups"),
    path(
        "public/<str:vru_code>/partnership-groups/<str:slug>/",
        governance_views.governance_group,
        name="governance_group",
    ),
    path(
        "public/<str:vru_code>/partnership-groups/<str:slug>/meetings/<str:date>/",
        governance_views.governance_meeting,
        name="governance_meeting",
    ),
    path(
        "public/<str:vru_code>/partnership-groups/<str:slug>/meetings/<str:date>/actions-arising/",
        governance_views.governance_actions,
        name="governance_actions",
    ),
    path(
        "public/<str:vru_code>/partnership-groups/<str:slug>/meetings/<str:date>/items/<int:number>/paper/",
        governance_views.governance_paper,
        name="governance_paper",
    ),
    *programmes_views.urlpatterns,
    path("london/<int:year>/publish/", views.publish, name="publish"),
    path("london/<int:year>/withdraw/", views.withdraw, name="withdraw"),
    path("api/v1/", views.api_index, name="api_index"),
    path("api/v1/openapi.json", views.api_openapi, name="api_openapi"),
    path("api/v1/public/national", national_views.api_national, name="api_national"),
    path("api/v1/public/<str:vru_code>/<int:year>/plans", views.api_public_plans, name="api_public_plans"),
    path("api/v1/plans", views.api_plans, name="api_plans"),
    path("api/v1/plans/<int:pk>", views.api_plan, name="api_plan"),
    path("api/v1/london/<int:year>/summary", views.api_london_summary, name="api_london_summary"),
]
