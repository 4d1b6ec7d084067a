"""How long a test may wait, in one place (no test writes its own number of seconds).

CI runs on a 2-core machine that may be running a second test session beside this one. A poll
returns as soon as its condition holds, so a generous bound costs nothing when all is well; it
only bounds how long a failure takes to be reported. Deadlines tied to an SOP's standard time are
derived from the time scale by `tests.conftest.sop_seconds` / `due_within` on top of these.
"""

from __future__ import annotations

# How long moto's execution threads, the worker and the local stack may take to act.
SLACK_SECONDS = 60.0

# One HTTP request to a loopback server (moto, chalice local, the site): the same bound.
REQUEST_SECONDS = SLACK_SECONDS

# Playwright counts in milliseconds.
BROWSER_MS = int(SLACK_SECONDS * 1000)

# The public site's address the tests' stack is provisioned with: only printed in links and QR
# codes, never listened on (the local stack's real site takes a free port, tests/stack.py).
SITE_URL = "http://situs-loket.test"
