# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import calendar
import datetime as dt
from collections import defaultdict

from sql.operators import Equal

from trytond.model import (
    DeactivableMixin, Exclude, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .common import HallModelMixin

WEEKDAYS = [
    ('0', "Monday"),
    ('1', "Tuesday"),
    ('2', "Wednesday"),
    ('3', "Thursday"),
    ('4', "Friday"),
    ('5', "Saturday"),
    ('6', "Sunday"),
    ]


class Task(
        HallModelMixin, DeactivableMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "A routine or a deadline of a post, from the manual's timetables"
    __name__ = 'hall.task'
    __string__ = "Post Task"

    post = fields.Many2One(
        'hall.post', "Post", required=True, ondelete='CASCADE')
    hall = fields.Many2One(
        'hall.hall', "Hall", ondelete='CASCADE',
        help="Leave empty for a task of every hall.\n"
        "A hall's own task replaces the task of every hall with the same "
        "code; an inactive one removes it from that hall.")
    code = fields.Char(
        "Code", required=True, strip=True,
        help="Identifies the task; a hall's task replaces the task of every "
        "hall with the same code.")
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection([
            ('routine', "Routine"),
            ('deadline', "Deadline"),
            ], "Kind", required=True,
        help="A routine is done in its time window; "
        "a deadline is a deliverable due at its time.")
    start_time = fields.Time(
        "Start", states={
            'invisible': Eval('kind') == 'deadline',
            })
    end_time = fields.Time(
        "End",
        domain=[
            If(Eval('start_time') & Eval('end_time'),
                ('end_time', '>=', Eval('start_time')),
                ()),
            ],
        help="When the task must be done by.")
    recurrence = fields.Selection([
            ('daily', "Every Day"),
            ('weekly', "Every Week"),
            ('monthly', "Every Month"),
            ], "Recurrence", required=True)
    weekday = fields.Selection([(None, '')] + WEEKDAYS, "Weekday",
        states={
            'required': Eval('recurrence') == 'weekly',
            'invisible': Eval('recurrence') != 'weekly',
            })
    monthday = fields.Integer("Day of Month",
        domain=[
            If(Eval('recurrence') == 'monthly',
                [('monthday', '>=', 1), ('monthday', '<=', 31)],
                []),
            ],
        states={
            'required': Eval('recurrence') == 'monthly',
            'invisible': Eval('recurrence') != 'monthly',
            },
        help="In a shorter month, the last day of the month.")
    lead_days = fields.Integer("Lead Days",
        domain=[('lead_days', '>=', 0)],
        states={
            'invisible': Eval('kind') != 'deadline',
            },
        help="How many days ahead the deadline is shown to the post.")
    document = fields.Selection('get_documents', "Proof",
        help="The kind of record that proves the task done.")
    description = fields.Text("Description", translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_hall_unique',
                Exclude(t, (t.code, Equal), (t.hall, Equal)),
                'hall_duties.msg_task_code_unique'),
            ]
        cls._order.insert(0, ('post', 'ASC'))

    @classmethod
    def default_kind(cls):
        return 'routine'

    @classmethod
    def default_recurrence(cls):
        return 'daily'

    @classmethod
    def default_lead_days(cls):
        return 0

    @classmethod
    def _document_models(cls):
        "The models whose records prove a task done"
        return ['hall.roster', 'hall.handover', 'hall.notice', 'hall.repair',
            'hall.training']

    @classmethod
    def get_documents(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        documents = [(None, '')]
        for name in cls._document_models():
            try:
                pool.get(name)
            except KeyError:
                continue
            documents.append((name, Model.get_name(name)))
        return documents

    @fields.depends('kind', 'start_time')
    def on_change_kind(self):
        if self.kind == 'deadline':
            self.start_time = None

    def occurs_on(self, date):
        "Tell whether the task falls on the date"
        if self.recurrence == 'daily':
            return True
        elif self.recurrence == 'weekly':
            return date.weekday() == int(self.weekday)
        elif self.recurrence == 'monthly':
            last = calendar.monthrange(date.year, date.month)[1]
            return date.day == min(self.monthday, last)
        return False

    @classmethod
    def tasks_of_halls(cls, halls):
        """Return a dictionary of hall id to the hall's active tasks: the
        tasks of every hall, each replaced by the hall's own task of the
        same code, and the hall's own other tasks"""
        with Transaction().set_context(active_test=False):
            tasks = cls.search([
                    ('hall', 'in', [None] + [h.id for h in halls]),
                    ])
        common = [t for t in tasks if not t.hall]
        own = defaultdict(dict)
        for task in tasks:
            if task.hall:
                own[task.hall.id][task.code] = task
        result = {}
        for hall in halls:
            hall_tasks = own.get(hall.id, {})
            chosen = [hall_tasks.pop(t.code, t) for t in common]
            chosen.extend(hall_tasks.values())
            result[hall.id] = [t for t in chosen if t.active]
        return result

    @classmethod
    def deadline_tasks(cls, halls, document):
        """Return a dictionary of hall id to the hall's active deadline task
        proved by a record of the document model, or None

        The tasks say when a document is due to whoever reads the
        document: they are read without the user's access rights."""
        with without_check_access():
            return {
                hall_id: next((
                        t for t in tasks
                        if t.kind == 'deadline' and t.document == document),
                    None)
                for hall_id, tasks in cls.tasks_of_halls(halls).items()}

    def first_occurrence(self, start, end):
        "Return the first date from start to end the task falls on, or None"
        date = start
        while date <= end:
            if self.occurs_on(date):
                return date
            date += dt.timedelta(days=1)
