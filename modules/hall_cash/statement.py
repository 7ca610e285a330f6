# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"The bank statement's lines that confirm the cash deposits"
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import without_check_access


class StatementLine(metaclass=PoolMeta):
    __name__ = 'account.statement.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.related_to.domain['hall.cash.deposit'] = [
            ('company', '=', Eval('company', -1)),
            If(Eval('statement_state') == 'draft',
                ('state', '=', 'sent'),
                ('state', '!=', '')),
            ]

    @classmethod
    def _get_relations(cls):
        return super()._get_relations() + ['hall.cash.deposit']

    @property
    @fields.depends('related_to')
    def deposit(self):
        pool = Pool()
        Deposit = pool.get('hall.cash.deposit')
        related_to = getattr(self, 'related_to', None)
        if isinstance(related_to, Deposit) and related_to.id >= 0:
            return related_to

    @fields.depends('amount', 'description', methods=['deposit'])
    def on_change_related_to(self):
        pool = Pool()
        Configuration = pool.get('hall.cash.configuration')
        super().on_change_related_to()
        deposit = self.deposit
        if deposit:
            # The statement's user needs no access to the configuration
            with without_check_access():
                transit = Configuration(1).get_multivalue(
                    'transit_account', company=deposit.company.id)
            if transit:
                self.account = transit
            if not self.amount:
                self.amount = deposit.amount
            if not self.description:
                self.description = deposit.rec_name

    @classmethod
    def reconcile(cls, move_lines):
        pool = Pool()
        Deposit = pool.get('hall.cash.deposit')
        super().reconcile(move_lines)
        Deposit.confirm(move_lines)

    @classmethod
    def delete_move(cls, lines):
        pool = Pool()
        Deposit = pool.get('hall.cash.deposit')
        deposits = Deposit.search([
                ('statement_line', 'in', [l.id for l in lines]),
                ('state', '=', 'confirmed'),
                ])
        super().delete_move(lines)
        Deposit.unconfirm(deposits)
