"""Notification subscriptions against the live server, with a real webhook receiver on 127.0.0.1
(stdlib http.server in a thread): what the server sends verifies with `verify_webhook` and the
secret it handed out, and nothing else does."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import session_jobs, wait_for

from event_monitor_worker import (
    EventMonitorClient,
    NotFoundError,
    ValidationError,
    WebhookVerificationError,
    verify_webhook,
)


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A webhook receiver that keeps every request and answers `status`."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append(Received(headers={k.lower(): v for k, v in self.headers.items()}, body=body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/event-monitor"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def request_of(self, delivery_id: str) -> Received:
        """The request of one delivery (`webhook-id`): others may come from the server's own sweeps."""
        return wait_for(
            lambda: next((r for r in self.requests if r.headers.get("webhook-id") == delivery_id), None),
            timeout=10,
            what=f"the request of {delivery_id}",
        )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def quiet_batch(admin_client: EventMonitorClient, job_type: str) -> Iterator[str]:
    """A batch of one pending job nobody claims (inactive): a subscription scoped to it gets only the tests."""
    created = admin_client.create_batch(session_jobs(job_type, 1), batch_name=f"notify {job_type}")
    admin_client.toggle_batch_active(created.batch.batch_id, False)
    yield created.batch.batch_id
    admin_client.delete_batch(created.batch.batch_id)


def test_a_test_delivery_verifies_with_the_secret_and_a_rotated_secret_replaces_it(
    admin_client: EventMonitorClient, receiver: Receiver, quiet_batch: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"pytest hook {uuid.uuid4().hex[:8]}"
    created = admin_client.create_subscription(name, receiver.url, ["batch.finished", "job.failed"], batch_id=quiet_batch)
    subscription = created.subscription
    secret = created.secret
    assert secret is not None and secret.startswith("whsec_")
    assert subscription.url == receiver.url and subscription.channel == "webhook" and subscription.batch_id == quiet_batch
    assert subscription.events == ["batch.finished", "job.failed"] and subscription.enabled
    assert subscription.failure_rate_percent == 20 and subscription.worker_silence_minutes == 10  # the defaults
    assert subscription.secret_hint == f"...{secret[-4:]}" and secret not in str(subscription.raw)
    try:
        delivery = admin_client.test_subscription(subscription.subscription_id)
        assert (
            delivery.event == "test"
            and delivery.state == "delivered"
            and delivery.subscription_id == subscription.subscription_id
        )
        assert [a.status_code for a in delivery.attempts] == [204] and delivery.delivered_at is not None

        request = receiver.request_of(delivery.delivery_id)
        assert request.headers["content-type"] == "application/json"
        payload = verify_webhook(secret, request.body, request.headers)
        assert payload["type"] == "test" and payload["delivery_id"] == delivery.delivery_id
        assert payload["subscription"] == {"subscription_id": subscription.subscription_id, "name": name}
        assert payload["summary"] == delivery.summary

        # What a receiver must refuse: another secret, a changed body, a replay after the tolerance.
        other = admin_client.create_subscription(f"{name} other", receiver.url, ["job.failed"], batch_id=quiet_batch)
        admin_client.delete_subscription(other.subscription.subscription_id)
        assert other.secret is not None and other.secret != secret
        with pytest.raises(WebhookVerificationError, match="no matching signature"):
            verify_webhook(other.secret, request.body, request.headers)
        with pytest.raises(WebhookVerificationError, match="no matching signature"):
            verify_webhook(secret, request.body.replace(b'"type":"test"', b'"type":"job.failed"'), request.headers)
        sent_at = int(request.headers["webhook-timestamp"])
        monkeypatch.setattr(time, "time", lambda: sent_at + 301.0)  # the replay, 301 s later
        with pytest.raises(WebhookVerificationError, match="too old"):
            verify_webhook(secret, request.body, request.headers)
        monkeypatch.undo()
        with pytest.raises(WebhookVerificationError):
            verify_webhook(secret, request.body, {**request.headers, "webhook-timestamp": str(sent_at - 3600)})

        # After a rotation the server signs with the new secret only: the old one no longer verifies.
        rotated = admin_client.rotate_subscription_secret(subscription.subscription_id)
        assert rotated.secret is not None and rotated.secret != secret
        assert rotated.subscription.secret_hint == f"...{rotated.secret[-4:]}"
        second = admin_client.test_subscription(subscription.subscription_id)
        assert second.state == "delivered"
        after_rotation = receiver.request_of(second.delivery_id)
        assert verify_webhook(rotated.secret, after_rotation.body, after_rotation.headers)["delivery_id"] == second.delivery_id
        with pytest.raises(WebhookVerificationError):
            verify_webhook(secret, after_rotation.body, after_rotation.headers)

        # The delivery log, newest first, shows both tries answered 2xx.
        deliveries = admin_client.list_deliveries(subscription.subscription_id)
        assert [d.delivery_id for d in deliveries] == [second.delivery_id, delivery.delivery_id]
        assert all(d.state == "delivered" and d.attempts[0].status_code == 204 for d in deliveries)
        assert [d.delivery_id for d in admin_client.list_deliveries(subscription.subscription_id, limit=1)] == [
            second.delivery_id
        ]

        listed = {s.subscription_id: s for s in admin_client.list_subscriptions(batch_id=quiet_batch)}
        assert set(listed) == {subscription.subscription_id}
        last = listed[subscription.subscription_id].last_delivery
        assert last is not None and last.state == "delivered" and last.status_code == 204 and last.event == "test"
    finally:
        admin_client.delete_subscription(subscription.subscription_id)
    assert subscription.subscription_id not in {s.subscription_id for s in admin_client.list_subscriptions()}
    with pytest.raises(NotFoundError):
        admin_client.test_subscription(subscription.subscription_id)


def test_a_receiver_answering_5xx_is_a_failed_test_delivery_with_its_status(
    admin_client: EventMonitorClient, receiver: Receiver, quiet_batch: str
) -> None:
    receiver.status = 503
    created = admin_client.create_subscription("pytest failing hook", receiver.url, ["batch.finished"], batch_id=quiet_batch)
    try:
        delivery = admin_client.test_subscription(created.subscription.subscription_id)
        # A test is one try: no retry is queued.
        assert delivery.state == "failed" and [a.status_code for a in delivery.attempts] == [503]
        assert delivery.next_attempt_at is None and delivery.delivered_at is None
        # The request itself was signed all the same.
        request = receiver.request_of(delivery.delivery_id)
        assert created.secret is not None and verify_webhook(created.secret, request.body, request.headers)["type"] == "test"
    finally:
        admin_client.delete_subscription(created.subscription.subscription_id)


def test_update_changes_only_the_named_fields(admin_client: EventMonitorClient, receiver: Receiver, quiet_batch: str) -> None:
    created = admin_client.create_subscription(
        "pytest update",
        receiver.url,
        ["batch.failure_rate"],
        batch_id=quiet_batch,
        failure_rate_percent=35,
        worker_silence_minutes=5,
    )
    sub_id = created.subscription.subscription_id
    try:
        assert created.subscription.failure_rate_percent == 35 and created.subscription.worker_silence_minutes == 5
        time.sleep(0.01)
        updated = admin_client.update_subscription(
            sub_id, name="pytest renamed", events=["job.failed", "workers.missing"], enabled=False
        )
        assert (
            updated.name == "pytest renamed" and updated.events == ["job.failed", "workers.missing"] and updated.enabled is False
        )
        assert updated.url == receiver.url and updated.failure_rate_percent == 35 and updated.worker_silence_minutes == 5
        assert updated.updated_at > created.subscription.updated_at
        assert admin_client.update_subscription(sub_id, enabled=True).enabled is True
        with pytest.raises(ValidationError) as refused:
            admin_client.update_subscription(sub_id, failure_rate_percent=0)
        assert "failure_rate_percent" in refused.value.field_errors
    finally:
        admin_client.delete_subscription(sub_id)


def test_errors_map_as_everywhere_loopback_is_for_admins_only_and_subscriptions_are_private(
    client: EventMonitorClient, admin_client: EventMonitorClient, receiver: Receiver, quiet_batch: str
) -> None:
    # An operator's webhook may not target loopback (server-side request forgery).
    with pytest.raises(ValidationError) as refused:
        client.create_subscription("pytest sneaky", receiver.url, ["job.failed"])
    assert refused.value.status == 400 and "url" in refused.value.field_errors
    with pytest.raises(ValidationError) as no_events:
        admin_client.create_subscription("pytest no events", receiver.url, [])
    assert "events" in no_events.value.field_errors
    with pytest.raises(ValidationError) as bad_event:
        admin_client.create_subscription("pytest bad event", receiver.url, ["batch.exploded"])  # type: ignore[list-item]
    assert "events" in str(bad_event.value.field_errors)

    # Someone else's subscription does not exist for an operator.
    created = admin_client.create_subscription("pytest private", receiver.url, ["job.failed"], batch_id=quiet_batch)
    sub_id = created.subscription.subscription_id
    try:
        assert sub_id not in {s.subscription_id for s in client.list_subscriptions()}
        for call in (
            lambda: client.test_subscription(sub_id),
            lambda: client.list_deliveries(sub_id),
            lambda: client.rotate_subscription_secret(sub_id),
            lambda: client.update_subscription(sub_id, name="taken"),
            lambda: client.delete_subscription(sub_id),
        ):
            with pytest.raises(NotFoundError):
                call()
        assert admin_client.list_deliveries(sub_id) == []
        assert not receiver.requests
    finally:
        admin_client.delete_subscription(sub_id)
    with pytest.raises(NotFoundError):
        admin_client.delete_subscription(sub_id)
