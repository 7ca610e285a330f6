# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt
from collections import defaultdict

from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from .common import (
    HallModelMixin, acting_employee, is_own_employee, users_to_employees)
from .exceptions import ChecklistTickError
from .hall import HallDocumentMixin

# The records given to one create call by the generation: the ORM checks
# every id of a create against all the others, so its cost grows with the
# square of their number
CREATE_BATCH = 1000


class Checklist(HallDocumentMixin, ModelSQL, ModelView):
    __name__ = 'hall.checklist'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, readonly=True,
        ondelete='RESTRICT')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, readonly=True,
        ondelete='RESTRICT')
    date = fields.Date("Date", required=True, readonly=True)
    lines = fields.One2Many('hall.checklist.line', 'checklist', "Lines")
    line_count = fields.Function(
        fields.Integer("Tasks"), 'get_counts')
    done_count = fields.Function(
        fields.Integer("Done"), 'get_counts')
    overdue_count = fields.Function(
        fields.Integer("Overdue"), 'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('employee_date_unique',
                Exclude(t, (t.employee, Equal), (t.date, Equal)),
                'hall_duties.msg_checklist_employee_date_unique'),
            ]
        cls._order = [
            ('date', 'DESC'), ('hall', 'ASC'), ('employee', 'ASC'),
            ('id', 'ASC')]
        cls.__rpc__.update({
                'generate': RPC(
                    readonly=False, result=lambda r: [c.id for c in r]),
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('overdue_count', 0) > 0, 'danger', '')),
            ]

    def get_rec_name(self, name):
        return f'{self.employee.rec_name} {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def get_counts(cls, checklists, names):
        "Count the lines, the done and the overdue lines in one query"
        pool = Pool()
        Line = pool.get('hall.checklist.line')
        line = Line.__table__()
        checklist = cls.__table__()
        cursor = Transaction().connection.cursor()

        ids = [c.id for c in checklists]
        result = {name: dict.fromkeys(ids, 0) for name in names}
        cursor.execute(*line.join(checklist,
                condition=line.checklist == checklist.id
                ).select(
                line.checklist,
                Count(line.id),
                Sum(Case((line.done == Literal(True), 1), else_=0)),
                Sum(Case(
                        (Line._overdue_condition(line, checklist), 1),
                        else_=0)),
                where=fields.SQL_OPERATORS['in'](line.checklist, ids),
                group_by=[line.checklist]))
        for checklist_id, total, done, overdue in cursor:
            for name, value in [
                    ('line_count', total),
                    ('done_count', done),
                    ('overdue_count', overdue)]:
                if name in result:
                    result[name][checklist_id] = int(value or 0)
        return result

    @classmethod
    def check_modification(
            cls, mode, checklists, values=None, external=False):
        super().check_modification(
            mode, checklists, values=values, external=external)
        if (mode == 'write' and external
                and values.keys() - {'lines'}):
            raise AccessError(gettext(
                    'hall_duties.msg_checklist_modify',
                    checklist=checklists[0].rec_name))

    @classmethod
    def generate_checklists(cls):
        "Generate today's checklists (called by the scheduler)"
        cls.generate()

    @classmethod
    def generate(cls, date=None, halls=None):
        """Create the checklists of the date (by default today) for every
        employee on a published rota line of the date, with a line per
        routine task of the posts rostered; with halls, only for these.

        Nothing is created twice: an existing checklist only gets its
        missing lines. The number of queries does not depend on the number
        of employees or tasks. Return the checklists created."""
        pool = Pool()
        Date = pool.get('ir.date')
        Hall = pool.get('hall.hall')
        Task = pool.get('hall.task')
        Line = pool.get('hall.checklist.line')
        ModelAccess = pool.get('ir.model.access')
        transaction = Transaction()

        if transaction.user and transaction.check_access:
            ModelAccess.check(cls.__name__, 'create')
        if date is None:
            date = Date.today()
        if halls is not None:
            halls = Hall.browse(halls)

        # The posts of each employee on the date and their language
        rostered = cls._get_rostered(date, halls)
        if not rostered:
            return []
        employee_hall, employee_posts, employee_language = {}, {}, {}
        for employee, hall, post, language in rostered:
            employee_hall.setdefault(employee, hall)
            employee_posts.setdefault(employee, set()).add(post)
            if language:
                employee_language.setdefault(employee, language)

        # The routine tasks of each hall and post falling on the date
        hall_tasks = Task.tasks_of_halls(
            Hall.browse(sorted(set(employee_hall.values()))))
        tasks = defaultdict(list)
        for hall_id, hall_tasks_ in hall_tasks.items():
            for task in hall_tasks_:
                if task.kind == 'routine' and task.occurs_on(date):
                    tasks[hall_id, task.post.id].append(task)
        task_ids = sorted({t.id for l in tasks.values() for t in l})

        # The names of the tasks in the language of each employee
        default_language = transaction.language
        names = {}
        for language in (
                set(employee_language.values()) | {default_language}):
            with transaction.set_context(language=language):
                names[language] = {
                    t.id: t.name for t in Task.browse(task_ids)}

        existing, existing_lines = cls._get_existing(date)

        to_create = [{
                'hall': employee_hall[e],
                'employee': e,
                'date': date,
                } for e in sorted(employee_hall) if e not in existing]
        created = []
        for sub_values in grouped_slice(to_create, CREATE_BATCH):
            created.extend(cls.create(list(sub_values)))
        checklist_ids = dict(existing)
        checklist_ids.update((c.employee.id, c.id) for c in created)

        to_create = []
        for employee in sorted(employee_hall):
            checklist_id = checklist_ids[employee]
            hall_id = employee_hall[employee]
            language = employee_language.get(employee, default_language)
            seen = set(existing_lines.get(checklist_id, ()))
            for post in sorted(employee_posts[employee]):
                for task in tasks.get((hall_id, post), []):
                    if task.id in seen:
                        continue
                    seen.add(task.id)
                    to_create.append({
                            'checklist': checklist_id,
                            'task': task.id,
                            'name': names[language][task.id],
                            'start_time': task.start_time,
                            'end_time': task.end_time,
                            })
        for sub_values in grouped_slice(to_create, CREATE_BATCH):
            Line.create(list(sub_values))
        return created

    @classmethod
    def _get_rostered(cls, date, halls=None):
        """Return the employee, hall, post and user language of the
        published rota lines of the date, in one query"""
        pool = Pool()
        Roster = pool.get('hall.roster')
        RosterLine = pool.get('hall.roster.line')
        Hall = pool.get('hall.hall')
        UserEmployee = pool.get('res.user-company.employee')
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        roster = Roster.__table__()
        roster_line = RosterLine.__table__()
        hall = Hall.__table__()
        user_employee = UserEmployee.__table__()
        user = User.__table__()
        lang = Lang.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()

        where = ((roster_line.date == date)
            & (roster.state == 'published'))
        if halls is not None:
            where &= fields.SQL_OPERATORS['in'](
                roster.hall, [h.id for h in halls] or [-1])
        company = transaction.context.get('company')
        if company is not None and company >= 0:
            where &= hall.company == company
        cursor.execute(*roster_line
            .join(roster, condition=roster_line.roster == roster.id)
            .join(hall, condition=roster.hall == hall.id)
            .join(user_employee, 'LEFT',
                condition=user_employee.employee == roster_line.employee)
            .join(user, 'LEFT',
                condition=(user.id == user_employee.user)
                & (user.active == Literal(True)))
            .join(lang, 'LEFT', condition=lang.id == user.language)
            .select(
                roster_line.employee, roster.hall, roster_line.post,
                lang.code,
                where=where,
                order_by=[roster_line.employee, roster.hall,
                    roster_line.post, lang.code]))
        return cursor.fetchall()

    @classmethod
    def _get_existing(cls, date):
        """Return the checklist id of each employee on the date and the
        task ids of the lines of each checklist, in one query"""
        pool = Pool()
        Line = pool.get('hall.checklist.line')
        checklist = cls.__table__()
        line = Line.__table__()
        cursor = Transaction().connection.cursor()

        existing, existing_lines = {}, defaultdict(set)
        cursor.execute(*checklist.join(line, 'LEFT',
                condition=line.checklist == checklist.id
                ).select(
                checklist.employee, checklist.id, line.task,
                where=checklist.date == date))
        for employee, checklist_id, task in cursor:
            existing[employee] = checklist_id
            if task is not None:
                existing_lines[checklist_id].add(task)
        return existing, existing_lines


class ChecklistLine(HallModelMixin, ModelSQL, ModelView):
    __name__ = 'hall.checklist.line'

    checklist = fields.Many2One(
        'hall.checklist', "Checklist", required=True, readonly=True,
        ondelete='CASCADE')
    task = fields.Many2One(
        'hall.task', "Task", readonly=True, ondelete='RESTRICT')
    name = fields.Char("Name", required=True, readonly=True)
    start_time = fields.Time("Start", format='%H:%M', readonly=True)
    end_time = fields.Time("End", format='%H:%M', readonly=True)
    done = fields.Boolean("Done", readonly=True)
    done_at = fields.DateTime("Done at", readonly=True)
    done_by = fields.Many2One(
        'company.employee', "Done by", readonly=True, ondelete='RESTRICT')
    overdue = fields.Function(
        fields.Boolean(
            "Overdue",
            help="Not done and past the end of its time window."),
        'get_overdue', searcher='search_overdue')
    note = fields.Char("Note")
    date = fields.Function(fields.Date("Date"), 'on_change_with_date')
    employee = fields.Function(
        fields.Many2One('company.employee', "Employee"),
        'on_change_with_employee')
    post = fields.Function(
        fields.Many2One('hall.post', "Post"), 'on_change_with_post')
    # One each: what the graph of the posts' checklists adds up
    line_count = fields.Function(fields.Integer("Tasks"), 'get_counts')
    done_count = fields.Function(fields.Integer("Done"), 'get_counts')
    overdue_count = fields.Function(
        fields.Integer("Overdue"), 'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('checklist')
        cls._order = [
            ('checklist', 'ASC'), ('start_time', 'ASC'),
            ('end_time', 'ASC'), ('id', 'ASC')]
        cls._buttons.update({
                'do': {
                    'invisible': Eval('done', False),
                    'depends': ['done'],
                    },
                'undo': {
                    'invisible': ~Eval('done', False),
                    'depends': ['done'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        # Migration from 8.0.1: who did it is an employee
        users_to_employees(cls, module, ['done_by'])
        super().__register__(module)

    @classmethod
    def default_done(cls):
        return False

    @fields.depends('checklist', '_parent_checklist.date')
    def on_change_with_date(self, name=None):
        return self.checklist.date if self.checklist else None

    @fields.depends('checklist', '_parent_checklist.employee')
    def on_change_with_employee(self, name=None):
        return self.checklist.employee if self.checklist else None

    @fields.depends('task', '_parent_task.post')
    def on_change_with_post(self, name=None):
        return self.task.post if self.task else None

    def get_counts(self, name):
        return int({
                'line_count': True,
                'done_count': self.done,
                'overdue_count': self.overdue,
                }[name])

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('overdue', False), 'danger',
                    If(Eval('done', False), 'success', ''))),
            ]

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('name',) + tuple(clause[1:])]

    @classmethod
    def _now(cls):
        """Return the current time as a naive UTC datetime.

        The context key ``hall_now`` (a naive UTC datetime) replaces it: the
        overdue lines are then those as of that moment. It only changes
        what is shown, never the time a line is ticked."""
        return Transaction().context.get('hall_now') or dt.datetime.now()

    @classmethod
    def _local_now(cls):
        "Return the time of _now in the company's timezone, naive"
        pool = Pool()
        Company = pool.get('company.company')
        now = cls._now()
        company_id = Transaction().context.get('company')
        if company_id is not None and company_id >= 0:
            company = Company(company_id)
            if company.timezone:
                timezone = tz.ZoneInfo(company.timezone)
                now = (now.replace(tzinfo=dt.timezone.utc)
                    .astimezone(timezone).replace(tzinfo=None))
        return now.replace(microsecond=0)

    @classmethod
    def _overdue_condition(cls, line, checklist):
        """Return the SQL condition of an overdue line: not done and past
        the end of its window (the end of the day without end time)"""
        now = cls._local_now()
        today, time = now.date(), now.time()
        return ((line.done != Literal(True))
            & ((checklist.date < today)
                | ((checklist.date == today)
                    & (line.end_time != Null)
                    & (line.end_time < time))))

    @classmethod
    def _overdue_query(cls, ids=None):
        "Return the query of the ids of the overdue lines"
        pool = Pool()
        Checklist = pool.get('hall.checklist')
        line = cls.__table__()
        checklist = Checklist.__table__()
        where = cls._overdue_condition(line, checklist)
        if ids is not None:
            where &= fields.SQL_OPERATORS['in'](line.id, ids)
        return line.join(checklist,
            condition=line.checklist == checklist.id
            ).select(line.id, where=where)

    @classmethod
    def get_overdue(cls, lines, name):
        cursor = Transaction().connection.cursor()
        result = dict.fromkeys([l.id for l in lines], False)
        cursor.execute(*cls._overdue_query(list(result)))
        result.update((i, True) for i, in cursor)
        return result

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause
        if operator not in {'=', '!='}:
            raise ValueError(f"Invalid operator for overdue: {operator}")
        positive = bool(value) == (operator == '=')
        return [('id', 'in' if positive else 'not in',
                cls._overdue_query())]

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if (mode == 'write' and external
                and values.keys() - {'note'}):
            raise AccessError(gettext(
                    'hall_duties.msg_checklist_line_modify',
                    line=lines[0].rec_name))

    @classmethod
    def check_tick(cls, lines):
        "Refuse to tick the lines of another employee's checklist"
        for line in lines:
            if not is_own_employee(line.checklist.employee):
                raise ChecklistTickError(gettext(
                        'hall_duties.msg_checklist_line_not_own',
                        line=line.rec_name,
                        checklist=line.checklist.rec_name))

    @classmethod
    @ModelView.button
    def do(cls, lines):
        cls.check_tick(lines)
        to_do = [l for l in lines if not l.done]
        if to_do:
            cls.write(to_do, {
                    'done': True,
                    'done_at': dt.datetime.now(),
                    'done_by': acting_employee(),
                    })

    @classmethod
    @ModelView.button
    def undo(cls, lines):
        cls.check_tick(lines)
        to_undo = [l for l in lines if l.done]
        if to_undo:
            cls.write(to_undo, {
                    'done': False,
                    'done_at': None,
                    'done_by': None,
                    })
