# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The monthly attendance summary (考勤表) the quality post hands in on the
2nd, from the attendance of Tryton's ``attendance`` module and the
published rota: days on the rota, days present, days absent and the days
late for the 07:50 pre-shift meeting, each lateness a discipline entry
once the summary is done."""
import datetime as dt
from collections import defaultdict

from sql import Literal
from sql.aggregate import Min

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.tools import timezone as tz
from trytond.transaction import Transaction, without_check_access

from .exceptions import ScoreStateError
from .period import IN_MAX, MonthDocumentMixin, month_end
from .score import now

# The pre-shift meeting (班前会) of the morning
MEETING_TIME = dt.time(7, 50)
# The shifts that start with the meeting
MEETING_SHIFTS = {'morning', 'full'}
DUE_DAY = 2
# The item of the assessment a lateness gives
LATE = 'meeting_late'


class Attendance(MonthDocumentMixin, Workflow, ModelSQL, ModelView):
    "The monthly attendance summary of a hall (考勤表)"
    __name__ = 'hall.score.attendance'
    _due_day = DUE_DAY
    _handed_in = [('state', '=', 'done')]

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    month = fields.Date(
        "Month", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="The first day of the month summarized.")
    meeting_time = fields.Time(
        "Meeting Time", required=True,
        states={
            'readonly': Eval('state') != 'draft',
            },
        help="Arriving after it on a morning shift is late for the "
        "pre-shift meeting.")
    lines = fields.One2Many(
        'hall.score.attendance.line', 'attendance', "Lines", readonly=True)
    computed_at = fields.DateTime("Computed at", readonly=True)
    done_by = fields.Many2One(
        'company.employee', "Done by", readonly=True)
    done_at = fields.DateTime("Done at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_month_unique', Unique(t, t.hall, t.month),
                'hall_scoring.msg_attendance_unique'),
            ]
        cls._order = [('month', 'DESC'), ('hall', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'done')}
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'done': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_meeting_time(cls):
        return MEETING_TIME

    @classmethod
    def check_modification(
            cls, mode, summaries, values=None, external=False):
        super().check_modification(
            mode, summaries, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for summary in summaries:
                if summary.state != 'draft':
                    raise ScoreStateError(gettext(
                            'hall_scoring.msg_attendance_done',
                            attendance=summary.rec_name))

    @classmethod
    def copy(cls, summaries, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        for name in ['lines', 'computed_at', 'done_by', 'done_at']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(summaries, default=default)

    @classmethod
    def _first_arrivals(cls, summaries):
        """Return the local time of the first arrival of each (employee,
        date) of the months, from the attendance lines"""
        pool = Pool()
        Line = pool.get('attendance.line')
        Employee = pool.get('company.employee')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        arrivals = {}
        for summary in summaries:
            with without_check_access():
                employees = Employee.search([
                        ('hall', '=', summary.hall.id)])
            company = summary.hall.company
            zone = (tz.get_tzinfo(company.timezone) if company.timezone
                else dt.timezone.utc)
            start = dt.datetime.combine(
                summary.month - dt.timedelta(days=1), dt.time())
            end = dt.datetime.combine(
                month_end(summary.month) + dt.timedelta(days=2), dt.time())
            for sub_ids in grouped_slice([e.id for e in employees], IN_MAX):
                cursor.execute(*line.select(
                        line.employee, line.date, Min(line.at),
                        where=line.employee.in_(list(sub_ids))
                        & (line.type == Literal('in'))
                        & (line.date >= summary.month)
                        & (line.date <= month_end(summary.month))
                        & (line.at >= start) & (line.at < end),
                        group_by=[line.employee, line.date]))
                for employee, date, at in cursor:
                    if isinstance(date, str):
                        date = dt.date.fromisoformat(date)
                    if isinstance(at, str):
                        at = dt.datetime.fromisoformat(at)
                    local = at.replace(tzinfo=dt.timezone.utc).astimezone(
                        zone)
                    arrivals[employee, date] = local.time().replace(
                        microsecond=0)
        return arrivals

    @classmethod
    def _rota(cls, summaries):
        "Return the shifts of each (employee, date) of the published rotas"
        pool = Pool()
        RosterLine = pool.get('hall.roster.line')
        shifts = defaultdict(set)
        for summary in summaries:
            with without_check_access():
                duties = RosterLine.search([
                        ('roster.hall', '=', summary.hall.id),
                        ('roster.state', '=', 'published'),
                        ('date', '>=', summary.month),
                        ('date', '<=', month_end(summary.month)),
                        ])
            for duty in duties:
                shifts[duty.employee.id, duty.date].add(duty.shift)
        return shifts

    @classmethod
    @ModelView.button
    def compute(cls, summaries):
        "Summarize the month's attendance of each employee against the rota"
        pool = Pool()
        Employee = pool.get('company.employee')
        for summary in summaries:
            if summary.state != 'draft':
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_attendance_done',
                        attendance=summary.rec_name))
        arrivals = cls._first_arrivals(summaries)
        shifts = cls._rota(summaries)
        # A month in progress is counted to yesterday
        horizon = Pool().get('ir.date').today() - dt.timedelta(days=1)
        to_write = []
        for summary in summaries:
            with without_check_access():
                employees = Employee.search([
                        ('hall', '=', summary.hall.id),
                        ], order=[('id', 'ASC')])
            lines = []
            for employee in employees:
                rota = {d for e, d in shifts
                    if e == employee.id and d <= horizon}
                present = {d for e, d in arrivals
                    if e == employee.id and d <= horizon}
                late = sorted(
                    d for d in present & rota
                    if shifts[employee.id, d] & MEETING_SHIFTS
                    and arrivals[employee.id, d] > summary.meeting_time)
                lines.append({
                        'employee': employee.id,
                        'rota_days': len(rota),
                        'present_days': len(present),
                        'absent_days': len(rota - present),
                        'late_days': len(late),
                        'late_dates': ', '.join(
                            f'{d.day}日 {arrivals[employee.id, d]:%H:%M}'
                            for d in late),
                        'late_list': ' '.join(d.isoformat() for d in late),
                        })
            to_write.extend([[summary], {
                        'lines': [
                            ('delete', [l.id for l in summary.lines]),
                            ('create', lines)],
                        'computed_at': now(),
                        }])
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, summaries):
        """Hand in the summaries: each lateness for the meeting is a
        confirmed discipline entry, refused whole in a summarized month"""
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        Entry = pool.get('hall.score.entry')
        for summary in summaries:
            if not summary.computed_at:
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_attendance_not_computed',
                        attendance=summary.rec_name))
        category = Entry.category_of(LATE)
        vlist = []
        if category:
            for summary in summaries:
                for line in summary.lines:
                    for date in (line.late_list or '').split():
                        vlist.append({
                                'hall': summary.hall.id,
                                'employee': line.employee.id,
                                'date': dt.date.fromisoformat(date),
                                'category': category.id,
                                'points': category.points,
                                'source': str(line),
                                'note': line.late_dates,
                                })
        Entry.create_confirmed(vlist)
        with without_check_access():
            cls.write(summaries, {
                    'done_by': acting_employee(),
                    'done_at': now(),
                    })
            Deadline.record_documents(summaries)


class AttendanceLine(HallModelMixin, ModelSQL, ModelView):
    "The attendance of an employee in a monthly summary"
    __name__ = 'hall.score.attendance.line'

    attendance = fields.Many2One(
        'hall.score.attendance', "Attendance Summary", required=True,
        ondelete='CASCADE', readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, readonly=True,
        ondelete='RESTRICT')
    rota_days = fields.Integer(
        "Days on the Rota", readonly=True,
        help="The days of the published rota.")
    present_days = fields.Integer(
        "Days Present", readonly=True,
        help="The days with an arrival recorded.")
    absent_days = fields.Integer(
        "Days Absent", readonly=True,
        help="The days of the rota without an arrival.")
    late_days = fields.Integer(
        "Days Late", readonly=True,
        help="The days of a morning shift arrived after the meeting.")
    late_dates = fields.Char(
        "Late on", readonly=True, help="The days and times of arrival.")
    late_list = fields.Char("Late Dates", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('attendance')
        cls._order = [('attendance', 'DESC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.attendance.rec_name} {self.employee.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]
