# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LmsSyncAssignLearners(models.TransientModel):
    """Names the learners of each course line of a confirmed order, at most one per seat."""

    _name = "lms.sync.assign.learners"
    _description = "Assign learners to the seats of an order"

    order_id = fields.Many2one("sale.order", string="Order", required=True, readonly=True)
    lms_line_ids = fields.One2many(
        "lms.sync.assign.learners.line", "wizard_id", string="Course lines"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["sale.order"].browse(values.get("order_id"))
        if order and "lms_line_ids" in fields_list:
            values["lms_line_ids"] = [
                (0, 0, {"sale_line_id": line.id, "lms_learner_ids": [(6, 0, line.lms_learner_ids.ids)]})
                for line in order._lms_sync_course_lines()
            ]
        return values

    def action_lms_apply_learners(self):
        """Writes the learners on the order lines; the order then tells the service."""
        self.ensure_one()
        if self.order_id.state != "sale":
            raise UserError(_("Learners are assigned on confirmed sales orders only."))
        for line in self.lms_line_ids:
            line._lms_sync_check_seats()
            sale_line = line.sale_line_id
            if set(line.lms_learner_ids.ids) != set(sale_line.lms_learner_ids.ids):
                sale_line.lms_learner_ids = [(6, 0, line.lms_learner_ids.ids)]
        return {"type": "ir.actions.act_window_close"}


class LmsSyncAssignLearnersLine(models.TransientModel):
    _name = "lms.sync.assign.learners.line"
    _description = "Learners of one course line"

    wizard_id = fields.Many2one("lms.sync.assign.learners", required=True, ondelete="cascade")
    sale_line_id = fields.Many2one("sale.order.line", string="Line", required=True, readonly=True)
    lms_product_id = fields.Many2one(related="sale_line_id.product_id", string="Course")
    lms_seats = fields.Integer(string="Seats", compute="_compute_lms_seats")
    lms_learner_ids = fields.Many2many(
        "res.partner",
        "lms_sync_assign_learners_line_partner_rel",
        "line_id",
        "partner_id",
        string="Learners",
    )

    @api.depends("sale_line_id.product_uom_qty")
    def _compute_lms_seats(self):
        for line in self:
            line.lms_seats = line.sale_line_id._lms_sync_seats() if line.sale_line_id else 0

    def _lms_sync_check_seats(self):
        self.ensure_one()
        if len(self.lms_learner_ids) > self.lms_seats:
            raise UserError(
                _(
                    "%(product)s has %(seats)s seats: name at most %(seats)s learners "
                    "(%(count)s named).",
                    product=self.lms_product_id.display_name,
                    seats=self.lms_seats,
                    count=len(self.lms_learner_ids),
                )
            )
