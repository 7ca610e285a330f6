# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('hall.score.rating.result|close_ended',
                    "Close the Democratic Ratings of the Months Ended"),
                ('hall.checklist|score_missed',
                    "Score the Checklist Tasks Left Undone"),
                ])
