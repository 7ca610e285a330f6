# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The democratic rating (民主评分) of the back-office posts: each front
post employee rates each of them once a month, the director scores them
too and each enters a self-score, kept for comparison only.

Who gave which ballot is known to nobody:

- a ballot (``hall.score.rating``) holds the result it counts in and its
  score, never its rater: it is created by the root user, with the first
  day of the month as its creation date, and no group may read, search or
  export ballots;
- who has voted is a separate record (``hall.score.rating.voter``), made
  when the rating opens, which the rater sees for herself and the director
  for the hall; casting turns it from pending to cast once, and nothing
  links it to the ballot;
- neither is logged (``ir.model.log``);
- the peer average and count are computed when the rating closes, at the
  month's end, never before, and the average is withheld when fewer
  ballots than the minimum were cast (a few ballots would tell their
  raters): the director's score alone then counts."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sql import Literal
from sql.aggregate import Count, Sum

from trytond.i18n import gettext
from trytond.model import (
    ModelSingleton, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ScoreStateError, ScoreValidationError
from .score import POINTS_DIGITS

SCORE_DIGITS = (4, 1)
SCORE_MAX = Decimal(100)
SCORE_EXP = Decimal('0.1')
# The kinds of post that rate and that are rated
RATER_KIND = 'front'
RATED_KIND = 'back'


def _check_score(score):
    if (score is None or isinstance(score, bool)
            or not isinstance(score, (int, Decimal))
            or not (0 <= score <= SCORE_MAX)):
        raise ScoreValidationError(gettext(
                'hall_scoring.msg_rating_score_range', maximum=SCORE_MAX))
    return Decimal(score).quantize(SCORE_EXP)


class Configuration(HallModelMixin, ModelSingleton, ModelSQL, ModelView):
    "Assessment Configuration"
    __name__ = 'hall.score.configuration'

    peer_weight = fields.Numeric(
        "Peer Weight", digits=(3, 2), required=True,
        domain=[
            ('peer_weight', '>=', 0),
            ('peer_weight', '<=', 1),
            ],
        help="The part of the peer average in the final rating; the "
        "director's score makes the rest.")
    min_ballots = fields.Integer(
        "Minimum Ballots", required=True,
        domain=[
            ('min_ballots', '>=', 1),
            ('min_ballots', '<=', 100),
            ],
        help="With fewer ballots the peer average is withheld, as a few "
        "ballots would tell who gave them: the director's score alone "
        "counts.")

    @classmethod
    def default_peer_weight(cls):
        return Decimal('0.70')

    @classmethod
    def default_min_ballots(cls):
        return 3


class Result(Workflow, HallModelMixin, ModelSQL, ModelView):
    "The democratic rating of an employee for a month (民主评分)"
    __name__ = 'hall.score.rating.result'

    period = fields.Many2One(
        'hall.score.period', "Summary", required=True, readonly=True,
        ondelete='CASCADE')
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, readonly=True,
        ondelete='RESTRICT')
    month = fields.Date("Month", required=True, readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, readonly=True,
        ondelete='RESTRICT', help="The employee rated.")
    self_score = fields.Numeric(
        "Self-Score", digits=SCORE_DIGITS, readonly=True,
        help="The employee's own score: shown for comparison, never "
        "counted.")
    director_score = fields.Numeric(
        "Director's Score", digits=SCORE_DIGITS, readonly=True)
    peer_count = fields.Integer(
        "Ballots", readonly=True,
        help="The ballots cast, counted when the rating closes.")
    peer_average = fields.Numeric(
        "Peer Average", digits=SCORE_DIGITS, readonly=True,
        help="The average of the ballots, computed when the rating closes; "
        "withheld below the minimum of ballots.")
    final_score = fields.Numeric(
        "Final Rating", digits=SCORE_DIGITS, readonly=True,
        help="The peer average and the director's score weighed by the "
        "configuration, computed when the rating closes.")
    gap = fields.Function(fields.Numeric(
            "Self-Score Gap", digits=POINTS_DIGITS,
            help="The self-score less the final rating."),
        'get_gap')
    voters = fields.Function(fields.Integer(
            "Raters", help="The employees who may rate."), 'get_progress')
    voted = fields.Function(fields.Integer(
            "Voted", help="The raters who have voted so far."),
        'get_progress')
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('period_employee_unique', Unique(t, t.period, t.employee),
                'hall_scoring.msg_rating_result_unique'),
            ]
        cls._order = [
            ('month', 'DESC'), ('hall', 'ASC'), ('employee', 'ASC'),
            ('id', 'ASC')]
        cls._transitions |= {('open', 'closed')}
        cls._buttons.update({
                'enter_score': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    def get_rec_name(self, name):
        return (f'{self.employee.rec_name} '
            f'{self.month.strftime("%Y-%m") if self.month else ""}')

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    def get_gap(self, name):
        if self.self_score is not None and self.final_score is not None:
            return self.self_score - self.final_score

    @classmethod
    def get_progress(cls, results, names):
        pool = Pool()
        Voter = pool.get('hall.score.rating.voter')
        voter = Voter.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {r.id: 0 for r in results} for n in names}
        for sub_ids in grouped_slice([r.id for r in results]):
            cursor.execute(*voter.select(
                    voter.result, Count(voter.id),
                    Count(voter.id, filter_=voter.state == 'cast'),
                    where=voter.result.in_(list(sub_ids)),
                    group_by=[voter.result]))
            for id_, voters, voted in cursor:
                if 'voters' in names:
                    result['voters'][id_] = voters
                if 'voted' in names:
                    result['voted'][id_] = voted
        return result

    @classmethod
    def check_modification(cls, mode, results, values=None, external=False):
        super().check_modification(
            mode, results, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            for result in results:
                if result.state != 'open':
                    raise ScoreStateError(gettext(
                            'hall_scoring.msg_rating_closed',
                            result=result.rec_name))

    @classmethod
    def open_(cls, periods):
        """Open the rating of the periods: a result for each employee of a
        back-office post of the hall, a pending vote for each employee of
        a front post but the rated one herself"""
        pool = Pool()
        Employee = pool.get('company.employee')
        Voter = pool.get('hall.score.rating.voter')
        Date = pool.get('ir.date')
        today = Date.today()
        with without_check_access():
            existing = cls.search([('period', 'in', [p.id for p in periods])])
            voters = Voter.search([
                    ('result', 'in', [r.id for r in existing]),
                    ])
        have = {(r.period.id, r.employee.id): r for r in existing}
        voted = {(v.result.id, v.rater.id) for v in voters}
        to_create = []
        for period in periods:
            if period.month_end < today:
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_rating_month_ended',
                        period=period.rec_name))
            with without_check_access():
                staff = Employee.search([('hall', '=', period.hall.id)])
            for employee in staff:
                if (RATED_KIND in {p.kind for p in employee.posts}
                        and (period.id, employee.id) not in have):
                    to_create.append({
                            'period': period.id,
                            'hall': period.hall.id,
                            'month': period.month,
                            'employee': employee.id,
                            })
        with without_check_access():
            results = existing + cls.create(to_create)
            to_vote = []
            for result in results:
                if result.state != 'open':
                    continue
                with without_check_access():
                    staff = Employee.search([('hall', '=', result.hall.id)])
                for employee in staff:
                    if (employee != result.employee
                            and RATER_KIND in {p.kind for p in employee.posts}
                            and (result.id, employee.id) not in voted):
                        to_vote.append({
                                'result': result.id,
                                'hall': result.hall.id,
                                'rater': employee.id,
                                })
            Voter.create(to_vote)
        return results

    @classmethod
    @Workflow.transition('closed')
    def close(cls, results):
        """Count the ballots of the results and compute their final
        rating; the only reading of the ballots"""
        pool = Pool()
        Ballot = pool.get('hall.score.rating')
        Configuration = pool.get('hall.score.configuration')
        config = Configuration(1)
        ballot = Ballot.__table__()
        cursor = Transaction().connection.cursor()
        tallies = {}
        for sub_ids in grouped_slice([r.id for r in results]):
            cursor.execute(*ballot.select(
                    ballot.result, Count(ballot.id), Sum(ballot.score),
                    where=ballot.result.in_(list(sub_ids)),
                    group_by=[ballot.result]))
            for id_, count, total in cursor:
                tallies[id_] = (count, Decimal(str(total)))
        weight = config.peer_weight
        to_write = []
        for result in results:
            count, total = tallies.get(result.id, (0, Decimal(0)))
            average = None
            if count and count >= config.min_ballots:
                average = (total / count).quantize(
                    SCORE_EXP, rounding=ROUND_HALF_UP)
            director = result.director_score
            if average is not None and director is not None:
                final = weight * average + (1 - weight) * director
            elif average is not None:
                final = average
            else:
                final = director
            if final is not None:
                final = final.quantize(SCORE_EXP, rounding=ROUND_HALF_UP)
            to_write.extend([[result], {
                        'peer_count': count,
                        'peer_average': average,
                        'final_score': final,
                        }])
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    def close_ended(cls):
        "Close the ratings of the months ended (the cron)"
        pool = Pool()
        Date = pool.get('ir.date')
        month = Date.today().replace(day=1)
        with without_check_access():
            results = cls.search([
                    ('state', '=', 'open'),
                    ('month', '<', month),
                    ])
        if results:
            cls.close(results)
        return results

    @classmethod
    @ModelView.button_action('hall_scoring.wizard_rating_enter')
    def enter_score(cls, results):
        pass

    @classmethod
    def score_kind(cls, result):
        """Return which score of the result the user enters: her own
        self-score or the director's score"""
        if result.employee.id == acting_employee():
            return 'self'
        elif in_hall_groups('group_director'):
            return 'director'
        raise ScoreStateError(gettext(
                'hall_scoring.msg_rating_enter_who',
                result=result.rec_name))

    @classmethod
    def do_enter(cls, result, score):
        "Store the score the user enters on the open result"
        kind = cls.score_kind(result)
        if result.state != 'open':
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_rating_closed', result=result.rec_name))
        score = _check_score(score)
        name = 'self_score' if kind == 'self' else 'director_score'
        with without_check_access():
            cls.write([result], {name: score})


class Voter(HallModelMixin, ModelSQL, ModelView):
    "A rater's vote to cast in a democratic rating"
    __name__ = 'hall.score.rating.voter'
    _log = False

    result = fields.Many2One(
        'hall.score.rating.result', "Rating", required=True, readonly=True,
        ondelete='CASCADE')
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, readonly=True,
        ondelete='RESTRICT')
    rater = fields.Many2One(
        'company.employee', "Rater", required=True, readonly=True,
        ondelete='RESTRICT')
    employee = fields.Function(fields.Many2One(
            'company.employee', "Employee Rated"), 'get_result_field')
    month = fields.Function(fields.Date("Month"), 'get_result_field')
    state = fields.Selection([
            ('pending', "To Vote"),
            ('cast', "Voted"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('result_rater_unique', Unique(t, t.result, t.rater),
                'hall_scoring.msg_rating_voter_unique'),
            ]
        cls._order = [('result', 'DESC'), ('id', 'ASC')]
        cls._buttons.update({
                'cast': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'

    def get_result_field(self, name):
        value = getattr(self.result, name)
        return value.id if isinstance(value, ModelSQL) else value

    def get_rec_name(self, name):
        return f'{self.rater.rec_name} → {self.result.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('result.employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, voters, field_names):
        super().validate_fields(voters, field_names)
        if field_names & {'rater', 'result'}:
            for voter in voters:
                if voter.rater == voter.result.employee:
                    raise ScoreValidationError(gettext(
                            'hall_scoring.msg_rating_self',
                            employee=voter.rater.rec_name))

    @classmethod
    @ModelView.button_action('hall_scoring.wizard_rating_cast')
    def cast(cls, voters):
        pass

    @classmethod
    def do_cast(cls, voter, score):
        """Cast the ballot of the voter: the vote turns to cast once and a
        ballot without its rater counts the score"""
        pool = Pool()
        Date = pool.get('ir.date')
        if voter.rater.id != acting_employee():
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_rating_not_rater',
                    voter=voter.rec_name))
        result = voter.result
        if voter.rater == result.employee:
            raise ScoreValidationError(gettext(
                    'hall_scoring.msg_rating_self',
                    employee=voter.rater.rec_name))
        if (result.state != 'open'
                or Date.today() > result.period.month_end):
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_rating_closed', result=result.rec_name))
        score = _check_score(score)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        # The one-ballot check: only a pending vote turns to cast, so a
        # second ballot, even sent at the same moment, finds none
        cursor.execute(*table.update(
                [table.state], ['cast'],
                where=(table.id == voter.id)
                & (table.state == Literal('pending'))))
        if cursor.rowcount != 1:
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_rating_voted',
                    employee=result.employee.rec_name))
        cls._cast_ballot(result, score)

    @classmethod
    def _cast_ballot(cls, result, score):
        pool = Pool()
        Ballot = pool.get('hall.score.rating')
        ballot = Ballot.__table__()
        cursor = Transaction().connection.cursor()
        with Transaction().set_user(0), without_check_access():
            ballots = Ballot.create([{'result': result.id, 'score': score}])
        # Not even the creation time tells when it was cast
        cursor.execute(*ballot.update(
                [ballot.create_date],
                [dt.datetime.combine(result.month, dt.time())],
                where=ballot.id.in_([b.id for b in ballots])))


class Ballot(HallModelMixin, ModelSQL):
    "An anonymous ballot of the democratic rating (民主评分票)"
    __name__ = 'hall.score.rating'
    _log = False

    result = fields.Many2One(
        'hall.score.rating.result', "Rating", required=True,
        ondelete='CASCADE')
    score = fields.Numeric("Score", digits=SCORE_DIGITS, required=True)


class EnterStart(ModelView):
    "Enter a score of a democratic rating"
    __name__ = 'hall.score.rating.enter.start'

    result = fields.Many2One(
        'hall.score.rating.result', "Rating", readonly=True)
    kind = fields.Selection([
            ('self', "Self-Score"),
            ('director', "Director's Score"),
            ], "Score", readonly=True)
    score = fields.Numeric(
        "Score", digits=SCORE_DIGITS, required=True,
        domain=[
            ('score', '>=', 0),
            ('score', '<=', SCORE_MAX),
            ],
        help="From 0 to 100.")


class Enter(Wizard):
    "Enter a score of a democratic rating"
    __name__ = 'hall.score.rating.enter'

    start = StateView('hall.score.rating.enter.start',
        'hall_scoring.rating_enter_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Enter", 'enter', 'tryton-ok', default=True),
            ])
    enter = StateTransition()

    def default_start(self, fields):
        result = self.record
        return {
            'result': result.id,
            'kind': self.model.score_kind(result),
            }

    def transition_enter(self):
        self.model.do_enter(self.record, self.start.score)
        return 'end'


class CastStart(ModelView):
    "Cast a ballot of the democratic rating"
    __name__ = 'hall.score.rating.cast.start'

    employee = fields.Many2One(
        'company.employee', "Employee Rated", readonly=True)
    score = fields.Numeric(
        "Score", digits=SCORE_DIGITS, required=True,
        domain=[
            ('score', '>=', 0),
            ('score', '<=', SCORE_MAX),
            ],
        help="From 0 to 100.  Nobody learns who gave which score.")


class Cast(Wizard):
    "Cast a ballot of the democratic rating"
    __name__ = 'hall.score.rating.cast'

    start = StateView('hall.score.rating.cast.start',
        'hall_scoring.rating_cast_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Cast", 'cast', 'tryton-ok', default=True),
            ])
    cast = StateTransition()

    def default_start(self, fields):
        return {'employee': self.record.result.employee.id}

    def transition_cast(self):
        self.model.do_cast(self.record, self.start.score)
        return 'end'
