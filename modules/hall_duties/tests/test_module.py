# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt

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

    def _hall_staff(self, company, hall, names_posts):
        "Create employees of the hall with their posts and users"
        pool = Pool()
        Employee = pool.get('company.employee')
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
            self.assertEqual(handover.acknowledged_by, receiver_user)
            with self.assertRaises(AccessError):
                Handover.write([handover], {'notes': "Changed"})


del ModuleTestCase
