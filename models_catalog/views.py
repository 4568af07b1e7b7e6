"""Site-wide pages (credits, health check) and readers' error reports."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from models_catalog.models import DataSource, ErrorReport, LanguageModel


def credits(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/credits.html",
        {
            "sources": DataSource.objects.all(),
            "title": "Data sources and credits — LLM Reference",
            "description": "Where the facts on LLM Reference come from, under which licenses, "
            "with the credit lines they require.",
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (so a load balancer drops the host)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
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


def client_address(request: HttpRequest) -> str:
    """The client's IP, counting back past the proxies this site is told it sits behind."""
    if settings.NUM_PROXIES:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= settings.NUM_PROXIES:
            return hops[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def _over_report_limit(request: HttpRequest) -> bool:
    """Count this client's reports in the shared cache, allowing REPORTS_PER_HOUR an hour."""
    key = f"error-reports:{client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.REPORTS_PER_HOUR


def report_error(request: HttpRequest, slug: str) -> HttpResponse:
    model = get_object_or_404(LanguageModel.objects.published(), slug=slug)
    page = request.POST.get("page") or request.GET.get("from") or ""
    if not page.startswith("/"):
        page = ""
    status = 200
    if request.method == "POST":
        form = ErrorReportForm(request.POST)
        if form.is_valid():
            if _over_report_limit(request):
                form.add_error(
                    None,
                    "Too many reports from your address in the last hour; please try again later.",
                )
                status = 429
            else:
                report = form.save(commit=False)
                report.language_model = model
                report.page = page[:300]
                report.save()
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
