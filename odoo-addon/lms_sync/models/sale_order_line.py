# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, format_amount

from .sale_order import EVENT_LEARNERS_CHANGED
from .res_config_settings import (
    DEFAULT_COURSE_CATEGORY,
    DEFAULT_MAX_DEVIATION,
    PARAM_COURSE_CATEGORY,
    PARAM_MAX_DEVIATION,
)

PRICE_OVERRIDE_GROUP = "lms_sync.group_lms_sync_price_override"


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Who takes the seats of a course line: a parent's child, a school's pupils. The
    # service enrolls each of them (LEARNER_SOURCE=attendees); a line of quantity N takes
    # at most N.
    lms_learner_ids = fields.Many2many(
        "res.partner",
        "lms_sync_sale_line_learner_rel",
        "line_id",
        "partner_id",
        string="Learners",
        copy=False,
        help="The contacts who take the seats of this course line, at most its quantity. "
        "The LMS sync service enrolls each of them as soon as they are named.",
    )

    def _lms_sync_seats(self):
        """The seats a line buys: its quantity, whole seats only."""
        self.ensure_one()
        return max(int(self.product_uom_qty or 0), 0)

    @api.constrains("lms_learner_ids", "product_uom_qty")
    def _check_lms_learner_count(self):
        for line in self:
            seats = line._lms_sync_seats()
            if len(line.lms_learner_ids) > seats:
                raise ValidationError(
                    _(
                        "Order %(order)s, line %(product)s: %(count)s learners for %(seats)s "
                        "seats. A line takes at most as many learners as its quantity.",
                        order=line.order_id.name or _("New"),
                        product=line.product_id.display_name,
                        count=len(line.lms_learner_ids),
                        seats=seats,
                    )
                )

    def write(self, vals):
        before = {}
        if "lms_learner_ids" in vals:
            before = {line.id: set(line.lms_learner_ids.ids) for line in self}
        result = super().write(vals)
        if before:
            changed = self.filtered(lambda line: set(line.lms_learner_ids.ids) != before[line.id])
            orders = changed.order_id.filtered(lambda order: order.state == "sale")
            if orders:
                # sent after commit, like order.paid: the service reads the learners back
                self.env["sale.order"].sudo()._lms_sync_queue_notifications(
                    [(order, EVENT_LEARNERS_CHANGED) for order in orders]
                )
        return result

    # Also fires when the ORM recomputes price_unit (pricelist, quantity or product
    # change), not only on explicit writes: a pricelist that discounts a course beyond
    # the allowed deviation is refused too, which is the point ("Fix giá" tickets).
    @api.constrains("price_unit", "product_id")
    def _check_lms_course_price(self):
        lines = self.filtered(lambda line: line._lms_sync_price_checked())
        if not lines:
            return
        course_categories = self._lms_sync_course_categories()
        lines = lines.filtered(lambda line: line.product_id.categ_id in course_categories)
        if not lines:
            return
        may_override = self.env.user.has_group(PRICE_OVERRIDE_GROUP)
        max_pct = self._lms_sync_max_deviation_pct()
        for line in lines:
            line._lms_sync_check_price(max_pct, may_override)

    def _lms_sync_price_checked(self):
        """Lines that carry no course price of their own are not checked."""
        self.ensure_one()
        if self.display_type or self.is_downpayment or not self.product_id:
            return False
        # loyalty rewards and discount lines carry a negative price by design
        is_reward = "is_reward_line" in self._fields and self.is_reward_line
        company = self.company_id
        is_discount = (
            "sale_discount_product_id" in company._fields
            and self.product_id == company.sale_discount_product_id
        )
        return not (self.price_unit < 0 and (is_reward or is_discount))

    @api.model
    def _lms_sync_course_categories(self):
        """The course category named in the settings and all its sub-categories."""
        name = (
            self.env["ir.config_parameter"].sudo().get_param(PARAM_COURSE_CATEGORY)
            or DEFAULT_COURSE_CATEGORY
        ).strip()
        Category = self.env["product.category"].sudo()
        # "All / Courses" names one category by its full path, "Courses" by its name
        field = "complete_name" if "/" in name else "name"
        roots = Category.search([(field, "=", name)])
        if not roots:
            return Category
        return Category.search([("id", "child_of", roots.ids)])

    @api.model
    def _lms_sync_max_deviation_pct(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_MAX_DEVIATION)
        try:
            return float(value) if value not in (None, False, "") else DEFAULT_MAX_DEVIATION
        except ValueError:
            return DEFAULT_MAX_DEVIATION

    def _lms_sync_reference_price(self):
        """The product's sales price, in the line's currency and unit of measure."""
        self.ensure_one()
        product = self.product_id
        price = product.lst_price
        if self.product_uom and self.product_uom != product.uom_id:
            price = product.uom_id._compute_price(price, self.product_uom)
        if self.currency_id and product.currency_id and self.currency_id != product.currency_id:
            price = product.currency_id._convert(
                price,
                self.currency_id,
                self.company_id or self.env.company,
                self.order_id.date_order or fields.Date.context_today(self),
            )
        return price

    def _lms_sync_check_price(self, max_pct, may_override):
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        rounding = currency.rounding
        values = {
            "order": self.order_id.name or _("New"),
            "product": self.product_id.display_name,
            "price": format_amount(self.env, self.price_unit, currency),
        }
        if float_compare(self.price_unit, 0.0, precision_rounding=rounding) <= 0:
            raise ValidationError(
                _(
                    "Order %(order)s, line %(product)s: a course cannot be sold at %(price)s. "
                    "The unit price must be greater than zero.",
                    **values,
                )
            )
        reference = self._lms_sync_reference_price()
        if may_override or float_compare(reference, 0.0, precision_rounding=rounding) <= 0:
            return
        low = reference * (1 - max_pct / 100.0)
        high = reference * (1 + max_pct / 100.0)
        too_low = float_compare(self.price_unit, low, precision_rounding=rounding) < 0
        too_high = float_compare(self.price_unit, high, precision_rounding=rounding) > 0
        if too_low or too_high:
            raise ValidationError(
                _(
                    "Order %(order)s, line %(product)s: the unit price %(price)s is outside "
                    "the allowed range %(low)s – %(high)s (sales price %(reference)s ± "
                    "%(pct)s%%). Correct the price, or ask a member of "
                    "'LMS Sync / Price Override' to set it.",
                    low=format_amount(self.env, max(low, 0.0), currency),
                    high=format_amount(self.env, high, currency),
                    reference=format_amount(self.env, reference, currency),
                    pct=f"{max_pct:g}",
                    **values,
                )
            )
