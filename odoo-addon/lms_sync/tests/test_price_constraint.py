# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import LmsSyncCommon


@tagged("post_install", "-at_install")
class TestCoursePriceConstraint(LmsSyncCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lms_sync()
        cls.order = cls._order(confirm=False)
        cls.line = cls.order.order_line

    def _set_price(self, price, user=None):
        self.line.with_user(user or self.sales_user).write({"price_unit": price})

    def test_list_price_and_prices_within_the_deviation_are_accepted(self):
        for price in (1000.0, 800.0, 1200.0):
            self._set_price(price)
            self.assertEqual(self.line.price_unit, price)

    def test_a_zero_price_course_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._set_price(0.0)
        self.assertIn(self.order.name, str(caught.exception))
        self.assertIn("Python K12", str(caught.exception))

    def test_a_negative_price_course_is_refused_even_with_the_override(self):
        with self.assertRaises(ValidationError):
            self._set_price(-10.0, user=self.price_override_user)

    def test_a_deviation_above_the_limit_names_the_allowed_range(self):
        with self.assertRaises(ValidationError) as caught:
            self._set_price(700.0)
        message = str(caught.exception)
        for expected in (self.order.name, "Python K12", "700", "800", "1,200", "20%"):
            self.assertIn(expected, message)

    def test_the_price_override_group_may_deviate(self):
        self._set_price(500.0, user=self.price_override_user)
        self.assertEqual(self.line.price_unit, 500.0)

    def test_the_limit_comes_from_the_settings(self):
        self.env["ir.config_parameter"].sudo().set_param("lms_sync.max_price_deviation_pct", "50")
        self._set_price(600.0)
        self.assertEqual(self.line.price_unit, 600.0)

    def test_products_outside_the_course_category_are_not_checked(self):
        order = self._order(products=self.book, confirm=False)
        order.order_line.with_user(self.sales_user).write({"price_unit": 0.0})
        self.assertEqual(order.order_line.price_unit, 0.0)

    def test_a_course_in_the_parent_category_is_checked(self):
        self.course.categ_id = self.course_category
        with self.assertRaises(ValidationError):
            self._set_price(0.0)

    def test_section_and_note_lines_are_not_checked(self):
        self.order.write(
            {
                "order_line": [
                    (0, 0, {"display_type": "line_section", "name": "Courses"}),
                    (0, 0, {"display_type": "line_note", "name": "Starts in June"}),
                ]
            }
        )
        self.assertEqual(len(self.order.order_line), 3)

    def test_downpayment_lines_are_not_checked(self):
        self.env["sale.order.line"].create(
            {
                "order_id": self.order.id,
                "product_id": self.course.id,
                "price_unit": 0.0,
                "is_downpayment": True,
            }
        )
