"""The `Worker` loop: long-poll claim, run a handler, heartbeat, progress and logs, complete or fail."""

from __future__ import annotations

import logging
import signal
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from .backoff import Backoff
from .client import EventMonitorClient
from .errors import (
    LeaseLostError,
    RetryableError,
    StaleLeaseError,
    WorkerShutdown,
    is_transient,
)
from .models import (
    LOG_LEVELS,
    Claim,
    ClaimNext,
    CompleteResult,
    FailResult,
    Job,
    JobError,
    JobResults,
    LogEntry,
    LogLevel,
    Progress,
)

logger = logging.getLogger("event_monitor_worker")

HandlerResult = JobResults | Mapping[str, Any] | None
#: A handler gets the job's context and returns its results (or raises).
Handler = Callable[["JobContext"], HandlerResult]

SHUTDOWN_CODE = "WORKER_SHUTDOWN"
_MAX_TRACEBACK_CHARS = 16_000
_MAX_MESSAGE_CHARS = 4_000
#: The server keeps a job's log lines within 4 KiB of UTF-8 each (a job document stays under 16 MiB).
_MAX_LOG_MESSAGE_BYTES = 4_096
_MAX_BUFFERED_LOGS = 5_000
_PY_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}


@dataclass
class WorkerStats:
    """What a `Worker.run()` did."""

    claimed: int = 0
    completed: int = 0
    failed: int = 0
    #: failed as retryable (back to pending on the server while attempts remain)
    retried: int = 0
    #: handed back on shutdown (failed as retryable with code WORKER_SHUTDOWN)
    released: int = 0
    #: dropped because the lease was lost (restarted, cancelled, expired, taken over)
    lost: int = 0

    @property
    def finished(self) -> int:
        return self.completed + self.failed + self.retried + self.released + self.lost


class JobContext:
    """What a handler gets: the job, progress and log reporting, the files root, and stop signals.

    `log()` is buffered and sent in batches (every `log_flush_interval` seconds, when the buffer
    is full, and before the job completes or fails); `progress()` is sent at once.
    Long-running handlers should call `sleep()` or `check()` now and then: they raise
    `WorkerShutdown` when the worker is stopping and `LeaseLostError` when the job was taken away.
    """

    def __init__(self, run: _JobRun) -> None:
        self._run = run

    @property
    def job(self) -> Job:
        return self._run.claim.job

    @property
    def lease_token(self) -> str:
        return self._run.claim.lease.token

    @property
    def worker_id(self) -> str:
        return self._run.worker.worker_id

    @property
    def files_root(self) -> Path | None:
        """Where result files go (EVENT_FILES_DIR of the server); results name paths relative to it."""
        return self._run.worker.files_root

    @property
    def stopping(self) -> bool:
        """True once the worker was asked to stop (SIGTERM/SIGINT or `Worker.stop()`)."""
        return self._run.worker.stopping

    @property
    def lease_lost(self) -> bool:
        return self._run.lost.is_set()

    def check(self) -> None:
        """Raises `LeaseLostError` / `WorkerShutdown` when the job should not go on."""
        if self._run.lost.is_set():
            raise LeaseLostError(f"the lease on {self.job.job_id} was lost")
        if self._run.worker.stopping or self._run.is_finished:
            raise WorkerShutdown("the worker is stopping")

    def sleep(self, seconds: float) -> None:
        """Sleeps, but wakes up and raises at once when the worker stops or the lease is lost."""
        self.check()
        if self._run.interrupt.wait(max(0.0, seconds)):
            self.check()

    def progress(self, step: str, percent: float, message: str | None = None) -> None:
        """Reports the current step and percent (clamped to an integer 0..100) right away."""
        self._run.report_progress(Progress(step=step, percent=max(0, min(100, int(round(percent)))), message=message))

    def log(self, level: LogLevel, message: str) -> None:
        """Adds a log line to the job (buffered) and to the local `event_monitor_worker` logger."""
        self._run.log(level, message)

    def debug(self, message: str) -> None:
        self.log("debug", message)

    def info(self, message: str) -> None:
        self.log("info", message)

    def warning(self, message: str) -> None:
        self.log("warning", message)

    def error(self, message: str) -> None:
        self.log("error", message)

    def flush_logs(self) -> None:
        """Sends the buffered log lines now."""
        self._run.flush_logs()


class _JobRun:
    """One claimed job: its background heartbeat/log thread and the complete-or-fail-once step."""

    def __init__(self, worker: Worker, claim: Claim) -> None:
        self.worker = worker
        self.claim = claim
        self.job_id = claim.job.job_id
        self.token = claim.lease.token
        self.lost = threading.Event()
        #: set on stop, on lease loss and when finished: wakes `JobContext.sleep`
        self.interrupt = threading.Event()
        self._done = threading.Event()
        self._finish_lock = threading.Lock()
        self._finished = False
        self._buffer: list[LogEntry] = []
        self._buffer_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._thread = threading.Thread(target=self._background, name=f"lease-{self.job_id}", daemon=True)

    @property
    def client(self) -> EventMonitorClient:
        return self.worker.client

    @property
    def is_finished(self) -> bool:
        return self._finished

    def start(self) -> None:
        self._thread.start()

    def _lose(self, why: str) -> None:
        if not self.lost.is_set():
            logger.warning("job %s: lease lost (%s); dropping the job", self.job_id, why)
        self.lost.set()
        self.interrupt.set()

    # -- progress and logs ----------------------------------------------------------------------

    def report_progress(self, progress: Progress) -> None:
        if self.lost.is_set():
            raise LeaseLostError(f"the lease on {self.job_id} was lost")
        if self._finished:
            return
        logger.debug("job %s: %s %d%% %s", self.job_id, progress.step, progress.percent, progress.message or "")
        try:
            self.client.report_progress(self.job_id, self.token, progress)
        except StaleLeaseError as error:
            self._lose(str(error))
            raise LeaseLostError(str(error)) from error
        except Exception as error:  # noqa: BLE001 - progress is best effort; the job goes on
            if not is_transient(error):
                raise
            logger.warning("job %s: progress not sent (%s)", self.job_id, error)

    def log(self, level: LogLevel, message: str) -> None:
        if level not in LOG_LEVELS:
            raise ValueError(f"log level must be one of {', '.join(LOG_LEVELS)} (got {level!r})")
        logger.log(_PY_LEVELS[level], "job %s: %s", self.job_id, message)
        if self._finished or self.lost.is_set():
            return
        entry = LogEntry(level=level, message=_clip_log_message(message), timestamp=datetime.now(UTC))
        with self._buffer_lock:
            self._buffer.append(entry)
            if len(self._buffer) > _MAX_BUFFERED_LOGS:
                del self._buffer[: len(self._buffer) - _MAX_BUFFERED_LOGS]
            full = len(self._buffer) >= self.worker.log_batch_size
        if full:
            self.flush_logs(raise_transient=False)

    def flush_logs(self, raise_transient: bool = False) -> None:
        with self._flush_lock:
            with self._buffer_lock:
                entries, self._buffer = self._buffer, []
            if not entries or self.lost.is_set():
                return
            try:
                self.client.append_logs(self.job_id, self.token, entries)
            except StaleLeaseError as error:
                self._lose(str(error))
            except Exception as error:  # noqa: BLE001
                if not is_transient(error):
                    logger.error("job %s: %d log lines refused: %s", self.job_id, len(entries), error)
                    return
                with self._buffer_lock:  # keep them for the next try, in order
                    self._buffer[:0] = entries
                if raise_transient:
                    raise
                logger.warning("job %s: logs not sent yet (%s)", self.job_id, error)

    # -- heartbeat ------------------------------------------------------------------------------

    def _background(self) -> None:
        lease_seconds = self.worker.lease_seconds
        interval = max(1.0, lease_seconds / 3)
        next_beat = time.monotonic() + interval
        flush_every = self.worker.log_flush_interval
        while True:
            timeout = max(0.0, min(flush_every, next_beat - time.monotonic()))
            if self._done.wait(timeout):
                return
            if self.lost.is_set():
                return
            self.flush_logs()
            if time.monotonic() >= next_beat:
                try:
                    self.client.heartbeat(self.job_id, self.token, lease_seconds)
                    next_beat = time.monotonic() + interval
                except StaleLeaseError as error:
                    self._lose(str(error))
                    return
                except Exception as error:  # noqa: BLE001 - retry soon; the lease has 2/3 left
                    logger.warning("job %s: heartbeat failed (%s); retrying", self.job_id, error)
                    next_beat = time.monotonic() + min(interval / 3, 10.0)

    # -- the end: complete or fail, exactly once ------------------------------------------------

    def _finish(self, send: Callable[[], object], what: str) -> bool:
        """Runs `send` once (with retries on network errors / 5xx); False if already finished or lost."""
        with self._finish_lock:
            if self._finished:
                return False
            self._finished = True
        self.interrupt.set()
        try:
            if self.lost.is_set():
                return False
            try:
                self.flush_logs(raise_transient=False)
            except Exception:  # noqa: BLE001
                pass
            backoff = self.worker.new_backoff()
            attempt = 0
            while True:
                attempt += 1
                try:
                    send()
                    return True
                except StaleLeaseError as error:
                    # After a retried send this usually means the first one went through.
                    self._lose(str(error))
                    return attempt > 1
                except Exception as error:  # noqa: BLE001
                    if not is_transient(error) or attempt >= self.worker.finish_attempts:
                        logger.error("job %s: could not %s: %s", self.job_id, what, error)
                        return False
                    delay = backoff.delay()
                    logger.warning("job %s: %s failed (%s); retry in %.1fs", self.job_id, what, error, delay)
                    time.sleep(delay)
        finally:
            self._done.set()

    def complete(self, results: HandlerResult, claim_next: ClaimNext | None = None) -> tuple[bool, Claim | None]:
        """Completes the job once; returns whether it was sent and the job `claim_next` took (if any).

        `claim_next` goes only with the first attempt. After a network error or 5xx the first
        request may have taken a job whose answer never arrived; that job is lost to this worker
        until its lease expires either way, but a retry with claim_next could lose a second one
        the same way. So the retry only completes (idempotent for the same token), and the
        caller claims normally."""
        if isinstance(results, JobResults):
            payload: JobResults | Mapping[str, Any] = results
        elif results is None:
            payload = {}
        elif isinstance(results, Mapping):
            payload = results
        else:
            raise TypeError(f"a handler must return JobResults, a mapping or None (got {type(results).__name__})")
        answers: list[CompleteResult] = []
        tried = False

        def send() -> None:
            nonlocal tried
            ask, tried = (None if tried else claim_next), True
            answers.append(self.client.complete(self.job_id, self.token, payload, claim_next=ask))

        done = self._finish(send, "complete")
        return done, (answers[-1].next if done and answers else None)

    def fail(self, error: JobError, retryable: bool) -> FailResult | None:
        """Fails the job once; returns the server's answer, or None when it was not sent."""
        result: list[FailResult] = []

        def send() -> None:
            result.append(self.client.fail(self.job_id, self.token, error, retryable=retryable))

        if not self._finish(send, "fail") or not result:
            return None
        outcome = result[-1]
        logger.info(
            "job %s: failed (%s), attempt %d -> %s%s",
            self.job_id,
            error.code,
            outcome.attempts,
            outcome.status,
            f" (retry from {outcome.available_at.isoformat()})" if outcome.available_at else "",
        )
        return outcome

    def release_for_shutdown(self, message: str) -> bool:
        return self.fail(JobError(code=SHUTDOWN_CODE, message=message), retryable=True) is not None


def _clip_log_message(message: str) -> str:
    """At most 4000 characters and 4096 bytes of UTF-8, cut at a character boundary."""
    clipped = message[:_MAX_MESSAGE_CHARS]
    encoded = clipped.encode("utf-8", "surrogatepass")
    if len(encoded) <= _MAX_LOG_MESSAGE_BYTES:
        return clipped
    return encoded[:_MAX_LOG_MESSAGE_BYTES].decode("utf-8", "ignore")


def _error_of(exc: BaseException, code: str | None = None) -> JobError:
    text = "".join(traceback.format_exception(exc))
    if len(text) > _MAX_TRACEBACK_CHARS:
        text = "...\n" + text[-_MAX_TRACEBACK_CHARS:]
    message = str(exc) or exc.__class__.__name__
    return JobError(
        code=(code or exc.__class__.__name__)[:100],
        message=message[:_MAX_MESSAGE_CHARS],
        details={"traceback": text, "exception": f"{exc.__class__.__module__}.{exc.__class__.__qualname__}"},
    )


class Worker:
    """Claims jobs and runs `handler` on each, `concurrency` at a time.

    - long-polls `worker/claim` (`wait_seconds`), backing off exponentially with jitter on network
      errors, 429 and 5xx; an auth or validation error stops the worker and `run()` raises it;
    - per job, a background thread heartbeats every `lease_seconds / 3` and flushes buffered logs;
    - the handler's return value completes the job; an exception fails it with
      `{code: <exception class>, message, details: {traceback}}`, retryable for `RetryableError`;
    - on SIGTERM/SIGINT (or `stop()`) it stops claiming, lets running jobs finish for
      `shutdown_grace` seconds (handlers in `ctx.sleep()` are woken with `WorkerShutdown`), then
      fails what is left as retryable with code `WORKER_SHUTDOWN`, and `run()` returns. A second
      signal skips the grace.
    """

    def __init__(
        self,
        client: EventMonitorClient,
        worker_id: str,
        handler: Handler,
        job_types: Sequence[str] | None = None,
        lease_seconds: int = 300,
        wait_seconds: int = 20,
        concurrency: int = 1,
        *,
        files_root: str | Path | None = None,
        shutdown_grace: float = 5.0,
        log_flush_interval: float = 1.0,
        log_batch_size: int = 100,
        finish_attempts: int = 5,
        backoff: Callable[[], Backoff] | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if not 10 <= lease_seconds <= 3600:
            raise ValueError("lease_seconds must be within 10..3600")
        self.client = client
        self.worker_id = worker_id
        self.handler = handler
        self.job_types = list(job_types) if job_types else None
        self.lease_seconds = int(lease_seconds)
        self.wait_seconds = max(0, min(int(wait_seconds), 30))
        self.concurrency = concurrency
        self.files_root = Path(files_root) if files_root is not None else None
        self.shutdown_grace = shutdown_grace
        self.log_flush_interval = log_flush_interval
        self.log_batch_size = max(1, log_batch_size)
        self.finish_attempts = max(1, finish_attempts)
        self._backoff_factory = backoff or Backoff
        self.stats = WorkerStats()
        self._stop = threading.Event()
        self._stop_deadline = float("inf")
        self._signals = 0
        self._lock = threading.Lock()
        self._runs: dict[str, _JobRun] = {}
        self._reserved = 0
        self._max_jobs: int | None = None
        self._exit_when_idle = False
        self._fatal: BaseException | None = None
        self._slots_left = 0

    # -- control --------------------------------------------------------------------------------

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def new_backoff(self) -> Backoff:
        return self._backoff_factory()

    def stop(self, grace: float | None = None) -> None:
        """Stops claiming; running jobs get `grace` seconds (default `shutdown_grace`) to finish.

        Safe to call from any thread and from a signal handler (takes no locks)."""
        grace = self.shutdown_grace if grace is None else grace
        self._stop_deadline = min(self._stop_deadline, time.monotonic() + max(0.0, grace))
        self._stop.set()
        for run in list(self._runs.values()):
            run.interrupt.set()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signals += 1
        name = signal.Signals(signum).name
        if self._signals == 1:
            logger.info("%s received: stopping (no new jobs; running ones get %.0fs)", name, self.shutdown_grace)
            self.stop()
        else:
            logger.info("%s received again: releasing running jobs now", name)
            self.stop(grace=0)

    # -- the loop -------------------------------------------------------------------------------

    def run(self, max_jobs: int | None = None, exit_when_idle: bool = False, handle_signals: bool = True) -> WorkerStats:
        """Runs until stopped, until `max_jobs` jobs were claimed and finished, or (with
        `exit_when_idle`) until a claim finds nothing. Returns the stats; re-raises a fatal
        error (bad token, refused claim)."""
        self._max_jobs = max_jobs
        self._exit_when_idle = exit_when_idle
        previous: dict[int, Any] = {}
        if handle_signals and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, self._on_signal)
        logger.info(
            "worker %s: claiming %s (concurrency %d, lease %ds, long-poll %ds)",
            self.worker_id,
            ", ".join(self.job_types) if self.job_types else "any job type",
            self.concurrency,
            self.lease_seconds,
            self.wait_seconds,
        )
        self._slots_left = self.concurrency
        try:
            for index in range(self.concurrency):
                threading.Thread(target=self._slot, args=(index,), name=f"slot-{index}", daemon=True).start()
            while True:
                with self._lock:
                    slots_left = self._slots_left
                    busy = list(self._runs.values())
                if slots_left == 0:
                    break
                if self._stop.is_set():
                    for run in busy:
                        run.interrupt.set()
                    if not busy:
                        # Slots still long-polling are abandoned: a job they get now is handed back.
                        break
                    if time.monotonic() >= self._stop_deadline:
                        for run in busy:
                            if run.release_for_shutdown("the worker stopped before the job finished"):
                                self._count("released")
                        break
                time.sleep(0.05)
        finally:
            for signum, previous_handler in previous.items():
                signal.signal(signum, previous_handler)
        logger.info("worker %s: stopped (%s)", self.worker_id, self.stats)
        if self._fatal is not None:
            raise self._fatal
        return self.stats

    def _count(self, what: str) -> None:
        with self._lock:
            setattr(self.stats, what, getattr(self.stats, what) + 1)

    def _reserve(self) -> bool:
        with self._lock:
            if self._max_jobs is not None and self._reserved >= self._max_jobs:
                return False
            self._reserved += 1
            return True

    def _unreserve(self) -> None:
        with self._lock:
            self._reserved -= 1

    def _slot(self, index: int) -> None:
        claim_client = self.client.clone()  # its own connection: a long-poll never blocks a heartbeat
        backoff = self.new_backoff()
        run: _JobRun | None = None
        try:
            while True:
                if run is not None:
                    # The job the last complete took with claim_next (already registered).
                    run = self._process(run)
                    continue
                if self._stop.is_set() or not self._reserve():
                    break
                try:
                    claim = claim_client.claim(
                        self.worker_id, self.job_types, lease_seconds=self.lease_seconds, wait_seconds=self.wait_seconds
                    )
                except Exception as error:  # noqa: BLE001
                    self._unreserve()
                    if is_transient(error):
                        delay = backoff.delay()
                        logger.warning("claim failed (%s); retry in %.1fs", error, delay)
                        self._stop.wait(delay)
                        continue
                    logger.error("claim refused, stopping: %s", error)
                    self._fatal = error
                    self.stop()
                    break
                backoff.reset()
                if claim is None:
                    self._unreserve()
                    if self._exit_when_idle:
                        break
                    continue
                run = self._take(claim)
        finally:
            claim_client.close()
            with self._lock:
                self._slots_left -= 1

    def _take(self, claim: Claim) -> _JobRun | None:
        """Registers a claimed job; returns its run, or None when it was handed back (stopping)."""
        self._count("claimed")
        run = _JobRun(self, claim)
        # Under the lock `run()` checks for running jobs: a job is either registered
        # here (and waited for) or seen after the stop (and handed back at once).
        with self._lock:
            late = self._stop.is_set()
            self._runs[claim.job.job_id] = run
        if late:
            try:
                if run.release_for_shutdown("the worker was stopping when it got the job"):
                    self._count("released")
            finally:
                with self._lock:
                    self._runs.pop(claim.job.job_id, None)
            return None
        return run

    def _claim_next(self) -> ClaimNext | None:
        """What to claim with a complete, reserved against `max_jobs`; None when stopping or at the limit."""
        if self._stop.is_set() or not self._reserve():
            return None
        return ClaimNext(self.worker_id, self.job_types, self.lease_seconds)

    def _process(self, run: _JobRun) -> _JobRun | None:
        """Runs the handler and finishes the job; returns the next job's run when the complete took one."""
        job = run.claim.job
        next_claim: Claim | None = None
        if self._stop.is_set():
            run.interrupt.set()
        logger.info("job %s: claimed (%s, attempt %d)", job.job_id, job.job_name or job.job_type or "job", job.attempts)
        run.start()
        try:
            try:
                results = self.handler(JobContext(run))
            except WorkerShutdown as exc:
                if run.release_for_shutdown(str(exc) or "the worker stopped"):
                    self._count("released")
            except (LeaseLostError, StaleLeaseError) as exc:
                run._lose(str(exc))
                run._finish(lambda: None, "drop")
                self._count("lost")
            except RetryableError as exc:
                outcome = run.fail(_error_of(exc), retryable=True)
                if outcome is not None:
                    self._count("retried" if outcome.status == "pending" else "failed")
            except Exception as exc:  # noqa: BLE001 - any handler error fails the job
                if run.fail(_error_of(exc), retryable=False) is not None:
                    self._count("failed")
            except BaseException as exc:
                run.fail(_error_of(exc, SHUTDOWN_CODE), retryable=True)
                raise
            else:
                claim_next = self._claim_next()
                try:
                    done, next_claim = run.complete(results, claim_next)
                except TypeError as exc:
                    done = False
                    if run.fail(_error_of(exc), retryable=False) is not None:
                        self._count("failed")
                if claim_next is not None and next_claim is None:
                    self._unreserve()
                if done:
                    logger.info("job %s: completed", job.job_id)
                    self._count("completed")
                elif run.lost.is_set():
                    self._count("lost")
        finally:
            run._finish(lambda: None, "close")  # stops the background thread if still running
            # The next job is registered before this one leaves `_runs`, so `run()` never sees
            # the slot idle in between.
            next_run = self._take(next_claim) if next_claim is not None else None
            with self._lock:
                self._runs.pop(job.job_id, None)
        return next_run


__all__ = ["Handler", "HandlerResult", "JobContext", "Worker", "WorkerStats", "SHUTDOWN_CODE"]
