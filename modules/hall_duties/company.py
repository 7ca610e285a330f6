# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.model import ModelSQL, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    hall = fields.Many2One(
        'hall.hall', "Hall", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        help="The business hall where the employee works.")
    posts = fields.Many2Many(
        'company.employee-hall.post', 'employee', 'post', "Posts",
        help="The posts the employee holds in the hall.")
    badge = fields.Char(
        "Badge Number", strip=True,
        help="The number on the employee's badge, unique in the company.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('badge_unique', Unique(t, t.company, t.badge),
                'hall_duties.msg_employee_badge_unique'),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'badge' in values and not values['badge']:
            # No badge yet: NULL never clashes in the unique constraint
            values['badge'] = None
        return values

    def get_rec_name(self, name):
        name = super().get_rec_name(name)
        if self.badge:
            name = f'{name} ({self.badge})'
        return name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            super().search_rec_name(name, clause),
            ('badge', operator, operand, *extra),
            ]

    @classmethod
    def on_modification(cls, mode, employees, field_names=None):
        pool = Pool()
        Rule = pool.get('ir.rule')
        super().on_modification(mode, employees, field_names=field_names)
        if mode != 'write' or (field_names and 'hall' in field_names):
            # The halls a user sees follow the halls of their employees
            Rule._domain_get_cache.clear()


class EmployeePost(ModelSQL):
    __name__ = 'company.employee-hall.post'

    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    post = fields.Many2One(
        'hall.post', "Post", required=True, ondelete='CASCADE')
