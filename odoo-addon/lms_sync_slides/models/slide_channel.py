# Copyright 2026 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SlideChannel(models.Model):
    _inherit = "slide.channel"

    # The service finds a course by this code: the Internal Reference (default_code)
    # of the product Odoo sells for it. Empty: the service does not enroll into it.
    lms_course_code = fields.Char(
        string="LMS Course Code",
        copy=False,
        index=True,
        help="The Internal Reference of the course product that sells this course. "
        "The odoo-lms-sync service enrolls the students who paid for that product here.",
    )

    # NULLs are distinct in PostgreSQL: courses without a code do not collide
    _sql_constraints = [
        (
            "lms_course_code_uniq",
            "unique(lms_course_code)",
            "Another course already has this LMS course code.",
        ),
    ]

    @api.constrains("lms_course_code")
    def _check_lms_course_code(self):
        for channel in self:
            code = channel.lms_course_code
            if code and code != code.strip():
                raise ValidationError(
                    _("The LMS course code of %s has spaces around it.", channel.name)
                )
