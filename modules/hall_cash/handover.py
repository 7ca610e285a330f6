# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime
from decimal import Decimal

from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups, is_own_employee)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Eval

from .common import (
    DENOMINATIONS, CashCountMixin, CashTransferMixin)
from .exceptions import (
    CashConfigurationError, HandoverError, RetentionError)

# The notes of a bundle by the bank's rules
BUNDLE = 100

STATES = [
    ('draft', "Draft"),
    ('handed', "Handed"),
    ('received', "Received"),
    ]


class Handover(
        HallDocumentMixin, CashTransferMixin, Workflow,
        ModelSQL, ModelView):
    "The cash a clerk hands over to the quality post (现金交接)"
    __name__ = 'hall.cash.handover'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    clerk = fields.Many2One(
        'company.employee', "Clerk", required=True, ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states=_states)
    receiver = fields.Many2One(
        'company.employee', "Quality Receiver", ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states={
            'readonly': Eval('state') == 'received',
            },
        help="The quality manager receiving the cash.")
    date = fields.Date("Date", required=True, states=_states)
    settlements = fields.Many2Many(
        'hall.cash.handover-hall.cash.settlement', 'handover', 'settlement',
        "Settlements",
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('clerk', '=', Eval('clerk', -1)),
            ('state', 'in', ['confirmed', 'handed']),
            ],
        states=_states,
        help="The confirmed settlements whose cash is handed over.")
    counts = fields.One2Many(
        'hall.cash.handover.count', 'handover', "Cash Count",
        states=_states)
    cash_amount = fields.Function(Monetary(
            "Cash Handed", currency='currency', digits='currency'),
        'get_amounts')
    settlement_amount = fields.Function(Monetary(
            "Cash of the Settlements", currency='currency',
            digits='currency'),
        'get_amounts')
    handed_at = fields.DateTime("Handed At", readonly=True)
    received_by = fields.Many2One(
        'company.employee', "Received By", readonly=True)
    received_at = fields.DateTime("Received At", readonly=True)
    move = fields.Many2One(
        'account.move', "Account Move", readonly=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"),
        'on_change_with_currency')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'handed'),
            ('handed', 'draft'),
            ('handed', 'received'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'handed',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'hand': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'receive': {
                    'invisible': Eval('state') != 'handed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_clerk(cls):
        return acting_employee()

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_counts(cls):
        return [
            {'denomination': d, 'count': 0} for d in DENOMINATIONS]

    @fields.depends('settlements', 'counts', 'state')
    def on_change_settlements(self):
        "Prefill the count with the notes counted in the settlements"
        pool = Pool()
        Count = pool.get('hall.cash.handover.count')
        if self.state not in {None, 'draft'}:
            return
        totals = {d: 0 for d in DENOMINATIONS}
        for settlement in self.settlements or []:
            for line in getattr(settlement, 'counts', None) or []:
                if line.denomination is not None:
                    totals[line.denomination] = (
                        totals.get(line.denomination, 0)
                        + (line.count or 0))
        self.counts = [
            Count(denomination=d, count=c) for d, c in totals.items()]

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('hall')
    def on_change_with_currency(self, name=None):
        if self.hall and self.hall.company:
            return self.hall.company.currency

    def get_rec_name(self, name):
        return f'{self.clerk.rec_name} {self.date}'

    @classmethod
    def get_amounts(cls, handovers, names):
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        settlements = {s for h in handovers for s in h.settlements}
        totals = Settlement.get_amounts(
            list(settlements), ['cash_amount', 'make_up_amount'])
        result = {n: {} for n in names}
        for handover in handovers:
            round_ = handover.currency.round
            if 'cash_amount' in names:
                result['cash_amount'][handover.id] = round_(sum(
                        (c.denomination * c.count for c in handover.counts),
                        Decimal(0)))
            if 'settlement_amount' in names:
                result['settlement_amount'][handover.id] = round_(sum(
                        (totals['cash_amount'][s.id]
                            + totals['make_up_amount'][s.id]
                            for s in handover.settlements),
                        Decimal(0)))
        return result

    @classmethod
    def copy(cls, handovers, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('settlements', None)
        default.setdefault('handed_at', None)
        default.setdefault('received_by', None)
        default.setdefault('received_at', None)
        default.setdefault('move', None)
        return super().copy(handovers, default=default)

    @classmethod
    def check_modification(
            cls, mode, handovers, values=None, external=False):
        super().check_modification(
            mode, handovers, values=values, external=external)
        if mode == 'delete':
            for handover in handovers:
                if handover.state != 'draft':
                    raise HandoverError(gettext(
                            'hall_cash.msg_handover_delete_draft',
                            handover=handover.rec_name))
        elif mode == 'write' and external:
            for handover in handovers:
                # The quality post packs received cash into a deposit
                if ((handover.state == 'received'
                            and values.keys() - {'deposit'})
                        or (handover.state == 'handed'
                            and values.keys() - {'receiver'})):
                    raise HandoverError(gettext(
                            'hall_cash.msg_handover_edit_draft',
                            handover=handover.rec_name))
            cls.check_own([h for h in handovers if h.state == 'draft'])
            if ('deposit' in values
                    and not in_hall_groups(
                        'group_quality', 'group_director')):
                raise HandoverError(gettext(
                        'hall_cash.msg_handover_deposit_quality',
                        handover=handovers[0].rec_name))
        if mode in {'create', 'delete'} and external:
            cls.check_own(handovers)

    @classmethod
    def check_own(cls, handovers):
        "Refuse the handovers of another clerk than the acting one"
        for handover in handovers:
            if not is_own_employee(handover.clerk):
                raise HandoverError(gettext(
                        'hall_cash.msg_handover_not_own',
                        handover=handover.rec_name,
                        clerk=handover.clerk.rec_name))

    @classmethod
    def check_hand(cls, handovers):
        "Check the cash handed matches the settlements"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Relation = pool.get('hall.cash.handover-hall.cash.settlement')
        lang = Lang.get()
        others = Relation.search([
                ('settlement', 'in', [
                        s.id for h in handovers for s in h.settlements]),
                ('handover', 'not in', [h.id for h in handovers]),
                ('handover.state', '!=', 'draft'),
                ], limit=1)
        if others:
            other, = others
            raise HandoverError(gettext(
                    'hall_cash.msg_handover_settlement_handed',
                    settlement=other.settlement.rec_name,
                    handover=other.handover.rec_name))
        for handover in handovers:
            if not handover.settlements:
                raise HandoverError(gettext(
                        'hall_cash.msg_handover_no_settlement',
                        handover=handover.rec_name))
            for settlement in handover.settlements:
                if (settlement.state != 'confirmed'
                        or settlement.clerk != handover.clerk
                        or settlement.hall != handover.hall):
                    raise HandoverError(gettext(
                            'hall_cash.msg_handover_settlement_confirmed',
                            handover=handover.rec_name,
                            settlement=settlement.rec_name))
                if (settlement.retained
                        and not settlement.retention_approved_at):
                    raise RetentionError(gettext(
                            'hall_cash.msg_handover_retention_not_approved',
                            settlement=settlement.rec_name,
                            date=lang.strftime(settlement.date)))
            if handover.cash_amount != handover.settlement_amount:
                raise HandoverError(gettext(
                        'hall_cash.msg_handover_amount',
                        handover=handover.rec_name,
                        cash=lang.currency(
                            handover.cash_amount, handover.currency),
                        expected=lang.currency(
                            handover.settlement_amount, handover.currency)))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, handovers):
        cls.write(handovers, {'handed_at': None})

    @classmethod
    def lock_settlements(cls, handovers):
        """Lock the handovers and the others with the same settlements

        Two handovers of a settlement handed or received at once: the second
        waits for the first and, as the first changed its handover, reads
        them afresh."""
        pool = Pool()
        Relation = pool.get('hall.cash.handover-hall.cash.settlement')
        others = Relation.search([
                ('settlement', 'in', [
                        s.id for h in handovers for s in h.settlements]),
                ])
        cls.lock(set(handovers) | {r.handover for r in others})

    @classmethod
    @ModelView.button
    def hand(cls, handovers):
        cls.lock_settlements(handovers)
        for handover in handovers:
            if handover.state != 'draft':
                raise HandoverError(gettext(
                        'hall_cash.msg_handover_already_handed',
                        handover=handover.rec_name))
        cls.check_own(handovers)
        cls._hand(handovers)

    @classmethod
    @Workflow.transition('handed')
    def _hand(cls, handovers):
        cls.check_hand(handovers)
        cls.write(handovers, {'handed_at': datetime.datetime.now()})

    @classmethod
    @ModelView.button
    def receive(cls, handovers):
        # Two receivers at once: the second waits for the lock and finds
        # the handover received
        cls.lock_settlements(handovers)
        for handover in handovers:
            if handover.state == 'received':
                raise HandoverError(gettext(
                        'hall_cash.msg_handover_already_received',
                        handover=handover.rec_name))
            if handover.state != 'handed':
                raise HandoverError(gettext(
                        'hall_cash.msg_handover_receive_state',
                        handover=handover.rec_name))
        cls._receive(handovers)

    @classmethod
    @Workflow.transition('received')
    def _receive(cls, handovers):
        pool = Pool()
        Move = pool.get('account.move')
        Settlement = pool.get('hall.cash.settlement')
        cls.check_hand(handovers)
        moves = cls.get_transfer_moves(handovers)
        Move.save(list(moves.values()))
        Move.post(list(moves.values()))
        employee = acting_employee()
        now = datetime.datetime.now()
        for handover in handovers:
            handover.move = moves.get(handover)
            handover.received_by = employee
            handover.received_at = now
            if not handover.receiver:
                handover.receiver = employee
        cls.save(handovers)
        Settlement.hand_over(
            [s for h in handovers for s in h.settlements])

    def get_transfer(self, configuration):
        "The cash goes from the hall to the safe of the quality post"
        if not self.cash_amount:
            # Only cheques and bank card slips: no cash moves
            return None, None, None, self.cash_amount
        journal = configuration.get_multivalue(
            'cash_journal', company=self.company.id)
        safe = configuration.get_multivalue(
            'safe_account', company=self.company.id)
        cash = self.hall.cash_account
        if not journal or not safe or not cash:
            raise CashConfigurationError(gettext(
                    'hall_cash.msg_handover_account_missing',
                    hall=self.hall.rec_name))
        return journal, safe, cash, self.cash_amount


class HandoverSettlement(HallModelMixin, ModelSQL):
    __name__ = 'hall.cash.handover-hall.cash.settlement'

    handover = fields.Many2One(
        'hall.cash.handover', "Handover", required=True,
        ondelete='CASCADE')
    settlement = fields.Many2One(
        'hall.cash.settlement', "Settlement", required=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('settlement_unique',
                Exclude(t, (t.handover, Equal), (t.settlement, Equal)),
                'hall_cash.msg_handover_settlement_unique'),
            ]


class HandoverCount(HallModelMixin, CashCountMixin, ModelSQL, ModelView):
    "The notes or coins of a denomination handed over"
    __name__ = 'hall.cash.handover.count'
    _count_document = 'handover'

    handover = fields.Many2One(
        'hall.cash.handover', "Handover", required=True,
        ondelete='CASCADE')
    bundles = fields.Function(
        fields.Integer(
            "Bundles", help="The bundles of %s notes." % BUNDLE),
        'on_change_with_bundles')
    loose = fields.Function(
        fields.Integer("Loose", help="The notes out of a bundle."),
        'on_change_with_loose')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    handover_state = fields.Function(
        fields.Selection(STATES, "Handover State"),
        'on_change_with_handover_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('handover')
        cls.count.states = {
            'readonly': Eval('handover_state', 'draft') != 'draft',
            }
        cls.count.help = "The number of notes or coins handed over."

    @fields.depends('count')
    def on_change_with_bundles(self, name=None):
        if self.count is not None:
            return self.count // BUNDLE

    @fields.depends('count')
    def on_change_with_loose(self, name=None):
        if self.count is not None:
            return self.count % BUNDLE

    @fields.depends('handover', '_parent_handover.hall')
    def on_change_with_currency(self, name=None):
        if self.handover and self.handover.hall:
            return self.handover.hall.company.currency

    @fields.depends('handover', '_parent_handover.state')
    def on_change_with_handover_state(self, name=None):
        if self.handover:
            return self.handover.state

    @classmethod
    def check_modification(cls, mode, counts, values=None, external=False):
        pool = Pool()
        Handover = pool.get('hall.cash.handover')
        super().check_modification(
            mode, counts, values=values, external=external)
        if external:
            for count in counts:
                handover = count.handover
                if handover.state != 'draft':
                    raise HandoverError(gettext(
                            'hall_cash.msg_handover_edit_draft',
                            handover=handover.rec_name))
            Handover.check_own({c.handover for c in counts})
