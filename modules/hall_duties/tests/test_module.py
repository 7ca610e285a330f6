# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt
from contextlib import contextmanager
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


def monday(date):
    return date - dt.timedelta(days=date.weekday())


@contextmanager
def count_queries():
    "Collect the SQL statements executed in the transaction"
    cursor_class = type(Transaction().connection.cursor())
    original = cursor_class.execute
    statements = []

    def execute(self, query, *args, **kwargs):
        statements.append(str(query))
        return original(self, query, *args, **kwargs)
    with patch.object(cursor_class, 'execute', execute):
        yield statements


def setup_checklist_hall(code, staff, dates, state='published'):
    """Create a hall with its staff, each on a full shift of their post on
    the dates of a rota in the state; staff is a list of (name, posts)
    where several posts give a morning and an afternoon shift"""
    pool = Pool()
    Hall = pool.get('hall.hall')
    Post = pool.get('hall.post')
    Roster = pool.get('hall.roster')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    company = Transaction().context['company']
    posts = {p.code: p for p in Post.search([])}
    hall, = Hall.create([{'name': code, 'code': code}])
    parties = Party.create([{'name': name} for name, _ in staff])
    employees = Employee.create([{
                'party': party.id,
                'company': company,
                'hall': hall.id,
                'posts': [('add', [posts[c].id for c in codes])],
                } for party, (_, codes) in zip(parties, staff)])
    rosters = {}
    for date in dates:
        rosters.setdefault(monday(date), []).append(date)
    for week, week_dates in rosters.items():
        roster_lines = []
        for employee, (_, codes) in zip(employees, staff):
            shifts = ['full'] if len(codes) == 1 else ['morning', 'afternoon']
            for date in week_dates:
                for shift, code in zip(shifts, codes):
                    roster_lines.append({
                            'employee': employee.id,
                            'date': date,
                            'shift': shift,
                            'post': posts[code].id,
                            })
        roster, = Roster.create([{
                    'hall': hall.id,
                    'week': week,
                    'lines': [('create', roster_lines)],
                    }])
        if state == 'published':
            Roster.publish([roster])
    return hall, employees


def routine_tasks(post_codes, date):
    "The names of the common routine tasks of the posts on the date"
    pool = Pool()
    Task = pool.get('hall.task')
    tasks = Task.search([
            ('post.code', 'in', post_codes),
            ('hall', '=', None),
            ('kind', '=', 'routine'),
            ])
    return sorted(t.name for t in tasks if t.occurs_on(date))


class HallDutiesTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hall Duties module"
    module = 'hall_duties'

    @with_transaction()
    def test_posts_loaded(self):
        "The seven posts of the manual are loaded with their groups"
        pool = Pool()
        Post = pool.get('hall.post')
        posts = Post.search([])
        self.assertEqual(
            {p.code for p in posts},
            {'front_desk', 'consultation', 'group_leader', 'director',
                'warehouse', 'finance', 'quality'})
        self.assertEqual(len({p.group for p in posts}), 7)
        self.assertTrue(all(p.duties for p in posts))

    @with_transaction()
    def test_hall_code_unique(self):
        "A hall code is unique per company"
        pool = Pool()
        Hall = pool.get('hall.hall')
        company = create_company()
        other = create_company(name="Other")
        hall, = Hall.create([
                {'name': "A", 'code': 'H1', 'company': other.id}])
        self.assertEqual(hall.company, other)
        with set_company(company):
            Hall.create([{'name': "A", 'code': 'H1'}])
            with self.assertRaises(UserError):
                Hall.create([{'name': "B", 'code': 'H1'}])

    @with_transaction()
    def test_badge_unique(self):
        "A badge number is unique per company, empty ones do not clash"
        pool = Pool()
        Employee = pool.get('company.employee')
        company = create_company()
        with set_company(company):
            first = create_employee(company, name="First")
            second = create_employee(company, name="Second")
            third = create_employee(company, name="Third")
            first.badge = '1001'
            first.save()
            third.badge = ''
            third.save()
            second.badge = '1001'
            with self.assertRaises(UserError):
                second.save()

    @with_transaction()
    def test_hall_rule(self):
        "A user sees only the halls of the employees they act as"
        pool = Pool()
        Hall = pool.get('hall.hall')
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            hall_a, hall_b = Hall.create([
                    {'name': "A", 'code': 'A'},
                    {'name': "B", 'code': 'B'},
                    ])
            employee = create_employee(company, name="Clerk")
            employee.hall = hall_a
            employee.save()
        group = Group(ModelData.get_id('hall_duties', 'group_front_desk'))
        user, = User.create([{
                    'name': "Clerk",
                    'login': 'clerk',
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'groups': [('add', [group.id])],
                    }])
        with Transaction().set_user(user.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(Hall.search([]), [hall_a])
            with self.assertRaises(AccessError):
                Hall.read([hall_b.id], ['name'])

        # Moving the employee moves what the user sees
        with set_company(company):
            employee.hall = hall_b
            employee.save()
        with Transaction().set_user(user.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(Hall.search([]), [hall_b])

    @with_transaction()
    def test_checklist_generate(self):
        "Checklists are generated from the published rota, once"
        pool = Pool()
        Checklist = pool.get('hall.checklist')
        Line = pool.get('hall.checklist.line')
        Task = pool.get('hall.task')
        Post = pool.get('hall.post')
        company = create_company()
        date = dt.date(2024, 3, 4)  # a Monday
        with set_company(company):
            hall, (clerk, consult, leader) = setup_checklist_hall('A', [
                    ("Clerk", ['front_desk']),
                    ("Consult", ['consultation']),
                    ("Leader", ['group_leader', 'consultation']),
                    ], [date, date + dt.timedelta(days=1)])
            draft_hall, _ = setup_checklist_hall(
                'B', [("Other", ['front_desk'])], [date], state='draft')
            front_desk, = Post.search([('code', '=', 'front_desk')])
            own_task, = Task.create([{
                        'post': front_desk.id,
                        'hall': hall.id,
                        'code': 'own_check',
                        'name': "Check the queue machine",
                        'kind': 'routine',
                        'start_time': dt.time(9, 0),
                        'end_time': dt.time(9, 30),
                        }])

            created = Checklist.generate(date)

            self.assertEqual(len(created), 3)
            self.assertEqual(
                {c.employee for c in created}, {clerk, consult, leader})
            self.assertEqual({c.hall for c in created}, {hall})
            by_employee = {c.employee: c for c in created}
            self.assertEqual(
                sorted(l.name for l in by_employee[clerk].lines),
                sorted(routine_tasks(['front_desk'], date)
                    + ["Check the queue machine"]))
            self.assertEqual(
                sorted(l.name for l in by_employee[consult].lines),
                routine_tasks(['consultation'], date))
            self.assertEqual(
                sorted(l.name for l in by_employee[leader].lines),
                routine_tasks(['group_leader', 'consultation'], date))
            line, = [l for l in by_employee[clerk].lines
                if l.task == own_task]
            self.assertEqual(
                (line.start_time, line.end_time),
                (dt.time(9, 0), dt.time(9, 30)))
            self.assertFalse(line.done)
            count = Line.search_count([])

            # Running again creates nothing
            self.assertEqual(Checklist.generate(date), [])
            self.assertEqual(Checklist.search_count([]), 3)
            self.assertEqual(Line.search_count([]), count)

            # Only the missing lines are added
            Line.delete([line])
            self.assertEqual(Checklist.generate(date), [])
            self.assertEqual(Line.search_count([]), count)
            self.assertEqual(
                Line.search_count([('task', '=', own_task.id)]), 1)

            # An inactive task of the hall removes the task of every hall
            Task.create([{
                        'post': front_desk.id,
                        'hall': hall.id,
                        'code': by_employee[clerk].lines[0].task.code,
                        'name': "Removed",
                        'kind': 'routine',
                        'active': False,
                        }])
            other_day = date + dt.timedelta(days=1)
            created = Checklist.generate(other_day, halls=[hall])
            clerk_list, = [c for c in created if c.employee == clerk]
            self.assertEqual(
                len(clerk_list.lines),
                len(routine_tasks(['front_desk'], other_day)))

            # Nothing for a draft rota or a day without rota
            self.assertEqual(
                Checklist.search_count([('hall', '=', draft_hall.id)]), 0)
            self.assertEqual(
                Checklist.generate(date + dt.timedelta(days=2)), [])

    @with_transaction()
    def test_checklist_generate_queries(self):
        "The queries of a generation do not grow with the staff"
        pool = Pool()
        Checklist = pool.get('hall.checklist')
        company = create_company()
        staff = [
            ("Clerk %s" % i, ['front_desk']) for i in range(3)] + [
            ("Consult", ['consultation']),
            ("Leader", ['group_leader']),
            ]
        dates = [dt.date(2024, 3, 4) + dt.timedelta(days=i)
            for i in range(3)]
        with set_company(company):
            halls = [setup_checklist_hall(code, staff, dates)[0]
                for code in ['A', 'B', 'C', 'D']]

            counts = []
            for date, scope in zip(dates, [halls[:1], halls[:1], halls]):
                with count_queries() as statements:
                    created = Checklist.generate(date, halls=scope)
                self.assertEqual(len(created), len(staff) * len(scope))
                counts.append(len([
                            s for s in statements
                            if not s.lstrip().upper().startswith(
                                'INSERT')]))
            # The first run fills the caches
            self.assertEqual(counts[1], counts[2])

    @with_transaction()
    def test_checklist_overdue(self):
        "A line is overdue when not done past its end"
        pool = Pool()
        Checklist = pool.get('hall.checklist')
        Line = pool.get('hall.checklist.line')
        company = create_company()
        date = dt.date(2024, 3, 5)
        with set_company(company):
            _, (clerk,) = setup_checklist_hall(
                'A', [("Clerk", ['front_desk'])],
                [date - dt.timedelta(days=1), date])
            yesterday, = Checklist.generate(date - dt.timedelta(days=1))
            today, = Checklist.generate(date)
            meeting, = [l for l in today.lines
                if l.end_time == dt.time(8, 0)]
            evening = [l for l in today.lines
                if l.end_time > dt.time(12, 0)]
            Line.do([meeting])

            with Transaction().set_context(
                    hall_now=dt.datetime.combine(date, dt.time(12, 0))):
                today = Checklist(today.id)
                yesterday = Checklist(yesterday.id)
                self.assertFalse(Line(meeting.id).overdue)
                self.assertTrue(all(not Line(l.id).overdue for l in evening))
                overdue = [l for l in today.lines if l.overdue]
                self.assertTrue(all(
                        l.end_time <= dt.time(12, 0) for l in overdue))
                self.assertEqual(
                    (today.line_count, today.done_count,
                        today.overdue_count),
                    (len(today.lines), 1, len(overdue)))
                self.assertEqual(
                    yesterday.overdue_count, yesterday.line_count)
                self.assertEqual(
                    set(Line.search([
                                ('overdue', '=', True),
                                ('checklist', '=', today.id),
                                ])),
                    set(overdue))
                self.assertEqual(
                    set(Line.search([
                                ('overdue', '=', False),
                                ('checklist', '=', today.id),
                                ])),
                    set(today.lines) - set(overdue))
                self.assertEqual(
                    Checklist.search([('lines.overdue', '=', True)],
                        order=[('date', 'ASC')]),
                    [yesterday, today] if overdue else [yesterday])

            with Transaction().set_context(
                    hall_now=dt.datetime.combine(date, dt.time(23, 0))):
                today = Checklist(today.id)
                self.assertEqual(today.overdue_count, today.line_count - 1)

            Line.undo([meeting])
            meeting = Line(meeting.id)
            self.assertEqual(
                (meeting.done, meeting.done_at, meeting.done_by),
                (False, None, None))

    @with_transaction()
    def test_checklist_access(self):
        "A clerk sees and ticks only her checklist, the director the hall's"
        pool = Pool()
        Checklist = pool.get('hall.checklist')
        Line = pool.get('hall.checklist.line')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        date = dt.date(2024, 3, 5)
        with set_company(company):
            _, employees = setup_checklist_hall('A', [
                    ("Clerk", ['front_desk']),
                    ("Other", ['front_desk']),
                    ("Director", ['director']),
                    ], [date])
            _, (stranger,) = setup_checklist_hall('B', [
                    ("Stranger", ['front_desk'])], [date])
            checklists = Checklist.generate(date)

        users = User.create([{
                    'name': e.party.name,
                    'login': e.party.name.lower(),
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [e.id])],
                    'employee': e.id,
                    'groups': [('add', [
                                ModelData.get_id('hall_duties',
                                    'group_' + e.posts[0].code)])],
                    } for e in employees + [stranger]])
        clerk_user, other_user, director_user, _ = users
        by_employee = {c.employee: c for c in checklists}
        clerk_list = by_employee[employees[0]]
        hall_lists = [by_employee[e] for e in employees]

        with Transaction().set_user(clerk_user.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(Checklist.search([]), [clerk_list])
            line = Line(clerk_list.lines[0].id)
            Line.do([line])
            Line.write([line], {'note': "Queue machine slow"})
            with self.assertRaises(AccessError):
                Line.write([line], {'done': False})

        line = Line(clerk_list.lines[0].id)
        self.assertTrue(line.done)
        self.assertEqual(line.done_by, clerk_user)
        self.assertTrue(line.done_at)
        self.assertEqual(line.note, "Queue machine slow")

        with Transaction().set_user(director_user.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(
                set(Checklist.search([])), set(hall_lists))
            self.assertEqual(
                Checklist(clerk_list.id).done_count, 1)
            with self.assertRaises(UserError):
                Line.undo([Line(clerk_list.lines[0].id)])

        with Transaction().set_user(other_user.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(
                Checklist.search([]), [by_employee[employees[1]]])
            with self.assertRaises(AccessError):
                Line.do([Line(clerk_list.lines[1].id)])


del ModuleTestCase
