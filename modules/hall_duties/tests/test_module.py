# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime
import datetime as dt
import unittest
from unittest.mock import patch

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.hall_duties.exceptions import DeadlineDoneError
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
                self.assertEqual(deadline.done_by, user)
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


del ModuleTestCase
