"""The W3C trace context the SDK sends: one trace per job against the live server, and an active
OpenTelemetry span's context (no server needed for that one)."""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict

import httpx
import pytest
from helpers import run_in_thread, session_jobs

from event_monitor_worker import EventMonitorClient, JobContext, JobResults, Worker

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-01$")
JOB_PATH = re.compile(r"/worker/jobs/([^/]+)/(heartbeat|progress|logs|complete|fail)$")


class Recorder(httpx.BaseTransport):
    """Passes requests to the real server and notes, per request, its trace headers and the job it
    concerns (from the path, or the job a claim or a complete with claim_next handed out)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.lock = threading.Lock()
        self.seen: list[dict[str, str | None]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        path = request.url.path
        entry: dict[str, str | None] = {
            "path": path,
            "traceparent": request.headers.get("traceparent"),
            "tracestate": request.headers.get("tracestate"),
            "job": None,
            "took": None,
        }
        match = JOB_PATH.search(path)
        if match:
            entry["job"] = match.group(1)
        if path.endswith("/worker/claim") or path.endswith("/complete"):
            data = json.loads(response.read()).get("data") or {}
            taken = data.get("job") if path.endswith("/worker/claim") else (data.get("next") or {}).get("job")
            entry["took"] = taken["job_id"] if isinstance(taken, dict) else None
        with self.lock:
            self.seen.append(entry)
        return response

    def close(self) -> None:  # shared by the worker's clones: closed once, by the test
        pass


def _trace_of(header: str | None) -> str:
    assert header is not None, "a request of the job carried no traceparent"
    match = TRACEPARENT.match(header)
    assert match, f"not a sampled W3C traceparent: {header!r}"
    return match.group(1)


def test_the_requests_of_one_job_share_one_trace_id_and_jobs_differ(live_env: dict[str, str], job_type: str) -> None:
    recorder = Recorder()
    with EventMonitorClient(
        live_env["EVENT_MONITOR_URL"], live_env["EVENT_MONITOR_TOKEN"], timeout=20, transport=recorder
    ) as client:
        created = client.create_batch(session_jobs(job_type, 2), batch_name=f"trace {job_type}")
        failing = created.job_ids[1]

        def handler(ctx: JobContext) -> JobResults:
            ctx.progress("working", 50)
            ctx.info("half way")
            client.heartbeat(ctx.job.job_id, ctx.lease_token)
            if ctx.job.job_id == failing:
                raise ValueError("this one fails")
            return JobResults(markdown_content="# done")

        worker = Worker(client, "pytest-trace", handler, job_types=[job_type], lease_seconds=30, wait_seconds=1)
        stats = run_in_thread(worker, max_jobs=2)
    recorder.inner.close()
    assert (stats.completed, stats.failed) == (1, 1)

    by_job: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    span_ids: list[str] = []
    for entry in recorder.seen:
        if entry["traceparent"]:
            span_ids.append(entry["traceparent"].split("-")[2])
        if entry["job"]:
            by_job[entry["job"]].add(_trace_of(entry["traceparent"]))
            kinds[entry["job"]].add(str(entry["path"]).rsplit("/", 1)[1])
    for entry in recorder.seen:
        # The request that took a job starts that job's trace (a plain claim; a complete with
        # claim_next belongs to the job it completes, and the next job gets a trace of its own).
        if entry["took"] and str(entry["path"]).endswith("/worker/claim"):
            by_job[str(entry["took"])].add(_trace_of(entry["traceparent"]))
            kinds[str(entry["took"])].add("claim")
    assert set(by_job) == set(created.job_ids)
    for job_id in created.job_ids:
        assert len(by_job[job_id]) == 1, f"job {job_id} was spread over traces {by_job[job_id]}"
    assert kinds[failing] >= {"heartbeat", "progress", "logs", "fail"}
    assert kinds[created.job_ids[0]] >= {"heartbeat", "progress", "logs", "complete"}
    assert "claim" in kinds[created.job_ids[0]] | kinds[failing]
    assert by_job[created.job_ids[0]] != by_job[failing], "two jobs shared a trace"
    assert len(span_ids) == len(set(span_ids)), "a span id was sent twice"


def test_an_active_opentelemetry_span_is_sent_as_the_parent() -> None:
    otel = pytest.importorskip("opentelemetry.trace")
    seen: list[httpx.Headers] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        if request.url.path.endswith("/worker/claim"):
            job = {"job_id": "j1", "status": "processing", "parameters": {}, "created_at": "2026-12-04T00:00:00Z"}
            return httpx.Response(
                200,
                json={"status": "success", "data": {"job": job, "lease": {"token": "t", "expires_at": "2026-12-04T01:00:00Z"}}},
            )
        return httpx.Response(200, json={"status": "success", "data": {"expires_at": "2026-12-04T01:00:00Z", "batches": []}})

    context = otel.SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=False,
        trace_flags=otel.TraceFlags(1),
        trace_state=otel.TraceState([("vendor", "opaque")]),
    )
    with EventMonitorClient("http://test.invalid", "tok", transport=httpx.MockTransport(answer)) as client:
        with otel.use_span(otel.NonRecordingSpan(context)):
            client.list_batches()
            claim = client.claim("w1")
        assert claim is not None
        client.heartbeat("j1", "t")  # outside the span (a worker's heartbeat thread): the job's trace
    assert seen[0]["traceparent"] == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    assert seen[0]["tracestate"] == "vendor=opaque"
    assert seen[1]["traceparent"] == seen[0]["traceparent"]
    assert _trace_of(seen[2]["traceparent"]) == "0af7651916cd43dd8448eb211c80319c"
    assert "tracestate" not in seen[2]


def test_requests_outside_a_job_and_a_span_carry_no_trace_context() -> None:
    seen: list[httpx.Headers] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json={"status": "success", "data": {"batches": []}})

    with EventMonitorClient("http://test.invalid", "tok", transport=httpx.MockTransport(answer)) as client:
        client.list_batches()
    assert "traceparent" not in seen[0]
