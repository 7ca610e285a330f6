# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The warehouse–finance reconciliation of a day's outbound quantities
(与财务岗核对出库数): per clerk and product, what the warehouse issued and
received back and what the counters sold, from the stock engine, against
the quantities finance has sold in the billing system."""
import datetime as dt
from collections import defaultdict

from sql import Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import DocumentStateError, ReconciliationError

STATES = [
    ('draft', "Draft"),
    ('confirmed', "Confirmed"),
    ]


class Reconciliation(HallDocumentMixin, Workflow, ModelSQL, ModelView):
    "The day's outbound quantities of a hall checked with finance"
    __name__ = 'hall.stock.reconciliation'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': (Eval('state') != 'draft') | Bool(Eval('lines')),
            })
    date = fields.Date(
        "Date", required=True,
        states={
            'readonly': (Eval('state') != 'draft') | Bool(Eval('lines')),
            },
        help="The day of the moves reconciled, usually yesterday.")
    lines = fields.One2Many(
        'hall.stock.reconciliation.line', 'reconciliation', "Lines",
        states=_states)
    differences = fields.Function(fields.Integer(
            "Differences",
            help="The lines where finance and the counters differ."),
        'get_differences')
    warehouse_confirmed_by = fields.Many2One(
        'company.employee', "Confirmed by Warehouse", readonly=True)
    warehouse_confirmed_at = fields.DateTime(
        "Confirmed by Warehouse At", readonly=True)
    finance_confirmed_by = fields.Many2One(
        'company.employee', "Confirmed by Finance", readonly=True)
    finance_confirmed_at = fields.DateTime(
        "Confirmed by Finance At", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_date_unique', Unique(t, t.hall, t.date),
                'hall_stock.msg_reconciliation_hall_date_unique'),
            ]
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'confirmed'),
            }
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'readonly': (Bool(Eval('warehouse_confirmed_by'))
                        | Bool(Eval('finance_confirmed_by'))),
                    'icon': 'tryton-refresh',
                    'depends': [
                        'state', 'warehouse_confirmed_by',
                        'finance_confirmed_by'],
                    },
                'confirm_warehouse': {
                    'invisible': ((Eval('state') != 'draft')
                        | Bool(Eval('warehouse_confirmed_by'))),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'warehouse_confirmed_by'],
                    },
                'confirm_finance': {
                    'invisible': ((Eval('state') != 'draft')
                        | Bool(Eval('finance_confirmed_by'))),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'finance_confirmed_by'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today() - dt.timedelta(days=1)

    def get_rec_name(self, name):
        return f'{self.hall.rec_name} {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('hall.rec_name',) + tuple(clause[1:])]

    @classmethod
    def get_differences(cls, reconciliations, name):
        return {
            r.id: sum(1 for l in r.lines if l.difference) for r in
            reconciliations}

    @classmethod
    def validate_fields(cls, reconciliations, field_names):
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        super().validate_fields(reconciliations, field_names)
        if 'date' in field_names:
            today = Date.today()
            for reconciliation in reconciliations:
                if reconciliation.date >= today:
                    raise ReconciliationError(gettext(
                            'hall_stock.msg_reconciliation_past',
                            reconciliation=reconciliation.rec_name,
                            date=Lang.get().strftime(reconciliation.date)))

    @classmethod
    def copy(cls, reconciliations, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('lines', None)
        for name in ['warehouse', 'finance']:
            default.setdefault(f'{name}_confirmed_by', None)
            default.setdefault(f'{name}_confirmed_at', None)
        return super().copy(reconciliations, default=default)

    @property
    def _confirmed(self):
        return bool(self.warehouse_confirmed_by or self.finance_confirmed_by
            or self.state != 'draft')

    @classmethod
    def check_modification(
            cls, mode, reconciliations, values=None, external=False):
        super().check_modification(
            mode, reconciliations, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            for reconciliation in reconciliations:
                if reconciliation._confirmed:
                    raise DocumentStateError(gettext(
                            'hall_stock.msg_reconciliation_confirmed',
                            reconciliation=reconciliation.rec_name))

    @classmethod
    @ModelView.button
    def compute(cls, reconciliations):
        """Fill the lines with the quantities of the stock engine, keeping
        finance's quantities and the explanations"""
        pool = Pool()
        Line = pool.get('hall.stock.reconciliation.line')
        cls.lock(reconciliations)
        for reconciliation in reconciliations:
            if reconciliation._confirmed:
                raise DocumentStateError(gettext(
                        'hall_stock.msg_reconciliation_confirmed',
                        reconciliation=reconciliation.rec_name))
        quantities = cls._stock_quantities(reconciliations)
        to_save, to_delete = [], []
        for reconciliation in reconciliations:
            lines = {(l.clerk.id, l.product.id): l
                for l in reconciliation.lines}
            figures = quantities.get(reconciliation.id, {})
            for key in sorted(set(lines) | set(figures)):
                issued, returned, sold = figures.get(key, (0, 0, 0))
                line = lines.get(key)
                if line is None:
                    line = Line(
                        reconciliation=reconciliation,
                        clerk=key[0], product=key[1])
                elif not any(figures.get(key, ())) and (
                        line.finance_quantity is None):
                    to_delete.append(line)
                    continue
                line.issued = issued
                line.returned = returned
                line.sold = sold
                to_save.append(line)
        Line.delete(to_delete)
        Line.save(to_save)

    @classmethod
    def _stock_quantities(cls, reconciliations):
        """Return per reconciliation id and (clerk id, product id) the
        quantities issued to, returned from and sold at the counter"""
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        move = Move.__table__()
        counter = Location.__table__()
        other = Location.__table__()
        cursor = Transaction().connection.cursor()
        result = defaultdict(dict)
        inbound = move.to_location == counter.id
        other_id = Case((inbound, move.from_location),
            else_=move.to_location)
        store_types = ['storage', 'warehouse', 'view']
        # The halls and days of all the reconciliations in one query
        days = {(r.hall.id, r.date): r.id for r in reconciliations}
        where = Literal(False)
        for hall, date in days:
            where |= (counter.hall == hall) & (move.effective_date == date)
        cursor.execute(*counter
            .join(move, condition=(
                    (move.to_location == counter.id)
                    | (move.from_location == counter.id)))
            .join(other, condition=other.id == other_id)
            .select(
                counter.hall, move.effective_date,
                counter.hall_clerk, move.product,
                Sum(Case((inbound & other.type.in_(store_types),
                            move.internal_quantity), else_=0.0)),
                Sum(Case((~inbound & other.type.in_(store_types),
                            move.internal_quantity), else_=0.0)),
                Sum(Case(
                        (~inbound & (other.type == 'customer'),
                            move.internal_quantity),
                        (inbound & (other.type == 'customer'),
                            -move.internal_quantity),
                        else_=0.0)),
                where=where
                & (counter.hall_clerk != Null)
                & (move.state == 'done'),
                group_by=[
                    counter.hall, move.effective_date,
                    counter.hall_clerk, move.product]))
        for hall, date, clerk, product, issued, returned, sold in cursor:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            result[days[hall, date]][clerk, product] = (
                issued or 0, returned or 0, sold or 0)
        return result

    @classmethod
    def _check_explained(cls, reconciliations):
        for reconciliation in reconciliations:
            if not reconciliation.lines:
                raise ReconciliationError(gettext(
                        'hall_stock.msg_reconciliation_no_line',
                        reconciliation=reconciliation.rec_name))
            for line in reconciliation.lines:
                if line.finance_quantity is None:
                    raise ReconciliationError(gettext(
                            'hall_stock.msg_reconciliation_finance_missing',
                            reconciliation=reconciliation.rec_name,
                            line=line.rec_name))
                if line.difference and not (line.explanation or '').strip():
                    raise ReconciliationError(gettext(
                            'hall_stock.msg_reconciliation_explain',
                            reconciliation=reconciliation.rec_name,
                            line=line.rec_name))

    @classmethod
    @ModelView.button
    def confirm_warehouse(cls, reconciliations):
        cls._confirm_side(reconciliations, 'warehouse')

    @classmethod
    @ModelView.button
    def confirm_finance(cls, reconciliations):
        cls._confirm_side(reconciliations, 'finance')

    @classmethod
    def _confirm_side(cls, reconciliations, side):
        cls.lock(reconciliations)
        for reconciliation in reconciliations:
            if (reconciliation.state != 'draft'
                    or getattr(reconciliation, f'{side}_confirmed_by')):
                raise DocumentStateError(gettext(
                        'hall_stock.msg_reconciliation_confirmed',
                        reconciliation=reconciliation.rec_name))
        cls._check_explained(reconciliations)
        employee = acting_employee()
        now = dt.datetime.now()
        for reconciliation in reconciliations:
            setattr(reconciliation, f'{side}_confirmed_by', employee)
            setattr(reconciliation, f'{side}_confirmed_at', now)
        cls.save(reconciliations)
        cls._confirm([r for r in reconciliations
                if r.warehouse_confirmed_by and r.finance_confirmed_by])

    @classmethod
    @Workflow.transition('confirmed')
    def _confirm(cls, reconciliations):
        pass


class ReconciliationLine(HallModelMixin, ModelSQL, ModelView):
    "A clerk's product in the reconciliation of a day"
    __name__ = 'hall.stock.reconciliation.line'

    reconciliation = fields.Many2One(
        'hall.stock.reconciliation', "Reconciliation", required=True,
        ondelete='CASCADE', readonly=True)
    clerk = fields.Many2One(
        'company.employee', "Clerk", required=True, ondelete='RESTRICT',
        readonly=True)
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        readonly=True)
    unit = fields.Function(fields.Many2One(
            'product.uom', "Unit"), 'on_change_with_unit')
    issued = fields.Float(
        "Issued", digits='unit', readonly=True,
        help="Drawn from the store by the counter.")
    returned = fields.Float(
        "Returned", digits='unit', readonly=True,
        help="Given back to the store by the counter.")
    sold = fields.Float(
        "Sold at Counter", digits='unit', readonly=True,
        help="The counter sales less their cancellations.")
    finance_quantity = fields.Float(
        "Sold per Finance", digits='unit',
        help="The quantity the billing system sold by the clerk, "
        "as finance has it.")
    difference = fields.Function(fields.Float(
            "Difference", digits='unit',
            help="Finance's quantity less the counter's sales."),
        'on_change_with_difference')
    explanation = fields.Char(
        "Explanation",
        help="Why finance and the counter differ: required to confirm.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('reconciliation')
        cls._order = [
            ('clerk', 'ASC'),
            ('product', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree/field[@name="difference"]', 'visual',
                If(Eval('difference', 0) != 0, 'danger', '')),
            ]

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    @fields.depends('finance_quantity', 'sold')
    def on_change_with_difference(self, name=None):
        if self.finance_quantity is not None:
            return self.finance_quantity - (self.sold or 0)

    def get_rec_name(self, name):
        return f'{self.clerk.rec_name} {self.product.rec_name}'

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if 'finance_quantity' in field_names:
            for line in lines:
                quantity = line.finance_quantity
                if quantity is None:
                    continue
                unit = line.product.default_uom
                if quantity < 0 or unit.round(quantity) != quantity:
                    raise ReconciliationError(gettext(
                            'hall_stock.msg_reconciliation_finance_quantity',
                            line=line.rec_name))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if not external:
            return
        for line in lines:
            if line.reconciliation._confirmed:
                raise DocumentStateError(gettext(
                        'hall_stock.msg_reconciliation_confirmed',
                        reconciliation=line.reconciliation.rec_name))
        if mode == 'write' and values.keys() & {
                'finance_quantity', 'explanation'}:
            if not in_hall_groups('group_finance', 'group_warehouse'):
                raise DocumentStateError(gettext(
                        'hall_stock.msg_reconciliation_finance_only'))
        if mode == 'create':
            raise DocumentStateError(gettext(
                    'hall_stock.msg_reconciliation_line_computed'))
