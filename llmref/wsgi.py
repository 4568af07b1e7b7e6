"""WSGI entry point: `gunicorn llmref.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "llmref.settings")

application = get_wsgi_application()

# Import the URLconf (and every view) now, while the worker starts, rather than on the first
# request: under load that import takes seconds a health probe does not have.
get_resolver().url_patterns  # noqa: B018
