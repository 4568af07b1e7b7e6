from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"

    def ready(self) -> None:
        import atexit

        from comparisons import page_directory
        from comparisons.page_cache import flush_page_stores

        # Every process hears which pages the others stored (see page_directory).
        page_directory.start()

        # Pages rendered in the last moments are written to the shared cache, not dropped.
        atexit.register(flush_page_stores)
