# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The builders of the hall cash, shared by the scenarios and the demo.

``setup_demo_cash`` prepares the accounting of the demo company (chart,
fiscal year, the hall's cash accounts, the cash configuration and the
business types of the billing report); ``publish_rota`` puts the clerks on
the published rota of the days they settle; ``create_settlement``,
``close_count`` and ``setup_demo_deposit`` make the documents.  The days of
the demo are in ``hall_cash/demo/``.
"""
from decimal import Decimal

from proteus import Model
from proteus.config import get_config
from trytond.modules.account.tests.tools import (
    create_chart, create_fiscalyear, get_accounts)
from trytond.modules.account_invoice.tests.tools import (
    set_fiscalyear_invoice_sequences)
from trytond.modules.company.tests.tools import get_company
from trytond.modules.hall_duties.tests.tools import (
    publish_rota as publish_demo_rota)
from trytond.modules.hall_duties.tests.tools import (
    setup_boards, setup_demo as setup_demo_duties)
from trytond.tests.tools import set_user

from ..common import DENOMINATIONS
from ..exceptions import SettlementShortWarning
from .chart_zh import translate_chart

__all__ = [
    'BUSINESS_TYPES', 'DENOMINATIONS', 'CLERKS', 'close_count',
    'count_cash', 'create_settlement', 'publish_rota', 'setup_accounting',
    'setup_demo_cash', 'setup_demo_deposit']

# The badges of the demo hall's front desk clerks
CLERKS = ['1001', '1002']

# code, name, account code, account name, parent code, type of account code
BUSINESS_TYPES = [
    ('HF', '话费', '2.2.5', '话费收入待清算', '2.2.0', '2.2.4'),
    ('YC', '预存话费', '2.2.6', '预存话费', '2.2.0', '2.2.2'),
    ('XZ', '新装业务', '4.1.3', '业务收入-新装', '4.1.0', '4.1.2'),
    ]


def _account(code, name, parent_code, type_code, company, config=None):
    Account = Model.get('account.account', config=config)
    accounts = Account.find([
            ('company', '=', company.id),
            ('code', '=', code),
            ])
    if accounts:
        account, = accounts
        return account
    parent, = Account.find([
            ('company', '=', company.id),
            ('code', '=', parent_code),
            ])
    typed, = Account.find([
            ('company', '=', company.id),
            ('code', '=', type_code),
            ])
    account = Account(
        code=code, name=name, parent=parent, type=typed.type,
        company=company)
    account.save()
    return account


def setup_accounting(company=None, today=None, config=None):
    """Create the chart, the fiscal year, the cash accounts of the halls,
    the cash configuration and the business types"""
    Hall = Model.get('hall.hall', config=config)
    Journal = Model.get('account.journal', config=config)
    StatementJournal = Model.get('account.statement.journal', config=config)
    Configuration = Model.get('hall.cash.configuration', config=config)
    BusinessType = Model.get('hall.cash.business_type', config=config)
    Currency = Model.get('currency.currency', config=config)
    if company is None:
        company = get_company(config=config)

    currency = Currency(company.currency.id)
    if not currency.symbol:
        currency.symbol = '¥'
        currency.save()

    if config is None:
        config = get_config()
    # The account tools find their records by English names
    with config.set_context(language='en'):
        fiscalyear = set_fiscalyear_invoice_sequences(
            create_fiscalyear(company, today=today, config=config),
            config=config)
        fiscalyear.click('create_period')
        create_chart(company, config=config)
    translate_chart(company, config=config)

    for hall in Hall.find([('company', '=', company.id)]):
        hall.cash_account = _account(
            f'1.1.5.{hall.code}', f'库存现金-{hall.name}', '1.1.0', '1.1.1',
            company, config=config)
        hall.save()
    cheque = _account(
        '1.1.6', '库存支票', '1.1.0', '1.1.1', company, config=config)
    bank_card = _account(
        '1.1.7', '银行卡待清算', '1.1.0', '1.1.1', company, config=config)
    card_sales = _account(
        '4.1.4', '卡类销售收入', '4.1.0', '4.1.1', company, config=config)
    waiver = _account(
        '5.2.4', '业务减免', '5.2.0', '5.2.2', company, config=config)
    over = _account(
        '6.1.3', '现金长款收入', '6.1.0', '6.1.1', company, config=config)
    safe = _account(
        '1.1.8', '库存现金-保险柜', '1.1.0', '1.1.1', company, config=config)

    transit = _account(
        '1.1.9', '在途资金', '1.1.0', '1.1.1', company, config=config)
    transit.reconcile = True
    transit.save()
    bank = _account(
        '1.1.10', '银行存款-工商银行', '1.1.0', '1.1.1', company,
        config=config)

    journal = Journal(name='营业厅收款', code='YYT', type='cash')
    journal.save()
    bank_journal = Journal(name='银行对账单', code='BANK', type='statement')
    bank_journal.save()
    StatementJournal(
        name='工商银行营业厅户', journal=bank_journal, account=bank,
        currency=company.currency, company=company,
        validation='amount').save()

    configuration = Configuration(1)
    configuration.cash_journal = journal
    configuration.card_sales_account = card_sales
    configuration.waiver_account = waiver
    configuration.cash_over_account = over
    configuration.cheque_account = cheque
    configuration.bank_card_account = bank_card
    configuration.safe_account = safe
    configuration.transit_account = transit
    configuration.save()

    for code, name, a_code, a_name, parent, type_code in BUSINESS_TYPES:
        BusinessType(
            code=code, name=name, company=company,
            account=_account(
                a_code, a_name, parent, type_code, company,
                config=config)).save()
    return get_accounts(company, config=config)


def setup_demo_cash(config=None):
    "The demo hall and staff with the accounting of the cash"
    BusinessType = Model.get('hall.cash.business_type', config=config)
    setup_demo_duties(config=config)
    if config is None:
        config = get_config()
    if BusinessType.find():
        return
    setup_accounting(config=config)
    # The finance post keeps the bank statements in the accounting
    User = Model.get('res.user', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Group = Model.get('res.group', config=config)
    groups = [
        Group(ModelData.get_id(module, name, config.context))
        for module, name in [
            ('account', 'group_account'),
            ('account_statement', 'group_statement'),
            ]]
    for user in User.find([('login', '=', 'finance')]):
        user.groups.extend(groups)
        user.save()
    # The boards of the posts with the cash's actions
    setup_boards(config=config)


def publish_rota(dates, badges=CLERKS, shift='full', config=None):
    """Put the staff of badges, by default the clerks, on the shift of the
    dates on the published rotas of the demo hall"""
    return publish_demo_rota(dates, badges, shift=shift, config=config)


def close_count(settlement, config=None):
    """Click Count on the settlement; a short's warning is read and
    accepted, as the clerk does in the client"""
    Warning = Model.get('res.user.warning', config=config)
    if config is None:
        config = get_config()
    try:
        settlement.click('count')
    except SettlementShortWarning as warning:
        Warning.skip(warning.name, False, config.context)
        settlement.click('count')


def count_cash(settlement, amount):
    "Fill the cash count of the settlement with the notes making amount"
    amount = Decimal(amount)
    counts = {}
    for denomination in DENOMINATIONS:
        counts[denomination] = int(amount // denomination)
        amount -= counts[denomination] * denomination
    assert not amount, amount
    for line in settlement.counts:
        line.count = counts[line.denomination]


def create_settlement(
        clerk, date, shift, fees, card_sales=0, waivers=(), cash=None,
        non_cash=(), config=None):
    """Create a settlement of clerk

    fees is a list of (business type code, amount), waivers of (reason,
    amount), non_cash of (kind, reference, amount); cash defaults to the
    payable less the non-cash takings.  When the card sales come from the
    counter sales (hall_stock), card_sales is not typed: the server's
    amount is counted."""
    Settlement = Model.get('hall.cash.settlement', config=config)
    BusinessType = Model.get('hall.cash.business_type', config=config)
    types = {t.code: t for t in BusinessType.find([])}
    from_counter = Settlement._fields['card_sales'].get('readonly')

    settlement = Settlement(clerk=clerk, date=date, shift=shift)
    for code, amount in fees:
        fee = settlement.fees.new()
        fee.business_type = types[code]
        fee.amount = Decimal(amount)
    if from_counter:
        settlement.save()
        card_sales = settlement.card_sales
    else:
        settlement.card_sales = Decimal(card_sales)
    for reason, amount in waivers:
        settlement.waivers.new(reason=reason, amount=Decimal(amount))
    for kind, reference, amount in non_cash:
        settlement.non_cash.new(
            kind=kind, reference=reference, amount=Decimal(amount))
    if cash is None:
        cash = (sum((Decimal(a) for _, a in fees), Decimal(0))
            + Decimal(card_sales)
            - sum((Decimal(a) for _, a in waivers), Decimal(0))
            - sum((Decimal(a) for _, _, a in non_cash), Decimal(0)))
    count_cash(settlement, cash)
    settlement.save()
    return settlement


def setup_demo_deposit(date, send=True, confirm=True, config=None):
    """Deposit the cash in the safe received before date; send it and
    confirm it by the bank statement of the date"""
    User = Model.get('res.user', config=config)
    Deposit = Model.get('hall.cash.deposit', config=config)
    Handover = Model.get('hall.cash.handover', config=config)
    StatementJournal = Model.get('account.statement.journal', config=config)
    users = {u.login: u for u in User.find([])}

    set_user(users['quality'], config=config)
    deposit = Deposit(date=date, reference=f'ICBC-{date:%m%d}01')
    deposit.journal, = StatementJournal.find([])
    deposit.handovers.extend(Handover.find([
                ('in_safe', '=', True),
                ('date', '<', date),
                ]))
    deposit.save()
    if not send:
        return deposit
    deposit.click('send')
    if not confirm:
        return deposit

    set_user(users['finance'], config=config)
    Statement = Model.get('account.statement', config=config)
    Deposit = Model.get('hall.cash.deposit', config=config)
    StatementJournal = Model.get('account.statement.journal', config=config)
    deposit = Deposit(deposit.id)
    statement = Statement(
        name=f'工行回单 {date}', date=date,
        total_amount=deposit.amount)
    statement.journal, = StatementJournal.find([])
    line = statement.lines.new()
    line.date = date
    line.related_to = deposit
    statement.save()
    statement.click('validate_statement')
    statement.click('post')
    return deposit
