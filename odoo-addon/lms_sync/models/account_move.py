# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import models

from .sale_order import EVENT_PAID, EVENT_REFUNDED, PAID_STATES

# Transaction-scoped scratch space, in cr.precommit.data (cleared by Odoo on commit/rollback).
INITIAL_PAYMENT_STATES = "lms_sync.initial_payment_state"
POSTED_REFUNDS = "lms_sync.posted_refunds"
CUSTOMER_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    # Which hook really fires when an invoice gets paid (17.0): `payment_state` is a
    # stored computed field. Registering a payment reconciles move lines, which marks
    # `payment_state` to recompute; the ORM then calls `_compute_field_value` and flushes
    # the new value with a low-level UPDATE. `write()` is never called, so a `write`
    # override would miss every real payment. `_compute_field_value` is the hook core
    # uses for the same need: mail tracks computed fields there and base_automation fires
    # its "on update" rules there. We capture the value before the first recomputation
    # of the transaction (as mail's `_track_prepare` does) and compare it with the final
    # one in a precommit callback, when the whole transaction's changes are known, so an
    # intermediate state (partial, then paid) or several recomputations count once.
    # `write` is watched as well, for code that assigns payment_state explicitly.
    # Signature and pattern as in 17.0: `BaseModel._compute_field_value(self, field)`
    # (odoo/models.py) is called by `Field.compute_value` once the fields are removed from
    # the to-compute set, so reading `payment_state` here returns the previous value (cache
    # or database). `mail.thread` and `sale.order` (upselling activity) override it the
    # same way. A compute method may assign several fields; `field` is only the one that
    # triggered it, hence the look-up in `pool.field_computed` (as mail does).
    def _compute_field_value(self, field):
        computed = self.pool.field_computed.get(field, [field])
        if any(f.name == "payment_state" for f in computed) and not self.env.context.get(
            "lms_sync_no_notify"
        ):
            self._lms_sync_remember_payment_state()
        return super()._compute_field_value(field)

    def write(self, vals):
        if "payment_state" in vals and not self.env.context.get("lms_sync_no_notify"):
            self._lms_sync_remember_payment_state()
        return super().write(vals)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund")
        if refunds and not self.env.context.get("lms_sync_no_notify"):
            self._lms_sync_watch()[POSTED_REFUNDS].update(refunds.ids)
        return posted

    def _lms_sync_watch(self):
        """The transaction's watch lists; registers the precommit check once."""
        data = self.env.cr.precommit.data
        if INITIAL_PAYMENT_STATES not in data:
            data[INITIAL_PAYMENT_STATES] = {}
            data[POSTED_REFUNDS] = set()
            # sudo: whoever registers the payment (e.g. an accountant) may not read orders.
            self.env.cr.precommit.add(self.env["account.move"].sudo()._lms_sync_precommit)
        return data

    def _lms_sync_remember_payment_state(self):
        customer_moves = [m for m in self if m.id and m.move_type in CUSTOMER_TYPES]
        if not customer_moves:
            return
        initial = self._lms_sync_watch()[INITIAL_PAYMENT_STATES]
        for move in customer_moves:
            # Read before the compute runs: the cache (or the database) still holds the
            # previous value; setdefault keeps the value from before the first recompute.
            initial.setdefault(move.id, move.payment_state)

    def _lms_sync_precommit(self):
        # Runs at commit, and also when a flushing savepoint is entered or released; a
        # notification queued there for work that is later rolled back is harmless: the
        # webhook is only a trigger, the service re-reads the order from Odoo.
        data = self.env.cr.precommit.data
        initial = data.pop(INITIAL_PAYMENT_STATES, {})
        refund_ids = data.pop(POSTED_REFUNDS, set())
        moves = self.browse(set(initial) | refund_ids).exists()
        paid_candidates = self.env["sale.order"]
        refunded = self.env["sale.order"]
        for move in moves:
            orders = move.line_ids.sale_line_ids.order_id
            if not orders:
                continue
            before = initial.get(move.id)
            now = move.payment_state
            if move.move_type == "out_invoice" and move.id in initial:
                if now in PAID_STATES and before not in PAID_STATES:
                    paid_candidates |= orders
                elif now == "reversed" and before != "reversed":
                    refunded |= orders
            elif move.move_type == "out_refund" and move.id in refund_ids and move.state == "posted":
                refunded |= orders
        events = [(order, EVENT_REFUNDED) for order in refunded.filtered(lambda o: o.state == "sale")]
        # "Paid" is about the order, not one invoice: all its posted invoices must be paid.
        events += [
            (order, EVENT_PAID)
            for order in (paid_candidates - refunded)
            if order._lms_sync_is_paid()
        ]
        if events:
            self.env["sale.order"].sudo()._lms_sync_queue_notifications(events)
