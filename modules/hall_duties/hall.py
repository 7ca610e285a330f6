# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from sql import Null

from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import HallModelMixin
from .task import WEEKDAYS

POST_KINDS = [
    ('front', "Front"),
    ('manager', "Manager"),
    ('back', "Back Office"),
    ]


class Hall(HallModelMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'hall.hall'
    _rec_name = 'name'

    name = fields.Char("Name", required=True)
    code = fields.Char(
        "Code", required=True, strip=True,
        help="The code of the hall, unique in its company.")
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    warehouse = fields.Many2One(
        'stock.location', "Warehouse", ondelete='RESTRICT',
        domain=[('type', '=', 'warehouse')],
        help="The store of the hall's cards, phones and invoices.")
    director = fields.Many2One(
        'company.employee', "Director", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    staff = fields.One2Many(
        'company.employee', 'hall', "Staff",
        domain=[('company', '=', Eval('company', -1))])
    working_days = fields.MultiSelection(
        WEEKDAYS, "Working Days", sort=False,
        help="The days of the week the hall opens: the pre-shift meeting "
        "is held on each of them.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'hall_duties.msg_hall_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_working_days(cls):
        "Every day: the halls open at weekends too"
        return [d for d, _ in WEEKDAYS]

    def is_working_day(self, date):
        "Tell whether the hall opens on the date"
        return str(date.weekday()) in (self.working_days or ())

    def get_rec_name(self, name):
        return f'[{self.code}] {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ]

    @classmethod
    def get_user_halls(cls):
        "Return the ids of the halls of the employees the user acts as"
        pool = Pool()
        User = pool.get('res.user')
        Employee = pool.get('company.employee')
        employees = User.get_employees()
        if not employees:
            return []
        employee = Employee.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*employee.select(
                employee.hall,
                where=employee.id.in_(list(employees))
                & (employee.hall != Null),
                group_by=[employee.hall]))
        return sorted(h for h, in cursor)


class HallDocumentMixin(HallModelMixin):
    "A record of a hall: its company is the hall's"
    __slots__ = ()

    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company', searcher='search_company')

    @classmethod
    def default_hall(cls):
        "The hall of the user when they work in only one"
        pool = Pool()
        Hall = pool.get('hall.hall')
        halls = Hall.get_user_halls()
        if len(halls) == 1:
            return halls[0]

    @fields.depends('hall')
    def on_change_with_company(self, name=None):
        return self.hall.company if self.hall else None

    @classmethod
    def search_company(cls, name, clause):
        return [('hall.' + clause[0],) + tuple(clause[1:])]


class DueDocumentMixin(HallDocumentMixin):
    """A document a hall hands in by a date its tasks give, late or not

    The date is given by the hall's deadline task proved by a record of
    the model (``Task.deadline_tasks``), through ``_due_date(task)``, which
    gives the manual's date for a hall without such a task."""
    __slots__ = ()

    due_date = fields.Function(fields.Date("Due Date"), 'get_due_date')
    late = fields.Boolean("Late", readonly=True)

    @classmethod
    def default_late(cls):
        return False

    @classmethod
    def get_due_date(cls, documents, name):
        pool = Pool()
        Task = pool.get('hall.task')
        tasks = Task.deadline_tasks({d.hall for d in documents}, cls.__name__)
        return {d.id: d._due_date(tasks.get(d.hall.id)) for d in documents}

    @fields.depends('hall', methods=['_due_date'])
    def on_change_with_due_date(self, name=None):
        pool = Pool()
        Task = pool.get('hall.task')
        if self.hall:
            task = Task.deadline_tasks([self.hall], self.__name__)[
                self.hall.id]
            return self._due_date(task)

    def _due_date(self, task):
        "Return the due date the task gives, or the manual's without task"
        raise NotImplementedError


class Post(HallModelMixin, ModelSQL, ModelView):
    __name__ = 'hall.post'
    _rec_name = 'name'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True, readonly=True)
    kind = fields.Selection(POST_KINDS, "Kind", required=True)
    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='RESTRICT',
        help="The access group of the staff holding this post.")
    duties = fields.One2Many('hall.post.duty', 'post', "Duties")
    description = fields.Text("Description", translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'hall_duties.msg_post_code_unique'),
            ]
        cls._order.insert(0, ('id', 'ASC'))


class PostDuty(HallModelMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'hall.post.duty'

    post = fields.Many2One(
        'hall.post', "Post", required=True, ondelete='CASCADE')
    name = fields.Char("Duty", required=True, translate=True)
    description = fields.Text("Description", translate=True)


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "halls" as list of ids of the halls of the employees '
            'the user acts as'
            '\n- "employees" as list of ids of the employees the user acts as')

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        return (*key, User.get_employees())

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        Hall = pool.get('hall.hall')
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        context['halls'] = Hall.get_user_halls()
        context['employees'] = list(User.get_employees())
        return context
