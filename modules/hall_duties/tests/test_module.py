# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime
import datetime as dt
import unittest
from contextlib import contextmanager
from unittest.mock import patch

from lxml import etree

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.hall_duties.exceptions import DeadlineDoneError
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
    def test_list_views_datetime_widget(self):
        "List columns of date-times name a widget: sao has no such column"
        pool = Pool()
        View = pool.get('ir.ui.view')
        views = View.search([
                ('module', '=', 'hall_duties'),
                ('type', '=', 'tree'),
                ])
        for view in views:
            Model = pool.get(view.model)
            arch = etree.fromstring(view.arch)
            for field in arch.iter('field'):
                type_ = Model._fields[field.get('name')]._type
                if type_ in {'datetime', 'timestamp'}:
                    self.assertIn(
                        field.get('widget'), {'date', 'time'},
                        msg=f"{view.name}: {field.get('name')}")

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
    def test_set_hall_board(self):
        "The home board of a user shows the boards of their posts first"
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ActWindow = pool.get('ir.action.act_window')
        ModelData = pool.get('ir.model.data')
        leader = Group(ModelData.get_id('hall_duties', 'group_group_leader'))
        clerk = Group(ModelData.get_id('hall_duties', 'group_front_desk'))
        overdue = ActWindow(ModelData.get_id(
                'hall_duties', 'act_board_checklist_overdue'))
        mine = ActWindow(ModelData.get_id(
                'hall_duties', 'act_board_checklist_mine'))
        dashboard = ActWindow(ModelData.get_id('dashboard', 'act_dashboard'))
        other, = ActWindow.create([{
                    'name': "Parties",
                    'res_model': 'party.party',
                    'usage': 'dashboard',
                    }])
        users = User.create([{
                    'name': "Leader",
                    'login': 'leader',
                    'groups': [('add', [leader.id])],
                    }, {
                    'name': "Clerk",
                    'login': 'clerk',
                    'groups': [('add', [clerk.id])],
                    'dashboard_actions': [('create', [{
                                    'act_window': other.id,
                                    'sequence': 99,
                                    }])],
                    }])

        for i in range(2):
            User.set_hall_board(users)
        leader_user, clerk_user = User.browse(users)
        leader_actions = [a.act_window for a in leader_user.dashboard_actions]
        clerk_actions = [a.act_window for a in clerk_user.dashboard_actions]
        self.assertIn(overdue, leader_actions)
        self.assertLess(
            leader_actions.index(overdue), leader_actions.index(mine))
        self.assertNotIn(overdue, clerk_actions)
        self.assertEqual(clerk_actions.count(mine), 1)
        # What the user chose is kept
        self.assertIn(other, clerk_actions)
        for user in [leader_user, clerk_user]:
            self.assertEqual(
                [a for a in user.actions if a == dashboard.action],
                [dashboard.action])

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
    def test_task_occurs_on(self):
        "A task falls on its days: daily, a weekday, a day of the month"
        pool = Pool()
        Task = pool.get('hall.task')
        friday = Task(recurrence='weekly', weekday='4')
        fifth = Task(recurrence='monthly', monthday=5)
        last = Task(recurrence='monthly', monthday=31)
        daily = Task(recurrence='daily')
        self.assertTrue(friday.occurs_on(datetime.date(2026, 11, 27)))
        self.assertFalse(friday.occurs_on(datetime.date(2026, 11, 26)))
        self.assertTrue(fifth.occurs_on(datetime.date(2026, 12, 5)))
        self.assertFalse(fifth.occurs_on(datetime.date(2026, 12, 4)))
        self.assertTrue(last.occurs_on(datetime.date(2026, 11, 30)))
        self.assertTrue(last.occurs_on(datetime.date(2027, 2, 28)))
        self.assertFalse(last.occurs_on(datetime.date(2027, 2, 27)))
        self.assertTrue(daily.occurs_on(datetime.date(2027, 2, 27)))

    @with_transaction()
    def test_tasks_of_halls(self):
        "A hall's own task replaces or removes the common one of its code"
        pool = Pool()
        Hall = pool.get('hall.hall')
        Task = pool.get('hall.task')
        company = create_company()
        with set_company(company):
            hall_a, hall_b = Hall.create([
                    {'name': "A", 'code': 'A'},
                    {'name': "B", 'code': 'B'},
                    ])
        common = Task.search([('code', '=', 'fd_settle')])[0]
        removed = Task.search([('code', '=', 'fd_draw')])[0]
        own, off, extra = Task.create([{
                    'code': 'fd_settle', 'hall': hall_a.id,
                    'post': common.post.id, 'name': "Settle at 17:30",
                    'end_time': datetime.time(17, 30)}, {
                    'code': 'fd_draw', 'hall': hall_a.id,
                    'post': removed.post.id, 'name': "No drawing",
                    'active': False}, {
                    'code': 'fd_extra', 'hall': hall_a.id,
                    'post': common.post.id, 'name': "Extra"}])
        tasks = Task.tasks_of_halls([hall_a, hall_b])
        self.assertIn(own, tasks[hall_a.id])
        self.assertIn(extra, tasks[hall_a.id])
        self.assertNotIn(common, tasks[hall_a.id])
        self.assertNotIn(removed, tasks[hall_a.id])
        self.assertNotIn(off, tasks[hall_a.id])
        self.assertIn(common, tasks[hall_b.id])
        self.assertIn(removed, tasks[hall_b.id])
        self.assertNotIn(own, tasks[hall_b.id])
        # One common task removed, one own task added
        self.assertEqual(len(tasks[hall_a.id]), len(tasks[hall_b.id]))
    def _hall_with_staff(self, company, names):
        "Create a hall with a director and the named employees"
        pool = Pool()
        Hall = pool.get('hall.hall')
        Employee = pool.get('company.employee')
        hall, = Hall.create([{'name': "Hall", 'code': 'T1'}])
        employees = [create_employee(company, name=n) for n in names]
        Employee.write(employees, {'hall': hall.id})
        hall.director = employees[0]
        hall.save()
        return hall, employees

    @with_transaction()
    def test_repair_workflow(self):
        "A repair ticket is numbered, requested, repaired then read-only"
        pool = Pool()
        Repair = pool.get('hall.repair')
        company = create_company()
        with set_company(company):
            hall, (director,) = self._hall_with_staff(company, ["Director"])
            first, second = Repair.create([{
                        'hall': hall.id,
                        'equipment': "Touch screen",
                        'fault': "Black screen",
                        }, {
                        'hall': hall.id,
                        'equipment': "Printer",
                        'fault': "Paper jam",
                        }])
            self.assertTrue(first.number)
            self.assertNotEqual(first.number, second.number)
            self.assertEqual(first.state, 'reported')

            # A ticket is repaired only once requested
            Repair.repair([first])
            self.assertEqual(first.state, 'reported')
            Repair.request([first])
            Repair.repair([first])
            Repair.cancel([second])
            self.assertEqual(first.state, 'repaired')
            self.assertTrue(first.requested_at)
            self.assertTrue(first.repaired_at)
            self.assertEqual(second.state, 'cancelled')
            self.assertTrue(second.cancelled_at)

            copy, = Repair.copy([first])
            self.assertEqual(copy.state, 'reported')
            self.assertNotEqual(copy.number, first.number)
            self.assertIsNone(copy.requested_at)

            Repair.delete([second])
            with self.assertRaises(AccessError):
                Repair.write([first], {'fault': "Changed"})

    @with_transaction()
    def test_training_fill_sessions(self):
        "Fill a month's sessions and attendance in one create each"
        pool = Pool()
        Training = pool.get('hall.training')
        Session = pool.get('hall.training.session')
        Attendance = pool.get('hall.training.attendance')
        Employee = pool.get('company.employee')
        Hall = pool.get('hall.hall')
        company = create_company()
        with set_company(company):
            hall, (director, clerk, leaver) = self._hall_with_staff(
                company, ["Director", "Clerk", "Leaver"])
            # The leaver quits on the 15th of April 2026; the hall opens
            # Monday to Friday
            Employee.write([leaver], {'end_date': dt.date(2026, 4, 15)})
            Hall.write([hall], {'working_days': ['0', '1', '2', '3', '4']})
            plan, = Training.create([{
                        'hall': hall.id,
                        'month': dt.date(2026, 4, 1),
                        }])
            self.assertEqual(plan.due_date, dt.date(2026, 4, 5))
            self.assertEqual(plan.month_end, dt.date(2026, 4, 30))

            with patch.object(
                    Session, 'create', wraps=Session.create) as sessions, \
                    patch.object(Attendance, 'create',
                        wraps=Attendance.create) as attendances:
                Training.fill_sessions([plan])
            self.assertEqual(sessions.call_count, 1)
            self.assertEqual(attendances.call_count, 1)

            # April 2026: 22 working days, Thursdays 2, 9, 16, 23 and 30
            kinds = [s.kind for s in plan.sessions]
            self.assertEqual(kinds.count('pre_shift'), 22)
            self.assertEqual(
                [s.date.day for s in plan.sessions if s.kind == 'study'],
                [2, 9, 16, 23, 30])
            self.assertTrue(all(
                    s.date.weekday() < 5 for s in plan.sessions))
            self.assertTrue(all(s.trainer == director for s in plan.sessions))
            for session in plan.sessions:
                expected = {clerk}
                if session.date <= leaver.end_date:
                    expected.add(leaver)
                self.assertEqual(
                    {a.employee for a in session.attendances}, expected)
                self.assertEqual(session.present_count, 0)

            # Filling again creates nothing
            Training.fill_sessions([plan])
            self.assertEqual(Session.search([], count=True), 27)

            line = plan.sessions[0].attendances[0]
            line.present = True
            line.save()
            self.assertEqual(Session(plan.sessions[0].id).present_count, 1)

    @with_transaction()
    def test_training_submit(self):
        "A plan submitted after the 5th of its month is late"
        pool = Pool()
        Training = pool.get('hall.training')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            hall, _ = self._hall_with_staff(company, ["Director"])
            today = Date.today()
            this_month = today.replace(day=1)
            next_month = (this_month + dt.timedelta(days=31)).replace(day=1)
            last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
            past, future = Training.create([{
                        'hall': hall.id,
                        'month': last_month,
                        'sessions': [('create', [{
                                        'date': last_month,
                                        'start_time': dt.time(7, 50),
                                        'end_time': dt.time(8, 0),
                                        'kind': 'pre_shift',
                                        }])],
                        }, {
                        'hall': hall.id,
                        'month': next_month,
                        'sessions': [('create', [{
                                        'date': next_month,
                                        'start_time': dt.time(18, 0),
                                        'end_time': dt.time(19, 30),
                                        'kind': 'study',
                                        }])],
                        }])
            Training.submit([past, future])
            self.assertEqual([past.state, future.state],
                ['submitted', 'submitted'])
            self.assertTrue(past.late)
            self.assertFalse(future.late)
            self.assertTrue(past.submitted_at)

            Training.draft([past])
            self.assertEqual(past.state, 'draft')
            self.assertFalse(past.late)
            self.assertIsNone(past.submitted_at)

            self.assertIn(
                Training.default_month(), {this_month, next_month})

            # A copy is an empty draft plan
            later = (next_month + dt.timedelta(days=31)).replace(day=1)
            copy, = Training.copy([future], {'month': later})
            self.assertEqual(copy.state, 'draft')
            self.assertEqual(copy.sessions, ())
            self.assertIsNone(copy.submitted_at)
            self.assertEqual(len(future.sessions), 1)

            with self.assertRaises(UserError):
                Training.create([{
                            'hall': hall.id,
                            'month': this_month,
                            'sessions': [('create', [{
                                            'date': next_month,
                                            'start_time': dt.time(7, 50),
                                            'end_time': dt.time(8, 0),
                                            'kind': 'pre_shift',
                                            }])],
                            }])

    def _deadline_hall(self, company, code='H1'):
        "Create a hall of the company"
        pool = Pool()
        Hall = pool.get('hall.hall')
        with set_company(company):
            hall, = Hall.create([{'name': code, 'code': code}])
        return hall

    def _deadline_user(self, company, hall, login, group):
        "Create a user acting as an employee of the hall in the group"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        with set_company(company):
            employee = create_employee(company, name=login)
        employee.hall = hall
        employee.save()
        user, = User.create([{
                    'name': login,
                    'login': login,
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'groups': [('add', [
                                ModelData.get_id('hall_duties', group)])],
                    }])
        return user

    @with_transaction()
    def test_deadline_generate(self):
        "Deadlines appear within the lead days of their task, once"
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        Hall = pool.get('hall.hall')
        Task = pool.get('hall.task')
        company = create_company()
        hall = self._deadline_hall(company)
        closed = self._deadline_hall(company, 'H2')
        Hall.write([closed], {'active': False})
        tuesday = dt.date(2026, 11, 24)
        wednesday = dt.date(2026, 11, 25)
        friday = dt.date(2026, 11, 27)

        with set_company(company):
            created = Deadline.generate(tuesday)
            self.assertEqual(
                {(d.task.code, d.due_date) for d in created},
                {('fi_monthly', dt.date(2026, 11, 26))})

            created = Deadline.generate(wednesday)
            self.assertEqual(
                {(d.task.code, d.due_date) for d in created},
                {('di_rota', friday)})
            deadline, = created
            self.assertEqual(deadline.hall, hall)
            self.assertEqual(deadline.due_time, dt.time(18, 0))
            self.assertEqual(deadline.post.code, 'director')
            self.assertEqual(deadline.state, 'open')

            # Again: nothing twice
            self.assertEqual(Deadline.generate(wednesday), [])
            self.assertEqual(Deadline.generate(tuesday), [])

            # A hall's own rota replacing the common one is the same
            # deliverable
            rota, = Task.search([('code', '=', 'di_rota')])
            Task.copy([rota], {'hall': hall.id})
            self.assertEqual(Deadline.generate(wednesday), [])

            self.assertEqual(Deadline.search([('hall', '=', closed.id)]), [])
            self.assertEqual(len(Deadline.search([])), 2)

    @unittest.skipIf(
        backend.name != 'postgresql', "only PostgreSQL logs the queries")
    @with_transaction()
    def test_deadline_generate_queries(self):
        "Generating deadlines takes as many queries for any number of halls"
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        Hall = pool.get('hall.hall')
        company = create_company()
        logger = 'trytond.backend.postgresql.database'

        def count_queries(date):
            with self.assertLogs(logger, 'DEBUG') as logs:
                created = Deadline.generate(date)
            return len(logs.records), len(created)

        with set_company(company):
            Hall.create([{'name': "Warm", 'code': 'W'}])
            Deadline.generate(dt.date(2026, 11, 4))
            counts = []
            # Wednesdays: only the Friday's rota is due within the lead days
            for number, date in [
                    (2, dt.date(2026, 11, 11)),
                    (6, dt.date(2026, 11, 18))]:
                Hall.write(Hall.search([]), {'active': False})
                Hall.create([{'name': f'{date}-{i}', 'code': f'{date}-{i}'}
                        for i in range(number)])
                counts.append(count_queries(date))
                counts.append(count_queries(date))
        (first, created_first), (again, _), (second, created_second), _ = (
            counts)
        self.assertEqual((created_first, created_second), (2, 6))
        self.assertEqual(first, second)
        self.assertLess(again, first)

    @with_transaction()
    def test_deadline_overdue(self):
        "An open deadline past its due time is overdue"
        pool = Pool()
        Date = pool.get('ir.date')
        Deadline = pool.get('hall.deadline')
        Task = pool.get('hall.task')
        company = create_company()
        hall = self._deadline_hall(company)
        rota, = Task.search([('code', '=', 'di_rota')])
        today = Date.today()
        yesterday = today - dt.timedelta(days=1)
        tomorrow = today + dt.timedelta(days=1)
        with set_company(company):
            late, early, done, tonight = Deadline.create([{
                        'hall': hall.id,
                        'task': rota.id,
                        'due_date': yesterday,
                        'due_time': dt.time(18, 0),
                        }, {
                        'hall': hall.id,
                        'task': rota.id,
                        'due_date': tomorrow,
                        }, {
                        'hall': hall.id,
                        'task': rota.id,
                        'due_date': yesterday - dt.timedelta(days=1),
                        'state': 'done',
                        }, {
                        'hall': hall.id,
                        'task': rota.id,
                        'due_date': today,
                        }])
            self.assertEqual(
                [d.overdue for d in [late, early, done, tonight]],
                [True, False, False, False])
            self.assertEqual(
                Deadline.search([('overdue', '=', True)]), [late])
            self.assertEqual(
                Deadline.search([('overdue', '=', False)]),
                [done, tonight, early])
            self.assertEqual(
                Deadline.search([('overdue', '!=', True)]),
                [done, tonight, early])

    @with_transaction()
    def test_deadline_recipients(self):
        "Recipients are configured per hall and kind of deadline"
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        Recipient = pool.get('hall.deadline.recipient')
        Task = pool.get('hall.task')
        User = pool.get('res.user')
        EmailTemplate = pool.get('ir.email.template')
        company = create_company()
        hall = self._deadline_hall(company)
        other = self._deadline_hall(company, 'H2')
        rota, = Task.search([('code', '=', 'di_rota')])
        scores, = Task.search([('code', '=', 'di_scores')])
        supervisor, = User.create([{
                    'name': "Supervisor",
                    'login': 'supervisor',
                    'email': 'supervisor@example.com',
                    }])
        with set_company(company):
            recipient, = Recipient.create([{
                        'hall': hall.id,
                        'task': rota.id,
                        'user': supervisor.id,
                        }])
            self.assertEqual(recipient.email, 'supervisor@example.com')
            self.assertEqual(
                EmailTemplate.get_addresses([recipient]),
                ['Supervisor <supervisor@example.com>'])

            # A hall's own rota takes the recipients of the rota
            own_rota, = Task.copy([rota], {'hall': hall.id})
            deadlines = Deadline.create([{
                        'hall': h.id,
                        'task': t.id,
                        'due_date': dt.date(2026, 11, 27),
                        } for h, t in [
                        (hall, own_rota), (hall, scores), (other, rota)]])
            self.assertEqual(
                [d.recipients for d in deadlines],
                [(recipient,), (), ()])

            employee = create_employee(company, name="No Email")
            with self.assertRaises(ValidationError):
                Recipient.create([{
                            'hall': hall.id,
                            'task': rota.id,
                            'employee': employee.id,
                            }])

    @with_transaction()
    def test_deadline_done(self):
        "The responsible post or the director marks a deadline done"
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        Task = pool.get('hall.task')
        company = create_company()
        hall = self._deadline_hall(company)
        director = self._deadline_user(
            company, hall, 'director', 'group_director')
        finance = self._deadline_user(
            company, hall, 'finance', 'group_finance')
        clerk = self._deadline_user(
            company, hall, 'clerk', 'group_front_desk')
        rota, = Task.search([('code', '=', 'di_rota')])
        monthly, = Task.search([('code', '=', 'fi_monthly')])
        with set_company(company):
            rota_deadline, monthly_deadline = Deadline.create([{
                        'hall': hall.id,
                        'task': rota.id,
                        'due_date': dt.date(2026, 11, 27),
                        }, {
                        'hall': hall.id,
                        'task': monthly.id,
                        'due_date': dt.date(2026, 11, 26),
                        }])

        for user, deadline in [
                (finance, monthly_deadline), (director, rota_deadline)]:
            with Transaction().set_user(user.id), \
                    Transaction().set_context(
                        company=company.id, _check_access=True):
                Deadline.done([Deadline(deadline.id)])
                deadline = Deadline(deadline.id)
                self.assertEqual(deadline.state, 'done')
                self.assertEqual(deadline.done_by, user.employee)
                self.assertTrue(deadline.done_at)

        with Transaction().set_user(director.id), \
                Transaction().set_context(
                    company=company.id, _check_access=True):
            Deadline.open([Deadline(rota_deadline.id)])
            self.assertEqual(Deadline(rota_deadline.id).done_by, None)

        with Transaction().set_user(clerk.id), \
                Transaction().set_context(
                    company=company.id, _check_access=True):
            with self.assertRaises(DeadlineDoneError):
                Deadline.done([Deadline(rota_deadline.id)])

    @with_transaction()
    def test_deadline_rota_proof(self):
        "A published rota proves the rota deadline of its hall"
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        Roster = pool.get('hall.roster')
        company = create_company()
        hall = self._deadline_hall(company)
        other = self._deadline_hall(company, 'H2')
        with set_company(company):
            early, = Roster.create([{
                        'hall': other.id,
                        'week': dt.date(2026, 11, 30),
                        }])
            Roster.publish([early])
            deadlines = Deadline.generate(dt.date(2026, 11, 25))
            by_hall = {d.hall: d for d in deadlines}
            # Published before the deadline appeared
            self.assertEqual(by_hall[other].state, 'done')
            self.assertEqual(by_hall[other].document, early)
            self.assertEqual(by_hall[hall].state, 'open')

            roster, = Roster.create([{
                        'hall': hall.id,
                        'week': dt.date(2026, 11, 30),
                        }])
            Roster.publish([roster])
            deadline = Deadline(by_hall[hall].id)
            self.assertEqual(deadline.state, 'done')
            self.assertEqual(deadline.document, roster)

            # A rota of another week does not prove it
            deadline, = Deadline.create([{
                        'hall': hall.id,
                        'task': deadline.task.id,
                        'due_date': dt.date(2026, 12, 4),
                        'document': str(roster),
                        }])
            self.assertEqual(deadline.state, 'open')
            with self.assertRaises(ValidationError):
                Deadline.write([deadline], {'document': str(early)})

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
        self.assertEqual(line.done_by, clerk_user.employee)
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

    def _hall_staff(self, company, hall, names_posts):
        "Create employees of the hall with their posts and users"
        pool = Pool()
        Post = pool.get('hall.post')
        User = pool.get('res.user')
        posts = {p.code: p for p in Post.search([])}
        employees, users = [], []
        for name, codes in names_posts:
            employee = create_employee(company, name=name)
            employee.hall = hall
            employee.posts = [posts[c] for c in codes]
            employee.save()
            employees.append(employee)
        users = User.create([{
                    'name': e.party.name,
                    'login': e.party.name.lower(),
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [e.id])],
                    'employee': e.id,
                    'groups': [('add', [p.group.id for p in e.posts])],
                    } for e in employees])
        return employees, users

    @with_transaction()
    def test_task_document_handover(self):
        "The handover tasks are proved by the handover book"
        pool = Pool()
        Task = pool.get('hall.task')
        tasks = Task.search([('code', 'in', ['fd_handover', 'co_handover'])])
        self.assertEqual(len(tasks), 2)
        self.assertEqual({t.document for t in tasks}, {'hall.handover'})

    @with_transaction()
    def test_notice_readers(self):
        "A notice targets the active staff of its hall holding its posts"
        pool = Pool()
        Date = pool.get('ir.date')
        Hall = pool.get('hall.hall')
        Notice = pool.get('hall.notice')
        Post = pool.get('hall.post')
        company = create_company()
        with set_company(company):
            hall, other = Hall.create([
                    {'name': "A", 'code': 'A'},
                    {'name': "B", 'code': 'B'},
                    ])
            (clerk, gone, consultant, elsewhere, leader), users = (
                self._hall_staff(company, hall, [
                        ("Clerk", ['front_desk']),
                        ("Gone", ['front_desk']),
                        ("Consultant", ['consultation']),
                        ("Elsewhere", ['front_desk']),
                        ("Leader", ['front_desk', 'group_leader']),
                        ]))
            gone.end_date = Date.today() - dt.timedelta(days=1)
            elsewhere.hall = other
            Pool().get('company.employee').save([gone, elsewhere])
            desk_posts = Post.search([
                    ('code', 'in', ['front_desk', 'group_leader']),
                    ])
            desk, everyone = Notice.create([{
                        'hall': hall.id,
                        'title': "Desk",
                        'must_read': True,
                        'posts': [('add', [p.id for p in desk_posts])],
                        }, {
                        'hall': hall.id,
                        'title': "Everyone",
                        }])
            Notice.post([desk, everyone])

            self.assertEqual(
                (desk.target_count, desk.read_count), (2, 0))
            self.assertEqual(set(desk.unread_employees), {clerk, leader})
            self.assertEqual(
                set(everyone.unread_employees), {clerk, consultant, leader})

            clerk_user = users[0]
            with Transaction().set_user(clerk_user.id):
                self.assertCountEqual(
                    Notice.search([('unread', '=', True)]),
                    [desk, everyone])
                Notice.confirm_read([desk])
                Notice.confirm_read([desk])
                self.assertEqual(
                    Notice.search([('unread', '=', True)]), [everyone])
                self.assertEqual(
                    Notice.search([('unread', '=', False)]), [desk])
            desk = Notice(desk.id)
            self.assertEqual(
                (desk.target_count, desk.read_count), (2, 1))
            self.assertEqual(list(desk.unread_employees), [leader])
            self.assertEqual(len(desk.reads), 1)

    @with_transaction()
    def test_handover_acknowledge(self):
        "Only the receiver acknowledges; the acknowledged entry is frozen"
        pool = Pool()
        Hall = pool.get('hall.hall')
        Handover = pool.get('hall.handover')
        company = create_company()
        with set_company(company):
            hall, = Hall.create([{'name': "A", 'code': 'A'}])
            (giver, receiver), (giver_user, receiver_user) = (
                self._hall_staff(company, hall, [
                        ("Giver", ['front_desk']),
                        ("Receiver", ['front_desk']),
                        ]))
            handover, = Handover.create([{
                        'hall': hall.id,
                        'shift': 'morning',
                        'from_employee': giver.id,
                        'to_employee': receiver.id,
                        'matters': [('create', [{'description': "Card"}])],
                        }])
            with Transaction().set_user(giver_user.id):
                Handover.hand([handover])
                self.assertEqual(handover.state, 'handed')
                self.assertEqual(
                    Handover.search([('addressed_to_me', '=', True)]), [])
                with self.assertRaises(UserError):
                    Handover.acknowledge([handover])
            with Transaction().set_user(receiver_user.id):
                self.assertEqual(
                    Handover.search([('addressed_to_me', '=', True)]),
                    [handover])
                Handover.acknowledge([handover])
            self.assertEqual(handover.state, 'acknowledged')
            self.assertEqual(handover.acknowledged_by, receiver)
            with self.assertRaises(AccessError):
                Handover.write([handover], {'notes': "Changed"})

    @with_transaction()
    def test_roster_one_a_week(self):
        "A hall has one rota a week"
        pool = Pool()
        Roster = pool.get('hall.roster')
        company = create_company()
        with set_company(company):
            hall, _ = self._hall_with_staff(company, ["Director"])
            week = monday(dt.date(2026, 11, 30))
            Roster.create([{'hall': hall.id, 'week': week}])
            Roster.create([{
                        'hall': hall.id,
                        'week': week + dt.timedelta(days=7),
                        }])
            with self.assertRaises(UserError):
                Roster.create([{'hall': hall.id, 'week': week}])

    @with_transaction()
    def test_deadline_recipient_one_person_once(self):
        """A recipient is an employee or a user, never both nor none, and
        is configured once per hall and deadline"""
        pool = Pool()
        Recipient = pool.get('hall.deadline.recipient')
        Task = pool.get('hall.task')
        User = pool.get('res.user')
        company = create_company()
        hall = self._deadline_hall(company)
        # The refused records stay in the test's transaction: another hall
        other = self._deadline_hall(company, 'H2')
        rota, = Task.search([('code', '=', 'di_rota')])
        supervisor, = User.create([{
                    'name': "Supervisor",
                    'login': 'supervisor',
                    'email': 'supervisor@example.com',
                    }])
        with set_company(company):
            employee = create_employee(company, name="Leader")
            for values in [
                    {},
                    {'user': supervisor.id, 'employee': employee.id}]:
                with self.assertRaises(UserError):
                    Recipient.create([{
                                'hall': other.id, 'task': rota.id,
                                **values}])
            Recipient.create([{
                        'hall': hall.id, 'task': rota.id,
                        'user': supervisor.id}])
            with self.assertRaises(UserError):
                Recipient.create([{
                            'hall': hall.id, 'task': rota.id,
                            'user': supervisor.id}])

    @with_transaction()
    def test_posted_notice_not_deleted(self):
        "A posted notice cannot be deleted, a draft one can"
        pool = Pool()
        Notice = pool.get('hall.notice')
        company = create_company()
        with set_company(company):
            hall, _ = self._hall_with_staff(company, ["Director"])
            posted, draft = Notice.create([{
                        'hall': hall.id,
                        'title': title,
                        'start_date': dt.date(2026, 12, 1),
                        } for title in ["Posted", "Draft"]])
            Notice.post([posted])
            self.assertEqual(posted.state, 'posted')
            with self.assertRaises(UserError):
                Notice.delete([posted])
            Notice.delete([draft])
            self.assertEqual(Notice.search([]), [posted])

    @with_transaction()
    def test_submitted_training_not_deleted(self):
        "A submitted training plan cannot be deleted, a draft one can"
        pool = Pool()
        Training = pool.get('hall.training')
        company = create_company()
        with set_company(company):
            hall, _ = self._hall_with_staff(company, ["Director"])
            submitted, draft = Training.create([{
                        'hall': hall.id,
                        'month': month,
                        'sessions': [('create', [{
                                        'date': month,
                                        'start_time': dt.time(7, 50),
                                        'end_time': dt.time(8, 0),
                                        'kind': 'pre_shift',
                                        }])],
                        } for month in [
                        dt.date(2026, 12, 1), dt.date(2027, 1, 1)]])
            Training.submit([submitted])
            self.assertEqual(submitted.state, 'submitted')
            with self.assertRaises(UserError):
                Training.delete([submitted])
            Training.delete([draft])
            self.assertEqual(Training.search([]), [submitted])

    @with_transaction()
    def test_training_attendance_once(self):
        "An employee has one attendance line per training session"
        pool = Pool()
        Training = pool.get('hall.training')
        Attendance = pool.get('hall.training.attendance')
        company = create_company()
        with set_company(company):
            hall, (director, clerk) = self._hall_with_staff(
                company, ["Director", "Clerk"])
            plan, = Training.create([{
                        'hall': hall.id,
                        'month': dt.date(2026, 12, 1),
                        'sessions': [('create', [{
                                        'date': date,
                                        'start_time': dt.time(7, 50),
                                        'end_time': dt.time(8, 0),
                                        'kind': 'pre_shift',
                                        } for date in [
                                        dt.date(2026, 12, 1),
                                        dt.date(2026, 12, 2)]])],
                        }])
            first, second = plan.sessions
            Attendance.create([
                    {'session': s.id, 'employee': clerk.id, 'present': True}
                    for s in [first, second]])
            with self.assertRaises(UserError):
                Attendance.create([{
                            'session': first.id, 'employee': clerk.id}])


del ModuleTestCase
