"""System checks that ``manage.py check --deploy`` runs: what a production server needs on disk."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string


@register(Tags.staticfiles, deploy=True)
def static_manifest_present(app_configs, **kwargs) -> list[Error]:
    """With a manifest storage every page renders static URLs from the manifest: without one, every page is a 500."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    try:
        storage_class = import_string(backend)
    except ImportError:
        return [Error(f"STORAGES['staticfiles'] names {backend!r}, which cannot be imported.", id="vrhub.E002")]
    manifest_name = getattr(storage_class, "manifest_name", None)
    if not manifest_name:
        return []
    manifest = Path(settings.STATIC_ROOT) / manifest_name
    if not manifest.is_file():
        return [
            Error(
                f"The static files manifest {manifest} is missing: every HTML page would answer 500.",
                hint="Run `python manage.py collectstatic --noinput` with the production settings before serving.",
                id="vrhub.E001",
            )
        ]
    return []
