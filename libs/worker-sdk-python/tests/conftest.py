"""Fixtures for the suite. The live tests need the server the harness starts
(`nx run @event-monitor/worker-sdk-python:test`), which sets EVENT_MONITOR_URL,
EVENT_MONITOR_TOKEN (an operator's, scopes worker, read, write), EVENT_FILES_DIR (the server's files
root) and EVENT_MONITOR_ADMIN_TOKEN (an admin's, scopes read, write)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from event_monitor_worker import EventMonitorClient


@pytest.fixture(scope="session")
def live_env() -> dict[str, str]:
    names = ("EVENT_MONITOR_URL", "EVENT_MONITOR_TOKEN", "EVENT_FILES_DIR")
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.skip(f"live server not configured ({', '.join(missing)}): run through the nx test target")
    return {name: os.environ[name] for name in names}


@pytest.fixture(scope="session")
def client(live_env: dict[str, str]) -> Iterator[EventMonitorClient]:
    with EventMonitorClient(live_env["EVENT_MONITOR_URL"], live_env["EVENT_MONITOR_TOKEN"], timeout=20) as c:
        yield c


@pytest.fixture(scope="session")
def admin_client(live_env: dict[str, str]) -> Iterator[EventMonitorClient]:
    """An admin's client (scopes read, write): only admins' webhooks may target 127.0.0.1."""
    token = os.environ.get("EVENT_MONITOR_ADMIN_TOKEN")
    if not token:
        # live_env skipped already when there is no live server at all; a live server without the
        # admin token is a broken harness, and the notification tests must not pass by not running.
        pytest.fail("EVENT_MONITOR_ADMIN_TOKEN not set beside a live server: tools/scripts/run-pytest.ts makes one")
    with EventMonitorClient(live_env["EVENT_MONITOR_URL"], token, timeout=20) as c:
        yield c


@pytest.fixture(scope="session")
def files_root(live_env: dict[str, str]) -> Path:
    return Path(live_env["EVENT_FILES_DIR"])


@pytest.fixture
def job_type() -> str:
    """A job type of this test only: its workers claim nothing of another test."""
    return f"pytest-{uuid.uuid4().hex[:12]}"
