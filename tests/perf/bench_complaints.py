#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Measure the searches of the complaints in a year of many halls.

Creates one company, ``--halls`` halls with a clerk each and a group
leader (a user of the group leaders' group) in one of them, then inserts
``--complaints`` complaints with plain SQL (``INSERT ... SELECT`` from
``generate_series()`` on PostgreSQL, ``executemany()`` on SQLite), spread
over the halls and the last 52 weeks: 97 % answered, resolved or closed,
3 % unanswered (open or waiting on the customer, taken in the last 36
hours), most of these past their deadline and already marked overdue by
an earlier run of the cron, every 15 minutes.  The tables are analysed
on PostgreSQL as its autovacuum would.  It then counts the SQL statements
and the time, best (min) and median of ``--repeat`` runs each in its own
read-only transaction, of:

- the search of ``Complaint.mark_overdue()`` (the cron, as the root user),
- the search of the overdue complaints of his hall by the group leader,
  with the access rules checked,
- the search and the read of the complaints of one week of the hall, as
  the root user and as the group leader,

and compares each with one plain ``SELECT`` giving the same ids (or, for
the week, the counts per category, channel and complexity, which must
agree with the rows read): raw ms is its median, ratio the median over
it.  On PostgreSQL it runs ``EXPLAIN`` on the statements of the ORM that
read ``hall_complaint``, prints the plans and fails if one of them does
not use an index or reads the whole table (``Seq Scan``).

    .venv/bin/python tests/perf/bench_complaints.py [--halls 25]
        [--complaints 50000] [--repeat 20]

SQLite in memory by default (50,000 complaints over 25 halls: about 38 a
hall a week, as on PostgreSQL); PostgreSQL (1,000,000 complaints over 500
halls by default) with
``TRYTOND_DATABASE__URI=postgresql://user:password@host:port/`` (the
database ``DB_NAME``, by default ``bench_complaints``, is dropped and
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
        .venv/bin/python tests/perf/bench_complaints.py
    su postgres -c 'pg_ctl -D /tmp/bench-pg/data -m fast stop'
    rm -rf /tmp/bench-pg

The cluster ``./hall test --postgresql`` starts serves as well:
``TRYTOND_DATABASE__URI=postgresql://hall:hall@127.0.0.1:5432/``.
Loading the million complaints takes a few minutes.  The complaints get
every column the model requires (the script stops if one is missing) and
their ``week`` when the model has one.
BENCH_DUMP=1 prints the statements of the ORM to the standard error.
This is a measurement, not a test: nothing asserts a time.
"""
import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from contextlib import contextmanager

os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE__URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
else:
    os.environ.setdefault('DB_NAME', 'bench_complaints')

# The share of the complaints below each bound of a random number
STATES = [
    (0.025, 'open'),
    (0.03, 'waiting'),
    (0.06, 'answered'),
    (0.10, 'resolved'),
    (1, 'closed'),
    ]
UNANSWERED = ['open', 'waiting']
COMPLEXITIES = [(0.70, 'simple'), (0.95, 'complex'), (1, 'difficult')]
CHANNELS = [
    (0.60, 'counter'),
    (0.85, 'phone'),
    (0.95, 'online'),
    (1, 'letter'),
    ]
# The deadline after the complaint was taken: a simple complaint by the
# closing time, the others within 24 hours
DELAY_SIMPLE = dt.timedelta(hours=6)
DELAY_OTHER = dt.timedelta(hours=24)
# The unanswered complaints were taken in the last 36 hours, the others
# in the 52 weeks before
RECENT = dt.timedelta(hours=36)
OLDER = dt.timedelta(weeks=52) - RECENT
# The share of the complaints answered late
LATE = 0.05
# The cron marks the overdue complaints every 15 minutes: those past
# their deadline before its last run are marked
CRON_INTERVAL = dt.timedelta(minutes=15)
# The fields of the list of the week's complaints
FIELDS = ['category', 'channel', 'complexity', 'state', 'answered_late']
# The week measured: the Monday that many weeks before this one
WEEKS_AGO = 10
# The batches of the ORM creations: on SQLite the unique constraints are
# checked with one OR clause per record, refused past about 90 records
BATCH = 50
# The rows of one executemany()
INSERT_BATCH = 1000
COLUMNS = ['create_uid', 'create_date', 'number', 'hall', 'taken_by',
    'category', 'channel', 'complexity', 'contact', 'description', 'state',
    'taken_at', 'deadline', 'waited', 'overdue', 'answered_late', 'answer',
    'answered_by', 'answered_at', 'resolution', 'resolved_by',
    'resolved_at', 'closed_by', 'closed_at']
# The Monday of the week taken, in the hall's time (UTC: the company has no
# timezone), when the model has it
WEEK = 'week'


@contextmanager
def count_queries(queries=None):
    """Collect the first word of every SQL statement executed, and the
    statements with their parameters in the list queries if given"""
    from trytond.transaction import Transaction
    cursor_class = type(Transaction().connection.cursor())
    original = cursor_class.execute
    statements = Counter()

    def execute(self, query, *args, **kwargs):
        statements[str(query).lstrip().split(None, 1)[0].upper()] += 1
        if queries is not None:
            queries.append((str(query), args[0] if args else None))
        if os.environ.get('BENCH_DUMP'):
            print(' '.join(str(query).split())[:200], file=sys.stderr)
        return original(self, query, *args, **kwargs)
    cursor_class.execute = execute
    try:
        yield statements
    finally:
        cursor_class.execute = original


def pick(bounds, value):
    "The name of the first bound above the value"
    for bound, name in bounds:
        if value < bound:
            return name
    return bounds[-1][1]


def case(column, bounds):
    "The SQL expression of pick(bounds, column)"
    whens = ' '.join(f"WHEN {column} < {b} THEN '{n}'"
        for b, n in bounds[:-1])
    return f"CASE {whens} ELSE '{bounds[-1][1]}' END"


def setup(halls):
    """Create the company, the halls with a clerk each and the group leader
    of the middle hall; return the ids of the company, halls, clerks, the
    leader user and his employee"""
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Hall = pool.get('hall.hall')
    Post = pool.get('hall.post')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    company = create_company()
    User.write([User(Transaction().user)], {
            'companies': [('add', [company.id])],
            'company': company.id,
            })
    posts = {p.code: p.id for p in Post.search([])}
    with Transaction().set_context(
            company=company.id, companies=[company.id]):
        hall_ids = []
        for i in range(0, halls, BATCH):
            hall_ids.extend(h.id for h in Hall.create([{
                            'name': f"Hall {j:03d}",
                            'code': f'H{j:03d}',
                            'company': company.id,
                            } for j in range(i, min(i + BATCH, halls))]))
        parties = Party.create([{
                    'name': f"Clerk {i:03d}",
                    } for i in range(halls)] + [{'name': "Group Leader"}])
        values = [{
                'party': p.id,
                'company': company.id,
                'hall': h,
                'posts': [('add', [posts['front_desk']])],
                } for p, h in zip(parties, hall_ids)]
        hall = hall_ids[len(hall_ids) // 2]
        values.append({
                'party': parties[-1].id,
                'company': company.id,
                'hall': hall,
                'posts': [('add', [posts['group_leader']])],
                })
        employees = []
        for i in range(0, len(values), BATCH):
            employees.extend(e.id for e in Employee.create(
                    values[i:i + BATCH]))
        *clerks, leader = employees
        user, = User.create([{
                    'name': "Group Leader",
                    'login': 'leader',
                    'groups': [('add', [ModelData.get_id(
                                    'hall_duties', 'group_group_leader')])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [leader])],
                    'employee': leader,
                    }])
    return company.id, hall_ids, clerks, user.id, leader


def complaint_rows(
        count, halls, clerks, categories, now, user, zero, week):
    """Generate the rows of the complaints as insert_postgresql() does,
    with their week if week"""
    rng = random.Random(42)
    marked = now - CRON_INTERVAL
    for i in range(1, count + 1):
        j = i % len(halls)
        state = pick(STATES, rng.random())
        complexity = pick(COMPLEXITIES, rng.random())
        channel = pick(CHANNELS, rng.random())
        category = categories[int(rng.random() * len(categories))]
        share = rng.random()
        late = rng.random() < LATE
        unanswered = state in UNANSWERED
        if unanswered:
            taken_at = now - RECENT * share
        else:
            taken_at = now - RECENT - OLDER * share
        deadline = taken_at + (
            DELAY_SIMPLE if complexity == 'simple' else DELAY_OTHER)
        late = late and not unanswered
        answer = answered_by = answered_at = None
        resolution = resolved_by = resolved_at = None
        closed_by = closed_at = None
        if unanswered:
            overdue = deadline < marked
        else:
            overdue = late
            answer, answered_by = "Answered.", clerks[j]
            if late:
                answered_at = deadline + dt.timedelta(hours=1)
            else:
                answered_at = taken_at + (deadline - taken_at) / 4
            if state in {'resolved', 'closed'}:
                resolution, resolved_by = "Resolved.", clerks[j]
                resolved_at = min(answered_at + dt.timedelta(days=1), now)
            if state == 'closed':
                closed_by = clerks[j]
                closed_at = min(resolved_at + dt.timedelta(days=1), now)
        row = [user, now, f'C{i:08d}', halls[j], clerks[j], category,
            channel, complexity, f'1380013{i % 10000:04d}',
            f"Complaint {i}", state, taken_at, deadline, zero, overdue,
            late, answer, answered_by, answered_at, resolution, resolved_by,
            resolved_at, closed_by, closed_at]
        if week:
            day = taken_at.date()
            row.append(day - dt.timedelta(days=day.weekday()))
        yield row


def insert_sqlite(count, halls, clerks, categories, now, columns):
    "Insert the complaints with executemany()"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Complaint = Pool().get('hall.complaint')
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    table = Complaint.__table__()
    query, _ = table.insert(
        [getattr(table, c) for c in columns],
        values=[[0] * len(columns)])
    zero = Complaint.waited.sql_format(dt.timedelta())
    rows = []
    for row in complaint_rows(count, halls, clerks, categories, now,
            transaction.user, zero, WEEK in columns):
        rows.append(row)
        if len(rows) == INSERT_BATCH:
            cursor.executemany(query, rows)
            rows = []
    if rows:
        cursor.executemany(query, rows)


def insert_postgresql(count, halls, clerks, categories, now, columns):
    "Insert the complaints with one INSERT ... SELECT of generate_series()"
    from trytond.transaction import Transaction
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute('SELECT setseed(0.42)')
    week = (",\n            date_trunc('week', taken_at)::date"
        if WEEK in columns else '')
    columns = ', '.join(f'"{c}"' for c in columns)
    query = f"""
        WITH r AS (
            SELECT i, 1 + mod(i, %(halls)s) AS j,
                random() AS u_state, random() AS u_complexity,
                random() AS u_channel, random() AS u_category,
                random() AS u_time, random() < %(late)s AS u_late
            FROM generate_series(1, %(count)s) AS i),
        s AS (
            SELECT i, j, u_time, u_late,
                {case('u_state', STATES)} AS state,
                {case('u_complexity', COMPLEXITIES)} AS complexity,
                {case('u_channel', CHANNELS)} AS channel,
                1 + floor(u_category * %(categories)s)::int AS k
            FROM r),
        t AS (
            SELECT s.*, state IN ('open', 'waiting') AS unanswered,
                CASE WHEN state IN ('open', 'waiting')
                    THEN %(now)s - u_time * %(recent)s
                    ELSE %(now)s - %(recent)s - u_time * %(older)s
                    END AS taken_at
            FROM s),
        d AS (
            SELECT t.*, u_late AND NOT unanswered AS late,
                taken_at + CASE complexity WHEN 'simple'
                    THEN %(simple)s ELSE %(other)s END AS deadline
            FROM t),
        a AS (
            SELECT d.*,
                CASE WHEN unanswered THEN NULL
                    WHEN late THEN deadline + interval '1 hour'
                    ELSE taken_at + (deadline - taken_at) / 4
                    END AS answered_at
            FROM d),
        e AS (
            SELECT a.*,
                CASE WHEN state IN ('resolved', 'closed')
                    THEN LEAST(answered_at + interval '1 day', %(now)s)
                    END AS resolved_at
            FROM a)
        INSERT INTO hall_complaint ({columns})
        SELECT %(user)s, %(now)s, 'C' || lpad(i::text, 8, '0'),
            (%(hall_ids)s::int[])[j], (%(clerks)s::int[])[j],
            (%(category_ids)s::int[])[k], channel, complexity,
            '1380013' || lpad(mod(i, 10000)::text, 4, '0'),
            'Complaint ' || i, state, taken_at, deadline,
            interval '0',
            CASE WHEN unanswered THEN deadline < %(marked)s ELSE late END,
            late,
            CASE WHEN NOT unanswered THEN 'Answered.' END,
            CASE WHEN NOT unanswered THEN (%(clerks)s::int[])[j] END,
            answered_at,
            CASE WHEN resolved_at IS NOT NULL THEN 'Resolved.' END,
            CASE WHEN resolved_at IS NOT NULL
                THEN (%(clerks)s::int[])[j] END,
            resolved_at,
            CASE WHEN state = 'closed' THEN (%(clerks)s::int[])[j] END,
            CASE WHEN state = 'closed'
                THEN LEAST(resolved_at + interval '1 day', %(now)s) END{week}
        FROM e ORDER BY i"""
    cursor.execute(query, {
            'halls': len(halls),
            'late': LATE,
            'count': count,
            'categories': len(categories),
            'now': now,
            'recent': RECENT,
            'older': OLDER,
            'simple': DELAY_SIMPLE,
            'other': DELAY_OTHER,
            'user': transaction.user,
            # The clerk of hall i at index i % len(halls): j is 1-based
            'hall_ids': halls[1:] + halls[:1],
            'clerks': clerks[1:] + clerks[:1],
            'category_ids': categories,
            'marked': now - CRON_INTERVAL,
            })


def load(count, halls, clerks, now):
    "Insert the complaints and analyse the tables; return their states"
    from sql.aggregate import Count

    from trytond import backend
    from trytond.model import fields
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Category = pool.get('hall.complaint.category')
    Complaint = pool.get('hall.complaint')
    categories = sorted(c.id for c in Category.search([]))
    columns = COLUMNS + [WEEK] if WEEK in Complaint._fields else COLUMNS
    missing = [name for name, field in Complaint._fields.items()
        if field.required and hasattr(field, 'sql_type')
        and not isinstance(field, fields.Function)
        and field._type not in {'one2many', 'many2many'}
        and name not in columns]
    if missing:
        raise RuntimeError(
            f"the required columns {missing} of hall_complaint are not "
            "inserted: add them to COLUMNS and the insertions")
    if backend.name == 'postgresql':
        insert_postgresql(count, halls, clerks, categories, now, columns)
    else:
        insert_sqlite(count, halls, clerks, categories, now, columns)
    cursor = Transaction().connection.cursor()
    if backend.name == 'postgresql':
        for table in ['hall_complaint', 'hall_hall', 'company_employee',
                'res_user', 'res_user-company_employee']:
            cursor.execute(f'ANALYZE "{table}"')
    table = Complaint.__table__()
    cursor.execute(*table.select(
            table.state, table.overdue, Count(table.id),
            group_by=[table.state, table.overdue]))
    return {(s, bool(o)): n for s, o, n in cursor}


def cron_search(now):
    "The search of Complaint.mark_overdue(); return the ids"
    from trytond.pool import Pool
    Complaint = Pool().get('hall.complaint')
    return [c.id for c in Complaint.search([
                ('state', '=', 'open'),
                ('deadline', '<', now),
                ('overdue', '=', False),
                ], order=[('deadline', 'ASC')])]


def raw_cron_search(now):
    from sql import Literal

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    table = Pool().get('hall.complaint').__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.id,
            where=(table.state == 'open') & (table.deadline < now)
            & (table.overdue == Literal(False)),
            order_by=[table.deadline.asc]))
    return [i for i, in cursor]


def hall_overdue(hall, now):
    "The unanswered complaints of the hall past their deadline; the ids"
    from trytond.pool import Pool
    Complaint = Pool().get('hall.complaint')
    return [c.id for c in Complaint.search([
                ('hall', '=', hall),
                ('state', 'in', UNANSWERED),
                ('deadline', '<', now),
                ])]


def raw_hall_overdue(hall, now):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    table = Pool().get('hall.complaint').__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.id,
            where=(table.hall == hall) & table.state.in_(UNANSWERED)
            & (table.deadline < now)))
    return [i for i, in cursor]


def hall_week(hall, monday):
    """Search and read the complaints of the hall taken in the week; return
    their number by category, channel and complexity"""
    from trytond.pool import Pool
    Complaint = Pool().get('hall.complaint')
    complaints = Complaint.search([
            ('hall', '=', hall),
            ('taken_at', '>=', monday),
            ('taken_at', '<', monday + dt.timedelta(days=7)),
            ])
    rows = Complaint.read([c.id for c in complaints], FIELDS)
    return Counter(
        (r['category'], r['channel'], r['complexity']) for r in rows)


def raw_hall_week(hall, monday):
    from sql.aggregate import Count

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    table = Pool().get('hall.complaint').__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(
            table.category, table.channel, table.complexity,
            Count(table.id),
            where=(table.hall == hall) & (table.taken_at >= monday)
            & (table.taken_at < monday + dt.timedelta(days=7)),
            group_by=[table.category, table.channel, table.complexity]))
    return Counter({(c, ch, k): n for c, ch, k, n in cursor})


def run(user, context, access, func, *args, queries=None):
    """Call func in a read-only transaction of the user, with the access
    rules checked if access; return its result, statements and time"""
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction, check_access
    with Transaction().start(
            DB_NAME, user, context=context, readonly=True):
        with count_queries(queries) as statements, \
                check_access(_access=access):
            start = time.perf_counter()
            result = func(*args)
            duration = time.perf_counter() - start
    return result, statements, duration


def measure(name, user, context, access, func, raw, args, repeat):
    "Measure func against raw, both called with args, repeat times"
    # Fill the caches
    run(user, context, access, func, *args)
    times = []
    for _ in range(repeat):
        queries = []
        result, statements, duration = run(
            user, context, access, func, *args, queries=queries)
        times.append(duration)
    raw_times = []
    for _ in range(repeat):
        raw_result, _, duration = run(0, {}, False, raw, *args)
        raw_times.append(duration)
    # The order of the complaints of the same deadline (to the second)
    # is the database's
    if isinstance(result, list):
        result, raw_result = sorted(result), sorted(raw_result)
    if result != raw_result:
        raise RuntimeError(f"{name}: the ORM found {result} "
            f"but the raw SQL {raw_result}")
    size = (sum(result.values()) if isinstance(result, Counter)
        else len(result))
    median = statistics.median(times)
    raw_median = statistics.median(raw_times)
    return {
        'name': name,
        'records': size,
        'statements': sum(statements.values()),
        'min': min(times),
        'median': median,
        'raw': raw_median,
        'ratio': median / raw_median,
        'queries': queries,
        }


def explain(row):
    """Return the plans of the statements of the row that read the
    complaints and the messages of those that use no index on them"""
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    plans, errors = [], []
    with Transaction().start(DB_NAME, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        for query, params in row['queries']:
            if not re.search(r'\bFROM "hall_complaint" ', query):
                continue
            cursor.execute('EXPLAIN ' + query, params)
            plan = [line for line, in cursor]
            plans.append(plan)
            text = '\n'.join(plan)
            if 'Index' not in text or re.search(
                    r'Seq Scan on "?hall_complaint"?\b', text):
                errors.append(f"{row['name']}: the plan of\n    "
                    + ' '.join(query.split())[:300]
                    + "\nuses no index on hall_complaint:\n" + text)
    return plans, errors


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
        help="default: 500 on PostgreSQL, 25 on SQLite (the same "
        "complaints a hall as on PostgreSQL)")
    parser.add_argument('--complaints', type=int,
        help="default: 1,000,000 on PostgreSQL, 50,000 on SQLite")
    parser.add_argument('--repeat', type=int, default=20)
    args = parser.parse_args()

    from trytond import backend
    from trytond.modules.hall_complaints.complaint import now as now_
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME, USER, activate_module

    if args.complaints is None:
        args.complaints = (
            1_000_000 if backend.name == 'postgresql' else 50_000)
    if args.halls is None:
        args.halls = 500 if backend.name == 'postgresql' else 25
    if backend.name != 'sqlite':
        drop()
    start = time.perf_counter()
    activate_module(['hall_complaints'])
    print(f"backend {backend.name}, module activated in "
        f"{time.perf_counter() - start:.0f} s", file=sys.stderr)

    # The test pool also validates the computed fields on every save, which
    # a server does not: measure what a server runs
    Pool.test = False
    from trytond.transaction import Transaction

    now = now_()
    today = now.date()
    monday = dt.datetime.combine(
        today - dt.timedelta(days=today.weekday(), weeks=WEEKS_AGO),
        dt.time())
    rows, plans, errors = [], [], []
    try:
        with Transaction().start(DB_NAME, USER) as transaction:
            company, halls, clerks, leader, employee = setup(args.halls)
            transaction.commit()
        start = time.perf_counter()
        with Transaction().start(DB_NAME, USER) as transaction:
            states = load(args.complaints, halls, clerks, now)
            transaction.commit()
        print(f"{args.complaints} complaints over {args.halls} halls "
            f"loaded in {time.perf_counter() - start:.0f} s",
            file=sys.stderr)
        for (state, overdue), number in sorted(states.items()):
            print(f"    {state:>8} {'overdue' if overdue else '':>7} "
                f"{number:>8}", file=sys.stderr)

        hall = halls[len(halls) // 2]
        root = {'company': company, '_skip_warnings': True}
        user = {'company': company, 'companies': [company],
            'employee': employee}
        measures = [
            ("overdue, cron (root)", 0, root, False, cron_search,
                raw_cron_search, (now,)),
            ("overdue, hall (leader)", leader, user, True, hall_overdue,
                raw_hall_overdue, (hall, now)),
            ("week, hall (root)", 0, root, False, hall_week,
                raw_hall_week, (hall, monday)),
            ("week, hall (leader)", leader, user, True, hall_week,
                raw_hall_week, (hall, monday)),
            ]
        for name, *measure_args in measures:
            rows.append(measure(name, *measure_args, args.repeat))
            print(f"{name} measured", file=sys.stderr)
            if backend.name == 'postgresql':
                row_plans, row_errors = explain(rows[-1])
                plans.append((name, row_plans))
                errors.extend(row_errors)
    finally:
        if backend.name != 'sqlite':
            drop()

    print(f"complaints on {backend.name}: {args.complaints} over "
        f"{args.halls} halls, {args.repeat} runs, "
        f"week of {monday:%Y-%m-%d}")
    header = ("measure", "records", "statements", "min ms", "median ms",
        "raw ms", "ratio")
    print(f"{header[0]:<24}" + " ".join(f"{h:>10}" for h in header[1:]))
    for row in rows:
        print(f"{row['name']:<24}" + " ".join(f"{v:>10}" for v in [
                    row['records'], row['statements'],
                    f"{row['min'] * 1000:.2f}",
                    f"{row['median'] * 1000:.2f}",
                    f"{row['raw'] * 1000:.2f}",
                    f"{row['ratio']:.1f}"]))
    for name, row_plans in plans:
        for plan in row_plans:
            print(f"EXPLAIN {name}:")
            for line in plan:
                print(f"    {line}")
    if errors:
        raise AssertionError('\n\n'.join(errors))
    if plans:
        print("every statement reading hall_complaint uses an index")


if __name__ == '__main__':
    main()
