"""Idempotent creation against the live server: the SDK sends an Idempotency-Key on every create
and retries with the same key when the answer is lost, so nothing is created twice."""

from __future__ import annotations

import threading
import uuid

import httpx
import pytest
from helpers import session_jobs

from event_monitor_worker import ApiError, AuthError, EventMonitorClient, NetworkError


class LoseAnswers(httpx.BaseTransport):
    """Sends each request to the server for real, then drops the first `lose` answers on the floor
    (as a connection reset after the server acted would), recording the requests it saw."""

    def __init__(self, lose: int) -> None:
        self._inner = httpx.HTTPTransport()
        self._lose = lose
        self._lock = threading.Lock()
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        with self._lock:
            self.requests.append(request)
            lose = self._lose > 0 and request.method == "POST"
            if lose:
                self._lose -= 1
        if lose:
            response.read()
            response.close()
            raise httpx.ReadError("connection reset after the server answered", request=request)
        return response

    def close(self) -> None:
        self._inner.close()


def _client_with(client: EventMonitorClient, transport: httpx.BaseTransport, retries: int = 3) -> EventMonitorClient:
    return EventMonitorClient(client.base_url, client._token, timeout=20, transport=transport, create_retries=retries)


def test_a_lost_answer_is_retried_with_the_same_key_and_creates_one_batch(client: EventMonitorClient, job_type: str) -> None:
    transport = LoseAnswers(lose=2)
    with _client_with(client, transport) as flaky:
        created = flaky.create_batch(session_jobs(job_type, 2), batch_name=f"idem {job_type}")
    keys = [request.headers.get("Idempotency-Key") for request in transport.requests]
    assert len(keys) == 3 and keys[0] and len(set(keys)) == 1
    uuid.UUID(keys[0], version=4)
    page = client.list_batches(search=job_type)
    assert page.total == 1 and page.items[0].batch_id == created.batch.batch_id
    assert len(created.job_ids) == 2
    assert client.list_jobs(batch_id=created.batch.batch_id).total == 2


def test_every_create_call_gets_its_own_key(client: EventMonitorClient, job_type: str) -> None:
    transport = LoseAnswers(lose=0)
    with _client_with(client, transport) as counted:
        first = counted.create_batch(session_jobs(job_type, 1), batch_name=f"one {job_type}")
        second = counted.create_batch(session_jobs(job_type, 1), batch_name=f"one {job_type}")
    keys = [request.headers.get("Idempotency-Key") for request in transport.requests]
    assert len(keys) == 2 and keys[0] != keys[1]
    assert first.batch.batch_id != second.batch.batch_id


def test_a_given_key_answers_the_first_answer_and_another_body_is_a_422(client: EventMonitorClient, job_type: str) -> None:
    key = f"pytest-{uuid.uuid4()}"
    first = client.create_batch(session_jobs(job_type, 1), batch_name=f"keyed {job_type}", idempotency_key=key)
    again = client.create_batch(session_jobs(job_type, 1), batch_name=f"keyed {job_type}", idempotency_key=key)
    assert again.batch.batch_id == first.batch.batch_id and again.job_ids == first.job_ids
    with pytest.raises(ApiError) as caught:
        client.create_batch(session_jobs(job_type, 2), batch_name=f"keyed {job_type}", idempotency_key=key)
    assert caught.value.status == 422 and caught.value.code == "IDEMPOTENCY_KEY_REUSED" and key in str(caught.value)
    assert client.list_batches(search=job_type).total == 1


def test_job_creation_retries_safely(client: EventMonitorClient, job_type: str) -> None:
    batch = client.create_batch(session_jobs(job_type, 1), batch_name=f"jobs {job_type}").batch
    transport = LoseAnswers(lose=1)
    with _client_with(client, transport) as flaky:
        job = flaky.create_job({"event": "Idem", "session": "once"}, batch_id=batch.batch_id, job_type=job_type)
    jobs = client.list_jobs(batch_id=batch.batch_id).items
    assert len(jobs) == 2 and job.job_id in {j.job_id for j in jobs}


def test_gives_up_after_the_configured_retries(client: EventMonitorClient, job_type: str) -> None:
    transport = LoseAnswers(lose=5)
    with _client_with(client, transport, retries=1) as flaky:
        with pytest.raises(NetworkError):
            flaky.create_batch(session_jobs(job_type, 1), batch_name=f"gives up {job_type}")
    assert len(transport.requests) == 2
    # The server did act once: one batch, whatever the client saw.
    assert client.list_batches(search=job_type).total == 1


def test_flow_controls_are_listed_for_readers_and_changed_by_admins_only(client: EventMonitorClient, job_type: str) -> None:
    assert isinstance(client.job_type_flow(), list)
    # The suite's token belongs to an operator: the settings are the admins'.
    with pytest.raises(AuthError) as caught:
        client.pause_job_type(job_type)
    assert caught.value.status == 403
    with pytest.raises(AuthError):
        client.set_job_type_limits(job_type, max_concurrent=1)
    assert all(t["job_type"] != job_type for t in client.job_type_flow())
