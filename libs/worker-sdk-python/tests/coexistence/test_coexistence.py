"""The app beside the legacy workers (issue 22): three scenarios against the live server and its
database, with the legacy side simulated from its contract (legacy_sim.py). Each checks what an
operator sees through the API, that counters shown are never impossible, no 5xx and that the
legacy reader reads every document; the figures are printed (docs/reliability.md)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from typing import Any

import httpx
from pymongo.database import Database

from event_monitor_worker import ClaimNext, EventMonitorClient, JobError, StaleLeaseError

from .conftest import server_errors
from .legacy_sim import LegacyRepository, LegacyWorker, read_everything

STATES = ("pending", "processing", "completed", "failed")
MIXED_JOBS = 60


def data(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), f"{response.request.method} {response.request.url}: {response.status_code} {response.text[:300]}"
    payload = response.json()
    assert payload["status"] == "success"
    return payload["data"]


def shown_batch(operator: httpx.Client, batch_id: str) -> dict[str, Any]:
    body = data(operator.get(f"batches/{batch_id}"))
    return body.get("batch", body)


def impossible(batch: dict[str, Any]) -> str | None:
    counts = [batch[f"{state}_jobs"] for state in STATES]
    if any(not isinstance(n, int) or n < 0 for n in counts):
        return f"negative or missing counter {counts}"
    if sum(counts) != batch["total_jobs"]:
        return f"states {counts} sum to {sum(counts)}, total {batch['total_jobs']}"
    done = batch["pending_jobs"] + batch["processing_jobs"] == 0
    if done and batch["status"] not in ("completed", "failed"):
        return f"all jobs finished but status {batch['status']}"
    if not done and batch["status"] in ("completed", "failed"):
        return f"jobs open but status {batch['status']}"
    return None


def recount(db: Database[Any], batch_id: str) -> dict[str, int]:
    counts = Counter(doc["status"] for doc in db["event_jobs"].find({"batch_id": batch_id}, {"status": 1}))
    return {state: counts.get(state, 0) for state in STATES}


def counter_error(batch: dict[str, Any], actual: dict[str, int], after: dict[str, int] | None = None) -> int:
    """How far a shown counter lies outside the recounts taken just before and just after the read
    (jobs keep moving while the request is answered)."""
    later = after or actual
    return max(
        max(0, min(actual[state], later[state]) - batch[f"{state}_jobs"], batch[f"{state}_jobs"] - max(actual[state], later[state]))
        for state in STATES
    )


def assert_reader_clean(db: Database[Any]) -> int:
    read, errors = read_everything(db)
    assert errors == [], errors
    return read


def app_work(client: EventMonitorClient, worker_id: str, job_type: str, seconds: float, processed: list[str], stop: threading.Event, fail_every: int = 0) -> None:
    """An app worker: claim with a lease, 'process', complete (claiming the next) or fail. Every job
    it did the work for counts as processed, whether or not its completion was still accepted."""
    claim = None
    n = 0
    while not stop.is_set():
        if claim is None:
            claim = client.claim(worker_id, [job_type], lease_seconds=60)
            if claim is None:
                time.sleep(0.05)
                continue
        time.sleep(seconds)
        n += 1
        processed.append(claim.job.job_id)
        try:
            if fail_every and n % fail_every == 0:
                client.fail(claim.job.job_id, claim.lease.token, JobError(code="APP_FAILURE", message="simulated"))
                claim = None
                continue
            done = client.complete(
                claim.job.job_id, claim.lease.token, {"markdown_content": f"# {claim.job.job_id} by app"},
                claim_next=ClaimNext(worker_id=worker_id, job_types=[job_type], lease_seconds=60),
            )
            claim = done.next
        except StaleLeaseError:
            # The legacy worker finished or re-took it: the lease is gone, take the next one.
            claim = None
        except Exception as error:  # noqa: BLE001 - shown, then the worker stops as a crashed one would
            print(f"[coexistence] {worker_id} stopped: {type(error).__name__}: {error}")
            return


def test_app_creates_legacy_processes(operator: httpx.Client, db: Database[Any], legacy: LegacyRepository) -> None:
    job_type = f"coexist-{uuid.uuid4().hex[:8]}"
    created = data(operator.post("batches", json={"batch_name": "app creates", "jobs": [
        {"job_type": job_type, "parameters": {"event": "Coexist", "session": f"S{i}"}} for i in range(8)
    ]}))
    batch_id = created["batch"]["batch_id"]
    worker = LegacyWorker(legacy, [batch_id], threads=3, work_seconds=0.05, fail_every=4)
    samples: list[dict[str, Any]] = []
    runner = threading.Thread(target=worker.loop)
    runner.start()
    while runner.is_alive():
        samples.append(shown_batch(operator, batch_id))
        time.sleep(0.05)
    runner.join()
    final = shown_batch(operator, batch_id)
    samples.append(final)
    problems = [p for p in (impossible(s) for s in samples) if p]
    actual = recount(db, batch_id)
    print(f"\n[coexistence] app creates, legacy processes: {len(samples)} operator reads, impossible {len(problems)}, final {final['status']} {actual}")
    assert problems == []
    # Every 4th legacy run fails; a job its stale poll list takes twice makes that count vary.
    assert (actual["pending"], actual["processing"], actual["completed"] + actual["failed"]) == (0, 0, 8)
    assert actual["failed"] >= 1
    assert final["status"] == "failed" and counter_error(final, actual) == 0
    jobs = data(operator.get("jobs", params={"batch_id": batch_id, "limit": 50}))["jobs"]
    assert Counter(job["status"] for job in jobs) == Counter({"completed": actual["completed"], "failed": actual["failed"]})
    assert server_errors() == 0
    assert_reader_clean(db)


def test_legacy_creates_app_steers(operator: httpx.Client, app_worker: EventMonitorClient, db: Database[Any], legacy: LegacyRepository) -> None:
    job_type = f"coexist-{uuid.uuid4().hex[:8]}"
    steered, steered_jobs = legacy.create_batch([f"L{i}" for i in range(4)], job_type=job_type)
    paused, _ = legacy.create_batch(["P0", "P1"], job_type=job_type)
    archived, _ = legacy.create_batch(["A0"], job_type=job_type)

    # An operator sees the ownerless legacy batch, with counters that are possible.
    fresh = shown_batch(operator, steered)
    assert impossible(fresh) is None, fresh
    assert (fresh["status"], fresh["pending_jobs"]) == ("pending", 4)
    assert data(operator.get(f"jobs/{steered_jobs[0]}"))["job"]["job_id"] == steered_jobs[0]
    listed = [b["batch_id"] for b in data(operator.get("batches", params={"limit": 100}))["batches"]]
    assert {steered, paused, archived} <= set(listed)

    # Legacy pause and archive (batch document only) stop the app's workers.
    legacy.toggle_active(paused)
    legacy.archive_batch(archived)
    taken: list[str] = []
    while (claim := app_worker.claim("coexist-app-1", [job_type], lease_seconds=60)) is not None:
        assert claim.job.batch_id == steered, f"claimed {claim.job.job_id} of a stopped batch {claim.job.batch_id}"
        taken.append(claim.job.job_id)
        if len(taken) == 1:
            app_worker.fail(claim.job.job_id, claim.lease.token, JobError(code="APP_FAILURE", message="first try"))
        else:
            app_worker.complete(claim.job.job_id, claim.lease.token, {"markdown_content": "# app"})
    assert len(taken) == 4

    # The operator steers: restart the failed job, pause through the API, resume, finish it.
    restarted = data(operator.post(f"batches/{steered}/restart", json={"scope": "failed"}))
    assert restarted["restarted"] == 1
    assert data(operator.post(f"batches/{steered}/toggle-active", json={"active": False}))["batch"]["isActive"] is False
    assert app_worker.claim("coexist-app-1", [job_type]) is None
    data(operator.post(f"batches/{steered}/toggle-active", json={"active": True}))
    claim = app_worker.claim("coexist-app-1", [job_type], lease_seconds=60)
    assert claim is not None and claim.job.job_id == taken[0]
    app_worker.complete(claim.job.job_id, claim.lease.token, {"markdown_content": "# app again"})

    final = shown_batch(operator, steered)
    assert impossible(final) is None and (final["status"], final["completed_jobs"]) == ("completed", 4)
    for name, batch_id in (("paused", paused), ("archived", archived)):
        shown = shown_batch(operator, batch_id)
        assert impossible(shown) is None, (name, shown)
        assert shown["pending_jobs"] == recount(db, batch_id)["pending"]
    print(f"\n[coexistence] legacy creates, app steers: {len(taken)} claims, none from the paused/archived batches; final {final['status']}")
    # Operators may delete ownerless batches; nothing pending is left for the SDK's own tests.
    for batch_id in (paused, archived):
        assert data(operator.delete(f"batches/{batch_id}"))["deleted_jobs"] >= 1
    assert server_errors() == 0
    assert_reader_clean(db)


def test_both_fleets_on_one_queue(operator: httpx.Client, app_worker: EventMonitorClient, db: Database[Any], legacy: LegacyRepository) -> None:
    job_type = f"coexist-{uuid.uuid4().hex[:8]}"
    created = data(operator.post("batches", json={"batch_name": "one queue, two fleets", "jobs": [
        {"job_type": job_type, "parameters": {"event": "Coexist", "session": f"M{i}"}} for i in range(MIXED_JOBS)
    ]}))
    batch_id = created["batch"]["batch_id"]
    stop = threading.Event()
    app_processed: list[str] = []
    app_threads = [
        threading.Thread(target=app_work, args=(app_worker, f"coexist-mixed-{i}", job_type, 0.05, app_processed, stop, 9)) for i in range(2)
    ]
    legacy_worker = LegacyWorker(legacy, [batch_id], threads=3, work_seconds=0.2, fail_every=11)
    legacy_thread = threading.Thread(target=legacy_worker.loop, kwargs={"deadline": 40.0})
    for thread in [*app_threads, legacy_thread]:
        thread.start()
    reads = 0
    problems: list[str] = []
    max_error = 0
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        actual = recount(db, batch_id)
        if actual["pending"] == 0 and actual["processing"] == 0 and not legacy_worker.running:
            break
        shown = shown_batch(operator, batch_id)
        reads += 1
        if (problem := impossible(shown)) is not None:
            problems.append(problem)
        max_error = max(max_error, counter_error(shown, actual, recount(db, batch_id)))
        time.sleep(0.05)
    stop.set()
    legacy_worker.stop.set()
    for thread in [*app_threads, legacy_thread]:
        thread.join(timeout=20)
    # A legacy worker may still hold a job it re-took; the simulated one has finished all it took.
    final = shown_batch(operator, batch_id)
    actual = recount(db, batch_id)
    runs = Counter(app_processed) + Counter(legacy_worker.processed)
    twice = sorted(job for job, n in runs.items() if n > 1)
    both = sorted(set(app_processed) & set(legacy_worker.processed))
    leftover_leases = db["event_jobs"].count_documents({"batch_id": batch_id, "status": {"$in": ["completed", "failed"]}, "lease": {"$exists": True}})
    failed_with_results = db["event_jobs"].count_documents({"batch_id": batch_id, "status": "failed", "results": {"$exists": True}})
    read, errors = read_everything(db)
    print(
        f"\n[coexistence] both fleets on one queue: {MIXED_JOBS} jobs, app runs {len(app_processed)}, legacy runs {len(legacy_worker.processed)}, "
        f"jobs processed twice {len(twice)} (by both fleets {len(both)}), operator reads {reads}, impossible shown {len(problems)}, "
        f"max counter error shown {max_error}, final {final['status']} {actual}, leases on finished jobs {leftover_leases}, "
        f"failed jobs with results {failed_with_results}, 5xx {server_errors()}, legacy read errors {len(errors)} of {read} documents"
    )
    assert problems == []
    assert actual["pending"] == 0 and actual["processing"] == 0
    assert impossible(final) is None and counter_error(final, actual) == 0
    assert server_errors() == 0
    assert errors == []


def test_legacy_maintenance_leftovers_read_safely(operator: httpx.Client, app_worker: EventMonitorClient, db: Database[Any], legacy: LegacyRepository) -> None:
    """reset_stalled_jobs fails a leased app job and writes the $toString literal; the app reads it."""
    job_type = f"coexist-{uuid.uuid4().hex[:8]}"
    created = data(operator.post("batches", json={"jobs": [{"job_type": job_type, "parameters": {"session": "stalled"}}]}))
    claim = app_worker.claim("coexist-stall", [job_type], lease_seconds=600)
    assert claim is not None
    db["event_jobs"].update_one({"job_id": claim.job.job_id}, {"$set": {"processing_started_at": legacy_old()}})
    assert legacy.reset_stalled_jobs(10) >= 1
    job = data(operator.get(f"jobs/{claim.job.job_id}"))["job"]
    assert job["status"] == "failed" and "lease" not in job
    assert job["error"]["code"] == "PROCESSING_TIMEOUT" and "$toString" not in str(job["error"])
    legacy.update_jobs_status_by_batch(created["batch"]["batch_id"], "pending")
    job = data(operator.get(f"jobs/{claim.job.job_id}"))["job"]
    assert job["status"] == "pending" and "results" not in job and "lease" not in job
    assert impossible(shown_batch(operator, created["batch"]["batch_id"])) is None
    data(operator.delete(f"batches/{created['batch']['batch_id']}"))
    assert server_errors() == 0
    assert_reader_clean(db)


def legacy_old() -> Any:
    from .legacy_sim import utcnow
    from datetime import timedelta

    return utcnow() - timedelta(minutes=30)
