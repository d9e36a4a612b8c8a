"""What every benchmark module uses: the Context it gets, the Result rows it returns, small timing helpers.

Stdlib only at import time (run.py imports this module before any database is chosen); helpers
that need Django import it inside the function, where a benchmark subprocess has it set up.
"""

import dataclasses
import json
import os
import platform
import resource
import statistics
import subprocess
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
WORK = PROJECT / "var" / "bench"
PYTHON = PROJECT / ".venv" / "bin" / "python"
SEEDLING = PROJECT / ".venv" / "bin" / "seedling"
BENCH_PASSWORD = "bench-Password-2025"  # noqa: S105 -- bench users live only in the bench databases


@dataclasses.dataclass
class Context:
    """What a benchmark knows about the run. `env` runs subprocesses (seedling, gunicorn) on the bench DB."""

    db: str  # "sqlite" or "postgres"
    database_url: str
    children: int
    visits_per_child: int
    seed: int
    quick: bool = False  # fewer repetitions (a smoke run); results are marked as such
    project: Path = PROJECT
    work: Path = WORK
    python: Path = PYTHON
    state: dict = dataclasses.field(default_factory=dict)  # what the preparation recorded (areas, users)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "PYTHONPATH": os.pathsep.join([str(self.project), str(self.project / "src")]),
            "SEEDLING_MFA_REQUIRED_ABOVE": "none",
        }

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        return {k: str(v) if isinstance(v, Path) else v for k, v in data.items()}

    @classmethod
    def from_json(cls, data: dict) -> "Context":
        fields = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in fields}
        for key in ("project", "work", "python"):
            if key in values:
                values[key] = Path(values[key])
        return cls(**values)


@dataclasses.dataclass
class Result:
    """One line of BENCHMARKS.md: a measured figure beside its goal and its yardstick from the same run."""

    benchmark: str  # "search", "import", ...
    case: str  # "2-char name, county user"
    result: str  # the figure as people read it: "p50 1.2 / p95 3.4 / p99 5.6 ms"
    goal: str = ""  # "p95 ≤ 10 ms"; empty when there is none
    met: bool | None = None  # None: no goal
    yardstick: str = ""  # "indexed equality lookup: p95 0.2 ms"
    note: str = ""
    figures: dict = dataclasses.field(default_factory=dict)  # raw numbers, kept in the JSON log

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of samples in seconds, returned in milliseconds."""
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return {
        "n": len(ordered),
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "max": ordered[-1] * 1000,
        "mean": statistics.fmean(ordered) * 1000,
    }


def fmt_ms(p: dict) -> str:
    return f"p50 {p['p50']:.2f} / p95 {p['p95']:.2f} / p99 {p['p99']:.2f} ms (n={p['n']})"


def timed(fn, items, *, warmup: int = 5) -> list[float]:
    """Seconds of fn(item) for every item (after `warmup` untimed calls on the first items)."""
    for item in items[:warmup]:
        fn(item)
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    VmHWM, the high-water mark of this process' own memory map: getrusage's ru_maxrss is carried
    over fork and exec on Linux, so a process started by a bigger one reports its parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seedling(
    ctx: Context, *args: str, check: bool = True, capture: bool = False
) -> subprocess.CompletedProcess:
    """Run a `seedling` management command against the bench database."""
    return subprocess.run(  # noqa: S603 -- our own venv and paths
        [str(SEEDLING), *args], env=ctx.env, cwd=ctx.project, check=check, text=True, capture_output=capture
    )


def bench_users(ctx: Context) -> dict:
    """Signed-in bench users (Django must be set up): a county officer and a village director.

    The county is the one with most generated children, the village its biggest; both users use
    BENCH_PASSWORD and need no second factor (bench settings turn MFA off).
    """
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from seedling.accounts.models import Membership, User
    from seedling.registry.models import Child

    if "county" not in ctx.state:
        county_rows = Child.objects.values("area_id").annotate(n=Count("pk")).order_by("-n", "area_id")
        by_county: dict[str, int] = {}
        for row in county_rows:
            by_county[row["area_id"][:6]] = by_county.get(row["area_id"][:6], 0) + row["n"]
        county = max(sorted(by_county), key=by_county.__getitem__)
        village = next(r["area_id"] for r in county_rows if r["area_id"].startswith(county))
        ctx.state.update(county=county, village=village)
    out = {}
    for key, role, area in (
        ("county", "county_officer", ctx.state["county"]),
        ("director", "village_director", ctx.state["village"]),
    ):
        user, created = User.objects.get_or_create(username=f"bench-{key}", defaults={"full_name": key})
        if created or not user.check_password(BENCH_PASSWORD):
            user.password = make_password(BENCH_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, role=role, area_id=area)
        out[key] = user
    return out


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, OS, Python: the line every result is read against."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()} ({_os_name()})",
        "python": platform.python_version(),
        "load": load,
    }


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def emit(results: list[Result]) -> None:
    """How a benchmark subprocess hands its results to run.py: one JSON line on stdout."""
    print("BENCH-RESULTS " + json.dumps([r.to_json() for r in results], ensure_ascii=False), flush=True)
