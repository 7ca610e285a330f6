# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The card consumption sheet (卡类消耗表): per clerk and day, each
product's opening quantity at her counter, drawn, sold, returned, adjusted
and closing, all computed from the done moves of the stock engine."""
import datetime as dt

from sql import Cast, Union
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.company import CompanyReport
from trytond.modules.hall_duties.common import acting_employee
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .common import CounterDocumentMixin
from .exceptions import DocumentStateError

# The ids of the lines: a sheet's id times this plus a product's id
LINE_ID_FACTOR = 10 ** 7
STATES = [
    ('draft', "Draft"),
    ('confirmed', "Confirmed"),
    ]
QUANTITIES = [
    'opening', 'drawn', 'sold', 'returned', 'adjusted', 'closing']


class Sheet(CounterDocumentMixin, Workflow, ModelSQL, ModelView):
    "A clerk's card consumption sheet of a day (卡类消耗表)"
    __name__ = 'hall.stock.sheet'

    lines = fields.One2Many(
        'hall.stock.sheet.line', 'sheet', "Lines", readonly=True,
        help="Computed from the moves of the counter: never typed.")
    confirmed_by = fields.Many2One(
        'company.employee', "Confirmed By", readonly=True)
    confirmed_at = fields.DateTime("Confirmed At", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('clerk_date_unique', Unique(t, t.clerk, t.date),
                'hall_stock.msg_sheet_clerk_date_unique'),
            ]
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'confirmed'),
            }
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def check_open(cls, clerk_dates):
        "Refuse a change of the counters of confirmed sheets"
        clerk_dates = {(int(c), d) for c, d in clerk_dates}
        if not clerk_dates:
            return
        with without_check_access():
            sheets = cls.search([
                    ('clerk', 'in', list({c for c, _ in clerk_dates})),
                    ('date', 'in', list({d for _, d in clerk_dates})),
                    ('state', '=', 'confirmed'),
                    ])
        for sheet in sheets:
            if (sheet.clerk.id, sheet.date) in clerk_dates:
                raise DocumentStateError(gettext(
                        'hall_stock.msg_sheet_confirmed',
                        sheet=sheet.rec_name))

    @classmethod
    def copy(cls, sheets, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('confirmed_by', None)
        default.setdefault('confirmed_at', None)
        return super().copy(sheets, default=default)

    @classmethod
    def check_modification(cls, mode, sheets, values=None, external=False):
        super().check_modification(
            mode, sheets, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            for sheet in sheets:
                if sheet.state != 'draft':
                    raise DocumentStateError(gettext(
                            'hall_stock.msg_sheet_confirmed',
                            sheet=sheet.rec_name))

    @classmethod
    @ModelView.button
    def confirm(cls, sheets):
        cls.lock(sheets)
        for sheet in sheets:
            if sheet.state != 'draft':
                raise DocumentStateError(gettext(
                        'hall_stock.msg_sheet_confirmed',
                        sheet=sheet.rec_name))
            sheet.get_counter()
        cls._confirm(sheets)

    @classmethod
    @Workflow.transition('confirmed')
    def _confirm(cls, sheets):
        employee = acting_employee()
        now = dt.datetime.now()
        for sheet in sheets:
            sheet.confirmed_by = employee
            sheet.confirmed_at = now
        cls.save(sheets)


class SheetLine(ModelSQL, ModelView):
    "A product of a card consumption sheet, computed from the moves"
    __name__ = 'hall.stock.sheet.line'

    sheet = fields.Many2One(
        'hall.stock.sheet', "Sheet", required=True, readonly=True)
    product = fields.Many2One(
        'product.product', "Product", required=True, readonly=True)
    unit = fields.Function(fields.Many2One(
            'product.uom', "Unit"), 'get_unit')
    opening = fields.Float(
        "Opening", digits='unit', readonly=True,
        help="At the counter when the day began.")
    drawn = fields.Float(
        "Drawn", digits='unit', readonly=True,
        help="Received from the store during the day.")
    sold = fields.Float(
        "Sold", digits='unit', readonly=True,
        help="Sold to customers, less the sales cancelled.")
    returned = fields.Float(
        "Returned", digits='unit', readonly=True,
        help="Given back to the store.")
    adjusted = fields.Float(
        "Adjusted", digits='unit', readonly=True,
        help="Found (+) or missing (−) by the adjustments and the counts.")
    closing = fields.Float(
        "Closing", digits='unit', readonly=True,
        help="At the counter when the day ended.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('sheet')
        cls._order = [
            ('sheet', 'ASC'),
            ('product', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Sheet = pool.get('hall.stock.sheet')
        Hall = pool.get('hall.hall')
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        sheet = Sheet.__table__()
        hall = Hall.__table__()
        counter = Location.__table__()
        move_in = Move.__table__()
        move_out = Move.__table__()
        other = Location.__table__()

        # Each done move seen from the location it enters (+) and from the
        # one it leaves (−): the counter's side is then found by the
        # indexes of the stock moves on their company and locations
        side = Union(
            move_in.select(
                move_in.company.as_('company'),
                move_in.to_location.as_('location'),
                move_in.from_location.as_('other'),
                move_in.product.as_('product'),
                move_in.effective_date.as_('date'),
                move_in.internal_quantity.as_('quantity'),
                where=move_in.state == 'done'),
            move_out.select(
                move_out.company.as_('company'),
                move_out.from_location.as_('location'),
                move_out.to_location.as_('other'),
                move_out.product.as_('product'),
                move_out.effective_date.as_('date'),
                (-move_out.internal_quantity).as_('quantity'),
                where=move_out.state == 'done'),
            all_=True)

        store_types = ['storage', 'warehouse', 'view']
        before = side.date < sheet.date
        today = side.date == sheet.date
        quantity = side.quantity
        opening = Sum(Case((before, quantity), else_=0.0))
        drawn = Sum(Case(
                (today & (quantity > 0) & other.type.in_(store_types),
                    quantity),
                else_=0.0))
        returned = Sum(Case(
                (today & (quantity < 0) & other.type.in_(store_types),
                    -quantity),
                else_=0.0))
        sold = Sum(Case(
                (today & (other.type == 'customer'), -quantity),
                else_=0.0))
        adjusted = Sum(Case(
                (today & ~other.type.in_(store_types + ['customer']),
                    quantity),
                else_=0.0))
        closing = Sum(quantity)
        return (sheet
            .join(hall, condition=hall.id == sheet.hall)
            .join(counter, condition=counter.hall_clerk == sheet.clerk)
            .join(side, condition=(side.company == hall.company)
                & (side.location == counter.id)
                & (side.date <= sheet.date))
            .join(other, condition=other.id == side.other)
            .select(
                (Cast(sheet.id, 'BIGINT') * LINE_ID_FACTOR
                    + side.product).as_('id'),
                sheet.id.as_('sheet'),
                side.product.as_('product'),
                opening.as_('opening'),
                drawn.as_('drawn'),
                sold.as_('sold'),
                returned.as_('returned'),
                adjusted.as_('adjusted'),
                closing.as_('closing'),
                group_by=[sheet.id, side.product],
                having=(opening != 0) | (drawn != 0) | (sold != 0)
                | (returned != 0) | (adjusted != 0)))

    @classmethod
    def get_unit(cls, lines, name):
        return {l.id: l.product.default_uom.id for l in lines}


class SheetReport(CompanyReport):
    __name__ = 'hall.stock.sheet'
