# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The demo data of the hall cash: three days of the two clerks' takings.

On top of hall_duties' demo, ``setup_demo_takings`` prepares the accounting
(``setup_demo_cash``), publishes the rota of the last three days and today,
and makes the clerks' settlements of those days as they would: counted,
the waiver approved by the director, an over explained by an invoice
printed but not posted, a short made up the same day, the cash handed over
to the quality manager and deposited at the bank, one day's takings kept
overnight with the director's approval, and today's morning counted.
"""
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config
from trytond.modules.hall_duties.tests.tools import HALL_CODE, business_day
from trytond.tests.tools import set_user

from ..tests.tools import (
    close_count, count_cash, create_settlement, publish_rota,
    setup_demo_cash, setup_demo_deposit)

__all__ = ['STEPS', 'setup_demo_takings']


def setup_demo_takings(config=None):
    "The cash demo: accounting and three days of the two clerks' takings"
    Settlement = Model.get('hall.cash.settlement', config=config)
    User = Model.get('res.user', config=config)
    Employee = Model.get('company.employee', config=config)
    Date = Model.get('ir.date', config=config)
    Handover = Model.get('hall.cash.handover', config=config)
    setup_demo_cash(config=config)
    if config is None:
        config = get_config()
    if Settlement.find([]):
        return
    admin = config.user
    users = {u.login: u for u in User.find([])}
    clerks = {
        e.badge: e for e in Employee.find([
                ('hall.code', '=', HALL_CODE)])}
    today = Date.today({})
    publish_rota(
        [today - dt.timedelta(days=d) for d in range(3, -1, -1)],
        config=config)

    # (days ago, login, badge, shift, fees, card sales, waivers, cash,
    #  non-cash)
    days = [
        (3, 'frontdesk1', '1001', 'morning',
            [('HF', '3250.5'), ('YC', '1800'), ('XZ', '120')], '450',
            [], None, []),
        (3, 'frontdesk2', '1002', 'afternoon',
            [('HF', '2760'), ('YC', '2300')], '300',
            [('老年用户月租减免', '20')], None,
            [('bank_card', 'POS-0311', '1000')]),
        (2, 'frontdesk1', '1001', 'morning',
            [('HF', '4120.3'), ('XZ', '240')], '600', [], None,
            [('cheque', 'ZP-20881', '1500')]),
        (2, 'frontdesk2', '1002', 'afternoon',
            [('HF', '1980'), ('YC', '1500')], '150', [], '3580', []),
        (1, 'frontdesk1', '1001', 'morning',
            [('HF', '2890'), ('YC', '2100'), ('XZ', '120')], '500', [],
            '5670', []),
        (1, 'frontdesk2', '1002', 'afternoon',
            [('HF', '3305.8'), ('YC', '900')], '250', [], None, []),
        ]
    confirmed = {}
    for (ago, login, badge, shift, fees, card_sales, waivers, cash,
            non_cash) in days:
        date = today - dt.timedelta(days=ago)
        with business_day(date, config=config):
            confirmed[ago, login] = _demo_settlement(
                users, clerks, login, badge, date, shift, fees, card_sales,
                waivers, cash, non_cash, config=config)

    # The cash handed over and received in the safe the same day, but the
    # takings 王丽 keeps overnight yesterday
    for ago, login in [
            (3, 'frontdesk1'), (3, 'frontdesk2'),
            (2, 'frontdesk1'), (2, 'frontdesk2'), (1, 'frontdesk2')]:
        date = today - dt.timedelta(days=ago)
        with business_day(date, config=config):
            set_user(users[login], config=config)
            settlement = Settlement(confirmed[ago, login].id)
            handover = Handover(date=settlement.date)
            handover.receiver = clerks['1008']
            handover.settlements.append(settlement)
            count_cash(
                handover, settlement.cash_amount + settlement.make_up_amount)
            handover.save()
            handover.click('hand')
            set_user(users['quality'], config=config)
            Handover(handover.id).click('receive')

    # Each morning the quality manager deposits the cash in the safe: the
    # bank's statement confirmed the first deposit, the second is at the
    # bank, today's is packed and waits to be sent
    setup_demo_deposit(today - dt.timedelta(days=2), config=config)
    setup_demo_deposit(
        today - dt.timedelta(days=1), confirm=False, config=config)
    setup_demo_deposit(today, send=False, config=config)

    # Yesterday's takings of 王丽 kept overnight with the approval
    set_user(users['frontdesk1'], config=config)
    settlement = Settlement(confirmed[1, 'frontdesk1'].id)
    settlement.retention_reason = '质量管理员已下班，保险柜已封存'
    settlement.save()
    set_user(users['director'], config=config)
    Settlement(settlement.id).click('approve_retention')

    # Today's morning is counted, waiting for confirmation
    set_user(users['frontdesk1'], config=config)
    settlement = create_settlement(
        clerks['1001'], today, 'morning',
        [('HF', '1560'), ('YC', '800')], card_sales='200', config=config)
    settlement.click('count')
    set_user(admin, config=config)


def _demo_settlement(
        users, clerks, login, badge, date, shift, fees, card_sales, waivers,
        cash, non_cash, config=None):
    "A demo clerk's settlement of a day, counted and confirmed"
    Settlement = Model.get('hall.cash.settlement', config=config)
    MakeUp = Model.get('hall.cash.makeup', config=config)
    Waiver = Model.get('hall.cash.settlement.waiver', config=config)
    BusinessType = Model.get('hall.cash.business_type', config=config)
    set_user(users[login], config=config)
    settlement = create_settlement(
        clerks[badge], date, shift, fees, card_sales=card_sales,
        waivers=waivers, cash=cash, non_cash=non_cash, config=config)
    close_count(settlement, config=config)
    if waivers:
        # Records keep the context of their user: reload them
        set_user(users['director'], config=config)
        for waiver in Waiver.find([('settlement', '=', settlement.id)]):
            waiver.click('approve')
        set_user(users[login], config=config)
    settlement = Settlement(settlement.id)
    if settlement.state == 'investigating':
        # Over: the clerk finds an invoice printed but not posted
        check = settlement.checks.new(
            invoice_number='04418823', amount=Decimal(60),
            posted=False)
        check.business_type, = BusinessType.find([('code', '=', 'XZ')])
        settlement.save()
        settlement.click('post_invoices')
    elif settlement.difference < 0:
        make_up = MakeUp(
            settlement=settlement, amount=-settlement.difference,
            cause='not_collected', date=date,
            note='销帐后未收款, 当日补交')
        make_up.save()
    settlement = Settlement(settlement.id)
    settlement.click('confirm')
    return settlement


# The demo of the module, in the order it is loaded (see hall_duties.demo)
STEPS = [setup_demo_takings]
