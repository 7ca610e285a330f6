#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Measure the monthly score summaries of many halls.

Creates one company, ``--halls`` halls of ``--staff`` employees each (the
parties, the employees and their posts inserted with plain SQL), and
``--entries`` confirmed score entries an employee in one month, inserted
with plain SQL (``INSERT ... SELECT`` from ``generate_series()`` on
PostgreSQL, ``executemany()`` on SQLite) over the items of the assessment
the module ships, each entry's points within its item's minimum and
maximum, in halves (the caps are not applied: they are checked on
confirmation only), and the draft summary (``hall.score.period``) of
every hall for the month.  The tables are analysed on PostgreSQL as its
autovacuum would.
It then counts the SQL statements, by their first word, and the time,
best (min) and median of ``--repeat`` runs, each in its own transaction
of the root user rolled back at its end, of ``hall.score.period``
``summarize()`` of:

- the summaries of all the halls,
- the summaries of a tenth of the halls (every tenth hall): the
  statements should not depend on the number of halls, but for the
  chunks of ``grouped_slice()``,

and compares each with one plain ``SELECT hall, employee, weight_group,
SUM(points) ... GROUP BY`` over the same confirmed entries of the month
(of the same halls): raw s is its median, ratio the median of the
summary over it (the target is at most 1.5).  The lines of each summary
are checked against the plain ``SELECT``: one an employee, the same sum
of the points.

    .venv/bin/python tests/perf/bench_scoring.py [--halls 10]
        [--staff 20] [--entries 150] [--repeat 3]

SQLite in memory by default (10 halls); PostgreSQL (1,000 halls by
default, 3,000,000 entries) with
``TRYTOND_DATABASE__URI=postgresql://user:password@host:port/`` (the
database ``DB_NAME``, by default ``bench_scoring``, is dropped and
created again, and dropped at the end as ``tests/postgres.py`` does).
On a throwaway PostgreSQL server, with the role of ``./hall`` (run as
root; another user runs ``initdb`` and ``pg_ctl`` without ``su``)::

    mkdir /tmp/bench-pg && chown postgres: /tmp/bench-pg
    su postgres -c 'initdb -D /tmp/bench-pg/data -U postgres -A trust'
    su postgres -c "pg_ctl -D /tmp/bench-pg/data -l /tmp/bench-pg/log \\
        -o '-p 5433 -k /tmp/bench-pg -c listen_addresses=127.0.0.1' \\
        -w start"
    psql -h 127.0.0.1 -p 5433 -U postgres \\
        -c "CREATE ROLE hall LOGIN CREATEDB PASSWORD 'hall'"
    TRYTOND_DATABASE__URI=postgresql://hall:hall@127.0.0.1:5433/ \\
        .venv/bin/python tests/perf/bench_scoring.py
    su postgres -c 'pg_ctl -D /tmp/bench-pg/data -m fast stop'
    rm -rf /tmp/bench-pg

The cluster ``./hall test --postgresql`` starts serves as well:
``TRYTOND_DATABASE__URI=postgresql://hall:hall@127.0.0.1:5432/``.
The rows inserted get
every column their model requires (the script stops if one is missing).
BENCH_DUMP=1 prints the statements of the summaries to the standard
error.  This is a measurement, not a test: nothing asserts a time.
"""
import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE__URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
else:
    os.environ.setdefault('DB_NAME', 'bench_scoring')

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
# The month summarized
MONTH = dt.date(2025, 3, 1)
# The batches of the ORM creations: on SQLite the unique constraints are
# checked with one OR clause per record, refused past about 90 records
BATCH = 50
# The points of the entries are multiples of it, within the bounds of
# their item: SQLite sums them as floats, exactly for halves
STEP = Decimal('0.5')
# The rows of one executemany()
INSERT_BATCH = 1000
# The statements counted apart, the others together
KINDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE']
PARTY_COLUMNS = ['create_uid', 'create_date', 'name', 'code', 'code_alnum',
    'code_digit', 'active']
EMPLOYEE_COLUMNS = ['create_uid', 'create_date', 'party', 'company',
    'hall', 'badge']
EMPLOYEE_POST_COLUMNS = ['create_uid', 'create_date', 'employee', 'post']
ENTRY_COLUMNS = ['create_uid', 'create_date', 'hall', 'employee', 'date',
    'category', 'points', 'state', 'confirmed_at']
PERIOD_COLUMNS = ['create_uid', 'create_date', 'hall', 'month',
    'base_score', 'state', 'late']


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


def month_end(month):
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
        days=1)


def check_columns(Model, columns):
    "Stop if a column the model requires is not inserted"
    from trytond.model import fields
    missing = [name for name, field in Model._fields.items()
        if field.required and hasattr(field, 'sql_type')
        and not isinstance(field, fields.Function)
        and field._type not in {'one2many', 'many2many'}
        and name not in columns]
    if missing:
        raise RuntimeError(
            f"the required columns {missing} of {Model._table} are not "
            "inserted: add them to the columns and the insertions")


def insert_rows(Model, columns, rows):
    "Insert the rows into the table of the model with executemany()"
    from trytond.transaction import Transaction
    check_columns(Model, columns)
    cursor = Transaction().connection.cursor()
    table = Model.__table__()
    query, _ = table.insert(
        [getattr(table, c) for c in columns],
        values=[[0] * len(columns)])
    rows = iter(rows)
    while True:
        batch = [r for _, r in zip(range(INSERT_BATCH), rows)]
        if not batch:
            break
        cursor.executemany(query, batch)


def setup(halls, staff):
    """Create the company, the halls and their staff; return the ids of
    the company and the halls"""
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    User = pool.get('res.user')
    Hall = pool.get('hall.hall')
    Post = pool.get('hall.post')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    EmployeePost = pool.get('company.employee-hall.post')
    transaction = Transaction()
    user = transaction.user
    now = dt.datetime.now()
    company = create_company()
    User.write([User(user)], {
            'companies': [('add', [company.id])],
            'company': company.id,
            })
    posts = [p.id for p in Post.search([], order=[('id', 'ASC')])]
    with transaction.set_context(
            company=company.id, companies=[company.id]):
        hall_ids = []
        for i in range(0, halls, BATCH):
            hall_ids.extend(h.id for h in Hall.create([{
                            'name': f"Hall {j:04d}",
                            'code': f'H{j:04d}',
                            'company': company.id,
                            } for j in range(i, min(i + BATCH, halls))]))
    count = halls * staff
    insert_rows(Party, PARTY_COLUMNS, (
            [user, now, f"Staff {i:07d}", f'BS{i:07d}', f'BS{i:07d}', i,
                True] for i in range(count)))
    cursor = transaction.connection.cursor()
    party = Party.__table__()
    cursor.execute(*party.select(party.id, party.code,
            where=party.code.like('BS%')))
    parties = {c: i for i, c in cursor}
    insert_rows(Employee, EMPLOYEE_COLUMNS, (
            [user, now, parties[f'BS{i:07d}'], company.id,
                hall_ids[i // staff], f'B{i:07d}']
            for i in range(count)))
    employee = Employee.__table__()
    cursor.execute(*employee.select(employee.id,
            where=employee.company == company.id,
            order_by=[employee.id.asc]))
    employees = [i for i, in cursor]
    insert_rows(EmployeePost, EMPLOYEE_POST_COLUMNS, (
            [user, now, e, posts[i % len(posts)]]
            for i, e in enumerate(employees)))
    return company.id, hall_ids


def categories():
    "The items of the assessment: id, minimum and maximum"
    from trytond.pool import Pool
    Category = Pool().get('hall.score.category')
    return [(c.id, c.min_points, c.max_points)
        for c in Category.search([], order=[('id', 'ASC')])]


def insert_entries_sqlite(entries, company, now):
    "Insert the entries with executemany()"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Entry = pool.get('hall.score.entry')
    employee = pool.get('company.employee').__table__()
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute(*employee.select(employee.id, employee.hall,
            where=(employee.company == company) & (employee.hall != None),
            order_by=[employee.id.asc]))
    employees = cursor.fetchall()
    items = categories()
    days = month_end(MONTH).day
    rng = random.Random(42)

    def rows():
        for employee_id, hall in employees:
            for i in range(entries):
                category, minimum, maximum = items[
                    (employee_id + i) % len(items)]
                steps = int((maximum - minimum) / STEP) + 1
                points = minimum + STEP * int(rng.random() * steps)
                yield [transaction.user, now, hall, employee_id,
                    MONTH + dt.timedelta(days=i % days), category,
                    Entry.points.sql_format(points), 'confirmed', now]
    insert_rows(Entry, ENTRY_COLUMNS, rows())


def insert_entries_postgresql(entries, company, now):
    "Insert the entries with one INSERT ... SELECT of generate_series()"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Entry = Pool().get('hall.score.entry')
    check_columns(Entry, ENTRY_COLUMNS)
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute('SELECT setseed(0.42)')
    columns = ', '.join(f'"{c}"' for c in ENTRY_COLUMNS)
    cursor.execute(f"""
        WITH c AS (
            SELECT id, min_points, max_points,
                row_number() OVER (ORDER BY id) - 1 AS k,
                count(*) OVER () AS n
            FROM hall_score_category)
        INSERT INTO hall_score_entry ({columns})
        SELECT %(user)s, %(now)s, e.hall, e.id,
            %(month)s::date + mod(g.i, %(days)s), c.id,
            c.min_points + %(step)s * floor(random()::numeric
                * ((c.max_points - c.min_points) / %(step)s + 1)),
            'confirmed', %(now)s
        FROM company_employee AS e
        CROSS JOIN generate_series(0, %(entries)s - 1) AS g(i)
        JOIN c ON c.k = mod(e.id + g.i, c.n)
        WHERE e.company = %(company)s AND e.hall IS NOT NULL
        ORDER BY e.id, g.i""", {
            'user': transaction.user,
            'now': now,
            'month': MONTH,
            'days': month_end(MONTH).day,
            'entries': entries,
            'company': company,
            'step': STEP,
            })


def load(entries, company, halls):
    """Insert the entries and the draft summaries and analyse the tables;
    return the ids of the summaries in the order of the halls"""
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Period = Pool().get('hall.score.period')
    transaction = Transaction()
    now = dt.datetime.now().replace(microsecond=0)
    if backend.name == 'postgresql':
        insert_entries_postgresql(entries, company, now)
    else:
        insert_entries_sqlite(entries, company, now)
    insert_rows(Period, PERIOD_COLUMNS, (
            [transaction.user, now, h, MONTH,
                Period.base_score.sql_format(Decimal(100)), 'draft', False]
            for h in halls))
    cursor = transaction.connection.cursor()
    if backend.name == 'postgresql':
        for table in ['hall_score_entry', 'hall_score_category',
                'hall_score_period', 'hall_score_period_line',
                'company_employee', 'company_employee-hall_post',
                'party_party', 'hall_hall']:
            cursor.execute(f'ANALYZE "{table}"')
    period = Period.__table__()
    cursor.execute(*period.select(period.id, period.hall,
            where=period.month == MONTH))
    periods = dict((h, i) for i, h in cursor)
    return [periods[h] for h in halls]


def summarize(period_ids, context):
    """Summarize the periods as the root user in a transaction rolled back;
    return the statements, the time, the number of lines and the sum of
    their points"""
    from sql.aggregate import Count, Sum

    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.tools import reduce_ids
    from trytond.transaction import Transaction
    with Transaction().start(DB_NAME, 0, context=context) as transaction:
        pool = Pool()
        Period = pool.get('hall.score.period')
        line = pool.get('hall.score.period.line').__table__()
        drafts = Period.search_count([
                ('id', 'in', period_ids),
                ('state', '=', 'draft'),
                ])
        if drafts != len(period_ids):
            raise RuntimeError(f"{drafts} of {len(period_ids)} summaries "
                "in draft")
        periods = Period.browse(period_ids)
        with count_queries() as statements:
            start = time.perf_counter()
            Period.summarize(periods)
            duration = time.perf_counter() - start
        cursor = transaction.connection.cursor()
        cursor.execute(*line.select(Count(line.id), Sum(line.total_points),
                where=reduce_ids(line.period, period_ids)))
        lines, points = cursor.fetchone()
        summarized = Period.search_count([
                ('id', 'in', period_ids),
                ('state', '=', 'summarized'),
                ])
        transaction.rollback()
    if summarized != len(period_ids):
        raise RuntimeError(f"{summarized} of {len(period_ids)} summaries "
            "summarized")
    return statements, duration, lines, Decimal(str(points or 0))


def raw(halls, subset):
    """The plain SELECT of the confirmed entries of the month by hall,
    employee and weight group (of the halls if subset); return the time,
    the number of employees and the sum of the points"""
    from sql import Literal
    from sql.aggregate import Sum

    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.tools import reduce_ids
    from trytond.transaction import Transaction
    with Transaction().start(DB_NAME, 0, readonly=True) as transaction:
        pool = Pool()
        entry = pool.get('hall.score.entry').__table__()
        category = pool.get('hall.score.category').__table__()
        cursor = transaction.connection.cursor()
        where = ((entry.date >= MONTH) & (entry.date <= month_end(MONTH))
            & (entry.state == Literal('confirmed')))
        if subset:
            where &= reduce_ids(entry.hall, halls)
        start = time.perf_counter()
        cursor.execute(*entry.join(category,
                condition=entry.category == category.id
                ).select(
                entry.hall, entry.employee, category.weight_group,
                Sum(entry.points),
                where=where,
                group_by=[entry.hall, entry.employee,
                    category.weight_group]))
        rows = cursor.fetchall()
        duration = time.perf_counter() - start
    employees = {(h, e) for h, e, _, _ in rows}
    points = sum((Decimal(str(p or 0)) for *_, p in rows), Decimal(0))
    return duration, len(employees), points


def measure(name, halls, period_ids, subset, entries, context, repeat):
    "Measure the summaries of the periods against the plain SELECT"
    times, raw_times = [], []
    for _ in range(repeat):
        statements, duration, lines, points = summarize(period_ids, context)
        times.append(duration)
    for _ in range(repeat):
        duration, employees, raw_points = raw(halls, subset)
        raw_times.append(duration)
    if (lines, points) != (employees, raw_points):
        raise RuntimeError(f"{name}: the summaries have {lines} lines of "
            f"{points} points but the plain SELECT {employees} employees "
            f"of {raw_points} points")
    median = statistics.median(times)
    raw_median = statistics.median(raw_times)
    return {
        'name': name,
        'halls': len(halls),
        'entries': entries,
        'statements': statements,
        'min': min(times),
        'median': median,
        'raw': raw_median,
        'ratio': median / raw_median,
        }


def drop():
    "Drop the database as tests/postgres.py does"
    import psycopg

    from trytond import backend
    from trytond.tests.test_tryton import DB_NAME
    sys.path.insert(0, os.path.dirname(os.path.dirname(
                os.path.abspath(__file__))))
    import postgres
    backend.Database(DB_NAME).close()
    uri = os.environ['TRYTOND_DATABASE__URI']
    with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
        postgres.drop(conn, DB_NAME)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--halls', type=int,
        help="default: 1000 on PostgreSQL, 10 on SQLite")
    parser.add_argument('--staff', type=int, default=20,
        help="the employees of a hall")
    parser.add_argument('--entries', type=int, default=150,
        help="the confirmed entries of an employee in the month")
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args()

    from trytond import backend
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME, USER, activate_module
    from trytond.transaction import Transaction

    if args.halls is None:
        args.halls = 1000 if backend.name == 'postgresql' else 10
    if backend.name != 'sqlite':
        drop()
    start = time.perf_counter()
    activate_module(['hall_scoring'])
    print(f"backend {backend.name}, module activated in "
        f"{time.perf_counter() - start:.0f} s", file=sys.stderr)

    # The test pool also validates the computed fields on every save, which
    # a server does not: measure what a server runs
    Pool.test = False

    rows = []
    try:
        start = time.perf_counter()
        with Transaction().start(DB_NAME, USER) as transaction:
            company, halls = setup(args.halls, args.staff)
            transaction.commit()
        with Transaction().start(DB_NAME, USER) as transaction:
            period_ids = load(args.entries, company, halls)
            transaction.commit()
        entries = args.halls * args.staff * args.entries
        print(f"{args.halls} halls of {args.staff} staff, {entries} "
            f"entries loaded in {time.perf_counter() - start:.0f} s",
            file=sys.stderr)

        context = {'company': company, '_skip_warnings': True}
        step = 10 if len(halls) >= 10 else len(halls)
        sub_halls, sub_periods = halls[::step], period_ids[::step]
        # Fill the caches
        summarize(sub_periods, context)
        measures = [
            ("all halls", halls, period_ids, False, entries),
            ("1/10 halls", sub_halls, sub_periods, True,
                len(sub_halls) * args.staff * args.entries),
            ]
        for name, *measure_args in measures:
            rows.append(measure(name, *measure_args, context, args.repeat))
            print(f"{name} measured", file=sys.stderr)
    finally:
        if backend.name != 'sqlite':
            drop()

    print(f"score summaries on {backend.name}: {args.halls} halls of "
        f"{args.staff} staff, {args.entries} entries an employee in "
        f"{MONTH:%Y-%m}, {args.repeat} runs")
    header = ("measure", "halls", "entries", "stmts", *KINDS, "other",
        "min s", "median s", "raw s", "ratio")
    print(f"{header[0]:<12}" + " ".join(f"{h:>8}" for h in header[1:]))
    for row in rows:
        statements = row['statements']
        total = sum(statements.values())
        kinds = [statements[k] for k in KINDS]
        print(f"{row['name']:<12}" + " ".join(f"{v:>8}" for v in [
                    row['halls'], row['entries'], total, *kinds,
                    total - sum(kinds),
                    f"{row['min']:.3f}", f"{row['median']:.3f}",
                    f"{row['raw']:.3f}", f"{row['ratio']:.1f}"]))


if __name__ == '__main__':
    main()
