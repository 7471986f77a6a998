"""`verify_webhook` without a server: checked against the reference Standard Webhooks library
(`standardwebhooks`, a test dependency only), and against what a receiver must refuse."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from email.message import Message

import pytest
from standardwebhooks import Webhook

from event_monitor_worker import WebhookVerificationError, sign_webhook, verify_webhook

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
OTHER_SECRET = "whsec_" + base64.b64encode(bytes(range(1, 33))).decode()
BODY = json.dumps({"type": "test", "delivery_id": "msg_1", "summary": "Über café ✓", "data": {"sent_by": "u1"}}).encode()


def reference_headers(body: bytes = BODY, secret: str = SECRET, msg_id: str = "msg_1", at: int | None = None) -> dict[str, str]:
    """Headers as a Standard Webhooks sender makes them (the reference library signs)."""
    seconds = int(time.time()) if at is None else at
    signature = Webhook(secret).sign(msg_id, datetime.fromtimestamp(seconds, tz=UTC), body.decode())
    return {"webhook-id": msg_id, "webhook-timestamp": str(seconds), "webhook-signature": signature}


def test_a_request_signed_by_the_reference_library_verifies_and_returns_the_payload() -> None:
    payload = verify_webhook(SECRET, BODY, reference_headers())
    assert payload["type"] == "test" and payload["summary"] == "Über café ✓"
    # The body as text verifies the same as the bytes.
    assert verify_webhook(SECRET, BODY.decode(), reference_headers()) == payload


def test_sign_webhook_makes_the_reference_signature_and_the_reference_verifies_it() -> None:
    at = int(time.time())
    headers = reference_headers(at=at)
    assert sign_webhook(SECRET, "msg_1", at, BODY) == headers["webhook-signature"]
    ours = {**headers, "webhook-signature": sign_webhook(SECRET, "msg_1", at, BODY)}
    assert Webhook(SECRET).verify(BODY, ours) == json.loads(BODY)


def test_a_wrong_secret_a_changed_body_or_a_changed_id_is_refused() -> None:
    headers = reference_headers()
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        verify_webhook(OTHER_SECRET, BODY, headers)
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        verify_webhook(SECRET, BODY.replace(b'"u1"', b'"u2"'), headers)
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        verify_webhook(SECRET, BODY, {**headers, "webhook-id": "msg_2"})
    # Re-serialised JSON is not the body that was signed.
    with pytest.raises(WebhookVerificationError):
        verify_webhook(SECRET, json.dumps(json.loads(BODY), indent=2), headers)


def test_timestamps_outside_the_tolerance_are_refused_either_way() -> None:
    now = int(time.time())
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(SECRET, BODY, reference_headers(at=now - 301))
    with pytest.raises(WebhookVerificationError, match="too new"):
        verify_webhook(SECRET, BODY, reference_headers(at=now + 301))
    # Inside a wider tolerance the same request passes; a narrower one refuses a fresh-enough one.
    assert verify_webhook(SECRET, BODY, reference_headers(at=now - 301), tolerance_seconds=600)["type"] == "test"
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(SECRET, BODY, reference_headers(at=now - 30), tolerance_seconds=10)
    with pytest.raises(WebhookVerificationError, match="not Unix seconds"):
        verify_webhook(SECRET, BODY, {**reference_headers(), "webhook-timestamp": "2026-12-04T10:00:00Z"})


def test_one_matching_v1_signature_among_several_is_enough() -> None:
    headers = reference_headers()
    good = headers["webhook-signature"]
    other = Webhook(OTHER_SECRET).sign("msg_1", datetime.fromtimestamp(int(headers["webhook-timestamp"]), tz=UTC), BODY.decode())
    for several in (f"{other} {good}", f"v1a,{good[3:]} {good}", f"garbage v1,!!notbase64!! {good}"):
        assert verify_webhook(SECRET, BODY, {**headers, "webhook-signature": several})["type"] == "test"
    # The right bytes under another version are not a v1 signature.
    with pytest.raises(WebhookVerificationError):
        verify_webhook(SECRET, BODY, {**headers, "webhook-signature": f"v2,{good[3:]} {other}"})


def test_missing_or_malformed_headers_are_a_verification_error_not_a_crash() -> None:
    headers = reference_headers()
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        partial = {key: value for key, value in headers.items() if key != name}
        with pytest.raises(WebhookVerificationError, match=name):
            verify_webhook(SECRET, BODY, partial)
    for broken in ("v1", "v1,", "nonsense", ",,,", "v1,@@@"):
        with pytest.raises(WebhookVerificationError):
            verify_webhook(SECRET, BODY, {**headers, "webhook-signature": broken})


def test_headers_match_in_any_case_and_from_an_http_server_message() -> None:
    headers = reference_headers()
    upper = {name.upper(): value for name, value in headers.items()}
    assert verify_webhook(SECRET, BODY, upper)["type"] == "test"
    message = Message()  # what http.server's BaseHTTPRequestHandler.headers is
    for name, value in headers.items():
        message[name.title()] = value
    assert verify_webhook(SECRET, BODY, message)["type"] == "test"


def test_a_signed_body_that_is_not_json_is_refused() -> None:
    body = b"not json"
    with pytest.raises(WebhookVerificationError, match="not JSON"):
        verify_webhook(SECRET, body, reference_headers(body=body))


def test_secrets_without_the_prefix_or_padding_work_and_a_bad_secret_is_a_value_error() -> None:
    headers = reference_headers()
    bare = SECRET.removeprefix("whsec_")
    assert verify_webhook(bare, BODY, headers)["type"] == "test"
    assert verify_webhook(bare.rstrip("="), BODY, headers)["type"] == "test"
    assert verify_webhook(bytes(range(32)), BODY, headers)["type"] == "test"
    for bad in ("whsec_", "whsec_not base64!", ""):
        with pytest.raises(ValueError):
            verify_webhook(bad, BODY, headers)
