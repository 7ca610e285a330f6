# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import calendar
import datetime as dt
from collections import defaultdict

from sql import Literal
from sql.aggregate import Count
from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .common import HallModelMixin, acting_employee, in_hall_groups
from .exceptions import TrainingSubmitError, TrainingValidationError
from .hall import DueDocumentMixin

# The training plan of a month is due on the day of the month its hall's
# training plan task falls on (hall.task proved by a hall.training); for a
# hall without one, the manual's 5th
DUE_DAY = 5
KINDS = [
    ('pre_shift', "Pre-shift Meeting"),
    ('study', "Business Study"),
    ('other', "Other"),
    ]
# The kinds of session filled from the timetable, with the code of the
# director's task that gives their time and days
SESSION_TASKS = [
    ('pre_shift', 'di_meeting'),
    ('study', 'di_study'),
    ]


def employed_on(employee, date):
    "Tell whether the employee works for the company on the date"
    return ((employee.start_date or dt.date.min)
        <= date <= (employee.end_date or dt.date.max))


def session_tasks(halls):
    """Return a dictionary of hall id to the dictionary of session kind to
    the hall's task giving the time and the days of the session"""
    pool = Pool()
    Task = pool.get('hall.task')
    codes = dict((c, k) for k, c in SESSION_TASKS)
    result = {}
    for hall_id, tasks in Task.tasks_of_halls(halls).items():
        result[hall_id] = {
            codes[t.code]: t for t in tasks if t.code in codes}
    return result


class Training(DueDocumentMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.training'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    month = fields.Date(
        "Month", required=True, states=_states,
        help="The first day of the month.")
    month_end = fields.Function(
        fields.Date("Month End"), 'on_change_with_month_end')
    sessions = fields.One2Many(
        'hall.training.session', 'plan', "Sessions",
        domain=[
            ('date', '>=', Eval('month', None)),
            ('date', '<=', Eval('month_end', None)),
            ])
    submitted_by = fields.Many2One(
        'company.employee', "Submitted by", readonly=True)
    submitted_at = fields.DateTime("Submitted at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('submitted', "Submitted"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_month_unique',
                Exclude(t, (t.hall, Equal), (t.month, Equal)),
                'hall_duties.msg_training_hall_month_unique'),
            ]
        cls._order = [('month', 'DESC'), ('hall', 'ASC'), ('id', 'DESC')]
        cls.due_date.help = (
            "The day of the month the hall's training plan task falls on.")
        cls.late.help = "Submitted after its due date."
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'submitted',
                    'depends': ['state'],
                    },
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'fill_sessions': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_month(cls):
        "The current month until its plan is due, then the next one"
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        month = today.replace(day=1)
        if today.day > DUE_DAY:
            month = (month + dt.timedelta(days=31)).replace(day=1)
        return month

    @fields.depends('month')
    def on_change_with_month_end(self, name=None):
        if self.month:
            last = calendar.monthrange(self.month.year, self.month.month)[1]
            return self.month.replace(day=last)

    @fields.depends('month', methods=['on_change_with_month_end'])
    def _due_date(self, task):
        "The due date of the plan: the first day of the task in the month"
        if not self.month:
            return
        date = None
        if task:
            date = task.first_occurrence(
                self.month, self.on_change_with_month_end())
        return date or self.month.replace(day=DUE_DAY)

    def get_rec_name(self, name):
        month = self.month.strftime('%Y-%m') if self.month else ''
        return f'{self.hall.rec_name} {month}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('hall.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, plans, field_names):
        super().validate_fields(plans, field_names)
        if not field_names or 'month' in field_names:
            for plan in plans:
                if plan.month.day != 1:
                    raise TrainingValidationError(gettext(
                            'hall_duties.msg_training_month_first',
                            plan=plan.rec_name))

    @classmethod
    def check_modification(cls, mode, plans, values=None, external=False):
        super().check_modification(
            mode, plans, values=values, external=external)
        if mode == 'delete':
            for plan in plans:
                if plan.state != 'draft':
                    raise AccessError(gettext(
                            'hall_duties.msg_training_delete_submitted',
                            plan=plan.rec_name))
        elif mode == 'write' and values.keys() & {'hall', 'month'}:
            for plan in plans:
                if plan.state != 'draft':
                    raise AccessError(gettext(
                            'hall_duties.msg_training_modify_submitted',
                            plan=plan.rec_name))

    @classmethod
    def copy(cls, plans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('submitted_by', None)
        default.setdefault('submitted_at', None)
        default.setdefault('late', False)
        default.setdefault('sessions', None)
        return super().copy(plans, default=default)

    def month_dates(self):
        "Yield every date of the month"
        date = self.month
        while date <= self.month_end:
            yield date
            date += dt.timedelta(days=1)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, plans):
        cls.write(plans, {
                'submitted_by': None,
                'submitted_at': None,
                'late': False,
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, plans):
        pool = Pool()
        Date = pool.get('ir.date')
        for plan in plans:
            if not plan.sessions:
                raise TrainingSubmitError(gettext(
                        'hall_duties.msg_training_submit_no_session',
                        plan=plan.rec_name))
        today = Date.today()
        values = {
            'submitted_by': acting_employee(),
            'submitted_at': dt.datetime.now(),
            }
        late = [p for p in plans if today > p.due_date]
        on_time = [p for p in plans if today <= p.due_date]
        to_write = []
        if late:
            to_write.extend([late, {**values, 'late': True}])
        if on_time:
            to_write.extend([on_time, {**values, 'late': False}])
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    def fill_sessions(cls, plans):
        """Create the month's sessions from the timetable: the pre-shift
        meeting of every working day and the business study of every
        Thursday, with an attendance line for each employee of the hall"""
        pool = Pool()
        Session = pool.get('hall.training.session')
        Attendance = pool.get('hall.training.attendance')
        Employee = pool.get('company.employee')

        plans = [p for p in plans if p.state == 'draft']
        if not plans:
            return
        halls = list({p.hall for p in plans})
        tasks = session_tasks(halls)

        existing = set()
        for sub_plans in grouped_slice(plans, backend.MAX_QUERY_PARAMS):
            for session in Session.search([
                        ('plan', 'in', [p.id for p in sub_plans]),
                        ('kind', 'in', [k for k, _ in SESSION_TASKS]),
                        ]):
                existing.add((session.plan.id, session.date, session.kind))

        to_create = []
        for plan in plans:
            hall_tasks = tasks.get(plan.hall.id, {})
            trainer = plan.hall.director
            for date in plan.month_dates():
                if not plan.hall.is_working_day(date):
                    continue
                for kind, _ in SESSION_TASKS:
                    task = hall_tasks.get(kind)
                    if (not task or not task.occurs_on(date)
                            or (plan.id, date, kind) in existing):
                        continue
                    to_create.append({
                            'plan': plan.id,
                            'date': date,
                            'kind': kind,
                            'start_time': task.start_time,
                            'end_time': task.end_time,
                            'trainer': trainer.id if trainer else None,
                            })
        if not to_create:
            return
        sessions = Session.create(to_create)

        with Transaction().set_context(active_test=False):
            employees = Employee.search([
                    ('hall', 'in', [h.id for h in halls]),
                    ], order=[('badge', 'ASC'), ('id', 'ASC')])
        staff = defaultdict(list)
        for employee in employees:
            staff[employee.hall.id].append(employee)
        plan2hall = {p.id: p.hall.id for p in plans}

        attendances = []
        for session, values in zip(sessions, to_create):
            for employee in staff[plan2hall[values['plan']]]:
                if (employee.id != values['trainer']
                        and employed_on(employee, values['date'])):
                    attendances.append((session, employee))
        Attendance.create([{
                    'session': session.id,
                    'employee': employee.id,
                    } for session, employee in attendances])


class TrainingSession(HallModelMixin, ModelSQL, ModelView):
    __name__ = 'hall.training.session'

    plan = fields.Many2One(
        'hall.training', "Plan", required=True, ondelete='CASCADE')
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"),
        'on_change_with_hall', searcher='search_hall')
    date = fields.Date("Date", required=True)
    start_time = fields.Time("Start", required=True)
    end_time = fields.Time(
        "End", required=True,
        domain=[
            If(Eval('start_time') & Eval('end_time'),
                ('end_time', '>=', Eval('start_time')),
                ()),
            ])
    kind = fields.Selection(KINDS, "Kind", required=True)
    kind_string = kind.translated('kind')
    topic = fields.Char("Topic", strip=True)
    material = fields.Text(
        "Material",
        help="The training material: new documents, yesterday's hot and "
        "difficult questions, cases.")
    trainer = fields.Many2One(
        'company.employee', "Trainer", ondelete='RESTRICT')
    attendances = fields.One2Many(
        'hall.training.attendance', 'session', "Attendance")
    present_count = fields.Function(
        fields.Integer("Present"), 'get_present_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'ASC'), ('start_time', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_kind(cls):
        return 'other'

    @fields.depends('plan', '_parent_plan.hall')
    def on_change_with_hall(self, name=None):
        return self.plan.hall if self.plan else None

    @classmethod
    def search_hall(cls, name, clause):
        return [('plan.' + clause[0],) + tuple(clause[1:])]

    @fields.depends(
        'kind', 'start_time', 'end_time', methods=['on_change_with_hall'])
    def on_change_kind(self):
        hall = self.on_change_with_hall()
        if not hall or self.kind not in dict(SESSION_TASKS):
            return
        task = session_tasks([hall]).get(hall.id, {}).get(self.kind)
        if task:
            self.start_time = task.start_time
            self.end_time = task.end_time

    def get_rec_name(self, name):
        name = f'{self.date} {self.kind_string}'
        if self.topic:
            name += f' {self.topic}'
        return name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('topic',) + tuple(clause[1:])]

    @classmethod
    def get_present_count(cls, sessions, name):
        pool = Pool()
        Attendance = pool.get('hall.training.attendance')
        attendance = Attendance.__table__()
        cursor = Transaction().connection.cursor()
        counts = dict.fromkeys(map(int, sessions), 0)
        for sub_ids in grouped_slice(list(counts), backend.MAX_QUERY_PARAMS):
            cursor.execute(*attendance.select(
                    attendance.session, Count(attendance.id),
                    where=reduce_ids(attendance.session, sub_ids)
                    & (attendance.present == Literal(True)),
                    group_by=[attendance.session]))
            counts.update(cursor)
        return counts

    @classmethod
    def validate_fields(cls, sessions, field_names):
        super().validate_fields(sessions, field_names)
        if not field_names or field_names & {'date', 'plan'}:
            for session in sessions:
                plan = session.plan
                if not (plan.month <= session.date <= plan.month_end):
                    raise TrainingValidationError(gettext(
                            'hall_duties.msg_training_session_date',
                            session=session.rec_name,
                            plan=plan.rec_name))


class TrainingAttendance(HallModelMixin, ModelSQL, ModelView):
    __name__ = 'hall.training.attendance'

    session = fields.Many2One(
        'hall.training.session', "Session", required=True,
        ondelete='CASCADE')
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"),
        'on_change_with_hall', searcher='search_hall')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='RESTRICT',
        domain=[
            If(Eval('hall'), ('hall', '=', Eval('hall', -1)), ()),
            ])
    present = fields.Boolean("Present")
    absence_reason = fields.Char(
        "Absence Reason", strip=True,
        states={
            'invisible': Eval('present', False),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('session_employee_unique',
                Exclude(t, (t.session, Equal), (t.employee, Equal)),
                'hall_duties.msg_training_attendance_unique'),
            ]
        cls._order = [('session', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_present(cls):
        return False

    @fields.depends('session', '_parent_session.plan')
    def on_change_with_hall(self, name=None):
        if self.session and self.session.plan:
            return self.session.plan.hall

    @classmethod
    def search_hall(cls, name, clause):
        return [('session.plan.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('present', 'absence_reason')
    def on_change_present(self):
        if self.present:
            self.absence_reason = None

    def get_rec_name(self, name):
        return f'{self.session.rec_name} {self.employee.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def check_modification(
            cls, mode, attendances, values=None, external=False):
        pool = Pool()
        User = pool.get('res.user')
        super().check_modification(
            mode, attendances, values=values, external=external)
        if (external
                and not in_hall_groups(
                    'group_director', 'group_group_leader')):
            employees = set(User.get_employees())
            for attendance in attendances:
                trainer = attendance.session.trainer
                if not trainer or trainer.id not in employees:
                    raise AccessError(gettext(
                            'hall_duties.msg_training_attendance_trainer',
                            session=attendance.session.rec_name))
