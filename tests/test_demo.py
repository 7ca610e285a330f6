# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The whole demo loads and its figures hold.

Every hall module is activated and the demo data of each loaded
(``hall_duties.demo.setup_full_demo``), as the browser tests' demo database
is on PostgreSQL and as ``./hall demo`` loads it.  The figures of the
hall's days are checked against the documents: the settlements of the two
clerks over the last three days and today, what is kept overnight, made
up, handed over, deposited and at the bank, and the ledger of the cash
accounts, which must say the same as the documents.  Loading the demo again
changes nothing.
"""
import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from repository import leaf_modules

from trytond.modules.hall_duties.demo import setup_full_demo
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.tests.tools import activate_modules
from trytond.transaction import Transaction

# The demo's clerks (王丽, 李娜) and director (刘洋), by badge
CLERKS = {'1001', '1002'}
DIRECTOR = '1005'
# What the clerks took over the three days before today
PAYABLE = Decimal('29676.60')


@pytest.fixture(scope='module')
def demo():
    "The demo database and its proteus configuration"
    drop_db()
    try:
        config = activate_modules(leaf_modules(), setup_full_demo)
    except BaseException:
        drop_db()
        raise
    yield config
    drop_db()


def figures():
    "The demo's figures, as the documents and the ledger give them"
    pool = Pool()
    Account = pool.get('account.account')
    Company = pool.get('company.company')
    Configuration = pool.get('hall.cash.configuration')
    Date = pool.get('ir.date')
    Deposit = pool.get('hall.cash.deposit')
    Handover = pool.get('hall.cash.handover')
    Hall = pool.get('hall.hall')
    MakeUp = pool.get('hall.cash.makeup')
    Settlement = pool.get('hall.cash.settlement')

    company, = Company.search([])
    hall, = Hall.search([])
    with Transaction().set_context(company=company.id):
        today = Date.today()
        config = Configuration(1)
        settlements = Settlement.search([], order=[('date', 'ASC')])
        handovers = Handover.search([])
        deposits = Deposit.search([])
        make_ups = MakeUp.search([])
        accounts = {
            'hall cash': hall.cash_account,
            'safe': config.safe_account,
            'in transit': config.transit_account,
            'cheques': config.cheque_account,
            'bank cards': config.bank_card_account,
            }
        balances = {
            k: Account(a.id).balance for k, a in accounts.items()}
        return {
            'today': today,
            'director': hall.director.badge,
            'settlements': [(
                    s.number, s.date, s.clerk.badge, s.state,
                    s.payable, s.counted, s.cash_amount, s.difference,
                    s.make_up_amount,
                    s.retention_approved_by and s.retention_approved_by.badge,
                    [(n.kind, n.amount) for n in s.non_cash])
                for s in settlements],
            'handovers': Counter(h.state for h in handovers),
            'handed': sum(
                (h.cash_amount for h in handovers
                    if h.state == 'received'), Decimal(0)),
            'deposits': {d.state: d.amount for d in deposits},
            'make_ups': [(m.settlement.date, m.date, m.amount)
                for m in make_ups],
            'balances': balances,
            }


def read_figures():
    with Transaction().start(DB_NAME, 0) as transaction:
        try:
            return figures()
        finally:
            transaction.rollback()


def test_demo_days(demo):
    "Two clerks settled each of the last three days; today is counted"
    result = read_figures()
    today = result['today']
    days = Counter(
        (row[1], row[2]) for row in result['settlements'])
    for ago in [3, 2, 1]:
        date = today - dt.timedelta(days=ago)
        assert {b for (d, b) in days if d == date} == CLERKS, date
    assert [row[2:4] for row in result['settlements']
        if row[1] == today] == [('1001', 'counted')]
    assert sum(
        (row[4] for row in result['settlements'] if row[1] < today),
        Decimal(0)) == PAYABLE

    # Yesterday's takings of 王丽 kept overnight with the director's
    # approval, every other day's handed over
    states = {(row[1], row[2]): row[3] for row in result['settlements']}
    yesterday = today - dt.timedelta(days=1)
    assert states.pop((yesterday, '1001')) == 'confirmed'
    assert states.pop((today, '1001')) == 'counted'
    assert set(states.values()) == {'handed'}
    retained, = [row for row in result['settlements'] if row[9]]
    assert (retained[1], retained[2]) == (yesterday, '1001')
    assert retained[9] == result['director'] == DIRECTOR
    assert result['handovers'] == Counter(received=5)

    # The short (李娜, two days ago) made up the same day, to the cent
    shorts = [row for row in result['settlements'] if row[7] < 0]
    assert [(row[1], row[2], row[7]) for row in shorts] == [(
            today - dt.timedelta(days=2), '1002', Decimal('-50.00'))]
    assert result['make_ups'] == [
        (shorts[0][1], shorts[0][1], Decimal('50.00'))]
    assert shorts[0][8] == Decimal('50.00')


def test_demo_ledger(demo):
    "The cash accounts say what the documents say"
    result = read_figures()
    balances = result['balances']
    settlements = result['settlements']
    deposits = result['deposits']

    # In the hall: the cash of the confirmed settlements not handed over
    assert balances['hall cash'] == sum(
        (row[6] + row[8] for row in settlements if row[3] == 'confirmed'),
        Decimal(0)) == Decimal('5670.00')
    # In the safe: what the quality post received, less what went to the
    # bank (today's deposit is packed, not sent)
    assert set(deposits) == {'draft', 'sent', 'confirmed'}
    assert balances['safe'] == (
        result['handed'] - deposits['sent'] - deposits['confirmed'])
    assert balances['safe'] == deposits['draft']
    # At the bank but not yet on its statement
    assert balances['in transit'] == deposits['sent']
    # The cheques and bank card slips taken at the counter
    for key, kind in [('cheques', 'cheque'), ('bank cards', 'bank_card')]:
        assert balances[key] == sum(
            (amount for row in settlements if row[3] != 'counted'
                for k, amount in row[10] if k == kind),
            Decimal(0)) > 0, key


def test_demo_reloaded(demo):
    "Loading the demo again adds nothing"
    before = read_figures()
    setup_full_demo(config=demo)
    after = read_figures()
    assert after['settlements'] == before['settlements']
    assert after['balances'] == before['balances']
    assert after['deposits'] == before['deposits']
