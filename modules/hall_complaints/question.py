# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
"""The inquiries logged at the counter (咨询) and the difficult-questions
book (疑难问题汇总本): the hot and difficult questions of the day, answered
by the director or the group leader by the next pre-shift meeting and
readable by every post once answered."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall_duties.common import (
    acting_employee, in_hall_groups, is_own_employee)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.modules.company import CompanyReport
from trytond.transaction import without_check_access

from . import complaint as complaint_module
from .exceptions import ComplaintError, ComplaintStateError


def now():
    return complaint_module.now()


def tick(employee, date, code):
    """Tick the line of the task code of the employee's checklist of the
    date, done by what the employee did in this module"""
    pool = Pool()
    Line = pool.get('hall.checklist.line')
    if not employee:
        return []
    with without_check_access():
        lines = Line.search([
                ('checklist.employee', '=', int(employee)),
                ('checklist.date', '=', date),
                ('task.code', '=', code),
                ('done', '=', False),
                ])
        if lines:
            Line.write(lines, {
                    'done': True,
                    'done_at': now(),
                    'done_by': int(employee),
                    })
    return lines

FLAGS = [
    (None, ""),
    ('hot', "Hot"),
    ('difficult', "Difficult"),
    ]


class StampMixin:
    """Write on creation the server's date and the acting employee in the
    fields named by ``_stamp_fields``"""
    __slots__ = ()
    _stamp_fields = ()

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Date = pool.get('ir.date')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and cls._stamp_fields:
            date, employee = cls._stamp_fields
            values[date] = Date.today()
            values[employee] = acting_employee()
        return values


class Inquiry(StampMixin, HallDocumentMixin, ModelSQL, ModelView):
    "A customer's inquiry at the counter (咨询)"
    __name__ = 'hall.inquiry'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT')
    date = fields.Date("Date", readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", readonly=True,
        help="Who answered the customer.")
    topic = fields.Char("Topic", required=True)
    business_type = fields.Char(
        "Business Type", help="The business the customer asked about.")
    answered = fields.Boolean(
        "Answered", help="Whether the customer had the answer at once.")
    flag = fields.Selection(
        FLAGS, "Hot or Difficult", sort=False,
        help="A hot or difficult question goes to the difficult-questions "
        "book.")
    question = fields.Many2One(
        'hall.question', "Question", ondelete='SET NULL',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        help="The question of the book this inquiry asked again.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_answered(cls):
        return True

    # The day and the employee the server writes on creation
    _stamp_fields = ('date', 'employee')


class Question(StampMixin, Workflow, HallDocumentMixin, ModelSQL, ModelView):
    "A hot or difficult question (疑难问题)"
    __name__ = 'hall.question'
    _rec_name = 'question'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'open',
            })
    question = fields.Text(
        "Question", required=True,
        states={
            'readonly': Eval('state') != 'open',
            })
    kind = fields.Selection([
            ('hot', "Hot"),
            ('difficult', "Difficult"),
            ], "Kind", required=True,
        states={
            'readonly': Eval('state') != 'open',
            })
    raised_by = fields.Many2One(
        'company.employee', "Raised by", readonly=True)
    raised_on = fields.Date("Raised on", readonly=True)
    summary = fields.Many2One(
        'hall.question.summary', "Summary", readonly=True,
        ondelete='SET NULL',
        help="The 18:00 summary that handed the question to the duty "
        "manager.")
    inquiries = fields.One2Many(
        'hall.inquiry', 'question', "Inquiries", readonly=True)
    asked = fields.Function(
        fields.Integer("Times Asked"), 'get_asked')
    answer = fields.Text(
        "Answer",
        states={
            'readonly': Eval('state') != 'open',
            },
        help="The answer of the director or the group leader, for the "
        "next pre-shift meeting.")
    answered_by = fields.Many2One(
        'company.employee', "Answered by", readonly=True)
    answered_at = fields.DateTime("Answered at", readonly=True)
    state = fields.Selection([
            ('open', "Open"),
            ('answered', "Answered"),
            ], "State", readonly=True, required=True, sort=False)
    kind_string = kind.translated('kind')
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('raised_on', 'DESC'), ('id', 'DESC')]
        # Chinese has no spaces between words: PostgreSQL's full-text search
        # sees a sentence as one word, so the book is searched by substring
        cls.question.search_full_text = False
        cls.answer.search_full_text = False
        cls._transitions |= {('open', 'answered')}
        cls._buttons.update({
                'do_answer': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_kind(cls):
        return 'difficult'

    @classmethod
    def get_asked(cls, questions, name):
        "The inquiries linked; raised without inquiry, asked once"
        return {q.id: len(q.inquiries) or 1 for q in questions}

    # The day and the employee the server writes on creation
    _stamp_fields = ('raised_on', 'raised_by')

    @classmethod
    def check_modification(
            cls, mode, questions, values=None, external=False):
        super().check_modification(
            mode, questions, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            leader = in_hall_groups('group_group_leader', 'group_director')
            for question in questions:
                if not leader and not is_own_employee(question.raised_by):
                    raise ComplaintStateError(gettext(
                            'hall_complaints.msg_question_not_own',
                            question=question.rec_name,
                            employee=question.raised_by.rec_name
                            if question.raised_by else ''))
                if question.state != 'open':
                    raise ComplaintStateError(gettext(
                            'hall_complaints.msg_question_answered',
                            question=question.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('answered')
    def do_answer(cls, questions):
        for question in questions:
            if not (question.answer or '').strip():
                raise ComplaintError(gettext(
                        'hall_complaints.msg_question_no_answer',
                        question=question.rec_name))
        cls.write(questions, {
                'answered_by': acting_employee(),
                'answered_at': now(),
                })


class Summary(StampMixin, Workflow, HallDocumentMixin, ModelSQL, ModelView):
    "The 18:00 summary of the day's hot and difficult questions (汇总)"
    __name__ = 'hall.question.summary'

    _draft = Eval('state') == 'draft'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    date = fields.Date("Date", readonly=True)
    collector = fields.Many2One(
        'company.employee', "Collector", required=True,
        ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states={
            'readonly': ~_draft,
            },
        help="Who collects the day's questions, assigned at 17:30.")
    assigned_by = fields.Many2One(
        'company.employee', "Assigned by", readonly=True)
    duty_manager = fields.Many2One(
        'company.employee', "Duty Manager", ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states={
            'readonly': ~_draft,
            },
        help="Who receives the summary.")
    questions = fields.One2Many(
        'hall.question', 'summary', "Questions", readonly=True)
    inquiry_count = fields.Function(
        fields.Integer("Inquiries"), 'get_counts')
    hot_count = fields.Function(fields.Integer("Hot"), 'get_counts')
    difficult_count = fields.Function(
        fields.Integer("Difficult"), 'get_counts')
    note = fields.Text(
        "Note",
        states={
            'readonly': ~_draft,
            })
    handed_by = fields.Many2One(
        'company.employee', "Handed by", readonly=True)
    handed_at = fields.DateTime("Handed at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('handed', "Handed"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_date_unique', Unique(t, t.hall, t.date),
                'hall_complaints.msg_summary_hall_date_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'handed')}
        cls._buttons.update({
                'gather': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'hand': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_rec_name(self, name):
        return f'{self.hall.rec_name} {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('hall.rec_name',) + tuple(clause[1:])]

    @classmethod
    def get_counts(cls, summaries, names):
        result = {n: {s.id: 0 for s in summaries} for n in names}
        for summary in summaries:
            for question in summary.questions:
                if 'inquiry_count' in names:
                    result['inquiry_count'][summary.id] += question.asked
                name = f'{question.kind}_count'
                if name in names:
                    result[name][summary.id] += 1
        return result

    # The day and the employee the server writes on creation
    _stamp_fields = ('date', 'assigned_by')

    @classmethod
    def create(cls, vlist):
        summaries = super().create(vlist)
        for summary in summaries:
            # The 17:30 assignment of who collects is the director's task
            tick(summary.assigned_by, summary.date, 'di_assign')
            tick(summary.assigned_by, summary.date, 'gl_hot')
        return summaries

    @classmethod
    def copy(cls, summaries, default=None):
        if summaries:
            raise ComplaintError(gettext(
                    'hall_complaints.msg_summary_copy',
                    summary=summaries[0].rec_name))
        return super().copy(summaries, default=default)

    @classmethod
    def check_modification(
            cls, mode, summaries, values=None, external=False):
        super().check_modification(
            mode, summaries, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for summary in summaries:
                if summary.state != 'draft':
                    raise ComplaintStateError(gettext(
                            'hall_complaints.msg_summary_handed',
                            summary=summary.rec_name))
            cls.check_collector(summaries)

    @classmethod
    def check_collector(cls, summaries):
        "Only the collector, the group leader and the director act on it"
        if in_hall_groups('group_group_leader', 'group_director'):
            return
        for summary in summaries:
            if not is_own_employee(summary.collector):
                raise ComplaintError(gettext(
                        'hall_complaints.msg_summary_not_collector',
                        summary=summary.rec_name,
                        collector=summary.collector.rec_name))

    @classmethod
    @ModelView.button
    def gather(cls, summaries):
        """Gather the day's hot and difficult inquiries of the hall into
        questions of the book, one a topic, and the questions raised that
        day"""
        pool = Pool()
        Inquiry = pool.get('hall.inquiry')
        Question = pool.get('hall.question')
        cls.check_collector(summaries)
        for summary in summaries:
            if summary.state != 'draft':
                raise ComplaintStateError(gettext(
                        'hall_complaints.msg_summary_handed',
                        summary=summary.rec_name))
        with without_check_access():
            for summary in summaries:
                inquiries = Inquiry.search([
                        ('hall', '=', summary.hall.id),
                        ('date', '=', summary.date),
                        ('flag', '!=', None),
                        ], order=[('id', 'ASC')])
                by_topic = defaultdict(list)
                linked = []
                for inquiry in inquiries:
                    if inquiry.question:
                        linked.append(inquiry.question)
                    else:
                        key = ' '.join(inquiry.topic.split()).lower()
                        by_topic[key].append(inquiry)
                new = []
                for topic_inquiries in by_topic.values():
                    first = topic_inquiries[0]
                    kind = ('difficult'
                        if any(i.flag == 'difficult'
                            for i in topic_inquiries) else 'hot')
                    new.append(Question(
                            hall=summary.hall, question=first.topic,
                            kind=kind, summary=summary))
                Question.save(new)
                to_write = []
                for question, topic_inquiries in zip(
                        new, by_topic.values()):
                    to_write.extend([[question], {
                                'raised_by': (topic_inquiries[0].employee.id
                                    if topic_inquiries[0].employee
                                    else None),
                                'raised_on': summary.date,
                                }])
                    Inquiry.write(topic_inquiries, {'question': question.id})
                if to_write:
                    Question.write(*to_write)
                raised = Question.search([
                        ('hall', '=', summary.hall.id),
                        ('raised_on', '=', summary.date),
                        ('summary', '=', None),
                        ])
                others = {q for q in linked + raised if not q.summary}
                if others:
                    Question.write(list(others), {'summary': summary.id})

    @classmethod
    @ModelView.button
    @Workflow.transition('handed')
    def hand(cls, summaries):
        "Hand the summary to the duty manager, who is told"
        pool = Pool()
        Complaint = pool.get('hall.complaint')
        cls.check_collector(summaries)
        for summary in summaries:
            if not summary.duty_manager:
                raise ComplaintError(gettext(
                        'hall_complaints.msg_summary_no_duty_manager',
                        summary=summary.rec_name))
        employee = acting_employee()
        cls.write(summaries, {
                'handed_by': employee,
                'handed_at': now(),
                })
        Complaint.notify(
            summaries, {s.id: [s.duty_manager] for s in summaries},
            'hall_complaints.msg_summary_handed_notification',
            lambda s: '；'.join(q.question for q in s.questions),
            model=cls.__name__)
        for summary in summaries:
            tick(summary.collector, summary.date, 'co_summary')


class SummaryReport(CompanyReport):
    "The 18:00 summary of the hot and difficult questions"
    __name__ = 'hall.question.summary'


class Case(StampMixin, HallDocumentMixin, ModelSQL, ModelView):
    "A typical case collected by the group leader (典型案例)"
    __name__ = 'hall.complaint.case'
    _rec_name = 'title'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    date = fields.Date("Date", readonly=True)
    recorded_by = fields.Many2One(
        'company.employee', "Recorded by", readonly=True)
    title = fields.Char("Title", required=True, strip=True)
    complaint = fields.Many2One(
        'hall.complaint', "Complaint", ondelete='SET NULL',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        help="The complaint the case comes from, if any.")
    description = fields.Text("What Happened", required=True)
    lesson = fields.Text(
        "Lesson", required=True,
        help="What the staff should learn from it, for the study.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        for name in ['title', 'description', 'lesson']:
            getattr(cls, name).search_full_text = False

    # The day and the employee the server writes on creation
    _stamp_fields = ('date', 'recorded_by')

    @classmethod
    def create(cls, vlist):
        cases = super().create(vlist)
        keys = {(c.recorded_by, c.hall, c.date) for c in cases
            if c.recorded_by}
        for employee, hall, date in keys:
            # 每日收集2条典型案例: the second case of the day ticks the task
            with without_check_access():
                count = cls.search_count([
                        ('recorded_by', '=', employee.id),
                        ('hall', '=', hall.id),
                        ('date', '=', date),
                        ])
            if count >= 2:
                tick(employee, date, 'gl_cases')
        return cases

    @classmethod
    def check_modification(cls, mode, cases, values=None, external=False):
        super().check_modification(
            mode, cases, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            if in_hall_groups('group_director'):
                return
            for case in cases:
                if not is_own_employee(case.recorded_by):
                    raise ComplaintStateError(gettext(
                            'hall_complaints.msg_case_not_own',
                            case=case.rec_name,
                            employee=case.recorded_by.rec_name
                            if case.recorded_by else ''))
