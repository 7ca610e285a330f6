# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from collections import defaultdict

from trytond.pool import PoolMeta


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'hall.cash.settlement', 'hall.cash.handover',
            'hall.cash.deposit']


class StatementJournal(metaclass=PoolMeta):
    __name__ = 'account.statement.journal'

    @classmethod
    def get_last_statement(cls, journals, names):
        # A statement validated by amount or number of lines has no end
        # balance, which the core rounds as a number: its journal's last
        # amount stays empty
        if 'last_amount' not in names:
            return super().get_last_statement(journals, names)
        balanced = [j for j in journals if j.validation == 'balance']
        others = [j for j in journals if j.validation != 'balance']
        result = {n: defaultdict(lambda: None) for n in names}
        if balanced:
            for name, values in super().get_last_statement(
                    balanced, names).items():
                result[name].update(values)
        other_names = [n for n in names if n != 'last_amount']
        if others and other_names:
            for name, values in super().get_last_statement(
                    others, other_names).items():
                result[name].update(values)
        return result
