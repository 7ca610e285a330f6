# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt

from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Exclude, ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.tools import timezone as tz

from .common import (
    HallModelMixin, acting_employee, in_hall_groups, users_to_employees)
from .exceptions import RosterPublishError, RosterValidationError
from .hall import DueDocumentMixin

SHIFTS = [
    ('morning', "Morning"),
    ('afternoon', "Afternoon"),
    ('full', "Full Day"),
    ]
# The hours of each shift on the hall's clock and its colour on the rota
SHIFT_TIMES = {
    'morning': (dt.time(8, 0), dt.time(13, 0)),
    'afternoon': (dt.time(13, 0), dt.time(18, 30)),
    'full': (dt.time(8, 0), dt.time(18, 30)),
    }
SHIFT_COLORS = {
    'morning': '#c8e6c9',
    'afternoon': '#bbdefb',
    'full': '#ffe0b2',
    }
# The shifts each shift overlaps
OVERLAPS = {
    'morning': {'morning', 'full'},
    'afternoon': {'afternoon', 'full'},
    'full': {'morning', 'afternoon', 'full'},
    }
# The sets of shifts, any of which covers a shift: a full day is covered
# by a full day line or by both halves
COVERS = {
    'morning': [{'morning'}, {'full'}],
    'afternoon': [{'afternoon'}, {'full'}],
    'full': [{'full'}, {'morning', 'afternoon'}],
    }
# The rota of a week is due on the day of the week before its hall's rota
# task falls on (hall.task proved by a hall.roster); for a hall without
# one, the manual's Friday
DUE_WEEKDAY = 4


class Roster(DueDocumentMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.roster'
    __string__ = "Weekly Rota"

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    week = fields.Date(
        "Week", required=True, states=_states,
        help="The Monday of the week.")
    week_end = fields.Function(
        fields.Date("Week End"), 'on_change_with_week_end')
    lines = fields.One2Many(
        'hall.roster.line', 'roster', "Lines", states=_states,
        domain=[
            ('date', '>=', Eval('week', None)),
            ('date', '<=', Eval('week_end', None)),
            ])
    published_by = fields.Many2One(
        'company.employee', "Published by", readonly=True)
    published_at = fields.DateTime("Published at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('published', "Published"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_week_unique',
                Exclude(t, (t.hall, Equal), (t.week, Equal)),
                'hall_duties.msg_roster_hall_week_unique'),
            ]
        cls._order = [('week', 'DESC'), ('hall', 'ASC'), ('id', 'DESC')]
        cls.due_date.help = (
            "The day before the week the hall's rota task falls on.")
        cls.late.help = "Published after its due date."
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'published',
                    'depends': ['state'],
                    },
                'publish': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        # Migration from 8.0.1: who did it is an employee
        users_to_employees(cls, module, ['published_by'])
        super().__register__(module)

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_week(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        return today + dt.timedelta(days=7 - today.weekday())

    @fields.depends('week')
    def on_change_with_week_end(self, name=None):
        if self.week:
            return self.week + dt.timedelta(days=6)

    @fields.depends('week')
    def _due_date(self, task):
        "The due date of the rota: the last day of the task before the week"
        if not self.week:
            return
        monday = self.week - dt.timedelta(days=self.week.weekday())
        date = None
        if task:
            date = task.first_occurrence(
                monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
        return date or monday - dt.timedelta(days=7 - DUE_WEEKDAY)

    def get_rec_name(self, name):
        return f'{self.hall.rec_name} {self.week}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('hall.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, rosters, field_names):
        super().validate_fields(rosters, field_names)
        if not field_names or 'week' in field_names:
            for roster in rosters:
                if roster.week.weekday() != 0:
                    raise RosterValidationError(gettext(
                            'hall_duties.msg_roster_week_monday',
                            roster=roster.rec_name))

    @classmethod
    def check_modification(cls, mode, rosters, values=None, external=False):
        super().check_modification(
            mode, rosters, values=values, external=external)
        if mode == 'delete':
            for roster in rosters:
                if roster.state != 'draft':
                    raise AccessError(gettext(
                            'hall_duties.msg_roster_delete_published',
                            roster=roster.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, rosters):
        # The button is granted to the director's group only
        cls.write(rosters, {
                'published_by': None,
                'published_at': None,
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, rosters):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        late = [r for r in rosters if today > r.due_date]
        if late and not in_hall_groups('group_director'):
            raise RosterPublishError(gettext(
                    'hall_duties.msg_roster_publish_late',
                    roster=late[0].rec_name,
                    due_date=late[0].due_date))
        now = dt.datetime.now()
        employee = acting_employee()
        to_write = []
        for is_late, records in [
                (True, late),
                (False, [r for r in rosters if r not in late])]:
            if records:
                to_write.extend([records, {
                            'published_by': employee,
                            'published_at': now,
                            'late': is_late,
                            }])
        if to_write:
            cls.write(*to_write)


class RosterLine(HallModelMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'hall.roster.line'
    __string__ = "Weekly Rota Line"

    roster = fields.Many2One(
        'hall.roster', "Rota", required=True, ondelete='CASCADE')
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"),
        'on_change_with_hall', searcher='search_hall')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='RESTRICT',
        domain=[
            If(Eval('hall'), ('hall', '=', Eval('hall', -1)), ()),
            ])
    date = fields.Date("Date", required=True)
    shift = fields.Selection(SHIFTS, "Shift", required=True)
    shift_string = shift.translated('shift')
    # The shift's name for the calendar, which shows a selection's key
    shift_name = fields.Function(fields.Char("Shift"), 'get_shift_name')
    post = fields.Many2One(
        'hall.post', "Post", required=True, ondelete='RESTRICT',
        domain=[
            If(Eval('employee_posts'),
                ('id', 'in', Eval('employee_posts', [])),
                ()),
            ])
    employee_posts = fields.Function(
        fields.Many2Many('hall.post', None, None, "Employee Posts"),
        'on_change_with_employee_posts')
    counter = fields.Char(
        "Counter", strip=True, help="The counter or desk of the shift.")
    state = fields.Function(
        fields.Selection('get_states', "State"), 'on_change_with_state')
    start = fields.Function(
        fields.DateTime("Start"), 'on_change_with_start',
        searcher='search_shift_time')
    end = fields.Function(
        fields.DateTime("End"), 'on_change_with_end',
        searcher='search_shift_time')
    color = fields.Function(
        fields.Char("Colour"), 'on_change_with_color')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'ASC'), ('shift', 'ASC'), ('sequence', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def default_shift(cls):
        return 'full'

    @fields.depends('roster', '_parent_roster.hall')
    def on_change_with_hall(self, name=None):
        return self.roster.hall if self.roster else None

    @classmethod
    def search_hall(cls, name, clause):
        return [('roster.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('employee')
    def on_change_with_employee_posts(self, name=None):
        return self.employee.posts if self.employee else []

    @fields.depends('employee', 'post')
    def on_change_employee(self):
        if self.employee and len(self.employee.posts) == 1:
            self.post, = self.employee.posts

    @classmethod
    def get_states(cls):
        pool = Pool()
        Roster = pool.get('hall.roster')
        return Roster.fields_get(['state'])['state']['selection']

    @fields.depends('roster', '_parent_roster.state')
    def on_change_with_state(self, name=None):
        return self.roster.state if self.roster else None

    def get_rec_name(self, name):
        return (f'{self.employee.rec_name} {self.date} '
            f'{self.shift_string}')

    def get_shift_name(self, name):
        return self.shift_string

    def _shift_datetime(self, index):
        "Return the start (0) or the end (1) of the shift, in UTC"
        if not self.date or self.shift not in SHIFT_TIMES:
            return None
        value = dt.datetime.combine(self.date, SHIFT_TIMES[self.shift][index])
        company = self.hall.company if self.hall else None
        if company and company.timezone:
            timezone = tz.get_tzinfo(company.timezone)
            value = value.replace(tzinfo=timezone).astimezone(
                dt.timezone.utc).replace(tzinfo=None)
        return value

    @fields.depends('date', 'shift', 'hall', '_parent_hall.company')
    def on_change_with_start(self, name=None):
        return self._shift_datetime(0)

    @fields.depends('date', 'shift', 'hall', '_parent_hall.company')
    def on_change_with_end(self, name=None):
        return self._shift_datetime(1)

    @classmethod
    def search_shift_time(cls, name, clause):
        "Search by the date, a day wider each side for the time zones"
        _, operator, value = clause[:3]
        if isinstance(value, dt.datetime):
            if operator in {'<', '<='}:
                return [('date', '<=', (value + dt.timedelta(days=1)).date())]
            elif operator in {'>', '>='}:
                return [('date', '>=', (value - dt.timedelta(days=1)).date())]
        elif value is None and operator in {'=', '!='}:
            return [('date', operator, None)]
        return [('id', '=', -1)]

    @fields.depends('shift')
    def on_change_with_color(self, name=None):
        return SHIFT_COLORS.get(self.shift)

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        pool = Pool()
        Roster = pool.get('hall.roster')
        rosters = {line.roster for line in lines}
        if mode == 'write' and values.get('roster'):
            # A rota that does not exist is refused by its key
            rosters.update(Roster.search([('id', '=', values['roster'])]))
        for roster in rosters:
            if roster.state != 'draft':
                raise AccessError(gettext(
                        'hall_duties.msg_roster_line_modify_published',
                        roster=roster.rec_name))

    @classmethod
    def validate(cls, lines):
        super().validate(lines)
        cls.check_week(lines)
        cls.check_overlap(lines)

    @classmethod
    def check_week(cls, lines):
        "Refuse a line dated outside the week of its rota"
        pool = Pool()
        Lang = pool.get('ir.lang')
        for line in lines:
            start = line.roster.week
            end = start + dt.timedelta(days=6)
            if not (start <= line.date <= end):
                lang = Lang.get()
                raise RosterValidationError(gettext(
                        'hall_duties.msg_roster_line_outside_week',
                        line=line.rec_name,
                        roster=line.roster.rec_name,
                        start=lang.strftime(start),
                        end=lang.strftime(end)))

    @classmethod
    def check_overlap(cls, lines):
        "Refuse an employee rostered twice in overlapping shifts"
        by_key = {}
        # Two IN clauses per search
        for sub_lines in grouped_slice(lines, backend.MAX_QUERY_PARAMS // 2):
            sub_lines = list(sub_lines)
            others = cls.search([
                    ('employee', 'in', list({l.employee.id
                                for l in sub_lines})),
                    ('date', 'in', list({l.date for l in sub_lines})),
                    ])
            for other in others:
                by_key.setdefault(
                    (other.employee, other.date), []).append(other)
        for line in lines:
            for other in by_key.get((line.employee, line.date), []):
                if (other != line
                        and other.shift in OVERLAPS[line.shift]):
                    raise RosterValidationError(gettext(
                            'hall_duties.msg_roster_line_overlap',
                            employee=line.employee.rec_name,
                            date=line.date,
                            shift=line.shift_string,
                            other=other.shift_string,
                            roster=other.roster.rec_name))
