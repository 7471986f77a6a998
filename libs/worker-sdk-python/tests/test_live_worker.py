"""The Worker loop with the demo handler (and a few others) against the live server."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import httpx
from helpers import run_in_thread, session_jobs, wait_for

from event_monitor_worker import (
    EventMonitorClient,
    JobContext,
    JobParameters,
    JobResults,
    LeaseLostError,
    Progress,
    RetryableError,
    Worker,
)
from event_monitor_worker.demo import make_handler


def test_demo_worker_processes_a_batch_and_its_files_are_served(
    client: EventMonitorClient, files_root: Path, job_type: str
) -> None:
    created = client.create_batch(session_jobs(job_type, 3), batch_name=f"demo {job_type}")
    worker = Worker(
        client,
        "pytest-demo",
        make_handler(step_delay=0.05),
        job_types=[job_type],
        wait_seconds=1,
        concurrency=2,
        files_root=files_root,
    )
    stats = run_in_thread(worker, max_jobs=3)
    assert (stats.claimed, stats.completed, stats.failed) == (3, 3, 0)

    batch = client.get_batch(created.batch.batch_id)
    assert batch.status == "completed"
    assert (batch.completed_jobs, batch.failed_jobs, batch.pending_jobs, batch.processing_jobs) == (3, 0, 0, 0)
    assert batch.completed_at is not None

    paths = set()
    for job_id in created.job_ids:
        job = client.get_job(job_id)
        assert job.status == "completed" and job.progress == Progress("completed", 100)
        assert job.results is not None and job.results.markdown_file and job.results.markdown_content
        path = job.results.markdown_file
        assert path.startswith("sessions/PyTest_Conf_2026/de/") and path.endswith(".md")
        paths.add(path)
        served = client.get_file(path).decode("utf-8")
        assert served == job.results.markdown_content
        assert (files_root / path).read_text(encoding="utf-8") == served
        assert served.startswith(f"# {job.parameters.session}\n")
        messages = [entry.message for entry in job.logs]
        assert any(m.startswith("wrote sessions/") for m in messages)
        assert "Transcribing the talk" in messages
    assert len(paths) == 3


class FlakyUpstream(RetryableError):
    pass


def test_a_retryable_error_is_retried_and_then_completes(client: EventMonitorClient, job_type: str) -> None:
    job = client.create_job(JobParameters(event="Retry Conf", session="Second time lucky"), job_type=job_type)

    def handler(ctx: JobContext) -> JobResults:
        if ctx.job.attempts == 1:
            raise FlakyUpstream("the upstream answered 502")
        return JobResults(markdown_content=f"done on attempt {ctx.job.attempts}")

    # The server makes a retried job claimable again after its backoff (10 s after attempt 1).
    worker = Worker(client, "pytest-retry", handler, job_types=[job_type], wait_seconds=5)
    stats = run_in_thread(worker, timeout=40, max_jobs=2)
    assert (stats.retried, stats.completed) == (1, 1)

    done = client.get_job(job.job_id)
    assert done.status == "completed" and done.attempts == 2 and done.error is None
    assert done.results is not None and done.results.markdown_content == "done on attempt 2"
    assert any("attempt 1 failed (FlakyUpstream)" in entry.message for entry in done.logs)


class BrokenInput(ValueError):
    pass


def test_a_non_retryable_error_fails_the_job_with_the_class_name(client: EventMonitorClient, job_type: str) -> None:
    job = client.create_job(JobParameters(event="Fail Conf", session="Nope"), job_type=job_type)

    def handler(ctx: JobContext) -> None:
        ctx.info("about to break")
        raise BrokenInput("the session has no video")

    stats = run_in_thread(Worker(client, "pytest-fail", handler, job_types=[job_type], wait_seconds=1), max_jobs=1)
    assert stats.failed == 1

    failed = client.get_job(job.job_id)
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.error is not None
    assert failed.error.code == "BrokenInput" and failed.error.message == "the session has no video"
    assert failed.error.details is not None and "BrokenInput" in failed.error.details["traceback"]
    assert "about to break" in [entry.message for entry in failed.logs]  # flushed before the fail


def test_progress_logs_and_heartbeats_are_visible_while_the_job_runs(client: EventMonitorClient, job_type: str) -> None:
    job = client.create_job(JobParameters(event="Watch Conf", session="Live view"), job_type=job_type)
    seen: dict[str, object] = {}

    def handler(ctx: JobContext) -> JobResults:
        first_expiry = client.get_job(ctx.job.job_id).lease
        ctx.progress("downloading", 42.4, "fetching the video")
        for index in range(5):
            ctx.log("debug" if index % 2 else "info", f"line {index}")
        # Logs are buffered and flushed in the background (every second here).
        seen["logs"] = wait_for(
            lambda: [e.message for e in client.get_job_logs(ctx.job.job_id) if e.message.startswith("line")] or None,
            timeout=5,
            what="flushed log lines",
        )
        seen["progress"] = client.get_job(ctx.job.job_id).progress
        # lease 10 s -> a heartbeat every ~3.3 s moves expires_at forward.
        ctx.sleep(3.6)
        seen["lease_before"] = first_expiry
        seen["lease_after"] = client.get_job(ctx.job.job_id).lease
        return JobResults(markdown_content="watched")

    worker = Worker(client, "pytest-watch", handler, job_types=[job_type], lease_seconds=10, wait_seconds=1)
    stats = run_in_thread(worker, max_jobs=1)
    assert stats.completed == 1
    assert seen["progress"] == Progress("downloading", 42, "fetching the video")
    assert seen["logs"] == [f"line {i}" for i in range(5)]
    before, after = seen["lease_before"], seen["lease_after"]
    assert before is not None and after is not None
    assert after.expires_at > before.expires_at  # type: ignore[attr-defined]
    assert after.worker_id == "pytest-watch"  # type: ignore[attr-defined]
    final = client.get_job(job.job_id)
    assert final.status == "completed" and final.lease is None
    assert [e.level for e in final.logs if e.message.startswith("line")] == ["info", "debug", "info", "debug", "info"]


class CountingTransport(httpx.BaseTransport):
    """Counts the requests per path; shared by the client and its clones (so `close` is a no-op)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: Counter[str] = Counter()
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.paths[request.url.path.removeprefix("/api/event-job/")] += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        pass

    def count(self, suffix: str) -> int:
        return sum(n for path, n in self.paths.items() if path.endswith(suffix))


def counting_client(live_env: dict[str, str], transport: CountingTransport) -> EventMonitorClient:
    return EventMonitorClient(live_env["EVENT_MONITOR_URL"], live_env["EVENT_MONITOR_TOKEN"], timeout=20, transport=transport)


def test_the_worker_completes_every_job_once_with_fewer_claims_than_jobs(
    client: EventMonitorClient, live_env: dict[str, str], job_type: str
) -> None:
    created = client.create_batch(session_jobs(job_type, 8), batch_name=f"next {job_type}")
    transport = CountingTransport()
    handled: list[str] = []
    lock = threading.Lock()

    def handler(ctx: JobContext) -> JobResults:
        with lock:
            handled.append(ctx.job.job_id)
        return JobResults(markdown_content=f"# {ctx.job.job_id}")

    try:
        with counting_client(live_env, transport) as counted:
            worker = Worker(counted, "pytest-next-loop", handler, job_types=[job_type], wait_seconds=1, concurrency=2)
            stats = run_in_thread(worker, exit_when_idle=True)
    finally:
        transport.inner.close()
    assert (stats.claimed, stats.completed, stats.failed, stats.lost) == (8, 8, 0, 0)
    assert sorted(handled) == sorted(created.job_ids)  # each job handled once
    # Each slot claims once to start and once more when a complete brings back no job.
    assert transport.count("/complete") == 8
    assert transport.count("worker/claim") <= 4 < 8
    for job_id in created.job_ids:
        job = client.get_job(job_id)
        assert job.status == "completed" and job.attempts == 1
        assert job.results is not None and job.results.markdown_content == f"# {job_id}"
    batch = client.get_batch(created.batch.batch_id)
    assert (batch.completed_jobs, batch.processing_jobs, batch.pending_jobs) == (8, 0, 0)


def test_max_jobs_stays_exact_when_completes_claim_the_next_job(
    client: EventMonitorClient, live_env: dict[str, str], job_type: str
) -> None:
    created = client.create_batch(session_jobs(job_type, 5), batch_name=f"max {job_type}")
    transport = CountingTransport()
    try:
        with counting_client(live_env, transport) as counted:
            worker = Worker(counted, "pytest-next-max", lambda ctx: None, job_types=[job_type], wait_seconds=1)
            stats = run_in_thread(worker, max_jobs=3)
    finally:
        transport.inner.close()
    assert (stats.claimed, stats.completed) == (3, 3)
    assert (transport.count("worker/claim"), transport.count("/complete")) == (1, 3)
    # The third complete took no fourth job: two are still pending, none is left processing.
    statuses = Counter(client.get_job(job_id).status for job_id in created.job_ids)
    assert statuses == Counter({"completed": 3, "pending": 2})


def test_a_cancelled_job_is_dropped_at_the_next_heartbeat_and_stays_cancelled(client: EventMonitorClient, job_type: str) -> None:
    job = client.create_job(JobParameters(event="Cancel Conf", session="Too long"), job_type=job_type)
    seen: dict[str, object] = {}

    def handler(ctx: JobContext) -> JobResults:
        # An operator cancels the job from the UI (the API's cancel) while the handler works.
        seen["cancelled"] = client.cancel_job(ctx.job.job_id, reason="stop this one").status
        try:
            # lease 10 s -> a heartbeat every ~3.3 s; the refused one sets the lost flag, which wakes this sleep.
            ctx.sleep(30)
        except LeaseLostError:
            seen["lost_after"] = True
            raise
        return JobResults(markdown_content="should never be sent")

    worker = Worker(client, "pytest-cancel", handler, job_types=[job_type], lease_seconds=10, wait_seconds=1)
    stats = run_in_thread(worker, max_jobs=1, timeout=25)
    assert seen == {"cancelled": "failed", "lost_after": True}
    assert stats.lost == 1 and stats.completed == 0 and stats.failed == 0
    final = client.get_job(job.job_id)
    assert final.status == "failed" and final.error is not None and final.error.code == "CANCELLED"
    assert final.error.message == "stop this one" and final.lease is None and final.results is None
