# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models

# ir.config_parameter keys, read with sudo() by the models (the middleware's RPC user and
# ordinary sales users cannot read ir.config_parameter).
PARAM_MIDDLEWARE_URL = "lms_sync.middleware_url"
PARAM_WEBHOOK_SECRET = "lms_sync.webhook_secret"
PARAM_TIMEOUT = "lms_sync.timeout_seconds"
PARAM_MAX_DEVIATION = "lms_sync.max_price_deviation_pct"
PARAM_COURSE_CATEGORY = "lms_sync.course_category"

DEFAULT_TIMEOUT = 10
DEFAULT_MAX_DEVIATION = 20.0
DEFAULT_COURSE_CATEGORY = "Courses"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lms_sync_middleware_url = fields.Char(
        string="LMS Sync Service URL",
        config_parameter=PARAM_MIDDLEWARE_URL,
        help="Base URL of the odoo-lms-sync service, e.g. https://lms-sync.example.com. "
        "Webhooks are POSTed to <URL>/webhooks/odoo.",
    )
    lms_sync_webhook_secret = fields.Char(
        string="LMS Sync Webhook Secret",
        config_parameter=PARAM_WEBHOOK_SECRET,
        groups="base.group_system",
        help="A whsec_... secret that is also listed in the service's WEBHOOK_SECRETS.",
    )
    lms_sync_timeout = fields.Integer(
        string="LMS Sync Timeout (seconds)",
        config_parameter=PARAM_TIMEOUT,
        default=DEFAULT_TIMEOUT,
    )
    lms_sync_max_price_deviation_pct = fields.Float(
        string="Maximum Course Price Deviation (%)",
        config_parameter=PARAM_MAX_DEVIATION,
        default=DEFAULT_MAX_DEVIATION,
        help="A course line whose unit price differs from the product's sales price by "
        "more than this percentage is refused, unless the user belongs to "
        "'LMS Sync / Price Override'.",
    )
    lms_sync_course_category = fields.Char(
        string="Course Product Category",
        config_parameter=PARAM_COURSE_CATEGORY,
        default=DEFAULT_COURSE_CATEGORY,
        help="Products in this category (sub-categories included) are LMS courses. "
        "Must match the service's COURSE_CATEGORY.",
    )
