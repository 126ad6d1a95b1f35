"""Pages of the Serious Violence Duty, one module per part; each module declares its ``urlpatterns``."""
