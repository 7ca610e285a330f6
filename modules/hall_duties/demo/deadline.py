# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Demo deadlines of 第一营业厅 and the recipients of their reminders.

The director's and the quality post's deliverables are reminded to the
post itself and to the company department receiving them.  The deadlines of
the last days are generated as the daily job would have, handed in by their
post except the last one due, left overdue.
"""
import datetime as dt

from proteus import Model
from proteus.config import get_config

from trytond.modules.hall_duties.tests.tools import HALL_CODE

__all__ = ['setup_demo_deadline']

DAYS_BACK = 12

# badge, email of the hall staff reminded of their own deliverables
STAFF_EMAILS = [
    ('1005', 'liuyang@h01.example.com'),
    ('1008', 'wufang@h01.example.com'),
    ]

# name, email of the company departments' people receiving deliverables
DEPARTMENT_STAFF = [
    ('张军', 'zhangjun@market.example.com'),
    ('何静', 'hejing@service.example.com'),
    ('林涛', 'lintao@hr.example.com'),
    ]

# task code, badges of hall staff, names of department staff
RECIPIENTS = [
    ('di_rota', ['1005'], []),
    ('di_training_plan', ['1005'], ['张军']),
    ('di_scores', ['1005'], ['张军']),
    ('qa_complaints', ['1008'], ['何静']),
    ('qa_attendance', ['1008'], ['林涛']),
    ('qa_scores', ['1008'], ['张军']),
    ('qa_star', ['1008'], ['林涛']),
    ]


def _set_email(party, email, lang):
    if not any(m.type == 'email' for m in party.contact_mechanisms):
        party.contact_mechanisms.new(type='email', value=email)
    if not party.lang:
        party.lang = lang
    party.save()


def setup_demo_deadline(config=None):
    "Add reminder recipients and the deadlines of the last days"
    Cron = Model.get('ir.cron', config=config)
    Deadline = Model.get('hall.deadline', config=config)
    Employee = Model.get('company.employee', config=config)
    Hall = Model.get('hall.hall', config=config)
    Lang = Model.get('ir.lang', config=config)
    Party = Model.get('party.party', config=config)
    Recipient = Model.get('hall.deadline.recipient', config=config)
    Task = Model.get('hall.task', config=config)
    User = Model.get('res.user', config=config)
    Date = Model.get('ir.date', config=config)
    if config is None:
        config = get_config()

    halls = Hall.find([('code', '=', HALL_CODE)])
    if not halls or Recipient.find([]):
        return
    hall, = halls
    lang, = Lang.find([('code', '=', 'zh_CN')])
    today = Date.today(config.context)

    # The deadlines of the last days, as the daily job created them; before
    # the recipients exist so that no reminder is sent for the past
    cron, = Cron.find([('method', '=', 'hall.deadline|generate')])
    for days in range(DAYS_BACK, -1, -1):
        with config.set_context(date=today - dt.timedelta(days=days)):
            Cron(cron.id).click('run_once')

    # Each post hands in its past deliverables but the last one due
    past = Deadline.find([
            ('hall', '=', hall.id),
            ('state', '=', 'open'),
            ('due_date', '<', today),
            ], order=[('due_date', 'ASC'), ('id', 'ASC')])
    admin = config.user
    by_login = {}
    for deadline in past[:-1]:
        by_login.setdefault(
            deadline.post.code, []).append(deadline.id)
    post_logins = {
        'director': 'director', 'quality': 'quality',
        'finance': 'finance', 'group_leader': 'leader'}
    for post_code, ids in by_login.items():
        if post_code not in post_logins:
            continue
        user, = User.find([('login', '=', post_logins[post_code])])
        config.user = user.id
        config._context = User.get_preferences(True, {})
        try:
            Deadline.click([Deadline(i) for i in ids], 'done')
        finally:
            config.user = admin
            config._context = User.get_preferences(True, {})

    # The recipients of the reminders
    employees = {}
    for badge, email in STAFF_EMAILS:
        employee, = Employee.find([('badge', '=', badge)])
        _set_email(employee.party, email, lang)
        employees[badge] = employee
    company = hall.company
    for name, email in DEPARTMENT_STAFF:
        party = Party(name=name, lang=lang)
        party.contact_mechanisms.new(type='email', value=email)
        party.save()
        employee = Employee(party=party, company=company)
        employee.save()
        employees[name] = employee
    recipients = []
    for code, badges, names in RECIPIENTS:
        task, = Task.find([('code', '=', code), ('hall', '=', None)])
        for key in badges + names:
            recipients.append(Recipient(
                    hall=hall, task=task, employee=employees[key]))
    Recipient.save(recipients)
