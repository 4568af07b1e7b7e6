"""The Jinja2 environment for the site's layout and the comparison pages (templates/jinja2/).

A pair page's markup is mostly particular to its address: nine thousand pairs at 135 models,
each with its own tables, chart and text. Django's template engine spends several
microseconds on every value it prints, and a pair page prints hundreds; Jinja2 compiles
templates to Python and prints them for a fraction of that. Django pages reach the layout
through base.html's {% layout %} tag; the comparison pages are Jinja2 templates that extend
it, drawn by draw(). The filters and tags are the functions the Django templates use
(comparisons.templatetags.llmref), so each rule about how a figure reads keeps one home.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template import defaultfilters, engines
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from jinja2 import ChainableUndefined, Environment, Undefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from comparisons.templatetags import llmref


def _missing_as_none(fn: Callable[..., Any]) -> Callable[..., Any]:
    # Django's engine hands a filter "" for a missing value (None.price), and the filters
    # mark "" and None alike as not yet sourced; Jinja2 hands them an Undefined.
    def filter_(value: Any, *args: Any) -> Any:
        return fn(None if isinstance(value, Undefined) else value, *args)

    return filter_


@pass_context
def per_catalog_version(
    context: Context, name: str, *keys: Any, caller: Callable[[], str]
) -> Markup:
    """{% call per_catalog_version("name", key…) %}…{% endcall %}: the Django tag
    {% per_catalog_version %}, kept under the same keys."""
    return Markup(llmref.fragment(name, keys, caller, context.get("today")))


_drawn_once: dict[tuple[str, str | None, str], Markup] = {}


def once_per_process(name: str, *, caller: Callable[[], str]) -> Markup:
    """{% call once_per_process("name") %}…{% endcall %}: markup that is the same on every
    page (the layout's links, header and footer), drawn the first time and then reused. Nothing
    in it may depend on the page. It reads nothing from the catalog, so error pages can use it
    with the database away. Drawn afresh on every page under DEBUG, where templates change."""
    if settings.DEBUG:
        return Markup(caller())
    # Its links depend on the URLconf and the script prefix, and on nothing else.
    key = (name, get_urlconf(), get_script_prefix())
    drawn = _drawn_once.get(key)
    if drawn is None:
        drawn = _drawn_once[key] = Markup(caller())
    return drawn


def django_include(template_name: str, **context: Any) -> str:
    """A partial shared with Django templates (includes/headline.html), drawn by Django."""
    return render_to_string(template_name, context)


def draw(template_name: str, context: dict[str, Any], request: HttpRequest) -> str:
    """The Jinja2 template's markup: a whole page (comparisons/pair.html) or a part."""
    # Jinja2's own template, not Django's wrapper of it, which adds lazy CSRF values and
    # runs context processors: these pages use neither.
    template = engines["jinja2"].env.get_template(template_name)
    return template.render({**context, "request": request, "url": llmref.url_maker()})


def environment(**options: Any) -> Environment:
    # Printing a missing attribute gives "", and reading through one gives another missing
    # value, as in Django's templates (price.cheapest.provider_name when there is no cheapest).
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.filters.update({name: _missing_as_none(fn) for name, fn in llmref.register.filters.items()})
    env.filters.update(
        capfirst=defaultfilters.capfirst,
        pluralize=defaultfilters.pluralize,
        urlencode=defaultfilters.urlencode,
    )
    env.globals.update(
        # draw() gives each page its own `url`, which reads the request's settings once.
        url=llmref.cached_url,
        score_cell=llmref.score_cell,
        bar_shapes=llmref.bar_shapes,
        static=static,
        once_per_process=once_per_process,
        per_catalog_version=per_catalog_version,
        django_include=django_include,
        faq_json_ld=llmref.faq_json_ld,
    )
    return env
