"""Verifying the webhooks the server sends (Standard Webhooks, https://www.standardwebhooks.com).

Each request carries `webhook-id` (the delivery id, the same on every retry: de-duplicate on it),
`webhook-timestamp` (Unix seconds) and `webhook-signature`: space-separated `v1,<base64>`
entries, each an HMAC-SHA256 of `"<id>.<timestamp>.<body>"` keyed with the base64-decoded part
of the subscription's secret after `whsec_`. Standard library only (docs/decisions.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterable
from typing import Any, Protocol

from .errors import WebhookVerificationError

SECRET_PREFIX = "whsec_"
#: How far (seconds) a request's timestamp may be from this machine's clock, either way.
DEFAULT_TOLERANCE_SECONDS = 300

_TIMESTAMP = re.compile(r"^[0-9]{1,15}$")


class HeaderSource(Protocol):
    """Anything with `items()` of name and value: a dict, `http.server`'s `self.headers`, a
    framework's request headers."""

    def items(self) -> Iterable[tuple[str, str]]: ...


def _secret_key(secret: str | bytes) -> bytes:
    """The HMAC key: the raw bytes, or the base64 after `whsec_` of a secret as the server shows it."""
    if isinstance(secret, bytes):
        key = secret
    else:
        encoded = secret.strip()
        if encoded.startswith(SECRET_PREFIX):
            encoded = encoded[len(SECRET_PREFIX) :]
        encoded += "=" * (-len(encoded) % 4)  # some senders drop the padding
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValueError("the webhook secret is not 'whsec_' followed by base64") from error
    if not key:
        raise ValueError("the webhook secret is empty")
    return key


def _body_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def sign_webhook(secret: str | bytes, webhook_id: str, timestamp: int, body: bytes | str) -> str:
    """The `webhook-signature` value the server would send (`v1,<base64>`): for a receiver's own tests."""
    message = f"{webhook_id}.{int(timestamp)}.".encode() + _body_bytes(body)
    digest = hmac.new(_secret_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def verify_webhook(
    secret: str | bytes,
    body: bytes | str,
    headers: HeaderSource,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
) -> Any:
    """Checks a webhook request and returns its parsed JSON payload.

    `body` must be the raw body as received (re-serialised JSON does not verify); `headers` are
    matched case-insensitively. Raises `WebhookVerificationError` when a header is missing, the
    timestamp is more than `tolerance_seconds` away from now (a replay, or a wrong clock), no
    `v1` signature matches (compared in constant time), or the body is not JSON. A bad `secret`
    (not `whsec_` + base64) raises ValueError."""
    key = _secret_key(secret)
    found = {str(name).lower(): str(value) for name, value in headers.items()}
    webhook_id = found.get("webhook-id", "").strip()
    stamp = found.get("webhook-timestamp", "").strip()
    signatures = found.get("webhook-signature", "").strip()
    named = (("webhook-id", webhook_id), ("webhook-timestamp", stamp), ("webhook-signature", signatures))
    missing = [name for name, value in named if not value]
    if missing:
        raise WebhookVerificationError(f"missing header(s): {', '.join(missing)}")
    if not _TIMESTAMP.match(stamp):
        raise WebhookVerificationError(f"webhook-timestamp is not Unix seconds: {stamp[:30]!r}")
    sent_at = int(stamp)
    now = time.time()
    if sent_at < now - tolerance_seconds:
        raise WebhookVerificationError(f"timestamp too old ({int(now - sent_at)} s, tolerance {tolerance_seconds:g} s)")
    if sent_at > now + tolerance_seconds:
        raise WebhookVerificationError(f"timestamp too new ({int(sent_at - now)} s ahead, tolerance {tolerance_seconds:g} s)")

    raw = _body_bytes(body)
    expected = hmac.new(key, f"{webhook_id}.{sent_at}.".encode() + raw, hashlib.sha256).digest()
    matched = False
    # Several signatures (a sender in the middle of a key rotation), other versions (v1a) skipped.
    for entry in signatures.split(" "):
        version, _, encoded = entry.partition(",")
        if version != "v1" or not encoded:
            continue
        try:
            candidate = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        # Not `break`: every entry costs the same, whichever matches.
        matched = hmac.compare_digest(expected, candidate) or matched
    if not matched:
        raise WebhookVerificationError("no matching signature (wrong secret, or the body or headers were changed)")
    try:
        return json.loads(raw)
    except ValueError as error:
        raise WebhookVerificationError("the body is not JSON") from error
