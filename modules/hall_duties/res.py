# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'set_hall_board': {},
                })

    @classmethod
    @ModelView.button
    def set_hall_board(cls, users):
        """Give the users the home board of their posts, opened at login

        The board shows the dashboard actions of the hall models, or of the
        hall modules (the safety stock of hall_stock is a core model's),
        the user's groups may open, those of their posts first; the user's
        other dashboard actions are kept."""
        pool = Pool()
        ActWindow = pool.get('ir.action.act_window')
        ModelData = pool.get('ir.model.data')
        with without_check_access():
            hall_actions = ModelData.search([
                    ('model', '=', 'ir.action.act_window'),
                    ('module', 'like', 'hall%'),
                    ])
            boards = ActWindow.search([
                    ('usage', '=', 'dashboard'),
                    ['OR',
                        ('res_model', 'like', 'hall.%'),
                        ('id', 'in', [d.db_id for d in hall_actions]),
                        ],
                    ], order=[('id', 'ASC')])
            dashboard = ActWindow(
                ModelData.get_id('dashboard', 'act_dashboard'))
            board_ids = {a.id for a in boards}
            for user in users:
                groups = {g.id for g in user.groups}
                actions = [
                    a for a in boards if groups & {g.id for g in a.groups}]
                actions += [a for a in boards if not a.groups]
                old = [
                    a.id for a in user.dashboard_actions
                    if a.act_window.id in board_ids]
                values = {
                    'dashboard_actions': [
                        ('delete', old),
                        ('create', [{
                                    'act_window': a.id,
                                    'sequence': i,
                                    } for i, a in enumerate(actions, 1)]),
                        ],
                    }
                if dashboard.action not in user.actions:
                    values['actions'] = [('add', [dashboard.action.id])]
                # The actions are checked against the groups of the user
                with Transaction().set_context(groups=list(groups)):
                    cls.write([user], values)

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
            employee = user.employee
            if ((not employee or employee.id not in own)
                    and Transaction().context.get('employee')):
                # The context names another's employee (which the company
                # module then hides): the user acts as the employee of
                # their own preferences
                with Transaction().reset_context():
                    employee = cls(user_id).employee
            employees = [employee.id] if employee else []
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
