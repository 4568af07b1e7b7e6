from django.apps import AppConfig


class ModelsCatalogConfig(AppConfig):
    name = "models_catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        # Registers the site's deployment checks with `manage.py check --deploy`.
        from llmref import checks  # noqa: F401
        from models_catalog.catalog_version import connect_signals

        connect_signals()
