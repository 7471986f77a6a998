"""Pure unit tests: no server (httpx.MockTransport stands in where HTTP is needed)."""

from __future__ import annotations

import json
import random
import threading
from typing import Any

import httpx
import pytest

from event_monitor_worker import (
    ApiError,
    AuthError,
    Backoff,
    ClaimNext,
    CompleteResult,
    ConflictError,
    EventMonitorClient,
    Job,
    JobContext,
    JobResults,
    NetworkError,
    NotFoundError,
    ServerError,
    StaleLeaseError,
    ValidationError,
    Worker,
)
from event_monitor_worker.demo import markdown_path, render_markdown, safe_segment, session_slug

NOW = "2026-05-04T09:00:00.000Z"


def job_json(**overrides: Any) -> dict[str, Any]:
    job: dict[str, Any] = {
        "job_id": "job-1",
        "job_type": "",
        "job_name": "Conf - Main - Talk",
        "status": "processing",
        "created_at": NOW,
        "updated_at": NOW,
        "parameters": {
            "event": "Conf",
            "session": "Talk",
            "speakers": ["A"],
            "source_language": "en",
            "target_language": "de",
            "use_cache": True,
        },
        "archived": False,
        "logs": [{"timestamp": NOW, "level": "info", "message": "hi"}],
        "priority": 0,
        "attempts": 1,
        "max_attempts": 3,
        "batch_active": True,
    }
    job.update(overrides)
    return job


# ---- backoff ------------------------------------------------------------------------------------


def test_backoff_grows_exponentially_and_is_capped() -> None:
    backoff = Backoff(initial=0.5, maximum=8, multiplier=2, jitter=0)
    assert [backoff.delay() for _ in range(7)] == [0.5, 1, 2, 4, 8, 8, 8]


def test_backoff_jitter_stays_within_bounds_and_varies() -> None:
    backoff = Backoff(initial=1, maximum=30, jitter=0.5, rng=random.Random(7))
    delays = []
    for failures in range(1, 40):
        delay = backoff.delay()
        top = backoff.ceiling(failures)
        assert top * 0.5 <= delay <= top
        delays.append(delay)
    assert len({round(d, 6) for d in delays[10:]}) > 5  # capped, but not all the same


def test_backoff_reset_starts_over_and_survives_many_failures() -> None:
    backoff = Backoff(initial=0.25, maximum=60, jitter=0)
    for _ in range(10_000):
        backoff.delay()
    assert backoff.ceiling(10_000) == 60
    backoff.reset()
    assert backoff.delay() == 0.25


@pytest.mark.parametrize("kwargs", [{"initial": 0}, {"initial": 5, "maximum": 1}, {"multiplier": 0.5}, {"jitter": 2}])
def test_backoff_refuses_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Backoff(**kwargs)  # type: ignore[arg-type]


# ---- models -------------------------------------------------------------------------------------


def test_job_parses_dates_and_nested_shapes() -> None:
    job = Job.from_dict(
        job_json(
            progress={"step": "x", "percent": 40},
            error={"code": "E", "message": "m", "details": {"traceback": "t"}},
            lease={"worker_id": "w", "expires_at": NOW},
        )
    )
    assert job.created_at.isoformat() == "2026-05-04T09:00:00+00:00"
    assert job.parameters.speakers == ["A"] and job.parameters.target_language == "de"
    assert job.progress is not None and job.progress.percent == 40
    assert job.error is not None and job.error.details == {"traceback": "t"}
    assert job.lease is not None and job.lease.worker_id == "w"
    assert job.logs[0].message == "hi"


def test_results_leave_out_what_is_not_set() -> None:
    assert JobResults(markdown_file="a.md", markdown_content="x").to_dict() == {"markdown_file": "a.md", "markdown_content": "x"}


# ---- demo paths ---------------------------------------------------------------------------------


def test_session_slug_is_ascii_and_bounded() -> None:
    assert session_slug("Keynote: The Future (2025)!") == "keynote-the-future-2025"
    assert session_slug("Über Café") == "uber-cafe"
    assert session_slug("!!!", fallback="job-1") == "job-1"
    assert len(session_slug("word " * 100)) <= 80


@pytest.mark.parametrize("evil", ["../../etc", "..", "/abs/path", "a\\b", "x\x00y", ".hidden", "%2e%2e"])
def test_path_segments_never_leave_their_folder(evil: str) -> None:
    segment = safe_segment(evil, "fallback")
    assert "/" not in segment and "\\" not in segment and "\x00" not in segment
    assert not segment.startswith(".") and segment not in ("", ".", "..")


def test_markdown_path_follows_the_legacy_layout() -> None:
    job = Job.from_dict(job_json(parameters={"event": "FOSDEM 2026", "session": "Hello, World!", "target_language": "fr"}))
    assert markdown_path(job) == "sessions/FOSDEM_2026/fr/hello-world.md"
    text = render_markdown(job, "w1")
    assert text.startswith("# Hello, World!\n") and "| Event | FOSDEM 2026 |" in text


# ---- client error mapping ------------------------------------------------------------------------


def mock_client(handler: Any) -> EventMonitorClient:
    return EventMonitorClient("http://test.invalid", "tok", timeout=2, transport=httpx.MockTransport(handler))


def error_response(status: int, code: str, details: Any = None) -> httpx.Response:
    body: dict[str, Any] = {"status": "error", "message": f"{code} happened", "code": code}
    if details is not None:
        body["details"] = details
    return httpx.Response(status, json=body)


@pytest.mark.parametrize(
    ("status", "code", "lease_call", "expected"),
    [
        (400, "VALIDATION", False, ValidationError),
        (401, "UNAUTHENTICATED", False, AuthError),
        (403, "FORBIDDEN", False, AuthError),
        (404, "NOT_FOUND", False, NotFoundError),
        (409, "CONFLICT", True, StaleLeaseError),
        (409, "INVALID_TRANSITION", False, ConflictError),
        (503, "DATABASE_UNAVAILABLE", False, ServerError),
        (418, "TEAPOT", False, ApiError),
    ],
)
def test_error_envelopes_become_typed_exceptions(status: int, code: str, lease_call: bool, expected: type[ApiError]) -> None:
    client = mock_client(lambda request: error_response(status, code, {"fieldErrors": {"progress.percent": ["too big"]}}))
    with pytest.raises(expected) as caught:
        if lease_call:
            client.heartbeat("job-1", "stale")
        else:
            client.get_job("job-1")
    assert caught.value.status == status and caught.value.code == code
    assert caught.value.field_errors == {"progress.percent": ["too big"]}
    if expected is ConflictError:
        assert not isinstance(caught.value, StaleLeaseError)


def test_network_failures_become_network_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(NetworkError):
        mock_client(refuse).list_batches()


def test_requests_carry_the_token_and_encode_paths() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"# md")

    client = mock_client(record)
    assert client.get_file("sessions/My Event/de/a b.md") == b"# md"
    assert seen[0].headers["authorization"] == "Bearer tok"
    assert seen[0].url.raw_path == b"/api/event-job/files/sessions/My%20Event/de/a%20b.md"


def batch_json(**overrides: Any) -> dict[str, Any]:
    batch: dict[str, Any] = {"batch_id": "batch-1", "batch_name": "B", "status": "pending", "created_at": NOW, "updated_at": NOW}
    batch.update(overrides)
    return batch


def test_scheduled_batches_send_aware_iso_dates_and_parse_the_risk() -> None:
    from datetime import datetime, timedelta, timezone

    seen: list[tuple[str, dict[str, Any]]] = []
    start = datetime(2030, 1, 1, 10, 0, tzinfo=timezone.utc)

    def record(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        seen.append((request.url.path, body))
        batch = batch_json(not_before="2030-01-01T10:00:00.000Z", deadline="2030-01-01T12:00:00.000Z", deadline_risk="unknown")
        return httpx.Response(201, json={"status": "success", "data": {"batch": batch, "batch_id": "batch-1", "job_ids": ["j"]}})

    client = mock_client(record)
    created = client.create_batch([{"parameters": {"session": "S"}}], not_before=start, deadline=start + timedelta(hours=2))
    assert seen[0][1]["not_before"] == "2030-01-01T10:00:00+00:00"
    assert seen[0][1]["deadline"] == "2030-01-01T12:00:00+00:00"
    assert created.batch.not_before == start and created.batch.deadline_risk == "unknown"
    with pytest.raises(ValueError, match="not_before"):
        client.create_batch([{"parameters": {"session": "S"}}], not_before=datetime(2030, 1, 1))
    client.schedule_batch("batch-1", not_before=None)
    assert seen[-1] == ("/api/event-job/batches/batch-1/update", {"not_before": None})


# ---- worker loop without a server ----------------------------------------------------------------


def test_worker_backs_off_on_5xx_and_network_errors_then_completes() -> None:
    calls: list[str] = []
    lock = threading.Lock()
    state = {"claims": 0}

    def server(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/event-job/")
        with lock:
            calls.append(path)
        if path == "worker/claim":
            state["claims"] += 1
            if state["claims"] == 1:
                return error_response(503, "DATABASE_UNAVAILABLE")
            if state["claims"] == 2:
                raise httpx.ConnectError("reset", request=request)
            return httpx.Response(
                200, json={"status": "success", "data": {"job": job_json(), "lease": {"token": "t1", "expires_at": NOW}}}
            )
        if path.endswith("/complete"):
            body = json.loads(request.content)
            assert body == {"token": "t1", "results": {"markdown_content": "done"}}
            return httpx.Response(200, json={"status": "success", "data": {"job_id": "job-1", "status": "completed"}})
        return httpx.Response(200, json={"status": "success", "data": {"appended": 1, "job_id": "job-1"}})

    delays: list[Backoff] = []

    def fast_backoff() -> Backoff:
        backoff = Backoff(initial=0.01, maximum=0.05)
        delays.append(backoff)
        return backoff

    def handler(ctx: JobContext) -> JobResults:
        ctx.progress("working", 50)
        return JobResults(markdown_content="done")

    worker = Worker(mock_client(server), "unit-1", handler, wait_seconds=0, backoff=fast_backoff)
    stats = worker.run(max_jobs=1, handle_signals=False)
    assert stats.completed == 1 and stats.claimed == 1
    assert calls.count("worker/claim") == 3
    assert "worker/jobs/job-1/progress" in calls and calls[-1] == "worker/jobs/job-1/complete"
    assert any(b.failures == 0 for b in delays)  # reset after the successful claim


def test_worker_stops_on_an_auth_error_and_raises_it() -> None:
    worker = Worker(
        mock_client(lambda request: error_response(401, "UNAUTHENTICATED")), "unit-2", lambda ctx: None, wait_seconds=0
    )
    with pytest.raises(AuthError):
        worker.run(handle_signals=False)


def test_iter_jobs_follows_next_cursor_until_it_is_null() -> None:
    seen: list[httpx.Request] = []
    at = "2026-01-01T10:00:00.000Z"

    def job(n: int) -> dict[str, Any]:
        return {"job_id": f"job-{n}", "status": "pending", "created_at": at, "updated_at": at, "parameters": {}}

    pages = {
        None: {"jobs": [job(1)], "next_cursor": "c1"},
        "c1": {"jobs": [job(2)], "next_cursor": "c2"},
        "c2": {"jobs": [job(3)], "next_cursor": None},
    }

    def serve(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        data = {**pages[request.url.params.get("cursor")], "total": 3, "total_exact": True, "limit": 1, "skip": 0}
        return httpx.Response(200, json={"status": "success", "data": data})

    jobs = list(mock_client(serve).iter_jobs(batch_id="batch-x", sort="job_name", page_size=1))
    assert [j.job_id for j in jobs] == ["job-1", "job-2", "job-3"]
    assert [r.url.params.get("cursor") for r in seen] == [None, "c1", "c2"]
    assert all(r.url.params.get("sort") == "job_name" and "skip" not in r.url.params for r in seen)


# ---- complete with claim_next -----------------------------------------------------------------------


def success(data: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json={"status": "success", "data": data})


def test_complete_with_claim_next_sends_the_claim_fields_and_parses_next() -> None:
    bodies: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = [
        {
            "job_id": "job-1",
            "status": "completed",
            "next": {"job": job_json(job_id="job-2"), "lease": {"token": "t2", "expires_at": NOW}},
        },
        {"job_id": "job-2", "status": "completed", "next": {"job": None}},
        {"job_id": "job-3", "status": "completed"},
    ]

    def serve(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return success(answers[len(bodies) - 1])

    client = mock_client(serve)
    first = client.complete("job-1", "t1", {"markdown_content": "a"}, claim_next=ClaimNext("w1", ["t"], lease_seconds=60))
    assert first.next is not None
    assert (first.next.job.job_id, first.next.lease.token, first.next.lease.expires_at.year) == ("job-2", "t2", 2026)
    assert bodies[0] == {
        "token": "t1",
        "results": {"markdown_content": "a"},
        "claim_next": {"worker_id": "w1", "job_types": ["t"], "lease_seconds": 60},
    }

    second = client.complete("job-2", "t2", claim_next=ClaimNext("w1"))
    assert second == CompleteResult(job_id="job-2", status="completed", next=None)
    assert bodies[1]["claim_next"] == {"worker_id": "w1"}  # no wait_seconds: the server refuses it there

    third = client.complete("job-3", "t3")
    assert third.next is None and "claim_next" not in bodies[2]


class JobQueue:
    """A fake server handing out `count` jobs through claim and through complete's claim_next."""

    def __init__(self, count: int, fail_first_complete: bool = False) -> None:
        self.pending = [f"job-{n}" for n in range(1, count + 1)]
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.completed: list[str] = []
        self.fail_first_complete = fail_first_complete
        self.lock = threading.Lock()

    def _take(self) -> dict[str, Any]:
        if not self.pending:
            return {"job": None}
        job_id = self.pending.pop(0)
        return {"job": job_json(job_id=job_id), "lease": {"token": f"tok-{job_id}", "expires_at": NOW}}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/event-job/")
        body = json.loads(request.content) if request.content else {}
        with self.lock:
            self.calls.append((path, body))
            if path == "worker/claim":
                return success(self._take())
            if path.endswith("/complete"):
                job_id = path.split("/")[2]
                assert body["token"] == f"tok-{job_id}"
                data: dict[str, Any] = {"job_id": job_id, "status": "completed"}
                if "claim_next" in body:
                    data["next"] = self._take()  # taken even when the answer is lost below
                if job_id not in self.completed:
                    self.completed.append(job_id)
                if self.fail_first_complete:
                    self.fail_first_complete = False
                    raise httpx.ReadError("connection reset after the server answered", request=request)
                return success(data)
            return success({"appended": 1, "job_id": "x"})

    def paths(self, suffix: str) -> list[dict[str, Any]]:
        return [body for path, body in self.calls if path.endswith(suffix)]


def fast_worker(queue: JobQueue, **kwargs: Any) -> Worker:
    return Worker(
        mock_client(queue),
        "unit-next",
        lambda ctx: JobResults(markdown_content=ctx.job.job_id),
        wait_seconds=0,
        backoff=lambda: Backoff(initial=0.01, maximum=0.05),
        **kwargs,
    )


def test_worker_takes_the_next_job_from_complete_instead_of_claiming() -> None:
    queue = JobQueue(5)
    stats = fast_worker(queue).run(exit_when_idle=True, handle_signals=False)
    assert (stats.claimed, stats.completed) == (5, 5)
    assert queue.completed == [f"job-{n}" for n in range(1, 6)]
    # One claim to start, one after complete's next came back empty (exit_when_idle then stops).
    assert len(queue.paths("worker/claim")) == 2
    assert all(body["claim_next"] == {"worker_id": "unit-next", "lease_seconds": 300} for body in queue.paths("/complete"))


def test_max_jobs_stays_exact_with_claim_next() -> None:
    queue = JobQueue(5)
    stats = fast_worker(queue).run(max_jobs=3, handle_signals=False)
    assert (stats.claimed, stats.completed) == (3, 3)
    completes = queue.paths("/complete")
    assert ["claim_next" in body for body in completes] == [True, True, False]  # the third may not take a fourth
    assert queue.pending == ["job-4", "job-5"] and len(queue.paths("worker/claim")) == 1


def test_a_complete_retried_after_a_network_error_does_not_claim_again() -> None:
    # The first complete's answer (with job-2 in it) is lost: job-2 stays with its lease on the
    # server. The retry only completes; the loop then claims normally and gets job-3.
    queue = JobQueue(3, fail_first_complete=True)
    stats = fast_worker(queue).run(exit_when_idle=True, handle_signals=False)
    completes = queue.paths("/complete")
    assert [("claim_next" in body, body["token"]) for body in completes[:2]] == [(True, "tok-job-1"), (False, "tok-job-1")]
    assert queue.completed == ["job-1", "job-3"] and queue.pending == []
    assert (stats.claimed, stats.completed) == (2, 2)
