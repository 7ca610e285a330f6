# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt
import threading
import time
import unittest
from decimal import Decimal

from trytond import backend
from trytond.config import config
from trytond.exceptions import UserError
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import create_company, create_employee
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, USER, activate_module, drop_db)
from trytond.transaction import Transaction, TransactionError


def call(func, *args, context=None, before=None):
    """Call func in a committed transaction as the dispatcher does

    Each attempt is a new transaction; it is run again with the locks the
    call asks for, or after a database operational error.  before is called
    in the first attempt only, before func."""
    retry = config.getint('database', 'retry')
    extras = {}
    count = 0
    while True:
        if count:
            time.sleep(0.02 * count)
        with Transaction().start(
                DB_NAME, USER, context=context, **extras) as transaction:
            try:
                if before:
                    before()
                    before = None
                result = func(*args)
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue
            except backend.DatabaseOperationalError:
                if count < retry:
                    transaction.rollback()
                    count += 1
                    continue
                raise
            transaction.commit()
        return result


@unittest.skipIf(
    backend.name != 'postgresql',
    "SQLite runs one writing transaction at a time: no concurrent confirm")
class HallCashConcurrencyTestCase(unittest.TestCase):
    "Test Hall Cash settlements confirmed by two users at once"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A transaction run again for a lock that another one holds tries
        # to take it for about 0.2 s with the default five retries: less
        # than the first confirmation holds the post number sequence of
        # the journal, so the second user would get the database error
        cls._retry = config.get('database', 'retry')
        config.set('database', 'retry', '20')
        drop_db()
        activate_module(['hall_cash'])
        cls.context = call(cls.create_configuration)
        # The first move of a journal in a period creates the journal period
        # under a table lock that is tested by the core modules
        call(cls.confirm_first, context=cls.context)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        config.set('database', 'retry', cls._retry)
        # The records of the tests are committed
        drop_db()

    @classmethod
    def create_configuration(cls):
        "Create a company with its accounts and a hall; return the context"
        pool = Pool()
        Hall = pool.get('hall.hall')
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        BusinessType = pool.get('hall.cash.business_type')
        Configuration = pool.get('hall.cash.configuration')
        User = pool.get('res.user')
        Post = pool.get('hall.post')
        Roster = pool.get('hall.roster')
        StatementJournal = pool.get('account.statement.journal')
        company = create_company()
        User.write([User(USER)], {
                'companies': [('add', [company.id])],
                'company': company.id,
                })
        with Transaction().set_context(
                company=company.id, companies=[company.id]):
            create_chart(company)
            fiscalyear = get_fiscalyear(company)
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
            cash, = Account.search([('code', '=', '1.1.1')])
            revenue, = Account.search([('code', '=', '4.1.2')])
            expense, = Account.search([('code', '=', '5.1.3')])
            other_revenue, = Account.search([('code', '=', '6.1.1')])
            safe, = Account.search([('code', '=', '1.1.2')])
            journal, = Journal.search([('code', '=', 'CASH')])
            configuration = Configuration(1)
            configuration.cash_journal = journal
            configuration.card_sales_account = other_revenue
            configuration.waiver_account = expense
            configuration.cash_over_account = other_revenue
            configuration.safe_account = safe
            transit = Account(
                name="Cash in Transit", code='1.1.9', type=cash.type,
                parent=cash.parent, reconcile=True)
            transit.save()
            configuration.transit_account = transit
            configuration.save()
            statement_journal, = Journal.search([('code', '=', 'STA')])
            bank = StatementJournal(
                name="Bank", journal=statement_journal, account=cash,
                currency=company.currency, company=company,
                validation='balance')
            bank.save()
            hall = Hall(name="Hall", code='H1', cash_account=cash)
            hall.save()
            clerk = create_employee(company, name="Clerk")
            clerk.hall = hall
            clerk.save()
            # The clerk of the handovers
            other_clerk = create_employee(company, name="Other Clerk")
            other_clerk.hall = hall
            other_clerk.save()
            # The clerks work the full day on the published rota
            front_desk, = Post.search([('code', '=', 'front_desk')])
            today = dt.date.today()
            roster, = Roster.create([{
                        'hall': hall.id,
                        'week': today - dt.timedelta(days=today.weekday()),
                        'lines': [('create', [{
                                        'employee': employee.id,
                                        'date': today,
                                        'shift': 'full',
                                        'post': front_desk.id,
                                        } for employee in [
                                        clerk, other_clerk]])],
                        }])
            Roster.publish([roster])
            business_type = BusinessType(
                code='HF', name="Bills", account=revenue)
            business_type.save()
        cls.hall, cls.clerk, cls.other_clerk, cls.business_type = (
            hall.id, clerk.id, other_clerk.id, business_type.id)
        cls.bank = bank.id
        return {
            'company': company.id,
            'companies': [company.id],
            'employee': clerk.id,
            }

    @classmethod
    def confirm_first(cls):
        Settlement = Pool().get('hall.cash.settlement')
        Settlement.confirm(Settlement.browse([
                    cls.create_counted('afternoon')]))

    @classmethod
    def create_counted(cls, shift, clerk=None):
        "Return the id of a new counted settlement of the shift"
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        settlement = Settlement(
            hall=cls.hall, clerk=clerk or cls.clerk, date=dt.date.today(),
            shift=shift, card_sales=Decimal('5'))
        settlement.fees = [{
                'business_type': cls.business_type,
                'amount': Decimal('30'),
                }]
        settlement.counts = [
            {'denomination': Decimal('10'), 'count': 3},
            {'denomination': Decimal('5'), 'count': 1},
            ]
        settlement.save()
        Settlement.count([settlement])
        assert settlement.state == 'counted'
        return settlement.id

    @classmethod
    def create_handover(cls, settlement_id):
        "Return the id of a new draft handover of the settlement's cash"
        pool = Pool()
        Handover = pool.get('hall.cash.handover')
        handover = Handover(
            hall=cls.hall, clerk=cls.other_clerk, date=dt.date.today(),
            settlements=[settlement_id])
        handover.counts = [
            {'denomination': Decimal('10'), 'count': 3},
            {'denomination': Decimal('5'), 'count': 1},
            ]
        handover.save()
        return handover.id

    @classmethod
    def create_confirmed(cls, shift):
        "Return the id of a new confirmed settlement of the other clerk"
        Settlement = Pool().get('hall.cash.settlement')
        settlement_id = cls.create_counted(shift, clerk=cls.other_clerk)
        Settlement.confirm(Settlement.browse([settlement_id]))
        return settlement_id

    def run_concurrently(self, method, ids):
        """Call the button in two threads; return their results

        Both threads read the settlements before either calls the button."""
        return self.run_buttons(
            'hall.cash.settlement', method, [ids, ids], 'counted')

    def run_buttons(self, model, method, ids, state):
        """Call the button in two threads, each on its ids; return their
        results

        Both threads read the records in the state before either calls the
        button."""
        barrier = threading.Barrier(2)
        results = [None, None]

        def button(ids):
            Model = Pool().get(model)
            getattr(Model, method)(Model.browse(ids))

        def read(ids):
            Model = Pool().get(model)
            self.assertEqual(
                {r.state for r in Model.browse(ids)}, {state})
            barrier.wait(timeout=30)

        def target(i):
            try:
                call(button, ids[i], context=self.context,
                    before=lambda: read(ids[i]))
            except Exception as exception:
                results[i] = exception
            else:
                results[i] = 'done'
        threads = [
            threading.Thread(target=target, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results

    def test_confirm_concurrently(self):
        "Two users confirm a settlement at once: it is booked once"
        settlement_id = call(
            self.create_counted, 'morning', context=self.context)

        results = self.run_concurrently('confirm', [settlement_id])

        self.assertIn('done', results)
        error, = [r for r in results if r != 'done']
        self.assertIsInstance(error, UserError)
        self.assertIn("has already been confirmed", error.message)
        with Transaction().start(DB_NAME, USER, context=self.context):
            pool = Pool()
            Settlement = pool.get('hall.cash.settlement')
            Move = pool.get('account.move')
            settlement = Settlement(settlement_id)
            self.assertEqual(settlement.state, 'confirmed')
            moves = Move.search([
                    ('origin', '=', str(settlement)),
                    ])
            self.assertEqual(moves, [settlement.move])
            self.assertEqual(settlement.move.state, 'posted')

    def test_receive_concurrently(self):
        "Two quality managers receive a handover at once: it is booked once"
        def create():
            Handover = Pool().get('hall.cash.handover')
            handover_id = self.create_handover(
                self.create_confirmed('morning'))
            Handover.hand(Handover.browse([handover_id]))
            return handover_id
        handover_id = call(create, context=self.context)

        results = self.run_buttons(
            'hall.cash.handover', 'receive', [[handover_id]] * 2, 'handed')

        self.assertEqual(results.count('done'), 1, results)
        error, = [r for r in results if r != 'done']
        self.assertIsInstance(error, UserError)
        self.assertIn("has already been received", error.message)
        with Transaction().start(DB_NAME, USER, context=self.context):
            pool = Pool()
            Handover = pool.get('hall.cash.handover')
            Move = pool.get('account.move')
            handover = Handover(handover_id)
            self.assertEqual(handover.state, 'received')
            self.assertEqual(
                [s.state for s in handover.settlements], ['handed'])
            moves = Move.search([
                    ('origin', '=', str(handover)),
                    ])
            self.assertEqual(moves, [handover.move])
            self.assertEqual(handover.move.state, 'posted')

    def test_hand_concurrently(self):
        "Two handovers of a settlement handed at once: one is refused"
        def create():
            settlement_id = self.create_confirmed('afternoon')
            return [self.create_handover(settlement_id) for _ in range(2)]
        handover_ids = call(create, context=self.context)

        results = self.run_buttons(
            'hall.cash.handover', 'hand', [[i] for i in handover_ids],
            'draft')

        self.assertEqual(results.count('done'), 1, results)
        error, = [r for r in results if r != 'done']
        self.assertIsInstance(error, UserError)
        self.assertIn("is already in the cash handover", error.message)
        with Transaction().start(DB_NAME, USER, context=self.context):
            Handover = Pool().get('hall.cash.handover')
            handovers = Handover.browse(handover_ids)
            self.assertEqual(
                sorted(h.state for h in handovers), ['draft', 'handed'])
            self.assertEqual(
                [h.state for h in handovers],
                ['handed' if r == 'done' else 'draft' for r in results])

    def test_send_deposit_concurrently(self):
        "Two quality managers send a deposit at once: it is booked once"
        def create():
            pool = Pool()
            Handover = pool.get('hall.cash.handover')
            Deposit = pool.get('hall.cash.deposit')
            handover_id = self.create_handover(
                self.create_confirmed('full'))
            handovers = Handover.browse([handover_id])
            Handover.hand(handovers)
            Handover.receive(handovers)
            deposit = Deposit(
                hall=self.hall, journal=self.bank, date=dt.date.today(),
                handovers=[handover_id])
            deposit.save()
            return deposit.id
        deposit_id = call(create, context=self.context)

        results = self.run_buttons(
            'hall.cash.deposit', 'send', [[deposit_id]] * 2, 'draft')

        self.assertEqual(results.count('done'), 1, results)
        error, = [r for r in results if r != 'done']
        self.assertIsInstance(error, UserError)
        self.assertIn("was already sent meanwhile", error.message)
        with Transaction().start(DB_NAME, USER, context=self.context):
            pool = Pool()
            Deposit = pool.get('hall.cash.deposit')
            Move = pool.get('account.move')
            deposit = Deposit(deposit_id)
            self.assertEqual(deposit.state, 'sent')
            moves = Move.search([
                    ('origin', '=', str(deposit)),
                    ])
            self.assertEqual(moves, [deposit.move])
            self.assertEqual(deposit.move.state, 'posted')
