"""Deployment checks of this site's own settings (run by `manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_proxy_count(app_configs, **kwargs) -> list[Warning]:
    """Behind a TLS proxy the client's address is in X-Forwarded-For; with NUM_PROXIES=0 every
    reader looks like the proxy and shares one report limit and one login throttle."""
    if settings.HTTPS and not settings.NUM_PROXIES:
        return [
            Warning(
                "HTTPS=on but NUM_PROXIES=0: behind a TLS-terminating proxy every client "
                "would share the proxy's address (one report limit, one login lockout).",
                hint="Set NUM_PROXIES to the number of proxies that append to X-Forwarded-For.",
                id="llmref.W001",
            )
        ]
    return []
