"""Fixtures of the coexistence suite: the database the live server uses (pymongo), an operator's
API client (not an admin's: what operators see is the point) and an app worker client, both
counting every HTTP status they receive. The harness (tools/scripts/run-pytest.ts) sets
EVENT_MONITOR_MONGODB_URI, EVENT_MONITOR_DB and EVENT_MONITOR_OPERATOR_TOKEN."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pymongo import MongoClient
from pymongo.database import Database

from event_monitor_worker import EventMonitorClient

from .legacy_sim import LegacyRepository

STATUSES: Counter[int] = Counter()


class CountingTransport(httpx.HTTPTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        STATUSES[response.status_code] += 1
        return response


def server_errors() -> int:
    return sum(n for status, n in STATUSES.items() if status >= 500)


@pytest.fixture(scope="session")
def coexistence_env(live_env: dict[str, str]) -> dict[str, str]:
    names = ("EVENT_MONITOR_MONGODB_URI", "EVENT_MONITOR_DB", "EVENT_MONITOR_OPERATOR_TOKEN")
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.skip(f"database not configured ({', '.join(missing)}): run through the nx test target")
    return {**live_env, **{name: os.environ[name] for name in names}}


@pytest.fixture(scope="session")
def db(coexistence_env: dict[str, str]) -> Iterator[Database[Any]]:
    client: MongoClient[Any] = MongoClient(coexistence_env["EVENT_MONITOR_MONGODB_URI"], serverSelectionTimeoutMS=10_000)
    yield client[coexistence_env["EVENT_MONITOR_DB"]]
    client.close()


@pytest.fixture(scope="session")
def legacy(db: Database[Any]) -> LegacyRepository:
    return LegacyRepository(db)


@pytest.fixture(scope="session")
def operator(coexistence_env: dict[str, str]) -> Iterator[httpx.Client]:
    """Raw JSON through the REST door with an operator's token (read, write scopes)."""
    with httpx.Client(
        base_url=coexistence_env["EVENT_MONITOR_URL"] + "/api/event-job/",
        headers={"Authorization": f"Bearer {coexistence_env['EVENT_MONITOR_OPERATOR_TOKEN']}"},
        transport=CountingTransport(),
        timeout=20,
    ) as client:
        yield client


@pytest.fixture(scope="session")
def app_worker(coexistence_env: dict[str, str]) -> Iterator[EventMonitorClient]:
    with EventMonitorClient(
        coexistence_env["EVENT_MONITOR_URL"], coexistence_env["EVENT_MONITOR_TOKEN"], timeout=20, transport=CountingTransport()
    ) as client:
        yield client
