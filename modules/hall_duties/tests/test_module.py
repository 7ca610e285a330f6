# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime

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


del ModuleTestCase
