"""Proposals from LiteLLM's price file: compare it with the catalog, record what differs.

Nothing here changes the catalog. `plan_import` only reads; `record_run` stores the run and its
proposed changes; an editor then accepts or rejects each one in the admin, and accepting goes
through `services.accept_proposed_change` like any editor's save.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from models_catalog.importers.litellm_file import (
    LITELLM_FILE_URL,
    Entry,
    LiteLLMFileError,
    RateCard,
    as_json_value,
    parse_entries,
)
from models_catalog.models import (
    IMPORT_REASON_PREFIX,
    PRICE_FIELDS,
    ImportRun,
    LanguageModel,
    LiteLLMModelMapping,
    LiteLLMProviderMapping,
    Offering,
    ProposedChange,
    Provider,
)

Kind = ProposedChange.Kind
# Sources whose offerings came from LiteLLM itself: when LiteLLM drops such an offering, the
# citation is gone too, so the import proposes to mark it no longer listed.
LITELLM_SOURCES = ("https://pypi.org/project/litellm", "https://github.com/BerriAI/litellm")
FETCH_TIMEOUT_SECONDS = 60
# Which stored fields each kind of change writes (for the conflict check).
FIELDS_OF_KIND = {
    Kind.PRICE: set(PRICE_FIELDS),
    Kind.CONTEXT: {"context_window"},
    Kind.MAX_OUTPUT: {"max_output_tokens"},
    Kind.DEPRECATION: {"ended_on"},
    Kind.ENDED: {"is_current"},
}


@dataclass
class Proposal:
    kind: str
    field: str
    old: Any
    new: Any
    keys: list[str]
    litellm_provider: str = ""
    source_url: str = ""
    language_model: LanguageModel | None = None
    provider: Provider | None = None
    conflict: str = ""

    @property
    def subject(self) -> str:
        if self.language_model and self.provider:
            return f"{self.language_model.name} at {self.provider.name}"
        if self.language_model:
            return self.language_model.name
        return self.keys[0] if self.keys else self.field


@dataclass
class ImportPlan:
    entry_count: int
    proposals: list[Proposal] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(p.kind for p in self.proposals)


def read_source(path_or_url: str) -> tuple[bytes, str]:
    """The file's bytes and the URL to cite for it (the URL itself, or LiteLLM's repository)."""
    if path_or_url.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(path_or_url, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only, checked above)
                return response.read(), path_or_url
        except OSError as error:
            raise LiteLLMFileError(f"Cannot fetch {path_or_url}: {error}.") from error
    try:
        return Path(path_or_url).read_bytes(), LITELLM_FILE_URL
    except OSError as error:
        raise LiteLLMFileError(f"Cannot read {path_or_url}: {error.strerror}.") from error


def rate_card(offering: Offering) -> dict[str, Any]:
    return {
        "input": offering.input_usd_per_mtok,
        "output": offering.output_usd_per_mtok,
        "cached_input": offering.cached_input_usd_per_mtok,
    }


def _editor_changes(
    model: type[models.Model], since: datetime.datetime | None
) -> dict[int, set[str]]:
    """Fields of each row that an editor (not an import, not load_catalog) changed since then."""
    records = (
        model.history.filter(history_user__isnull=False)
        .exclude(history_change_reason__startswith=IMPORT_REASON_PREFIX)
        .order_by("history_date")
    )
    if since is not None:
        records = records.filter(history_date__gt=since)
    changed: dict[int, set[str]] = defaultdict(set)
    for record in records:
        previous = record.prev_record if record.history_type == "~" else None
        if previous is None:
            changed[record.id].add("*")  # created by an editor: every field is theirs
        else:
            changed[record.id].update(c.field for c in record.diff_against(previous).changes)
    return changed


class _Planner:
    def __init__(self, entries: list[Entry], as_of: datetime.date, file_url: str) -> None:
        self.entries = entries
        self.as_of = as_of
        self.file_url = file_url
        self.proposals: list[Proposal] = []

    def propose(
        self, entry: Entry | None, group: list[Entry], source: str | None = None, **values
    ) -> None:
        self.proposals.append(
            Proposal(
                keys=[e.key for e in group],
                litellm_provider=entry.provider if entry else "",
                source_url=source or (entry.source_url if entry else None) or self.file_url,
                **values,
            )
        )

    def run(self) -> list[Proposal]:
        provider_maps = {
            m.name: m
            for m in LiteLLMProviderMapping.objects.select_related("provider", "batch_provider")
        }
        model_maps = {m.key: m for m in LiteLLMModelMapping.objects.all()}
        models_by_pk = {m.pk: m for m in LanguageModel.objects.all()}
        offerings = {
            (o.provider_id, o.language_model_id): o
            for o in Offering.objects.select_related("provider")
        }
        groups: dict[tuple[Provider, int], list[Entry]] = defaultdict(list)
        batch_groups: dict[tuple[Provider, int], list[Entry]] = defaultdict(list)
        unmapped: dict[str, list[Entry]] = defaultdict(list)
        tracked_providers: set[int] = set()
        for mapping in provider_maps.values():
            tracked_providers.update(
                p.pk for p in (mapping.provider, mapping.batch_provider) if p is not None
            )
        for entry in self.entries:
            provider_map = provider_maps.get(entry.provider)
            if provider_map is None or provider_map.provider is None:
                continue
            model_map = model_maps.get(entry.folded_key)
            if model_map is None:
                unmapped[entry.folded_key].append(entry)
                continue
            if model_map.language_model_id is None:
                continue  # deliberately not tracked
            groups[(provider_map.provider, model_map.language_model_id)].append(entry)
            if provider_map.batch_provider and entry.batch_prices.complete:
                batch_groups[(provider_map.batch_provider, model_map.language_model_id)].append(
                    entry
                )

        for (provider, model_pk), group in sorted(groups.items(), key=_group_order):
            self.offering(provider, models_by_pk[model_pk], group, offerings, batch=False)
        for (provider, model_pk), group in sorted(batch_groups.items(), key=_group_order):
            self.offering(provider, models_by_pk[model_pk], group, offerings, batch=True)
        listed = {(p.pk, m) for p, m in [*groups, *batch_groups]}
        mapped_models = {m.language_model_id for m in model_maps.values() if m.language_model_id}
        self.ended(offerings, listed, tracked_providers, mapped_models)
        self.capabilities(groups, models_by_pk)
        by_name: dict[str, set[str]] = defaultdict(set)
        for model in models_by_pk.values():
            by_name[_bare(model.slug)].add(model.slug)
            by_name[_bare(model.name)].add(model.slug)
        for key, group in sorted(unmapped.items()):
            group.sort(key=lambda e: e.preference)
            new: dict[str, Any] = {"providers": sorted({e.provider for e in group})}
            # A suggestion only when exactly one model bears the key's name; the editor
            # confirms it by accepting, which adds the mapping (never a model).
            named = by_name.get(_bare(key.rsplit("/", 1)[-1]), set())
            if len(named) == 1:
                new["suggested_model"] = next(iter(named))
            self.propose(group[0], group, kind=Kind.UNMAPPED, field=key, old=None, new=new)
        self.drop_rejected()
        self.flag_conflicts()
        return self.proposals

    def drop_rejected(self) -> None:
        """An editor who rejected a value is not asked again until LiteLLM's value changes."""
        rejected = {
            (c.kind, c.language_model_id, c.provider_id, c.field, _frozen(c.new_value))
            for c in ProposedChange.objects.filter(status=ProposedChange.Status.REJECTED)
        }
        self.proposals = [
            p
            for p in self.proposals
            if (
                p.kind,
                p.language_model.pk if p.language_model else None,
                p.provider.pk if p.provider else None,
                p.field,
                _frozen(p.new),
            )
            not in rejected
        ]

    def offering(
        self,
        provider: Provider,
        model: LanguageModel,
        group: list[Entry],
        offerings: dict,
        *,
        batch: bool,
    ) -> None:
        group.sort(key=lambda e: e.preference)
        priced = [
            e for e in group if e.list_priced and (e.batch_prices if batch else e.prices).complete
        ]
        entry = priced[0] if priced else group[0]
        prices = entry.batch_prices if batch else entry.prices
        if not entry.list_priced:
            prices = RateCard(None, None, None)
        offering = offerings.get((provider.pk, model.pk))
        common = {"language_model": model, "provider": provider}
        if offering is None:
            if not prices.complete:
                return  # nothing to offer without a price
            if entry.deprecation_date is not None and entry.deprecation_date <= self.as_of:
                return  # retired there already: nothing to add
            self.propose(
                entry,
                group,
                kind=Kind.NEW_OFFERING,
                field="offering",
                old=None,
                new=as_json_value(
                    {
                        "input": prices.input,
                        "output": prices.output,
                        "cached_input": prices.cached_input,
                        "context_window": _differs(entry.max_input_tokens, model.context_window),
                        "max_output_tokens": _differs(
                            entry.max_output_tokens, model.max_output_tokens
                        ),
                        "source_url": entry.source_url or self.file_url,
                    }
                ),
                **common,
            )
            return
        if prices.complete and not offering.free_tier:
            old = rate_card(offering)
            new = {
                "input": prices.input,
                "output": prices.output,
                # LiteLLM's silence on cached input is no reason to drop ours.
                "cached_input": (
                    prices.cached_input if prices.cached_input is not None else old["cached_input"]
                ),
            }
            if new != old:
                self.propose(
                    entry,
                    group,
                    kind=Kind.PRICE,
                    field="rate card",
                    old=as_json_value(old),
                    new=as_json_value(new),
                    **common,
                )
        if batch:
            return  # limits and dates belong to the real-time entry
        for kind, name, theirs, model_value in (
            (Kind.CONTEXT, "context_window", entry.max_input_tokens, model.context_window),
            (
                Kind.MAX_OUTPUT,
                "max_output_tokens",
                entry.max_output_tokens,
                model.max_output_tokens,
            ),
        ):
            ours = getattr(offering, name) or model_value
            if theirs is not None and theirs != ours:
                self.propose(entry, group, kind=kind, field=name, old=ours, new=theirs, **common)
        # The speaking entry's date: an alias's date, not an older snapshot's.
        date = entry.deprecation_date
        if date is not None and offering.ended_on != date:
            self.propose(
                entry,
                group,
                source=entry.deprecation_source_url,
                kind=Kind.DEPRECATION,
                field="ended_on",
                old=as_json_value(offering.ended_on),
                new=date.isoformat(),
                **common,
            )

    def ended(
        self,
        offerings: dict,
        listed: set[tuple[int, int]],
        tracked_providers: set[int],
        mapped_models: set[int],
    ) -> None:
        for (provider_pk, model_pk), offering in sorted(
            offerings.items(), key=lambda item: str(item[1])
        ):
            if (
                offering.is_current
                and provider_pk in tracked_providers
                and model_pk in mapped_models
                and (provider_pk, model_pk) not in listed
                and offering.source_url.startswith(LITELLM_SOURCES)
            ):
                self.proposals.append(
                    Proposal(
                        kind=Kind.ENDED,
                        field="is_current",
                        old=True,
                        new=False,
                        keys=[],
                        source_url=self.file_url,
                        language_model=offering.language_model,
                        provider=offering.provider,
                    )
                )

    def capabilities(self, groups: dict, models_by_pk: dict[int, LanguageModel]) -> None:
        by_model: dict[int, list[Entry]] = defaultdict(list)
        for (_provider, model_pk), group in groups.items():
            by_model[model_pk].extend(group)
        for model_pk, group in sorted(by_model.items(), key=lambda i: models_by_pk[i[0]].name):
            model = models_by_pk[model_pk]
            group.sort(key=lambda e: e.preference)
            for flag in sorted({name for e in group for name in e.capabilities}):
                if getattr(model, flag) is not None:
                    continue  # only where ours is unknown
                stating = [e for e in group if flag in e.capabilities]
                values = {e.capabilities[flag] for e in stating}
                if len(values) != 1:
                    continue  # providers disagree: an editor decides from the maker's page
                self.propose(
                    stating[0],
                    stating,
                    # The flag is LiteLLM's own statement; an entry's source is a price page.
                    source=self.file_url,
                    kind=Kind.CAPABILITY,
                    field=flag,
                    old=None,
                    new=values.pop(),
                    language_model=model,
                )

    def flag_conflicts(self) -> None:
        last = ImportRun.objects.order_by("-created_at").values_list("created_at", flat=True)
        since = last.first()
        offering_changes = _editor_changes(Offering, since)
        model_changes = _editor_changes(LanguageModel, since)
        offering_pks = {
            (o.provider_id, o.language_model_id): o.pk
            for o in Offering.objects.only("pk", "provider", "language_model")
        }
        for proposal in self.proposals:
            if proposal.kind == Kind.CAPABILITY:
                changed = model_changes.get(proposal.language_model.pk, set())
                fields = {proposal.field}
            elif proposal.kind in FIELDS_OF_KIND:
                key = (proposal.provider.pk, proposal.language_model.pk)
                changed = offering_changes.get(offering_pks.get(key), set())
                fields = FIELDS_OF_KIND[proposal.kind]
            else:
                continue
            touched = changed & fields or ("*" in changed and fields)
            if touched:
                proposal.conflict = (
                    "An editor changed this value "
                    + ("after the last import" if since else "in the admin")
                    + "; accepting would overwrite their change."
                )


def _frozen(value: Any) -> str:
    """A proposed value in one comparable spelling."""
    return json.dumps(value, sort_keys=True)


def _bare(name: str) -> str:
    """A name reduced to letters and digits: "GPT-4.1 mini" and "gpt-4-1-mini" meet."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _differs(theirs: int | None, models_value: int | None) -> int | None:
    """An offering records a limit only when it differs from the model's."""
    return theirs if theirs is not None and theirs != models_value else None


def _group_order(item) -> tuple:
    (provider, model_pk), _group = item
    return (provider.name, model_pk)


def plan_import(entries: list[Entry], *, as_of: datetime.date, file_url: str) -> ImportPlan:
    """What the file would change in the catalog, read only."""
    return ImportPlan(len(entries), _Planner(entries, as_of, file_url).run())


@transaction.atomic
def record_run(
    plan: ImportPlan, *, source: str, source_url: str, as_of: datetime.date, content: bytes
) -> ImportRun:
    """Store the run and its proposed changes, for editors to accept or reject."""
    run = ImportRun.objects.create(
        source=source,
        source_url=source_url,
        as_of=as_of,
        file_sha256=hashlib.sha256(content).hexdigest(),
        entry_count=plan.entry_count,
    )
    changes = [
        ProposedChange(
            run=run,
            kind=p.kind,
            language_model=p.language_model,
            provider=p.provider,
            field=p.field,
            old_value=p.old,
            new_value=p.new,
            litellm_keys=p.keys,
            litellm_provider=p.litellm_provider,
            source_url=p.source_url,
            conflict=p.conflict,
        )
        for p in plan.proposals
    ]
    for change in changes:
        change.full_clean(exclude=["run"])
    # Proposals are not catalog rows: pages do not read them, so no cache bump is needed.
    ProposedChange.objects.bulk_create(changes)
    return run


def import_file(
    path_or_url: str, *, as_of: datetime.date, dry_run: bool
) -> tuple[ImportPlan, ImportRun | None]:
    """Read, validate and compare the file; record the run unless `dry_run`."""
    content, source_url = read_source(path_or_url)
    entries = parse_entries(content)
    plan = plan_import(entries, as_of=as_of, file_url=source_url)
    if dry_run:
        return plan, None
    run = record_run(plan, source=path_or_url, source_url=source_url, as_of=as_of, content=content)
    return plan, run


def describe(value: Any) -> str:
    """A proposed value for people: prices with $, unknown as "—"."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        if "input" in value:
            cached = value.get("cached_input")
            text = f"${value['input']} in / ${value['output']} out"
            return text + (f" / ${cached} cached" if cached is not None else "")
        if "providers" in value:
            text = "at " + ", ".join(value["providers"])
            if value.get("suggested_model"):
                text += f"; suggested model: {value['suggested_model']}"
            return text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def diff_lines(plan: ImportPlan) -> list[str]:
    """The plan as text: one line per proposed change, grouped by kind."""
    lines = []
    for kind, label in Kind.choices:
        proposals = [p for p in plan.proposals if p.kind == kind]
        if not proposals:
            continue
        lines.append(f"== {label}: {len(proposals)}")
        for p in proposals:
            if kind == Kind.UNMAPPED:
                line = f"  {p.field} ({describe(p.new)}; e.g. {p.keys[0]})"
            else:
                line = f"  {p.subject}: {p.field}: {describe(p.old)} → {describe(p.new)}"
                if p.keys:
                    line += f"  [{p.keys[0]}]"
            if p.conflict:
                line += "  CONFLICT: " + p.conflict
            lines.append(line)
    return lines
