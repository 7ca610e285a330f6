# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
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


del ModuleTestCase
