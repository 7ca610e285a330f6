# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company import CompanyReport
from trytond.modules.currency.fields import Monetary
from trytond.modules.hall_duties.common import (
    acting_employee, users_to_employees)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .common import DENOMINATIONS, CashTransferMixin
from .exceptions import CashConfigurationError, DepositError
from .handover import BUNDLE

STATES = [
    ('draft', "Draft"),
    ('sent', "Sent"),
    ('confirmed', "Confirmed"),
    ]


class Deposit(
        HallDocumentMixin, CashTransferMixin, Workflow,
        ModelSQL, ModelView):
    "The cash the quality post deposits at the bank (现金送款单)"
    __name__ = 'hall.cash.deposit'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    date = fields.Date("Date", required=True, states=_states)
    depositor = fields.Many2One(
        'company.employee', "Depositor", ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states=_states,
        help="The quality manager who packs and sends the cash.")
    journal = fields.Many2One(
        'account.statement.journal', "Bank", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states,
        help="The bank account the cash is deposited to.")
    reference = fields.Char(
        "Slip Number", states=_states,
        help="The number printed on the bank's deposit slip.")
    handovers = fields.One2Many(
        'hall.cash.handover', 'deposit', "Handovers",
        add_remove=[
            ('hall', '=', Eval('hall', -1)),
            ('state', '=', 'received'),
            ('deposit', '=', None),
            ],
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ('state', '=', 'received'),
            ],
        states=_states,
        help="The cash received in the safe that is deposited.")
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'get_amount')
    safe_amount = fields.Function(Monetary(
            "In Safe", currency='currency', digits='currency',
            help="The cash received in the safe of the hall "
            "and not yet sent to the bank."),
        'get_safe_amount')
    sent_at = fields.DateTime("Sent At", readonly=True)
    move = fields.Many2One(
        'account.move', "Account Move", readonly=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    statement_line = fields.Many2One(
        'account.statement.line', "Statement Line", readonly=True,
        help="The bank statement line confirming the deposit.")
    confirmed_by = fields.Many2One(
        'company.employee', "Confirmed By", readonly=True)
    confirmed_at = fields.DateTime("Confirmed At", readonly=True)
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
            ('draft', 'sent'),
            ('sent', 'confirmed'),
            ('confirmed', 'sent'),
            }
        cls._buttons.update({
                'pack': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'send': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        # Migration from 8.0.1: who confirmed is an employee
        users_to_employees(cls, module, ['confirmed_by'])
        super().__register__(module)

    @classmethod
    def default_depositor(cls):
        return acting_employee()

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('hall')
    def on_change_with_currency(self, name=None):
        if self.hall and self.hall.company:
            return self.hall.company.currency

    def get_rec_name(self, name):
        name = f'{self.hall.rec_name} {self.date}'
        if self.reference:
            name += f' [{self.reference}]'
        return name

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('reference',) + tuple(clause[1:]),
            ('hall.rec_name',) + tuple(clause[1:]),
            ]

    @classmethod
    def get_amount(cls, deposits, name):
        pool = Pool()
        Handover = pool.get('hall.cash.handover')
        handovers = [h for d in deposits for h in d.handovers]
        amounts = Handover.get_amounts(handovers, ['cash_amount'])
        result = {}
        for deposit in deposits:
            result[deposit.id] = deposit.currency.round(sum(
                    (amounts['cash_amount'][h.id]
                        for h in deposit.handovers),
                    Decimal(0)))
        return result

    @classmethod
    def get_safe_amount(cls, deposits, name):
        amounts = cls._safe_amounts({d.hall for d in deposits})
        return {d.id: amounts[d.hall] for d in deposits}

    @fields.depends('hall')
    def on_change_with_safe_amount(self, name=None):
        if self.hall:
            return self._safe_amounts([self.hall])[self.hall]

    @classmethod
    def _safe_amounts(cls, halls):
        "Return the cash in the safe per hall"
        pool = Pool()
        Handover = pool.get('hall.cash.handover')
        handovers = Handover.search([
                ('hall', 'in', [h.id for h in halls]),
                ('in_safe', '=', True),
                ])
        amounts = Handover.get_amounts(handovers, ['cash_amount'])
        totals = defaultdict(Decimal)
        for handover in handovers:
            totals[handover.hall] += amounts['cash_amount'][handover.id]
        return totals

    def get_counts(self):
        """Return the notes and coins of the deposit as a list of
        (denomination, count, bundles, loose, amount)"""
        counts = defaultdict(int)
        for handover in self.handovers:
            for count in handover.counts:
                counts[count.denomination] += count.count
        return [
            (d, counts[d], counts[d] // BUNDLE, counts[d] % BUNDLE,
                d * counts[d])
            for d in DENOMINATIONS if counts[d]]

    @classmethod
    def copy(cls, deposits, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('handovers', None)
        default.setdefault('reference', None)
        default.setdefault('sent_at', None)
        default.setdefault('move', None)
        default.setdefault('statement_line', None)
        default.setdefault('confirmed_by', None)
        default.setdefault('confirmed_at', None)
        return super().copy(deposits, default=default)

    @classmethod
    def check_modification(
            cls, mode, deposits, values=None, external=False):
        super().check_modification(
            mode, deposits, values=values, external=external)
        if mode == 'delete':
            for deposit in deposits:
                if deposit.state != 'draft':
                    raise DepositError(gettext(
                            'hall_cash.msg_deposit_delete_draft',
                            deposit=deposit.rec_name))
        elif mode == 'write' and external:
            for deposit in deposits:
                if deposit.state != 'draft':
                    raise DepositError(gettext(
                            'hall_cash.msg_deposit_edit_draft',
                            deposit=deposit.rec_name))

    @classmethod
    @ModelView.button
    def pack(cls, deposits):
        "Add the cash in the safe received up to the date of the deposit"
        pool = Pool()
        Handover = pool.get('hall.cash.handover')
        deposits = [d for d in deposits if d.state == 'draft']
        if not deposits:
            return
        handovers = Handover.search([
                ('hall', 'in', [d.hall.id for d in deposits]),
                ('state', '=', 'received'),
                ('deposit', '=', None),
                ('date', '<=', max(d.date for d in deposits)),
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        to_write = defaultdict(list)
        for handover in handovers:
            for deposit in deposits:
                if (deposit.hall == handover.hall
                        and handover.date <= deposit.date):
                    to_write[deposit].append(handover)
                    break
        args = []
        for deposit, handovers in to_write.items():
            args.extend((handovers, {'deposit': deposit.id}))
        if args:
            Handover.write(*args)

    @classmethod
    def check_send(cls, deposits):
        pool = Pool()
        Handover = pool.get('hall.cash.handover')
        for deposit in deposits:
            if not deposit.handovers or not deposit.amount:
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_no_handover',
                        deposit=deposit.rec_name))
            if deposit.journal.currency != deposit.currency:
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_currency',
                        deposit=deposit.rec_name,
                        bank=deposit.journal.rec_name))
        # Read again the handovers under lock: a handover received in the
        # safe goes to the bank once
        handovers = Handover.browse(
            [h.id for d in deposits for h in d.handovers])
        Handover.lock(handovers)
        for handover in handovers:
            if (handover.state != 'received'
                    or handover.deposit not in deposits
                    or handover.hall != handover.deposit.hall):
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_handover_received',
                        handover=handover.rec_name))

    @classmethod
    @ModelView.button
    def send(cls, deposits):
        # Two quality managers at once: the second waits for the lock and
        # finds the deposit sent
        cls.lock(deposits)
        for deposit in deposits:
            if deposit.state != 'draft':
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_already_sent',
                        deposit=deposit.rec_name))
        cls._send(deposits)

    @classmethod
    @Workflow.transition('sent')
    def _send(cls, deposits):
        pool = Pool()
        Move = pool.get('account.move')
        if not deposits:
            return
        cls.check_send(deposits)
        moves = cls.get_transfer_moves(deposits)
        Move.save(list(moves.values()))
        Move.post(list(moves.values()))
        now = datetime.datetime.now()
        for deposit in deposits:
            deposit.move = moves.get(deposit)
            deposit.sent_at = now
        cls.save(deposits)

    def get_transfer(self, configuration):
        "The cash goes from the safe to the bank, in transit"
        journal, safe, transit = [
            configuration.get_multivalue(name, company=self.company.id)
            for name in ['cash_journal', 'safe_account', 'transit_account']]
        if not journal or not safe or not transit:
            raise CashConfigurationError(gettext(
                    'hall_cash.msg_deposit_account_missing',
                    deposit=self.rec_name))
        if not transit.reconcile:
            raise CashConfigurationError(gettext(
                    'hall_cash.msg_deposit_transit_reconcile',
                    account=transit.rec_name))
        return journal, transit, safe, self.amount

    @property
    def transit_line(self):
        "The line of the move debiting the cash in transit"
        if self.move:
            for line in self.move.lines:
                if line.debit and line.account.reconcile:
                    return line

    @classmethod
    @without_check_access
    def confirm(cls, lines):
        """Confirm the deposits of the statement lines

        lines is a list of (move line, statement line) as the statement
        gives them to reconcile."""
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        lines = [(m, l) for m, l in lines
            if l and isinstance(l.related_to, cls)]
        if not lines:
            return
        deposits = cls.browse([l.related_to.id for _, l in lines])
        cls.lock(deposits)
        deposits = {d.id: d for d in deposits}
        seen = set()
        to_reconcile = []
        for move_line, line in lines:
            deposit = deposits[line.related_to.id]
            if deposit.state != 'sent' or deposit.id in seen:
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_confirm_sent',
                        deposit=deposit.rec_name,
                        line=line.rec_name))
            seen.add(deposit.id)
            if line.amount != deposit.amount:
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_confirm_amount',
                        deposit=deposit.rec_name,
                        amount=lang.currency(
                            deposit.amount, deposit.currency),
                        bank=lang.currency(line.amount, deposit.currency)))
            if line.statement.journal != deposit.journal:
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_confirm_bank',
                        deposit=deposit.rec_name,
                        bank=deposit.journal.rec_name))
            transit = deposit.transit_line
            if move_line.account != transit.account:
                raise DepositError(gettext(
                        'hall_cash.msg_deposit_confirm_account',
                        deposit=deposit.rec_name,
                        account=transit.account.rec_name))
            to_reconcile.append([transit, move_line])
            deposit.statement_line = line
        MoveLine.reconcile(*to_reconcile)
        deposits = [deposits[i] for i in seen]
        employee = acting_employee()
        now = datetime.datetime.now()
        for deposit in deposits:
            deposit.confirmed_by = employee
            deposit.confirmed_at = now
        cls.save(deposits)
        cls._confirm(deposits)

    @classmethod
    @Workflow.transition('confirmed')
    def _confirm(cls, deposits):
        pass

    @classmethod
    @without_check_access
    @Workflow.transition('sent')
    def unconfirm(cls, deposits):
        "Return the deposits to sent when their statement is cancelled"
        cls.write(deposits, {
                'statement_line': None,
                'confirmed_by': None,
                'confirmed_at': None,
                })


class DepositReport(CompanyReport):
    "The deposit slip (现金送款单)"
    __name__ = 'hall.cash.deposit'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['counts'] = {r.id: r.get_counts() for r in records}
        return context


class Handover(metaclass=PoolMeta):
    __name__ = 'hall.cash.handover'

    deposit = fields.Many2One(
        'hall.cash.deposit', "Deposit", ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states={
            'readonly': ((Eval('state') != 'received')
                | (Eval('deposit_state', 'draft') != 'draft')),
            },
        help="The bank deposit the cash is sent with.")
    deposit_state = fields.Function(
        fields.Selection(STATES + [(None, "")], "Deposit State"),
        'on_change_with_deposit_state')
    in_safe = fields.Function(fields.Boolean(
            "In Safe",
            help="Received by the quality post and not yet sent to the "
            "bank."),
        'get_in_safe', searcher='search_in_safe')

    @classmethod
    def copy(cls, handovers, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('deposit', None)
        return super().copy(handovers, default=default)

    @fields.depends('deposit', '_parent_deposit.state')
    def on_change_with_deposit_state(self, name=None):
        if self.deposit:
            return self.deposit.state

    def get_in_safe(self, name):
        return (self.state == 'received'
            and (not self.deposit or self.deposit.state == 'draft'))

    @classmethod
    def search_in_safe(cls, name, clause):
        _, operator, value = clause
        if operator not in {'=', '!='}:
            return []
        in_safe = bool(value) == (operator == '=')
        domain = [
            ('state', '=', 'received'),
            ['OR',
                ('deposit', '=', None),
                ('deposit.state', '=', 'draft'),
                ],
            ]
        if in_safe:
            return domain
        return ['NOT', domain]

    @classmethod
    def check_modification(
            cls, mode, handovers, values=None, external=False):
        super().check_modification(
            mode, handovers, values=values, external=external)
        if mode == 'write' and external and 'deposit' in values:
            Deposit = Pool().get('hall.cash.deposit')
            deposits = {h.deposit for h in handovers if h.deposit}
            if values['deposit'] is not None:
                # A deposit that does not exist is refused by its key
                deposits.update(Deposit.search([
                            ('id', '=', values['deposit']),
                            ]))
            for deposit in deposits:
                if deposit.state != 'draft':
                    raise DepositError(gettext(
                            'hall_cash.msg_deposit_edit_draft',
                            deposit=deposit.rec_name))
