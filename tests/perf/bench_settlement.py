#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Measure the confirmation of a settlement with many lines.

Creates, for each number of lines given, the settlement of a clerk whose
day had that many business fee lines (spread over the business types),
a tenth as many bank card slips and approved waivers, and a cash count
covering the payable, then counts the SQL statements and the time of
``hall.cash.settlement`` ``confirm()``.  It compares the time with plain
``SELECT ... SUM() ... GROUP BY`` statements over the same rows: the fees
per business type and the totals of the other kinds.

    .venv/bin/python tests/perf/bench_settlement.py [--lines 100 5000]

SQLite in memory by default; PostgreSQL with
``TRYTOND_DATABASE__URI=postgresql://user:password@host:port/`` (the
database ``DB_NAME``, by default ``bench_settlement``, is dropped and
created again).  The set-up is committed as the dispatcher would, with the
locks the previous call asked for.  The confirmation is called as the
dispatcher calls a button: it starts without any lock, and a call that
asks for a lock is rolled back and run again holding it.  The statements
and the time of ``confirm()`` in the last attempt (the one committed) are
measured, and the statements of all the attempts with the locks taken at
their start (the commit, which stores the log, is not counted).
The test pool validates the computed fields (Function) on every save and
a server does not; the measure turns that off once the module is activated.
BENCH_DUMP=1 prints the statements to the standard error, each after the
functions of the modules that ran it.
This is a measurement, not a test: nothing asserts a time.
"""
import argparse
import datetime as dt
import os
import sys
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE__URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
else:
    os.environ.setdefault('DB_NAME', 'bench_settlement')

# The business types of the billing report: code and name
BUSINESS_TYPES = [
    ('HF', "Bills"),
    ('YC', "Prepaid"),
    ('XZ', "New Lines"),
    ('KD', "Broadband"),
    ('ZD', "Handsets"),
    ]
# A Tuesday in the fiscal year created
DATE = dt.date(2025, 3, 4)
SHIFTS = ['morning', 'afternoon', 'full']


# Where the module folders are: the repository's and trytond's
MODULE_FOLDERS = [
    os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
                    os.path.abspath(__file__)))), 'modules', ''),
    os.path.join('trytond', 'modules', ''),
    os.path.join('trytond', 'ir', ''),
    os.path.join('trytond', 'res', ''),
    ]
_cursor_classes = []


def cursor_class():
    "Return the class of the cursors of the database connections"
    from trytond.transaction import Transaction
    if not _cursor_classes:
        _cursor_classes.append(type(Transaction().connection.cursor()))
    return _cursor_classes[0]


def callers():
    "Return the functions of the modules on the stack, outermost first"
    names = []
    for frame in traceback.extract_stack()[:-2]:
        for folder in MODULE_FOLDERS:
            if folder in frame.filename:
                path = frame.filename.rsplit(folder, 1)[1]
                if folder.endswith(('ir' + os.sep, 'res' + os.sep)):
                    path = os.path.join(
                        os.path.basename(os.path.dirname(folder)), path)
                names.append(f'{path}:{frame.name}')
                break
    return names


@contextmanager
def count_queries():
    """Collect the first word of every SQL statement executed

    Inside a transaction, unless cursor_class() was called in one before."""
    cursor_class_ = cursor_class()
    original = cursor_class_.execute
    statements = Counter()
    # Counted within another count, printed by it
    dump = (os.environ.get('BENCH_DUMP')
        and not getattr(original, 'counting', False))

    def execute(self, query, *args, **kwargs):
        words = str(query).split(None, 1)
        if not words:
            # The check of a connection by the pool
            return original(self, query, *args, **kwargs)
        statements[words[0].upper()] += 1
        if dump:
            print(' > '.join(callers()[-6:]), file=sys.stderr)
            print('    ' + ' '.join(str(query).split())[:200],
                file=sys.stderr)
        return original(self, query, *args, **kwargs)
    execute.counting = True
    cursor_class_.execute = execute
    try:
        yield statements
    finally:
        cursor_class_.execute = original


class Caller:
    "Call functions in committed transactions as the dispatcher does"

    def __init__(self):
        self.context = {}
        # The locks asked for, kept for the next calls
        self.extras = {}

    def __call__(self, func, *args):
        from trytond.tests.test_tryton import DB_NAME, USER
        from trytond.transaction import Transaction, TransactionError
        while True:
            with Transaction().start(
                    DB_NAME, USER, context=self.context,
                    **self.extras) as transaction:
                try:
                    result = func(*args)
                except TransactionError as exception:
                    transaction.rollback()
                    exception.fix(self.extras)
                    continue
                transaction.commit()
            return result

    def dispatch(self, func, *args):
        """Call func as the dispatcher calls a button, from no lock

        Return its result and, for each attempt, the statements of func,
        the time of func and the statements of the attempt with the locks
        taken when its transaction starts."""
        from trytond.tests.test_tryton import DB_NAME, USER
        from trytond.transaction import Transaction, TransactionError
        self(cursor_class)
        extras = {}
        attempts = []
        while True:
            if os.environ.get('BENCH_DUMP'):
                print(f"-- {func.__name__}: attempt {len(attempts) + 1}",
                    file=sys.stderr)
            with count_queries() as all_statements, Transaction().start(
                    DB_NAME, USER, context=self.context,
                    **extras) as transaction:
                with count_queries() as statements:
                    start = time.perf_counter()
                    try:
                        result = func(*args)
                    except TransactionError as exception:
                        exception.fix(extras)
                        result = exception
                    duration = time.perf_counter() - start
                # Not the statements of the commit that follows
                attempts.append(
                    (statements, duration, Counter(all_statements)))
                if isinstance(result, TransactionError):
                    transaction.rollback()
                    continue
                if os.environ.get('BENCH_DUMP'):
                    print(f"-- {func.__name__}: commit", file=sys.stderr)
                transaction.commit()
            return result, attempts


def setup_company():
    "Create the company, its accounting and a hall; return the context"
    from trytond.modules.account.tests import create_chart, get_fiscalyear
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    User = pool.get('res.user')
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Hall = pool.get('hall.hall')
    BusinessType = pool.get('hall.cash.business_type')
    Configuration = pool.get('hall.cash.configuration')
    company = create_company()
    User.write([User(Transaction().user)], {
            'companies': [('add', [company.id])],
            'company': company.id,
            })
    with Transaction().set_context(
            company=company.id, companies=[company.id]):
        create_chart(company)
        fiscalyear = get_fiscalyear(company, today=DATE)
        fiscalyear.save()
        fiscalyear.create_period([fiscalyear])
        cash, = Account.search([('code', '=', '1.1.1')])
        revenue, = Account.search([('code', '=', '4.1.2')])
        expense, = Account.search([('code', '=', '5.1.3')])
        other_revenue, = Account.search([('code', '=', '6.1.1')])
        journal, = Journal.search([('code', '=', 'CASH')])
        configuration = Configuration(1)
        configuration.cash_journal = journal
        configuration.card_sales_account = other_revenue
        configuration.waiver_account = expense
        configuration.cash_over_account = other_revenue
        configuration.save()
        Hall.create([{
                    'name': "Hall",
                    'code': 'H1',
                    'cash_account': cash.id,
                    }])
        BusinessType.create([{
                    'code': code,
                    'name': name,
                    'account': revenue.id,
                    } for code, name in BUSINESS_TYPES])
    return {
        'company': company.id,
        'companies': [company.id],
        }


def create_settlement(lines, shift, clerk_name):
    """Create the counted settlement of a new clerk with lines fee lines;
    return its id"""
    from trytond.modules.company.tests import create_employee
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Company = pool.get('company.company')
    Hall = pool.get('hall.hall')
    BusinessType = pool.get('hall.cash.business_type')
    Settlement = pool.get('hall.cash.settlement')
    Post = pool.get('hall.post')
    Roster = pool.get('hall.roster')
    hall, = Hall.search([('code', '=', 'H1')])
    types = BusinessType.search([])
    clerk = create_employee(
        Company(Transaction().context['company']), name=clerk_name)
    clerk.hall = hall
    clerk.save()
    # The clerk works the shift on the published rota of the week
    post, = Post.search([('code', '=', 'front_desk')])
    week = DATE - dt.timedelta(days=DATE.weekday())
    rosters = Roster.search([('hall', '=', hall.id), ('week', '=', week)])
    if rosters:
        Roster.draft(rosters)
    else:
        rosters = Roster.create([{'hall': hall.id, 'week': week}])
    Roster.write(rosters, {
            'lines': [('create', [{
                            'employee': clerk.id,
                            'date': DATE,
                            'shift': shift,
                            'post': post.id,
                            }])],
            })
    Roster.publish(rosters)

    fees = [{
            'business_type': types[i % len(types)].id,
            'amount': Decimal(10 + i % 90),
            } for i in range(lines)]
    slips = [{
            'kind': 'bank_card',
            'amount': Decimal(50 + i % 50),
            } for i in range(max(lines // 10, 1))]
    waivers = [{
            'reason': f"Waiver {i}",
            'amount': Decimal(1 + i % 5),
            'approved_at': dt.datetime.now(),
            } for i in range(max(lines // 10, 1))]
    card_sales = Decimal(100)
    payable = (sum(f['amount'] for f in fees) + card_sales
        - sum(w['amount'] for w in waivers))
    cash = payable - sum(s['amount'] for s in slips)
    hundreds, rest = divmod(cash, 100)
    settlement, = Settlement.create([{
                'hall': hall.id,
                'clerk': clerk.id,
                'date': DATE,
                'shift': shift,
                'card_sales': card_sales,
                'fees': [('create', fees)],
                'non_cash': [('create', slips)],
                'waivers': [('create', waivers)],
                'counts': [('create', [
                            {'denomination': Decimal(100),
                                'count': int(hundreds)},
                            {'denomination': Decimal(1), 'count': int(rest)},
                            ])],
                }])
    Settlement.count([settlement])
    assert settlement.state == 'counted', settlement.state
    return settlement.id


def confirm(settlement_id):
    "Confirm the settlement"
    from trytond.pool import Pool
    Settlement = Pool().get('hall.cash.settlement')
    Settlement.confirm([Settlement(settlement_id)])


def move_lines(settlement_id):
    "Return the number of lines of the move of the settlement"
    from trytond.pool import Pool
    Settlement = Pool().get('hall.cash.settlement')
    return len(Settlement(settlement_id).move.lines)


def raw_aggregate(settlement_id):
    """Sum the same rows with plain SQL: the fees per business type and
    the totals of the other kinds; return the time"""
    from sql.aggregate import Sum

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    cursor = Transaction().connection.cursor()
    fee = pool.get('hall.cash.settlement.fee').__table__()
    non_cash = pool.get('hall.cash.settlement.non_cash').__table__()
    waiver = pool.get('hall.cash.settlement.waiver').__table__()
    count = pool.get('hall.cash.settlement.count').__table__()
    start = time.perf_counter()
    cursor.execute(*fee.select(
            fee.business_type, Sum(fee.amount),
            where=fee.settlement == settlement_id,
            group_by=[fee.business_type]))
    cursor.fetchall()
    cursor.execute(*non_cash.select(
            non_cash.kind, Sum(non_cash.amount),
            where=non_cash.settlement == settlement_id,
            group_by=[non_cash.kind]))
    cursor.fetchall()
    cursor.execute(*waiver.select(
            Sum(waiver.amount),
            where=waiver.settlement == settlement_id))
    cursor.fetchall()
    cursor.execute(*count.select(
            Sum(count.denomination * count.count),
            where=count.settlement == settlement_id))
    cursor.fetchall()
    return time.perf_counter() - start


def measure(call, lines, shift, clerk_name):
    start = time.perf_counter()
    settlement_id = call(create_settlement, lines, shift, clerk_name)
    setup_time = time.perf_counter() - start
    raw_time = call(raw_aggregate, settlement_id)
    _, attempts = call.dispatch(confirm, settlement_id)
    statements, orm_time, _ = attempts[-1]
    return {
        'lines': lines,
        'move_lines': call(move_lines, settlement_id),
        'attempts': len(attempts),
        'all': sum(sum(s.values()) for _, _, s in attempts),
        'queries': sum(statements.values()),
        'selects': statements['SELECT'],
        'inserts': statements['INSERT'],
        'updates': statements['UPDATE'],
        'others': sum(statements.values()) - statements['SELECT']
        - statements['INSERT'] - statements['UPDATE'],
        'time': orm_time,
        'raw': raw_time,
        'setup': setup_time,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--lines', type=int, nargs='+', default=[100, 5000])
    args = parser.parse_args()

    from trytond import backend
    from trytond.tests.test_tryton import activate_module, drop_db

    if backend.name != 'sqlite':
        drop_db()
    start = time.perf_counter()
    activate_module(['hall_cash'])
    print(f"backend {backend.name}, module activated in "
        f"{time.perf_counter() - start:.0f} s", file=sys.stderr)

    # The test pool also validates the computed fields on every save, which
    # a server does not: measure what a server runs
    from trytond.pool import Pool
    Pool.test = False

    rows = []
    try:
        call = Caller()
        call.context = call(setup_company)
        # Fill the caches and collect the locks with a small first run
        measure(call, 1, SHIFTS[0], "Clerk W")
        for i, lines in enumerate(args.lines):
            rows.append(measure(
                    call, lines, SHIFTS[i % len(SHIFTS)], f"Clerk {i}"))
            print(f"{lines} lines measured in "
                f"{rows[-1]['setup']:.0f} s", file=sys.stderr)
    finally:
        if backend.name != 'sqlite':
            drop_db()

    # queries, SELECT ... other: the statements of the last attempt
    header = ("fee lines", "move lines", "queries", "SELECT", "INSERT",
        "UPDATE", "other", "attempts", "all", "confirm s", "raw SQL s",
        "ratio")
    print(f"settlement confirmation on {backend.name}")
    print(" ".join(f"{h:>10}" for h in header))
    for row in rows:
        print(" ".join(f"{v:>10}" for v in [
                    row['lines'], row['move_lines'], row['queries'],
                    row['selects'], row['inserts'], row['updates'],
                    row['others'], row['attempts'], row['all'],
                    f"{row['time']:.3f}", f"{row['raw']:.4f}",
                    f"{row['time'] / row['raw']:.0f}"]))


if __name__ == '__main__':
    main()
