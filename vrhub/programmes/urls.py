from vrhub.programmes.views import budgets, evaluation, logic, open_data, programmes, reports, returns

app_name = "programmes"

# Fixed paths (programmes/budgets/…, programmes/new/…) come before a programme's /programmes/<pk>/.
urlpatterns = [
    *budgets.urlpatterns,
    *logic.urlpatterns,
    *reports.urlpatterns,
    *evaluation.urlpatterns,
    *open_data.urlpatterns,
    *returns.urlpatterns,
    *programmes.urlpatterns,
]
