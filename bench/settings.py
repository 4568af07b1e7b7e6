"""The site's settings plus one trivial view (bench/urls.py) that every page is measured against."""

from llmref.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
