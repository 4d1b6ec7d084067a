"""The locust users of `make load`: job seekers, the two AK-1 officers, and a `/health` probe.

Importing this module imports locust, which patches the process with gevent (sockets, threads,
`time.sleep` become cooperative): import it before anything opens a connection, and never in
the tests' process (they drive `infra.load.people` directly). `configure` gives the classes the
run's shared `Campaign` and the staff password before the runner starts them.

Each user's requests go through its own `HttpSession` (`self.client`), counted by locust under
the request types of `people.request_type` (response times in milliseconds).
"""

from __future__ import annotations

from typing import ClassVar

import locust  # noqa: F401  (first: gevent's patches before anything else opens a socket)
from locust import HttpUser, User, constant, constant_pacing, task

from infra.load.people import Campaign, HttpGateway, JobSeeker, OfficerAtDesk

HEALTH = "GET /health"
HEALTH_EVERY_SECONDS = 0.5  # the probe's pace: a light, steady reference beside the real traffic
IDLE_SECONDS = 3.0  # an officer whose inbox had nothing of ours reloads it after this


class JobSeekerUser(HttpUser):
    """A phone: files one case per round while the campaign has any left; its open cases'
    status is reloaded as the status page does (people.POLL_SECONDS)."""

    campaign: ClassVar[Campaign]
    wait_time = constant(1)

    def on_start(self) -> None:
        self.flow = JobSeeker(HttpGateway(self.client, self.host or ""), self.campaign)

    @task
    def file_and_poll(self) -> None:
        self.flow.step()


class _Officer(HttpUser):
    """A member of staff at a browser, working the inbox; back at once while there was work,
    reloading it after IDLE_SECONDS when it had nothing of ours."""

    abstract = True
    campaign: ClassVar[Campaign]
    password: ClassVar[str]
    role: ClassVar[str]

    def on_start(self) -> None:
        gateway = HttpGateway(self.client, self.host or "")
        self.desk = OfficerAtDesk(gateway, self.campaign, self.role, self.password)
        self.busy = False

    def wait_time(self) -> float:
        return 0.0 if self.busy else IDLE_SECONDS

    @task
    def work_inbox(self) -> None:
        self.busy = self.desk.step() > 0


class Verifier(_Officer):
    """Petugas antar kerja: verifies the uploaded documents (AK-1 step 05)."""

    role = "petugas_antar_kerja"
    fixed_count = 2


class Counsellor(_Officer):
    """Pengantar kerja: counsels the job seeker and records it (AK-1 step 06)."""

    role = "pengantar_kerja"
    fixed_count = 2


class HealthProbe(HttpUser):
    """`GET /health` every HEALTH_EVERY_SECONDS on the same server: the reference the other
    request types' latencies are divided by."""

    fixed_count = 1
    wait_time = constant_pacing(HEALTH_EVERY_SECONDS)

    @task
    def health(self) -> None:
        self.client.get("/health", name=HEALTH)


def configure(campaign: Campaign, staff_password: str, officers_per_role: int) -> list[type[User]]:
    """Give the users the run's campaign and the staff password; the user classes to run."""
    JobSeekerUser.campaign = campaign
    _Officer.campaign = campaign
    _Officer.password = staff_password
    Verifier.fixed_count = Counsellor.fixed_count = officers_per_role
    return [JobSeekerUser, Verifier, Counsellor, HealthProbe]
