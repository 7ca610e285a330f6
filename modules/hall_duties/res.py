# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def get_employees(cls):
        """Return the employees of the user the request may act as: never
        one that is not among the user's employees, whatever the context
        or the preferences say

        Not cached per user as the company module does: the employee of
        the context changes from one request to the other."""
        user_id = Transaction().user
        if not user_id:
            return super().get_employees()
        user = cls(user_id)
        own = [e.id for e in user.employees]
        if user.company_filter == 'one':
            employees = [user.employee.id] if user.employee else []
        elif user.company_filter == 'all':
            employees = own
        else:
            employees = []
        return tuple(e for e in employees if e in own)

    @classmethod
    def set_preferences(cls, values):
        if values.get('employee'):
            user = cls(Transaction().user)
            if values['employee'] not in {e.id for e in user.employees}:
                raise AccessError(gettext(
                        'hall_duties.msg_user_employee_not_own'))
        super().set_preferences(values)

    @classmethod
    def validate_fields(cls, users, field_names):
        super().validate_fields(users, field_names)
        if field_names is None or {'employee', 'employees'} & field_names:
            with Transaction().reset_context():
                for user in cls.browse(users):
                    if user.employee and user.employee not in user.employees:
                        raise AccessError(gettext(
                                'hall_duties.msg_user_employee_not_own'))
