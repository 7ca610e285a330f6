# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""What the documents of a clerk's counter share: the hall, the clerk and
her counter, the quantities checked whole and positive, the stock at the
counter and the moves of the stock engine."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.hall_duties.common import acting_employee
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import CounterError, ShortStockError, StockValidationError


class CounterDocumentMixin(HallDocumentMixin):
    "A document of a clerk and her counter in a hall"
    __slots__ = ()

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'draft',
            })
    clerk = fields.Many2One(
        'company.employee', "Clerk", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('hall', '=', Eval('hall', -1)),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            })
    counter = fields.Function(fields.Many2One(
            'stock.location', "Counter",
            help="The clerk's custody in the hall's warehouse."),
        'on_change_with_counter')
    date = fields.Date(
        "Date", required=True,
        states={
            'readonly': Eval('state') != 'draft',
            })

    @classmethod
    def default_clerk(cls):
        return acting_employee()

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('hall', 'clerk')
    def on_change_with_counter(self, name=None):
        pool = Pool()
        Location = pool.get('stock.location')
        if self.clerk:
            return Location.get_counters([self.clerk]).get(self.clerk.id)

    def get_counter(self):
        "Return the counter of the clerk or raise CounterError"
        pool = Pool()
        Location = pool.get('stock.location')
        counter = Location.get_counters([self.clerk]).get(self.clerk.id)
        if counter is None or counter.warehouse != self.hall.warehouse:
            raise CounterError(gettext(
                    'hall_stock.msg_no_counter',
                    clerk=self.clerk.rec_name, hall=self.hall.rec_name))
        return counter

    def get_store(self):
        "Return the store of the hall or raise CounterError"
        warehouse = self.hall.warehouse
        if not warehouse or not warehouse.storage_location:
            raise CounterError(gettext(
                    'hall_stock.msg_no_store', hall=self.hall.rec_name))
        return warehouse.storage_location

    def get_rec_name(self, name):
        return f'{self.clerk.rec_name} {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('clerk.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names & {'date'}:
            cls.check_date(records)

    @classmethod
    def check_date(cls, records):
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        today = Date.today()
        for record in records:
            if record.date and record.date > today:
                raise StockValidationError(gettext(
                        'hall_stock.msg_date_future',
                        document=record.rec_name,
                        date=Lang.get().strftime(record.date)))


def check_quantity(product, quantity, document):
    "Refuse a quantity that is not positive or not whole for the unit"
    unit = product.default_uom
    if quantity is None or quantity <= 0:
        raise StockValidationError(gettext(
                'hall_stock.msg_quantity_positive',
                document=document, product=product.rec_name))
    if unit.round(quantity) != quantity:
        raise StockValidationError(gettext(
                'hall_stock.msg_quantity_whole',
                document=document, product=product.rec_name,
                unit=unit.rec_name))


def counter_quantities(location, date, products, lots=False):
    """Return the quantities at location on date of the products, per
    product id or per (product id, lot id) when lots is set"""
    pool = Pool()
    Product = pool.get('product.product')
    grouping = ('product', 'lot') if lots else ('product',)
    with without_check_access(), Transaction().set_context(
            stock_date_end=date, stock_assign=True, forecast=False):
        quantities = Product.products_by_location(
            [location.id], with_childs=False, grouping=grouping,
            grouping_filter=([p.id for p in products],))
    result = {}
    for key, quantity in quantities.items():
        key = key[1:] if lots else key[1]
        result[key] = result.get(key, 0) + quantity
    return result


def check_available(location, date, needs, document):
    """Refuse the moves out of location when it does not hold them

    needs is a list of (product, lot, quantity); a lot is checked on its
    own."""
    pool = Pool()
    Lang = pool.get('ir.lang')
    lang = Lang.get()
    products = list({p for p, _, _ in needs})
    by_product = counter_quantities(location, date, products)
    by_lot = None
    wanted = {}
    for product, lot, quantity in needs:
        wanted[product, None] = wanted.get((product, None), 0) + quantity
        if lot:
            wanted[product, lot] = wanted.get((product, lot), 0) + quantity
    for (product, lot), quantity in wanted.items():
        if lot is None:
            available = by_product.get(product.id, 0)
        else:
            if by_lot is None:
                by_lot = counter_quantities(
                    location, date, products, lots=True)
            available = by_lot.get((product.id, lot.id), 0)
        if available < quantity:
            if lot is not None:
                raise ShortStockError(gettext(
                        'hall_stock.msg_lot_not_here',
                        document=document, lot=lot.rec_name,
                        product=product.rec_name,
                        location=location.rec_name))
            raise ShortStockError(gettext(
                    'hall_stock.msg_short_stock',
                    document=document, product=product.rec_name,
                    location=location.rec_name,
                    quantity=lang.format_number(
                        quantity, digits=product.default_uom.digits),
                    available=lang.format_number(
                        max(available, 0),
                        digits=product.default_uom.digits)))
