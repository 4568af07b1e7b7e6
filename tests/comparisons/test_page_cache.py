"""Public pages come from the cache, with ETags and 304s, and every write shows at once."""

from __future__ import annotations

import gzip
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from comparisons import page_cache, page_directory
from models_catalog import catalog_version, services, version_watch
from models_catalog.models import ComparisonViews, LanguageModel
from tests.factories import LanguageModelFactory, OfferingFactory, staff_user
from tests.models_catalog.test_editing import open_form

pytestmark = pytest.mark.django_db

MODEL = "/models/alpha/"
PAIR = "/compare/alpha-vs-beta/"


@pytest.fixture
def pair():
    a = LanguageModelFactory(slug="alpha", name="Alpha")
    b = LanguageModelFactory(slug="beta", name="Beta")
    OfferingFactory(language_model=a, input_usd_per_mtok=Decimal("1.25"))
    return a, b


def test_second_view_is_one_query(client, pair, django_assert_num_queries):
    first = client.get(MODEL)
    with django_assert_num_queries(1):  # the catalog version
        second = client.get(MODEL)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_pair_views_are_counted_when_served_from_the_cache(client, pair):
    for _ in range(3):
        assert client.get(PAIR).status_code == 200
    assert ComparisonViews.objects.get(pair="alpha-vs-beta").views == 3


def test_matching_etag_answers_304_and_an_edit_makes_it_200(client, pair):
    etag = client.get(PAIR)["ETag"]
    assert client.get(PAIR, headers={"if-none-match": etag}).status_code == 304
    model = pair[0]
    model.name = "Alpha Prime"
    model.save()
    response = client.get(PAIR, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"Alpha Prime" in response.content


def test_last_modified_answers_304_only_when_strictly_later(client, pair):
    last_modified = client.get(MODEL)["Last-Modified"]
    assert client.get(MODEL, headers={"if-modified-since": last_modified}).status_code == 200
    assert (
        client.get(
            MODEL, headers={"if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT"}
        ).status_code
        == 304
    )


def test_public_cache_control_and_vary(client, pair):
    response = client.get(PAIR)
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "s-maxage=" in response["Cache-Control"]
    assert "stale-while-revalidate=" in response["Cache-Control"]
    assert "Accept-Encoding" in response["Vary"]


def test_editors_revalidate_every_time(pair):
    client = Client()
    client.force_login(staff_user("editor", "Editors"))
    assert client.get(PAIR)["Cache-Control"] == "private, no-cache"


def test_compressed_when_asked_and_identical_once_decompressed(client, pair):
    plain = client.get(PAIR).content
    for _ in range(2):  # rendered, then from the cache
        response = client.get(PAIR, headers={"accept-encoding": "gzip, br"})
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain


def test_query_parameters_are_part_of_the_key(client, pair):
    default = client.get(PAIR).content
    other = client.get(PAIR, {"input_share": "20"}).content
    assert other != default
    # Tracking parameters are not.
    assert client.get(PAIR, {"utm_source": "x"}).content == default


def test_model_save_shows_on_next_view(client, pair):
    assert b"Alpha Renamed" not in client.get(MODEL).content
    model = LanguageModel.objects.get(slug="alpha")
    model.name = "Alpha Renamed"
    model.save()
    assert b"Alpha Renamed" in client.get(MODEL).content


def test_price_change_shows_on_next_view(client, pair):
    assert b"1.25" in client.get(PAIR).content
    offering = pair[0].offerings.get()
    offering.input_usd_per_mtok = Decimal("9.75")
    offering.save()
    assert b"9.75" in client.get(PAIR).content


def test_unpublishing_removes_the_page_at_once(client, pair):
    assert client.get(PAIR).status_code == 200
    model = pair[1]
    model.published = False
    model.save()
    assert client.get(PAIR).status_code == 404


def test_admin_edit_and_inline_edit_show_on_next_view(client, pair):
    assert b"Alpha" in client.get(MODEL).content
    editor = Client()
    editor.force_login(staff_user("editor", "Editors"))
    url = reverse("admin:models_catalog_languagemodel_change", args=[pair[0].pk])
    form = open_form(editor, url)
    form["name"] = "Alpha Edited"
    form["offerings-0-input_usd_per_mtok"] = "6.5"
    assert editor.post(url, form).status_code == 302
    page = client.get(MODEL).content
    assert b"Alpha Edited" in page and b"6.50" in page


def test_marking_reviewed_shows_on_next_view(client, pair):
    before = client.get(MODEL).content
    services.mark_model_reviewed(
        model=pair[0], user=User.objects.create_user("r"), on=pair[0].released_on
    )
    assert client.get(MODEL).content != before


def test_broken_cache_serves_pages(client, pair, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    from django.core.cache import caches

    caches._settings = None
    try:
        assert client.get(PAIR).status_code == 200
        assert client.get(PAIR).status_code == 200
    finally:
        caches._settings = None


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache shared between processes (as Redis is), kept in files for the test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }


# Committed transactions, as in production: the stamp is copied to the cache on commit.
@pytest.mark.django_db(transaction=True)
def test_shared_cache_serves_pages_without_queries_and_shows_writes(
    client, pair, shared_cache, django_assert_num_queries
):
    client.get(MODEL)
    with django_assert_num_queries(0):
        assert client.get(MODEL).status_code == 200
    model = pair[0]
    model.name = "Alpha Shared"
    model.save()
    response = client.get(PAIR)  # the new stamp was published on commit: rendered afresh
    assert b"Alpha Shared" in response.content
    with django_assert_num_queries(0):  # a 304 is not counted as a view
        assert client.get(PAIR, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_cached_answers_carry_the_security_headers(client, pair):
    rendered = client.get(PAIR)
    cached = client.get(PAIR)  # answered by PageCacheMiddleware, above the session middleware
    for name in ("X-Frame-Options", "Content-Security-Policy", "Permissions-Policy"):
        assert cached[name] == rendered[name]
    assert "Cookie" not in cached.get("Vary", "")


def test_only_cached_page_addresses_ask_the_cache(client, pair, monkeypatch):
    asked = []
    monkeypatch.setattr(
        "comparisons.page_cache.catalog_state_with",
        lambda key, **kwargs: asked.append(key) or (page_cache.catalog_state(), None),
    )
    assert client.get("/healthz").status_code == 200
    assert client.get("/credits/x").status_code == 404
    assert asked == []
    client.get(MODEL)
    assert len(asked) == 1  # once, though the middleware and the view wrapper both look


def test_pair_views_are_gathered_and_written_together(client, pair, settings):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600  # as in production: written every so often
    for _ in range(4):
        assert client.get(PAIR).status_code == 200
    assert not ComparisonViews.objects.filter(pair="alpha-vs-beta").exists()
    services.flush_comparison_views()
    assert ComparisonViews.objects.get(pair="alpha-vs-beta").views == 4
    client.get(PAIR)
    services.flush_comparison_views()
    services.flush_comparison_views()  # nothing new: nothing added
    assert ComparisonViews.objects.get(pair="alpha-vs-beta").views == 5


def test_many_pairs_are_written_in_one_statement(settings, django_assert_num_queries):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    ComparisonViews.objects.create(pair="a-vs-b", views=10)
    views = {"a-vs-b": 1, "a-vs-c": 1, "b-vs-c": 1, "a-vs-d": 3}
    for pair, count in views.items():
        for _ in range(count):
            services.count_comparison_view(pair=pair)
    # One upsert for every pair, new or not (between a savepoint and its release).
    with django_assert_num_queries(3):
        services.flush_comparison_views()
    written = dict(ComparisonViews.objects.values_list("pair", "views"))
    assert written == {"a-vs-b": 11, "a-vs-c": 1, "b-vs-c": 1, "a-vs-d": 3}


def test_view_counts_survive_a_failed_write(pair, settings, monkeypatch):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    services.count_comparison_view(pair="alpha-vs-beta")

    def broken(*args, **kwargs):
        raise DatabaseError("the database is away")

    with monkeypatch.context() as patched:
        patched.setattr(services.transaction, "atomic", broken)
        services.flush_comparison_views()
    services.flush_comparison_views()
    assert ComparisonViews.objects.get(pair="alpha-vs-beta").views == 1


@pytest.fixture
def redis_cache(settings):
    """The site's Redis cache, in database 15 under a key prefix of this test's own; skipped
    without Redis."""
    import uuid

    import redis

    try:
        redis.Redis(socket_connect_timeout=0.2).ping()
    except redis.exceptions.RedisError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "llmref.cache.FailSoftRedisCache",
            # A database of its own: changing settings in tests clears the cache, and Django
            # clears a Redis cache by flushing its whole database.
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    from django.core.cache import caches

    caches._settings = None
    yield
    version_watch.stop()
    caches._settings = None


def wait_for(condition, seconds: float = 3.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_change_announced_by_another_process_is_heard(pair, redis_cache):
    from django.core.cache import cache

    version_watch.heard_state()  # starts listening
    assert wait_for(version_watch.listening)
    state = catalog_version.catalog_state()
    assert version_watch.heard_state() == state  # trusted: no round trip for the next pages
    # Another process writes: the copy in Redis changes, then the change is announced.
    import redis

    redis.Redis().publish(cache.make_key(version_watch.CHANNEL), "elsewhere")
    assert wait_for(lambda: version_watch.heard_state() is None)


@pytest.mark.django_db(transaction=True)
def test_with_redis_cached_pages_skip_the_round_trip_and_writes_show_at_once(
    client, pair, redis_cache, monkeypatch
):
    from django.core.cache import caches

    client.get(MODEL)
    assert wait_for(version_watch.listening)
    client.get(MODEL)  # read the stamp while listening: now trusted, and the page kept
    asked = []
    backend = caches["default"]
    real_get_many = backend.get_many
    monkeypatch.setattr(
        backend, "get_many", lambda *a, **k: asked.append(a) or real_get_many(*a, **k)
    )
    assert client.get(MODEL).status_code == 200
    assert asked == []
    model = pair[0]
    model.name = "Alpha Heard"
    model.save()
    assert b"Alpha Heard" in client.get(MODEL).content


@pytest.mark.django_db(transaction=True)
def test_editors_never_rely_on_what_was_heard(pair, redis_cache, monkeypatch):
    old = catalog_version.CatalogState("0" * 32, catalog_version.catalog_state().changed_at)
    monkeypatch.setattr(version_watch, "heard_state", lambda: old)
    editor = Client()
    editor.force_login(staff_user("editor", "Editors"))
    reader = Client()
    assert old.stamp[:16] in reader.get(MODEL)["ETag"]
    assert old.stamp[:16] not in editor.get(MODEL)["ETag"]


def test_pages_rendered_while_listening_are_written_to_the_shared_cache_in_batches(
    client, pair, monkeypatch
):
    from django.core.cache import cache

    # While writes are heard of, this process keeps what it renders, and the shared cache
    # gets the pages a batch at a time.
    monkeypatch.setattr(version_watch, "listening", lambda: True)
    monkeypatch.setattr(page_cache, "STORE_WAIT_SECONDS", 600)  # only a full batch is due
    written = []
    set_many = cache.set_many
    monkeypatch.setattr(
        cache,
        "set_many",
        lambda data, *a, **k: written.append(sorted(data)) or set_many(data, *a, **k),
    )
    for n in range(page_cache.STORE_BATCH - 1):
        assert client.get(f"{PAIR}?n={n}").status_code == 200
    assert written == []
    client.get(f"{PAIR}?n=last")
    assert len(written) == 1 and len(written[0]) == page_cache.STORE_BATCH
    stored = cache.get(written[0][0])
    assert stored[0] == catalog_version.catalog_state().stamp  # with the stamp it was drawn under
    client.get(f"{PAIR}?n=after")
    page_cache.flush_page_stores()  # as at exit
    assert len(written) == 2 and len(written[1]) == 1
    page_cache.flush_page_stores()
    assert len(written) == 2  # nothing left waiting


def test_without_listening_each_page_is_written_at_once(client, pair, monkeypatch):
    from django.core.cache import cache

    assert not version_watch.listening()
    written = []
    set_one = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: written.append(key) or set_one(key, *a, **k)
    )
    client.get(f"{PAIR}?n=1")
    assert [key for key in written if key.startswith("page:")] != []
    assert page_cache._pending_stores.entries == {}


def listening_with_directory(client) -> None:
    """Start hearing writes and stored pages, and trust the stamp read next."""
    client.get(MODEL)
    assert wait_for(version_watch.listening)
    assert wait_for(lambda: page_directory._directory.complete)
    client.get(MODEL)


@pytest.mark.django_db(transaction=True)
def test_a_new_page_is_rendered_without_asking_the_shared_cache(
    client, pair, redis_cache, monkeypatch
):
    from django.core.cache import caches

    listening_with_directory(client)
    asked = []
    backend = caches["default"]
    real_get = backend.get
    monkeypatch.setattr(backend, "get", lambda key, *a, **k: asked.append(key) or real_get(key))
    assert client.get(PAIR).status_code == 200
    assert [key for key in asked if key.startswith("page:")] == []


@pytest.mark.django_db(transaction=True)
def test_a_page_another_process_stored_is_fetched_not_rendered(
    client, pair, redis_cache, monkeypatch
):
    listening_with_directory(client)
    first = client.get(PAIR)
    page_cache.flush_page_stores()  # into Redis, and named to every process
    page_cache._local_pages.clear()  # as if another process had rendered it
    rendered = []
    real_render = page_cache._render_and_store
    monkeypatch.setattr(
        page_cache,
        "_render_and_store",
        lambda *a, **k: rendered.append(1) or real_render(*a, **k),
    )
    second = client.get(PAIR)
    assert rendered == []
    assert second.content == first.content


@pytest.mark.django_db(transaction=True)
def test_stored_pages_are_listed_on_subscribing_and_heard_afterwards(pair, redis_cache):
    import redis
    from django.core.cache import cache

    cache.set("page:before", ("stamp",))  # stored before this process listened
    version_watch.heard_state()
    assert wait_for(version_watch.listening)
    assert wait_for(lambda: page_directory._directory.complete)
    stamp = catalog_version.catalog_state().stamp
    assert not page_directory.absent("page:before", stamp)
    assert page_directory.absent("page:elsewhere", stamp)
    # Another process names what it stored.
    redis.Redis().publish(cache.make_key(page_directory.CHANNEL), "page:elsewhere page:more")
    assert wait_for(lambda: not page_directory.absent("page:elsewhere", stamp))
    assert not page_directory.absent("page:more", stamp)


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_does_not_end_the_subscription(pair, redis_cache, monkeypatch):
    import redis
    from django.core.cache import cache

    def fails(data):
        raise ValueError(data)

    monkeypatch.setitem(version_watch._also, "failing", (fails, lambda client: None))
    version_watch.heard_state()
    assert wait_for(version_watch.listening)
    catalog_version.catalog_state()
    publisher = redis.Redis()
    publisher.publish(cache.make_key("failing"), "boom")
    publisher.publish(cache.make_key(version_watch.CHANNEL), "elsewhere")
    assert wait_for(lambda: version_watch.heard_state() is None)  # still heard
    assert version_watch.listening()


class ListedClient:
    """A Redis client whose SCAN finds `keys` (made cache keys)."""

    def __init__(self, *keys: str) -> None:
        from django.core.cache import cache

        self.keys = [cache.make_key(key).encode() for key in keys]

    def scan_iter(self, match: str, count: int):
        return iter(self.keys)


def test_names_of_an_older_stamp_are_forgotten(monkeypatch):
    monkeypatch.setattr(version_watch, "publish", lambda name, data: None)
    page_directory._subscribed(ListedClient("page:listed"))
    assert wait_for(lambda: page_directory._directory.complete)
    assert not page_directory.absent("page:listed", "one")
    page_directory.stored(["page:new"])
    assert not page_directory.absent("page:new", "one")
    # A catalog write: what was stored before it is never served again.
    assert page_directory.absent("page:new", "two")
    assert page_directory.absent("page:listed", "two")


def test_past_the_bound_every_page_is_asked_for_until_the_stamp_changes(monkeypatch):
    monkeypatch.setattr(version_watch, "publish", lambda name, data: None)
    monkeypatch.setattr(page_directory, "MOST", 2)
    page_directory._subscribed(ListedClient())
    assert wait_for(lambda: page_directory._directory.complete)
    page_directory.stored(["page:a", "page:b"])
    assert page_directory.absent("page:c", "one")
    page_directory.stored(["page:c"])  # one too many: names are no longer kept
    assert not page_directory.absent("page:c", "one")
    assert not page_directory.absent("page:d", "one")
    assert page_directory.absent("page:d", "two")


def test_until_the_listing_ends_every_page_is_asked_for(monkeypatch):
    import threading

    release = threading.Event()

    class SlowClient(ListedClient):
        def scan_iter(self, match: str, count: int):
            release.wait(5)
            return iter(self.keys)

    page_directory._subscribed(SlowClient("page:listed"))
    assert not page_directory.absent("page:other", "one")
    release.set()
    assert wait_for(lambda: page_directory._directory.complete)
    assert page_directory.absent("page:other", "one")


def test_a_batch_is_written_after_the_wait_even_if_no_page_follows(client, pair, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(version_watch, "listening", lambda: True)
    monkeypatch.setattr(page_cache, "STORE_WAIT_SECONDS", 1.0)
    client.get(f"{PAIR}?n=alone")
    (key,) = page_cache._pending_stores.entries  # waiting for more pages
    assert cache.get(key) is None
    # No other page comes: the batch of one is written when the wait is over.
    assert wait_for(lambda: page_cache._pending_stores.entries == {})
    assert cache.get(key)[0] == catalog_version.catalog_state().stamp
