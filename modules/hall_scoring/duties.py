# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The duties of hall_duties in the assessment: a deadline done after its
due date is an entry of who handed it in; a task of a daily checklist left
undone is an entry of the checklist's employee, the day after."""
import datetime as dt

from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

# The items of the assessment the duties give
DEADLINE = 'deadline_missed'
CHECKLIST = 'checklist_missed'
# The days back the checklists are looked at
CHECKLIST_DAYS = 7


class Deadline(metaclass=PoolMeta):
    __name__ = 'hall.deadline'

    @classmethod
    def done(cls, deadlines):
        open_ = [d for d in deadlines if d.state == 'open']
        super().done(deadlines)
        cls.score_late(open_)

    @classmethod
    def record_documents(cls, documents):
        proved = super().record_documents(documents)
        cls.score_late(proved)
        return proved

    @classmethod
    def score_late(cls, deadlines):
        "Give who handed in the deadlines after their due date an entry"
        pool = Pool()
        Date = pool.get('ir.date')
        Entry = pool.get('hall.score.entry')
        category = Entry.category_of(DEADLINE)
        if not category or not deadlines:
            return []
        today = Date.today()
        return Entry.create_confirmed_within([{
                    'hall': d.hall.id,
                    'employee': d.done_by.id,
                    'date': today,
                    'category': category.id,
                    'points': category.points,
                    'source': str(d),
                    'note': d.rec_name,
                    } for d in cls.browse([d.id for d in deadlines])
                if d.state == 'done' and today > d.due_date
                and d.done_by and d.done_by.hall == d.hall])


class Checklist(metaclass=PoolMeta):
    __name__ = 'hall.checklist'

    @classmethod
    def score_missed(cls, date=None):
        """Give the employees the entry of each task of their checklists of
        the last days left undone (the cron, each morning)"""
        pool = Pool()
        Date = pool.get('ir.date')
        Entry = pool.get('hall.score.entry')
        Line = pool.get('hall.checklist.line')
        category = Entry.category_of(CHECKLIST)
        if not category:
            return []
        if date is None:
            date = Date.today()
        with without_check_access():
            lines = Line.search([
                    ('checklist.date', '<', date),
                    ('checklist.date', '>=',
                        date - dt.timedelta(days=CHECKLIST_DAYS)),
                    ('done', '=', False),
                    ], order=[('checklist.date', 'ASC'), ('id', 'ASC')])
            scored = {str(e.source) for e in Entry.search([
                        ('source', 'in', [str(l) for l in lines]),
                        ])} if lines else set()
        return Entry.create_confirmed_within([{
                    'hall': l.checklist.hall.id,
                    'employee': l.checklist.employee.id,
                    'date': l.checklist.date,
                    'category': category.id,
                    'points': category.points,
                    'source': str(l),
                    'note': l.name,
                    } for l in lines
                if str(l) not in scored and l.checklist.employee
                and l.checklist.employee.hall == l.checklist.hall])

