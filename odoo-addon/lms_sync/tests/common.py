# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import json
import re
from contextlib import contextmanager
from unittest import SkipTest
from unittest.mock import patch

import requests

from odoo.tests import TransactionCase, new_test_user

SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
SERVICE_URL = "https://lms-sync.test"
POST = "odoo.addons.lms_sync.lib.delivery.requests.post"


# 300 characters: Vietnamese letters, an emoji (2 UTF-16 units), ESC, BEL, DEL and a line
# break. No NUL: PostgreSQL refuses it in text, so no stored name holds one.
LONG_NAME = ("Nguyễn\x1b Văn\x07\x7f An\n🎓 " * 20)[:300]
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def assert_name_within(case, name, limit):
    """What the service checks: 1 to ``limit`` UTF-16 units (JavaScript's string length)."""
    case.assertLessEqual(len(name.encode("utf-16-le")) // 2, limit, name)
    case.assertGreater(len(name), 0)
    case.assertIsNone(CONTROL_CHARACTERS.search(name), name)
    case.assertTrue(name.startswith("Nguyễn Văn An 🎓 Nguyễn"), name)
    case.assertTrue(name.endswith("…"), name)


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


class LiveAccountingDatabase(TransactionCase):
    """Before any fixture is built, makes the main company look like a company's own
    database: a currency other than USD, locked by a posted journal entry. A copy of a
    live database is like that already and is left as it is. Put it after the test class
    in the bases, so its setUpClass runs first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        if not cls.env["account.move.line"].search_count([("company_id", "=", company.id)], limit=1):
            if company.currency_id == cls.env.ref("base.USD"):
                vnd = cls.env.ref("base.VND")
                vnd.active = True
                company.currency_id = vnd
            cls._post_a_journal_entry(company)
        cls.live_currency = company.currency_id

    @classmethod
    def _post_a_journal_entry(cls, company):
        journal = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1
        )
        accounts = cls.env["account.account"].search(
            [("company_id", "=", company.id), ("account_type", "in", ("income", "expense"))], limit=2
        )
        if not journal or len(accounts) < 2:
            raise SkipTest("the main company has no chart of accounts to post an entry in")
        entry = cls.env["account.move"].create(
            {
                "journal_id": journal.id,
                "line_ids": [
                    (0, 0, {"account_id": accounts[0].id, "debit": 100.0}),
                    (0, 0, {"account_id": accounts[1].id, "credit": 100.0}),
                ],
            }
        )
        entry.action_post()


class LmsSyncCommon:
    """Course products, an order and the settings; mixed into a TransactionCase."""

    @classmethod
    def _setup_invoicing_company(cls):
        """Switch the tests to a company of their own, with a chart of accounts and the
        currency the database already uses, as an accountant who also sells.

        The tests run in copies of live databases too: there the main company has journal
        items, so its currency can no longer change (account's test base forces it to USD,
        which Odoo refuses), and its journals, lock dates and sequences are not ours to use.
        """
        currency = cls.env.company.currency_id
        company = cls.env["res.company"].create({"name": "LMS Sync Test Company"})
        cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        # loading a chart may set its own currency; a company without journal items may change it
        company.currency_id = currency
        accountant = new_test_user(
            cls.env(su=True),
            login="lms_sync_accountant",
            name="Accountant",
            groups="sales_team.group_sale_salesman_all_leads,account.group_account_invoice",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        cls.invoicing_company = company
        cls.env = cls.env(user=accountant, context=dict(cls.env.context, allowed_company_ids=company.ids))

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
