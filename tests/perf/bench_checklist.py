#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Measure one generation of the daily checklists of many halls.

Creates halls of 15 staff each with a published rota for a day, then counts
the SQL statements and the time of one ``hall.checklist`` ``generate()``
run, at each number of halls given, and compares it with plain
``INSERT ... SELECT`` statements creating the same checklists and lines.

    .venv/bin/python tests/perf/bench_checklist.py [--halls 10 200]

SQLite in memory by default; PostgreSQL with
``TRYTOND_DATABASE__URI=postgresql://user:password@host:port/`` (the
database ``DB_NAME``, by default ``bench_checklist``, is dropped and created
again). This is a measurement, not a test: nothing asserts a time.
"""
import argparse
import datetime as dt
import os
import sys
import time
from collections import Counter
from contextlib import contextmanager

os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE__URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
else:
    os.environ.setdefault('DB_NAME', 'bench_checklist')

# The staff of a hall: post code and head count
STAFF = [
    ('front_desk', 6),
    ('consultation', 3),
    ('group_leader', 2),
    ('director', 1),
    ('warehouse', 1),
    ('finance', 1),
    ('quality', 1),
    ]
# A Tuesday: no weekly or monthly routine of the manual falls on it
FIRST_DATE = dt.date(2025, 3, 4)


@contextmanager
def count_queries():
    "Collect the first word of every SQL statement executed"
    from trytond.transaction import Transaction
    cursor_class = type(Transaction().connection.cursor())
    original = cursor_class.execute
    statements = Counter()

    def execute(self, query, *args, **kwargs):
        statements[str(query).lstrip().split(None, 1)[0].upper()] += 1
        return original(self, query, *args, **kwargs)
    cursor_class.execute = execute
    try:
        yield statements
    finally:
        cursor_class.execute = original


def create_halls(prefix, count, date):
    "Create count halls of 15 staff with a published rota on the date"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Hall = pool.get('hall.hall')
    Post = pool.get('hall.post')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    Roster = pool.get('hall.roster')
    company = Transaction().context['company']
    posts = {p.code: p.id for p in Post.search([])}
    week = date - dt.timedelta(days=date.weekday())

    halls = Hall.create([{
                'name': f'{prefix}{i:03d}',
                'code': f'{prefix}{i:03d}',
                } for i in range(count)])
    staff = [(h, code) for h in halls
        for code, number in STAFF for _ in range(number)]
    parties = Party.create([{
                'name': f'{h.code}-{i:02d}',
                } for i, (h, _) in enumerate(staff)])
    employees = []
    values = [{
            'party': p.id,
            'company': company,
            'hall': h.id,
            'posts': [('add', [posts[code]])],
            } for p, (h, code) in zip(parties, staff)]
    # On SQLite the badge constraint of the employees is checked with one
    # OR clause per record: SQLite refuses it past about 90 records
    for i in range(0, len(values), 50):
        employees.extend(Employee.create(values[i:i + 50]))
    lines = {h.id: [] for h in halls}
    for employee, (hall, code) in zip(employees, staff):
        lines[hall.id].append({
                'employee': employee.id,
                'date': date,
                'shift': 'full',
                'post': posts[code],
                })
    rosters = Roster.create([{
                'hall': h.id,
                'week': week,
                'lines': [('create', lines[h.id])],
                } for h in halls])
    Roster.publish(rosters)
    return halls


def raw_generate(date, halls):
    """Create the same checklists and lines with two INSERT ... SELECT
    statements; return the number of checklists and lines"""
    from sql import Literal, Null
    from sql.aggregate import Min
    from sql.functions import CurrentTimestamp

    from trytond.model import fields
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    checklist = pool.get('hall.checklist').__table__()
    line = pool.get('hall.checklist.line').__table__()
    roster = pool.get('hall.roster').__table__()
    roster_line = pool.get('hall.roster.line').__table__()
    task = pool.get('hall.task').__table__()
    cursor = Transaction().connection.cursor()

    published = ((roster_line.roster == roster.id)
        & (roster.state == 'published'))
    cursor.execute(*checklist.insert(
            [checklist.create_uid, checklist.create_date, checklist.hall,
                checklist.employee, checklist.date],
            roster_line.join(roster, condition=published).select(
                Literal(0), CurrentTimestamp(), Min(roster.hall),
                roster_line.employee, roster_line.date,
                where=(roster_line.date == date)
                & fields.SQL_OPERATORS['in'](
                    roster.hall, [h.id for h in halls]),
                group_by=[roster_line.employee, roster_line.date])))
    occurs = ((task.recurrence == 'daily')
        | ((task.recurrence == 'weekly')
            & (task.weekday == str(date.weekday())))
        | ((task.recurrence == 'monthly') & (task.monthday == date.day)))
    cursor.execute(*line.insert(
            [line.create_uid, line.create_date, line.checklist, line.task,
                line.name, line.start_time, line.end_time, line.done],
            checklist.join(roster_line,
                condition=(roster_line.employee == checklist.employee)
                & (roster_line.date == checklist.date)
                ).join(roster, condition=published
                ).join(task,
                condition=(task.post == roster_line.post)
                & (task.hall == Null)
                & (task.kind == 'routine')
                & (task.active == Literal(True))
                & occurs
                ).select(
                Literal(0), CurrentTimestamp(), checklist.id, task.id,
                task.name, task.start_time, task.end_time, Literal(False),
                where=checklist.date == date)))
    of_date = checklist.select(checklist.id, where=checklist.date == date)
    cursor.execute(*of_date)
    counts = [len(cursor.fetchall())]
    cursor.execute(*line.select(line.id, where=line.checklist.in_(of_date)))
    counts.append(len(cursor.fetchall()))
    cursor.execute(*line.delete(where=line.checklist.in_(of_date)))
    cursor.execute(*checklist.delete(where=checklist.date == date))
    return counts


def measure(prefix, count, date):
    from trytond.pool import Pool
    pool = Pool()
    Checklist = pool.get('hall.checklist')
    Line = pool.get('hall.checklist.line')

    start = time.perf_counter()
    halls = create_halls(prefix, count, date)
    setup_time = time.perf_counter() - start

    start = time.perf_counter()
    raw_counts = raw_generate(date, halls)
    raw_time = time.perf_counter() - start

    with count_queries() as statements:
        start = time.perf_counter()
        checklists = Checklist.generate(date, halls)
        orm_time = time.perf_counter() - start
    lines = Line.search_count([('checklist.date', '=', date)])
    assert [len(checklists), lines] == raw_counts, (
        [len(checklists), lines], raw_counts)
    return {
        'halls': count,
        'employees': count * sum(n for _, n in STAFF),
        'checklists': len(checklists),
        'lines': lines,
        'queries': sum(statements.values()),
        'inserts': statements['INSERT'],
        'selects': statements['SELECT'],
        'others': sum(statements.values()) - statements['INSERT']
        - statements['SELECT'],
        'time': orm_time,
        'raw': raw_time,
        'setup': setup_time,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--halls', type=int, nargs='+', default=[10, 200])
    args = parser.parse_args()

    from trytond import backend
    from trytond.modules.company.tests import create_company, set_company
    from trytond.pool import Pool
    from trytond.tests.test_tryton import (
        DB_NAME, USER, activate_module, drop_db)
    from trytond.transaction import Transaction

    if backend.name != 'sqlite':
        drop_db()
    start = time.perf_counter()
    activate_module(['hall_duties'])
    print(f"backend {backend.name}, module activated in "
        f"{time.perf_counter() - start:.0f} s", file=sys.stderr)

    rows = []
    try:
        with Transaction().start(DB_NAME, USER) as transaction:
            pool = Pool()
            Checklist = pool.get('hall.checklist')
            company = create_company()
            with set_company(company):
                # Fill the caches with a small first run
                date = FIRST_DATE
                halls = create_halls('W', 1, date)
                Checklist.generate(date, halls)
                for i, count in enumerate(args.halls, 1):
                    date = FIRST_DATE + dt.timedelta(days=7 * i)
                    rows.append(measure(f'H{i}-', count, date))
                    print(f"{count} halls measured", file=sys.stderr)
            transaction.rollback()
    finally:
        if backend.name != 'sqlite':
            drop_db()

    header = ("halls", "employees", "checklists", "lines", "queries",
        "INSERT", "SELECT", "other", "generate s", "raw SQL s", "ratio")
    print(f"checklist generation on {backend.name}")
    print(" ".join(f"{h:>10}" for h in header))
    for row in rows:
        print(" ".join(f"{v:>10}" for v in [
                    row['halls'], row['employees'], row['checklists'],
                    row['lines'], row['queries'], row['inserts'],
                    row['selects'], row['others'],
                    f"{row['time']:.3f}", f"{row['raw']:.3f}",
                    f"{row['time'] / row['raw']:.1f}"]))


if __name__ == '__main__':
    main()
