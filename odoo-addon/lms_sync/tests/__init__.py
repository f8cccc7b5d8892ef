# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from . import test_signing
from . import test_retry_enrollment
from . import test_paid_hook
from . import test_price_constraint
from . import test_learners
