"""The child's file page and the search API under 16 concurrent signed-in clients.

gunicorn (the production command line of docs/production.md: sync workers with threads) serves the
bench database with bench.bench_settings; 16 client threads, each signed in through the real login
form with its own session, send requests back to back over http.client. Goal (issue 4): ≥ 300
requests/s and p95 ≤ 100 ms. Yardstick in the same run: /bench/trivial/, a view that does nothing
behind the same middleware (session, locale, authentication, MFA check, request context).
"""

import http.client
import http.cookies
import random
import re
import socket
import subprocess
import threading
import time
import urllib.parse

from bench.harness import BENCH_PASSWORD, Context, Result, bench_users, percentiles

CLIENTS = 16
WORKERS = 4  # docs/production.md: about 2 × cores
THREADS = 2
GOAL_RPS = 300
GOAL_P95_MS = 100.0
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One signed-in browser: its own cookies, one keep-alive connection (reopened when closed)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None, headers=None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(value)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = _CSRF_INPUT.search(page.decode())
        if status != 200 or token is None:
            raise RuntimeError(f"login page: status {status}")
        form = urllib.parse.urlencode(
            {"login": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}/",
        }
        status, _ = self.request("POST", "/accounts/login/", body=form, headers=headers)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in refused (status {status})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(ctx: Context, port: int) -> subprocess.Popen:
    command = [
        str(ctx.python), "-m", "gunicorn", "seedling.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--threads", str(THREADS), "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=ctx.env, cwd=ctx.project)  # noqa: S603 -- our own venv and paths
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/accounts/login/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def _hammer(clients: list[Client], paths, seconds: float, warmup: float) -> dict:
    """Every client sends requests back to back; latencies of the measured window only."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds

    def loop(client: Client, rng: random.Random):
        mine, bad = [], {}
        while True:
            begin = time.monotonic()
            if begin >= stop_at:
                break
            status, _ = client.request("GET", paths(rng))
            end = time.monotonic()
            if begin >= measure_from and end <= stop_at:
                if status == 200:
                    mine.append(end - begin)
                else:
                    bad[status] = bad.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in bad.items():
                errors[k] = errors.get(k, 0) + v

    threads = [threading.Thread(target=loop, args=(c, random.Random(i))) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {**percentiles(latencies), "rps": len(latencies) / seconds, "errors": errors}


def _line(p: dict) -> str:
    text = f"{p['rps']:.0f} req/s, p50 {p['p50']:.1f} / p95 {p['p95']:.1f} / p99 {p['p99']:.1f} ms"
    if p["errors"]:
        text += f", errors {p['errors']}"
    return text


def run(ctx: Context) -> list[Result]:
    from seedling.core.scope import area_q
    from seedling.registry.models import Child

    users = bench_users(ctx)
    rng = random.Random(ctx.seed)
    scope = Child.objects.filter(area_q("area", ctx.state["county"]))
    rows = list(scope.values_list("uuid", "name", "name_pinyin")[:20000])
    picked = rng.sample(rows, min(len(rows), 2000))
    uuids = [str(u) for u, _n, _p in picked]
    queries = []
    for _u, name, pinyin in picked:
        queries += [name, name[:2], pinyin.replace(" ", ""), "".join(s[0] for s in pinyin.split())]
    seconds, warmup = (5.0, 2.0) if ctx.quick else (20.0, 3.0)
    port = _free_port()
    server = _serve(ctx, port)
    try:
        clients = [Client(port) for _ in range(CLIENTS)]
        for client in clients:
            client.login(users["county"].username, BENCH_PASSWORD)
        scenarios = {
            "trivial view": lambda r: "/bench/trivial/",
            "child's file page": lambda r: f"/children/{r.choice(uuids)}/",
            "search API": lambda r: "/api/v1/children/?q=" + urllib.parse.quote(r.choice(queries)),
        }
        measured = {}
        for label, paths in scenarios.items():
            measured[label] = _hammer(clients, paths, seconds, warmup)
            print(f"{label:20} {_line(measured[label])}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    yard = measured.pop("trivial view")
    yardstick = f"trivial view: {_line(yard)}"
    setup = f"{CLIENTS} clients, gunicorn {WORKERS} workers × {THREADS} threads, {seconds:.0f} s window"
    results = []
    for label, p in measured.items():
        met = p["rps"] >= GOAL_RPS and p["p95"] <= GOAL_P95_MS and not p["errors"]
        results.append(
            Result(
                benchmark="load",
                case=f"{label}, county officer",
                result=_line(p),
                goal=f"≥ {GOAL_RPS} req/s, p95 ≤ {GOAL_P95_MS:g} ms",
                met=met,
                yardstick=yardstick,
                note=setup,
                figures={**p, "yardstick": yard},
            )
        )
    return results
