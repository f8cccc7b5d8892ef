# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import json

import requests

from odoo.tests import TransactionCase, tagged

from odoo.addons.lms_sync.lib import webhook_signing
from odoo.addons.lms_sync.lib.payload_text import ORDER_NAME_MAX_LENGTH
from odoo.addons.lms_sync.models.sale_order import PAID_STATES

from . import common
from .common import LONG_NAME, SECRET, LmsSyncCommon, assert_name_within, fake_response, mocked_post


@tagged("post_install", "-at_install")
class TestPaidHook(LmsSyncCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lms_sync()
        cls._setup_invoicing_company()

    def setUp(self):
        super().setUp()
        # nothing commits in a TransactionCase: start each test with an empty queue
        self.env.cr.postcommit.clear()
        self.addCleanup(self.env.cr.postcommit.clear)

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount=None):
        values = {"amount": amount} if amount is not None else {}
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(values)._create_payments()

    def _commit_hooks(self):
        """What a commit would do before committing: flush, then the precommit hooks."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        return [
            (msg_id, json.loads(body))
            for (_target, msg_id, body, _label) in self.env.cr.postcommit.data.get("lms_sync.deliveries", [])
        ]

    def test_orders_are_invoiced_in_the_currency_the_database_already_uses(self):
        main_currency = self.env.ref("base.main_company").sudo().currency_id
        self.assertEqual(self.invoicing_company.currency_id, main_currency)
        invoice = self._invoice(self._order())
        self.assertEqual(
            (invoice.company_id, invoice.currency_id), (self.invoicing_company, main_currency)
        )

    def test_paid_invoice_queues_order_paid_once(self):
        order = self._order()
        invoice = self._invoice(order)
        self._pay(invoice)
        # Community gives "paid"; Enterprise (account_accountant) gives "in_payment" first
        self.assertIn(invoice.payment_state, PAID_STATES)
        queued = self._commit_hooks()
        self.assertEqual(
            [body["type"] for _id, body in queued], ["order.paid"], "one order.paid, nothing else"
        )
        self.assertEqual(queued[0][1]["data"], {"orderId": order.id, "orderName": order.name})

    def test_a_long_order_name_is_sent_cleaned_and_within_the_service_limit(self):
        order = self._order()
        order.name = LONG_NAME
        self._pay(self._invoice(order))
        [(_msg_id, body)] = self._commit_hooks()
        assert_name_within(self, body["data"]["orderName"], ORDER_NAME_MAX_LENGTH)

    def test_nothing_is_sent_before_commit_and_the_send_is_signed(self):
        order = self._order()
        with mocked_post(fake_response(202, {"eventId": "evt-9", "status": "accepted"})) as post:
            self._pay(self._invoice(order))
            self._commit_hooks()
            post.assert_not_called()
            self.env.cr.postcommit.run()
        post.assert_called_once()
        headers, body = post.call_args.kwargs["headers"], post.call_args.kwargs["data"]
        self.assertEqual(
            headers["webhook-signature"],
            webhook_signing.sign(SECRET, headers["webhook-id"], headers["webhook-timestamp"], body),
        )

    def test_partial_payment_is_not_paid(self):
        order = self._order()
        invoice = self._invoice(order)
        self._pay(invoice, amount=invoice.amount_total / 2)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(self._commit_hooks(), [])

    def test_order_is_paid_only_when_all_its_invoices_are(self):
        order = self._order(products=self.course | self.book)
        first = self._invoice(order)
        # a second invoice for one more book
        order.order_line.filtered(lambda line: line.product_id == self.book).product_uom_qty = 2
        second = self._invoice(order)
        self.assertNotEqual(first, second)
        self._pay(first)
        self.assertEqual([], self._commit_hooks())
        self._pay(second)
        self.assertEqual(["order.paid"], [body["type"] for _id, body in self._commit_hooks()])

    def test_the_same_facts_give_the_same_delivery(self):
        order = self._order()
        self._pay(self._invoice(order))
        first = self._commit_hooks()
        self.env.cr.postcommit.clear()
        self.env["sale.order"]._lms_sync_queue_notifications([(order, "order.paid")])
        again = self.env.cr.postcommit.data["lms_sync.deliveries"]
        self.assertEqual(first[0][0], again[0][1], "same webhook-id")
        self.assertEqual(first[0][1], json.loads(again[0][2]), "same body")

    def test_one_delivery_per_order_and_event_per_transaction(self):
        order = self._order()
        Order = self.env["sale.order"]
        Order._lms_sync_queue_notifications([(order, "order.paid")])
        Order._lms_sync_queue_notifications([(order, "order.paid"), (order, "order.paid")])
        self.assertEqual(len(self.env.cr.postcommit.data["lms_sync.deliveries"]), 1)

    def test_credit_note_queues_order_refunded(self):
        order = self._order()
        invoice = self._invoice(order)
        self._pay(invoice)
        self._commit_hooks()
        self.env.cr.postcommit.clear()
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"journal_id": invoice.journal_id.id, "reason": "course cancelled"})
        reversal.refund_moves()
        refund = self.env["account.move"].search([("reversed_entry_id", "=", invoice.id)])
        if refund.state == "draft":
            refund.action_post()
        queued = self._commit_hooks()
        self.assertEqual(["order.refunded"], [body["type"] for _id, body in queued])

    def test_a_failing_service_never_breaks_the_commit(self):
        order = self._order()
        self._pay(self._invoice(order))
        self._commit_hooks()
        with mocked_post(requests.ConnectionError("refused")) as post, self.assertLogs(
            "odoo.addons.lms_sync.lib.delivery", level="WARNING"
        ):
            self.env.cr.postcommit.run()
        post.assert_called_once()

    def test_nothing_is_queued_without_configuration(self):
        self.env["ir.config_parameter"].sudo().set_param("lms_sync.middleware_url", False)
        order = self._order()
        self._pay(self._invoice(order))
        self.assertEqual(self._commit_hooks(), [])


@tagged("post_install", "-at_install")
class TestPaidHookInALiveDatabase(TestPaidHook, common.LiveAccountingDatabase):
    """The same tests where the main company's currency is locked by its journal items."""

    def test_the_main_company_keeps_its_currency(self):
        self.assertEqual(self.env.ref("base.main_company").sudo().currency_id, self.live_currency)
