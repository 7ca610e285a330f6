# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""With hall_complaints: a complaint answered late, or found overdue
unhandled, is a score entry of whoever took it."""
from trytond.pool import Pool, PoolMeta

# The items of the assessment the complaints give
LATE = 'complaint_late'
UNHANDLED = 'complaint_unhandled'


class Complaint(metaclass=PoolMeta):
    __name__ = 'hall.complaint'

    @classmethod
    def do_answer(cls, complaints):
        super().do_answer(complaints)
        cls.score(
            [c for c in complaints if c.answered_late and not c.overdue],
            LATE)

    @classmethod
    def mark_overdue(cls, date_time=None):
        complaints = super().mark_overdue(date_time=date_time)
        cls.score(complaints, UNHANDLED)
        return complaints

    @classmethod
    def score(cls, complaints, code):
        "Give the takers of the complaints the entry of the item code"
        pool = Pool()
        Date = pool.get('ir.date')
        Entry = pool.get('hall.score.entry')
        category = Entry.category_of(code)
        if not category:
            return []
        today = Date.today()
        return Entry.create_confirmed([{
                    'hall': c.hall.id,
                    'employee': c.taken_by.id,
                    'date': today,
                    'category': category.id,
                    'points': category.points,
                    'source': str(c),
                    'note': c.number,
                    } for c in complaints
                if c.taken_by and c.taken_by.hall == c.hall])
