# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime
import datetime as dt
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


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
        company = create_company()
        with set_company(company):
            hall, (director, clerk, leaver) = self._hall_with_staff(
                company, ["Director", "Clerk", "Leaver"])
            # The leaver quits on the 15th of April 2026
            Employee.write([leaver], {'end_date': dt.date(2026, 4, 15)})
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


del ModuleTestCase
