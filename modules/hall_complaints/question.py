# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
"""The inquiries logged at the counter (咨询) and the difficult-questions
book (疑难问题汇总本): the hot and difficult questions of the day, answered
by the director or the group leader by the next pre-shift meeting and
readable by every post once answered."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.hall_duties.common import (
    acting_employee, in_hall_groups, is_own_employee)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Eval

from .complaint import now
from .exceptions import ComplaintError, ComplaintStateError

FLAGS = [
    (None, ""),
    ('hot', "Hot"),
    ('difficult', "Difficult"),
    ]


class Inquiry(HallDocumentMixin, ModelSQL, ModelView):
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

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Date = pool.get('ir.date')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['date'] = Date.today()
            values['employee'] = acting_employee()
        return values


class Question(Workflow, HallDocumentMixin, ModelSQL, ModelView):
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
        "The inquiries linked, and the first time it was raised"
        return {q.id: len(q.inquiries) + 1 for q in questions}

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Date = pool.get('ir.date')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['raised_on'] = Date.today()
            values['raised_by'] = acting_employee()
        return values

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
