# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Demo data of the business hall, shared by the demo command and tests.

Every hall module has a ``setup_demo(config)`` here; the demo command calls
them in dependency order and the scenarios use them through
``activate_modules(..., setup_demo)``.
"""
import contextlib
import datetime as dt
from unittest import mock

from proteus import Model
from proteus.config import TrytondConfig, get_config
from trytond.modules.company.tests.tools import create_company, get_company

__all__ = [
    'DEMO_STAFF', 'load_language', 'create_hall', 'create_staff',
    'setup_company', 'setup_demo', 'setup_boards', 'business_day',
    'publish_rota']

HALL_CODE = 'H01'
HALL_NAME = '第一营业厅'

# login, name, badge number, post codes
DEMO_STAFF = [
    ('frontdesk1', '王丽', '1001', ['front_desk']),
    ('frontdesk2', '李娜', '1002', ['front_desk']),
    ('consult', '赵敏', '1003', ['consultation']),
    ('leader', '陈静', '1004', ['group_leader']),
    ('director', '刘洋', '1005', ['director']),
    ('warehouse', '孙强', '1006', ['warehouse']),
    ('finance', '周红', '1007', ['finance']),
    ('quality', '吴芳', '1008', ['quality']),
    ]


@contextlib.contextmanager
def business_day(date, config=None):
    """Replay the steps of a past business day as if it were that day

    The server's today is the date for the steps run inside, so that the
    demo's history follows the rules of the day it shows (takings handed
    over the same day are not retained overnight).  Only a server run in
    the same process can be replayed; otherwise the steps run today."""
    if config is None:
        config = get_config()
    if not isinstance(config, TrytondConfig):
        yield
        return
    from trytond.pool import Pool
    Date = Pool(config.database_name).get('ir.date')
    with mock.patch.object(
            Date, 'today', classmethod(lambda cls, timezone=None: date)):
        yield


def demo_password(login):
    return f'{login}-demo'


def load_language(code='zh_CN', config=None):
    "Make the language translatable and load its translations"
    Lang = Model.get('ir.lang', config=config)
    lang, = Lang.find([('code', '=', code)])
    if not lang.translatable:
        lang.click('load_translations')
    return Lang(lang.id)


def create_hall(name=HALL_NAME, code=HALL_CODE, company=None, config=None):
    "Create a hall with its own warehouse"
    Hall = Model.get('hall.hall', config=config)
    Location = Model.get('stock.location', config=config)
    if company is None:
        company = get_company(config=config)
    warehouses = Location.find([
            ('type', '=', 'warehouse'), ('code', '=', code)])
    if warehouses:
        warehouse, = warehouses
    else:
        storage = Location(name=f'{name} 库存', type='storage')
        storage.save()
        input_ = Location(name=f'{name} 入库', type='storage')
        input_.save()
        output = Location(name=f'{name} 出库', type='storage')
        output.save()
        warehouse = Location(
            name=f'{name} 库房', code=code, type='warehouse',
            storage_location=storage, input_location=input_,
            output_location=output)
        warehouse.save()
    hall = Hall(name=name, code=code, company=company, warehouse=warehouse)
    hall.save()
    return hall


def create_staff(hall, login, name, badge, posts, language=None,
        password=None, config=None):
    "Create an employee of the hall and the user acting as them"
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    Post = Model.get('hall.post', config=config)
    User = Model.get('res.user', config=config)
    Company = Model.get('company.company', config=config)
    Group = Model.get('res.group', config=config)

    company = Company(hall.company.id)
    party = Party(name=name)
    party.save()
    employee = Employee(party=party, company=company, hall=hall,
        badge=badge)
    post_records = Post.find([('code', 'in', posts)])
    employee.posts.extend(post_records)
    employee.save()

    user = User(name=name, login=login)
    if password:
        user.password = password
    if language:
        user.language = language
    user.companies.append(company)
    user.company = company
    user.employees.append(employee)
    user.employee = employee
    for post in post_records:
        user.groups.append(Group(post.group.id))
    user.save()
    return employee, user


def setup_company(config=None):
    "Load Chinese and create the demo company in CNY"
    Company = Model.get('company.company', config=config)
    Party = Model.get('party.party', config=config)
    load_language('zh_CN', config=config)
    if not Company.find():
        party = Party(name='示范电信分公司')
        party.save()
        create_company(party=party, currency='CNY', config=config)
    return get_company(config=config)


def setup_demo(config=None):
    "Create the demo company, the hall 第一营业厅 and one user per post"
    Hall = Model.get('hall.hall', config=config)
    User = Model.get('res.user', config=config)
    Employee = Model.get('company.employee', config=config)
    if config is None:
        config = get_config()

    if Hall.find([('code', '=', HALL_CODE)]):
        return
    company = setup_company(config=config)
    language = load_language('zh_CN', config=config)

    hall = create_hall(company=company, config=config)
    for login, name, badge, posts in DEMO_STAFF:
        create_staff(hall, login, name, badge, posts, language=language,
            password=demo_password(login), config=config)
    hall.director, = Employee.find([('badge', '=', '1005')])
    hall.save()

    admin, = User.find([('login', '=', 'admin')])
    admin.language = language
    admin.save()
    config._context = User.get_preferences(True, {})
    setup_boards(config=config)


def setup_boards(config=None):
    "Give every user of a post the home board of their posts"
    User = Model.get('res.user', config=config)
    users = User.find([('employees', '!=', None)])
    if users:
        User.click(users, 'set_hall_board')


def publish_rota(dates, badges, shift='full', config=None):
    """Put the staff of badges on the shift of the dates on the published
    rotas of the demo hall

    The days already on a rota are kept; a published rota missing some is
    reset to draft and published again.  Run as a user who may publish a
    rota late (the director or the administrator)."""
    Hall = Model.get('hall.hall', config=config)
    Employee = Model.get('company.employee', config=config)
    Roster = Model.get('hall.roster', config=config)
    hall, = Hall.find([('code', '=', HALL_CODE)])
    employees = Employee.find([
            ('hall', '=', hall.id),
            ('badge', 'in', list(badges)),
            ])
    weeks = {}
    for date in dates:
        week = date - dt.timedelta(days=date.weekday())
        weeks.setdefault(week, set()).add(date)
    for week, week_dates in sorted(weeks.items()):
        rosters = Roster.find([
                ('hall', '=', hall.id),
                ('week', '=', week),
                ])
        if rosters:
            roster, = rosters
        else:
            roster = Roster(hall=hall, week=week)
        rostered = {(l.employee.id, l.date) for l in roster.lines}
        missing = [
            (e, d) for d in sorted(week_dates) for e in employees
            if (e.id, d) not in rostered]
        if not missing and roster.state == 'published':
            continue
        if roster.state == 'published':
            roster.click('draft')
        for employee, date in missing:
            roster.lines.new(
                employee=employee, date=date, shift=shift,
                post=employee.posts[0])
        roster.save()
        roster.click('publish')
