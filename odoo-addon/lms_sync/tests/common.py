# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import json
from contextlib import contextmanager
from unittest.mock import patch

import requests

from odoo.tests import new_test_user

SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
SERVICE_URL = "https://lms-sync.test"
POST = "odoo.addons.lms_sync.lib.delivery.requests.post"


def fake_response(status_code, payload=None):
    response = requests.Response()
    response.status_code = status_code
    response._content = json.dumps(payload or {}).encode()
    response.headers["Content-Type"] = "application/json"
    return response


@contextmanager
def mocked_post(*answers):
    """Patch requests.post where the addon calls it; answers are responses or exceptions."""
    with patch(POST, side_effect=list(answers)) as post:
        yield post


class LmsSyncCommon:
    """Course products, an order and the settings; mixed into a TransactionCase."""

    @classmethod
    def _setup_lms_sync(cls):
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("lms_sync.middleware_url", SERVICE_URL + "/")
        params.set_param("lms_sync.webhook_secret", SECRET)
        params.set_param("lms_sync.timeout_seconds", "7")
        params.set_param("lms_sync.course_category", "LMS Test Courses")
        params.set_param("lms_sync.max_price_deviation_pct", "20")
        Category = cls.env["product.category"]
        cls.course_category = Category.create({"name": "LMS Test Courses"})
        cls.course_subcategory = Category.create(
            {"name": "Python", "parent_id": cls.course_category.id}
        )
        cls.other_category = Category.create({"name": "LMS Test Books"})
        cls.course = cls.env["product.product"].create(
            {
                "name": "Python K12",
                "default_code": "PY-K12",
                "list_price": 1000.0,
                "categ_id": cls.course_subcategory.id,
                "taxes_id": [(5, 0, 0)],
            }
        )
        cls.book = cls.env["product.product"].create(
            {
                "name": "Python book",
                "list_price": 50.0,
                "categ_id": cls.other_category.id,
                "taxes_id": [(5, 0, 0)],
            }
        )
        cls.student = cls.env["res.partner"].create(
            {"name": "Nguyễn Văn An", "email": "an@example.com"}
        )
        admin_env = cls.env(su=True)  # creating users needs more than sales/accounting rights
        cls.lms_user = new_test_user(
            admin_env,
            login="lms_sync_ops",
            name="Ops Agent",
            groups="sales_team.group_sale_salesman_all_leads,lms_sync.group_lms_sync_user",
        )
        cls.sales_user = new_test_user(
            admin_env,
            login="lms_sync_sales",
            name="Sales Person",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.price_override_user = new_test_user(
            admin_env,
            login="lms_sync_pricing",
            name="Pricing Lead",
            groups="sales_team.group_sale_salesman_all_leads,lms_sync.group_lms_sync_price_override",
        )

    @classmethod
    def _order(cls, products=None, confirm=True, price_unit=None):
        lines = [
            (0, 0, {"product_id": product.id, "product_uom_qty": 1.0})
            for product in (products or cls.course)
        ]
        order = cls.env["sale.order"].create({"partner_id": cls.student.id, "order_line": lines})
        if price_unit is not None:
            order.order_line.price_unit = price_unit
        if confirm:
            order.action_confirm()
        return order
