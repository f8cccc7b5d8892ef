# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import json

from odoo.tests import TransactionCase, tagged

from odoo.addons.lms_sync.lib import webhook_signing

# The vector shared with the TypeScript service: test/fixtures/webhook-signature-vector.json
# in the service repository (its CI checks this file carries the same values).
VECTOR_SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
VECTOR_ID = "msg_lms_sync_vector_1"
VECTOR_TIMESTAMP = 1714552200
VECTOR_DATA = {
    "orderId": 42,
    "orderName": "S00042",
    "requestedBy": {"userId": 7, "name": "Nguyễn Văn An"},
}
VECTOR_BODY = (
    '{"data":{"orderId":42,"orderName":"S00042","requestedBy":{"name":"Nguyễn Văn An",'
    '"userId":7}},"timestamp":"2024-05-01T08:30:00Z","type":"enrollment.retry_requested"}'
)
VECTOR_SIGNATURE = "v1,Q/XFJBEdHlygcTV/Jf5HbVBbFSKt8sbGdDVBz+xECq4="


@tagged("post_install", "-at_install")
class TestWebhookSigning(TransactionCase):
    def test_body_bytes_match_the_shared_vector(self):
        body = webhook_signing.encode_body(
            "enrollment.retry_requested", VECTOR_DATA, VECTOR_TIMESTAMP
        )
        self.assertEqual(body, VECTOR_BODY.encode("utf-8"))

    def test_signature_matches_the_shared_vector(self):
        signature = webhook_signing.sign(
            VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY.encode("utf-8")
        )
        self.assertEqual(signature, VECTOR_SIGNATURE)

    def test_one_changed_byte_changes_the_signature(self):
        tampered = VECTOR_BODY.replace('"orderId":42', '"orderId":43').encode("utf-8")
        signature = webhook_signing.sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, tampered)
        self.assertNotEqual(signature, VECTOR_SIGNATURE)

    def test_headers_carry_id_timestamp_and_signature(self):
        body = VECTOR_BODY.encode("utf-8")
        headers = webhook_signing.build_headers(
            VECTOR_SECRET, body, msg_id=VECTOR_ID, timestamp=VECTOR_TIMESTAMP
        )
        self.assertEqual(
            headers,
            {
                "webhook-id": VECTOR_ID,
                "webhook-timestamp": str(VECTOR_TIMESTAMP),
                "webhook-signature": VECTOR_SIGNATURE,
                "content-type": "application/json",
            },
        )

    def test_fresh_headers_get_a_new_id_each_time(self):
        body = b"{}"
        first = webhook_signing.build_headers(VECTOR_SECRET, body)
        second = webhook_signing.build_headers(VECTOR_SECRET, body)
        self.assertNotEqual(first["webhook-id"], second["webhook-id"])
        self.assertTrue(first["webhook-timestamp"].isdigit())

    def test_stable_ids_depend_only_on_their_parts(self):
        one = webhook_signing.stable_msg_id("db", "order.paid", 42, "7:out_invoice:paid")
        self.assertEqual(one, webhook_signing.stable_msg_id("db", "order.paid", 42, "7:out_invoice:paid"))
        self.assertNotEqual(one, webhook_signing.stable_msg_id("db", "order.refunded", 42, "7:out_invoice:paid"))

    def test_body_is_compact_json_with_an_iso_utc_timestamp(self):
        body = json.loads(webhook_signing.encode_body("order.paid", {"orderId": 1, "orderName": "S1"}, 0))
        self.assertEqual(
            body,
            {"type": "order.paid", "timestamp": "1970-01-01T00:00:00Z", "data": {"orderId": 1, "orderName": "S1"}},
        )

    def test_a_secret_that_is_not_base64_is_refused(self):
        with self.assertRaises(ValueError):
            webhook_signing.sign("whsec_not base64!", VECTOR_ID, VECTOR_TIMESTAMP, b"{}")
