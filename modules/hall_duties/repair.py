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

from .common import acting_employee
from .hall import HallDocumentMixin


class Repair(HallDocumentMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.repair'
    _rec_name = 'number'

    _states = {
        'readonly': Eval('state') != 'reported',
        }
    _closed = {
        'readonly': Eval('state').in_(['repaired', 'cancelled']),
        }

    number = fields.Char("Number", readonly=True)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    equipment = fields.Char(
        "Equipment", required=True, strip=True, states=_states,
        help="The device out of order: touch screen, display screen, VCD, "
        "printer, counter...")
    fault = fields.Text("Fault", required=True, states=_states)
    reported_by = fields.Many2One(
        'company.employee', "Reported by", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states=_states)
    date = fields.Date("Date Reported", required=True, states=_states)
    notes = fields.Text(
        "Notes", states=_closed,
        help="The reference of the request report card, "
        "what the repairer did.")
    requested_by = fields.Many2One(
        'company.employee', "Requested by", readonly=True,
        help="Who filed the request report card.")
    requested_at = fields.DateTime("Requested at", readonly=True)
    repaired_by = fields.Many2One(
        'company.employee', "Repaired by", readonly=True,
        help="Who confirmed the repair.")
    repaired_at = fields.DateTime("Repaired at", readonly=True)
    cancelled_by = fields.Many2One(
        'company.employee', "Cancelled by", readonly=True)
    cancelled_at = fields.DateTime("Cancelled at", readonly=True)
    state = fields.Selection([
            ('reported', "Reported"),
            ('requested', "Requested"),
            ('repaired', "Repaired"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    del _states, _closed

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('reported', 'requested'),
            ('requested', 'repaired'),
            ('reported', 'cancelled'),
            ('requested', 'cancelled'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'reported',
                    'depends': ['state'],
                    },
                'repair': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['reported', 'requested']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'reported'

    @classmethod
    def default_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    @classmethod
    def default_reported_by(cls):
        return acting_employee()

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('equipment', operator, operand, *extra),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            sequence = Sequence(
                ModelData.get_id('hall_duties', 'sequence_repair'))
            values['number'] = sequence.get()
        return values

    @classmethod
    def check_modification(cls, mode, repairs, values=None, external=False):
        super().check_modification(
            mode, repairs, values=values, external=external)
        if mode == 'write':
            for repair in repairs:
                if repair.state in {'repaired', 'cancelled'}:
                    raise AccessError(gettext(
                            'hall_duties.msg_repair_modify_closed',
                            repair=repair.rec_name,
                            state=repair.state_string))
        elif mode == 'delete':
            for repair in repairs:
                if repair.state not in {'reported', 'cancelled'}:
                    raise AccessError(gettext(
                            'hall_duties.msg_repair_delete_requested',
                            repair=repair.rec_name))

    @classmethod
    def copy(cls, repairs, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', None)
        default.setdefault('notes', None)
        for step in ['requested', 'repaired', 'cancelled']:
            default.setdefault(f'{step}_by', None)
            default.setdefault(f'{step}_at', None)
        return super().copy(repairs, default=default)

    @classmethod
    def _record_step(cls, repairs, step):
        "Record who did the step and when, in one write"
        pool = Pool()
        User = pool.get('res.user')
        employee = User(Transaction().user).employee
        cls.write(list(repairs), {
                f'{step}_by': employee.id if employee else None,
                f'{step}_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def request(cls, repairs):
        cls._record_step(repairs, 'requested')

    @classmethod
    @ModelView.button
    @Workflow.transition('repaired')
    def repair(cls, repairs):
        cls._record_step(repairs, 'repaired')

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, repairs):
        cls._record_step(repairs, 'cancelled')
