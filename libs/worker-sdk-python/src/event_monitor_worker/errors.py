"""Exceptions raised by the client and the worker loop, and the ones a handler may raise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class EventMonitorError(Exception):
    """Base class of every error this package raises."""


class NetworkError(EventMonitorError):
    """The server could not be reached or did not answer in time (connection refused, reset, timeout)."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


class ApiError(EventMonitorError):
    """The server answered with an error envelope `{status: 'error', message, code, details?}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] | None = dict(details) if details is not None else None

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """For a 400 VALIDATION error: the failing fields (dotted paths) and their messages."""
        if not self.details:
            return {}
        errors = self.details.get("fieldErrors")
        return dict(errors) if isinstance(errors, dict) else {}


class ValidationError(ApiError):
    """400: the request was refused as invalid; `field_errors` names each field."""


class AuthError(ApiError):
    """401 (no or unknown token) or 403 (token without the needed scope, or no right on the object)."""


class NotFoundError(ApiError):
    """404: no such batch, job, file or route, or not readable for this token."""


class ConflictError(ApiError):
    """409: an illegal transition or a concurrent change."""


class StaleLeaseError(ConflictError):
    """409 on a call under a lease: the lease is no longer ours (expired, restarted, cancelled, re-claimed).

    Nothing was written; the worker must drop the job.
    """


class RateLimitedError(ApiError):
    """429: too many requests; retried with backoff by the worker loop."""


class ServerError(ApiError):
    """5xx: the server failed or its database is unavailable; retried with backoff by the worker loop."""


def is_transient(error: BaseException) -> bool:
    """True for errors worth retrying after a pause: network errors, 429 and 5xx."""
    return isinstance(error, (NetworkError, RateLimitedError, ServerError))


class WebhookVerificationError(EventMonitorError):
    """`verify_webhook` refused a request: a header missing or malformed, the timestamp outside the
    tolerance, or no signature made with the secret. Answer such a request with 400 and ignore it."""


# ---- raised by handlers / by the worker into handlers -------------------------------------------


class RetryableError(Exception):
    """Raise from a handler to fail the job as retryable: the server puts it back to pending after a
    backoff while attempts remain. Any other exception fails the job for good."""


class WorkerShutdown(Exception):
    """Raised inside a handler (by `JobContext.sleep` / `JobContext.check`) when the worker is stopping.

    The worker then fails the job as retryable with code `WORKER_SHUTDOWN`, so another worker takes it."""


class LeaseLostError(Exception):
    """Raised inside a handler (by `JobContext.sleep` / `check` / `progress`) when the lease was lost:
    the job was restarted, cancelled, deleted or taken by another worker. Its results would be refused."""
