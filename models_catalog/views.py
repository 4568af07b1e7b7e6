"""Site-wide pages (credits, health check) and readers' error reports."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from llmref.client import client_address
from llmref.site import absolute_url
from models_catalog.models import DataSource, ErrorReport, LanguageModel
from models_catalog.services import ReportLimitReached, create_error_report
from models_catalog.validators import is_local_path


def credits(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/credits.html",
        {
            "sources": DataSource.objects.all(),
            "title": "Data sources and credits — LLM Reference",
            "description": "Where the facts on LLM Reference come from, under which licenses, "
            "with the credit lines they require.",
            "canonical_url": absolute_url(request.path),
        },
    )


# Seconds /healthz waits for the database before answering 503 (a load balancer's probe
# usually gives up after 5).
HEALTH_TIMEOUT_SECONDS = 2.0
_health_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def _database_answers() -> bool:
    # Runs in its own thread with its own connection: a fresh connect is bounded by
    # connect_timeout, and the caller stops waiting after HEALTH_TIMEOUT_SECONDS even when a
    # database accepts the connection and then never answers.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False
    finally:
        connection.close()


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (so a load balancer drops the host)."""
    future = _health_pool.submit(_database_answers)
    try:
        healthy = future.result(timeout=HEALTH_TIMEOUT_SECONDS)
    except FutureTimeout:
        healthy = False
    if not healthy:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class ErrorReportForm(forms.ModelForm):
    message = forms.CharField(
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What is wrong?",
        help_text="Which figure, and what it should be. 10 to 2,000 characters.",
    )

    class Meta:
        model = ErrorReport
        fields = ["message", "source_url", "email"]
        labels = {
            "source_url": "Source for the right value (optional)",
            "email": "Your email (optional)",
        }


def report_error(request: HttpRequest, slug: str) -> HttpResponse:
    model = get_object_or_404(LanguageModel.objects.published(), slug=slug)
    page = request.POST.get("page") or request.GET.get("from") or ""
    if not is_local_path(page):
        # Only a path on this site is kept, so "Back" can never lead elsewhere.
        page = ""
    status = 200
    if request.method == "POST":
        form = ErrorReportForm(request.POST)
        if form.is_valid():
            try:
                create_error_report(
                    model=model,
                    message=form.cleaned_data["message"],
                    source_url=form.cleaned_data["source_url"],
                    email=form.cleaned_data["email"],
                    page=page,
                    client=client_address(request),
                    now=timezone.now(),
                )
            except ReportLimitReached:
                form.add_error(
                    None,
                    "Too many reports from your address in the last hour; please try again later.",
                )
                status = 429
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
                status = 400
            else:
                return render(
                    request,
                    "catalog/report_thanks.html",
                    {"model": model, "page": page, "title": "Thank you — LLM Reference"},
                )
        else:
            status = 400
    else:
        form = ErrorReportForm()
    return render(
        request,
        "catalog/report_form.html",
        {
            "form": form,
            "model": model,
            "page": page,
            "title": f"Report an error about {model.name} — LLM Reference",
            "description": f"Tell the editors what is wrong about {model.name}.",
        },
        status=status,
    )
