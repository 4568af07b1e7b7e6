"""Serve the site with gunicorn and measure each page type against a trivial view.

    python bench/run.py                     # 135 (bundled) and 3,000 models, PostgreSQL
    python bench/run.py --sizes 135 --seconds 3

For each catalog size: a fresh PostgreSQL database (`llmref_bench_<size>`), `load_catalog`
(timed, twice at the largest size: the second load changes nothing), then gunicorn with
DEBUG off and WEB_CONCURRENCY workers, and a keep-alive HTTP client that measures requests/s
of a trivial view and of every page type: cached (one URL again and again), uncached
(a different URL each time, so the page cache cannot help) and conditional (If-None-Match,
answered 304). Results are ratios to the trivial view measured in the same server, in short
alternating rounds (the median is kept), so they say what the site's own work costs, whatever
the machine. Timing belongs here, never in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GOALS = {
    "cached": 0.85,
    "uncached": 0.25,  # pair pages
    "conditional": 0.9,
    "growth": 1.2,
    "home_kb": 60,
    "sitemap_s": 1.0,
    "load_s": 30,
    "reload_s": 10,
}


# --- a small keep-alive HTTP/1.1 client -----------------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        parts = []
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(parts)
    else:
        body = b""
    return status, headers, body


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        # As every browser and CDN does: ask for compressed pages.
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n{extra}\r\n"
        self.writer.write(request.encode())
        await self.writer.drain()
        try:
            status, response_headers, body = await _read_response(self.reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            return await self.get(path, headers)
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return status, response_headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _measure(port: int, paths, seconds: float, connections: int, headers=None):
    """Requests/s over `seconds` with `connections` keep-alive clients; `paths()` gives each
    request's path. Returns (requests/s, statuses seen, median latency in ms)."""
    deadline = time.perf_counter() + seconds
    statuses: dict[int, int] = {}
    latencies: list[float] = []

    async def client() -> None:
        conn = Connection(port)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status, _, _ = await conn.get(paths(), headers)
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    median = latencies[len(latencies) // 2] * 1000 if latencies else 0.0
    return len(latencies) / elapsed, statuses, median, len(latencies)


async def _one(port: int, path: str, headers=None):
    conn = Connection(port)
    start = time.perf_counter()
    result = await conn.get(path, headers)
    conn.close()
    return (*result, time.perf_counter() - start)


# --- the site under test ----------------------------------------------------------------------


def _env(database: str, cache_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CACHE_URL=cache_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="off",
        SECRET_KEY="bench-only-not-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database,
        # No collectstatic for a benchmark: plain static storage (WhiteNoise still serves).
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _manage(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def _fresh_database(base: str, name: str) -> str:
    admin = f"{base}/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def _vacuum(database: str) -> None:
    """What autovacuum and the checkpointer would do after a load, done before measuring
    rather than during it."""
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "llmref.wsgi",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                # Uncached pages at the largest size are slow on a busy machine; a worker
                # killed mid-request would end the run.
                "--timeout",
                "120",
                "--access-logfile",
                "/dev/null",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def cpu_seconds(self) -> float:
        """CPU time (user and system) of gunicorn's workers so far; Linux only."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            for pid in children.read_text().split():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            return float("nan")
        return total / ticks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- the run ----------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    trivial: float = 0.0  # the median of every round's rate
    trivial_rates: list[float] = field(default_factory=list)
    trivial_cpu: list[float] = field(default_factory=list)  # workers' CPU seconds per request
    cpu_rows: dict[str, dict[str, float]] = field(default_factory=dict)
    rows: dict[str, dict[str, float]] = field(default_factory=dict)
    medians: dict[str, float] = field(default_factory=dict)
    home_kb: float = 0.0
    sitemap_index_s: float = 0.0
    sitemap_file_s: float = 0.0
    sitemap_file_urls: int = 0
    load_s: float | None = None
    reload_s: float | None = None


def _slugs(env: dict[str, str]) -> dict[str, list[str]]:
    code = (
        "import json, django; django.setup();"
        "from models_catalog.models import *;"
        "print(json.dumps({"
        "'models': list(LanguageModel.objects.published().values_list('slug', flat=True)),"
        "'providers': list(Provider.objects.values_list('slug', flat=True)),"
        "'organizations': list(Organization.objects.values_list('slug', flat=True)),"
        "'benchmarks': list(Benchmark.objects.values_list('slug', flat=True))}))"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


BUNDLED = ROOT / "models_catalog" / "catalog" / "catalog.json"


def _bundled_only(slugs: dict[str, list[str]]) -> dict[str, list[str]]:
    """The slugs of records from the bundled catalog: present at every size, so the same pages
    are measured at 135 and at 3,000 models, and growth is what the catalog's size costs,
    not what a synthetic record's extra offerings and scores cost to show."""
    bundled = json.loads(BUNDLED.read_text())
    keep = {kind: {r["slug"] for r in bundled[kind]} for kind in slugs}
    return {kind: [s for s in found if s in keep[kind]] for kind, found in slugs.items()}


def _page_types(slugs: dict[str, list[str]], rng: random.Random):
    names = [record["name"] for record in json.loads(BUNDLED.read_text())["models"]]
    slugs = _bundled_only(slugs)
    models = sorted(slugs["models"])

    def pair_path(a: str, b: str) -> str:
        return f"/compare/{min(a, b)}-vs-{max(a, b)}/"

    def pair() -> str:
        return pair_path(*rng.sample(models, 2))

    def bust(path_fn):
        # A parameter the page ignores but the cache key holds: the page is rendered.
        def busted() -> str:
            path = path_fn()
            joiner = "&" if "?" in path else "?"
            return f"{path}{joiner}bench={rng.randrange(10**9)}"

        return busted

    def listed(kind: str, first: str):
        """A page of each `kind` (/models/<slug>/ and so on): `first` again and again, random
        ones with a busting parameter, and every one of them viewed first."""
        return (
            f"/{kind}/{first}/",
            bust(lambda: f"/{kind}/{rng.choice(slugs[kind])}/"),
            [f"/{kind}/{slug}/" for slug in slugs[kind]],
        )

    fixed_pair = pair()
    # Every model once, in some pair: what pair pages keep per model is kept before measuring.
    neighbours = [pair_path(a, b) for a, b in zip(models, models[1:], strict=False)]
    return {
        # name: (one fixed URL for cached and conditional runs, a URL maker for uncached runs,
        # the pages to view once in each worker first)
        "pair": (fixed_pair, pair, neighbours),
        "model": listed("models", models[0]),
        "provider": listed("providers", slugs["providers"][0]),
        "organization": listed("organizations", slugs["organizations"][0]),
        "benchmark": listed("benchmarks", slugs["benchmarks"][0]),
        "home": ("/", bust(lambda: "/"), ["/"]),
        "catalog": ("/models/", bust(lambda: "/models/"), []),
        # What a visitor types: a model's name, as the bundled catalog writes it.
        "search": ("/search/?q=gpt", bust(lambda: f"/search/?q={quote(rng.choice(names))}"), []),
    }


def run_size(args, size: int, catalog: Path | None) -> SizeResult:
    result = SizeResult(size)
    database = _fresh_database(args.postgres, f"{args.db_prefix}{size}")
    # A fresh key prefix per size, so nothing cached by an earlier run is served.
    env = _env(database, f"{args.cache_url}?key_prefix=llmref-bench-{os.getpid()}-{size}")
    print(f"[{size}] migrating", file=sys.stderr)
    _manage(env, "migrate", "--noinput", "-v0")
    load_args = ["load_catalog", *([str(catalog)] if catalog else [])]
    print(f"[{size}] loading catalog", file=sys.stderr)
    result.load_s = _manage(env, *load_args)
    print(f"[{size}] load_catalog: {result.load_s:.1f} s", file=sys.stderr)
    if size >= args.load_timing_from:
        result.reload_s = _manage(env, *load_args)
        print(f"[{size}] second, unchanged load: {result.reload_s:.1f} s", file=sys.stderr)
    _vacuum(database)
    slugs = _slugs(env)
    rng = random.Random(size)
    server = Server(env, args.workers, args.threads)
    try:
        result = asyncio.run(_run_pages(args, server, slugs, rng, result))
    finally:
        server.stop()
    return result


async def _run_pages(args, server, slugs, rng, result: SizeResult) -> SizeResult:
    port, seconds, conns = server.port, args.seconds, args.connections

    async def rate(paths, headers=None, label=""):
        """Requests/s, the median latency and the workers' CPU seconds per request."""
        await _measure(port, paths, min(0.3, seconds / 3), conns, headers)  # warm up
        before = server.cpu_seconds()
        value, statuses, median, count = await _measure(port, paths, seconds, conns, headers)
        cpu = (server.cpu_seconds() - before) / max(count, 1)
        bad = {s: n for s, n in statuses.items() if s not in (200, 304)}
        if bad:
            print(f"  {label}: unexpected statuses {bad}", file=sys.stderr)
        return value, median, cpu

    # Started, imported and connected before anything is measured.
    await rate(lambda: "/bench/trivial/")
    for name, (fixed, varying, warm) in _page_types(slugs, rng).items():
        if args.pages and name not in args.pages.split(","):
            continue
        try:
            await _page_type(name, fixed, varying, warm, port, rate, result)
        except (OSError, AssertionError, asyncio.IncompleteReadError) as error:
            print(f"[{result.size}] {name}: failed ({error!r})", file=sys.stderr)
    await _sitemaps(port, result)
    result.trivial = statistics.median(result.trivial_rates)
    return result


async def _page_type(name, fixed, varying, warm, port, rate, result: SizeResult) -> None:
    status, headers, body, _ = await _one(port, fixed)
    assert status == 200, (name, fixed, status)
    etag = headers["etag"]
    # What is computed once per catalog version (a provider's listings) is computed on the
    # first view of each page in each worker: the uncached runs measure the views after that.
    for path in warm * (2 * ARGS.workers):
        await _one(port, f"{path}?warm={random.randrange(10**9)}")
    # The machine's load drifts: each page's rate is compared with the trivial view's in
    # short alternating rounds, and the median of the rounds' ratios is kept.
    kinds = {
        "cached": (lambda fixed=fixed: fixed, None),
        "conditional": (lambda fixed=fixed: fixed, {"If-None-Match": etag}),
        "uncached": (varying, None),
    }
    ratios: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu_ratios: dict[str, list[float]] = {kind: [] for kind in kinds}
    rates: dict[str, list[float]] = {kind: [] for kind in ["trivial", *kinds]}
    medians = []
    for _ in range(ARGS.rounds):
        for kind, (paths, extra) in kinds.items():
            trivial, _, trivial_cpu = await rate(lambda: "/bench/trivial/")
            value, median, cpu = await rate(paths, extra, f"{name} {kind}")
            ratios[kind].append(value / trivial)
            cpu_ratios[kind].append(trivial_cpu / cpu if cpu else float("inf"))
            rates["trivial"].append(trivial)
            result.trivial_rates.append(trivial)
            result.trivial_cpu.append(trivial_cpu)
            rates[kind].append(value)
            if kind == "uncached":
                medians.append(median)
    result.rows[name] = {kind: statistics.median(found) for kind, found in ratios.items()}
    result.cpu_rows[name] = {kind: statistics.median(found) for kind, found in cpu_ratios.items()}
    result.medians[name] = statistics.median(medians)
    if name == "home":
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        result.home_kb = len(body) / 1024
    print(
        f"[{result.size}] {name}: "
        + ", ".join(f"{kind} {statistics.median(found):.0f}" for kind, found in rates.items())
        + " req/s (medians of the rounds)",
        file=sys.stderr,
    )


async def _sitemaps(port, result: SizeResult) -> None:
    status, headers, body, elapsed = await _one(port, "/sitemap.xml")
    assert status == 200
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    result.sitemap_index_s = elapsed
    files = re.findall(r"<loc>([^<]*sitemap-pairs\.xml[^<]*)</loc>", body.decode())
    path = re.sub(r"^https?://[^/]+", "", files[0]).replace("&amp;", "&")
    status, headers, body, elapsed = await _one(port, path)
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    result.sitemap_file_s = elapsed
    result.sitemap_file_urls = body.count(b"<loc>")


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _ratio_table(results: list[SizeResult], rows: str) -> list[str]:
    small, large = results[0], results[-1]
    header = "| page | " + " | ".join(
        f"{kind} @{r.size}" for r in results for kind in ("cached", "304", "uncached")
    )
    lines = [header + " | growth |", "|---" * (1 + 3 * len(results)) + "|---|"]
    for name in getattr(small, rows):
        if not all(name in getattr(r, rows) for r in results):
            lines.append(f"| {name} | " + "failed | " * (3 * len(results)) + "— |")
            continue
        cells = []
        for r in results:
            row = getattr(r, rows)[name]
            cells += [
                f"{row['cached']:.2f}",
                f"{row['conditional']:.2f}",
                f"{row['uncached']:.3f}",
            ]
        growth = getattr(small, rows)[name]["uncached"] / getattr(large, rows)[name]["uncached"]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth:.2f} |")
    return lines


def table(results: list[SizeResult]) -> str:
    small, large = results[0], results[-1]
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()}; gunicorn workers: "
        f"{ARGS.workers} × {ARGS.threads} threads; PostgreSQL; {ARGS.cache_url.split(':')[0]} "
        "cache; DEBUG off.",
        f"Trivial view: {small.trivial:.0f} req/s at {small.size} models, "
        f"{large.trivial:.0f} at {large.size}.",
        "",
        "Requests/s as a ratio to the trivial view in the same server "
        "(cached ≥ 0.85, 304 ≥ 0.9, uncached pair ≥ 0.25; growth = time per uncached page at "
        f"{large.size} ÷ at {small.size}, ≤ 1.2):",
        "",
    ]
    lines += _ratio_table(results, "rows")
    lines += [
        "",
        "The same comparison in gunicorn's workers' CPU time per request (trivial ÷ page),",
        "which leaves out the client's and the databases' share of the machine:",
        "",
        f"Trivial view: {statistics.median(small.trivial_cpu) * 1e6:.0f} µs of worker CPU "
        f"at {small.size} models, {statistics.median(large.trivial_cpu) * 1e6:.0f} at "
        f"{large.size}.",
        "",
    ]
    lines += _ratio_table(results, "cpu_rows")
    lines += [
        "",
        f"- home page at {large.size} models: {large.home_kb:.1f} KB "
        f"({_mark(large.home_kb <= GOALS['home_kb'])}, ≤ 60 KB)",
        f"- /sitemap.xml at {large.size} models: {large.sitemap_index_s:.2f} s; one pair "
        f"sitemap file ({large.sitemap_file_urls} URLs): {large.sitemap_file_s:.2f} s "
        f"({_mark(max(large.sitemap_index_s, large.sitemap_file_s) < GOALS['sitemap_s'])}, < 1 s)",
    ]
    if large.load_s is not None:
        lines.append(
            f"- load_catalog of {large.size} models: {large.load_s:.1f} s "
            f"({_mark(large.load_s < GOALS['load_s'])}, < 30 s)"
            + (
                f"; second, unchanged load: {large.reload_s:.1f} s "
                f"({_mark(large.reload_s < GOALS['reload_s'])}, < 10 s)"
                if large.reload_s is not None
                else ""
            )
        )
    return "\n".join(lines)


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="135,3000", help="catalog sizes, comma-separated")
    parser.add_argument("--seconds", type=float, default=1.5, help="per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="server URL without a database name; databases llmref_bench_<size> are made",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0"),
        help="the shared cache, as in production (locmemcache:// for none)",
    )
    parser.add_argument("--db-prefix", default="llmref_bench_", help="databases are <prefix><size>")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per rate")
    parser.add_argument("--pages", default="", help="only these page types, comma-separated")
    parser.add_argument("--load-timing-from", type=int, default=1000)
    ARGS = args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for size in sizes:
        catalog = None
        if size > 135:
            # Written afresh each run (a few seconds), so it always follows generate.py.
            catalog = Path(f"/tmp/llmref-bench-catalog-{size}.json")
            subprocess.run(
                [
                    PYTHON,
                    str(ROOT / "bench" / "generate.py"),
                    "--models",
                    str(size),
                    "--out",
                    str(catalog),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        results.append(run_size(args, size, catalog))
    print(table(results))


ARGS: argparse.Namespace

if __name__ == "__main__":
    main()
