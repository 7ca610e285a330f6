# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The monthly summary of a hall's scores (各岗位考核汇总表): made by the
4th, handed in on the 5th to the marketing department's business
supervisor as the basis of pay, approved by the marketing department head
and then locked; reopened only by the director with a recorded reason."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.company import CompanyReport
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups)
from trytond.modules.hall_duties.hall import DueDocumentMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ScoreError, ScoreStateError, ScoreValidationError
from .score import POINTS_DIGITS, WEIGHT_GROUPS, now

# The day of the next month the summary is due, without a task
DUE_DAY = 4
IN_MAX = backend.MAX_QUERY_PARAMS // 3
# The records of one creation or search: an instance checks the ids it is
# read with, so a list of records costs the square of its length
BATCH = 1000
# The halls whose staff one search reads
HALL_BATCH = 50
POINTS_EXP = Decimal(10) ** -POINTS_DIGITS[1]
BASE_SCORE = Decimal(100)
# The stars of the star report (星级报表): the least final score of each
STARS = [(5, Decimal(100)), (4, Decimal(95)), (3, Decimal(90)),
    (2, Decimal(85)), (1, Decimal(0))]
STATES = [
    ('draft', "Draft"),
    ('summarized', "Summarized"),
    ('submitted', "Submitted"),
    ('approved', "Approved"),
    ('locked', "Locked"),
    ]


def month_end(month):
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
        days=1)


class Task(metaclass=PoolMeta):
    __name__ = 'hall.task'

    @classmethod
    def _document_models(cls):
        return super()._document_models() + [
            'hall.score.period', 'hall.score.attendance']


class MonthDocumentMixin(DueDocumentMixin):
    """A document of a hall for a month, handed in on a day of the next
    month (``_due_day`` without a task); ``_handed_in`` is the domain of
    the documents that prove their deadline"""
    __slots__ = ()
    _due_day = DUE_DAY
    _handed_in = [('state', '!=', 'draft')]

    @classmethod
    def default_month(cls):
        "Last month"
        today = Pool().get('ir.date').today()
        return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)

    @fields.depends('month')
    def _due_date(self, task):
        "The task's day in the next month, by default ``_due_day``"
        if not self.month:
            return
        start = month_end(self.month) + dt.timedelta(days=1)
        date = None
        if task:
            date = task.first_occurrence(start, month_end(start))
        return date or start.replace(day=self._due_day)

    def get_rec_name(self, name):
        month = self.month.strftime('%Y-%m') if self.month else ''
        return f'{self.hall.rec_name} {month}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('hall.rec_name',) + tuple(clause[1:])]

    @classmethod
    def deadline_documents(cls, keys):
        "The documents handed in of each (hall id, due date) key"
        result = {}
        with without_check_access():
            documents = cls.search([
                    ('hall', 'in', list({k[0] for k in keys})),
                    *cls._handed_in,
                    ])
        for document in documents:
            key = (document.hall.id, document.due_date)
            if key in keys:
                result[key] = document
        return result

    @classmethod
    def validate_fields(cls, documents, field_names):
        super().validate_fields(documents, field_names)
        if field_names & {'month'}:
            for document in documents:
                if document.month.day != 1:
                    raise ScoreValidationError(gettext(
                            'hall_scoring.msg_period_month',
                            period=document.rec_name))


class Period(MonthDocumentMixin, Workflow, ModelSQL, ModelView):
    "The monthly score summary of a hall (各岗位考核汇总表)"
    __name__ = 'hall.score.period'

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
    month_end = fields.Function(
        fields.Date("Month End"), 'on_change_with_month_end')
    base_score = fields.Numeric(
        "Base Score", digits=POINTS_DIGITS, required=True,
        states={
            'readonly': Eval('state') != 'draft',
            },
        help="The score of every employee before the month's entries.")
    lines = fields.One2Many(
        'hall.score.period.line', 'period', "Lines", readonly=True)
    last_entry_at = fields.DateTime(
        "Last Entry at", readonly=True,
        help="When an entry of the month was last confirmed.")
    summarized_by = fields.Many2One(
        'company.employee', "Summarized by", readonly=True)
    summarized_at = fields.DateTime("Summarized at", readonly=True)
    submitted_by = fields.Many2One(
        'company.employee', "Submitted by", readonly=True)
    submitted_at = fields.DateTime("Submitted at", readonly=True)
    approved_by = fields.Many2One(
        'res.user', "Approved by", readonly=True)
    approved_at = fields.DateTime("Approved at", readonly=True)
    locked_by = fields.Many2One('res.user', "Locked by", readonly=True)
    locked_at = fields.DateTime("Locked at", readonly=True)
    reopenings = fields.One2Many(
        'hall.score.period.reopening', 'period', "Reopenings", readonly=True)
    ratings = fields.One2Many(
        'hall.score.rating.result', 'period', "Democratic Ratings",
        readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_month_unique', Unique(t, t.hall, t.month),
                'hall_scoring.msg_period_unique'),
            ]
        cls._order = [('month', 'DESC'), ('hall', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'summarized'),
            ('summarized', 'submitted'),
            ('submitted', 'approved'),
            ('approved', 'locked'),
            ('summarized', 'draft'),
            ('submitted', 'draft'),
            }
        cls._buttons.update({
                'open_rating': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'summarize': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'submit': {
                    'invisible': Eval('state') != 'summarized',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'submitted',
                    'depends': ['state'],
                    },
                'lock': {
                    'invisible': Eval('state') != 'approved',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': ~Eval('state').in_(
                        ['summarized', 'submitted']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_base_score(cls):
        return BASE_SCORE

    @fields.depends('month')
    def on_change_with_month_end(self, name=None):
        if self.month:
            return month_end(self.month)

    @classmethod
    def check_modification(cls, mode, periods, values=None, external=False):
        super().check_modification(
            mode, periods, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for period in periods:
                if period.state != 'draft':
                    raise ScoreStateError(gettext(
                            'hall_scoring.msg_period_closed',
                            period=period.rec_name,
                            state=period.state_string))

    @classmethod
    def copy(cls, periods, default=None):
        if periods:
            raise ScoreError(gettext(
                    'hall_scoring.msg_period_copy',
                    period=periods[0].rec_name))
        return super().copy(periods, default=default)

    # The months the entries fall in

    @classmethod
    def _periods_of(cls, keys, create=False):
        "Return the periods of the (hall, date) keys, created if asked"
        months = {(int(h), d.replace(day=1)) for h, d in keys}
        periods = []
        by_month = defaultdict(set)
        for hall, month in months:
            by_month[month].add(hall)
        with without_check_access():
            for month, halls in sorted(by_month.items()):
                for sub_halls in grouped_slice(sorted(halls), IN_MAX):
                    periods.extend(cls.search([
                                ('hall', 'in', list(sub_halls)),
                                ('month', '=', month),
                                ]))
            if create:
                found = {(p.hall.id, p.month) for p in periods}
                missing = sorted(months - found)
                if missing:
                    periods.extend(cls.create([
                                {'hall': h, 'month': m} for h, m in missing]))
        return periods

    @classmethod
    def check_open(cls, keys):
        "Refuse the entries of a month already summarized"
        for period in cls._periods_of(keys):
            if period.state != 'draft':
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_period_closed',
                        period=period.rec_name,
                        state=period.state_string))

    @classmethod
    def touch(cls, keys):
        """Refuse the entries of a month already summarized, and write the
        month's period: a summary made at the same moment in another
        transaction conflicts with this one, and one of them is done
        again, never both lost"""
        periods = cls._periods_of(keys, create=True)
        for period in periods:
            if period.state != 'draft':
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_period_closed',
                        period=period.rec_name,
                        state=period.state_string))
        with without_check_access():
            cls.write(periods, {'last_entry_at': now()})

    # The summary

    @classmethod
    def compute_lines(cls, periods):
        """Return the values of the lines of each period: the confirmed
        entries of its month by employee and weight group, one query a
        month whatever the number of halls"""
        pool = Pool()
        Employee = pool.get('company.employee')
        Entry = pool.get('hall.score.entry')
        Category = pool.get('hall.score.category')
        Rating = pool.get('hall.score.rating.result')
        entry = Entry.__table__()
        category = Category.__table__()
        cursor = Transaction().connection.cursor()

        sums = defaultdict(Decimal)
        by_month = defaultdict(list)
        for period in periods:
            by_month[period.month].append(period)
        for month, month_periods in by_month.items():
            for sub_halls in grouped_slice(
                    [p.hall.id for p in month_periods], IN_MAX):
                cursor.execute(*entry.join(category,
                        condition=entry.category == category.id
                        ).select(
                        entry.hall, entry.employee, category.weight_group,
                        Sum(entry.points),
                        where=entry.hall.in_(list(sub_halls))
                        & (entry.date >= month)
                        & (entry.date <= month_end(month))
                        & (entry.state == Literal('confirmed')),
                        group_by=[entry.hall, entry.employee,
                            category.weight_group]))
                for hall, employee, group, points in cursor:
                    # SQLite sums the numerics as floats
                    sums[hall, employee, group] += Decimal(
                        str(points or 0)).quantize(POINTS_EXP)

        halls = [p.hall.id for p in periods]
        employees = defaultdict(list)
        with without_check_access():
            for sub_halls in grouped_slice(halls, HALL_BATCH):
                for employee in Employee.search([
                            ('hall', 'in', list(sub_halls)),
                            ], order=[('id', 'ASC')]):
                    employees[employee.hall.id].append(employee)

        ratings = {}
        with without_check_access():
            for sub_periods in grouped_slice([p.id for p in periods], IN_MAX):
                for rating in Rating.search([
                            ('period', 'in', list(sub_periods)),
                            ]):
                    ratings[rating.period.id, rating.employee.id] = rating

        result = {}
        for period in periods:
            lines = []
            for employee in employees[period.hall.id]:
                rating = ratings.get((period.id, employee.id))
                base_score = period.base_score
                # A rated employee's base is her democratic rating
                if rating and rating.final_score is not None:
                    base_score = rating.final_score
                values = {
                    'employee': employee.id,
                    'post': employee.posts[0].id if employee.posts else None,
                    'rating': rating.id if rating else None,
                    'base_score': base_score,
                    }
                total = Decimal(0)
                for group, _ in WEIGHT_GROUPS:
                    points = sums.get(
                        (period.hall.id, employee.id, group), Decimal(0))
                    values[f'{group}_points'] = points
                    total += points
                values['total_points'] = total
                values['final_score'] = base_score + total
                # Below the last threshold (a score under 0) the least star
                values['stars'] = next(
                    (s for s, least in STARS
                        if values['final_score'] >= least), STARS[-1][0])
                lines.append(values)
            by_post = defaultdict(list)
            for values in lines:
                by_post[values['post']].append(values)
            for post_lines in by_post.values():
                post_lines.sort(key=lambda v: -v['final_score'])
                rank = 0
                previous = None
                for i, values in enumerate(post_lines, 1):
                    if values['final_score'] != previous:
                        rank = i
                        previous = values['final_score']
                    values['rank'] = rank
            result[period.id] = lines
        return result

    @classmethod
    @ModelView.button
    @Workflow.transition('summarized')
    def summarize(cls, periods):
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        Line = pool.get('hall.score.period.line')
        Rating = pool.get('hall.score.rating.result')
        # The state is written first: an entry confirmed at the same moment
        # conflicts with this transaction, never silently left out
        with without_check_access():
            cls.write(periods, {'state': 'summarized'})
            # The ballots close with the month's summary at the latest
            ratings = Rating.search([
                    ('period', 'in', [p.id for p in periods]),
                    ('state', '=', 'open'),
                    ])
        if ratings:
            Rating.close(ratings)
        lines = cls.compute_lines(periods)
        if periods:
            # One creation of all the lines and one write of the summaries,
            # whatever their number
            with without_check_access():
                Line.delete([l for p in periods for l in p.lines])
                for sub_values in grouped_slice([{**values, 'period': p.id}
                            for p in periods for values in lines[p.id]],
                        BATCH):
                    Line.create(list(sub_values))
                cls.write(periods, {
                        'summarized_by': acting_employee(),
                        'summarized_at': now(),
                        })
                Deadline.record_documents(periods)

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, periods):
        "Hand the summary to the marketing department's business supervisor"
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        with without_check_access():
            cls.write(periods, {
                    'submitted_by': acting_employee(),
                    'submitted_at': now(),
                    })
            for period in periods:
                if today > period.due_date + dt.timedelta(days=1):
                    cls.write([period], {'late': True})

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, periods):
        with without_check_access():
            cls.write(periods, {
                    'approved_by': Transaction().user,
                    'approved_at': now(),
                    })

    @classmethod
    @ModelView.button
    @Workflow.transition('locked')
    def lock(cls, periods):
        with without_check_access():
            cls.write(periods, {
                    'locked_by': Transaction().user,
                    'locked_at': now(),
                    })

    @classmethod
    @ModelView.button_action('hall_scoring.wizard_period_reopen')
    def reopen(cls, periods):
        pass

    @classmethod
    @ModelView.button
    def open_rating(cls, periods):
        "Open the democratic rating of the back-office posts (民主评分)"
        pool = Pool()
        Rating = pool.get('hall.score.rating.result')
        for period in periods:
            if period.state != 'draft':
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_period_closed',
                        period=period.rec_name,
                        state=period.state_string))
        Rating.open_(periods)

    @classmethod
    @Workflow.transition('draft')
    def draft(cls, periods):
        cls.write(periods, {
                'summarized_by': None,
                'summarized_at': None,
                'submitted_by': None,
                'submitted_at': None,
                })

    @classmethod
    def do_reopen(cls, periods, reason):
        "Reopen the summaries for the reason, recorded with who and when"
        pool = Pool()
        Reopening = pool.get('hall.score.period.reopening')
        if not in_hall_groups('group_director'):
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_period_reopen_director'))
        if not (reason or '').strip():
            raise ScoreError(gettext('hall_scoring.msg_period_reopen_reason'))
        for period in periods:
            if period.state not in {'summarized', 'submitted'}:
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_period_closed',
                        period=period.rec_name,
                        state=period.state_string))
        with without_check_access():
            Reopening.create([{
                        'period': p.id,
                        'reason': reason,
                        'reopened_by': acting_employee(),
                        'reopened_at': now(),
                        'from_state': p.state,
                        } for p in periods])
            cls.draft(periods)


class PeriodLine(HallModelMixin, ModelSQL, ModelView):
    "The score of an employee in a monthly summary"
    __name__ = 'hall.score.period.line'

    period = fields.Many2One(
        'hall.score.period', "Summary", required=True, ondelete='CASCADE',
        readonly=True)
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"), 'on_change_with_hall',
        searcher='search_hall')
    month = fields.Function(
        fields.Date("Month"), 'on_change_with_month', searcher='search_month')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, readonly=True,
        ondelete='RESTRICT')
    post = fields.Many2One(
        'hall.post', "Post", readonly=True, ondelete='RESTRICT')
    rating = fields.Many2One(
        'hall.score.rating.result', "Democratic Rating", readonly=True,
        ondelete='SET NULL')
    base_score = fields.Numeric(
        "Base Score", digits=POINTS_DIGITS, readonly=True,
        help="The summary's base score, or the final democratic rating "
        "of a rated employee.")
    service_points = fields.Numeric(
        "Service Manner", digits=POINTS_DIGITS, readonly=True)
    appearance_points = fields.Numeric(
        "Appearance", digits=POINTS_DIGITS, readonly=True)
    accuracy_points = fields.Numeric(
        "Business Accuracy", digits=POINTS_DIGITS, readonly=True)
    discipline_points = fields.Numeric(
        "Discipline", digits=POINTS_DIGITS, readonly=True)
    other_points = fields.Numeric(
        "Other", digits=POINTS_DIGITS, readonly=True)
    total_points = fields.Numeric(
        "Entries", digits=POINTS_DIGITS, readonly=True,
        help="The sum of the month's confirmed entries.")
    final_score = fields.Numeric(
        "Final Score", digits=POINTS_DIGITS, readonly=True,
        help="The base score and the month's entries.")
    rank = fields.Integer(
        "Rank", readonly=True, help="The rank within the post.")
    stars = fields.Integer("Stars", readonly=True)
    entries = fields.Function(fields.Many2Many(
            'hall.score.entry', None, None, "Entries",
            help="The confirmed entries of the month the score adds up."),
        'get_entries')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('period', 'ASC'), ('post', 'ASC'), ('rank', 'ASC'),
            ('id', 'ASC')]

    @fields.depends('period', '_parent_period.hall')
    def on_change_with_hall(self, name=None):
        return self.period.hall if self.period else None

    @classmethod
    def search_hall(cls, name, clause):
        return [('period.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('period', '_parent_period.month')
    def on_change_with_month(self, name=None):
        return self.period.month if self.period else None

    @classmethod
    def search_month(cls, name, clause):
        return [('period.' + clause[0],) + tuple(clause[1:])]

    @classmethod
    def get_entries(cls, lines, name):
        "The confirmed entries of each line, one search a summary"
        pool = Pool()
        Entry = pool.get('hall.score.entry')
        result = {l.id: [] for l in lines}
        by_period = defaultdict(dict)
        for line in lines:
            by_period[line.period][line.employee.id] = line.id
        with without_check_access():
            for period, employees in by_period.items():
                for sub_employees in grouped_slice(list(employees), IN_MAX):
                    for entry in Entry.search([
                                ('employee', 'in', list(sub_employees)),
                                ('hall', '=', period.hall.id),
                                ('date', '>=', period.month),
                                ('date', '<=', month_end(period.month)),
                                ('state', '=', 'confirmed'),
                                ], order=[('date', 'ASC'), ('id', 'ASC')]):
                        result[employees[entry.employee.id]].append(entry.id)
        return result

    def get_rec_name(self, name):
        return f'{self.period.rec_name} {self.employee.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]


class Reopening(HallModelMixin, ModelSQL, ModelView):
    "A reopening of a monthly summary by the director"
    __name__ = 'hall.score.period.reopening'

    period = fields.Many2One(
        'hall.score.period', "Summary", required=True, ondelete='CASCADE',
        readonly=True)
    reason = fields.Text("Reason", required=True, readonly=True)
    from_state = fields.Selection(
        STATES, "From State", readonly=True, sort=False)
    reopened_by = fields.Many2One(
        'company.employee', "Reopened by", readonly=True)
    reopened_at = fields.DateTime("Reopened at", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('period')
        cls._order = [('reopened_at', 'ASC'), ('id', 'ASC')]


class ReopenStart(ModelView):
    "Reopen a monthly score summary"
    __name__ = 'hall.score.period.reopen.start'

    reason = fields.Text(
        "Reason", required=True,
        help="Why the summary is reopened: recorded with it.")


class Reopen(Wizard):
    "Reopen a monthly score summary"
    __name__ = 'hall.score.period.reopen'

    start = StateView('hall.score.period.reopen.start',
        'hall_scoring.period_reopen_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reopen", 'reopen', 'tryton-ok', default=True),
            ])
    reopen = StateTransition()

    def transition_reopen(self):
        self.model.do_reopen(self.records, self.start.reason)
        return 'end'


class PeriodReport(CompanyReport):
    "The monthly score summary"
    __name__ = 'hall.score.period'


class PayrollSpreadsheet(CompanyReport):
    "The monthly scores for the payroll, one row an employee"
    __name__ = 'hall.score.period.payroll'
