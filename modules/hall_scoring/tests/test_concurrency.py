# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt
import threading
import time
import unittest
from decimal import Decimal

from trytond import backend
from trytond.config import config
from trytond.modules.company.tests import create_company, create_employee
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, USER, activate_module, drop_db)
from trytond.transaction import Transaction, TransactionError

from trytond.modules.hall_scoring.exceptions import ScoreStateError


def call(func, *args, context=None, before=None):
    """Call func in a committed transaction as the dispatcher does

    Each attempt is a new transaction, run again after a database
    operational error; before is called in the first attempt only."""
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
    "SQLite runs one writing transaction at a time")
class HallScoringConcurrencyTestCase(unittest.TestCase):
    "Test entries confirmed while the month is being summarized"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._retry = config.get('database', 'retry')
        config.set('database', 'retry', '20')
        drop_db()
        activate_module(['hall_scoring'])
        cls.context = call(cls.create_configuration)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        config.set('database', 'retry', cls._retry)
        drop_db()

    @classmethod
    def create_configuration(cls):
        pool = Pool()
        Hall = pool.get('hall.hall')
        User = pool.get('res.user')
        Category = pool.get('hall.score.category')
        company = create_company()
        User.write([User(USER)], {
                'companies': [('add', [company.id])],
                'company': company.id,
                })
        with Transaction().set_context(
                company=company.id, companies=[company.id]):
            hall = Hall(name="Hall", code='H1')
            hall.save()
            employee = create_employee(company, name="Clerk")
            employee.hall = hall
            employee.save()
            rated = create_employee(company, name="Keeper")
            rated.hall = hall
            rated.save()
            User.write([User(USER)], {
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    })
            category, = Category.search([('code', '=', 'service_manner')])
        cls.hall, cls.employee, cls.rated, cls.category = (
            hall.id, employee.id, rated.id, category.id)
        return {
            'company': company.id,
            'companies': [company.id],
            'employee': employee.id,
            }

    def prepare(self, month):
        "Create a draft entry and the draft summary of the month"
        def create():
            pool = Pool()
            Entry = pool.get('hall.score.entry')
            Period = pool.get('hall.score.period')
            entry, = Entry.create([{
                        'hall': self.hall,
                        'employee': self.employee,
                        'date': month + dt.timedelta(days=3),
                        'category': self.category,
                        'points': Decimal('-2'),
                        }])
            period, = Period.create([{'hall': self.hall, 'month': month}])
            return entry.id, period.id
        return call(create, context=self.context)

    def run_both(self, entry_id, period_id):
        "Confirm the entry and summarize the month at once"
        barrier = threading.Barrier(2)
        results = {}

        def read():
            pool = Pool()
            Entry = pool.get('hall.score.entry')
            Period = pool.get('hall.score.period')
            self.assertEqual(Entry(entry_id).state, 'draft')
            self.assertEqual(Period(period_id).state, 'draft')
            barrier.wait(timeout=30)

        def confirm():
            Entry = Pool().get('hall.score.entry')
            Entry.confirm(Entry.browse([entry_id]))

        def summarize():
            Period = Pool().get('hall.score.period')
            Period.summarize(Period.browse([period_id]))

        def target(name, func):
            try:
                call(func, context=self.context, before=read)
            except Exception as exception:
                results[name] = exception
            else:
                results[name] = 'done'
        threads = [
            threading.Thread(target=target, args=('confirm', confirm)),
            threading.Thread(target=target, args=('summarize', summarize)),
            ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results

    def check(self, entry_id, period_id, results):
        "The entry is either in the summary or refused, never lost"
        self.assertEqual(results['summarize'], 'done', results)
        with Transaction().start(DB_NAME, USER, context=self.context):
            pool = Pool()
            Entry = pool.get('hall.score.entry')
            Period = pool.get('hall.score.period')
            entry = Entry(entry_id)
            period = Period(period_id)
            self.assertEqual(period.state, 'summarized')
            line, = [l for l in period.lines if l.employee.id == self.employee]
            if results['confirm'] == 'done':
                self.assertEqual(entry.state, 'confirmed')
                self.assertEqual(line.service_points, Decimal('-2'))
            else:
                self.assertIsInstance(results['confirm'], ScoreStateError)
                self.assertEqual(entry.state, 'draft')
                self.assertEqual(line.service_points, Decimal('0'))
            return results['confirm'] == 'done'

    def test_confirm_while_summarizing(self):
        "Entries confirmed while the month is summarized: none is lost"
        month = dt.date(2025, 1, 1)
        for i in range(6):
            entry_id, period_id = self.prepare(month)
            results = self.run_both(entry_id, period_id)
            # Either outcome is right; check() asserts it is one of them
            self.check(entry_id, period_id, results)
            month = (month + dt.timedelta(days=32)).replace(day=1)

    def test_two_ballots_at_once(self):
        "The same vote sent twice at the same moment: one ballot counts"
        def create():
            pool = Pool()
            Date = pool.get('ir.date')
            Period = pool.get('hall.score.period')
            Result = pool.get('hall.score.rating.result')
            Voter = pool.get('hall.score.rating.voter')
            month = Date.today().replace(day=1)
            period, = Period.create([{'hall': self.hall, 'month': month}])
            result, = Result.create([{
                        'period': period.id,
                        'hall': self.hall,
                        'month': month,
                        'employee': self.rated,
                        }])
            voter, = Voter.create([{
                        'result': result.id,
                        'hall': self.hall,
                        'rater': self.employee,
                        }])
            return result.id, voter.id
        result_id, voter_id = call(create, context=self.context)
        barrier = threading.Barrier(2)
        outcomes = []

        def read():
            Voter = Pool().get('hall.score.rating.voter')
            self.assertEqual(Voter(voter_id).state, 'pending')
            barrier.wait(timeout=30)

        def cast(score):
            Voter = Pool().get('hall.score.rating.voter')
            Voter.do_cast(Voter(voter_id), score)

        def target(score):
            try:
                call(cast, score, context=self.context, before=read)
            except Exception as exception:
                outcomes.append(exception)
            else:
                outcomes.append('done')
        threads = [threading.Thread(target=target, args=(Decimal(s),))
            for s in ['60', '90']]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(outcomes.count('done'), 1, outcomes)
        refused, = [o for o in outcomes if o != 'done']
        self.assertIsInstance(refused, ScoreStateError)
        with Transaction().start(DB_NAME, 0):
            Ballot = Pool().get('hall.score.rating')
            self.assertEqual(
                Ballot.search_count([('result', '=', result_id)]), 1)
