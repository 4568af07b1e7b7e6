from django.apps import AppConfig


class ModelsCatalogConfig(AppConfig):
    name = "models_catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from models_catalog.catalog_version import connect_signals

        connect_signals()
