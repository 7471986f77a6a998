"""W3C trace context (`traceparent`, `tracestate`) on the SDK's requests (issue 20 item 7).

The server continues a caller's `traceparent` (its request spans become children of it), so the
requests a worker makes for one job can be followed as one trace. Two sources, in this order:

1. An active OpenTelemetry span in the calling thread (only when `opentelemetry-api` is installed,
   the optional extra `event-monitor-worker[otel]`): its trace id, span id, flags and trace state.
2. Otherwise one trace per claimed job: the claim that took the job, its heartbeats, progress,
   logs and the complete or fail share one trace id (random, chosen when the claim is sent), each
   request with a fresh span id and the sampled flag.

Requests that belong to no job (listing batches, creating jobs, ...) carry no header outside a span.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Any

_otel_trace: Any
try:  # optional: the SDK needs nothing but the standard library for its own traces
    from opentelemetry import trace as _otel_trace
except ImportError:  # pragma: no cover - depends on the environment
    _otel_trace = None

#: How many jobs' trace ids a client (with its clones) remembers; the oldest are forgotten first.
MAX_REMEMBERED_JOBS = 4096


def new_trace_id() -> str:
    """32 lowercase hex digits, never all zero (W3C: an all-zero id is invalid)."""
    while True:
        value = secrets.token_hex(16)
        if value != "0" * 32:
            return value


def _new_span_id() -> str:
    while True:
        value = secrets.token_hex(8)
        if value != "0" * 16:
            return value


def traceparent(trace_id: str) -> str:
    """A `traceparent` in the job's trace with a fresh parent span id, sampled."""
    return f"00-{trace_id}-{_new_span_id()}-01"


def otel_headers() -> dict[str, str] | None:
    """The current OpenTelemetry span's context as W3C headers, or None (no opentelemetry, no valid
    span). Formatted from the span context itself rather than through the configured propagators, so
    the server gets the W3C form it reads whatever else the application propagates."""
    if _otel_trace is None:
        return None
    context = _otel_trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    headers = {"traceparent": f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"}
    state = context.trace_state.to_header() if context.trace_state else ""
    if state:
        headers["tracestate"] = state
    return headers


def otel_trace_id() -> str | None:
    """The current OpenTelemetry span's trace id (hex), or None."""
    headers = otel_headers()
    return headers["traceparent"].split("-")[1] if headers else None


class JobTraces:
    """The trace id of each job a client and its clones work on (thread-safe, bounded)."""

    def __init__(self, capacity: int = MAX_REMEMBERED_JOBS) -> None:
        self._capacity = capacity
        self._ids: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def bind(self, job_id: str, trace_id: str) -> None:
        with self._lock:
            self._ids[job_id] = trace_id
            self._ids.move_to_end(job_id)
            while len(self._ids) > self._capacity:
                self._ids.popitem(last=False)

    def of(self, job_id: str) -> str:
        """The job's trace id; a new one for a job this client did not claim (e.g. another process did)."""
        with self._lock:
            trace_id = self._ids.get(job_id)
            if trace_id is None:
                trace_id = self._ids[job_id] = new_trace_id()
                while len(self._ids) > self._capacity:
                    self._ids.popitem(last=False)
            return trace_id

    def forget(self, job_id: str) -> None:
        with self._lock:
            self._ids.pop(job_id, None)


def trace_headers(trace_id: str | None) -> dict[str, str]:
    """The headers for one request: the active OpenTelemetry span's, else the job trace's, else none."""
    headers = otel_headers()
    if headers is not None:
        return headers
    return {"traceparent": traceparent(trace_id)} if trace_id else {}
