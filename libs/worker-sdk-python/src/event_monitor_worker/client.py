"""`EventMonitorClient`: the REST API under `/api/event-job`, one method per route."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import httpx

from ._version import __version__
from .backoff import Backoff
from .errors import (
    ApiError,
    AuthError,
    ConflictError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    StaleLeaseError,
    ValidationError,
)
from .models import (
    Batch,
    ChangeLanguageResult,
    Claim,
    ClaimNext,
    CompleteResult,
    CreatedBatch,
    Delivery,
    FailResult,
    Job,
    JobError,
    JobParameters,
    JobResults,
    JobStatus,
    LogEntry,
    LogLevel,
    NewJob,
    NotificationChannel,
    NotificationEvent,
    Page,
    Progress,
    Subscription,
    SubscriptionWithSecret,
    parse_datetime,
)
from .tracing import JobTraces, new_trace_id, otel_trace_id, trace_headers

T = TypeVar("T")

API_PREFIX = "/api/event-job"
#: The server caps `wait_seconds` at this.
MAX_WAIT_SECONDS = 30
#: The server accepts at most this many log lines per call.
MAX_LOG_ENTRIES_PER_CALL = 500
#: Creations are sent again this often after a network error or a 5xx (same idempotency key).
DEFAULT_CREATE_RETRIES = 3


def _error_for(status: int, code: str, message: str, details: Mapping[str, Any] | None, lease_call: bool) -> ApiError:
    if status == 400:
        return ValidationError(status, code, message, details)
    if status in (401, 403):
        return AuthError(status, code, message, details)
    if status == 404:
        return NotFoundError(status, code, message, details)
    if status == 409:
        cls = StaleLeaseError if lease_call else ConflictError
        return cls(status, code, message, details)
    if status == 429:
        return RateLimitedError(status, code, message, details)
    if status >= 500:
        return ServerError(status, code, message, details)
    return ApiError(status, code, message, details)


def _page(data: Mapping[str, Any], items: list[T], limit: int) -> Page[T]:
    next_cursor = data.get("next_cursor")
    return Page(
        items=items,
        total=int(data.get("total", 0)),
        limit=int(data.get("limit", limit)),
        skip=int(data.get("skip", 0)),
        next_cursor=next_cursor if isinstance(next_cursor, str) else None,
        total_exact=data.get("total_exact") is not False,
    )


def _job_input(job: NewJob | Mapping[str, Any]) -> dict[str, Any]:
    return job.to_dict() if isinstance(job, NewJob) else dict(job)


def _results_input(results: JobResults | Mapping[str, Any] | None) -> dict[str, Any]:
    if results is None:
        return {}
    if isinstance(results, JobResults):
        return results.to_dict()
    return {key: value for key, value in results.items() if value is not None}


class EventMonitorClient:
    """A synchronous client for the Event Monitor REST API.

    `token` is an API token (Bearer); worker calls need the `worker` scope, reads `read`, changes
    `write`. Errors raise `ApiError` subclasses (`AuthError`, `NotFoundError`, `StaleLeaseError`,
    ...) or `NetworkError`. The client is thread-safe; close it (or use `with`) when done.

    Every creation (`create_batch`, `create_job`) carries an `Idempotency-Key` (a uuid4 per call,
    or the one you pass) and is sent again with the same key after a network error or a 5xx, up to
    `create_retries` times: the server answers a repeated key with the first answer, so a lost
    answer never creates twice.

    Requests carry a W3C `traceparent`: the active OpenTelemetry span's context when there is one
    (`opentelemetry-api` installed), otherwise one trace per claimed job, shared by the claim and
    the job's heartbeats, progress, logs and complete/fail (module `tracing`).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        timeout: float = 30.0,
        *,
        transport: httpx.BaseTransport | None = None,
        user_agent: str | None = None,
        create_retries: int = DEFAULT_CREATE_RETRIES,
    ) -> None:
        if not base_url:
            raise ValueError("base_url is required (e.g. http://localhost:3000)")
        if not token:
            raise ValueError("token is required (an API token; workers need the 'worker' scope)")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._token = token
        self._transport = transport
        self._user_agent = user_agent or f"event-monitor-worker/{__version__}"
        self.create_retries = max(0, int(create_retries))
        #: the trace id of each job being worked on, shared with clones (a worker claims on a clone)
        self._traces = JobTraces()
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": self._user_agent,
            },
            timeout=timeout,
            transport=transport,
        )

    # ---- lifecycle ----------------------------------------------------------------------------

    def clone(self) -> EventMonitorClient:
        """A new client with the same settings and its own connections."""
        copy = EventMonitorClient(
            self.base_url,
            self._token,
            self.timeout,
            transport=self._transport,
            user_agent=self._user_agent,
            create_retries=self.create_retries,
        )
        copy._traces = self._traces
        return copy

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> EventMonitorClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- transport ----------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        lease_call: bool = False,
        headers: Mapping[str, str] | None = None,
        trace_id: str | None = None,
    ) -> httpx.Response:
        query = {k: ("true" if v is True else "false" if v is False else v) for k, v in (params or {}).items() if v is not None}
        try:
            response = self._http.request(
                method,
                path,
                json=dict(body) if body is not None else None,
                params=query or None,
                timeout=timeout if timeout is not None else self.timeout,
                headers={**trace_headers(trace_id), **(headers or {})} or None,
            )
        except httpx.TransportError as error:
            raise NetworkError(f"{method} {API_PREFIX}/{path}: {error.__class__.__name__}: {error}", error) from error
        if response.status_code >= 400:
            self._raise(response, lease_call)
        return response

    @staticmethod
    def _raise(response: httpx.Response, lease_call: bool) -> None:
        code = "HTTP_ERROR"
        message = response.reason_phrase or "error"
        details: Mapping[str, Any] | None = None
        try:
            payload = response.json()
        except (json.JSONDecodeError, ValueError):
            payload = None
        if isinstance(payload, dict):
            code = str(payload.get("code") or code)
            message = str(payload.get("message") or message)
            raw_details = payload.get("details")
            details = raw_details if isinstance(raw_details, dict) else None
        raise _error_for(response.status_code, code, message, details, lease_call)

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        lease_call: bool = False,
        headers: Mapping[str, str] | None = None,
        trace_id: str | None = None,
    ) -> dict[str, Any]:
        """Sends a request and returns the envelope's `data`."""
        response = self._send(
            method, path, body=body, params=params, timeout=timeout, lease_call=lease_call, headers=headers, trace_id=trace_id
        )
        try:
            payload = response.json()
        except (json.JSONDecodeError, ValueError) as error:
            raise ApiError(response.status_code, "BAD_RESPONSE", f"not JSON: {response.text[:200]!r}") from error
        if not isinstance(payload, dict) or payload.get("status") != "success":
            raise ApiError(response.status_code, "BAD_RESPONSE", f"unexpected envelope: {str(payload)[:200]}")
        data = payload.get("data")
        return data if isinstance(data, dict) else {}

    def _create(self, path: str, body: Mapping[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        """A creation: one idempotency key for the logical call, reused on each retry after a
        network error or a 5xx (the first answer comes back instead of a second object)."""
        key = idempotency_key or str(uuid.uuid4())
        backoff = Backoff(initial=0.2, maximum=5.0)
        attempt = 0
        while True:
            try:
                return self._call("POST", path, body=body, headers={"Idempotency-Key": key})
            except (NetworkError, ServerError):
                attempt += 1
                if attempt > self.create_retries:
                    raise
                time.sleep(backoff.delay())

    @staticmethod
    def _seg(value: str) -> str:
        return quote(value, safe="")

    # ---- worker protocol (token needs the `worker` scope) ------------------------------------

    def claim(
        self,
        worker_id: str,
        job_types: Sequence[str] | None = None,
        lease_seconds: int | None = None,
        wait_seconds: int = 0,
    ) -> Claim | None:
        """Takes the next claimable job with a lease, or returns None. `wait_seconds` (0..30)
        long-polls: the server holds the request until a job is ready or the wait is over."""
        wait = max(0, min(int(wait_seconds), MAX_WAIT_SECONDS))
        body: dict[str, Any] = {"worker_id": worker_id, "wait_seconds": wait}
        if job_types:
            body["job_types"] = list(job_types)
        if lease_seconds is not None:
            body["lease_seconds"] = int(lease_seconds)
        # The job's trace starts with the claim that takes it (the span's trace inside a span).
        trace_id = otel_trace_id() or new_trace_id()
        claim = Claim.from_answer(self._call("POST", "worker/claim", body=body, timeout=self.timeout + wait, trace_id=trace_id))
        if claim is not None:
            self._traces.bind(claim.job.job_id, trace_id)
        return claim

    def heartbeat(self, job_id: str, token: str, lease_seconds: int | None = None) -> datetime:
        """Extends the lease; returns the new `expires_at`."""
        body: dict[str, Any] = {"token": token}
        if lease_seconds is not None:
            body["lease_seconds"] = int(lease_seconds)
        data = self._call(
            "POST", f"worker/jobs/{self._seg(job_id)}/heartbeat", body=body, lease_call=True, trace_id=self._traces.of(job_id)
        )
        expires = parse_datetime(data.get("expires_at"))
        assert expires is not None
        return expires

    def report_progress(
        self, job_id: str, token: str, progress: Progress | str, percent: int | None = None, message: str | None = None
    ) -> None:
        """`report_progress(job, token, Progress(...))` or `report_progress(job, token, step, percent, message)`."""
        if isinstance(progress, str):
            progress = Progress(step=progress, percent=int(percent or 0), message=message)
        self._call(
            "POST",
            f"worker/jobs/{self._seg(job_id)}/progress",
            body={"token": token, "progress": progress.to_dict()},
            lease_call=True,
            trace_id=self._traces.of(job_id),
        )

    def append_logs(self, job_id: str, token: str, entries: Iterable[LogEntry | Mapping[str, Any]]) -> int:
        """Appends log lines (sent in chunks of 500); returns how many were appended."""
        lines = [e.to_dict() if isinstance(e, LogEntry) else dict(e) for e in entries]
        appended = 0
        for start in range(0, len(lines), MAX_LOG_ENTRIES_PER_CALL):
            data = self._call(
                "POST",
                f"worker/jobs/{self._seg(job_id)}/logs",
                body={"token": token, "entries": lines[start : start + MAX_LOG_ENTRIES_PER_CALL]},
                lease_call=True,
                trace_id=self._traces.of(job_id),
            )
            appended += int(data.get("appended", 0))
        return appended

    def complete(
        self,
        job_id: str,
        token: str,
        results: JobResults | Mapping[str, Any] | None = None,
        *,
        claim_next: ClaimNext | None = None,
    ) -> CompleteResult:
        """Completes the job. With `claim_next` the same call also claims the next job (no wait):
        `CompleteResult.next` is that claim, or None when nothing was ready."""
        body: dict[str, Any] = {"token": token, "results": _results_input(results)}
        if claim_next is not None:
            body["claim_next"] = claim_next.to_dict()
        data = self._call(
            "POST", f"worker/jobs/{self._seg(job_id)}/complete", body=body, lease_call=True, trace_id=self._traces.of(job_id)
        )
        self._traces.forget(job_id)
        next_claim = Claim.from_answer(data["next"]) if isinstance(data.get("next"), dict) else None
        if next_claim is not None:
            # Taken inside this job's request, but a job of its own: it gets its own trace.
            self._traces.bind(next_claim.job.job_id, otel_trace_id() or new_trace_id())
        return CompleteResult(job_id=str(data.get("job_id", job_id)), status=data.get("status", "completed"), next=next_claim)

    def fail(self, job_id: str, token: str, error: JobError | Mapping[str, Any], retryable: bool = False) -> FailResult:
        """Fails the job; with `retryable=True` it goes back to pending after a backoff while attempts remain."""
        payload = error.to_dict() if isinstance(error, JobError) else dict(error)
        data = self._call(
            "POST",
            f"worker/jobs/{self._seg(job_id)}/fail",
            body={"token": token, "error": payload, "retryable": retryable},
            lease_call=True,
            trace_id=self._traces.of(job_id),
        )
        self._traces.forget(job_id)
        return FailResult(
            job_id=str(data.get("job_id", job_id)),
            status=data.get("status", "failed"),
            attempts=int(data.get("attempts", 0)),
            available_at=parse_datetime(data.get("available_at")),
        )

    # ---- batches ----------------------------------------------------------------------------

    def list_batches(
        self,
        *,
        archived: bool = False,
        status: JobStatus | None = None,
        search: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
        skip: int | None = None,
    ) -> Page[Batch]:
        """One page of batches, newest first. `cursor` is the `next_cursor` of the previous page;
        `skip` is the old offset paging (slow deep in a list, not together with `cursor`)."""
        data = self._call(
            "GET",
            "batches",
            params={"archived": archived, "status": status, "search": search, "limit": limit, "cursor": cursor, "skip": skip},
        )
        return _page(data, [Batch.from_dict(b) for b in data.get("batches", [])], limit)

    def iter_batches(
        self,
        *,
        archived: bool = False,
        status: JobStatus | None = None,
        search: str | None = None,
        page_size: int = 100,
    ) -> Iterator[Batch]:
        """Every matching batch, newest first, fetched page by page as you iterate."""
        cursor: str | None = None
        while True:
            page = self.list_batches(archived=archived, status=status, search=search, limit=page_size, cursor=cursor)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def create_batch(
        self,
        jobs: Sequence[NewJob | Mapping[str, Any]],
        *,
        batch_name: str | None = None,
        batch_id: str | None = None,
        visibility: Literal["private", "public"] | None = None,
        read_access: Sequence[str] | None = None,
        write_access: Sequence[str] | None = None,
        admin_access: Sequence[str] | None = None,
        not_before: datetime | None = None,
        deadline: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> CreatedBatch:
        """Creates a batch with its jobs. Safe to retry: see the class doc (`idempotency_key`
        defaults to a new uuid4 per call; pass your own to make retries across processes safe).
        `not_before`: no job is handed out before it; `deadline`: when it should be done (both
        timezone-aware; a naive datetime is refused)."""
        body: dict[str, Any] = {"jobs": [_job_input(j) for j in jobs]}
        for key, when in (("not_before", not_before), ("deadline", deadline)):
            if when is not None:
                body[key] = _aware_iso(key, when)
        for key, value in (
            ("batch_name", batch_name),
            ("batch_id", batch_id),
            ("visibility", visibility),
            ("read_access", read_access),
            ("write_access", write_access),
            ("admin_access", admin_access),
        ):
            if value is not None:
                body[key] = list(value) if isinstance(value, (list, tuple)) else value
        data = self._create("batches", body, idempotency_key)
        return CreatedBatch(batch=Batch.from_dict(data["batch"]), job_ids=[str(j) for j in data.get("job_ids", [])])

    def schedule_batch(
        self,
        batch_id: str,
        *,
        not_before: datetime | None | Literal[False] = False,
        deadline: datetime | None | Literal[False] = False,
    ) -> Batch:
        """Sets (a timezone-aware datetime) or removes (None) a batch's start time and deadline;
        False (the default) leaves one as it is. Jobs already taken keep running."""
        body: dict[str, Any] = {}
        for key, when in (("not_before", not_before), ("deadline", deadline)):
            if when is None:
                body[key] = None
            elif when is not False:
                body[key] = _aware_iso(key, when)
        return Batch.from_dict(self._call("POST", f"batches/{self._seg(batch_id)}/update", body=body)["batch"])

    def get_batch(self, batch_id: str) -> Batch:
        return Batch.from_dict(self._call("GET", f"batches/{self._seg(batch_id)}")["batch"])

    def delete_batch(self, batch_id: str) -> int:
        """Deletes the batch and its jobs; returns how many jobs were deleted."""
        return int(self._call("DELETE", f"batches/{self._seg(batch_id)}").get("deleted_jobs", 0))

    def archive_batch(self, batch_id: str) -> Batch:
        return Batch.from_dict(self._call("POST", f"batches/{self._seg(batch_id)}/archive")["batch"])

    def unarchive_batch(self, batch_id: str) -> Batch:
        return Batch.from_dict(self._call("POST", f"batches/{self._seg(batch_id)}/unarchive")["batch"])

    def toggle_batch_active(self, batch_id: str, active: bool | None = None) -> Batch:
        """Sets `isActive` (inactive batches are not claimed); without `active` it toggles."""
        body = {"active": active} if active is not None else None
        return Batch.from_dict(self._call("POST", f"batches/{self._seg(batch_id)}/toggle-active", body=body)["batch"])

    def restart_batch(self, batch_id: str, scope: Literal["failed", "all"] = "failed") -> int:
        """Puts the batch's failed (or all) jobs back to pending; returns how many."""
        data = self._call("POST", f"batches/{self._seg(batch_id)}/restart", body={"scope": scope})
        return int(data.get("restarted", 0))

    def change_batch_language(self, batch_id: str, target_language: str, reset_to_pending: bool = False) -> ChangeLanguageResult:
        data = self._call(
            "POST",
            f"batches/{self._seg(batch_id)}/change-language",
            body={"target_language": target_language, "reset_to_pending": reset_to_pending},
        )
        return ChangeLanguageResult(
            updated=int(data.get("updated", 0)), restarted=int(data.get("restarted", 0)), skipped=int(data.get("skipped", 0))
        )

    def fail_all_batches(self, reason: str | None = None) -> dict[str, int]:
        """Fails every pending/processing job of the batches this token may change; returns counts."""
        data = self._call("POST", "batches/fail-all", body={"reason": reason} if reason else None)
        return {"batches": int(data.get("batches", 0)), "jobs": int(data.get("jobs", 0))}

    def batch_stats(self) -> dict[str, Any]:
        return self._call("GET", "batches/stats")

    # ---- jobs -------------------------------------------------------------------------------

    def list_jobs(
        self,
        *,
        batch_id: str | None = None,
        status: JobStatus | None = None,
        search: str | None = None,
        sort: str | None = None,
        direction: Literal["asc", "desc"] | None = None,
        limit: int = 50,
        cursor: str | None = None,
        skip: int | None = None,
    ) -> Page[Job]:
        """Jobs as list items (parameters in part, no logs or results: use `get_job` for those).
        `cursor` is the `next_cursor` of the previous page with the same sort; `skip` is the old
        offset paging (not together with `cursor`)."""
        data = self._call(
            "GET",
            "jobs",
            params={
                "batch_id": batch_id,
                "status": status,
                "search": search,
                "sort": sort,
                "direction": direction,
                "limit": limit,
                "cursor": cursor,
                "skip": skip,
            },
        )
        return _page(data, [Job.from_dict(j) for j in data.get("jobs", [])], limit)

    def iter_jobs(
        self,
        *,
        batch_id: str | None = None,
        status: JobStatus | None = None,
        search: str | None = None,
        sort: str | None = None,
        direction: Literal["asc", "desc"] | None = None,
        page_size: int = 200,
    ) -> Iterator[Job]:
        """Every matching job in the given order, fetched page by page as you iterate. Rows added
        while iterating are never yielded twice."""
        cursor: str | None = None
        while True:
            page = self.list_jobs(
                batch_id=batch_id, status=status, search=search, sort=sort, direction=direction, limit=page_size, cursor=cursor
            )
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def create_job(
        self,
        parameters: JobParameters | Mapping[str, Any],
        *,
        batch_id: str | None = None,
        job_type: str | None = None,
        job_name: str | None = None,
        priority: int | None = None,
        max_attempts: int | None = None,
        idempotency_key: str | None = None,
    ) -> Job:
        body = NewJob(parameters, job_type=job_type, job_name=job_name, priority=priority, max_attempts=max_attempts).to_dict()
        if batch_id is not None:
            body["batch_id"] = batch_id
        return Job.from_dict(self._create("jobs", body, idempotency_key)["job"])

    def get_job(self, job_id: str) -> Job:
        return Job.from_dict(self._call("GET", f"jobs/{self._seg(job_id)}")["job"])

    def delete_job(self, job_id: str) -> None:
        self._call("DELETE", f"jobs/{self._seg(job_id)}")

    def restart_job(self, job_id: str, *, bypass_cache: bool | None = None, target_language: str | None = None) -> Job:
        body = {k: v for k, v in (("bypass_cache", bypass_cache), ("target_language", target_language)) if v is not None}
        return Job.from_dict(self._call("POST", f"jobs/{self._seg(job_id)}/restart", body=body)["job"])

    def cancel_job(self, job_id: str, reason: str | None = None) -> Job:
        body = {"reason": reason} if reason else None
        return Job.from_dict(self._call("POST", f"jobs/{self._seg(job_id)}/cancel", body=body)["job"])

    def get_job_logs(self, job_id: str, *, level: LogLevel | None = None, limit: int | None = None) -> list[LogEntry]:
        data = self._call("GET", f"jobs/{self._seg(job_id)}/logs", params={"level": level, "limit": limit})
        return [LogEntry.from_dict(e) for e in data.get("logs", [])]

    # ---- flow control per job type (changes: admins) --------------------------------------

    def job_type_flow(self) -> list[dict[str, Any]]:
        """Paused and limited job types, with the slots they hold now (`processing`)."""
        data = self._call("GET", "job-types/flow")
        return [t for t in data.get("job_types", []) if isinstance(t, dict)]

    def set_job_type_limits(
        self,
        job_type: str,
        *,
        max_concurrent: int | None | Literal["keep"] = "keep",
        rate_per_minute: int | None | Literal["keep"] = "keep",
    ) -> dict[str, Any]:
        """Sets the limits of a job type (admins); None removes a limit, "keep" leaves it as it is."""
        body: dict[str, Any] = {"job_type": job_type}
        if max_concurrent != "keep":
            body["max_concurrent"] = max_concurrent
        if rate_per_minute != "keep":
            body["rate_per_minute"] = rate_per_minute
        return self._call("POST", "job-types/limits", body=body)

    def pause_job_type(self, job_type: str, resume_at: datetime | None = None) -> dict[str, Any]:
        """Stops handing out jobs of a type (admins), until `resume_at` when given (timezone-aware)."""
        body: dict[str, Any] = {"job_type": job_type}
        if resume_at is not None:
            body["resume_at"] = resume_at.isoformat()
        return self._call("POST", "job-types/pause", body=body)

    def resume_job_type(self, job_type: str) -> dict[str, Any]:
        return self._call("POST", "job-types/resume", body={"job_type": job_type})

    # ---- notifications (token needs `write` to change, `read` to list) ----------------------

    def create_subscription(
        self,
        name: str,
        url: str | None,
        events: Sequence[NotificationEvent],
        batch_id: str | None = None,
        failure_rate_percent: int | None = None,
        worker_silence_minutes: int | None = None,
        *,
        enabled: bool | None = None,
        channel: NotificationChannel | None = None,
    ) -> SubscriptionWithSecret:
        """Subscribes a webhook (`url`) to `events` of every batch the token's user may read, or of
        `batch_id` only. The answer's `secret` (`whsec_...`) verifies the payloads (`verify_webhook`)
        and is never shown again. `channel="email"` (url None) mails the user's own address when the
        server has SMTP. Not retried: a lost answer would leave a subscription whose secret nobody has."""
        body: dict[str, Any] = {"name": name, "events": list(events)}
        for key, value in (
            ("url", url),
            ("channel", channel),
            ("batch_id", batch_id),
            ("failure_rate_percent", failure_rate_percent),
            ("worker_silence_minutes", worker_silence_minutes),
            ("enabled", enabled),
        ):
            if value is not None:
                body[key] = value
        return SubscriptionWithSecret.from_dict(self._call("POST", "notifications", body=body))

    def list_subscriptions(self, batch_id: str | None = None) -> list[Subscription]:
        """The token's user's subscriptions (with `batch_id`: those of that batch only)."""
        data = self._call("GET", "notifications", params={"batch_id": batch_id})
        return [Subscription.from_dict(s) for s in data.get("subscriptions", []) if isinstance(s, dict)]

    def update_subscription(
        self,
        subscription_id: str,
        *,
        name: str | None = None,
        url: str | None = None,
        events: Sequence[NotificationEvent] | None = None,
        failure_rate_percent: int | None = None,
        worker_silence_minutes: int | None = None,
        enabled: bool | None = None,
    ) -> Subscription:
        """Changes a subscription; a field left None keeps its value."""
        body: dict[str, Any] = {}
        for key, value in (
            ("name", name),
            ("url", url),
            ("events", list(events) if events is not None else None),
            ("failure_rate_percent", failure_rate_percent),
            ("worker_silence_minutes", worker_silence_minutes),
            ("enabled", enabled),
        ):
            if value is not None:
                body[key] = value
        return Subscription.from_dict(self._call("POST", f"notifications/{self._seg(subscription_id)}/update", body=body))

    def delete_subscription(self, subscription_id: str) -> None:
        """Deletes the subscription and its delivery log."""
        self._call("DELETE", f"notifications/{self._seg(subscription_id)}")

    def rotate_subscription_secret(self, subscription_id: str) -> SubscriptionWithSecret:
        """A new signing secret (in the answer, shown once); the old one stops signing at once."""
        return SubscriptionWithSecret.from_dict(self._call("POST", f"notifications/{self._seg(subscription_id)}/rotate-secret"))

    def test_subscription(self, subscription_id: str) -> Delivery:
        """Sends a `test` event now (one try, made during the request) and returns that delivery:
        `state` 'delivered' when the receiver answered 2xx, else 'failed' with the try's status or error."""
        return Delivery.from_dict(self._call("POST", f"notifications/{self._seg(subscription_id)}/test"))

    def list_deliveries(self, subscription_id: str, limit: int = 20) -> list[Delivery]:
        """The subscription's delivery log, newest first (`limit` 1..100)."""
        data = self._call("GET", f"notifications/{self._seg(subscription_id)}/deliveries", params={"limit": limit})
        return [Delivery.from_dict(d) for d in data.get("deliveries", []) if isinstance(d, dict)]

    # ---- files ------------------------------------------------------------------------------

    def get_file(self, path: str) -> bytes:
        """A result file by its path relative to the files root (e.g. a job's `results.markdown_file`)."""
        return self._send("GET", self.file_path(path)).content

    @classmethod
    def file_path(cls, path: str) -> str:
        """The request path of a file (each segment percent-encoded), relative to the API prefix."""
        return "files/" + "/".join(cls._seg(part) for part in path.strip("/").split("/"))

    def openapi(self) -> dict[str, Any]:
        """The server's OpenAPI 3.1 document."""
        payload = self._send("GET", "openapi.json").json()
        return payload if isinstance(payload, dict) else {}


def _aware_iso(field: str, when: datetime) -> str:
    """An ISO 8601 string with offset (the server refuses dates without one)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware (e.g. datetime.now(timezone.utc))")
    return when.isoformat()
