# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Hall(metaclass=PoolMeta):
    __name__ = 'hall.hall'

    cash_account = fields.Many2One(
        'account.account', "Cash Account", ondelete='RESTRICT',
        domain=[
            ('type', '!=', None),
            ('closed', '!=', True),
            ('company', '=', Eval('company', -1)),
            ],
        help="The cash-in-hand account of the hall (库存现金), debited "
        "with the takings of its settlements.")

