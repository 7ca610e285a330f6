# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import (
    HallModelMixin, acting_employee, in_hall_groups, is_own_employee,
    users_to_employees)
from .exceptions import HandoverError
from .hall import HallDocumentMixin
from .roster import SHIFTS


class Handover(HallDocumentMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.handover'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    date = fields.Date("Date", required=True, states=_states)
    shift = fields.Selection(
        SHIFTS, "Shift", required=True, states=_states,
        help="The shift handed over.")
    shift_string = shift.translated('shift')
    from_employee = fields.Many2One(
        'company.employee', "From", required=True, ondelete='RESTRICT',
        states=_states,
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        help="The employee who hands over.")
    to_employee = fields.Many2One(
        'company.employee', "To", required=True, ondelete='RESTRICT',
        states=_states,
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('id', '!=', Eval('from_employee', -1)),
            ],
        help="The employee who takes over and acknowledges.")
    notes = fields.Text("Notes", states=_states)
    matters = fields.One2Many(
        'hall.handover.matter', 'handover', "Open Matters", states=_states,
        help="The matters the next shift must follow up.")
    notices = fields.Many2Many(
        'hall.handover-hall.notice', 'handover', 'notice',
        "Notices to Read", states=_states,
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('state', '=', 'posted'),
            ],
        help="The latest notices the next shift must read.")
    addressed_to_me = fields.Function(
        fields.Boolean(
            "Addressed to Me",
            help="Handed over to an employee you act as."),
        'get_addressed_to_me', searcher='search_addressed_to_me')
    handed_by = fields.Many2One(
        'company.employee', "Handed by", readonly=True)
    handed_at = fields.DateTime("Handed at", readonly=True)
    acknowledged_by = fields.Many2One(
        'company.employee', "Acknowledged by", readonly=True)
    acknowledged_at = fields.DateTime("Acknowledged at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('handed', "Handed"),
            ('acknowledged', "Acknowledged"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'handed'),
            ('handed', 'acknowledged'),
            }
        cls._buttons.update({
                'hand': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'acknowledge': {
                    'invisible': Eval('state') != 'handed',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        # Migration from 8.0.1: who did it is an employee
        users_to_employees(cls, module, ['handed_by', 'acknowledged_by'])
        super().__register__(module)

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    @classmethod
    def default_from_employee(cls):
        return acting_employee()

    @classmethod
    def default_hall(cls):
        pool = Pool()
        Employee = pool.get('company.employee')
        employee = acting_employee()
        if employee is not None:
            employee = Employee(employee)
            if employee.hall:
                return employee.hall.id
        return super().default_hall()

    @classmethod
    def default_notices(cls):
        hall = cls.default_hall()
        if hall is not None:
            return [n.id for n in cls._latest_notices(hall)]
        return []

    @classmethod
    def _latest_notices(cls, hall, date=None):
        "The notices of the hall that apply on the date"
        pool = Pool()
        Date = pool.get('ir.date')
        Notice = pool.get('hall.notice')
        if date is None:
            date = Date.today()
        return Notice.search([
                ('hall', '=', hall),
                ('state', '=', 'posted'),
                ('start_date', '<=', date),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', date),
                    ],
                ])

    @fields.depends('hall', 'date', 'notices')
    def on_change_hall(self):
        if self.hall and not self.notices:
            self.notices = self._latest_notices(self.hall.id, self.date)

    def get_rec_name(self, name):
        return (f'{self.hall.code} {self.date} {self.shift_string} '
            f'{self.from_employee.rec_name} → {self.to_employee.rec_name}')

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('hall.rec_name', operator, operand, *extra),
            ('from_employee.rec_name', operator, operand, *extra),
            ('to_employee.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def get_addressed_to_me(cls, handovers, name):
        pool = Pool()
        User = pool.get('res.user')
        employees = set(User.get_employees())
        return {h.id: h.to_employee.id in employees for h in handovers}

    @classmethod
    def search_addressed_to_me(cls, name, clause):
        pool = Pool()
        User = pool.get('res.user')
        _, operator, value = clause
        if operator == '!=':
            value = not value
        elif operator != '=':
            return []
        employees = list(User.get_employees())
        return [('to_employee', 'in' if value else 'not in', employees)]

    @classmethod
    def check_modification(
            cls, mode, handovers, values=None, external=False):
        super().check_modification(
            mode, handovers, values=values, external=external)
        if mode == 'write':
            acknowledging = (not external
                and not (values.keys() - cls._acknowledge_fields()))
            for handover in handovers:
                if handover.state == 'acknowledged':
                    raise AccessError(gettext(
                            'hall_duties.msg_handover_modify_acknowledged',
                            handover=handover.rec_name))
                elif handover.state == 'handed' and not acknowledging:
                    raise AccessError(gettext(
                            'hall_duties.msg_handover_modify_handed',
                            handover=handover.rec_name))
        elif mode == 'delete':
            for handover in handovers:
                if handover.state != 'draft':
                    raise AccessError(gettext(
                            'hall_duties.msg_handover_delete_draft',
                            handover=handover.rec_name))
        if external and not in_hall_groups('group_director'):
            # Each writes and hands over their own entries of the book
            for handover in handovers:
                if (handover.state == 'draft'
                        and not is_own_employee(handover.from_employee)):
                    raise AccessError(gettext(
                            'hall_duties.msg_handover_not_from',
                            handover=handover.rec_name,
                            employee=handover.from_employee.rec_name))
            if (mode == 'write' and values.get('from_employee')
                    and not is_own_employee(values['from_employee'])):
                raise AccessError(gettext(
                        'hall_duties.msg_handover_not_from',
                        handover=handovers[0].rec_name,
                        employee=handovers[0].from_employee.rec_name))

    @classmethod
    def _acknowledge_fields(cls):
        "The fields that acknowledging a handed handover writes"
        return {'state', 'acknowledged_by', 'acknowledged_at'}

    @classmethod
    def copy(cls, handovers, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('date', cls.default_date())
        for name in ['handed_by', 'handed_at', 'acknowledged_by',
                'acknowledged_at']:
            default.setdefault(name)
        return super().copy(handovers, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('handed')
    def hand(cls, handovers):
        pool = Pool()
        User = pool.get('res.user')
        if not in_hall_groups('group_director'):
            employees = set(User.get_employees())
            for handover in handovers:
                if handover.from_employee.id not in employees:
                    raise HandoverError(gettext(
                            'hall_duties.msg_handover_hand_not_from',
                            handover=handover.rec_name,
                            employee=handover.from_employee.rec_name))
        cls.write(handovers, {
                'handed_by': acting_employee(),
                'handed_at': dt.datetime.now(),
                })
        cls.notify(handovers)

    @classmethod
    def notify(cls, handovers):
        "Notify the users of the receiving employees in the client"
        pool = Pool()
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        users = User.search([
                ('employees', 'in', [h.to_employee.id for h in handovers]),
                ])
        to_create = []
        for user in users:
            employees = set(user.employees)
            for handover in handovers:
                if handover.to_employee in employees:
                    to_create.append({
                            'user': user.id,
                            'label': gettext(
                                'hall_duties.msg_handover_notification',
                                employee=handover.from_employee.rec_name),
                            'description': handover.rec_name,
                            'icon': 'tryton-notification',
                            'model': cls.__name__,
                            'records': f'[{handover.id}]',
                            })
        Notification.create(to_create)

    @classmethod
    @ModelView.button
    @Workflow.transition('acknowledged')
    def acknowledge(cls, handovers):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if transaction.user != 0:
            employees = set(User.get_employees())
            for handover in handovers:
                if handover.to_employee.id not in employees:
                    raise HandoverError(gettext(
                            'hall_duties.msg_handover_acknowledge_not_to',
                            handover=handover.rec_name,
                            employee=handover.to_employee.rec_name))
        cls.write(handovers, {
                'acknowledged_by': acting_employee(),
                'acknowledged_at': dt.datetime.now(),
                })


class HandoverMatter(HallModelMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.handover.matter'

    handover = fields.Many2One(
        'hall.handover', "Handover", required=True, ondelete='CASCADE',
        states={
            'readonly': Eval('handover_state') != 'draft',
            })
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"),
        'on_change_with_hall', searcher='search_hall')
    description = fields.Text(
        "Description", required=True,
        states={
            'readonly': Eval('handover_state') != 'draft',
            })
    follow_up = fields.Text(
        "Follow-up",
        states={
            'readonly': Eval('state') == 'closed',
            },
        help="What was done about the matter.")
    followed_by = fields.Many2One(
        'company.employee', "Followed by", readonly=True)
    followed_at = fields.DateTime("Followed at", readonly=True)
    closed_by = fields.Many2One(
        'company.employee', "Closed by", readonly=True)
    closed_at = fields.DateTime("Closed at", readonly=True)
    handover_state = fields.Function(
        fields.Selection('get_handover_states', "Handover State"),
        'on_change_with_handover_state')
    state = fields.Selection([
            ('open', "Open"),
            ('followed', "Followed"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('handover', 'DESC'), ('id', 'ASC')]
        cls._transitions |= {
            ('open', 'followed'),
            ('open', 'closed'),
            ('followed', 'closed'),
            }
        cls._buttons.update({
                'follow': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') == 'closed',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_handover_state(cls):
        return 'draft'

    @fields.depends('handover', '_parent_handover.hall')
    def on_change_with_hall(self, name=None):
        return self.handover.hall if self.handover else None

    @classmethod
    def search_hall(cls, name, clause):
        return [('handover.' + clause[0],) + tuple(clause[1:])]

    @classmethod
    def get_handover_states(cls):
        pool = Pool()
        Handover = pool.get('hall.handover')
        return Handover.fields_get(['state'])['state']['selection']

    @fields.depends('handover', '_parent_handover.state')
    def on_change_with_handover_state(self, name=None):
        return self.handover.state if self.handover else None

    def get_rec_name(self, name):
        description = (self.description or '').splitlines()
        return description[0] if description else str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('description',) + tuple(clause[1:])]

    @classmethod
    def check_modification(cls, mode, matters, values=None, external=False):
        super().check_modification(
            mode, matters, values=values, external=external)
        if mode == 'write':
            allowed = cls._follow_up_fields()
            if not external:
                allowed |= cls._follow_up_state_fields()
            follow_up = not (values.keys() - allowed)
            for matter in matters:
                if matter.handover.state == 'draft':
                    continue
                if not follow_up:
                    raise AccessError(gettext(
                            'hall_duties.msg_handover_matter_modify',
                            matter=matter.rec_name,
                            handover=matter.handover.rec_name))
                if matter.state == 'closed':
                    raise AccessError(gettext(
                            'hall_duties.msg_handover_matter_closed',
                            matter=matter.rec_name))
        elif mode in {'create', 'delete'}:
            for matter in matters:
                if matter.handover.state != 'draft':
                    raise AccessError(gettext(
                            'hall_duties.msg_handover_matter_modify',
                            matter=matter.rec_name,
                            handover=matter.handover.rec_name))

    @classmethod
    def _follow_up_fields(cls):
        "The fields the staff can still fill on a handed matter"
        return {'follow_up'}

    @classmethod
    def _follow_up_state_fields(cls):
        "The fields the follow-up buttons write"
        return {'state', 'followed_by', 'followed_at', 'closed_by',
            'closed_at'}

    @classmethod
    def copy(cls, matters, default=None):
        default = default.copy() if default is not None else {}
        for name in ['follow_up', 'followed_by', 'followed_at', 'closed_by',
                'closed_at']:
            default.setdefault(name)
        return super().copy(matters, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('followed')
    def follow(cls, matters):
        cls.write(matters, {
                'followed_by': acting_employee(),
                'followed_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, matters):
        cls.write(matters, {
                'closed_by': acting_employee(),
                'closed_at': dt.datetime.now(),
                })


class HandoverNotice(HallModelMixin, ModelSQL):
    __name__ = 'hall.handover-hall.notice'

    handover = fields.Many2One(
        'hall.handover', "Handover", required=True, ondelete='CASCADE')
    notice = fields.Many2One(
        'hall.notice', "Notice", required=True, ondelete='CASCADE')

    @classmethod
    def check_modification(
            cls, mode, handover_notices, values=None, external=False):
        super().check_modification(
            mode, handover_notices, values=values, external=external)
        for handover_notice in handover_notices:
            handover = handover_notice.handover
            if handover.state != 'draft':
                raise AccessError(gettext(
                        'hall_duties.msg_handover_modify_%s' % handover.state,
                        handover=handover.rec_name))
