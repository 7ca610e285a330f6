# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.modules.hall_duties.common import HallModelMixin
from trytond.pool import Pool
from trytond.pyson import Eval, Id

ACCOUNT_NAMES = [
    'cash_journal', 'card_sales_account', 'waiver_account',
    'cash_over_account', 'cheque_account', 'bank_card_account',
    'safe_account', 'transit_account']


def _account_field(string, help, company):
    return fields.Many2One(
        'account.account', string,
        domain=[
            ('type', '!=', None),
            ('closed', '!=', True),
            ('company', '=', company),
            ],
        help=help)


def _journal_field():
    return fields.Many2One(
        'account.journal', "Cash Journal",
        domain=[
            ('type', 'in', ['cash', 'general']),
            ],
        help="The journal of the settlement moves.")


_account_fields = {
    'card_sales_account': (
        "Card Sales Account",
        "Credited with the card sales of the settlements."),
    'waiver_account': (
        "Waiver Account",
        "Debited with the approved waivers (an expense)."),
    'cash_over_account': (
        "Cash Over Account",
        "Credited with the over the quality post registered (a revenue)."),
    'cheque_account': (
        "Cheque Account",
        "Debited with the cheques taken at the counter.\n"
        "Leave empty to use the cash account of the hall."),
    'bank_card_account': (
        "Bank Card Account",
        "Debited with the bank card takings.\n"
        "Leave empty to use the cash account of the hall."),
    'safe_account': (
        "Safe Account",
        "Debited with the cash the quality post receives in its safe "
        "(库存现金-保险柜)."),
    'transit_account': (
        "Cash in Transit Account",
        "Debited with the cash deposits sent to the bank and credited "
        "by the bank statement (在途资金); it must be reconcilable."),
    }


class Configuration(
        HallModelMixin, ModelSingleton, ModelSQL, ModelView,
        CompanyMultiValueMixin):
    __name__ = 'hall.cash.configuration'

    settlement_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence', "Settlement Sequence", required=True,
            domain=[
                ('company', 'in',
                    [Eval('context', {}).get('company', -1), None]),
                ('sequence_type', '=',
                    Id('hall_cash', 'sequence_type_settlement')),
                ],
            help="Used to number the settlements."))
    cash_journal = fields.MultiValue(_journal_field())
    card_sales_account = fields.MultiValue(_account_field(
            *_account_fields['card_sales_account'],
            company=Eval('context', {}).get('company', -1)))
    waiver_account = fields.MultiValue(_account_field(
            *_account_fields['waiver_account'],
            company=Eval('context', {}).get('company', -1)))
    cash_over_account = fields.MultiValue(_account_field(
            *_account_fields['cash_over_account'],
            company=Eval('context', {}).get('company', -1)))
    cheque_account = fields.MultiValue(_account_field(
            *_account_fields['cheque_account'],
            company=Eval('context', {}).get('company', -1)))
    bank_card_account = fields.MultiValue(_account_field(
            *_account_fields['bank_card_account'],
            company=Eval('context', {}).get('company', -1)))
    safe_account = fields.MultiValue(_account_field(
            *_account_fields['safe_account'],
            company=Eval('context', {}).get('company', -1)))
    transit_account = fields.MultiValue(_account_field(
            *_account_fields['transit_account'],
            company=Eval('context', {}).get('company', -1)))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'settlement_sequence':
            return pool.get('hall.cash.configuration.sequence')
        elif field in ACCOUNT_NAMES:
            return pool.get('hall.cash.configuration.account')
        return super().multivalue_model(field)

    @classmethod
    def default_settlement_sequence(cls, **pattern):
        return cls.multivalue_model(
            'settlement_sequence').default_settlement_sequence()


class ConfigurationSequence(HallModelMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'hall.cash.configuration.sequence'

    settlement_sequence = fields.Many2One(
        'ir.sequence', "Settlement Sequence", required=True,
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ('sequence_type', '=',
                Id('hall_cash', 'sequence_type_settlement')),
            ])

    @classmethod
    def default_settlement_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('hall_cash', 'sequence_settlement')
        except KeyError:
            return None


class ConfigurationAccount(HallModelMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'hall.cash.configuration.account'

    cash_journal = _journal_field()
    card_sales_account = _account_field(
        *_account_fields['card_sales_account'], company=Eval('company', -1))
    waiver_account = _account_field(
        *_account_fields['waiver_account'], company=Eval('company', -1))
    cash_over_account = _account_field(
        *_account_fields['cash_over_account'], company=Eval('company', -1))
    cheque_account = _account_field(
        *_account_fields['cheque_account'], company=Eval('company', -1))
    bank_card_account = _account_field(
        *_account_fields['bank_card_account'], company=Eval('company', -1))
    safe_account = _account_field(
        *_account_fields['safe_account'], company=Eval('company', -1))
    transit_account = _account_field(
        *_account_fields['transit_account'], company=Eval('company', -1))
