from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comparisons.search import Entry, SearchIndex, compact, rank, tokens, trigrams
from tests.factories import LanguageModelFactory

CATALOG = [
    Entry("model", "llama-3-2-1b-instruct", "Llama 3.2 1B Instruct", "/m/1"),
    Entry("model", "llama-3-2-3b-instruct", "Llama 3.2 3B Instruct", "/m/2"),
    Entry("model", "llama-3-1-8b-instruct", "Llama 3.1 8B Instruct", "/m/3"),
    Entry("model", "o4-mini", "o4-mini", "/m/4"),
    Entry("model", "o3-mini", "o3-mini", "/m/5"),
    Entry("model", "gpt-4o", "GPT-4o", "/m/6"),
    Entry("model", "gpt-4o-mini", "GPT-4o mini", "/m/7"),
    Entry("model", "claude-sonnet-4-5", "Claude Sonnet 4.5", "/m/8"),
    Entry("model", "claude-3-7-sonnet", "Claude 3.7 Sonnet", "/m/9"),
    Entry("model", "claude-haiku-4-5", "Claude Haiku 4.5", "/m/10"),
    Entry("organization", "meta", "Meta", "/o/meta"),
    Entry("provider", "openrouter", "OpenRouter", "/p/openrouter"),
]


def names(query: str) -> list[str]:
    return [hit.entry.name for hit in rank(query, CATALOG)]


def test_normalisation():
    assert tokens("GPT-4o mini") == ["gpt", "4", "o", "mini"]
    assert compact("o4 mini") == compact("o4-mini") == "o4mini"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("llama 3.2 1b", "Llama 3.2 1B Instruct"),
        ("llama 1b", "Llama 3.2 1B Instruct"),
        ("Llama-3.2-1B", "Llama 3.2 1B Instruct"),
        ("o4 mini", "o4-mini"),
        ("O4-MINI", "o4-mini"),
        ("gpt4o", "GPT-4o"),
        ("gpt 4o", "GPT-4o"),
        ("claude sonnet", "Claude Sonnet 4.5"),
        ("lama 3", "Llama 3.1 8B Instruct"),
        ("open router", "OpenRouter"),
        ("meta", "Meta"),
    ],
)
def test_first_result(query, first):
    assert names(query)[0] == first


def test_exact_name_outranks_longer_names():
    assert names("gpt-4o")[:2] == ["GPT-4o", "GPT-4o mini"]


def test_typos_in_numbers_are_not_forgiven():
    assert "o3-mini" not in names("o4 mini")[:1]
    assert "Llama 3.2 3B Instruct" not in names("llama 3.2 1b")[:1]


def test_both_sonnets_found_haiku_not():
    found = names("claude sonnet")
    assert {"Claude Sonnet 4.5", "Claude 3.7 Sonnet"} <= set(found)
    assert "Claude Haiku 4.5" not in found


def test_nonsense_finds_nothing():
    assert names("zzzzqqq") == []
    assert names("") == []


@pytest.mark.django_db
def test_search_results_name_a_family_once(client):
    LanguageModelFactory(name="Gizmo 2", family="Gizmo")
    page = client.get("/search/?q=gizmo").content.decode()
    assert "family by" in page
    assert 'family</span> <span class="meta">family' not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gtp 4o", "GPT-4o"),
        ("claud sonet", "Claude Sonnet 4.5"),
        ("o4", "o4-mini"),
        ("llama 1b", "Llama 3.2 1B Instruct"),
    ],
)
def test_the_trigram_index_keeps_prefixes_and_typos(query, expected):
    found = SearchIndex(CATALOG).candidates(query, limit=5)
    assert len(found) <= 5
    assert expected in [hit.entry.name for hit in rank(query, found)]


def test_the_trigram_index_offers_nothing_unrelated():
    assert SearchIndex(CATALOG).candidates("zzzz", limit=10) == []


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=30), st.data())
def test_ranking_the_index_s_pool_agrees_with_ranking_everything_at_the_top(names, data):
    entries = [Entry("model", f"m{i}", name, f"/m/{i}") for i, name in enumerate(names)]
    query = data.draw(st.sampled_from(names))
    index = SearchIndex(entries)
    pool = index.candidates(query, limit=len(entries))
    # With room for every entry, the pool holds every name that shares a trigram, so the
    # best hit is the one ranking everything would give.
    everything = rank(query, entries, limit=1)
    if everything and tokens(query):
        assert rank(query, pool, limit=1)[0].score == everything[0].score


WORDS = st.text(alphabet="abcdegpt0123 ", min_size=1, max_size=14)


@given(names=st.lists(WORDS, min_size=1, max_size=60), query=WORDS, limit=st.integers(1, 30))
def test_candidates_are_the_names_sharing_most_trigrams_lowest_index_first(names, query, limit):
    index = SearchIndex(Entry("model", f"m{i}", name, "/") for i, name in enumerate(names))
    query_grams = trigrams(query)
    shared = {
        i: len(query_grams & (trigrams(e.name) | trigrams(e.slug)))
        for i, e in enumerate(index.entries)
    }
    ranked = sorted((i for i, n in shared.items() if n), key=lambda i: (-shared[i], i))
    expected = [index.entries[i] for i in sorted(ranked[:limit])]
    assert index.candidates(query, limit) == expected
