#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Measure the import of a billing report of many rows into a settlement.

Creates the draft settlement of a clerk on the published rota, then runs
the *Import Fees* wizard of ``hall.cash.settlement`` with a CSV file of
each number of rows given, and counts its SQL statements and time.  It
compares the time with one plain ``INSERT`` of the same rows.

    .venv/bin/python tests/perf/bench_import.py [--rows 1000 20000]

SQLite in memory by default; PostgreSQL with
``TRYTOND_DATABASE__URI=postgresql://user:password@host:port/`` (the
database ``DB_NAME``, by default ``bench_import``, is dropped and created
again).  BENCH_DUMP=1 prints the statements to the standard error.
This is a measurement, not a test: nothing asserts a time.
"""
import argparse
import os
import sys
import time
from decimal import Decimal

os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE__URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
else:
    os.environ.setdefault('DB_NAME', 'bench_import')

sys.path.insert(0, os.path.dirname(__file__))
from bench_settlement import (  # noqa: E402
    BUSINESS_TYPES, DATE, Caller, count_queries, setup_company)


def create_settlement(clerk_name):
    "Create the draft settlement of a new clerk on the rota; return its id"
    from trytond.modules.company.tests import create_employee
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    import datetime as dt
    pool = Pool()
    Company = pool.get('company.company')
    Hall = pool.get('hall.hall')
    Settlement = pool.get('hall.cash.settlement')
    hall, = Hall.search([('code', '=', 'H1')])
    clerk = create_employee(
        Company(Transaction().context['company']), name=clerk_name)
    clerk.hall = hall
    clerk.save()
    settlement, = Settlement.create([{
                'hall': hall.id,
                'clerk': clerk.id,
                'date': DATE - dt.timedelta(days=1),
                'shift': 'full',
                }])
    return settlement.id


def report(rows):
    "The CSV export of the billing report with rows rows"
    lines = ['code,name,amount']
    for i in range(rows):
        code, name = BUSINESS_TYPES[i % len(BUSINESS_TYPES)]
        lines.append(f'{code},{name},"{1000 + i % 9000:,}.{i % 100:02d}"')
    return '\n'.join(lines).encode('utf-8')


def import_fees(settlement_id, data):
    "Run the import wizard; return the statements, the time and the fees"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    ImportFees = pool.get('hall.cash.settlement.import_fees', type='wizard')
    Settlement = pool.get('hall.cash.settlement')
    with Transaction().set_context(
            active_model='hall.cash.settlement', active_id=settlement_id,
            active_ids=[settlement_id]):
        session_id, _, _ = ImportFees.create()
        wizard = ImportFees(session_id)
        wizard.start.file_ = data
        with count_queries() as statements:
            start = time.perf_counter()
            wizard.transition_import_()
            duration = time.perf_counter() - start
    return statements, duration, len(Settlement(settlement_id).fees)


def raw_insert(settlement_id, rows):
    "Insert the same rows with one plain INSERT; return the time"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    cursor = Transaction().connection.cursor()
    fee = pool.get('hall.cash.settlement.fee').__table__()
    types = [t.id for t in pool.get('hall.cash.business_type').search([])]
    values = [
        [settlement_id, types[i % len(types)],
            Decimal(1000 + i % 9000) + Decimal(i % 100) / 100]
        for i in range(rows)]
    start = time.perf_counter()
    cursor.execute(*fee.insert(
            [fee.settlement, fee.business_type, fee.amount], values))
    duration = time.perf_counter() - start
    cursor.execute(*fee.delete(where=fee.settlement == settlement_id))
    return duration


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rows', type=int, nargs='+', default=[1000, 20000])
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

    results = []
    try:
        call = Caller()
        call.context = call(setup_company)
        # Fill the caches with a small first run
        warm = call(create_settlement, "Clerk W")
        call(import_fees, warm, report(1))
        for i, rows in enumerate(args.rows):
            settlement_id = call(create_settlement, f"Clerk {i}")
            data = report(rows)
            raw = call(raw_insert, settlement_id, rows)
            statements, duration, fees = call(
                import_fees, settlement_id, data)
            assert fees == rows, (fees, rows)
            results.append((rows, len(data), statements, duration, raw))
    finally:
        if backend.name != 'sqlite':
            drop_db()

    print(f"{'rows':>7} {'KB':>6} {'queries':>8} {'SELECT':>7} "
        f"{'INSERT':>7} {'import s':>9} {'raw s':>7} {'ratio':>6}")
    for rows, size, statements, duration, raw in results:
        print(f"{rows:>7} {size // 1024:>6} {sum(statements.values()):>8} "
            f"{statements['SELECT']:>7} {statements['INSERT']:>7} "
            f"{duration:>9.2f} {raw:>7.3f} {duration / raw:>6.0f}")


if __name__ == '__main__':
    main()
