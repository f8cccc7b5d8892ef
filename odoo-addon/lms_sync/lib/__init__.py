# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
# Plain helpers without any odoo import: webhook_signing and payload_text (standard library
# only) and delivery (requests). Nothing is imported here, so loading one of them never
# loads odoo.
