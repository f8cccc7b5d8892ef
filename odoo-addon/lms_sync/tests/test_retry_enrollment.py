# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import json

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.lms_sync.lib import webhook_signing

from odoo.addons.lms_sync.lib.payload_text import ORDER_NAME_MAX_LENGTH, USER_NAME_MAX_LENGTH

from .common import (
    LONG_NAME,
    SECRET,
    SERVICE_URL,
    LmsSyncCommon,
    assert_name_within,
    fake_response,
    mocked_post,
)

ACCEPTED = {"eventId": "evt-1", "status": "accepted"}


@tagged("post_install", "-at_install")
class TestRetryEnrollment(LmsSyncCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lms_sync()
        cls.order = cls._order()

    def _retry_note(self, order=None):
        # the state change is tracked in a message of its own: find our note by its text
        notes = (order or self.order).message_ids.filtered(lambda m: "Retry Enrollment" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        return notes

    def _retry(self, orders=None, user=None):
        orders = orders or self.order
        return orders.with_user(user or self.lms_user).action_lms_retry_enrollment()

    def test_posts_one_signed_retry_request(self):
        with mocked_post(fake_response(202, ACCEPTED)) as post:
            self._retry()
        post.assert_called_once()
        args, kwargs = post.call_args
        self.assertEqual(args[0], SERVICE_URL + "/webhooks/odoo")
        self.assertEqual(kwargs["timeout"], 7)
        headers, body = kwargs["headers"], kwargs["data"]
        self.assertEqual(
            headers["webhook-signature"],
            webhook_signing.sign(SECRET, headers["webhook-id"], headers["webhook-timestamp"], body),
        )
        self.assertEqual(headers["content-type"], "application/json")
        payload = json.loads(body)
        self.assertEqual(payload["type"], "enrollment.retry_requested")
        self.assertEqual(
            payload["data"],
            {
                "orderId": self.order.id,
                "orderName": self.order.name,
                "requestedBy": {"userId": self.lms_user.id, "name": "Ops Agent"},
            },
        )

    def test_long_names_are_sent_cleaned_and_within_the_service_limits(self):
        self.order.name = LONG_NAME
        self.lms_user.name = LONG_NAME
        with mocked_post(fake_response(202, ACCEPTED)) as post:
            self._retry()
        data = json.loads(post.call_args.kwargs["data"])["data"]
        assert_name_within(self, data["orderName"], ORDER_NAME_MAX_LENGTH)
        assert_name_within(self, data["requestedBy"]["name"], USER_NAME_MAX_LENGTH)

    def test_accepted_sets_pending_and_notes_who_and_the_answer(self):
        with mocked_post(fake_response(202, ACCEPTED)):
            action = self._retry()
        self.assertEqual(self.order.lms_sync_state, "pending")
        self.assertEqual(action["params"]["type"], "success")
        note = self._retry_note()
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("Ops Agent", note.body)
        self.assertIn("evt-1", note.body)
        self.assertIn("202", note.body)

    def test_duplicate_answer_counts_as_success(self):
        with mocked_post(fake_response(200, {"eventId": "evt-0", "status": "duplicate"})):
            self._retry()
        self.assertEqual(self.order.lms_sync_state, "pending")
        self.assertIn("duplicate", self._retry_note().body)

    def test_each_click_is_a_new_delivery(self):
        with mocked_post(fake_response(202, ACCEPTED), fake_response(202, ACCEPTED)) as post:
            self._retry()
            self._retry()
        ids = {call.kwargs["headers"]["webhook-id"] for call in post.call_args_list}
        self.assertEqual(len(ids), 2)

    def test_service_error_is_a_user_error_naming_what_to_check(self):
        self.order.lms_sync_state = "failed"
        with mocked_post(fake_response(503, {"error": "unavailable"})), self.assertRaises(UserError) as caught:
            self._retry()
        self.assertIn("503", str(caught.exception))
        self.assertIn("/readyz", str(caught.exception))
        self.assertEqual(self.order.lms_sync_state, "failed", "the state is left as it was")

    def test_bad_signature_points_to_the_secret(self):
        with mocked_post(fake_response(401, {"error": "unauthorized"})), self.assertRaises(UserError) as caught:
            self._retry()
        self.assertIn("Webhook Secret", str(caught.exception))

    def test_timeout_is_a_user_error(self):
        with mocked_post(requests.Timeout("read timed out")), self.assertRaises(UserError) as caught:
            self._retry()
        self.assertIn("7 seconds", str(caught.exception))

    def test_unreachable_service_points_to_the_url_setting(self):
        with mocked_post(requests.ConnectionError("refused")), self.assertRaises(UserError) as caught:
            self._retry()
        self.assertIn("Service URL", str(caught.exception))

    def test_missing_configuration_points_to_settings(self):
        self.env["ir.config_parameter"].sudo().set_param("lms_sync.webhook_secret", False)
        with mocked_post() as post, self.assertRaises(UserError) as caught:
            self._retry()
        post.assert_not_called()
        self.assertIn("Settings", str(caught.exception))

    def test_users_outside_the_lms_groups_are_refused(self):
        with mocked_post() as post, self.assertRaises(AccessError):
            self._retry(user=self.sales_user)
        post.assert_not_called()

    def test_quotations_are_refused(self):
        quotation = self._order(confirm=False)
        with mocked_post() as post, self.assertRaises(UserError):
            self._retry(quotation)
        post.assert_not_called()

    def test_several_orders_keep_the_accepted_ones_when_one_fails(self):
        second = self._order()
        with mocked_post(fake_response(202, ACCEPTED), fake_response(500, {})) as post:
            action = self._retry(self.order | second)
        self.assertEqual(post.call_count, 2)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(second.name, action["params"]["message"])
        self.assertEqual(self.order.lms_sync_state, "pending")
        self.assertFalse(second.lms_sync_state)

    def test_server_action_calls_the_same_method(self):
        second = self._order()
        server_action = self.env.ref("lms_sync.action_server_lms_retry_enrollment")
        orders = self.order | second
        with mocked_post(fake_response(202, ACCEPTED), fake_response(202, ACCEPTED)) as post:
            action = server_action.with_user(self.lms_user).with_context(
                active_model="sale.order", active_ids=orders.ids, active_id=orders[0].id
            ).run()
        self.assertEqual(post.call_count, 2)
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(set(orders.mapped("lms_sync_state")), {"pending"})
