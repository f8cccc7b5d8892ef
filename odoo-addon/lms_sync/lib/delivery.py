# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""One signed POST to the service's ``/webhooks/odoo`` and what its answer means.

No odoo import: the models turn a ``Delivery`` into chatter notes, UserErrors or log lines.
Tests mock ``requests.post`` here, at the call site.
"""

import logging
from collections import namedtuple

import requests

from . import webhook_signing

_logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/odoo"

# kind: accepted | duplicate | timeout | connection | http
Delivery = namedtuple("Delivery", "ok kind status_code event_id msg_id detail url")

Target = namedtuple("Target", "base_url secret timeout")


def webhook_url(base_url):
    return base_url.rstrip("/") + WEBHOOK_PATH


def _answer(response):
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _detail(answer, response):
    """A short, human readable reason from a service error answer."""
    issues = answer.get("issues")
    if isinstance(issues, list) and issues:
        return "; ".join(
            f"{'.'.join(str(p) for p in (i.get('path') or []))}: {i.get('message')}"
            for i in issues[:3]
            if isinstance(i, dict)
        )
    detail = answer.get("error") or answer.get("message") or (response.text or "")[:200]
    return str(detail).strip()


def post_event(target, body, msg_id=None, timestamp=None):
    """POST one signed delivery and classify the answer; never raises for I/O problems.

    202 accepted and 200 duplicate are both a success: the service holds the event.
    """
    url = webhook_url(target.base_url)
    headers = webhook_signing.build_headers(target.secret, body, msg_id=msg_id, timestamp=timestamp)
    msg_id = headers["webhook-id"]
    try:
        response = requests.post(url, data=body, headers=headers, timeout=target.timeout)
    except requests.Timeout as err:
        return Delivery(False, "timeout", None, None, msg_id, str(err), url)
    except requests.RequestException as err:
        return Delivery(False, "connection", None, None, msg_id, str(err), url)
    answer = _answer(response)
    status = response.status_code
    event_id = answer.get("eventId")
    if status == 202:
        return Delivery(True, "accepted", status, event_id, msg_id, "accepted", url)
    if status == 200 and answer.get("status") == "duplicate":
        return Delivery(True, "duplicate", status, event_id, msg_id, "duplicate", url)
    if 200 <= status < 300:
        return Delivery(True, "accepted", status, event_id, msg_id, answer.get("status") or "ok", url)
    return Delivery(False, "http", status, event_id, msg_id, _detail(answer, response), url)


def post_events_quietly(deliveries):
    """Send after-commit notifications; log failures and never raise.

    ``deliveries`` are ``(target, msg_id, body, label)``. The first timeout or connection
    error stops the batch: when the service is down, waiting ``timeout`` seconds per
    remaining invoice would only hold the user's request (post-commit callbacks run in
    it). Whatever is not delivered is repaired by the service's nightly reconciliation.
    """
    for index, (target, msg_id, body, label) in enumerate(deliveries):
        try:
            result = post_event(target, body, msg_id=msg_id)
        except Exception:  # a post-commit callback must never raise
            _logger.exception("LMS sync: could not send %s", label)
            continue
        if result.ok:
            _logger.info("LMS sync: %s delivered (%s, event %s)", label, result.kind, result.event_id)
            continue
        _logger.warning(
            "LMS sync: %s not delivered to %s (%s: %s); the nightly reconciliation will catch up",
            label,
            result.url,
            f"HTTP {result.status_code}" if result.status_code else result.kind,
            result.detail,
        )
        if result.kind in ("timeout", "connection"):
            skipped = len(deliveries) - index - 1
            if skipped:
                _logger.warning("LMS sync: service unreachable, %d more notification(s) skipped", skipped)
            return
