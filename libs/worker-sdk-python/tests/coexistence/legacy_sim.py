"""A simulator of the legacy Python side (Flask + MongoDB job workers), written from the
compatibility contract (shared/reference/legacy-system.md), writing with pymongo straight to the
database the app uses. It reproduces the legacy behaviour, including its faults: documents with
absent keys and an always-present `access_control`, the non-atomic claim (find up to 100 pending
newest first, then an unconditional `update_one`), the per-job recount of completed/failed only,
`archive_batch` and the `isActive` toggle on the batch document alone, `reset_stalled_jobs` with
its literal `{"$toString": ...}` and `update_jobs_status_by_batch`.

`scope` limits what the simulated worker polls to the given batches: the suite shares its server
with the SDK's tests, whose jobs the simulated legacy worker must not take. Nothing else deviates.
"""

from __future__ import annotations

import enum
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from pymongo.database import Database

PARAMETER_KEYS = (
    "event", "session", "url", "filename", "track", "day", "starttime", "endtime", "speakers",
    "video_url", "attachments_url", "source_language", "target_language", "use_cache",
)


def utcnow() -> datetime:
    # BSON dates hold milliseconds; the legacy code writes naive UTC datetimes.
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def access_control(user_id: str | None) -> dict[str, Any]:
    """`if self.access_control:` on a dataclass instance is always true: the key is always written."""
    listed = [user_id] if user_id else []
    return {"visibility": "private", "read_access": list(listed), "write_access": list(listed), "admin_access": list(listed)}


def parameters(event: str, session: str, track: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {key: None for key in PARAMETER_KEYS}
    values.update(event=event, session=session, track=track, speakers=[], source_language="en", target_language="de", use_cache=True)
    return values


class LegacyRepository:
    """The legacy repository's writes, one method per legacy function."""

    def __init__(self, db: Database[Any]) -> None:
        self.db = db
        self.jobs = db["event_jobs"]
        self.batches = db["event_batches"]

    # ---- creation (session_processor's batch path: no user) -------------------------------
    def create_batch(self, sessions: Iterable[str], *, job_type: str = "", event: str = "Legacy Conf", user_id: str | None = None) -> tuple[str, list[str]]:
        now = utcnow()
        batch_id = f"batch-{uuid.uuid4()}"
        names = list(sessions)
        batch: dict[str, Any] = {
            "batch_id": batch_id,
            "batch_name": batch_id,
            "status": "processing",
            "created_at": now,
            "updated_at": now,
            "access_control": access_control(user_id),
            "total_jobs": len(names),
            "completed_jobs": 0,
            "failed_jobs": 0,
            "pending_jobs": 0,
            "processing_jobs": 0,
            "archived": False,
            "isActive": True,
        }
        if user_id:
            batch["user_id"] = user_id
        self.batches.insert_one(batch)
        job_ids = []
        for index, session in enumerate(names):
            job_id = f"job-{uuid.uuid4()}"
            params = parameters(event, session, "Main")
            job: dict[str, Any] = {
                "job_id": job_id,
                "job_type": job_type,
                "status": "pending",
                "created_at": now + timedelta(milliseconds=index),
                "updated_at": now,
                "parameters": params,
                "archived": False,
                "access_control": access_control(user_id),
                "job_name": " - ".join(p for p in (params["event"], params["track"], params["session"]) if p),
                "batch_id": batch_id,
            }
            if user_id:
                job["user_id"] = user_id
            self.jobs.insert_one(job)
            job_ids.append(job_id)
        return batch_id, job_ids

    # ---- the worker manager -------------------------------------------------------------------
    def poll_pending(self, scope: Iterable[str] | None = None, limit: int = 100) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"status": "pending"}
        if scope is not None:
            query["batch_id"] = {"$in": list(scope)}
        return list(self.jobs.find(query).sort("created_at", -1).limit(limit))

    def take(self, job_id: str) -> None:
        """No status in the filter: a job another worker took (or finished) meanwhile is taken again."""
        now = utcnow()
        self.jobs.update_one(
            {"job_id": job_id},
            {"$set": {"status": "processing", "processing_started_at": now, "updated_at": now, "progress": {"step": "initializing", "percent": 0}}},
        )

    def complete(self, job_id: str, markdown: str) -> None:
        now = utcnow()
        results = {
            "markdown_file": f"sessions/Legacy Conf/de/{job_id}.md",
            "markdown_content": markdown,
            "assets": [],
            "web_text": "",
            "video_transcript": "",
            "attachments_text": None,
            "context": None,
            "attachments_url": None,
        }
        self.jobs.update_one(
            {"job_id": job_id},
            {"$set": {"status": "completed", "completed_at": now, "updated_at": now, "progress": {"step": "completed", "percent": 100}, "results": results}},
        )

    def fail(self, job_id: str, error: Exception, duration_ms: int) -> None:
        now = utcnow()
        self.jobs.update_one(
            {"job_id": job_id},
            {
                "$set": {
                    "status": "failed",
                    "updated_at": now,
                    "error": {"code": type(error).__name__, "message": str(error), "details": {"traceback": "Traceback (simulated)", "duration_ms": duration_ms}},
                }
            },
        )

    def recount(self, batch_id: str) -> None:
        """After each job: count queries, completed/failed set absolutely, 'completed' once all are done."""
        batch = self.batches.find_one({"batch_id": batch_id})
        if not batch:
            return
        completed = self.jobs.count_documents({"batch_id": batch_id, "status": "completed"})
        failed = self.jobs.count_documents({"batch_id": batch_id, "status": "failed"})
        update: dict[str, Any] = {"completed_jobs": completed, "failed_jobs": failed, "updated_at": utcnow()}
        if completed + failed >= batch.get("total_jobs", 0):
            update["status"] = "completed"
            update["completed_at"] = utcnow()
        self.batches.update_one({"batch_id": batch_id}, {"$set": update})

    # ---- other legacy writers -------------------------------------------------------------
    def archive_batch(self, batch_id: str, archived: bool = True) -> None:
        self.batches.update_one({"batch_id": batch_id}, {"$set": {"archived": archived, "updated_at": utcnow()}})

    def toggle_active(self, batch_id: str) -> bool:
        batch = self.batches.find_one({"batch_id": batch_id}) or {}
        active = not batch.get("isActive", True)
        self.batches.update_one({"batch_id": batch_id}, {"$set": {"isActive": active}})
        return active

    def reset_stalled_jobs(self, minutes: int = 10) -> int:
        """Fails every processing job older than the limit, whatever its lease (a non-pipeline $set)."""
        cutoff = utcnow() - timedelta(minutes=minutes)
        result = self.jobs.update_many(
            {"status": "processing", "processing_started_at": {"$lt": cutoff}},
            {
                "$set": {
                    "status": "failed",
                    "updated_at": utcnow(),
                    "error": {
                        "code": "PROCESSING_TIMEOUT",
                        "message": f"Job exceeded {minutes} minutes",
                        "details": {"processing_started_at": {"$toString": "$processing_started_at"}},
                    },
                }
            },
        )
        return result.modified_count

    def update_jobs_status_by_batch(self, batch_id: str, status: str) -> int:
        return self.jobs.update_many({"batch_id": batch_id}, {"$set": {"status": status, "updated_at": utcnow()}}).modified_count


class LegacyWorker:
    """The worker manager: poll, de-duplicate against its own threads only, take, process, recount."""

    def __init__(self, repo: LegacyRepository, scope: Iterable[str], *, threads: int = 3, work_seconds: float = 0.05, fail_every: int = 0) -> None:
        self.repo = repo
        self.scope = list(scope)
        self.threads = threads
        self.work_seconds = work_seconds
        self.fail_every = fail_every
        self.running: set[str] = set()
        self.runs = 0  # runs started; run n fails when fail_every divides n
        self.processed: list[str] = []  # job ids, one entry per run of a job
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def _run(self, job: Mapping[str, Any]) -> None:
        job_id = job["job_id"]
        started = time.monotonic()
        # Numbered when the run starts, under the lock: counting finished runs instead let parallel
        # threads read the same count, so a batch of 8 with fail_every=4 sometimes failed none.
        with self.lock:
            self.runs += 1
            n = self.runs
        try:
            self.repo.take(job_id)
            time.sleep(self.work_seconds)
            if self.fail_every and n % self.fail_every == 0:
                raise RuntimeError(f"simulated failure of {job_id}")
            self.repo.complete(job_id, f"# {job_id} by legacy")
        except RuntimeError as error:
            self.repo.fail(job_id, error, int((time.monotonic() - started) * 1000))
        finally:
            with self.lock:
                self.processed.append(job_id)
                self.running.discard(job_id)
            if job.get("batch_id"):
                self.repo.recount(job["batch_id"])

    def loop(self, poll_seconds: float = 0.05, deadline: float = 30.0) -> None:
        end = time.monotonic() + deadline
        workers: list[threading.Thread] = []
        while not self.stop.is_set() and time.monotonic() < end:
            pending = self.repo.poll_pending(self.scope)
            if not pending and not self.running:
                break
            for job in pending:
                with self.lock:
                    if job["job_id"] in self.running or len(self.running) >= self.threads:
                        continue
                    self.running.add(job["job_id"])
                thread = threading.Thread(target=self._run, args=(job,), daemon=True)
                thread.start()
                workers.append(thread)
            time.sleep(poll_seconds)
        for thread in workers:
            thread.join(timeout=10)


# ---- the legacy reader -------------------------------------------------------------------------

class JobStatus(enum.Enum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def read_job(doc: Mapping[str, Any]) -> None:
    """Parses a job as the legacy `Job.from_dict` does; raises where the legacy reader crashes."""
    JobStatus(doc["status"])
    assert isinstance(doc["created_at"], datetime)
    params = doc.get("parameters", {})
    for key in PARAMETER_KEYS:
        params.get(key)
    progress = doc.get("progress")
    if "progress" in doc:
        percent = progress.get("percent")  # type: ignore[union-attr]
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            raise ValueError(f"percent {percent!r}")
        progress.get("step")  # type: ignore[union-attr]
    if "error" in doc:
        doc["error"].get("code")
        doc["error"].get("message")
        doc["error"].get("details")
    if "results" in doc:
        for key in ("markdown_file", "markdown_content", "assets", "web_text", "video_transcript"):
            doc["results"].get(key)
    acl = doc.get("access_control", {})
    for key in ("visibility", "read_access", "write_access", "admin_access"):
        acl.get(key)
    for key in ("logs", "log_entries"):
        for line in doc.get(key, []) or []:
            if line.get("level") not in LOG_LEVELS:
                raise ValueError(f"log level {line.get('level')!r}")


def read_batch(doc: Mapping[str, Any]) -> None:
    JobStatus(doc["status"])
    acl = doc.get("access_control", {})
    if acl.get("visibility") not in (None, "private", "public"):
        raise ValueError(f"visibility {acl.get('visibility')!r}")
    for key in ("total_jobs", "completed_jobs", "failed_jobs"):
        int(doc.get(key, 0))
    doc.get("isActive", True)


def read_everything(db: Database[Any]) -> tuple[int, list[str]]:
    """Reads every job and batch like the legacy models; returns (documents read, errors)."""
    errors: list[str] = []
    count = 0
    for doc in db["event_jobs"].find({}):
        count += 1
        try:
            read_job(doc)
        except Exception as error:  # noqa: BLE001 - any exception is a legacy reader crash
            errors.append(f"job {doc.get('job_id')}: {type(error).__name__}: {error}")
    for doc in db["event_batches"].find({}):
        count += 1
        try:
            read_batch(doc)
        except Exception as error:  # noqa: BLE001
            errors.append(f"batch {doc.get('batch_id')}: {type(error).__name__}: {error}")
    return count, errors
