# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"The day report summary (营业日报汇总): the hall's settlements of a day"
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool

from .settlement import CLOSED_STATES


class DayReport(ModelSQL, ModelView):
    "The confirmed settlements of a hall summed per day (营业日报表)"
    __name__ = 'hall.cash.day_report'

    company = fields.Many2One('company.company', "Company")
    hall = fields.Many2One('hall.hall', "Hall")
    date = fields.Date("Date")
    settlements = fields.Integer("Settlements")
    fee_amount = Monetary(
        "Business Fees", currency='currency', digits='currency')
    card_sales = Monetary(
        "Card Sales", currency='currency', digits='currency')
    receivable = Monetary(
        "Receivable", currency='currency', digits='currency')
    waiver_amount = Monetary(
        "Approved Waivers", currency='currency', digits='currency')
    payable = Monetary(
        "Payable", currency='currency', digits='currency')
    takings = Monetary(
        "Takings", currency='currency', digits='currency',
        help="The cash and non-cash handed over, make-ups included.")
    over_amount = Monetary(
        "Over", currency='currency', digits='currency',
        help="The over registered with the quality post.")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('hall', 'ASC'),
            ('id', 'DESC'),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        settlement = Settlement.__table__()
        queries = Settlement._amount_queries()
        query = settlement
        totals = {}
        for kind, (table, amount, where) in queries.items():
            total = table.select(
                table.settlement.as_('settlement'),
                Sum(amount).as_('amount'),
                where=where,
                group_by=[table.settlement])
            query = query.join(
                total, 'LEFT', condition=total.settlement == settlement.id)
            totals[kind] = Coalesce(total.amount, 0)
        fee_amount = Sum(totals['fee'])
        card_sales = Sum(settlement.card_sales)
        waiver_amount = Sum(totals['waiver'])
        return query.select(
            Min(settlement.id).as_('id'),
            settlement.company.as_('company'),
            settlement.hall.as_('hall'),
            settlement.date.as_('date'),
            Count(settlement.id).as_('settlements'),
            fee_amount.as_('fee_amount'),
            card_sales.as_('card_sales'),
            (fee_amount + card_sales).as_('receivable'),
            waiver_amount.as_('waiver_amount'),
            (fee_amount + card_sales - waiver_amount).as_('payable'),
            Sum(totals['cash'] + totals['non_cash'] + totals['make_up']
                ).as_('takings'),
            Sum(Coalesce(settlement.over_amount, 0)).as_('over_amount'),
            where=settlement.state.in_(CLOSED_STATES),
            group_by=[settlement.company, settlement.hall, settlement.date])

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None
