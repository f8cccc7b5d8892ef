# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Standard Webhooks signing for the deliveries Odoo sends to the LMS sync service.

Pure: Python standard library only (no odoo, no requests), so the service's CI can load
this file by path and check it against the TypeScript verifier with one shared vector
(test/fixtures/webhook-signature-vector.json). Keep it that way.

Signature: ``v1,<base64 HMAC-SHA256 over "<id>.<timestamp>." + raw body>``, keyed with
the base64-decoded part of a ``whsec_...`` secret.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime, timezone

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"


def secret_key(secret):
    """The HMAC key of a ``whsec_...`` secret (its base64-decoded part)."""
    if not secret:
        raise ValueError("empty webhook secret")
    encoded = secret[len(SECRET_PREFIX) :] if secret.startswith(SECRET_PREFIX) else secret
    return base64.b64decode(encoded, validate=True)


def sign(secret, msg_id, timestamp, body_bytes):
    """The ``webhook-signature`` header value for one secret."""
    if isinstance(body_bytes, str):
        body_bytes = body_bytes.encode("utf-8")
    signed = f"{msg_id}.{int(timestamp)}.".encode() + body_bytes
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def new_msg_id():
    """A fresh delivery id: one explicit user action is one new delivery."""
    return f"msg_{uuid.uuid4().hex}"


def stable_msg_id(*parts):
    """A delivery id derived from ``parts``: the same facts give the same id, so a resend
    is answered ``200 duplicate`` by the service instead of being processed again."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"msg_{digest[:32]}"


def build_headers(secret, body_bytes, msg_id=None, timestamp=None):
    """Headers of one signed delivery (``timestamp`` in unix seconds, default now)."""
    msg_id = msg_id or new_msg_id()
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body_bytes),
        "content-type": "application/json",
    }


def iso_utc(now):
    """ISO-8601 UTC with second precision (``2024-05-01T08:30:00Z``).

    ``now`` is a datetime (naive ones are UTC, as Odoo stores them) or unix seconds.
    """
    if isinstance(now, (int, float)):
        now = datetime.fromtimestamp(now, tz=timezone.utc)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_body(event_type, data, now):
    """The exact bytes sent and signed: compact JSON with sorted keys, UTF-8 (not
    ASCII-escaped), so the same event always gives the same bytes."""
    envelope = {"type": event_type, "timestamp": iso_utc(now), "data": data}
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8")
