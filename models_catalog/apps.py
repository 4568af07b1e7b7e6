import atexit

from django.apps import AppConfig


class ModelsCatalogConfig(AppConfig):
    name = "models_catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        # Registers the site's deployment checks with `manage.py check --deploy`.
        from llmref import checks  # noqa: F401
        from models_catalog.catalog_version import connect_signals

        connect_signals()
        from models_catalog.services import flush_comparison_views_at_exit

        # Pair views are counted in memory and written now and then; the rest go at exit.
        atexit.register(flush_comparison_views_at_exit)
