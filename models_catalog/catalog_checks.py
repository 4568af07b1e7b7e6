"""Data-quality checks over a catalog in the bundled file's format (see catalog/README.md).

Pure: no Django. Each rule takes an indexed `Catalog` and yields `Finding`s; `check(data,
today=...)` runs them all. The same records come from the bundled file (`check_catalog PATH`)
or from the database (`export_catalog`), so the command, CI and the review queue's "Checks"
panel agree on every finding.

An *error* is a contradiction or a mislabel that the data cannot be right with (CI fails on
it); a *warning* is something an editor should look at, which may be right (a provider that
caps the context window, a price far from the others).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

Severity = Literal["error", "warning"]
TargetKind = Literal["model", "offering", "score"]

ERROR: Severity = "error"
WARNING: Severity = "warning"

# Pages that list many makers' numbers or many providers' prices: a source of convenience,
# never the maker's own word. (host, path prefix)
AGGREGATORS: tuple[tuple[str, str], ...] = (
    ("github.com", "/JonathanChavezTamales/llm-leaderboard"),
    ("llm-stats.com", ""),
    ("github.com", "/anomalyco/models.dev"),
    ("models.dev", ""),
    ("openrouter.ai", ""),
    ("pypi.org", "/project/litellm"),
    ("github.com", "/BerriAI/litellm"),
    ("raw.githubusercontent.com", "/BerriAI/litellm"),
)

# Pages that cannot show a price at all: a package's landing page.
PRICELESS_SOURCES: tuple[tuple[str, str], ...] = (("pypi.org", "/project/"),)

# A price this many times the model's median (or below its reciprocal) is worth a second look.
OUTLIER_FACTOR = Decimal(3)
# Fewer offerings than this make a median that says little.
OUTLIER_MIN_OFFERINGS = 3
INPUT_SHARE = Decimal("0.7")

CONDITION_KEYS = ("variant", "shots", "reasoning", "reasoning_effort", "attempts", "harness")


@dataclass(frozen=True)
class Target:
    """What a finding is about, by the keys the catalog file uses.

    model: (model slug,); offering: (model slug, provider slug); score: (model slug,
    benchmark slug, source URL or "").
    """

    kind: TargetKind
    key: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    target: Target
    message: str


def _matches(url: str | None, patterns: tuple[tuple[str, str], ...]) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return any(
        (host == h or host.endswith("." + h)) and parts.path.startswith(p) for h, p in patterns
    )


def is_aggregator(url: str | None) -> bool:
    return _matches(url, AGGREGATORS)


def cannot_show_price(url: str | None) -> bool:
    return _matches(url, PRICELESS_SOURCES)


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value))


class Catalog:
    """The records of a catalog file, indexed for the rules."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.models: dict[str, dict] = {m["slug"]: m for m in data.get("models", [])}
        self.providers: dict[str, dict] = {p["slug"]: p for p in data.get("providers", [])}
        self.benchmarks: dict[str, dict] = {b["slug"]: b for b in data.get("benchmarks", [])}
        self.offerings: list[dict] = list(data.get("offerings", []))
        self.scores: list[dict] = list(data.get("scores", []))
        self.offerings_of: dict[str, list[dict]] = defaultdict(list)
        for offering in self.offerings:
            self.offerings_of[offering["model"]].append(offering)
        self.scores_on: dict[str, list[dict]] = defaultdict(list)
        for score in self.scores:
            self.scores_on[score["benchmark"]].append(score)

    def model_name(self, slug: str) -> str:
        return self.models.get(slug, {}).get("name", slug)

    def provider_name(self, slug: str) -> str:
        return self.providers.get(slug, {}).get("name", slug)

    def is_first_party(self, offering: dict) -> bool:
        """Served by the maker's own API (provider `first_party_for`, else same slug)."""
        model = self.models.get(offering["model"], {})
        provider = self.providers.get(offering["provider"], {})
        owner = provider.get("first_party_for")
        if owner is None and provider.get("kind") == "first-party":
            owner = provider.get("slug")
        return owner is not None and owner == model.get("organization")

    @staticmethod
    def is_current(offering: dict, today: datetime.date) -> bool:
        ended = _date(offering.get("ended_on"))
        return offering.get("current", True) and (ended is None or ended > today)


def model_target(slug: str) -> Target:
    return Target("model", (slug,))


def offering_target(offering: dict) -> Target:
    return Target("offering", (offering["model"], offering["provider"]))


def score_target(score: dict) -> Target:
    return Target("score", (score["model"], score["benchmark"], score.get("source_url") or ""))


# --- rules ------------------------------------------------------------------------------------


def reasoning_flag_matches_scores(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """A score taken in reasoning mode proves the model has one."""
    for score in catalog.scores:
        if score.get("reasoning") != "on":
            continue
        model = catalog.models.get(score["model"])
        if model is None:
            continue
        flag = (model.get("capabilities") or {}).get("reasoning")
        if flag is False:
            yield Finding(
                "reasoning-flag",
                ERROR,
                model_target(model["slug"]),
                f"{model['name']}: reasoning is “no”, but its {score['benchmark']} score was "
                "taken with reasoning on.",
            )
        elif flag is None:
            yield Finding(
                "reasoning-flag",
                WARNING,
                model_target(model["slug"]),
                f"{model['name']}: reasoning is unknown, but its {score['benchmark']} score was "
                "taken with reasoning on.",
            )


def context_matches_offerings(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """The spec's context window should be what providers serve: not less, not more.

    Both are warnings: providers may cap a context window or extend it (YaRN, a beta header).
    "128K" written as 128,000 or 131,072 is the same figure, so up to 5% above is tolerated.
    """
    for slug, model in catalog.models.items():
        spec = model.get("context_window")
        if not spec:
            continue
        current = [o for o in catalog.offerings_of.get(slug, []) if catalog.is_current(o, today)]
        for offering in current:
            served = offering.get("context_window")
            if served and served > spec * 1.05:
                yield Finding(
                    "context-exceeds-spec",
                    WARNING,
                    offering_target(offering),
                    f"{model['name']} at {catalog.provider_name(offering['provider'])} serves "
                    f"{served:,} tokens of context; the spec says {spec:,}.",
                )
        served_all = [o.get("context_window") for o in current]
        if served_all and None not in served_all and max(served_all) < spec * 0.95:
            yield Finding(
                "context-not-reached",
                WARNING,
                model_target(slug),
                f"{model['name']}: the spec says {spec:,} tokens of context, but no current "
                f"offering serves more than {max(served_all):,}.",
            )


def open_weights_have_license(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """Open weights come with a license. "Proprietary" contradicts them (an error); an empty
    license is unknown, which the catalog allows until someone finds it (a warning)."""
    for slug, model in catalog.models.items():
        if not model.get("open_weights"):
            continue
        license_ = (model.get("license") or "").strip()
        if license_.lower() == "proprietary":
            yield Finding(
                "open-weights-license",
                ERROR,
                model_target(slug),
                f"{model['name']} has open weights but its license says “Proprietary”.",
            )
        elif not license_:
            yield Finding(
                "open-weights-license",
                WARNING,
                model_target(slug),
                f"{model['name']} has open weights but no license recorded; find it.",
            )


def maker_scores_cite_maker(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """A score labelled as the maker's own should cite the maker's page, not a collection.

    A warning: the number may well be the maker's, but readers should reach the maker's page.
    """
    for score in catalog.scores:
        if score.get("provenance") == "maker" and is_aggregator(score.get("source_url")):
            yield Finding(
                "maker-score-aggregator",
                WARNING,
                score_target(score),
                f"{catalog.model_name(score['model'])} on {score['benchmark']}: a maker-reported "
                f"score cites an aggregator ({urlsplit(score['source_url']).hostname}); cite "
                "the maker's announcement or model card.",
            )


def cutoff_before_release(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    for slug, model in catalog.models.items():
        cutoff, released = model.get("knowledge_cutoff"), model.get("released")
        # Month precision: a cutoff in the release month is possible.
        if cutoff and released and str(cutoff)[:7] > str(released)[:7]:
            yield Finding(
                "cutoff-after-release",
                ERROR,
                model_target(slug),
                f"{model['name']}: knowledge cutoff {cutoff} is after its release on {released}.",
            )


def lifecycle_is_consistent(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """Retirement not before deprecation; a retired model is not still sold as current.

    Still current at the maker's own API is an error (the maker retired it there); at another
    provider a warning (hosts of open weights may go on serving it).
    """
    for slug, model in catalog.models.items():
        lifecycle = model.get("lifecycle") or {}
        deprecated = _date(lifecycle.get("deprecated_on"))
        retired = _date(lifecycle.get("retired_on"))
        if deprecated and retired and retired < deprecated:
            yield Finding(
                "lifecycle-order",
                ERROR,
                model_target(slug),
                f"{model['name']}: retired on {retired} before it was deprecated on {deprecated}.",
            )
        if (deprecated or retired) and not lifecycle.get("source"):
            yield Finding(
                "lifecycle-source",
                WARNING,
                model_target(slug),
                f"{model['name']}: lifecycle dates without a source.",
            )
        if retired is None or retired > today:
            continue
        for offering in catalog.offerings_of.get(slug, []):
            if not catalog.is_current(offering, today):
                continue
            first_party = catalog.is_first_party(offering)
            yield Finding(
                "retired-still-offered",
                ERROR if first_party else WARNING,
                offering_target(offering),
                f"{model['name']} was retired on {retired}, but its offering at "
                f"{catalog.provider_name(offering['provider'])} is still current"
                + ("." if first_party else "; check that the provider still serves it."),
            )


def _blend(offering: dict) -> Decimal | None:
    input_, output = (
        _decimal(offering.get("input_per_mtok")),
        _decimal(offering.get("output_per_mtok")),
    )
    if input_ is None or output is None:
        return None
    return INPUT_SHARE * input_ + (1 - INPUT_SHARE) * output


def prices_near_median(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """A current, paid, real-time price over 3× or under ⅓ of the model's median blend."""
    for slug, offerings in catalog.offerings_of.items():
        priced = [
            (o, blend)
            for o in offerings
            if catalog.is_current(o, today)
            and not o.get("free_tier")
            and catalog.providers.get(o["provider"], {}).get("kind") != "batch"
            and (blend := _blend(o))
        ]
        if len(priced) < OUTLIER_MIN_OFFERINGS:
            continue
        median = statistics.median(blend for _, blend in priced)
        for offering, blend in priced:
            if blend > median * OUTLIER_FACTOR or blend * OUTLIER_FACTOR < median:
                yield Finding(
                    "price-outlier",
                    WARNING,
                    offering_target(offering),
                    f"{catalog.model_name(slug)} at {catalog.provider_name(offering['provider'])}"
                    f": blended price ${blend.normalize():f}/1M is "
                    + ("over 3×" if blend > median else "under ⅓ of")
                    + f" the median of its {len(priced)} offerings (${median.normalize():f}).",
                )


def offering_sources_show_price(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """A package landing page shows no price; such an offering must say so, and needs a page."""
    for offering in catalog.offerings:
        shows = offering.get("source_shows_price", True)
        label = (
            f"{catalog.model_name(offering['model'])} at "
            f"{catalog.provider_name(offering['provider'])}"
        )
        if shows and cannot_show_price(offering.get("source_url")):
            yield Finding(
                "offering-source-price",
                ERROR,
                offering_target(offering),
                f"{label}: the source is a package page that shows no price; mark "
                "“source shows price” off or cite the provider's price page.",
            )
        elif not shows and catalog.is_current(offering, today):
            yield Finding(
                "offering-source-price",
                WARNING,
                offering_target(offering),
                f"{label}: the source shows no price; find the provider's price page.",
            )


def records_have_sources(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    for slug, model in catalog.models.items():
        if not model.get("sources"):
            yield Finding("no-source", WARNING, model_target(slug), f"{model['name']}: no source.")
    for offering in catalog.offerings:
        if not offering.get("source_url"):
            yield Finding(
                "no-source",
                ERROR,
                offering_target(offering),
                f"{catalog.model_name(offering['model'])} at "
                f"{catalog.provider_name(offering['provider'])}: no source for the price.",
            )
    for score in catalog.scores:
        if not score.get("source_url"):
            yield Finding(
                "no-source",
                WARNING,
                score_target(score),
                f"{catalog.model_name(score['model'])} on {score['benchmark']}: no source.",
            )


def has_conditions(score: dict) -> bool:
    return any(score.get(key) not in (None, "") for key in CONDITION_KEYS)


def leading_scores_have_conditions(catalog: Catalog, today: datetime.date) -> Iterator[Finding]:
    """The score that leads a benchmark decides what readers take away: say how it was taken."""
    for slug, scores in catalog.scores_on.items():
        benchmark = catalog.benchmarks.get(slug, {})
        higher = benchmark.get("higher_is_better", True)
        valued = [s for s in scores if _decimal(s.get("score")) is not None]
        if not valued:
            continue
        best = max(valued, key=lambda s: _decimal(s["score"]) * (1 if higher else -1))
        if not has_conditions(best):
            yield Finding(
                "lead-without-conditions",
                WARNING,
                score_target(best),
                f"{catalog.model_name(best['model'])} leads {benchmark.get('name', slug)} with "
                f"{best['score']}, but the score records no conditions (variant, shots, "
                "reasoning, attempts, harness).",
            )


RULES: tuple[Callable[[Catalog, datetime.date], Iterator[Finding]], ...] = (
    reasoning_flag_matches_scores,
    context_matches_offerings,
    open_weights_have_license,
    maker_scores_cite_maker,
    cutoff_before_release,
    lifecycle_is_consistent,
    prices_near_median,
    offering_sources_show_price,
    records_have_sources,
    leading_scores_have_conditions,
)


def check(data: dict[str, Any], *, today: datetime.date) -> list[Finding]:
    """Every finding of every rule, errors first."""
    catalog = Catalog(data)
    findings = [finding for rule in RULES for finding in rule(catalog, today)]
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.rule, f.target.key))
