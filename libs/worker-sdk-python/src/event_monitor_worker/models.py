"""Typed shapes of the REST API (`/api/event-job`), parsed from and serialised to its JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar, cast, get_args

JobStatus = Literal["pending", "processing", "completed", "failed"]
LogLevel = Literal["debug", "info", "warning", "error", "critical"]
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)

T = TypeVar("T")


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 string (the API's dates) to an aware datetime; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _required_datetime(value: Any) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError("missing date")
    return parsed


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class Progress:
    step: str
    percent: int
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none({"step": self.step, "percent": self.percent, "message": self.message})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Progress:
        return cls(step=str(data.get("step", "")), percent=int(data.get("percent", 0)), message=_opt_str(data.get("message")))


@dataclass(frozen=True, slots=True)
class LogEntry:
    level: LogLevel
    message: str
    timestamp: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"level": self.level, "message": self.message}
        if self.timestamp is not None:
            out["timestamp"] = self.timestamp.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LogEntry:
        level = str(data.get("level", "info"))
        return cls(
            level=cast(LogLevel, level if level in LOG_LEVELS else "info"),
            message=str(data.get("message", "")),
            timestamp=parse_datetime(data.get("timestamp")),
        )


@dataclass(frozen=True, slots=True)
class JobError:
    code: str
    message: str
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none({"code": self.code, "message": self.message, "details": self.details})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobError:
        details = data.get("details")
        return cls(
            code=str(data.get("code", "")),
            message=str(data.get("message", "")),
            details=dict(details) if isinstance(details, dict) else None,
        )


@dataclass(frozen=True, slots=True)
class JobResults:
    """What a worker hands back on completion; paths are relative to the files root."""

    markdown_file: str | None = None
    markdown_content: str | None = None
    assets: list[str] | None = None
    web_text: str | None = None
    video_transcript: str | None = None
    attachments_text: str | None = None
    context: dict[str, Any] | None = None
    attachments_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(
            {
                "markdown_file": self.markdown_file,
                "markdown_content": self.markdown_content,
                "assets": self.assets,
                "web_text": self.web_text,
                "video_transcript": self.video_transcript,
                "attachments_text": self.attachments_text,
                "context": self.context,
                "attachments_url": self.attachments_url,
            }
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobResults:
        assets = data.get("assets")
        context = data.get("context")
        return cls(
            markdown_file=_opt_str(data.get("markdown_file")),
            markdown_content=_opt_str(data.get("markdown_content")),
            assets=[str(a) for a in assets] if isinstance(assets, list) else None,
            web_text=_opt_str(data.get("web_text")),
            video_transcript=_opt_str(data.get("video_transcript")),
            attachments_text=_opt_str(data.get("attachments_text")),
            context=dict(context) if isinstance(context, dict) else None,
            attachments_url=_opt_str(data.get("attachments_url")),
        )


@dataclass(frozen=True, slots=True)
class JobParameters:
    """The 14 parameter keys the legacy Python worker reads."""

    event: str | None = None
    session: str | None = None
    url: str | None = None
    filename: str | None = None
    track: str | None = None
    day: str | None = None
    starttime: str | None = None
    endtime: str | None = None
    speakers: list[str] = field(default_factory=list)
    video_url: str | None = None
    attachments_url: str | None = None
    source_language: str = "en"
    target_language: str = "de"
    use_cache: bool = True

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(
            {
                "event": self.event,
                "session": self.session,
                "url": self.url,
                "filename": self.filename,
                "track": self.track,
                "day": self.day,
                "starttime": self.starttime,
                "endtime": self.endtime,
                "speakers": list(self.speakers),
                "video_url": self.video_url,
                "attachments_url": self.attachments_url,
                "source_language": self.source_language,
                "target_language": self.target_language,
                "use_cache": self.use_cache,
            }
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobParameters:
        speakers = data.get("speakers")
        return cls(
            event=_opt_str(data.get("event")),
            session=_opt_str(data.get("session")),
            url=_opt_str(data.get("url")),
            filename=_opt_str(data.get("filename")),
            track=_opt_str(data.get("track")),
            day=_opt_str(data.get("day")),
            starttime=_opt_str(data.get("starttime")),
            endtime=_opt_str(data.get("endtime")),
            speakers=[str(s) for s in speakers] if isinstance(speakers, list) else [],
            video_url=_opt_str(data.get("video_url")),
            attachments_url=_opt_str(data.get("attachments_url")),
            source_language=str(data.get("source_language") or "en"),
            target_language=str(data.get("target_language") or "de"),
            use_cache=bool(data.get("use_cache", True)),
        )


@dataclass(frozen=True, slots=True)
class NewJob:
    """A job to create (alone with `create_job`, or inside `create_batch`)."""

    parameters: JobParameters | Mapping[str, Any]
    job_type: str | None = None
    job_name: str | None = None
    priority: int | None = None
    max_attempts: int | None = None

    def to_dict(self) -> dict[str, Any]:
        params = self.parameters.to_dict() if isinstance(self.parameters, JobParameters) else dict(self.parameters)
        return _drop_none(
            {
                "job_type": self.job_type,
                "job_name": self.job_name,
                "priority": self.priority,
                "max_attempts": self.max_attempts,
                "parameters": params,
            }
        )


@dataclass(frozen=True, slots=True)
class LeaseInfo:
    """The lease as everyone sees it on a job (never the token)."""

    worker_id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Lease:
    """The lease a claim hands out: every later call for the job must present `token`."""

    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Job:
    job_id: str
    job_type: str
    job_name: str
    status: JobStatus
    parameters: JobParameters
    created_at: datetime
    updated_at: datetime
    archived: bool = False
    batch_id: str | None = None
    user_id: str | None = None
    progress: Progress | None = None
    logs: list[LogEntry] = field(default_factory=list)
    results: JobResults | None = None
    error: JobError | None = None
    processing_started_at: datetime | None = None
    completed_at: datetime | None = None
    priority: int = 0
    attempts: int = 0
    max_attempts: int = 3
    available_at: datetime | None = None
    lease: LeaseInfo | None = None
    batch_active: bool = True
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Job:
        progress = data.get("progress")
        results = data.get("results")
        error = data.get("error")
        lease = data.get("lease")
        logs = data.get("logs")
        if not isinstance(logs, list):
            logs = data.get("log_entries")
        return cls(
            job_id=str(data["job_id"]),
            job_type=str(data.get("job_type") or ""),
            job_name=str(data.get("job_name") or ""),
            status=cast(JobStatus, str(data.get("status", "pending"))),
            parameters=JobParameters.from_dict(data.get("parameters") or {}),
            created_at=_required_datetime(data.get("created_at")),
            updated_at=_required_datetime(data.get("updated_at") or data.get("created_at")),
            archived=bool(data.get("archived", False)),
            batch_id=_opt_str(data.get("batch_id")),
            user_id=_opt_str(data.get("user_id")),
            progress=Progress.from_dict(progress) if isinstance(progress, dict) else None,
            logs=[LogEntry.from_dict(e) for e in logs] if isinstance(logs, list) else [],
            results=JobResults.from_dict(results) if isinstance(results, dict) else None,
            error=JobError.from_dict(error) if isinstance(error, dict) else None,
            processing_started_at=parse_datetime(data.get("processing_started_at")),
            completed_at=parse_datetime(data.get("completed_at")),
            priority=int(data.get("priority") or 0),
            attempts=int(data.get("attempts") or 0),
            max_attempts=int(data.get("max_attempts") or 3),
            available_at=parse_datetime(data.get("available_at")),
            lease=(
                LeaseInfo(worker_id=str(lease.get("worker_id", "")), expires_at=_required_datetime(lease.get("expires_at")))
                if isinstance(lease, dict)
                else None
            ),
            batch_active=data.get("batch_active") is not False,
            raw=dict(data),
        )


@dataclass(frozen=True, slots=True)
class Batch:
    batch_id: str
    batch_name: str
    status: JobStatus
    created_at: datetime
    updated_at: datetime
    total_jobs: int = 0
    pending_jobs: int = 0
    processing_jobs: int = 0
    completed_jobs: int = 0
    failed_jobs: int = 0
    archived: bool = False
    is_active: bool = True
    completed_at: datetime | None = None
    user_id: str | None = None
    not_before: datetime | None = None
    deadline: datetime | None = None
    # 'on_track' | 'at_risk' | 'missed' | 'unknown' with a deadline, else None.
    deadline_risk: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Batch:
        return cls(
            batch_id=str(data["batch_id"]),
            batch_name=str(data.get("batch_name") or data["batch_id"]),
            status=cast(JobStatus, str(data.get("status", "pending"))),
            created_at=_required_datetime(data.get("created_at")),
            updated_at=_required_datetime(data.get("updated_at") or data.get("created_at")),
            total_jobs=int(data.get("total_jobs") or 0),
            pending_jobs=int(data.get("pending_jobs") or 0),
            processing_jobs=int(data.get("processing_jobs") or 0),
            completed_jobs=int(data.get("completed_jobs") or 0),
            failed_jobs=int(data.get("failed_jobs") or 0),
            archived=bool(data.get("archived", False)),
            is_active=data.get("isActive") is not False,
            completed_at=parse_datetime(data.get("completed_at")),
            user_id=_opt_str(data.get("user_id")),
            not_before=parse_datetime(data.get("not_before")),
            deadline=parse_datetime(data.get("deadline")),
            deadline_risk=_opt_str(data.get("deadline_risk")),
            raw=dict(data),
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """A claimed job and its lease."""

    job: Job
    lease: Lease

    @classmethod
    def from_answer(cls, data: Mapping[str, Any]) -> Claim | None:
        """The claim answer `{job, lease: {token, expires_at}}`, or None for `{job: null}`."""
        job = data.get("job")
        lease = data.get("lease")
        if not isinstance(job, dict) or not isinstance(lease, dict):
            return None
        return cls(
            job=Job.from_dict(job), lease=Lease(token=str(lease["token"]), expires_at=_required_datetime(lease.get("expires_at")))
        )


@dataclass(frozen=True, slots=True)
class ClaimNext:
    """What `complete(..., claim_next=...)` claims in the same call: the claim's fields without the wait."""

    worker_id: str
    job_types: Sequence[str] | None = None
    lease_seconds: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"worker_id": self.worker_id}
        if self.job_types:
            out["job_types"] = list(self.job_types)
        if self.lease_seconds is not None:
            out["lease_seconds"] = int(self.lease_seconds)
        return out


@dataclass(frozen=True, slots=True)
class CreatedBatch:
    batch: Batch
    job_ids: list[str]


@dataclass(frozen=True, slots=True)
class CompleteResult:
    """`next` is the job taken with `claim_next` (None when nothing was ready or none was asked for)."""

    job_id: str
    status: JobStatus
    next: Claim | None = None


@dataclass(frozen=True, slots=True)
class FailResult:
    """`status` is 'pending' when the job will be retried (claimable from `available_at`), else 'failed'."""

    job_id: str
    status: JobStatus
    attempts: int
    available_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChangeLanguageResult:
    updated: int
    restarted: int
    skipped: int


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: `total` counts everything matching the filters (up to the server's
    count cap when `total_exact` is False). Pass `next_cursor` as `cursor` for the next page;
    it is None on the last page."""

    items: list[T]
    total: int
    limit: int
    skip: int
    next_cursor: str | None = None
    total_exact: bool = True


# ---- notifications --------------------------------------------------------------------------

NotificationEvent = Literal["batch.finished", "batch.failure_rate", "batch.deadline_risk", "job.failed", "workers.missing"]
NOTIFICATION_EVENTS: tuple[str, ...] = get_args(NotificationEvent)
#: What a delivery may carry: the subscribable events and `test` (sent by `test_subscription`).
DeliveryEvent = Literal["batch.finished", "batch.failure_rate", "batch.deadline_risk", "job.failed", "workers.missing", "test"]
NotificationChannel = Literal["webhook", "email"]
#: pending: waiting for its next try; delivered: answered 2xx; failed: gave up after the last try.
DeliveryState = Literal["pending", "delivered", "failed"]


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True, slots=True)
class LastDelivery:
    """The newest delivery of a subscription, as its listing shows it."""

    at: datetime
    state: DeliveryState
    event: DeliveryEvent
    status_code: int | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    """A notification subscription: a webhook (or e-mail to its owner) for events of the owner's
    batches, or of one batch. The secret is never part of it (`secret_hint`: its last 4 characters)."""

    subscription_id: str
    name: str
    channel: NotificationChannel
    events: list[NotificationEvent]
    failure_rate_percent: int
    worker_silence_minutes: int
    enabled: bool
    owner_id: str
    created_at: datetime
    updated_at: datetime
    url: str | None = None
    email: str | None = None
    batch_id: str | None = None
    secret_hint: str | None = None
    last_delivery: LastDelivery | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Subscription:
        last = data.get("last_delivery")
        events = data.get("events")
        return cls(
            subscription_id=str(data["subscription_id"]),
            name=str(data.get("name") or ""),
            channel=cast(NotificationChannel, str(data.get("channel") or "webhook")),
            events=[cast(NotificationEvent, str(e)) for e in events] if isinstance(events, list) else [],
            failure_rate_percent=int(data.get("failure_rate_percent") or 0),
            worker_silence_minutes=int(data.get("worker_silence_minutes") or 0),
            enabled=data.get("enabled") is not False,
            owner_id=str(data.get("owner_id") or ""),
            created_at=_required_datetime(data.get("created_at")),
            updated_at=_required_datetime(data.get("updated_at") or data.get("created_at")),
            url=_opt_str(data.get("url")),
            email=_opt_str(data.get("email")),
            batch_id=_opt_str(data.get("batch_id")),
            secret_hint=_opt_str(data.get("secret_hint")),
            last_delivery=(
                LastDelivery(
                    at=_required_datetime(last.get("at")),
                    state=cast(DeliveryState, str(last.get("state") or "pending")),
                    event=cast(DeliveryEvent, str(last.get("event") or "")),
                    status_code=_opt_int(last.get("status_code")),
                )
                if isinstance(last, dict)
                else None
            ),
            raw=dict(data),
        )


@dataclass(frozen=True, slots=True)
class SubscriptionWithSecret:
    """The answer of `create_subscription` and `rotate_subscription_secret`, the only ones that
    carry the signing secret (`whsec_...`; None for e-mail). Keep it: it is never shown again."""

    subscription: Subscription
    secret: str | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SubscriptionWithSecret:
        return cls(subscription=Subscription.from_dict(data["subscription"]), secret=_opt_str(data.get("secret")))


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """One try of a delivery: the answer's status code, or the error when there was none."""

    at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event sent (or to be sent) to a subscription, with its tries."""

    delivery_id: str
    subscription_id: str
    event: DeliveryEvent
    summary: str
    state: DeliveryState
    created_at: datetime
    attempts: list[DeliveryAttempt] = field(default_factory=list)
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    batch_id: str | None = None
    job_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Delivery:
        attempts = data.get("attempts")
        return cls(
            delivery_id=str(data["delivery_id"]),
            subscription_id=str(data.get("subscription_id") or ""),
            event=cast(DeliveryEvent, str(data.get("event") or "")),
            summary=str(data.get("summary") or ""),
            state=cast(DeliveryState, str(data.get("state") or "pending")),
            created_at=_required_datetime(data.get("created_at")),
            attempts=[
                DeliveryAttempt(
                    at=_required_datetime(a.get("at")),
                    duration_ms=int(a.get("duration_ms") or 0),
                    status_code=_opt_int(a.get("status_code")),
                    error=_opt_str(a.get("error")),
                )
                for a in attempts
                if isinstance(a, dict)
            ]
            if isinstance(attempts, list)
            else [],
            next_attempt_at=parse_datetime(data.get("next_attempt_at")),
            delivered_at=parse_datetime(data.get("delivered_at")),
            batch_id=_opt_str(data.get("batch_id")),
            job_id=_opt_str(data.get("job_id")),
            raw=dict(data),
        )
