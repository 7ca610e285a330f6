# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The card sales of a settlement from the clerk's counter sales, when
hall_stock is activated too: they are no longer typed."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .exceptions import SettlementStateError

# The shifts of the counter sales a settlement of a shift takes
SALE_SHIFTS = {
    'morning': ['morning'],
    'afternoon': ['afternoon'],
    'full': ['morning', 'afternoon', 'full'],
    }


class Settlement(metaclass=PoolMeta):
    __name__ = 'hall.cash.settlement'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.card_sales.readonly = True
        cls.card_sales.help = (
            "The clerk's counter sales of the date and shift, "
            "taken when the settlement is made and counted.")

    @classmethod
    def default_card_sales(cls):
        return Decimal(0)

    @classmethod
    def counter_sales(cls, keys):
        """Return the amount of the counter sales per (clerk id, date,
        shift) of keys"""
        pool = Pool()
        Sale = pool.get('hall.stock.sale')
        sale = Sale.__table__()
        cursor = Transaction().connection.cursor()
        keys = {(int(c), d, s) for c, d, s in keys}
        result = defaultdict(Decimal)
        if not keys:
            return result
        cursor.execute(*sale.select(
                sale.clerk, sale.date, sale.shift,
                Sum(sale.quantity * sale.unit_price),
                where=sale.clerk.in_(list({c for c, _, _ in keys}))
                & sale.date.in_(list({d for _, d, _ in keys}))
                & (sale.state == 'done'),
                group_by=[sale.clerk, sale.date, sale.shift]))
        for clerk, date, shift, amount in cursor:
            for key in keys:
                if (key[0] == clerk and key[1] == date
                        and shift in SALE_SHIFTS[key[2]]):
                    result[key] += Decimal(str(amount or 0))
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('clerk') and values.get(
                'date') and values.get('shift'):
            pool = Pool()
            Employee = pool.get('company.employee')
            key = (values['clerk'], values['date'], values['shift'])
            with without_check_access():
                currency = Employee(values['clerk']).company.currency
                values['card_sales'] = currency.round(
                    cls.counter_sales([key])[key])
        return values

    @classmethod
    def _card_sales(cls, settlements):
        "Return the card sales of each settlement from the counter sales"
        with without_check_access():
            amounts = cls.counter_sales(
                [(s.clerk.id, s.date, s.shift) for s in settlements])
        return {
            s: s.currency.round(amounts[s.clerk.id, s.date, s.shift])
            for s in settlements}

    @classmethod
    @ModelView.button
    def count(cls, settlements):
        "Take the counter sales of the shift, then close the count"
        drafts = [s for s in settlements if s.state == 'draft']
        for settlement, amount in cls._card_sales(drafts).items():
            if settlement.card_sales != amount:
                settlement.card_sales = amount
        cls.save(drafts)
        super().count(settlements)

    @classmethod
    def check_confirm(cls, settlements, amounts=None):
        for settlement, amount in cls._card_sales(settlements).items():
            if settlement.card_sales != amount:
                raise SettlementStateError(gettext(
                        'hall_cash.msg_settlement_card_sales_changed',
                        settlement=settlement.rec_name))
        super().check_confirm(settlements, amounts=amounts)
