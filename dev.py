#!/usr/bin/env python3
"""Seedling's two commands. Standard library only: a fresh machine needs Python 3.11+, git, Node.js.

    python3 dev.py demo    set up, load the demo data, run the site and the task worker
    python3 dev.py test    set up, run the whole test suite (extra arguments go to pytest)

Every step is idempotent and skipped when done: the virtualenv (.venv) is installed from
requirements.lock with hashes only when the lock or pyproject.toml changed, node_modules only when
package-lock.json changed, division codes and demo data only when the database lacks them.
"""

from __future__ import annotations  # so that an older Python reaches the version check below

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PY_STAMP = VENV / ".seedling-installed"
NODE_STAMP = ROOT / "node_modules" / ".seedling-installed"
CHROMIUM = Path("/usr/bin/chromium")
DEMO_VILLAGES = "33,11"  # Zhejiang and Beijing: the demo counties' villages


class SetupError(Exception):
    """A step failed; the message says what to do about it."""


def say(text: str) -> None:
    print(text, flush=True)


@contextmanager
def step(title: str):
    say(f"==> {title}")
    start = time.monotonic()
    yield
    say(f"    done in {time.monotonic() - start:.1f}s")


def run(cmd: list, **kwargs) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, check=False, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"`{' '.join(str(c) for c in cmd)}` failed (exit code {result.returncode})")


def digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def stamped(stamp: Path, value: str) -> bool:
    return stamp.exists() and stamp.read_text().strip() == value


# --- setup --------------------------------------------------------------------------------------


def ensure_python() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py may be started by an older python3
        raise SetupError(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if os.name != "posix":
        raise SetupError("dev.py supports Linux and macOS; on Windows use WSL.")


def ensure_venv() -> None:
    if (BIN / "python").exists():
        return
    with step("creating the virtualenv .venv"):
        try:
            run([sys.executable, "-m", "venv", VENV])
        except SetupError as exc:
            shutil.rmtree(VENV, ignore_errors=True)
            raise SetupError(f"{exc}. On Debian or Ubuntu: apt-get install python3-venv") from None


def ensure_python_packages() -> None:
    value = digest(ROOT / "requirements.lock", ROOT / "pyproject.toml")
    if stamped(PY_STAMP, value):
        say("==> Python packages: up to date with requirements.lock")
        return
    with step("installing Python packages (pip, hashes checked)"):
        pip = [BIN / "python", "-m", "pip", "--disable-pip-version-check"]
        run([*pip, "install", "--require-hashes", "-r", "requirements.lock"])
        run([*pip, "install", "--no-deps", "-e", "."])
        PY_STAMP.write_text(value)


def ensure_node_packages() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SetupError("npm (Node.js) is needed for the front-end assets: install Node.js 18+.")
    lock = ROOT / "package-lock.json"
    if not lock.exists():
        with step("creating package-lock.json (npm install); commit it"):
            run([npm, "install", "--no-audit", "--no-fund"])
    value = digest(lock)
    if stamped(NODE_STAMP, value) and (ROOT / "node_modules").is_dir():
        say("==> Node packages: up to date with package-lock.json")
        return
    with step("installing front-end assets (npm ci)"):
        run([npm, "ci", "--no-audit", "--no-fund"])
        NODE_STAMP.write_text(value)


def setup() -> None:
    ensure_python()
    ensure_venv()
    ensure_python_packages()
    ensure_node_packages()


def seedling(*args: str) -> None:
    run([BIN / "seedling", *args])


PROBE = """
import django
django.setup()
from seedling.geo.models import Division
from seedling.registry.models import Child
villages = Division.objects.filter(level="village")
loaded = all(villages.filter(code__startswith=p).exists() for p in {prefixes!r})
print(int(loaded), int(Child.objects.exists()))
"""


def probe() -> tuple[bool, bool]:
    """(division codes loaded, children loaded) in the database the settings point at."""
    code = PROBE.format(prefixes=DEMO_VILLAGES.split(","))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "seedling.config.settings"}
    out = subprocess.run(
        [str(BIN / "python"), "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SetupError(f"could not read the database:\n{out.stderr.strip()[-2000:]}")
    divisions, children = out.stdout.split()[-2:]
    return divisions == "1", children == "1"


# --- demo -----------------------------------------------------------------------------------------


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own local server
                return True
        except urllib.error.HTTPError:
            return True  # it answered (a redirect to sign-in, for instance)
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    return False


class Terminated(Exception):
    """dev.py got SIGTERM: unlike Ctrl-C in a terminal, the children did not get it too."""


def _terminated(signum, frame):
    raise Terminated


def stop(procs: list[subprocess.Popen], *, grace: float) -> None:
    """Let the children finish (a task in progress, a request), then ask them to stop, then kill."""
    for wait, how in ((grace, None), (10, signal.SIGTERM), (5, signal.SIGKILL)):
        for proc in procs:
            if how is not None and proc.poll() is None:
                proc.send_signal(how)
        deadline = time.monotonic() + wait
        for proc in procs:
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        if all(p.poll() is not None for p in procs):
            return


def serve(host: str, port: int) -> int:
    """The site (runserver; static files served by the app) and the task worker, until Ctrl-C."""
    address = f"{host}:{port}"
    # Started in the background of a script, SIGINT may be inherited as ignored: Ctrl-C (or kill -INT)
    # must stop dev.py and, as the children inherit the default disposition, the site and the worker.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _terminated)
    web = subprocess.Popen([str(BIN / "seedling"), "runserver", address, "--noreload"], cwd=ROOT)
    worker = subprocess.Popen([str(BIN / "seedling"), "db_worker", "--no-reload"], cwd=ROOT)
    # The scheduler enqueues periodic jobs (due dates, escalations, sealing the access log) for the worker.
    scheduler = subprocess.Popen([str(BIN / "seedling"), "scheduler"], cwd=ROOT, stdout=subprocess.DEVNULL)
    procs = [web, worker, scheduler]
    grace = 0.0
    try:
        url = f"http://{address}/"
        if wait_until_up(url, web):
            say(f"\nSeedling is running at {url}  (task worker and scheduler started; Ctrl-C stops all)\n")
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        failed = next(p for p in procs if p.poll() is not None)
        name = {id(web): "web server", id(worker): "task worker"}.get(id(failed), "scheduler")
        say(f"the {name} stopped (exit code {failed.returncode}); stopping the others")
        return failed.returncode or 1
    except KeyboardInterrupt:  # Ctrl-C in the terminal: the children got it too and are stopping
        grace = 5.0
        say("\nstopping the web server, the task worker and the scheduler")
        return 0
    except Terminated:
        say("stopping the web server, the task worker and the scheduler")
        return 0
    finally:
        stop(procs, grace=grace)


def cmd_demo(args) -> int:
    if not port_free(args.host, args.port):  # before the setup, not after a minute of it
        raise SetupError(f"port {args.port} is in use: run `python3 dev.py demo --port {args.port + 1}`")
    setup()
    with step("database: migrate"):
        seedling("migrate", "--no-input", "-v", "0")
    divisions, children = probe()
    if divisions:
        say("==> division codes: already loaded")
    else:
        with step(f"loading division codes (villages of {DEMO_VILLAGES})"):
            seedling("divisions_import", "--villages", DEMO_VILLAGES)
    if children:
        with step("demo data: children already loaded; the workflow parts brought up to date"):
            seedling("demo_data")
    else:
        with step("loading the demo data (about 5,200 children; a minute)"):
            seedling("demo_data")
    say(
        "\nDirectors sign in with the password only; every role above a village asks for two-step\n"
        "verification at first sign-in: scan the QR code with an authenticator app (see README)."
    )
    return serve(args.host, args.port)


# --- test -----------------------------------------------------------------------------------------


def ensure_chromium(pytest_args: list[str]) -> None:
    if CHROMIUM.exists() or "not browser" in " ".join(pytest_args):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        with step("installing Debian's Chromium for the browser tests"):
            try:
                run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"])
            except SetupError:
                run(["apt-get", "update"])
                run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"])
        return
    raise SetupError(
        f"The browser tests drive Debian's Chromium at {CHROMIUM}, which is missing.\n"
        "Install it (sudo apt-get install chromium), or run the rest: python3 dev.py test -m 'not browser'"
    )


def cmd_test(args, pytest_args: list[str]) -> int:
    setup()
    ensure_chromium(pytest_args)
    if pytest_args[:1] == ["--"]:
        pytest_args = pytest_args[1:]
    parallel = any(
        a in ("-n", "--numprocesses") or a.startswith(("-n", "--numprocesses=")) for a in pytest_args
    )
    if not parallel and not args.serial:
        # One test database per worker (SQLite in memory, PostgreSQL test_<name>_gw0, ...).
        pytest_args = ["-n", "auto", *pytest_args]
    where = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    say(f"==> pytest on {where}: {' '.join(pytest_args) or '(all tests)'}")
    return subprocess.run([str(BIN / "pytest"), *pytest_args], cwd=ROOT, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 dev.py",
        description="Set up Seedling and run the demo or the tests (idempotent: done steps are skipped).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{demo,test}")
    demo = sub.add_parser("demo", help="load the demo data and run the site and the task worker")
    demo.add_argument("--host", default=os.environ.get("SEEDLING_HOST", "127.0.0.1"))
    demo.add_argument("--port", type=int, default=int(os.environ.get("SEEDLING_PORT", "8000")))
    test = sub.add_parser(
        "test",
        help="run the test suite; other arguments go to pytest (DATABASE_URL picks the database)",
        description="Runs pytest in parallel (-n auto); any other argument is passed to pytest, "
        "e.g. `python3 dev.py test -k search -x` or `python3 dev.py test -m 'not browser'`.",
    )
    test.add_argument("--serial", action="store_true", help="run in one process (no pytest-xdist)")
    args, extra = parser.parse_known_args(argv)
    try:
        if args.command == "demo":
            if extra:
                parser.error(f"unrecognised arguments: {' '.join(extra)}")
            return cmd_demo(args)
        return cmd_test(args, extra)
    except SetupError as exc:
        say(f"\nerror: {exc}")
        return 1
    except KeyboardInterrupt:
        say("\ninterrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
