# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The mechanisms the cash documents share: the amounts' bounds, the
periods of the moves, the transfer moves of the cash and the count of notes
and coins."""
from decimal import Decimal

from sql import Column
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import Check, Exclude, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval

from .exceptions import (
    CashConfigurationError, SettlementValidationError)

# The notes and coins counted at the counter, in yuan
DENOMINATIONS = [
    Decimal(d) for d in ['100', '50', '20', '10', '5', '1', '0.5', '0.1']]
# The most notes or coins of a denomination counted at once
COUNT_MAX = 100000


class AmountCheckMixin:
    """Refuse negative amounts

    The SQL checks of the amounts are not enforced by SQLite, which stores
    decimals as text, so they are checked here too with the same message."""
    __slots__ = ()
    # field name: (message id, strictly positive)
    _amount_checks = {}

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        for name, (message, strict) in cls._amount_checks.items():
            if name not in field_names:
                continue
            for record in records:
                value = getattr(record, name)
                if value is not None and (
                        value < 0 or (strict and not value)):
                    raise SettlementValidationError(gettext(message))


def find_periods(records):
    """Return the open standard period of each record, found by its company
    and date; refuse a record whose date has none"""
    pool = Pool()
    Period = pool.get('account.period')
    Lang = pool.get('ir.lang')
    if not records:
        return {}
    dates = [r.date for r in records]
    periods = Period.search([
            ('company', 'in', list({r.company.id for r in records})),
            ('start_date', '<=', max(dates)),
            ('end_date', '>=', min(dates)),
            ('type', '=', 'standard'),
            ('state', '=', 'open'),
            ])
    result = {}
    for record in records:
        for period in periods:
            if (period.company == record.company
                    and period.start_date <= record.date <= period.end_date):
                result[record] = period
                break
        else:
            raise CashConfigurationError(gettext(
                    'hall_cash.msg_no_period',
                    document=record.rec_name,
                    date=Lang.get().strftime(record.date)))
    return result


class CashTransferMixin:
    "A document moving its cash from one account to another"
    __slots__ = ()

    def get_transfer(self, configuration):
        """Return the journal, the account debited, the account credited
        and the amount of the move; refuse when an account is missing"""
        raise NotImplementedError

    @classmethod
    def get_transfer_moves(cls, records):
        "Return the move of each record with cash, on its date"
        pool = Pool()
        Configuration = pool.get('hall.cash.configuration')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        configuration = Configuration(1)
        transfers = {}
        for record in records:
            transfer = record.get_transfer(configuration)
            if transfer[-1]:
                transfers[record] = transfer
        periods = find_periods(list(transfers))
        moves = {}
        for record, (journal, debit, credit, amount) in transfers.items():
            moves[record] = Move(
                company=record.company,
                journal=journal,
                period=periods[record],
                date=record.date,
                origin=record,
                description=record.rec_name,
                lines=[
                    Line(account=debit, debit=amount, credit=0,
                        description=record.rec_name),
                    Line(account=credit, debit=0, credit=amount,
                        description=record.rec_name),
                    ])
        return moves


class CashCountMixin:
    """The notes or coins of one denomination a document counts

    The document is the Many2One named by ``_count_document``; each
    denomination is counted once a document."""
    __slots__ = ()
    _count_document = None

    denomination = fields.Numeric(
        "Denomination", digits=(16, 1), required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="The value in yuan of the note or coin.")
    count = fields.Integer("Count", required=True)
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'on_change_with_amount')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The bounds of HallModelMixin's value checks
        cls._value_bounds = {**cls._value_bounds, 'count': (0, COUNT_MAX)}
        t = cls.__table__()
        cls._sql_constraints += [
            ('count_positive', Check(t, t.count >= 0),
                'hall_cash.msg_count_positive'),
            ('denomination_unique',
                Exclude(t,
                    (Column(t, cls._count_document), Equal),
                    (t.denomination, Equal)),
                'hall_cash.msg_count_denomination_unique'),
            ]
        cls._order.insert(0, ('denomination', 'DESC'))

    @classmethod
    def default_count(cls):
        return 0

    @fields.depends('denomination', 'count')
    def on_change_with_amount(self, name=None):
        if self.denomination is not None and self.count is not None:
            return self.denomination * self.count

    @classmethod
    def validate_fields(cls, counts, field_names):
        super().validate_fields(counts, field_names)
        for count in counts:
            if 'count' in field_names and count.count < 0:
                raise SettlementValidationError(gettext(
                        'hall_cash.msg_count_positive'))
            if ('denomination' in field_names
                    and count.denomination not in DENOMINATIONS):
                raise SettlementValidationError(gettext(
                        'hall_cash.msg_count_denomination',
                        denomination=count.denomination,
                        denominations=', '.join(
                            str(d) for d in DENOMINATIONS)))
