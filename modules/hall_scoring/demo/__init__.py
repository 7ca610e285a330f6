# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The demo data of the assessment: the users of the marketing department,
last month's entries of the scoring team and its summary submitted and
approved, this month's entries so far.

``setup_demo_score_days`` scores, as the director, the group leader and
the quality post would:

- last month, a few findings of the daily inspections (a missing badge, a
  counter in disorder, a customer's praise), one of them reversed with its
  reason, and an error of a business form found by the quality audit; the
  month summarized by the quality post, submitted by the director and
  approved by the marketing department head;
- last month, the democratic rating (民主评分) of the back-office posts
  opened by the director on the 20th, the front posts' ballots, the
  director's scores and the self-scores, closed by the summary;
- this month, the inspections so far, one entry still in draft, and the
  democratic rating opened with its first ballots;
- today, the director's round of the hall done (a counter in disorder, a
  customer's praise) and the group leader's still open;
- the arrivals of this month's rota days so far, recorded by the quality
  post, two of them late for the 07:50 meeting, and this month's
  attendance summary (考勤表) computed so far.
"""
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard
from trytond.tests.tools import set_user

from trytond.modules.hall_duties.tests.tools import DEMO_STAFF, business_day

from ..tests.tools import setup_demo_scoring

__all__ = ['STEPS', 'setup_demo_attendance', 'setup_demo_inspections',
    'setup_demo_score_days']

# days into the month, login of the scorer, badge, item, note
LAST_MONTH = [
    (2, 'director', '1001', 'appearance_uniform', "早班未佩戴工号牌"),
    (3, 'leader', '1002', 'hall_order', "2号台宣传单摆放凌乱"),
    (5, 'director', '1003', 'service_praise', "客户来电表扬赵敏耐心解答"),
    (8, 'quality', '1002', 'form_irregular', "业务受理单缺客户签名"),
    (12, 'leader', '1001', 'service_manner', "未起身迎接客户"),
    (15, 'director', '1001', 'service_praise', "客户留言表扬"),
    (20, 'director', '1006', 'hall_order', "库房台账未及时整理"),
    ]
THIS_MONTH = [
    (0, 'director', '1002', 'service_praise', "客户当面表扬"),
    (0, 'leader', '1003', 'appearance_uniform', "未按规定着装"),
    ]


# login of the rater: {badge of the rated: score}
LAST_BALLOTS = {
    'frontdesk1': {'1006': 88, '1007': 92, '1008': 90},
    'frontdesk2': {'1006': 85, '1007': 95, '1008': 86},
    'consult': {'1006': 80, '1007': 90, '1008': 88},
    'leader': {'1006': 86, '1007': 93},
    }
# badge: (director's score, self-score)
LAST_SCORES = {
    '1006': (82, 95),
    '1007': (94, 92),
    '1008': (90, 96),
    }
THIS_BALLOTS = {
    'frontdesk1': {'1006': 90},
    'consult': {'1007': 92},
    }


def _user(login, config=None):
    User = Model.get('res.user', config=config)
    user, = User.find([('login', '=', login)])
    return user


def _score(entries, month, config=None):
    created = []
    for day, login, badge, code, note in entries:
        set_user(_user(login, config=config), config=config)
        # The models as the scorer sees them
        Entry = Model.get('hall.score.entry', config=config)
        Employee = Model.get('company.employee', config=config)
        Category = Model.get('hall.score.category', config=config)
        employee, = Employee.find([('badge', '=', badge)])
        category, = Category.find([('code', '=', code)])
        entry = Entry(
            employee=employee, category=category,
            date=month + dt.timedelta(days=day), note=note)
        entry.save()
        created.append(entry)
    return created


def _rate(period, ballots, scores=None, config=None):
    "Open the rating of the period, cast the ballots, enter the scores"
    month = period.month
    set_user(_user('director', config=config), config=config)
    Period = Model.get('hall.score.period', config=config)
    Period(period.id).click('open_rating')
    for login, marks in ballots.items():
        set_user(_user(login, config=config), config=config)
        Voter = Model.get('hall.score.rating.voter', config=config)
        for voter in Voter.find([('state', '=', 'pending')]):
            if voter.month != month:
                continue
            score = marks.get(voter.employee.badge)
            if score is not None:
                cast = Wizard('hall.score.rating.cast', [voter],
                    config=config)
                cast.form.score = Decimal(score)
                cast.execute('cast')
    for badge, (director, own) in (scores or {}).items():
        for login, score in [('director', director), (None, own)]:
            if login is None:
                login, = [l for l, _, b, _ in DEMO_STAFF if b == badge]
            set_user(_user(login, config=config), config=config)
            Result = Model.get('hall.score.rating.result', config=config)
            result, = Result.find([
                    ('period', '=', period.id),
                    ('employee.badge', '=', badge),
                    ])
            enter = Wizard('hall.score.rating.enter', [result],
                config=config)
            enter.form.score = Decimal(score)
            enter.execute('enter')


def setup_demo_score_days(config=None):
    "Score last month and this month as the scoring team would"
    Entry = Model.get('hall.score.entry', config=config)
    Period = Model.get('hall.score.period', config=config)
    setup_demo_scoring(config=config)
    # The complaints' demo may have given entries already: not these
    if Entry.find([('category.source', '!=', 'complaint')]):
        return
    today = dt.date.today()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)

    entries = _score(LAST_MONTH, last_month, config=config)
    for entry in entries:
        set_user(_user('director', config=config), config=config)
        Entry(entry.id).click('confirm')
    # The missing badge was found in the drawer: reversed with the reason
    reverse = Wizard('hall.score.entry.reverse', [Entry(entries[0].id)],
        config=config)
    reverse.form.reason = "工号牌在抽屉里，当场已佩戴，经核实不扣分。"
    reverse.execute('reverse')

    # The first confirmed entry opened the month's summary in draft
    set_user(_user('quality', config=config), config=config)
    period, = Period.find([('month', '=', last_month)])
    with business_day(last_month + dt.timedelta(days=24), config=config):
        _rate(period, LAST_BALLOTS, LAST_SCORES, config=config)
    set_user(_user('quality', config=config), config=config)
    period = Period(period.id)
    period.click('summarize')
    set_user(_user('director', config=config), config=config)
    period = Period(period.id)
    period.click('submit')
    set_user(_user('marketing_head', config=config), config=config)
    period = Period(period.id)
    period.click('approve')

    if today.day > 1:
        entries = _score(THIS_MONTH, this_month, config=config)
        set_user(_user('director', config=config), config=config)
        Entry(entries[0].id).click('confirm')
        period, = Period.find([('month', '=', this_month)])
        _rate(period, THIS_BALLOTS, config=config)
    set_user(_user('admin', config=config), config=config)


def setup_demo_inspections(config=None):
    "Today's rounds of the director, done, and of the group leader, open"
    set_user(_user('director', config=config), config=config)
    Inspection = Model.get('hall.score.inspection', config=config)
    if Inspection.find([]):
        return
    Category = Model.get('hall.score.category', config=config)
    items = {c.code: c for c in Category.find([])}
    inspection = Inspection()
    inspection.save()
    inspection.click('load_staff')
    lines = {l.employee.badge: l for l in inspection.lines}
    if '1002' in lines and '1003' in lines:
        lines['1002'].category = items['hall_order']
        lines['1002'].note = "2号台业务资料摆放凌乱"
        lines['1003'].category = items['service_praise']
        lines['1003'].note = "客户当面表扬赵敏耐心细致"
        inspection.save()
    inspection.click('done')

    set_user(_user('leader', config=config), config=config)
    Inspection = Model.get('hall.score.inspection', config=config)
    inspection = Inspection()
    inspection.save()
    inspection.click('load_staff')
    set_user(_user('admin', config=config), config=config)


# badge: {days into the month: (hour, minute)} of the late arrivals
LATE_ARRIVALS = {
    '1002': {1: (8, 2)},
    '1006': {0: (7, 58)},
    }


def setup_demo_attendance(config=None):
    "This month's arrivals so far and the attendance summary computed"
    set_user(_user('quality', config=config), config=config)
    Summary = Model.get('hall.score.attendance', config=config)
    if Summary.find([]):
        return
    Line = Model.get('attendance.line', config=config)
    Hall = Model.get('hall.hall', config=config)
    RosterLine = Model.get('hall.roster.line', config=config)
    today = dt.date.today()
    month = today.replace(day=1)
    hall, = Hall.find([])
    set_user(_user('director', config=config), config=config)
    RosterLine = Model.get('hall.roster.line', config=config)
    duties = {(d.employee.id, d.employee.badge, d.date, d.shift)
        for d in RosterLine.find([
                ('roster.state', '=', 'published'),
                ('date', '>=', month),
                ('date', '<', today),
                ])}
    set_user(_user('quality', config=config), config=config)
    Line = Model.get('attendance.line', config=config)
    Employee = Model.get('company.employee', config=config)
    lines = []
    for employee, badge, date, shift in sorted(duties):
        late = LATE_ARRIVALS.get(badge, {}).get((date - month).days)
        if late:
            time = dt.time(*late)
        elif shift == 'afternoon':
            time = dt.time(12, 40 + employee % 10)
        else:
            time = dt.time(7, 35 + employee % 10)
        arrival = Line(employee=Employee(employee),
            at=dt.datetime.combine(date, time), type='in')
        lines.append(arrival)
    if lines:
        Line.save(lines)
    Summary = Model.get('hall.score.attendance', config=config)
    summary = Summary(hall=Hall(hall.id), month=month)
    summary.save()
    summary.click('compute')
    set_user(_user('admin', config=config), config=config)


STEPS = [
    setup_demo_score_days,
    setup_demo_inspections,
    setup_demo_attendance,
    ]
