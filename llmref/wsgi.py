"""WSGI entry point: `gunicorn llmref.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "llmref.settings")

application = get_wsgi_application()
