# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
{
    "name": "LMS Sync",
    "summary": "Retry Enrollment button, real-time paid/refund webhooks, LMS sync status "
    "and course price validation for the odoo-lms-sync service",
    "version": "17.0.1.1.0",
    "category": "Sales/Sales",
    "website": "https://github.com/odoo-lms-sync/odoo-lms-sync",
    "author": "odoo-lms-sync contributors",
    "license": "AGPL-3",
    "depends": ["sale_management", "account"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/lms_sync_security.xml",
        "security/ir.model.access.csv",
        "data/server_actions.xml",
        "views/assign_learners_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
    "application": False,
}
