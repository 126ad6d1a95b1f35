from vrhub.duty.views import (
    datapack,
    definition,
    monitoring,
    overview,
    partnership,
    sharing,
    sna,
    strategy,
    strategy_reviews,
)

app_name = "duty"

# The monitoring view's fixed path comes before the area pages' /duty/<code>/.
urlpatterns = [
    *monitoring.urlpatterns,
    *overview.urlpatterns,
    *partnership.urlpatterns,
    *definition.urlpatterns,
    *sna.urlpatterns,
    *datapack.urlpatterns,
    *strategy.urlpatterns,
    *strategy_reviews.urlpatterns,
    *sharing.urlpatterns,
]
