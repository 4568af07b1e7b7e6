"""Fault script: serve the site with gunicorn (DEBUG off) and try to make it fail.

    .venv/bin/python bench/faults.py [--requests 1200] [--port N] [--seed 11] [--checks ...]

1. Fuzz: >= 1,000 requests with odd paths, every query parameter of every page, form bodies
   and headers; counts the answers by status and expects no 5xx (and a CSP header on every
   HTML page).
2. Login throttle: 61 wrong passwords for one account from one client; the attempts after
   the lockout must be refused (429) before the password is hashed.
3. Hung database: PostgreSQL settings pointing at a local listener that accepts connections
   and never answers; /healthz must answer 503 within 5 s, pages a 503 with Retry-After.
4. Redis down (nothing listening) and Redis hung (accepts, never answers): pages and report
   posts must not answer 5xx.

Every server, listener and request stays on 127.0.0.1; every loop is bounded. Exits non-zero
when a check fails. Needs no services: the site runs on a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
ADMIN_PASSWORD = "faults-admin-password-4821"

ODD = [
    "",
    "0",
    "-1",
    "1e400",
    "99999999999999999999",
    "NaN",
    "%00",
    "\x00",
    "\u202e",
    "a" * 3000,
    "<script>alert(1)</script>",
    "'\"><",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/x",
    "2024-02-30",
    "é",
    "\ud800",
    " ",
    "[]",
    "{}",
    "true",
]
QUERY_PARAMS = {
    "/": ["a", "b"],
    "/compare/": ["a", "b", "pick"],
    "/models/": [
        "q",
        "organization",
        "provider",
        "open_weights",
        "capabilities",
        "min_context",
        "max_price",
        "released_after",
        "hide_deprecated",
        "sort",
        "benchmark",
        "page",
    ],
    "/search/": ["q"],
    "/search/suggest.json": ["q", "kind"],
    "/credits/": ["x"],
    "/healthz": ["x"],
    "/review/": ["organization", "provider", "page"],
}
PATH_TEMPLATES = [
    "/models/{slug}/",
    "/models/{slug}/report/",
    "/compare/{slug}-vs-{slug2}/",
    "/compare/{slug}/",
    "/providers/{slug}/",
    "/organizations/{slug}/",
    "/benchmarks/{slug}/",
    "/{odd}",
    "/models/{odd}/",
    "/compare/{odd}-vs-{slug}/",
    "/admin/{odd}",
    "/static/{odd}",
    "/review/{slug}/reviewed/",
    "/review/reports/{odd}/resolved/",
]
HEADERS = [
    ("Host", "evil.example"),
    ("Host", "127.0.0.1:99999"),
    ("X-Forwarded-For", "1.2.3.4, \x7f, ::1"),
    ("X-Forwarded-Proto", "https"),
    ("Accept-Language", "x" * 500),
    ("Cookie", "sessionid=%00; csrftoken=" + "a" * 200),
    ("Content-Type", "multipart/form-data; boundary="),
    ("Content-Type", "application/json"),
    ("If-None-Match", '"' + "x" * 300),
    ("If-Modified-Since", "yesterday"),
    ("Range", "bytes=9-1"),
    ("Referer", "javascript:alert(1)"),
]


def env_for(workdir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CACHE_URL"))}
    env.update(
        DEBUG="off",
        SECRET_KEY="faults-only-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=f"sqlite:///{workdir / 'faults.sqlite3'}",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="CRITICAL",
        GUNICORN_BIND=f"{HOST}:0",
        AXES_LOG_LEVEL="CRITICAL",
        REPORTS_PER_HOUR="1000",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


@contextmanager
def serve(env: dict[str, str], port: int):
    """gunicorn on 127.0.0.1:port (2 workers × 2 threads) until the block ends."""
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "llmref.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--timeout",
            "60",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--log-level",
            "critical",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # The port opens before the workers have loaded the site: wait for an answer from
        # the site itself (a 404 page, which needs no database).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(port, "GET", "/ready-check/", timeout=5)[0] == 404:
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class SilentListener:
    """Accepts TCP connections on a free local port and never says a word (a hung server)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind((HOST, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.sock.settimeout(0.5)
        while not self.stopped:
            try:
                connection, _ = self.sock.accept()
                self.held.append(connection)
            except OSError:
                continue

    def close(self) -> None:
        self.stopped = True
        for connection in self.held:
            connection.close()
        self.sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, str], bytes, float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        headers = {"Host": HOST, **(headers or {})}
        for name, value in headers.items():
            connection.putheader(name, value.encode("latin-1", "replace"))
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            data,
            time.monotonic() - started,
        )
    finally:
        connection.close()


def odd(rng: random.Random) -> str:
    return quote(rng.choice(ODD).encode("utf-8", "surrogatepass"), safe="")


def fuzz_case(rng: random.Random, slugs: list[str]) -> tuple[str, str, bytes | None, dict]:
    kind = rng.randrange(4)
    headers: dict[str, str] = {}
    body = None
    method = "GET"
    if kind == 0:  # odd paths
        template = rng.choice(PATH_TEMPLATES)
        path = template.format(slug=rng.choice(slugs), slug2=rng.choice(slugs), odd=odd(rng))
    elif kind == 1:  # every query parameter of every page
        page = rng.choice(list(QUERY_PARAMS))
        params = rng.sample(QUERY_PARAMS[page], k=rng.randint(1, len(QUERY_PARAMS[page])))
        pairs = [(p, rng.choice([*ODD, rng.choice(slugs)])) for p in params]
        path = page + "?" + urlencode(pairs, encoding="utf-8", errors="surrogatepass")
        if page == "/compare/" or rng.random() < 0.2:
            path = f"/compare/{'-vs-'.join(sorted(rng.sample(slugs, 2)))}/?input_share={odd(rng)}"
    elif kind == 2:  # form bodies
        method = "POST"
        target = rng.choice(["report", "login", "reviewed", "search"])
        fields = {
            "report": ["message", "source_url", "email", "page", "csrfmiddlewaretoken"],
            "login": ["username", "password", "next", "csrfmiddlewaretoken"],
            "reviewed": ["note", "next"],
            "search": ["q"],
        }[target]
        path = {
            "report": f"/models/{rng.choice(slugs)}/report/",
            "login": "/admin/login/",
            "reviewed": f"/review/{rng.choice(slugs)}/reviewed/",
            "search": "/search/",
        }[target]
        pairs = [(f, rng.choice(ODD)) for f in fields if rng.random() < 0.8]
        body = urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode()
        if rng.random() < 0.2:
            body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:  # headers
        path = rng.choice(["/", "/models/", f"/models/{rng.choice(slugs)}/", "/healthz"])
        for name, value in rng.sample(HEADERS, k=rng.randint(1, 3)):
            headers[name] = value
        if rng.random() < 0.3:
            method = rng.choice(["HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE"])
    return method, path, body, headers


def run_fuzz(port: int, count: int, rng: random.Random, slugs: list[str]) -> bool:
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    missing_csp = by_server = 0
    started = time.monotonic()
    for _ in range(count):
        method, path, body, headers = fuzz_case(rng, slugs)
        try:
            status, response_headers, _, _ = request(port, method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"{method} {path[:80]!r}: {error}")
            continue
        statuses[status] += 1
        if status >= 500:
            failures.append(f"{method} {path[:80]!r} headers={list(headers)}: {status}")
        if "x-content-type-options" not in response_headers:
            # Django's SecurityMiddleware marks every answer of the site; gunicorn answers
            # malformed HTTP (e.g. a DEL byte in a header) itself, before the site sees it.
            by_server += 1
            continue
        if "text/html" in response_headers.get("content-type", "") and (
            "content-security-policy" not in response_headers
        ):
            missing_csp += 1
            if missing_csp <= 5:
                failures.append(f"no CSP: {method} {path[:80]!r} headers={headers}: {status}")
    elapsed = time.monotonic() - started
    five = sum(n for s, n in statuses.items() if s >= 500)
    print(f"fuzz: {count} requests in {elapsed:.0f} s; by status: {dict(sorted(statuses.items()))}")
    print(f"fuzz: 5xx answers: {five}; failed connections: {count - sum(statuses.values())}")
    print(f"fuzz: malformed requests refused by gunicorn before reaching the site: {by_server}")
    print(f"fuzz: HTML pages of the site without a Content-Security-Policy header: {missing_csp}")
    for line in failures[:10]:
        print(f"  {line}")
    return not failures and missing_csp == 0


def csrf_login_form(port: int) -> tuple[str, str]:
    _, headers, body, _ = request(port, "GET", "/admin/login/")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def run_login_throttle(port: int, attempts: int = 61) -> bool:
    cookie, token = csrf_login_form(port)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
    }
    results = []
    for number in range(1, attempts + 1):
        body = urlencode(
            {"username": "admin", "password": f"wrong-{number}", "csrfmiddlewaretoken": token}
        ).encode()
        status, response_headers, _, seconds = request(port, "POST", "/admin/login/", body, headers)
        results.append((status, seconds, response_headers.get("retry-after")))
    body = urlencode(
        {"username": "admin", "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    right_status, _, _, _ = request(port, "POST", "/admin/login/", body, headers)
    accepted = sum(1 for status, _, _ in results if status == 200)
    refused = [r for r in results if r[0] == 429]
    hashed = [s for status, s, _ in results if status == 200]
    locked = [s for status, s, _ in refused]
    last_status, last_seconds, retry_after = results[-1]
    print(
        f"login: {attempts} wrong passwords: {accepted} answered with the form (password "
        f"checked), {len(refused)} refused with 429 (Retry-After {retry_after} s)"
    )
    print(
        f"login: attempt {attempts}: {last_status} in {last_seconds * 1000:.0f} ms; median "
        f"checked attempt {sorted(hashed)[len(hashed) // 2] * 1000:.0f} ms, median refused "
        f"{sorted(locked)[len(locked) // 2] * 1000:.0f} ms"
    )
    print(f"login: the right password after the lockout: {right_status} (429 = still locked)")
    return last_status == 429 and right_status == 429 and accepted < 10


def run_hung_database(workdir: Path, port: int) -> bool:
    listener = SilentListener()
    env = env_for(
        workdir,
        DATABASE_URL=f"postgres://llmref@{HOST}:{listener.port}/llmref",
        DB_CONNECT_TIMEOUT="3",
    )
    ok = True
    try:
        with serve(env, port):
            status, _, _, seconds = request(port, "GET", "/healthz", timeout=100)
            print(f"hung database: /healthz answered {status} in {seconds:.1f} s")
            ok &= status == 503 and seconds < 5
            for path in ("/", "/models/", "/credits/"):
                status, headers, body, seconds = request(port, "GET", path, timeout=100)
                branded = b"Back in a moment" in body
                print(
                    f"hung database: {path} answered {status} in {seconds:.1f} s, "
                    f"Retry-After {headers.get('retry-after')}, branded page: {branded}"
                )
                ok &= status == 503 and branded and seconds < 10
    finally:
        listener.close()
    return ok


def run_redis_faults(workdir: Path, port: int, slugs: list[str]) -> bool:
    ok = True
    listener = SilentListener()
    cases = {
        "Redis down": f"redis://{HOST}:{free_port()}/0",
        "Redis hung": f"redis://{HOST}:{listener.port}/0",
    }
    try:
        for label, url in cases.items():
            with serve(env_for(workdir, CACHE_URL=url), port):
                statuses: Counter[int] = Counter()
                slowest = 0.0
                paths = ["/", "/models/", f"/models/{slugs[0]}/", "/healthz", "/search/?q=llama"]
                for path in paths:
                    status, _, _, seconds = request(port, "GET", path, timeout=60)
                    statuses[status] += 1
                    slowest = max(slowest, seconds)
                page = f"/models/{slugs[0]}/report/"
                _, headers, body, _ = request(port, "GET", page)
                cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
                token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
                form = {"message": "The context window is wrong here.", "page": "/"}
                if token:
                    form["csrfmiddlewaretoken"] = token.group(1).decode()
                post_headers = {"Content-Type": "application/x-www-form-urlencoded"}
                if cookie:
                    post_headers["Cookie"] = f"csrftoken={cookie.group(1)}"
                status, _, _, seconds = request(
                    port, "POST", page, urlencode(form).encode(), post_headers
                )
                statuses[status] += 1
                slowest = max(slowest, seconds)
                five = sum(n for s, n in statuses.items() if s >= 500)
                print(
                    f"{label}: {sum(statuses.values())} requests incl. a report post: "
                    f"{dict(statuses)}; 5xx: {five}; slowest {slowest:.1f} s"
                )
                ok &= five == 0
    finally:
        listener.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--checks",
        default="fuzz,login,database,redis",
        help="comma-separated subset of: fuzz, login, database, redis",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.port = args.port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="llmref-faults-"))
    try:
        env = env_for(workdir)
        print("setting up: migrate, load the bundled catalog, an admin login")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_catalog")
        subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "from django.contrib.auth.models import User; "
                f"User.objects.create_superuser('admin', '', '{ADMIN_PASSWORD}')",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        catalog = json.loads((ROOT / "models_catalog/catalog/catalog.json").read_text("utf-8"))
        slugs = [record["slug"] for record in catalog["models"]][:60]
        checks = set(args.checks.split(","))
        results = {}
        with serve(env, args.port):
            if "fuzz" in checks:
                results["fuzz"] = run_fuzz(args.port, args.requests, rng, slugs)
            if "login" in checks:
                results["login throttle"] = run_login_throttle(args.port)
        if "database" in checks:
            results["hung database"] = run_hung_database(workdir, args.port)
        if "redis" in checks:
            results["redis"] = run_redis_faults(workdir, args.port, slugs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("result: " + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
