# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
"""The weekly complaint analysis (投诉分析报表) of the group leader and the
quality post's weekly complaint and inquiry statistics: counts by category,
channel and complexity, the on-time rate, the escalated and forwarded
complaints of a hall's week, with the graphs over the weeks."""
import datetime as dt
from collections import defaultdict

from sql import Cast, Literal, Null
from sql.aggregate import Count, Min
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups)
from trytond.modules.hall_duties.hall import DueDocumentMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.modules.company import CompanyReport
from trytond.transaction import Transaction, without_check_access

from . import complaint as complaint_module
from .complaint import UNANSWERED
from .exceptions import (
    ComplaintError, ComplaintStateError, ComplaintValidationError)

KINDS = [
    ('analysis', "Complaint Analysis"),
    ('statistics', "Complaint and Inquiry Statistics"),
    ]
# The kind of document: the task it proves, the groups who make it
KIND_TASKS = {
    'analysis': 'gl_analysis',
    'statistics': 'qa_complaints',
    }
KIND_GROUPS = {
    'analysis': ('group_group_leader', 'group_director'),
    'statistics': ('group_quality', 'group_director'),
    }
DIMENSIONS = [
    ('category', "Category"),
    ('channel', "Channel"),
    ('complexity', "Complexity"),
    ]
COUNTS = [
    'complaint_count', 'on_time_count', 'late_count', 'overdue_count',
    'pending_count', 'escalated_count', 'forwarded_count', 'inquiry_count',
    'flagged_count', 'question_count', 'answered_question_count']


def now():
    return complaint_module.now()


class Task(metaclass=PoolMeta):
    __name__ = 'hall.task'

    @classmethod
    def _document_models(cls):
        return super()._document_models() + ['hall.complaint.analysis']


class Analysis(DueDocumentMixin, Workflow, ModelSQL, ModelView):
    "The weekly complaint analysis or statistics of a hall"
    __name__ = 'hall.complaint.analysis'

    _draft = Eval('state') == 'draft'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    kind = fields.Selection(
        KINDS, "Kind", required=True, sort=False,
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="The group leader's analysis or the quality post's "
        "statistics.")
    kind_string = kind.translated('kind')
    week = fields.Date(
        "Week", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="The Monday of the week analysed.")
    week_end = fields.Function(
        fields.Date("Week End"), 'on_change_with_week_end')
    made_by = fields.Many2One(
        'company.employee', "Made by", readonly=True)
    complaint_count = fields.Integer("Complaints", readonly=True)
    on_time_count = fields.Integer(
        "Answered on Time", readonly=True)
    late_count = fields.Integer("Answered Late", readonly=True)
    overdue_count = fields.Integer(
        "Overdue", readonly=True,
        help="Unanswered past their deadline when the figures were "
        "computed.")
    pending_count = fields.Integer(
        "Not Yet Due", readonly=True,
        help="Unanswered but still within their deadline: not in the "
        "on-time rate.")
    on_time_rate = fields.Float(
        "On-Time Rate (%)", digits=(5, 1), readonly=True,
        help="Answered on time out of the answered and the overdue "
        "complaints.")
    escalated_count = fields.Integer("Escalated", readonly=True)
    forwarded_count = fields.Integer("Forwarded", readonly=True)
    inquiry_count = fields.Integer("Inquiries", readonly=True)
    flagged_count = fields.Integer(
        "Hot and Difficult Inquiries", readonly=True)
    question_count = fields.Integer("Questions Raised", readonly=True)
    answered_question_count = fields.Integer(
        "Questions Answered", readonly=True)
    computed_at = fields.DateTime("Computed at", readonly=True)
    lines = fields.One2Many(
        'hall.complaint.analysis.line', 'analysis', "Counts", readonly=True)
    findings = fields.Text(
        "Hot Spots",
        states={
            'readonly': ~_draft,
            'required': (Eval('kind') == 'analysis') & ~_draft,
            },
        help="The week's hot spots and what caused them.")
    measures = fields.Text(
        "Measures",
        states={
            'readonly': ~_draft,
            },
        help="What the hall does about them.")
    done_by = fields.Many2One(
        'company.employee', "Done by", readonly=True)
    done_at = fields.DateTime("Done at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_week_kind_unique', Unique(t, t.hall, t.week, t.kind),
                'hall_complaints.msg_analysis_unique'),
            ]
        cls._order = [('week', 'DESC'), ('hall', 'ASC'), ('id', 'DESC')]
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
    def default_kind(cls):
        if (in_hall_groups('group_quality')
                and not in_hall_groups('group_group_leader')):
            return 'statistics'
        return 'analysis'

    @classmethod
    def default_week(cls):
        "Last week"
        today = Pool().get('ir.date').today()
        return today - dt.timedelta(days=today.weekday() + 7)

    @fields.depends('week')
    def on_change_with_week_end(self, name=None):
        if self.week:
            return self.week + dt.timedelta(days=6)

    @property
    def deadline_task_code(self):
        return KIND_TASKS.get(self.kind)

    @classmethod
    def get_due_date(cls, analyses, name):
        pool = Pool()
        Task = pool.get('hall.task')
        with without_check_access():
            tasks = Task.tasks_of_halls({a.hall for a in analyses})
        return {a.id: a._due_date(a._task(tasks)) for a in analyses}

    @fields.depends('hall', 'kind', 'week')
    def on_change_with_due_date(self, name=None):
        pool = Pool()
        Task = pool.get('hall.task')
        if self.hall and self.week:
            with without_check_access():
                tasks = Task.tasks_of_halls([self.hall])
            return self._due_date(self._task(tasks))

    def _task(self, tasks):
        code = self.deadline_task_code
        return next((
                t for t in tasks.get(self.hall.id, [])
                if t.kind == 'deadline' and t.code == code), None)

    def _due_date(self, task):
        "The first day of the task after the week, by default the Monday"
        if not self.week:
            return
        start = self.week + dt.timedelta(days=7)
        date = None
        if task:
            date = task.first_occurrence(
                start, start + dt.timedelta(days=6))
        return date or start

    def get_rec_name(self, name):
        return f'{self.hall.rec_name} {self.week} {self.kind_string}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('hall.rec_name',) + tuple(clause[1:])]

    @classmethod
    def deadline_documents(cls, keys):
        "The done analyses of each (hall id, due date) key"
        result = defaultdict(list)
        halls = list({k[0] for k in keys})
        with without_check_access():
            analyses = cls.search([
                    ('hall', 'in', halls),
                    ('state', '=', 'done'),
                    ])
        for analysis in analyses:
            key = (analysis.hall.id, analysis.due_date)
            if key in keys:
                result[key].append(analysis)
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['made_by'] = acting_employee()
        return values

    @classmethod
    def validate_fields(cls, analyses, field_names):
        super().validate_fields(analyses, field_names)
        if field_names & {'week'}:
            for analysis in analyses:
                if analysis.week.weekday() != 0:
                    raise ComplaintValidationError(gettext(
                            'hall_complaints.msg_analysis_week_monday',
                            analysis=analysis.rec_name))

    @classmethod
    def check_modification(
            cls, mode, analyses, values=None, external=False):
        super().check_modification(
            mode, analyses, values=values, external=external)
        if external:
            cls.check_kind(analyses)
            if mode in {'write', 'delete'}:
                for analysis in analyses:
                    if analysis.state != 'draft':
                        raise ComplaintStateError(gettext(
                                'hall_complaints.msg_analysis_done',
                                analysis=analysis.rec_name))

    @classmethod
    def check_kind(cls, analyses):
        "The analysis is the group leader's, the statistics quality's"
        for analysis in analyses:
            if not in_hall_groups(*KIND_GROUPS[analysis.kind]):
                raise ComplaintStateError(gettext(
                        'hall_complaints.msg_analysis_kind',
                        analysis=analysis.rec_name,
                        kind=analysis.kind_string))

    @classmethod
    def copy(cls, analyses, default=None):
        if analyses:
            raise ComplaintError(gettext(
                    'hall_complaints.msg_analysis_copy',
                    analysis=analyses[0].rec_name))
        return super().copy(analyses, default=default)

    def week_bounds(self):
        "The naive UTC datetimes the week starts and ends at"
        zone = complaint_module.company_timezone(self.hall.company)
        start = dt.datetime.combine(self.week, dt.time())
        end = start + dt.timedelta(days=7)
        return (complaint_module.to_utc(start, zone),
            complaint_module.to_utc(end, zone))

    def compute_figures(self, date_time):
        """Return the values of the figures of the week at the date time,
        its lines included"""
        pool = Pool()
        Complaint = pool.get('hall.complaint')
        Forward = pool.get('hall.complaint.forward')
        Inquiry = pool.get('hall.inquiry')
        Question = pool.get('hall.question')
        complaint = Complaint.__table__()
        forward = Forward.__table__()
        inquiry = Inquiry.__table__()
        question = Question.__table__()
        cursor = Transaction().connection.cursor()

        values = dict.fromkeys(COUNTS, 0)
        lines = defaultdict(lambda: {'count': 0, 'late_count': 0})
        in_week = (complaint.hall == self.hall.id) & (
            complaint.week == self.week)
        cursor.execute(*complaint.select(
                complaint.category, complaint.channel, complaint.complexity,
                complaint.state, complaint.answered_late, complaint.deadline,
                complaint.escalated_at, Count(complaint.id),
                where=in_week,
                group_by=[
                    complaint.category, complaint.channel,
                    complaint.complexity, complaint.state,
                    complaint.answered_late, complaint.deadline,
                    complaint.escalated_at]))
        for (category, channel, complexity, state, answered_late,
                deadline, escalated_at, count) in cursor:
            values['complaint_count'] += count
            late = False
            if state in UNANSWERED:
                if deadline and deadline < date_time:
                    values['overdue_count'] += count
                    late = True
                else:
                    values['pending_count'] += count
            elif answered_late:
                values['late_count'] += count
                late = True
            else:
                values['on_time_count'] += count
            if escalated_at:
                values['escalated_count'] += count
            for dimension, key in [
                    ('category', str(category)),
                    ('channel', channel),
                    ('complexity', complexity)]:
                line = lines[dimension, key]
                line['count'] += count
                if late:
                    line['late_count'] += count

        cursor.execute(*forward.join(complaint,
                condition=forward.complaint == complaint.id
                ).select(Count(forward.complaint, distinct=True),
                where=in_week))
        values['forwarded_count'] = cursor.fetchone()[0] or 0

        cursor.execute(*inquiry.select(
                Count(inquiry.id), Count(inquiry.flag),
                where=(inquiry.hall == self.hall.id)
                & (inquiry.date >= self.week)
                & (inquiry.date <= self.on_change_with_week_end())))
        total, flagged = cursor.fetchone()
        values['inquiry_count'] = total or 0
        values['flagged_count'] = flagged or 0

        cursor.execute(*question.select(
                Count(question.id), Count(question.answered_at),
                where=(question.hall == self.hall.id)
                & (question.raised_on >= self.week)
                & (question.raised_on <= self.on_change_with_week_end())))
        total, answered = cursor.fetchone()
        values['question_count'] = total or 0
        values['answered_question_count'] = answered or 0

        rated = (values['on_time_count'] + values['late_count']
            + values['overdue_count'])
        values['on_time_rate'] = (
            round(100.0 * values['on_time_count'] / rated, 1)
            if rated else None)
        order = {d: i for i, (d, _) in enumerate(DIMENSIONS)}
        values['lines'] = [('delete', [l.id for l in self.lines])] + [
            ('create', [{
                        'dimension': dimension,
                        'key': key,
                        'category': int(key) if dimension == 'category'
                        else None,
                        'count': line['count'],
                        'late_count': line['late_count'],
                        } for (dimension, key), line in sorted(
                        lines.items(),
                        key=lambda i: (order[i[0][0]], -i[1]['count'],
                            i[0][1]))])]
        values['computed_at'] = date_time
        return values

    @classmethod
    @ModelView.button
    def compute(cls, analyses):
        "Count the week's figures from the complaints and inquiries"
        cls.check_kind(analyses)
        date_time = now()
        to_write = []
        for analysis in analyses:
            if analysis.state != 'draft':
                raise ComplaintStateError(gettext(
                        'hall_complaints.msg_analysis_done',
                        analysis=analysis.rec_name))
            to_write.extend([[analysis], analysis.compute_figures(date_time)])
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, analyses):
        """Hand in the analysis with its figures as they are now: the
        deadline of its task is proved, late after its due date"""
        pool = Pool()
        Date = pool.get('ir.date')
        Deadline = pool.get('hall.deadline')
        cls.compute(analyses)
        for analysis in analyses:
            if analysis.kind == 'analysis' and not (
                    analysis.findings or '').strip():
                raise ComplaintError(gettext(
                        'hall_complaints.msg_analysis_no_findings',
                        analysis=analysis.rec_name))
        today = Date.today()
        to_write = []
        for analysis in analyses:
            to_write.extend([[analysis], {
                        'done_by': acting_employee(),
                        'done_at': now(),
                        'late': bool(today > analysis.due_date),
                        }])
        if to_write:
            cls.write(*to_write)
        with without_check_access():
            Deadline.record_documents(analyses)


class AnalysisLine(HallModelMixin, ModelSQL, ModelView):
    "A count of a week's complaints by category, channel or complexity"
    __name__ = 'hall.complaint.analysis.line'
    __access__ = {'analysis'}
    _rec_name = 'key'

    analysis = fields.Many2One(
        'hall.complaint.analysis', "Analysis", required=True,
        ondelete='CASCADE', readonly=True)
    dimension = fields.Selection(
        DIMENSIONS, "By", required=True, readonly=True, sort=False)
    dimension_string = dimension.translated('dimension')
    key = fields.Char("Key", readonly=True)
    category = fields.Many2One(
        'hall.complaint.category', "Category", readonly=True,
        ondelete='RESTRICT')
    name = fields.Function(fields.Char("Name"), 'get_name')
    count = fields.Integer("Complaints", readonly=True)
    late_count = fields.Integer(
        "Late or Overdue", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('analysis', 'ASC'), ('id', 'ASC')]

    @classmethod
    def get_name(cls, lines, name):
        pool = Pool()
        Complaint = pool.get('hall.complaint')
        selections = {
            n: dict(Complaint.fields_get([n])[n]['selection'])
            for n in ['channel', 'complexity']}
        result = {}
        for line in lines:
            if line.dimension == 'category':
                result[line.id] = (
                    line.category.rec_name if line.category else '')
            else:
                result[line.id] = selections[line.dimension].get(
                    line.key, line.key)
        return result

    def get_rec_name(self, name):
        return self.name


class StatMixin(ModelSQL, ModelView):
    __slots__ = ()

    hall = fields.Many2One('hall.hall', "Hall", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    week = fields.Date("Week", readonly=True)
    complaint_count = fields.Integer("Complaints", readonly=True)
    late_count = fields.Integer("Late or Overdue", readonly=True)

    @classmethod
    def _tables(cls):
        pool = Pool()
        Complaint = pool.get('hall.complaint')
        Hall = pool.get('hall.hall')
        complaint = Complaint.__table__()
        hall = Hall.__table__()
        return complaint, hall, complaint.join(
            hall, condition=complaint.hall == hall.id)

    @classmethod
    def _late(cls, complaint):
        return Count(complaint.id, filter_=(
                (complaint.answered_late == Literal(True))
                | ((complaint.overdue == Literal(True))
                    & complaint.state.in_(UNANSWERED))))


class StatCategory(StatMixin):
    "The complaints of a hall's week by category"
    __name__ = 'hall.complaint.stat.category'

    category = fields.Many2One(
        'hall.complaint.category', "Category", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('week', 'DESC'), ('hall', 'ASC'), ('category', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        complaint, hall, from_ = cls._tables()
        return from_.select(
            Min(complaint.id).as_('id'),
            complaint.hall.as_('hall'),
            hall.company.as_('company'),
            complaint.week.as_('week'),
            complaint.category.as_('category'),
            Count(complaint.id).as_('complaint_count'),
            cls._late(complaint).as_('late_count'),
            where=complaint.week != Null,
            group_by=[complaint.hall, hall.company, complaint.week,
                complaint.category])


class StatWeek(StatMixin):
    "The complaints of a hall's week and how many were answered on time"
    __name__ = 'hall.complaint.stat.week'

    on_time_count = fields.Integer("Answered on Time", readonly=True)
    on_time_percent = fields.Float(
        "On-Time Rate (%)", digits=(5, 1), readonly=True,
        help="Answered on time out of the answered and the overdue "
        "complaints of the week.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('week', 'DESC'), ('hall', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        complaint, hall, from_ = cls._tables()
        answered = ~complaint.state.in_(UNANSWERED)
        on_time = Count(complaint.id, filter_=(
                answered & (complaint.answered_late != Literal(True))))
        rated = Count(complaint.id, filter_=(
                answered | (complaint.overdue == Literal(True))))
        return from_.select(
            Min(complaint.id).as_('id'),
            complaint.hall.as_('hall'),
            hall.company.as_('company'),
            complaint.week.as_('week'),
            Count(complaint.id).as_('complaint_count'),
            cls._late(complaint).as_('late_count'),
            on_time.as_('on_time_count'),
            Case((rated > 0,
                    Cast(on_time, cls.on_time_percent.sql_type().base)
                    * Literal(100.0) / rated),
                else_=Null).as_('on_time_percent'),
            where=complaint.week != Null,
            group_by=[complaint.hall, hall.company, complaint.week])


class AnalysisReport(CompanyReport):
    "The weekly complaint analysis"
    __name__ = 'hall.complaint.analysis'


class AnalysisSpreadsheet(CompanyReport):
    "The weekly complaint analysis as a spreadsheet"
    __name__ = 'hall.complaint.analysis.ods'


class ComplaintFile(CompanyReport):
    """The complaints by category, the unresolved ones with their forwarding
    record (投诉分类)"""
    __name__ = 'hall.complaint.file'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        groups = defaultdict(list)
        for record in records:
            groups[record.category].append(record)
        context['groups'] = sorted(
            groups.items(),
            key=lambda i: (i[0].sequence or 0, i[0].code) if i[0] else (0,))
        context['hall_names'] = ', '.join(
            sorted({r.hall.rec_name for r in records}))
        context['open_states'] = {'open', 'waiting', 'answered'}
        return context
