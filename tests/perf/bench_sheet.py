#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Measure the reading of the card consumption sheets of a day.

Creates halls of 10 front desk clerks, each with her counter (a storage
location of the hall's clerk), a store per hall and 20 SIM card products,
then the done moves of the counters (250 a hall by default: 50,000 for 200
halls): drawn from the store, sold to the customers and returned to the
store on the day, drawn the day before for the opening quantities; and one
``hall.stock.sheet`` a clerk for the day.  At each number of halls given
it counts the SQL statements and the time of the reading of the sheets of
the day as the client does: ``search()`` of the sheets of the date, then
``search()`` and ``read()`` of their ``hall.stock.sheet.line`` (a table
query over the moves), with the access rules checked.  It compares the
time with one plain ``SELECT ... SUM(CASE ...) ... GROUP BY`` over the
same moves, per counter and product, and checks that both give the same
totals and the totals the moves were created with.

    .venv/bin/python tests/perf/bench_sheet.py [--halls 10 200]

SQLite in memory by default; PostgreSQL with
``TRYTOND_DATABASE__URI=postgresql://user:password@host:port/`` (the
database ``DB_NAME``, by default ``bench_sheet``, is dropped and created
again).  The halls are added to the same database from one number to the
next: the 200 halls include the 10 of the first measure.  The data is
inserted with plain SQL (but the halls, employees and locations), then
analysed on PostgreSQL as its autovacuum would.  Each reading runs in its
own read-only transaction, as the dispatcher would; the best of
``--repeat`` times is kept.  Without ``python -O`` the assertions of
trytond's ``browse()`` check every id of the list for every record: the
instances of the lines found cost a time quadratic in their number.
BENCH_DUMP=1 prints the statements to the standard error.
This is a measurement, not a test: nothing asserts a time.
"""
import argparse
import datetime as dt
import os
import sys
import time
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE__URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
else:
    os.environ.setdefault('DB_NAME', 'bench_sheet')

CLERKS = 10
PRODUCTS = 20
# The day of the sheets: the openings are drawn the day before
DATE = dt.date(2025, 3, 4)
# The kinds of the moves, in turn over the clerks and products of a hall
KINDS = ['drawn', 'sold', 'opening', 'sold', 'drawn', 'returned', 'sold',
    'drawn']
QUANTITIES = ['opening', 'drawn', 'sold', 'returned', 'adjusted', 'closing']
# The fields of the list of the lines
FIELDS = ['product'] + QUANTITIES
STORE_TYPES = ['storage', 'warehouse', 'view']
# The batches of the ORM creations: on SQLite the unique constraints are
# checked with one OR clause per record, refused past about 90 records
BATCH = 50
# The rows of one executemany()
INSERT_BATCH = 1000


@contextmanager
def count_queries():
    "Collect the first word of every SQL statement executed"
    from trytond.transaction import Transaction
    cursor_class = type(Transaction().connection.cursor())
    original = cursor_class.execute
    statements = Counter()

    def execute(self, query, *args, **kwargs):
        statements[str(query).lstrip().split(None, 1)[0].upper()] += 1
        if os.environ.get('BENCH_DUMP'):
            print(' '.join(str(query).split())[:200], file=sys.stderr)
        return original(self, query, *args, **kwargs)
    cursor_class.execute = execute
    try:
        yield statements
    finally:
        cursor_class.execute = original


class Caller:
    "Call functions in committed transactions as the dispatcher does"

    def __init__(self):
        self.context = {}
        # The locks asked for, kept for the next calls
        self.extras = {}

    def __call__(self, func, *args, readonly=False):
        from trytond.tests.test_tryton import DB_NAME, USER
        from trytond.transaction import Transaction, TransactionError
        while True:
            with Transaction().start(
                    DB_NAME, USER, readonly=readonly, context=self.context,
                    **self.extras) as transaction:
                try:
                    result = func(*args)
                except TransactionError as exception:
                    transaction.rollback()
                    exception.fix(self.extras)
                    continue
                if readonly:
                    transaction.rollback()
                else:
                    transaction.commit()
            return result


def setup_company():
    "Create the company and the products; return the context"
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Template = pool.get('product.template')
    company = create_company()
    User.write([User(Transaction().user)], {
            'companies': [('add', [company.id])],
            'company': company.id,
            })
    unit = ModelData.get_id('product', 'uom_unit')
    with Transaction().set_context(
            company=company.id, companies=[company.id]):
        Template.create([{
                    'name': f"SIM Card {i:02d}",
                    'type': 'goods',
                    'default_uom': unit,
                    'hall_kind': 'sim',
                    'products': [('create', [{'code': f'SIM{i:02d}'}])],
                    } for i in range(PRODUCTS)])
    return {
        'company': company.id,
        'companies': [company.id],
        }


def insert(table, columns, rows):
    "Insert the rows with executemany()"
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    query, _ = table.insert(columns, values=[[0] * len(columns)])
    for i in range(0, len(rows), INSERT_BATCH):
        cursor.executemany(query, rows[i:i + INSERT_BATCH])


def create_halls(first, count, moves_per_hall):
    """Create count halls numbered from first, with their clerks, counters,
    store, moves and sheets of the day; return the totals of the moves"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Company = pool.get('company.company')
    Hall = pool.get('hall.hall')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    Location = pool.get('stock.location')
    Product = pool.get('product.product')
    Move = pool.get('stock.move')
    Sheet = pool.get('hall.stock.sheet')
    transaction = Transaction()
    company = Company(transaction.context['company'])
    customer = ModelData.get_id('stock', 'location_customer')
    unit = ModelData.get_id('product', 'uom_unit')
    products = [p.id for p in Product.search(
            [('template.hall_kind', '=', 'sim')], order=[('code', 'ASC')])]
    assert len(products) == PRODUCTS, products

    codes = [f'H{i:03d}' for i in range(first, first + count)]
    halls = Hall.create([{
                'name': f"Hall {code}",
                'code': code,
                'company': company.id,
                } for code in codes])
    parties = Party.create([{
                'name': f"{h.code} Clerk {c}",
                } for h in halls for c in range(CLERKS)])
    values = [{
            'party': p.id,
            'company': company.id,
            'hall': halls[i // CLERKS].id,
            } for i, p in enumerate(parties)]
    employees = []
    for i in range(0, len(values), BATCH):
        employees.extend(Employee.create(values[i:i + BATCH]))
    values = []
    for i, hall in enumerate(halls):
        values.append({
                'name': f"{hall.code} Store",
                'code': f'{hall.code}-S',
                'type': 'storage',
                })
        for c, clerk in enumerate(employees[i * CLERKS:(i + 1) * CLERKS]):
            values.append({
                    'name': f"{hall.code} Counter {c}",
                    'code': f'{hall.code}-{c}',
                    'type': 'storage',
                    'hall': hall.id,
                    'hall_clerk': clerk.id,
                    })
    locations = []
    for i in range(0, len(values), BATCH):
        locations.extend(Location.create(values[i:i + BATCH]))

    move = Move.__table__()
    now = dt.datetime.now()
    user = transaction.user
    price = Decimal('10.0000')
    totals = dict.fromkeys(QUANTITIES, 0)
    rows = []
    for i in range(count):
        store, *counters = locations[i * (CLERKS + 1):(i + 1) * (CLERKS + 1)]
        for k in range(moves_per_hall):
            turn, pair = divmod(k, CLERKS * PRODUCTS)
            counter = counters[pair % CLERKS].id
            product = products[pair // CLERKS]
            kind = KINDS[(k + turn) % len(KINDS)]
            quantity = float(1 + (k + i) % 5)
            date = DATE
            unit_price = currency = None
            if kind == 'opening':
                from_, to = store.id, counter
                date = DATE - dt.timedelta(days=1)
            elif kind == 'drawn':
                from_, to = store.id, counter
            elif kind == 'sold':
                from_, to = counter, customer
                unit_price, currency = price, company.currency.id
            else:
                from_, to = counter, store.id
            totals[kind] += quantity
            rows.append([user, now, company.id, product, unit, quantity,
                    quantity, from_, to, date, date, 'done', unit_price,
                    currency])
    insert(move, [move.create_uid, move.create_date, move.company,
            move.product, move.unit, move.quantity, move.internal_quantity,
            move.from_location, move.to_location, move.planned_date,
            move.effective_date, move.state, move.unit_price,
            move.currency], rows)
    totals['closing'] = (totals['opening'] + totals['drawn']
        - totals['sold'] - totals['returned'])

    sheet = Sheet.__table__()
    insert(sheet, [sheet.create_uid, sheet.create_date, sheet.hall,
            sheet.clerk, sheet.date, sheet.state], [
            [user, now, e.hall.id, e.id, DATE, 'draft'] for e in employees])
    return totals, len(rows)


def analyze():
    "Update the statistics of the planner as autovacuum would"
    from trytond import backend
    from trytond.transaction import Transaction
    if backend.name == 'postgresql':
        cursor = Transaction().connection.cursor()
        for table in ['stock_move', 'stock_location', 'hall_stock_sheet',
                'company_employee', 'hall_hall', 'party_party']:
            cursor.execute(f'ANALYZE "{table}"')


def read_sheets(date):
    """Read the lines of every sheet of the date as the client does; return
    the statements, the time, the numbers of sheets and lines and the
    totals"""
    from trytond.pool import Pool
    from trytond.transaction import check_access
    pool = Pool()
    Sheet = pool.get('hall.stock.sheet')
    Line = pool.get('hall.stock.sheet.line')
    with count_queries() as statements:
        start = time.perf_counter()
        with check_access():
            sheets = Sheet.search([('date', '=', date)])
            lines = Line.search([('sheet', 'in', [s.id for s in sheets])])
            rows = Line.read([l.id for l in lines], FIELDS)
        duration = time.perf_counter() - start
    totals = {q: sum(r[q] for r in rows) for q in QUANTITIES}
    return statements, duration, len(sheets), len(rows), totals


def raw_aggregate(date):
    """Sum the same moves per counter and product with one plain SELECT;
    return the time, the number of rows and the totals"""
    from sql import Literal, Null, Union
    from sql.aggregate import Sum
    from sql.conditionals import Case

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    cursor = Transaction().connection.cursor()
    move = Move.__table__()
    other = Location.__table__()
    counter = Location.__table__()

    # Each move once into its destination and once out of its origin
    def side(here, there, sign):
        return move.join(other, condition=there == other.id).select(
            here.as_('counter'), move.product.as_('product'),
            (move.internal_quantity * sign).as_('quantity'),
            Literal(sign).as_('sign'), other.type.as_('other'),
            move.effective_date.as_('date'),
            where=(move.state == 'done') & (move.effective_date <= date))
    sides = Union(
        side(move.to_location, move.from_location, 1),
        side(move.from_location, move.to_location, -1),
        all_=True)
    today = sides.date == date
    inbound = sides.sign == 1
    outbound = sides.sign == -1
    quantity = sides.quantity
    query = sides.join(counter, condition=(counter.id == sides.counter)
        & (counter.hall_clerk != Null)).select(
        counter.id, sides.product,
        Sum(Case((sides.date < date, quantity), else_=0)),
        Sum(Case((today & inbound & sides.other.in_(STORE_TYPES), quantity),
                else_=0)),
        Sum(Case((today & (sides.other == 'customer'), -quantity),
                else_=0)),
        Sum(Case((today & outbound & sides.other.in_(STORE_TYPES),
                    -quantity), else_=0)),
        Sum(Case((today & ~sides.other.in_(STORE_TYPES + ['customer']),
                    quantity), else_=0)),
        Sum(quantity),
        group_by=[counter.id, sides.product])
    start = time.perf_counter()
    cursor.execute(*query)
    rows = cursor.fetchall()
    duration = time.perf_counter() - start
    totals = {q: sum(r[i + 2] for r in rows)
        for i, q in enumerate(QUANTITIES)}
    return duration, len(rows), totals


def measure(call, halls, moves, expected, repeat):
    call(analyze)
    best = raw_best = None
    for _ in range(repeat):
        statements, duration, sheets, lines, totals = call(
            read_sheets, DATE, readonly=True)
        raw_time, raw_rows, raw_totals = call(
            raw_aggregate, DATE, readonly=True)
        best = min(duration, best or duration)
        raw_best = min(raw_time, raw_best or raw_time)
    for name, other in [("raw SQL", raw_totals), ("moves", expected)]:
        if totals != other:
            raise RuntimeError(
                f"{halls} halls: the totals of the sheets {totals} "
                f"differ from the totals of the {name} {other}")
    if lines != raw_rows:
        raise RuntimeError(f"{halls} halls: {lines} lines of the sheets "
            f"but {raw_rows} rows of raw SQL")
    print(f"{halls} halls: totals agree {totals}", file=sys.stderr)
    return {
        'halls': halls,
        'sheets': sheets,
        'lines': lines,
        'moves': moves,
        'queries': sum(statements.values()),
        'selects': statements['SELECT'],
        'others': sum(statements.values()) - statements['SELECT'],
        'time': best,
        'raw': raw_best,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--halls', type=int, nargs='+', default=[10, 200])
    parser.add_argument('--moves', type=int, default=250,
        help="the moves of a hall (default: %(default)s)")
    parser.add_argument('--repeat', type=int, default=3,
        help="the readings of which the best is kept "
        "(default: %(default)s)")
    args = parser.parse_args()

    from trytond import backend
    from trytond.tests.test_tryton import activate_module, drop_db

    if backend.name != 'sqlite':
        drop_db()
    start = time.perf_counter()
    activate_module(['hall_stock'])
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
        done = 0
        expected = dict.fromkeys(QUANTITIES, 0)
        moves = 0
        for count in sorted(set(args.halls)):
            start = time.perf_counter()
            totals, created = call(
                create_halls, done, count - done, args.moves)
            for name in QUANTITIES:
                expected[name] += totals[name]
            moves += created
            done = count
            print(f"{count} halls created in "
                f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
            rows.append(measure(call, count, moves, expected, args.repeat))
    finally:
        if backend.name != 'sqlite':
            drop_db()

    header = ("halls", "sheets", "lines", "moves", "queries", "SELECT",
        "other", "read s", "raw SQL s", "ratio")
    print(f"consumption sheets of a day on {backend.name}")
    print(" ".join(f"{h:>10}" for h in header))
    for row in rows:
        print(" ".join(f"{v:>10}" for v in [
                    row['halls'], row['sheets'], row['lines'],
                    row['moves'], row['queries'], row['selects'],
                    row['others'], f"{row['time']:.3f}",
                    f"{row['raw']:.3f}",
                    f"{row['time'] / row['raw']:.1f}"]))
    print("totals agree")
    if len({r['queries'] for r in rows}) > 1:
        print("the statements differ with the number of halls")
    else:
        print("the same statements at every number of halls")


if __name__ == '__main__':
    main()
