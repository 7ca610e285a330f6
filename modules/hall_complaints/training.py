# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
"""The material of the training sessions: yesterday's answered questions
for the pre-shift meeting (班前会), the week's typical cases for the
business study."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall_duties.common import HallModelMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .exceptions import ComplaintError

# The days of typical cases a business study looks back on
STUDY_DAYS = 7


class TrainingSession(metaclass=PoolMeta):
    __name__ = 'hall.training.session'

    questions = fields.Many2Many(
        'hall.training.session-hall.question', 'session', 'question',
        "Questions",
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('state', '=', 'answered'),
            ],
        help="The answered hot and difficult questions the session goes "
        "through.")
    cases = fields.Many2Many(
        'hall.training.session-hall.complaint.case', 'session', 'case',
        "Cases",
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        help="The typical cases the session studies.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'fill_material': {
                    'depends': ['kind'],
                    },
                })

    @classmethod
    @ModelView.button
    def fill_material(cls, sessions):
        """Fill a pre-shift meeting with the answered questions of the last
        summary before its day, a study with the cases of the week before"""
        pool = Pool()
        Summary = pool.get('hall.question.summary')
        Case = pool.get('hall.complaint.case')
        to_write = []
        with without_check_access():
            for session in sessions:
                hall = session.plan.hall
                if session.kind == 'pre_shift':
                    summaries = Summary.search([
                            ('hall', '=', hall.id),
                            ('date', '<', session.date),
                            ], order=[('date', 'DESC')], limit=1)
                    if not summaries:
                        raise ComplaintError(gettext(
                                'hall_complaints.msg_session_no_summary',
                                session=session.rec_name))
                    summary, = summaries
                    questions = [
                        q.id for q in summary.questions
                        if q.state == 'answered']
                    to_write.extend([[session], {
                                'questions': [('add', questions)],
                                }])
                elif session.kind == 'study':
                    cases = Case.search([
                            ('hall', '=', hall.id),
                            ('date', '<', session.date),
                            ('date', '>=', session.date
                                - dt.timedelta(days=STUDY_DAYS)),
                            ])
                    to_write.extend([[session], {
                                'cases': [('add', [c.id for c in cases])],
                                }])
        if to_write:
            cls.write(*to_write)


class TrainingSessionQuestion(HallModelMixin, ModelSQL):
    "A question gone through in a training session"
    __name__ = 'hall.training.session-hall.question'
    __access__ = {'session'}

    session = fields.Many2One(
        'hall.training.session', "Session", required=True,
        ondelete='CASCADE')
    question = fields.Many2One(
        'hall.question', "Question", required=True, ondelete='CASCADE')


class TrainingSessionCase(HallModelMixin, ModelSQL):
    "A typical case studied in a training session"
    __name__ = 'hall.training.session-hall.complaint.case'
    __access__ = {'session'}

    session = fields.Many2One(
        'hall.training.session', "Session", required=True,
        ondelete='CASCADE')
    case = fields.Many2One(
        'hall.complaint.case', "Case", required=True, ondelete='CASCADE')
