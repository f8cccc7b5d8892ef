# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import json
from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.lms_sync.models.sale_order import EVENT_LEARNERS_CHANGED

from .common import LmsSyncCommon


@tagged("post_install", "-at_install")
class TestLearners(LmsSyncCommon, TransactionCase):
    """The learners of a course line, the Assign learners wizard, the limit of one learner
    per seat, and the order.learners_changed webhook queued after commit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lms_sync()
        cls.school = cls.env["res.partner"].create(
            {"name": "Trường Tiểu học", "email": "office@school.example", "is_company": True}
        )
        cls.pupils = cls.env["res.partner"].create(
            [{"name": f"Pupil {i}", "parent_id": cls.school.id} for i in range(1, 5)]
        )

    def setUp(self):
        super().setUp()
        self.env.cr.postcommit.clear()
        self.addCleanup(self.env.cr.postcommit.clear)

    def _seat_order(self, seats=3):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.school.id,
                "order_line": [(0, 0, {"product_id": self.course.id, "product_uom_qty": seats})],
            }
        )
        order.action_confirm()
        return order

    def _queued_deliveries(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        return [
            (msg_id, json.loads(body))
            for (_target, msg_id, body, _label) in self.env.cr.postcommit.data.get("lms_sync.deliveries", [])
        ]

    def _queued_events(self):
        return [body for _msg_id, body in self._queued_deliveries()]

    def _wizard(self, order):
        action = order.with_user(self.lms_user).action_lms_assign_learners()
        return (
            self.env[action["res_model"]]
            .with_user(self.lms_user)
            .with_context(action["context"])
            .create({})
        )

    def test_a_line_takes_at_most_as_many_learners_as_its_quantity(self):
        line = self._seat_order(seats=3).order_line
        line.lms_learner_ids = [(6, 0, self.pupils[:3].ids)]
        self.assertEqual(line.lms_learner_ids, self.pupils[:3])
        with self.assertRaises(ValidationError):
            line.lms_learner_ids = [(6, 0, self.pupils.ids)]

    def test_the_order_says_how_many_seats_are_assigned(self):
        order = self._seat_order(seats=3)
        self.assertEqual(order.lms_seats_summary, "0 of 3 seats assigned")
        order.order_line.lms_learner_ids = [(6, 0, self.pupils[:2].ids)]
        self.assertEqual(order.lms_seats_summary, "2 of 3 seats assigned")

    def test_the_wizard_lists_the_course_lines_and_writes_their_learners(self):
        order = self._seat_order(seats=3)
        wizard = self._wizard(order)
        self.assertEqual(wizard.lms_line_ids.sale_line_id, order.order_line)
        self.assertEqual(wizard.lms_line_ids.lms_seats, 3)
        wizard.lms_line_ids.lms_learner_ids = [(6, 0, self.pupils[:2].ids)]
        wizard.action_lms_apply_learners()
        self.assertEqual(order.order_line.lms_learner_ids, self.pupils[:2])

    def test_the_wizard_refuses_more_learners_than_seats(self):
        order = self._seat_order(seats=2)
        wizard = self._wizard(order)
        wizard.lms_line_ids.lms_learner_ids = [(6, 0, self.pupils[:3].ids)]
        with self.assertRaises(UserError):
            wizard.action_lms_apply_learners()
        self.assertFalse(order.order_line.lms_learner_ids)

    def test_the_wizard_is_for_confirmed_orders_only(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.school.id, "order_line": [(0, 0, {"product_id": self.course.id})]}
        )
        with self.assertRaises(UserError):
            order.with_user(self.lms_user).action_lms_assign_learners()

    def test_changing_learners_queues_one_learners_changed_webhook(self):
        order = self._seat_order(seats=3)
        self.env.cr.postcommit.clear()
        order.order_line.lms_learner_ids = [(6, 0, self.pupils[:1].ids)]
        order.order_line.lms_learner_ids = [(6, 0, self.pupils[:2].ids)]
        events = self._queued_events()
        self.assertEqual([e["type"] for e in events], [EVENT_LEARNERS_CHANGED])
        self.assertEqual(events[0]["data"], {"orderId": order.id, "orderName": order.name})

    def test_the_same_learners_again_queue_nothing(self):
        order = self._seat_order(seats=3)
        order.order_line.lms_learner_ids = [(6, 0, self.pupils[:1].ids)]
        self.env.cr.postcommit.clear()
        order.order_line.lms_learner_ids = [(6, 0, self.pupils[:1].ids)]
        self.assertEqual(self._queued_events(), [])

    def test_a_new_set_of_learners_is_a_new_webhook_id(self):
        order = self._seat_order(seats=3)
        order.order_line.lms_learner_ids = [(6, 0, self.pupils[:1].ids)]
        first, _body = order._lms_sync_event(EVENT_LEARNERS_CHANGED)
        order.order_line.lms_learner_ids = [(6, 0, self.pupils[:2].ids)]
        second, _body = order._lms_sync_event(EVENT_LEARNERS_CHANGED)
        self.assertNotEqual(first, second)

    def test_going_back_to_an_earlier_set_of_learners_is_a_new_webhook(self):
        """One pupil, two, then one again, each in its own transaction (a TransactionCase has
        one, so the transaction clock, cr.now(), is mocked to tell them apart): three changes,
        three webhook ids. The service answers an id it already holds as a duplicate, or as a
        conflict when the body differs, so the third change, which takes a learner off the
        line, would be lost if it reused the first one's id."""
        order = self._seat_order(seats=3)
        deliveries = []
        for second, learners in ((1, self.pupils[:1]), (2, self.pupils[:2]), (3, self.pupils[:1])):
            self.env.cr.postcommit.clear()
            with patch.object(self.env.cr, "now", return_value=datetime(2024, 5, 1, 8, 30, second)):
                order.order_line.lms_learner_ids = [(6, 0, learners.ids)]
                deliveries += self._queued_deliveries()
        self.assertEqual([body["type"] for _id, body in deliveries], [EVENT_LEARNERS_CHANGED] * 3)
        self.assertEqual(len({msg_id for msg_id, _body in deliveries}), 3, deliveries)
        # the event's time is the change's, not that of an invoice of the order
        self.assertEqual(
            [body["timestamp"] for _id, body in deliveries],
            ["2024-05-01T08:30:01Z", "2024-05-01T08:30:02Z", "2024-05-01T08:30:03Z"],
        )
