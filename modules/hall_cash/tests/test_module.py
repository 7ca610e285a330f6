# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt
from decimal import Decimal

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.modules.hall_cash.common import find_periods
from trytond.modules.hall_cash.exceptions import CashConfigurationError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


class HallCashTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hall Cash module"
    module = 'hall_cash'

    def create_hall(self, company):
        "Create a chart, a hall with its cash account, a clerk and a type"
        pool = Pool()
        Hall = pool.get('hall.hall')
        Account = pool.get('account.account')
        BusinessType = pool.get('hall.cash.business_type')
        create_chart(company)
        cash, = Account.search([('code', '=', '1.1.1')])
        revenue, = Account.search([('code', '=', '4.1.2')])
        hall = Hall(name="Hall", code='H1', cash_account=cash)
        hall.save()
        clerk = create_employee(company, name="Clerk")
        clerk.hall = hall
        clerk.save()
        business_type = BusinessType(code='HF', name="Bills", account=revenue)
        business_type.save()
        return hall, clerk, business_type

    def publish_rota(self, hall, clerk, shifts, state='published'):
        "Put the clerk on the shifts of today on a rota of the hall"
        pool = Pool()
        Roster = pool.get('hall.roster')
        Post = pool.get('hall.post')
        today = dt.date.today()
        post, = Post.search([('code', '=', 'front_desk')])
        roster = Roster(
            hall=hall, week=today - dt.timedelta(days=today.weekday()))
        roster.lines = [{
                'employee': clerk,
                'date': today,
                'shift': shift,
                'post': post,
                } for shift in shifts]
        roster.save()
        if state == 'published':
            Roster.publish([roster])
        return roster

    def create_settlement(self, hall, clerk, business_type, shift='morning'):
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        settlement = Settlement(
            hall=hall, clerk=clerk, date=dt.date.today(), shift=shift,
            card_sales=Decimal('5'))
        settlement.fees = [
            {'business_type': business_type, 'amount': Decimal('10.5')},
            {'business_type': business_type, 'amount': Decimal('20')},
            ]
        settlement.waivers = [
            {'reason': "Approved", 'amount': Decimal('1.2'),
                'approved_at': dt.datetime.now()},
            {'reason': "Pending", 'amount': Decimal('3')},
            ]
        settlement.counts = [
            {'denomination': Decimal('10'), 'count': 3},
            {'denomination': Decimal('0.1'), 'count': 3},
            ]
        settlement.non_cash = [
            {'kind': 'cheque', 'amount': Decimal('4')},
            ]
        settlement.save()
        return settlement

    @with_transaction()
    def test_settlement_amounts(self):
        "The amounts of a settlement follow the formula of the manual"
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        company = create_company()
        with set_company(company):
            hall, clerk, business_type = self.create_hall(company)
            settlement = self.create_settlement(hall, clerk, business_type)
            other = self.create_settlement(
                hall, clerk, business_type, shift='afternoon')
            other.fees = []
            other.save()

            settlement, other = Settlement.browse([settlement, other])
            self.assertEqual(settlement.fee_amount, Decimal('30.50'))
            self.assertEqual(settlement.receivable, Decimal('35.50'))
            self.assertEqual(settlement.waiver_amount, Decimal('1.20'))
            self.assertEqual(settlement.payable, Decimal('34.30'))
            self.assertEqual(settlement.cash_amount, Decimal('30.30'))
            self.assertEqual(settlement.non_cash_amount, Decimal('4.00'))
            self.assertEqual(settlement.counted, Decimal('34.30'))
            self.assertEqual(settlement.difference, Decimal('0.00'))
            self.assertEqual(settlement.takings, Decimal('34.30'))
            self.assertEqual(other.fee_amount, Decimal('0.00'))
            self.assertEqual(other.payable, Decimal('3.80'))
            self.assertEqual(other.difference, Decimal('30.50'))

    @with_transaction()
    def test_settlement_move(self):
        "The move of a settlement balances, non-cash on the cash account"
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        Waiver = pool.get('hall.cash.settlement.waiver')
        Configuration = pool.get('hall.cash.configuration')
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        company = create_company()
        with set_company(company):
            hall, clerk, business_type = self.create_hall(company)
            fiscalyear = get_fiscalyear(company)
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
            expense, = Account.search([('code', '=', '5.1.3')])
            other_revenue, = Account.search([('code', '=', '6.1.1')])
            journal, = Journal.search([('code', '=', 'CASH')])
            configuration = Configuration(1)
            configuration.cash_journal = journal
            configuration.card_sales_account = other_revenue
            configuration.waiver_account = expense
            configuration.cash_over_account = other_revenue
            configuration.save()
            self.publish_rota(hall, clerk, ['morning'])
            settlement = self.create_settlement(hall, clerk, business_type)
            Waiver.delete([w for w in settlement.waivers if not w.approved])

            Settlement.count([settlement])
            Settlement.confirm([settlement])

            settlement = Settlement(settlement.id)
            self.assertEqual(settlement.state, 'confirmed')
            move = settlement.move
            self.assertEqual(move.state, 'posted')
            self.assertEqual(move.origin, settlement)
            lines = {
                (l.account, l.debit, l.credit) for l in move.lines}
            self.assertEqual(lines, {
                    (hall.cash_account, Decimal('34.30'), Decimal(0)),
                    (expense, Decimal('1.20'), Decimal(0)),
                    (business_type.account, Decimal(0), Decimal('30.50')),
                    (other_revenue, Decimal(0), Decimal('5.00')),
                    })

    @with_transaction()
    def test_find_periods(self):
        "A cash move needs an open period of the document's date"
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        Period = pool.get('account.period')
        company = create_company()
        with set_company(company):
            hall, clerk, business_type = self.create_hall(company)
            fiscalyear = get_fiscalyear(company)
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
            settlement = self.create_settlement(hall, clerk, business_type)
            period, = Period.search([
                    ('start_date', '<=', settlement.date),
                    ('end_date', '>=', settlement.date),
                    ('type', '=', 'standard'),
                    ])

            self.assertEqual(find_periods([settlement]), {settlement: period})
            self.assertEqual(find_periods([]), {})

            Period.close([period])
            with self.assertRaises(CashConfigurationError) as cm:
                find_periods([settlement])
            self.assertIn(settlement.rec_name, cm.exception.message)
            Period.reopen([period])
            settlement.date = fiscalyear.start_date - dt.timedelta(days=1)
            settlement.save()
            settlement = Settlement(settlement.id)
            with self.assertRaises(CashConfigurationError):
                find_periods([settlement])

    @with_transaction()
    def test_settlement_off_rota(self):
        "A settlement is on the rota of a covering shift of a published rota"
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        Roster = pool.get('hall.roster')
        RosterLine = pool.get('hall.roster.line')
        company = create_company()
        with set_company(company):
            hall, clerk, business_type = self.create_hall(company)
            settlements = {
                shift: self.create_settlement(
                    hall, clerk, business_type, shift=shift)
                for shift in ['morning', 'afternoon', 'full']}

            def off_rota():
                return {
                    s.shift for s in Settlement.get_off_rota(
                        Settlement.browse(settlements.values()))}

            self.assertEqual(off_rota(), {'morning', 'afternoon', 'full'})

            # A draft rota or another clerk's line does not count
            roster = self.publish_rota(
                hall, clerk, ['morning'], state='draft')
            line, = roster.lines
            other_clerk = create_employee(company, name="Other")
            other_clerk.hall = hall
            other_clerk.save()
            other, = RosterLine.copy([line], default={
                    'employee': other_clerk.id,
                    'shift': 'afternoon',
                    })
            self.assertEqual(off_rota(), {'morning', 'afternoon', 'full'})
            Roster.publish([roster])
            self.assertEqual(off_rota(), {'afternoon', 'full'})

            # Both halves cover the full day
            Roster.draft([roster])
            RosterLine.write([other], {'employee': clerk.id})
            Roster.publish([roster])
            self.assertEqual(off_rota(), set())

            # A full day line covers each half
            Roster.draft([roster])
            RosterLine.delete([other])
            RosterLine.write([line], {'shift': 'full'})
            Roster.publish([roster])
            self.assertEqual(off_rota(), set())

    @with_transaction()
    def test_rule_context_employees(self):
        "The record rule context has the employees of the user"
        pool = Pool()
        Rule = pool.get('ir.rule')
        User = pool.get('res.user')
        company = create_company()
        with set_company(company):
            employee = create_employee(company, name="Clerk")
        user, = User.create([{
                    'name': "Clerk",
                    'login': 'clerk',
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    }])
        with Transaction().set_user(user.id):
            context = Rule._get_context('hall.cash.settlement')
        self.assertEqual(context['employees'], [employee.id])


del ModuleTestCase
