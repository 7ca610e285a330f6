# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The counter sales of cards and phones, each a done move of the stock
engine from the clerk's counter to the customers, and the adjustments that
correct a counter after the audit."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Check, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.hall_duties.common import acting_employee
from trytond.modules.hall_duties.roster import SHIFT_TIMES, SHIFTS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .common import CounterDocumentMixin, check_available, check_quantity
from .exceptions import DocumentStateError, StockValidationError

STATES = [
    ('done', "Done"),
    ('cancelled', "Cancelled"),
    ]


class _CounterMoveMixin(CounterDocumentMixin):
    "A document that is one done move of the stock engine at a counter"
    __slots__ = ()

    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        domain=[
            ('template.hall_kind', '!=', None),
            ('type', '=', 'goods'),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    lot = fields.Many2One(
        'stock.lot', "Serial Number", ondelete='RESTRICT',
        domain=[
            ('product', '=', Eval('product', -1)),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            },
        help="The IMEI of a phone or the ICCID of a SIM card.")
    quantity = fields.Float(
        "Quantity", digits='unit', required=True,
        states={
            'readonly': Eval('state') != 'draft',
            })
    unit = fields.Function(fields.Many2One(
            'product.uom', "Unit"), 'on_change_with_unit')
    move = fields.Many2One(
        'stock.move', "Stock Move", readonly=True)

    @classmethod
    def default_quantity(cls):
        return 1

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    @fields.depends('lot', 'quantity')
    def on_change_lot(self):
        if self.lot:
            self.quantity = 1

    @classmethod
    def create(cls, vlist):
        records = super().create(vlist)
        cls._post(records)
        return records

    @classmethod
    def _post(cls, records):
        "Make and do the move of each record"
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        moves = {}
        counters = {}
        cls._check_sheets(records)
        for record in records:
            check_quantity(record.product, record.quantity, record.rec_name)
            if record.lot and record.quantity != 1:
                raise StockValidationError(gettext(
                        'hall_stock.msg_lot_quantity_one',
                        document=record.rec_name, lot=record.lot.rec_name))
            counter = counters[record] = record.get_counter()
            from_, to = record._move_locations(counter)
            if (record.lot is None
                    and record.product.lot_is_required(from_, to)):
                raise StockValidationError(gettext(
                        'hall_stock.msg_lot_required',
                        document=record.rec_name,
                        product=record.product.rec_name))
            moves[record] = record._get_move(from_, to)
        with without_check_access():
            # A counter's stock is checked and moved by one sale at a time
            Location.lock(list(set(counters.values())))
            needs = {}
            for record, move in moves.items():
                if move.from_location == counters[record]:
                    needs.setdefault(
                        (counters[record], record.date), []).append(
                        (record.product, record.lot, record.quantity))
            for (counter, date), items in needs.items():
                check_available(
                    counter, date, items,
                    ', '.join(r.rec_name for r in records
                        if counters[r] == counter))
            Move.save(list(moves.values()))
            Move.do(list(moves.values()))
            for record, move in moves.items():
                record.move = move
                record.state = 'done'
            cls.save(records)

    @classmethod
    def _check_sheets(cls, records):
        "Refuse a move on the day of a confirmed sheet"
        pool = Pool()
        Sheet = pool.get('hall.stock.sheet')
        Sheet.check_open([(r.clerk, r.date) for r in records])

    def _move_locations(self, counter):
        "Return the locations the goods move from and to"
        raise NotImplementedError

    def _get_move(self, from_, to):
        pool = Pool()
        Move = pool.get('stock.move')
        return Move(
            product=self.product,
            lot=self.lot,
            quantity=self.quantity,
            unit=self.product.default_uom,
            from_location=from_,
            to_location=to,
            company=self.company,
            planned_date=self.date,
            effective_date=self.date,
            origin=self)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            raise DocumentStateError(gettext(
                    'hall_stock.msg_move_document_immutable',
                    document=records[0].rec_name))

    @classmethod
    def copy(cls, records, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('move', None)
        default.setdefault('lot', None)
        return super().copy(records, default=default)


class Sale(_CounterMoveMixin, Workflow, ModelSQL, ModelView):
    "A card or a phone sold at the counter (柜台售卡)"
    __name__ = 'hall.stock.sale'

    shift = fields.Selection(
        SHIFTS, "Shift", required=True,
        states={
            'readonly': Eval('state') != 'draft',
            })
    unit_price = Monetary(
        "Unit Price", currency='currency', digits='currency', required=True,
        states={
            'readonly': Eval('state') != 'draft',
            })
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'get_amount')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"),
        'on_change_with_currency')
    cancelled_by = fields.Many2One(
        'company.employee', "Cancelled By", readonly=True)
    cancelled_at = fields.DateTime("Cancelled At", readonly=True)
    cancel_move = fields.Many2One(
        'stock.move', "Cancellation Move", readonly=True)
    state = fields.Selection(
        [('draft', "Draft")] + STATES, "State", readonly=True, required=True,
        sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('unit_price_positive', Check(t, t.unit_price >= 0),
                'hall_stock.msg_sale_unit_price_positive'),
            ]
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('done', 'cancelled'),
            }
        cls._buttons.update({
                'cancel': {
                    'invisible': Eval('state') != 'done',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_shift(cls):
        "The shift of the clerk on the rota today, or of the hour"
        pool = Pool()
        RosterLine = pool.get('hall.roster.line')
        Date = pool.get('ir.date')
        employee = acting_employee()
        today = Date.today()
        if employee:
            with without_check_access():
                lines = RosterLine.search([
                        ('employee', '=', employee),
                        ('date', '=', today),
                        ('roster.state', '=', 'published'),
                        ], limit=1)
            if lines:
                return lines[0].shift
        now = dt.datetime.now().time()
        return 'morning' if now < SHIFT_TIMES['morning'][1] else 'afternoon'

    @fields.depends('hall')
    def on_change_with_currency(self, name=None):
        if self.hall and self.hall.company:
            return self.hall.company.currency

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Product = pool.get('product.product')
        values = super().preprocess_values(mode, values)
        if (mode == 'create' and values.get('unit_price') is None
                and isinstance(values.get('product'), int)):
            # The price list's, as the counter sells it
            with without_check_access():
                product = Product(values['product'])
                values['unit_price'] = product.list_price_used
        return values

    @fields.depends('product', 'unit_price')
    def on_change_product(self):
        if self.product and self.product.list_price_used is not None:
            self.unit_price = self.product.list_price_used

    @fields.depends('quantity', 'unit_price', 'currency')
    def on_change_with_amount(self, name=None):
        if self.quantity is not None and self.unit_price is not None:
            amount = Decimal(str(self.quantity)) * self.unit_price
            if self.currency:
                amount = self.currency.round(amount)
            return amount

    @classmethod
    def get_amount(cls, sales, name):
        return {s.id: s.on_change_with_amount() for s in sales}

    @classmethod
    def validate_fields(cls, sales, field_names):
        super().validate_fields(sales, field_names)
        if 'unit_price' in field_names:
            for sale in sales:
                if sale.unit_price is not None and sale.unit_price < 0:
                    raise StockValidationError(gettext(
                            'hall_stock.msg_sale_unit_price_positive'))

    def _move_locations(self, counter):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Location = pool.get('stock.location')
        customer = Location(ModelData.get_id('stock', 'location_customer'))
        return counter, customer

    def _get_move(self, from_, to):
        move = super()._get_move(from_, to)
        move.unit_price = self.unit_price
        move.currency = self.currency
        return move

    @classmethod
    def copy(cls, sales, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('cancelled_by', None)
        default.setdefault('cancelled_at', None)
        default.setdefault('cancel_move', None)
        return super().copy(sales, default=default)

    @classmethod
    @ModelView.button
    def cancel(cls, sales):
        "Put the goods of the sales back at the counter"
        cls.lock(sales)
        for sale in sales:
            if sale.state != 'done':
                raise DocumentStateError(gettext(
                        'hall_stock.msg_sale_cancelled',
                        sale=sale.rec_name))
        cls._cancel(sales)

    @classmethod
    @Workflow.transition('cancelled')
    def _cancel(cls, sales):
        pool = Pool()
        Move = pool.get('stock.move')
        Sheet = pool.get('hall.stock.sheet')
        Sheet.check_open([(s.clerk, s.date) for s in sales])
        moves = []
        for sale in sales:
            move = sale._get_move(
                sale.move.to_location, sale.move.from_location)
            moves.append(move)
        with without_check_access():
            Move.save(moves)
            Move.do(moves)
        employee = acting_employee()
        now = dt.datetime.now()
        for sale, move in zip(sales, moves):
            sale.cancel_move = move
            sale.cancelled_by = employee
            sale.cancelled_at = now
        cls.save(sales)


class Adjustment(_CounterMoveMixin, ModelSQL, ModelView):
    """A correction of a counter's stock after the audit, with its reason:
    the goods found or missing at the counter"""
    __name__ = 'hall.stock.adjustment'

    direction = fields.Selection([
            ('in', "Found"),
            ('out', "Missing"),
            ], "Direction", required=True,
        states={
            'readonly': Eval('state') != 'draft',
            })
    reason = fields.Text(
        "Reason", required=True,
        states={
            'readonly': Eval('state') != 'draft',
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def _check_sheets(cls, adjustments):
        "An adjustment is what corrects a confirmed sheet"
        pass

    @classmethod
    def default_direction(cls):
        return 'out'

    def _move_locations(self, counter):
        lost_found = self.hall.warehouse.lost_found_location
        if lost_found is None:
            pool = Pool()
            Location = pool.get('stock.location')
            ModelData = pool.get('ir.model.data')
            lost_found = Location(
                ModelData.get_id('stock', 'location_lost_found'))
        if self.direction == 'in':
            return lost_found, counter
        return counter, lost_found

    @classmethod
    def validate_fields(cls, adjustments, field_names):
        super().validate_fields(adjustments, field_names)
        if 'reason' in field_names:
            for adjustment in adjustments:
                if not (adjustment.reason or '').strip():
                    raise StockValidationError(gettext(
                            'hall_stock.msg_adjustment_reason',
                            document=adjustment.rec_name))
