# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Demo data of the daily checklists: a published rota of the demo staff
for the current week (and the week before when the last days fall in it),
and the checklists of the last three days and today, mostly ticked, with a
few tasks left overdue."""
import datetime as dt

from proteus import Model
from proteus.config import get_config

from trytond.modules.hall_duties.tests.tools import DEMO_STAFF, HALL_CODE

__all__ = ['setup_demo_checklist']

COUNTERS = {
    '1001': '1号台',
    '1002': '2号台',
    '1003': '咨询台',
    }
NOTES = [
    '叫号机故障，已报修，稍后补做',
    '用户较多，延后处理',
    ]


def setup_demo_checklist(config=None):
    "Publish the week's rota and generate and tick the recent checklists"
    from trytond.transaction import Transaction

    if config is None:
        config = get_config()
    Hall = Model.get('hall.hall', config=config)
    Checklist = Model.get('hall.checklist', config=config)
    if not Hall.find([('code', '=', HALL_CODE)]):
        return
    if Checklist.find([], limit=1):
        return
    with Transaction().start(
            config.database_name, 0, context=config.context) as transaction:
        _setup(transaction)
        transaction.commit()


def _setup(transaction):
    from trytond.pool import Pool
    pool = Pool()
    Date = pool.get('ir.date')
    Hall = pool.get('hall.hall')
    Employee = pool.get('company.employee')
    Roster = pool.get('hall.roster')
    RosterLine = pool.get('hall.roster.line')
    Checklist = pool.get('hall.checklist')
    Line = pool.get('hall.checklist.line')
    Company = pool.get('company.company')

    hall, = Hall.search([('code', '=', HALL_CODE)])
    badges = [badge for _, _, badge, _ in DEMO_STAFF]
    employees = {e.badge: e for e in Employee.search([
                ('badge', 'in', badges),
                ('hall', '=', hall.id),
                ])}
    today = Date.today()
    dates = [today - dt.timedelta(days=i) for i in range(3, -1, -1)]
    weeks = sorted({d - dt.timedelta(days=d.weekday()) for d in dates})

    # The rotas of the weeks: every employee every day on a full shift
    rosters = {r.week: r for r in Roster.search([
                ('hall', '=', hall.id),
                ('week', 'in', weeks),
                ])}
    to_create = []
    for week in weeks:
        if week in rosters:
            continue
        to_create.append({
                'hall': hall.id,
                'week': week,
                'lines': [('create', [{
                                'employee': employees[badge].id,
                                'date': week + dt.timedelta(days=day),
                                'shift': 'full',
                                'post': employees[badge].posts[0].id,
                                'counter': COUNTERS.get(badge),
                                } for day in range(7)
                            for badge in badges if badge in employees])],
                })
    rosters.update((r.week, r) for r in Roster.create(to_create))
    drafts = [r for r in rosters.values() if r.state == 'draft']
    if drafts:
        # Staff missing from a rota made by hand get the day's shift
        rostered = {(l.employee, l.date) for l in RosterLine.search([
                    ('roster', 'in', [r.id for r in drafts]),
                    ])}
        RosterLine.create([{
                    'roster': r.id,
                    'employee': e.id,
                    'date': d,
                    'shift': 'full',
                    'post': e.posts[0].id,
                    'counter': COUNTERS.get(e.badge),
                    } for r in drafts for d in dates
                if r.week <= d <= r.week + dt.timedelta(days=6)
                for e in employees.values()
                if (e, d) not in rostered])
        Roster.publish(drafts)

    for date in dates:
        Checklist.generate(date, [hall])

    # Tick the tasks whose window is over, but a few
    company = Company(transaction.context['company'])
    timezone = None
    if company.timezone:
        from trytond.tools import timezone as tz
        timezone = tz.ZoneInfo(company.timezone)
    now = Line._local_now()
    lines = Line.search([
            ('checklist.date', 'in', dates),
            ('checklist.hall', '=', hall.id),
            ], order=[('checklist.date', 'ASC'), ('checklist.employee', 'ASC'),
            ('start_time', 'ASC'), ('id', 'ASC')])
    to_write = []
    for i, line in enumerate(lines):
        end = dt.datetime.combine(
            line.checklist.date, line.end_time or dt.time(23, 59))
        if end > now:
            continue
        if i % 11 == 5:
            if i % 2:
                note = NOTES[i // 11 % len(NOTES)]
                to_write.extend([[line], {'note': note}])
            continue
        done_at = end - dt.timedelta(minutes=3 + i % 10)
        if timezone:
            done_at = (done_at.replace(tzinfo=timezone)
                .astimezone(dt.timezone.utc).replace(tzinfo=None))
        to_write.extend([[line], {
                    'done': True,
                    'done_at': done_at,
                    'done_by': line.checklist.employee.id,
                    }])
    if to_write:
        Line.write(*to_write)
