"""Settings of the benchmark runs: the real settings, plus a bench-only URL conf and no MFA step.

Bench users are a village director and a county officer; the benchmark signs them in with a
password only (SEEDLING_MFA_REQUIRED_ABOVE = "none"), so the load test measures pages, not TOTP.
DEBUG is off as in production (DEBUG keeps every SQL statement in memory and slows every request).
"""

from seedling.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
SEEDLING_MFA_REQUIRED_ABOVE = "none"
DEBUG = False
WHITENOISE_AUTOREFRESH = False
