# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import functools
import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from ..lib import delivery, webhook_signing
from ..lib.payload_text import ORDER_NAME_MAX_LENGTH, USER_NAME_MAX_LENGTH, bounded_name
from .res_config_settings import (
    DEFAULT_TIMEOUT,
    PARAM_MIDDLEWARE_URL,
    PARAM_TIMEOUT,
    PARAM_WEBHOOK_SECRET,
)

_logger = logging.getLogger(__name__)

# Community only ever shows `paid`; Enterprise shows `in_payment` first (docs/odoo.md).
PAID_STATES = ("paid", "in_payment")
EVENT_RETRY = "enrollment.retry_requested"
EVENT_PAID = "order.paid"
EVENT_REFUNDED = "order.refunded"
EVENT_LEARNERS_CHANGED = "order.learners_changed"
USER_GROUP = "lms_sync.group_lms_sync_user"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # No default: an empty state means "the service has not looked at this order yet".
    # A 'pending' default would also stamp every quotation and every order that exists at
    # install time, so "pending" would no longer mean "an enrollment is on its way".
    lms_sync_state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("synced", "Synced"),
            ("failed", "Failed"),
            ("not_applicable", "Not Applicable"),
        ],
        string="LMS Sync",
        copy=False,
        index=True,
        tracking=True,
        help="Written by the LMS sync service. Pending: an enrollment was requested and is "
        "on its way. Synced: every course of the order is enrolled in the LMS. Failed: the "
        "last attempt failed (see Last LMS Error; a Helpdesk ticket may exist). Not "
        "Applicable: the order has no course product.",
    )
    lms_last_sync_at = fields.Datetime(string="Last LMS Sync", copy=False)
    lms_last_error = fields.Text(string="Last LMS Error", copy=False)
    lms_seats_summary = fields.Char(
        string="Seats",
        compute="_compute_lms_seats_summary",
        help="How many seats of the course lines with several seats have a learner.",
    )

    # ------------------------------------------------------------------ learners

    def _lms_sync_course_lines(self):
        """The order's lines whose product is a course (the settings' course category)."""
        self.ensure_one()
        categories = self.env["sale.order.line"]._lms_sync_course_categories()
        return self.order_line.filtered(
            lambda line: not line.display_type and line.product_id.categ_id in categories
        )

    @api.depends("order_line.lms_learner_ids", "order_line.product_uom_qty")
    def _compute_lms_seats_summary(self):
        for order in self:
            lines = order._lms_sync_course_lines().filtered(
                lambda line: line._lms_sync_seats() > 1 or line.lms_learner_ids
            )
            seats = sum(line._lms_sync_seats() for line in lines)
            assigned = sum(len(line.lms_learner_ids) for line in lines)
            order.lms_seats_summary = (
                _("%(assigned)s of %(seats)s seats assigned", assigned=assigned, seats=seats)
                if seats
                else False
            )

    def action_lms_assign_learners(self):
        """Opens the Assign learners wizard on this order's course lines."""
        self.ensure_one()
        if self.state != "sale":
            raise UserError(_("Learners are assigned on confirmed sales orders only."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Assign learners"),
            "res_model": "lms.sync.assign.learners",
            "view_mode": "form",
            "views": [(self.env.ref("lms_sync.view_lms_sync_assign_learners_form").id, "form")],
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------ configuration

    @api.model
    def _lms_sync_target(self, raise_if_missing=True):
        params = self.env["ir.config_parameter"].sudo()
        base_url = (params.get_param(PARAM_MIDDLEWARE_URL) or "").strip()
        secret = (params.get_param(PARAM_WEBHOOK_SECRET) or "").strip()
        if not base_url or not secret:
            if raise_if_missing:
                raise UserError(
                    _(
                        "LMS Sync is not configured: an administrator must fill the "
                        "Service URL and the Webhook Secret in Settings → Sales → LMS Sync."
                    )
                )
            return None
        try:
            timeout = int(params.get_param(PARAM_TIMEOUT) or DEFAULT_TIMEOUT)
        except ValueError:
            timeout = DEFAULT_TIMEOUT
        return delivery.Target(base_url, secret, max(timeout, 1))

    # ------------------------------------------------------------------ paid / refunded

    def _lms_sync_customer_documents(self):
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type in ("out_invoice", "out_refund")
        )

    def _lms_sync_is_paid(self):
        """State `sale`, at least one posted customer invoice, all of them
        paid/in_payment, and no posted credit note (that would mean refunded)."""
        self.ensure_one()
        documents = self._lms_sync_customer_documents()
        invoices = documents.filtered(lambda m: m.move_type == "out_invoice")
        return (
            self.state == "sale"
            and bool(invoices)
            and all(m.payment_state in PAID_STATES for m in invoices)
            and not documents.filtered(lambda m: m.move_type == "out_refund")
        )

    def _lms_sync_event(self, event_type):
        """Stable (webhook-id, body) of an automatic notification for this order.

        The id is derived from the order, the event and its invoices' states, and the body
        carries no clock time: the event timestamp is the creation time of the newest of
        those invoices. So the same facts notified twice give byte-identical deliveries
        that the service answers `200 duplicate` (a different body under the same id would
        be a 409/422 conflict).

        A change of learners is a fact of its own transaction: its id also carries the
        learners and the transaction's time, which is also the event's. Going back to an
        earlier set (one pupil, two, then one again) is a third change, which must not be
        answered as a duplicate of the first: it takes a learner off the line.
        """
        self.ensure_one()
        documents = self._lms_sync_customer_documents().sorted("id")
        fingerprint = ",".join(f"{m.id}:{m.move_type}:{m.payment_state}" for m in documents)
        occurred_at = max(documents.mapped("create_date")) if documents else self.write_date
        if event_type == EVENT_LEARNERS_CHANGED:
            occurred_at = self.env.cr.now()
            fingerprint += "|" + ";".join(
                f"{line.id}:{','.join(map(str, sorted(line.lms_learner_ids.ids)))}"
                for line in self.order_line.sorted("id")
            )
            fingerprint += f"|{occurred_at.isoformat()}"
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        msg_id = webhook_signing.stable_msg_id(db_uuid, event_type, self.id, fingerprint)
        data = {"orderId": self.id, "orderName": self._lms_sync_order_name()}
        return msg_id, webhook_signing.encode_body(event_type, data, occurred_at)

    def _lms_sync_order_name(self):
        """The order's name as the service accepts it (see lib/payload_text.py)."""
        self.ensure_one()
        return bounded_name(self.name, ORDER_NAME_MAX_LENGTH, f"#{self.id}")

    @api.model
    def _lms_sync_queue_notifications(self, events):
        """Queue ``(order, event_type)`` notifications to be sent after commit.

        Called while the transaction is still open (precommit): everything is read from the
        database here; the post-commit callback touches no cursor, it only signs (with the
        send time, which the ±5 minutes check needs), sends and logs. One delivery per
        (order, event) per transaction.
        """
        target = self._lms_sync_target(raise_if_missing=False)
        if not target:
            _logger.info("LMS sync: not configured, %d notification(s) not sent", len(events))
            return
        data = self.env.cr.postcommit.data
        if "lms_sync.deliveries" not in data:
            data["lms_sync.deliveries"] = []
            data["lms_sync.queued"] = set()
            self.env.cr.postcommit.add(
                functools.partial(delivery.post_events_quietly, data["lms_sync.deliveries"])
            )
        for order, event_type in events:
            if (order.id, event_type) in data["lms_sync.queued"]:
                continue
            data["lms_sync.queued"].add((order.id, event_type))
            msg_id, body = order._lms_sync_event(event_type)
            label = f"{event_type} for {order._lms_sync_order_name()}"
            data["lms_sync.deliveries"].append((target, msg_id, body, label))

    # ------------------------------------------------------------------ Retry Enrollment

    def action_lms_retry_enrollment(self):
        """Ask the service to enroll these orders again (button and list action).

        Unlike the automatic hooks, this sends synchronously inside the request: the user
        is waiting for the answer and must see a refusal as an error. Per order it writes
        `pending` and flushes first (the row lock makes the service's write-back, which
        can come within milliseconds, wait for our commit instead of being overwritten),
        then sends; a failure raises and its savepoint rolls that write back, so with
        several orders one failure does not undo the orders the service already accepted.
        """
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(
                _("Only members of LMS Sync / User or LMS Sync / Manager can retry an enrollment.")
            )
        if not self:
            return False
        not_confirmed = self.filtered(lambda o: o.state != "sale")
        if not_confirmed:
            raise UserError(
                _(
                    "Retry Enrollment only applies to confirmed sales orders. Not confirmed: %(orders)s",
                    orders=", ".join(not_confirmed.mapped("name")),
                )
            )
        target = self._lms_sync_target()
        failures = []
        for order in self:
            try:
                with self.env.cr.savepoint():
                    order._lms_sync_request_retry(target)
            except UserError as err:
                failures.append((order, err.args[0]))
        if len(self) == 1 and failures:
            raise UserError(failures[0][1])
        if len(failures) == len(self):
            raise UserError("\n\n".join(f"{order.name}: {message}" for order, message in failures))
        if failures:
            return self._lms_sync_notification(
                _("Retry Enrollment: %(failed)s of %(total)s failed", failed=len(failures), total=len(self)),
                "\n".join(f"{order.name}: {message}" for order, message in failures),
                "warning",
            )
        return self._lms_sync_notification(
            _("Retry Enrollment sent"),
            _("The LMS sync service accepted %(orders)s.", orders=", ".join(self.mapped("name"))),
            "success",
        )

    def _lms_sync_request_retry(self, target, line_ids=None):
        self.ensure_one()
        self.lms_sync_state = "pending"
        self.flush_recordset(["lms_sync_state"])
        user = self.env.user
        data = {
            "orderId": self.id,
            "orderName": self._lms_sync_order_name(),
            "requestedBy": {
                "userId": user.id,
                "name": bounded_name(user.name, USER_NAME_MAX_LENGTH, user.login or f"#{user.id}"),
            },
        }
        if line_ids:
            data["lineIds"] = list(line_ids)
        now = fields.Datetime.now()
        body = webhook_signing.encode_body(EVENT_RETRY, data, now)
        result = delivery.post_event(target, body)
        if not result.ok:
            _logger.warning(
                "LMS sync: retry of %s refused (%s %s: %s)",
                data["orderName"],
                result.kind,
                result.status_code or "",
                result.detail,
            )
            raise UserError(self._lms_sync_delivery_error(result, target))
        self._lms_sync_post_retry_note(result, now)
        return result

    def _lms_sync_post_retry_note(self, result, when):
        answer = f"HTTP {result.status_code} {result.kind}"
        rows = [
            (_("Requested by"), self.env.user.name),
            (_("At"), format_datetime(self.env, when)),
            (_("Service answer"), answer),
            (_("Event id"), result.event_id or "-"),
            (_("Webhook id"), result.msg_id),
        ]
        items = Markup("").join(Markup("<li>%s: %s</li>") % row for row in rows)
        body = Markup("<p>%s</p><ul>%s</ul>") % (_("Retry Enrollment sent to the LMS sync service."), items)
        self.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")

    def _lms_sync_delivery_error(self, result, target):
        settings = _("Settings → Sales → LMS Sync")
        values = {
            "order": self.name,
            "url": result.url,
            "status": result.status_code,
            "detail": result.detail,
            "timeout": target.timeout,
            "settings": settings,
        }
        if result.kind == "timeout":
            message = _(
                "The LMS sync service did not answer within %(timeout)s seconds (%(url)s). "
                "Check that the service is up (its /readyz page), then try again; if it is "
                "slow, raise the Timeout in %(settings)s."
            )
        elif result.kind == "connection":
            message = _(
                "Could not reach the LMS sync service at %(url)s. Check the Service URL in "
                "%(settings)s and that the service is running (its /healthz page). Detail: %(detail)s"
            )
        elif result.status_code == 401:
            message = _(
                "The LMS sync service refused the signature (HTTP 401). Check that the Webhook "
                "Secret in %(settings)s is one of the service's WEBHOOK_SECRETS and that this "
                "server's clock is right (5 minutes tolerance)."
            )
        elif result.status_code in (404, 405):
            message = _(
                "%(url)s answered HTTP %(status)s: the Service URL in %(settings)s must be the "
                "service's base address (without /webhooks/odoo)."
            )
        elif result.status_code == 409:
            message = _(
                "The LMS sync service is still recording an earlier request for %(order)s "
                "(HTTP 409). Try again in a few seconds."
            )
        elif result.status_code >= 500:
            message = _(
                "The LMS sync service failed while handling %(order)s (HTTP %(status)s). Check "
                "the service's health (/readyz) and its logs, then try again."
            )
        else:
            message = _(
                "The LMS sync service rejected the request for %(order)s (HTTP %(status)s: "
                "%(detail)s). The addon and the service versions may not match: contact your "
                "technical team."
            )
        return message % values

    def _lms_sync_notification(self, title, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
