# Copyright 2026 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestLmsCourseCode(TransactionCase):
    def _course(self, name, code=False):
        return self.env["slide.channel"].create({"name": name, "lms_course_code": code})

    def test_a_code_names_one_course(self):
        self._course("Python for Kids", "PY-K12")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self._course("Python again", "PY-K12")
                self.env.flush_all()

    def test_courses_without_a_code_do_not_collide(self):
        self._course("Draft one")
        self._course("Draft two")
        self.env.flush_all()

    def test_a_copy_has_no_code(self):
        self.assertFalse(self._course("Python for Kids", "PY-K12").copy().lms_course_code)

    def test_a_code_with_spaces_around_it_is_refused(self):
        with self.assertRaises(ValidationError):
            self._course("Python for Kids", " PY-K12")
