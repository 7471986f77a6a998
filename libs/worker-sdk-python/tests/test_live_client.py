"""EventMonitorClient against the live server: batches, jobs, the lease protocol, errors."""

from __future__ import annotations

import pytest
from helpers import session_jobs

from event_monitor_worker import (
    AuthError,
    ClaimNext,
    EventMonitorClient,
    JobParameters,
    LogEntry,
    NotFoundError,
    Progress,
    StaleLeaseError,
    ValidationError,
)


def test_a_wrong_token_is_an_auth_error(client: EventMonitorClient) -> None:
    with EventMonitorClient(client.base_url, "not-a-real-token") as stranger:
        with pytest.raises(AuthError) as caught:
            stranger.list_batches()
    assert caught.value.status == 401 and caught.value.code == "UNAUTHENTICATED"


def test_unknown_ids_and_files_are_not_found(client: EventMonitorClient) -> None:
    with pytest.raises(NotFoundError):
        client.get_job("job-does-not-exist")
    with pytest.raises(NotFoundError):
        client.get_batch("batch-does-not-exist")
    with pytest.raises(NotFoundError):
        client.get_file("sessions/nowhere/de/nothing.md")


def test_batches_and_jobs_round_trip(client: EventMonitorClient, job_type: str) -> None:
    created = client.create_batch(session_jobs(job_type, 2), batch_name=f"client {job_type}")
    batch = created.batch
    assert len(created.job_ids) == 2 and batch.total_jobs == 2 and batch.status == "pending"

    page = client.list_batches(search=job_type)
    assert page.total == 1 and page.items[0].batch_id == batch.batch_id

    jobs = client.list_jobs(batch_id=batch.batch_id, sort="created_at", direction="asc")
    assert jobs.total == 2 and {j.job_id for j in jobs.items} == set(created.job_ids)
    job = client.get_job(created.job_ids[0])
    assert job.parameters.event == "PyTest Conf 2026" and job.job_type == job_type

    # An inactive batch is not claimed; toggled back it is.
    assert client.toggle_batch_active(batch.batch_id, False).is_active is False
    assert client.claim("pytest-client", [job_type], wait_seconds=0) is None
    assert client.toggle_batch_active(batch.batch_id).is_active is True

    assert client.archive_batch(batch.batch_id).archived is True
    assert client.unarchive_batch(batch.batch_id).archived is False
    changed = client.change_batch_language(batch.batch_id, "fr")
    assert changed.updated == 2
    assert client.get_job(created.job_ids[1]).parameters.target_language == "fr"

    assert client.delete_batch(batch.batch_id) == 2
    with pytest.raises(NotFoundError):
        client.get_batch(batch.batch_id)


def test_lease_protocol_and_stale_tokens(client: EventMonitorClient, job_type: str) -> None:
    job = client.create_job(JobParameters(event="Lease Conf", session="Tokens"), job_type=job_type)
    claim = client.claim("pytest-lease", [job_type], lease_seconds=60, wait_seconds=2)
    assert claim is not None and claim.job.job_id == job.job_id and claim.job.status == "processing"
    token = claim.lease.token

    # A wrong token is refused with 409 and nothing is written.
    with pytest.raises(StaleLeaseError) as caught:
        client.report_progress(job.job_id, "not-the-token", Progress("sneaky", 99))
    assert caught.value.status == 409
    with pytest.raises(StaleLeaseError):
        client.append_logs(job.job_id, "not-the-token", [LogEntry("info", "sneaky")])
    assert client.get_job(job.job_id).progress == Progress("initializing", 0)

    # Validation errors name the field.
    with pytest.raises(ValidationError) as invalid:
        client.report_progress(job.job_id, token, "step", 150)
    assert "progress.percent" in invalid.value.field_errors

    # The right token works; what it writes is visible on the job.
    expires = client.heartbeat(job.job_id, token, lease_seconds=120)
    assert expires > claim.lease.expires_at
    client.report_progress(job.job_id, token, "transcribing", 40, "halfway there")
    assert client.append_logs(job.job_id, token, [LogEntry("info", "first line"), LogEntry("warning", "second line")]) == 2
    seen = client.get_job(job.job_id)
    assert seen.progress == Progress("transcribing", 40, "halfway there")
    messages = [entry.message for entry in client.get_job_logs(job.job_id)]
    assert messages[-2:] == ["first line", "second line"]
    assert [e.message for e in client.get_job_logs(job.job_id, level="warning")] == ["second line"]

    done = client.complete(job.job_id, token, {"markdown_content": "# done"})
    assert done.status == "completed"
    # A repeated complete by the same holder (its first answer lost) gets the same answer and
    # writes nothing; every other call with the ended lease is stale.
    assert client.complete(job.job_id, token, {"markdown_content": "# again"}).status == "completed"
    results = client.get_job(job.job_id).results
    assert results is not None and results.markdown_content == "# done"
    with pytest.raises(StaleLeaseError):
        client.heartbeat(job.job_id, token)

    # A restart hands out a fresh lease; the first one stays stale.
    client.restart_job(job.job_id)
    again = client.claim("pytest-lease", [job_type], wait_seconds=2)
    assert again is not None and again.lease.token != token
    with pytest.raises(StaleLeaseError):
        client.fail(job.job_id, token, {"code": "X", "message": "late"})
    failed = client.fail(job.job_id, again.lease.token, {"code": "Broken", "message": "for good"}, retryable=False)
    assert failed.status == "failed"
    client.delete_job(job.job_id)


def test_cursor_pages_and_iterators_walk_every_job_once(client: EventMonitorClient, job_type: str) -> None:
    created = client.create_batch(session_jobs(job_type, 5), batch_name=f"pages {job_type}")
    batch_id = created.batch.batch_id

    first = client.list_jobs(batch_id=batch_id, sort="created_at", direction="asc", limit=2)
    assert first.total == 5 and first.total_exact and first.next_cursor is not None and first.skip == 0
    second = client.list_jobs(batch_id=batch_id, sort="created_at", direction="asc", limit=2, cursor=first.next_cursor)
    assert len(second.items) == 2 and not {j.job_id for j in first.items} & {j.job_id for j in second.items}

    reference = [j.job_id for j in client.list_jobs(batch_id=batch_id, sort="job_name", direction="desc", limit=200).items]
    walked = [j.job_id for j in client.iter_jobs(batch_id=batch_id, sort="job_name", direction="desc", page_size=2)]
    assert walked == reference and sorted(walked) == sorted(created.job_ids)

    # A job added while iterating (newest first) is not yielded twice, and nothing is missed.
    seen: list[str] = []
    for job in client.iter_jobs(batch_id=batch_id, page_size=2):
        seen.append(job.job_id)
        if len(seen) == 1:
            client.create_job(JobParameters(event="Pages", session="Late"), batch_id=batch_id, job_type=job_type)
    assert len(seen) == len(set(seen)) and set(created.job_ids) <= set(seen)

    assert [b.batch_id for b in client.iter_batches(search=job_type, page_size=1)] == [batch_id]

    with pytest.raises(ValidationError) as both:
        client.list_jobs(batch_id=batch_id, sort="created_at", direction="asc", cursor=first.next_cursor, skip=1)
    assert "cursor" in both.value.field_errors
    with pytest.raises(ValidationError) as other_sort:
        client.list_jobs(batch_id=batch_id, cursor=first.next_cursor)
    assert "cursor" in other_sort.value.field_errors
    client.delete_batch(batch_id)


def test_complete_with_claim_next_hands_out_each_job_once_then_none(client: EventMonitorClient, job_type: str) -> None:
    created = client.create_batch(session_jobs(job_type, 3), batch_name=f"claim next {job_type}")
    claim = client.claim("pytest-next", [job_type], lease_seconds=60, wait_seconds=2)
    assert claim is not None
    seen = [claim.job.job_id]
    ask = ClaimNext("pytest-next", [job_type], lease_seconds=60)
    while True:
        done = client.complete(claim.job.job_id, claim.lease.token, {"markdown_content": f"# {claim.job.job_id}"}, claim_next=ask)
        assert done.job_id == claim.job.job_id and done.status == "completed"
        if done.next is None:
            break
        claim = done.next
        assert claim.job.status == "processing" and claim.job.job_id not in seen
        # The lease is a real one: the server accepts its token and keeps the expiry moving.
        assert client.heartbeat(claim.job.job_id, claim.lease.token, lease_seconds=60) >= claim.lease.expires_at
        seen.append(claim.job.job_id)
    assert sorted(seen) == sorted(created.job_ids)
    batch = client.get_batch(created.batch.batch_id)
    assert (batch.completed_jobs, batch.processing_jobs, batch.pending_jobs, batch.status) == (3, 0, 0, "completed")
    for job_id in created.job_ids:
        job = client.get_job(job_id)
        assert job.status == "completed" and job.attempts == 1 and job.lease is None
        assert job.results is not None and job.results.markdown_content == f"# {job_id}"
    # Without claim_next the answer is as before.
    assert client.complete(claim.job.job_id, claim.lease.token, {"markdown_content": "# again"}).next is None


def test_a_heartbeat_after_cancel_is_refused_as_a_stale_lease(client: EventMonitorClient, job_type: str) -> None:
    job = client.create_job(JobParameters(event="Cancel Conf", session="Heartbeat"), job_type=job_type)
    claim = client.claim("pytest-cancel", [job_type], lease_seconds=60, wait_seconds=2)
    assert claim is not None and claim.job.job_id == job.job_id
    token = claim.lease.token
    assert client.heartbeat(job.job_id, token, lease_seconds=120) > claim.lease.expires_at

    cancelled = client.cancel_job(job.job_id, reason="operator stop")
    assert cancelled.status == "failed" and cancelled.error is not None and cancelled.error.code == "CANCELLED"
    # The worker's next call under the lease is a 409, which the SDK raises as StaleLeaseError
    # (the Worker loop turns it into "lease lost" and drops the job); nothing it sends is written.
    with pytest.raises(StaleLeaseError) as caught:
        client.heartbeat(job.job_id, token)
    assert caught.value.status == 409
    with pytest.raises(StaleLeaseError):
        client.complete(job.job_id, token, {"markdown_content": "# too late"})
    final = client.get_job(job.job_id)
    assert final.status == "failed" and final.results is None and final.lease is None


def test_a_scheduled_batch_is_not_claimed_before_its_start(client: EventMonitorClient, job_type: str) -> None:
    from datetime import datetime, timedelta, timezone

    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1)
    created = client.create_batch(session_jobs(job_type, 1), batch_name=f"scheduled {job_type}", not_before=start, deadline=start + timedelta(hours=1))
    assert created.batch.not_before == start and created.batch.deadline_risk == "unknown"
    assert client.claim("pytest-schedule", [job_type], wait_seconds=0) is None
    with pytest.raises(ValidationError) as caught:
        client.schedule_batch(created.batch.batch_id, deadline=start - timedelta(minutes=1))
    assert "deadline" in str(caught.value.details)
    cleared = client.schedule_batch(created.batch.batch_id, not_before=None)
    assert cleared.not_before is None and "not_before" not in cleared.raw
    claim = client.claim("pytest-schedule", [job_type], wait_seconds=0)
    assert claim is not None and claim.job.job_id == created.job_ids[0]
