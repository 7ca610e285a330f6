# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The clerk's settlement (结帐单): its fees, waivers, counts, non-cash
takings and invoice checks, the make-ups of a short, the import of the
billing system's day report and the printed settlement."""
import csv
import datetime
import io
import re
from collections import defaultdict
from decimal import Decimal

from sql import Cast, Column, Literal, Null, Union
from sql.functions import CurrentTimestamp
from sql.aggregate import Count, Sum
from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Check, DeactivableMixin, Exclude, Index, ModelSQL, ModelView, Workflow,
    fields)
from trytond.modules.company import CompanyReport
from trytond.modules.currency.fields import Monetary
from trytond.modules.hall_duties.common import (
    MAX_AMOUNT, HallModelMixin, acting_employee, in_hall_groups)
from trytond.modules.hall_duties.roster import COVERS, SHIFTS
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice, sqlite_apply_types
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .common import (
    DENOMINATIONS, AmountCheckMixin, CashCountMixin,
    find_periods)
from .exceptions import (
    CashConfigurationError, ImportFeesError, MakeUpError, OverError,
    RetentionError, SettlementConfirmedError, SettlementRotaError,
    SettlementRotaWarning, SettlementShortWarning, SettlementStateError,
    SettlementValidationError, ShortageError, WaiverApprovalError)

STATES = [
    ('draft', "Draft"),
    ('counted', "Counted"),
    ('investigating', "Investigating"),
    ('confirmed', "Confirmed"),
    ('handed', "Handed Over"),
    ]

# The states of a settlement nobody edits
CLOSED_STATES = ['confirmed', 'handed']

NON_CASH_KINDS = [
    ('cheque', "Cheque"),
    ('bank_card', "Bank Card"),
    ]

# The billing report a clerk imports: its size, its rows and the amounts
# of its rows, in yuan, with or without thousands separators
IMPORT_MAX_SIZE = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 20000
# The fees created at once: the records the ORM validates together cost the
# square of their number (tests/perf/bench_import.py)
IMPORT_CREATE_SIZE = 200
IMPORT_AMOUNT = re.compile(r'-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\Z')

MAKE_UP_CAUSES = [
    ('not_collected', "Posting Not Collected"),
    ('waiver_not_applied', "Waiver Not Applied"),
    ('other', "Other"),
    ]
# The colours of the balance (the colours of the client's "success",
# "warning" and "danger"): 长款 amber, 短款 red
BALANCE_COLORS = {
    'balanced': '#5cb85c',
    'over': '#f0ad4e',
    'short': '#d9534f',
    }


class BusinessType(HallModelMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'hall.cash.business_type'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True,
        help="The code of the business in the billing system's report.")
    name = fields.Char("Name", required=True)
    account = fields.Many2One(
        'account.account', "Account", required=True, ondelete='RESTRICT',
        domain=[
            ('type', '!=', None),
            ('closed', '!=', True),
            ('company', '=', Eval('company', -1)),
            ],
        help="Credited with the fees of this business (billing clearing "
        "or revenue).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Exclude(t, (t.company, Equal), (t.code, Equal)),
                'hall_cash.msg_business_type_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f'[{self.code}] {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ]


class Settlement(
        HallModelMixin, AmountCheckMixin, Workflow, ModelSQL,
        ModelView):
    __name__ = 'hall.cash.settlement'
    _rec_name = 'number'
    _amount_checks = {
        'card_sales': (
            'hall_cash.msg_settlement_card_sales_positive', False),
        }

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    clerk = fields.Many2One(
        'company.employee', "Clerk", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('hall', '=', Eval('hall', -1)),
            ],
        states=_states)
    date = fields.Date("Date", required=True, states=_states)
    shift = fields.Selection(SHIFTS, "Shift", required=True, states=_states)
    shift_string = shift.translated('shift')

    fees = fields.One2Many(
        'hall.cash.settlement.fee', 'settlement', "Business Fees",
        states=_states,
        help="The day's totals per business from the billing system's "
        "report (营业报表).")
    card_sales = Monetary(
        "Card Sales", currency='currency', digits='currency', required=True,
        states=_states)
    waivers = fields.One2Many(
        'hall.cash.settlement.waiver', 'settlement', "Waivers",
        states=_states)
    counts = fields.One2Many(
        'hall.cash.settlement.count', 'settlement', "Cash Count",
        states=_states)
    non_cash = fields.One2Many(
        'hall.cash.settlement.non_cash', 'settlement', "Non-Cash Takings",
        states=_states)
    checks = fields.One2Many(
        'hall.cash.settlement.check', 'settlement', "Invoice Checks",
        states={
            'readonly': ((Eval('state') != 'investigating')
                | Bool(Eval('over_registered_at'))),
            'invisible': ~Eval('state').in_(
                ['investigating', 'confirmed', 'handed']),
            },
        help="The invoices printed against the postings in the billing "
        "report.")
    make_ups = fields.One2Many(
        'hall.cash.makeup', 'settlement', "Make-ups",
        states={
            'readonly': ~Eval('state').in_(['counted', 'investigating']),
            'invisible': Eval('state') == 'draft',
            })

    fee_amount = fields.Function(Monetary(
            "Business Fees", currency='currency', digits='currency'),
        'get_amounts')
    receivable = fields.Function(Monetary(
            "Receivable", currency='currency', digits='currency',
            help="The business fees and the card sales."),
        'get_amounts')
    waiver_amount = fields.Function(Monetary(
            "Approved Waivers", currency='currency', digits='currency'),
        'get_amounts')
    payable = fields.Function(Monetary(
            "Payable", currency='currency', digits='currency',
            help="The receivable less the approved waivers."),
        'get_amounts')
    cash_amount = fields.Function(Monetary(
            "Cash", currency='currency', digits='currency'),
        'get_amounts')
    non_cash_amount = fields.Function(Monetary(
            "Non-Cash", currency='currency', digits='currency'),
        'get_amounts')
    counted = fields.Function(Monetary(
            "Counted", currency='currency', digits='currency',
            help="The cash counted and the non-cash takings."),
        'get_amounts')
    difference = fields.Function(Monetary(
            "Difference", currency='currency', digits='currency',
            help="The counted less the payable: "
            "positive is an over, negative a shortage."),
        'get_amounts')
    balance = fields.Function(fields.Selection([
                ('balanced', "Balanced"),
                ('over', "Over"),
                ('short', "Short"),
                ], "Balance",
            help="Whether the counted is over or short of the payable."),
        'on_change_with_balance')
    balance_color = fields.Function(fields.Char(
            "Balance Colour",
            help="The colour the form shows the balance in."),
        'on_change_with_balance_color')
    make_up_amount = fields.Function(Monetary(
            "Made Up", currency='currency', digits='currency'),
        'get_amounts')
    takings = fields.Function(Monetary(
            "Takings", currency='currency', digits='currency',
            help="The counted and the make-ups: what is handed over."),
        'get_amounts')

    over_amount = Monetary(
        "Registered Over", currency='currency', digits='currency',
        readonly=True,
        states={
            'invisible': ~Eval('over_registered_at'),
            },
        help="The over left unexplained, registered with the quality post "
        "and booked to the cash over account.")
    over_registered_by = fields.Many2One(
        'company.employee', "Over Registered By", readonly=True,
        states={
            'invisible': ~Eval('over_registered_at'),
            })
    over_registered_at = fields.DateTime(
        "Over Registered At", readonly=True,
        states={
            'invisible': ~Eval('over_registered_at'),
            })
    rota_override_by = fields.Many2One(
        'company.employee', "Off-Rota Counted By", readonly=True,
        states={
            'invisible': ~Eval('rota_override_at'),
            },
        help="The director who counted the settlement although its clerk "
        "is not on the published rota of the shift.")
    rota_override_at = fields.DateTime(
        "Off-Rota Counted At", readonly=True,
        states={
            'invisible': ~Eval('rota_override_at'),
            })
    confirmed_by = fields.Many2One(
        'company.employee', "Confirmed By", readonly=True,
        states={
            'invisible': ~Eval('confirmed_by'),
            })
    move = fields.Many2One(
        'account.move', "Account Move", readonly=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'invisible': ~Eval('move'),
            })
    handovers = fields.Many2Many(
        'hall.cash.handover-hall.cash.settlement', 'settlement', 'handover',
        "Handovers", readonly=True,
        states={
            'invisible': ~Eval('handovers'),
            })
    retained = fields.Function(fields.Boolean(
            "Retained Overnight",
            help="Not handed over by the end of its day."),
        'get_retained', searcher='search_retained')
    retention_reason = fields.Char(
        "Retention Reason",
        states={
            'readonly': (~Eval('retained')
                | Bool(Eval('retention_approved_at'))),
            'invisible': ~Eval('retained'),
            'required': Bool(Eval('retention_approved_at')),
            },
        help="Why the takings stay with the clerk overnight.")
    retention_approved_by = fields.Many2One(
        'company.employee', "Retention Approved By", readonly=True,
        states={
            'invisible': ~Eval('retention_approved_at'),
            })
    retention_approved_at = fields.DateTime(
        "Retention Approved At", readonly=True,
        states={
            'invisible': ~Eval('retention_approved_at'),
            })
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"),
        'on_change_with_currency')

    del _states

    # The fields a user may write on a closed settlement
    _closed_writable = {'retention_reason'}
    _closed_writable_internal = _closed_writable | {
        'state', 'retention_approved_by', 'retention_approved_at'}

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('clerk_shift_unique',
                Exclude(t,
                    (t.clerk, Equal), (t.date, Equal), (t.shift, Equal)),
                'hall_cash.msg_settlement_clerk_shift_unique'),
            ('card_sales_positive', Check(t, t.card_sales >= 0),
                'hall_cash.msg_settlement_card_sales_positive'),
            ]
        cls._sql_indexes.add(
            Index(
                t,
                (t.state, Index.Equality(cardinality='low')),
                where=t.state.in_(['draft', 'counted', 'investigating'])))
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'counted'),
            ('counted', 'draft'),
            ('counted', 'investigating'),
            ('investigating', 'draft'),
            ('counted', 'confirmed'),
            ('investigating', 'confirmed'),
            ('confirmed', 'handed'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': (
                        ~Eval('state').in_(['counted', 'investigating'])
                        | Bool(Eval('over_registered_at'))),
                    'icon': 'tryton-back',
                    'depends': ['state', 'over_registered_at'],
                    },
                'count': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'import_fees': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-import',
                    'depends': ['state'],
                    },
                'investigate': {
                    'invisible': Eval('state') != 'counted',
                    'depends': ['state'],
                    },
                'post_invoices': {
                    'invisible': (
                        (Eval('state') != 'investigating')
                        | Bool(Eval('over_registered_at'))),
                    'depends': ['state', 'over_registered_at'],
                    },
                'register_over': {
                    'invisible': (
                        (Eval('state') != 'investigating')
                        | Bool(Eval('over_registered_at'))),
                    'depends': ['state', 'over_registered_at'],
                    },
                'confirm': {
                    'invisible': ~Eval('state').in_(
                        ['counted', 'investigating']),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'approve_retention': {
                    'invisible': (~Eval('retained')
                        | Bool(Eval('retention_approved_at'))),
                    'depends': ['retained', 'retention_approved_at'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('retained') & ~Eval('retention_approved_at'),
                    'danger', '')),
            # 短款 red, 长款 amber
            ('/tree/field[@name="difference"]', 'visual',
                If(Eval('difference', 0) < 0, 'danger',
                    If(Eval('difference', 0) > 0, 'warning', ''))),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_clerk(cls):
        return acting_employee()

    @classmethod
    def default_hall(cls):
        pool = Pool()
        Employee = pool.get('company.employee')
        employee_id = cls.default_clerk()
        if employee_id is not None and employee_id >= 0:
            employee = Employee(employee_id)
            if employee.hall:
                return employee.hall.id

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_shift(cls):
        "The shift of the clerk on today's published rota"
        pool = Pool()
        RosterLine = pool.get('hall.roster.line')
        Date = pool.get('ir.date')
        clerk = cls.default_clerk()
        if clerk is None:
            return None
        lines = RosterLine.search([
                ('employee', '=', clerk),
                ('date', '=', Date.today()),
                ('roster.state', '=', 'published'),
                ])
        shifts = {line.shift for line in lines}
        if len(shifts) == 1:
            return shifts.pop()

    @classmethod
    def default_card_sales(cls):
        return Decimal(0)

    @classmethod
    def default_counts(cls):
        return [
            {'denomination': d, 'count': 0} for d in DENOMINATIONS]

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('clerk', 'hall')
    def on_change_clerk(self):
        if self.clerk and self.clerk.hall:
            self.hall = self.clerk.hall

    @classmethod
    def _retained_domain(cls, retained=True):
        "The domain of the settlements not handed over by the end of the day"
        today = Pool().get('ir.date').today()
        handed = [('state', 'in', ['handed', 'received'])]
        if retained:
            return [
                ('date', '<', today),
                ('state', '!=', 'handed'),
                ('handovers', 'not where', handed),
                ]
        return ['OR',
            ('date', '>=', today),
            ('state', '=', 'handed'),
            ('handovers', 'where', handed),
            ]

    @classmethod
    def get_retained(cls, settlements, name):
        today = Pool().get('ir.date').today()
        retained = set()
        candidates = [
            s.id for s in settlements
            if s.state != 'handed' and s.date < today]
        for sub_ids in grouped_slice(candidates):
            retained.update(map(int, cls.search([
                            ('id', 'in', list(sub_ids)),
                            *cls._retained_domain(),
                            ], order=[])))
        return {s.id: s.id in retained for s in settlements}

    @classmethod
    def search_retained(cls, name, clause):
        _, operator, value = clause
        if operator not in {'=', '!='}:
            raise NotImplementedError
        return cls._retained_domain((operator == '=') == bool(value))

    @classmethod
    def _amount_queries(cls):
        "Return the aggregates of the amounts per kind"
        pool = Pool()
        Fee = pool.get('hall.cash.settlement.fee')
        Waiver = pool.get('hall.cash.settlement.waiver')
        CashCount = pool.get('hall.cash.settlement.count')
        NonCash = pool.get('hall.cash.settlement.non_cash')
        MakeUp = pool.get('hall.cash.makeup')
        # kind: (table, amount, where)
        fee = Fee.__table__()
        waiver = Waiver.__table__()
        count = CashCount.__table__()
        non_cash = NonCash.__table__()
        make_up = MakeUp.__table__()
        return {
            'fee': (fee, fee.amount, None),
            'waiver': (waiver, waiver.amount, waiver.approved_at != Null),
            'any_waiver': (waiver, waiver.amount, None),
            'cash': (count, count.denomination * count.count, None),
            'non_cash': (non_cash, non_cash.amount, None),
            'make_up': (make_up, make_up.amount, None),
            }

    @classmethod
    def _count_queries(cls):
        """Return the records per kind the confirmation refuses: the
        waivers not approved and the late make-ups not accepted"""
        pool = Pool()
        Waiver = pool.get('hall.cash.settlement.waiver')
        MakeUp = pool.get('hall.cash.makeup')
        # kind: (from, settlement column, where)
        waiver = Waiver.__table__()
        make_up = MakeUp.__table__()
        settlement = cls.__table__()
        return {
            'pending_waiver': (
                waiver, waiver.settlement, waiver.approved_at == Null),
            'late_make_up': (
                make_up.join(settlement,
                    condition=make_up.settlement == settlement.id),
                make_up.settlement,
                (make_up.date > settlement.date)
                & (make_up.late_accepted_at == Null)),
            }

    # The column the totals of a kind are per, as text
    _total_keys = {
        'fee': 'business_type',
        'non_cash': 'kind',
        }

    @classmethod
    def get_totals(cls, settlements, kinds):
        """Return the totals per kind, settlement id and key, in one query

        As {kind: {settlement id: {key: total}}}: the sums of the kinds of
        _amount_queries, the numbers of records of those of _count_queries;
        the key is the business type of a fee (as text), the kind of a
        non-cash taking, otherwise None."""
        cursor = Transaction().connection.cursor()
        amounts = cls._amount_queries()
        counts = cls._count_queries()
        ids = [s.id for s in settlements]
        totals = {k: defaultdict(dict) for k in kinds}
        if not kinds:
            return totals
        for sub_ids in grouped_slice(
                ids, backend.MAX_QUERY_PARAMS // len(kinds)):
            sub_ids = list(sub_ids)
            queries = []
            for kind in kinds:
                if kind in amounts:
                    from_, amount, where = amounts[kind]
                    settlement = from_.settlement
                    total = Sum(amount)
                else:
                    from_, settlement, where = counts[kind]
                    total = Count(settlement)
                clause = fields.SQL_OPERATORS['in'](settlement, sub_ids)
                if where is not None:
                    clause &= where
                group_by = [settlement]
                if kind in cls._total_keys:
                    key = Column(from_, cls._total_keys[kind])
                    group_by.append(key)
                    key = Cast(key, 'VARCHAR')
                else:
                    key = Literal(None)
                query = from_.select(
                    settlement.as_('settlement'),
                    Literal(kind).as_('kind'),
                    key.as_('key'),
                    total.as_('total'),
                    where=clause,
                    group_by=group_by)
                if backend.name == 'sqlite':
                    sqlite_apply_types(query, [None, None, None, 'NUMERIC'])
                queries.append(query)
            cursor.execute(*Union(*queries, all_=True))
            for settlement_id, kind, key, total in cursor:
                totals[kind][settlement_id][key] = total
        return totals

    # The kinds of totals each amount is made of
    _amount_kinds = {
        'fee_amount': {'fee'},
        'receivable': {'fee'},
        'waiver_amount': {'waiver'},
        'payable': {'fee', 'waiver'},
        'cash_amount': {'cash'},
        'non_cash_amount': {'non_cash'},
        'counted': {'cash', 'non_cash'},
        'difference': {'fee', 'waiver', 'cash', 'non_cash'},
        'make_up_amount': {'make_up'},
        'takings': {'cash', 'non_cash', 'make_up'},
        # Numbers of records, not amounts: what the confirmation refuses
        'pending_waivers': {'pending_waiver'},
        'late_make_ups': {'late_make_up'},
        }

    @classmethod
    def get_amounts(cls, settlements, names, totals=None):
        """Return the amounts of names per settlement id

        From the totals of get_totals when they are given with the kinds
        the names are made of."""
        kinds = set().union(*(cls._amount_kinds[n] for n in names))
        if totals is None or not kinds <= totals.keys():
            totals = cls.get_totals(settlements, sorted(kinds))
        result = {n: {} for n in names}
        for settlement in settlements:
            round_ = settlement.company.currency.round

            def total(kind):
                return sum(
                    totals[kind][settlement.id].values(), Decimal(0))
            values = {}
            if 'fee' in kinds:
                values['fee_amount'] = round_(total('fee'))
                values['receivable'] = (
                    values['fee_amount'] + settlement.card_sales)
            if 'waiver' in kinds:
                values['waiver_amount'] = round_(total('waiver'))
            if {'fee', 'waiver'} <= kinds:
                values['payable'] = (
                    values['receivable'] - values['waiver_amount'])
            if 'cash' in kinds:
                values['cash_amount'] = round_(total('cash'))
            if 'non_cash' in kinds:
                values['non_cash_amount'] = round_(total('non_cash'))
            if {'cash', 'non_cash'} <= kinds:
                values['counted'] = (
                    values['cash_amount'] + values['non_cash_amount'])
            if 'payable' in values and 'counted' in values:
                values['difference'] = values['counted'] - values['payable']
            if 'make_up' in kinds:
                values['make_up_amount'] = round_(total('make_up'))
                if 'counted' in values:
                    values['takings'] = (
                        values['counted'] + values['make_up_amount'])
            if 'pending_waiver' in kinds:
                values['pending_waivers'] = int(total('pending_waiver'))
            if 'late_make_up' in kinds:
                values['late_make_ups'] = int(total('late_make_up'))
            for name in names:
                result[name][settlement.id] = values[name]
        return result

    @fields.depends(
        'company', 'card_sales', 'fees', 'waivers', 'counts', 'non_cash',
        'make_ups')
    def _get_live_amounts(self):
        "The amounts of the settlement as the form shows it, not saved"
        def total(values):
            return sum((v or 0 for v in values), Decimal(0))
        fees = total(f.amount for f in self.fees or [])
        receivable = fees + (self.card_sales or 0)
        waivers = total(
            w.amount for w in self.waivers or []
            if getattr(w, 'approved_at', None))
        cash = total(
            (c.denomination or 0) * (c.count or 0)
            for c in self.counts or [])
        non_cash = total(n.amount for n in self.non_cash or [])
        make_ups = total(m.amount for m in self.make_ups or [])
        amounts = {
            'fee_amount': fees,
            'receivable': receivable,
            'waiver_amount': waivers,
            'payable': receivable - waivers,
            'cash_amount': cash,
            'non_cash_amount': non_cash,
            'counted': cash + non_cash,
            'difference': cash + non_cash - (receivable - waivers),
            'make_up_amount': make_ups,
            'takings': cash + non_cash + make_ups,
            }
        if self.company and self.company.currency:
            round_ = self.company.currency.round
            amounts = {k: round_(v) for k, v in amounts.items()}
        return amounts

    @fields.depends('difference', methods=['_get_live_amounts'])
    def on_change_with_balance(self, name=None):
        if self.id is not None and self.id >= 0 and name is not None:
            difference = self.difference
        else:
            difference = self._get_live_amounts()['difference']
        if difference is None or not difference:
            return 'balanced'
        return 'over' if difference > 0 else 'short'

    @fields.depends(methods=['on_change_with_balance'])
    def on_change_with_balance_color(self, name=None):
        return BALANCE_COLORS[self.on_change_with_balance(name)]

    def _live_amount(name):
        @fields.depends(methods=['_get_live_amounts'])
        def on_change_with(self, name=None):
            return self._get_live_amounts()[name_]
        name_ = name
        on_change_with.__name__ = f'on_change_with_{name}'
        return on_change_with

    # The amounts add up in the form as the clerk fills it in
    on_change_with_fee_amount = _live_amount('fee_amount')
    on_change_with_receivable = _live_amount('receivable')
    on_change_with_waiver_amount = _live_amount('waiver_amount')
    on_change_with_payable = _live_amount('payable')
    on_change_with_cash_amount = _live_amount('cash_amount')
    on_change_with_non_cash_amount = _live_amount('non_cash_amount')
    on_change_with_counted = _live_amount('counted')
    on_change_with_difference = _live_amount('difference')
    on_change_with_make_up_amount = _live_amount('make_up_amount')
    on_change_with_takings = _live_amount('takings')
    del _live_amount

    @classmethod
    def validate_fields(cls, settlements, field_names):
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        super().validate_fields(settlements, field_names)
        if 'date' in field_names:
            today = Date.today()
            for settlement in settlements:
                if settlement.date > today:
                    raise SettlementValidationError(gettext(
                            'hall_cash.msg_settlement_date_future',
                            settlement=settlement.rec_name,
                            date=Lang.get().strftime(settlement.date)))
        if {'card_sales', 'fees', 'waivers'} & field_names:
            cls.check_waivers(settlements)

    @classmethod
    def check_waivers(cls, settlements, amounts=None):
        """Refuse waivers, approved or not, above the receivable

        The amounts of the confirmation may be given once every waiver is
        known to be approved: the approved waivers are then all of them."""
        pool = Pool()
        Lang = pool.get('ir.lang')
        if amounts is None:
            totals = cls.get_totals(settlements, ['fee', 'any_waiver'])
        for settlement in settlements:
            round_ = settlement.company.currency.round
            if amounts is None:
                receivable = round_(sum(
                        totals['fee'][settlement.id].values(),
                        settlement.card_sales))
                waivers = round_(sum(
                        totals['any_waiver'][settlement.id].values(),
                        Decimal(0)))
            else:
                waivers = amounts['waiver_amount'][settlement.id]
                receivable = amounts['payable'][settlement.id] + waivers
            if waivers > receivable:
                lang = Lang.get()
                raise SettlementValidationError(gettext(
                        'hall_cash.msg_settlement_waivers_exceed',
                        settlement=settlement.rec_name,
                        waivers=lang.currency(waivers, settlement.currency),
                        receivable=lang.currency(
                            receivable, settlement.currency)))

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('hall.cash.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            company_id = values.get('company', cls.default_company())
            if company_id is not None:
                configuration = Configuration(1)
                if sequence := configuration.get_multivalue(
                        'settlement_sequence', company=company_id):
                    values['number'] = sequence.get()
        return values

    @classmethod
    def copy(cls, settlements, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('number', None)
        default.setdefault('checks', None)
        default.setdefault('make_ups', None)
        default.setdefault('over_amount', None)
        default.setdefault('over_registered_by', None)
        default.setdefault('over_registered_at', None)
        default.setdefault('rota_override_by', None)
        default.setdefault('rota_override_at', None)
        default.setdefault('confirmed_by', None)
        default.setdefault('move', None)
        default.setdefault('handovers', None)
        default.setdefault('retention_reason', None)
        default.setdefault('retention_approved_by', None)
        default.setdefault('retention_approved_at', None)
        default.setdefault('waivers.approved_by', None)
        default.setdefault('waivers.approved_at', None)
        return super().copy(settlements, default=default)

    @classmethod
    def check_modification(
            cls, mode, settlements, values=None, external=False):
        super().check_modification(
            mode, settlements, values=values, external=external)
        if mode == 'delete':
            for settlement in settlements:
                if settlement.state != 'draft':
                    raise SettlementStateError(gettext(
                            'hall_cash.msg_settlement_delete_draft',
                            settlement=settlement.rec_name))
        elif mode == 'write':
            for settlement in settlements:
                if settlement.state in CLOSED_STATES:
                    if external:
                        writable = cls._closed_writable
                    else:
                        writable = cls._closed_writable_internal
                    if values.keys() <= writable:
                        if (external and (not settlement.retained
                                    or settlement.retention_approved_at)):
                            raise RetentionError(gettext(
                                    'hall_cash.msg_settlement_retention_edit',
                                    settlement=settlement.rec_name))
                        continue
                    raise SettlementConfirmedError(gettext(
                            'hall_cash.msg_settlement_confirmed',
                            settlement=settlement.rec_name))
                if external and settlement.state != 'draft':
                    writable = {'checks', 'make_ups'}
                    if settlement.retained:
                        writable |= cls._closed_writable
                    if values.keys() - writable:
                        raise SettlementStateError(gettext(
                                'hall_cash.msg_settlement_edit_draft',
                                settlement=settlement.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, settlements):
        for settlement in settlements:
            if settlement.over_registered_at:
                raise SettlementStateError(gettext(
                        'hall_cash.msg_settlement_draft_over_registered',
                        settlement=settlement.rec_name))

    @classmethod
    @ModelView.button_action('hall_cash.wizard_import_fees')
    def import_fees(cls, settlements):
        pass

    @classmethod
    @ModelView.button
    def count(cls, settlements):
        "Close the count; an over goes to investigating"
        cls.check_waivers(settlements)
        cls.check_rota([s for s in settlements if s.state == 'draft'])
        cls.check_short([s for s in settlements if s.state == 'draft'])
        overs = [
            s.id for s in settlements
            if s.state == 'draft' and s.difference > 0]
        cls._set_counted(settlements)
        if overs:
            cls.investigate(cls.browse(overs))

    @classmethod
    @Workflow.transition('counted')
    def _set_counted(cls, settlements):
        pass

    @classmethod
    def get_rota_shifts(cls, settlements):
        """Return the shifts of the clerks on the published rotas

        As a dictionary of (hall, clerk, date): set of shifts"""
        pool = Pool()
        RosterLine = pool.get('hall.roster.line')
        shifts = defaultdict(set)
        # Three IN clauses per search
        for sub_settlements in grouped_slice(
                settlements, backend.MAX_QUERY_PARAMS // 3):
            sub_settlements = list(sub_settlements)
            lines = RosterLine.search([
                    ('roster.state', '=', 'published'),
                    ('roster.hall', 'in', list(
                            {s.hall.id for s in sub_settlements})),
                    ('employee', 'in', list(
                            {s.clerk.id for s in sub_settlements})),
                    ('date', 'in', list(
                            {s.date for s in sub_settlements})),
                    ])
            for line in lines:
                shifts[line.roster.hall, line.employee, line.date].add(
                    line.shift)
        return shifts

    @classmethod
    def get_off_rota(cls, settlements):
        "Return the settlements whose clerk is not on the rota of the shift"
        shifts = cls.get_rota_shifts(settlements)
        off_rota = []
        for settlement in settlements:
            rostered = shifts[
                settlement.hall, settlement.clerk, settlement.date]
            if not any(
                    covers <= rostered
                    for covers in COVERS[settlement.shift]):
                off_rota.append(settlement)
        return off_rota

    @classmethod
    def check_short(cls, settlements):
        """Warn that a short settlement is confirmed only once made up

        The clerk learns it at the count, not at the confirmation."""
        pool = Pool()
        Warning = pool.get('res.user.warning')
        Lang = pool.get('ir.lang')
        shorts = [s for s in settlements if s.difference < 0]
        if shorts:
            settlement = shorts[0]
            key = Warning.format('settlement_short', shorts)
            if Warning.check(key):
                raise SettlementShortWarning(key, gettext(
                        'hall_cash.msg_settlement_short_count',
                        settlement=settlement.rec_name,
                        amount=Lang.get().currency(
                            -settlement.difference, settlement.currency)))

    @classmethod
    def check_rota(cls, settlements):
        """Check the clerks are on the published rota of their shift

        Others are refused; the director is warned and, when the warning is
        skipped, recorded as having overridden the rota."""
        pool = Pool()
        Warning = pool.get('res.user.warning')
        Lang = pool.get('ir.lang')
        off_rota = cls.get_off_rota(settlements)
        # The override is what the count finds, whatever was written before
        overridden = [
            s for s in set(settlements) - set(off_rota)
            if s.rota_override_at or s.rota_override_by]
        if off_rota:
            settlement = off_rota[0]
            values = {
                'clerk': settlement.clerk.rec_name,
                'hall': settlement.hall.rec_name,
                'date': Lang.get().strftime(settlement.date),
                'shift': settlement.shift_string,
                'settlement': settlement.rec_name,
                }
            if not in_hall_groups('group_director'):
                raise SettlementRotaError(gettext(
                        'hall_cash.msg_settlement_off_rota', **values))
            key = Warning.format('settlement_off_rota', off_rota)
            if Warning.check(key):
                raise SettlementRotaWarning(key, gettext(
                        'hall_cash.msg_settlement_off_rota_override',
                        **values))
        to_write = []
        if off_rota:
            to_write.extend([off_rota, {
                        'rota_override_by': (
                            acting_employee()),
                        'rota_override_at': datetime.datetime.now(),
                        }])
        if overridden:
            # Counted again once the clerk is on the rota
            to_write.extend([overridden, {
                        'rota_override_by': None,
                        'rota_override_at': None,
                        }])
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('investigating')
    def investigate(cls, settlements):
        pass

    @classmethod
    @ModelView.button
    def post_invoices(cls, settlements):
        "Post the invoices printed but not posted (补销帐) as fees"
        pool = Pool()
        InvoiceCheck = pool.get('hall.cash.settlement.check')
        Fee = pool.get('hall.cash.settlement.fee')
        checks = InvoiceCheck.search([
                ('settlement', 'in', [
                        s.id for s in settlements
                        if s.state == 'investigating'
                        and not s.over_registered_at]),
                ('posted', '=', False),
                ('fee', '=', None),
                ])
        fees = [c.get_fee() for c in checks]
        Fee.save(fees)
        for check, fee in zip(checks, fees):
            check.fee = fee
        InvoiceCheck.save(checks)

    @classmethod
    @ModelView.button
    def register_over(cls, settlements):
        "Register the unexplained over with the quality post"
        pool = Pool()
        Lang = pool.get('ir.lang')
        employee = acting_employee()
        now = datetime.datetime.now()
        cls.lock(settlements)
        settlements = [
            s for s in settlements
            if s.state == 'investigating' and not s.over_registered_at]
        for settlement in settlements:
            over = settlement.takings - settlement.payable
            if over <= 0:
                raise OverError(gettext(
                        'hall_cash.msg_settlement_no_over',
                        settlement=settlement.rec_name,
                        difference=Lang.get().currency(
                            over, settlement.currency)))
            settlement.over_amount = over
            settlement.over_registered_by = employee
            settlement.over_registered_at = now
        cls.save(settlements)

    # The amounts the confirmation reads, computed once for all settlements,
    # with the numbers of the records it refuses
    _confirm_amounts = [
        'payable', 'takings', 'cash_amount', 'make_up_amount',
        'waiver_amount', 'pending_waivers', 'late_make_ups']

    @classmethod
    def check_confirm(cls, settlements, amounts=None):
        "Check the settlements can be confirmed"
        pool = Pool()
        Waiver = pool.get('hall.cash.settlement.waiver')
        MakeUp = pool.get('hall.cash.makeup')
        Lang = pool.get('ir.lang')
        lang = Lang.get()

        if amounts is None or not amounts.keys() >= set(
                cls._confirm_amounts):
            amounts = cls.get_amounts(settlements, cls._confirm_amounts)
        # The records refused are searched only when the totals count some
        pending = [
            s.id for s in settlements
            if amounts['pending_waivers'][s.id]]
        if pending:
            waiver, = Waiver.search([
                    ('settlement', 'in', pending),
                    ('approved_at', '=', None),
                    ], limit=1)
            raise WaiverApprovalError(gettext(
                    'hall_cash.msg_settlement_waiver_not_approved',
                    settlement=waiver.settlement.rec_name,
                    waiver=waiver.rec_name))
        late = [
            s.id for s in settlements
            if amounts['late_make_ups'][s.id]]
        if late:
            MakeUp.check_same_day(MakeUp.search([
                        ('settlement', 'in', late),
                        ('late_accepted_at', '=', None),
                        ]))
        for settlement in settlements:
            difference = (
                amounts['takings'][settlement.id]
                - amounts['payable'][settlement.id])

            def amount(value):
                return lang.currency(value, settlement.currency)
            if difference < 0:
                raise ShortageError(gettext(
                        'hall_cash.msg_settlement_short',
                        settlement=settlement.rec_name,
                        shortage=amount(-difference)))
            if difference > 0 and amounts['make_up_amount'][settlement.id]:
                raise MakeUpError(gettext(
                        'hall_cash.msg_settlement_make_up_exceeds',
                        settlement=settlement.rec_name,
                        excess=amount(difference)))
            if difference > 0 and settlement.state == 'counted':
                raise OverError(gettext(
                        'hall_cash.msg_settlement_over_investigate',
                        settlement=settlement.rec_name,
                        over=amount(difference)))
            if difference > 0 and difference != settlement.over_amount:
                raise OverError(gettext(
                        'hall_cash.msg_settlement_over_not_registered',
                        settlement=settlement.rec_name,
                        over=amount(difference)))

    @classmethod
    @ModelView.button
    def confirm(cls, settlements):
        # Two users confirming at once: the second waits for the lock and
        # finds the settlement confirmed
        cls.lock(settlements)
        for settlement in settlements:
            if settlement.state == 'confirmed':
                raise SettlementStateError(gettext(
                        'hall_cash.msg_settlement_already_confirmed',
                        settlement=settlement.rec_name))
            if settlement.state not in {'counted', 'investigating'}:
                raise SettlementStateError(gettext(
                        'hall_cash.msg_settlement_confirm_state',
                        settlement=settlement.rec_name,
                        state=settlement.state_string))
        cls._confirm(settlements)

    @classmethod
    def _confirm(cls, settlements):
        """Post the moves of the settlements and mark them confirmed

        The transition of the workflow, written with the move and the
        employee: Workflow.transition would write the state a second
        time."""
        pool = Pool()
        Move = pool.get('account.move')
        Sequence = pool.get('ir.sequence.strict')
        settlements = [
            s for s in settlements
            if (s.state, 'confirmed') in cls._transitions]
        # One query for the amounts, the checks and the lines of the moves
        totals = cls.get_totals(settlements, sorted(
                set().union(*(
                        cls._amount_kinds[n] for n in cls._confirm_amounts))
                | {'fee', 'non_cash'}))
        amounts = cls.get_amounts(
            settlements, cls._confirm_amounts, totals=totals)
        cls.check_confirm(settlements, amounts=amounts)
        # check_confirm refuses a waiver not approved: the approved waivers
        # of the amounts are then all the waivers
        cls.check_waivers(settlements, amounts=amounts)
        # Posting locks the move sequence of each period: locked before the
        # moves are made, a call run again for it has done little
        periods = find_periods(settlements)
        Sequence.lock(list({
                    p.move_sequence_used for p in periods.values()
                    if p.move_sequence_used}))
        moves = cls.get_moves(
            settlements, amounts=amounts, totals=totals, periods=periods)
        Move.save(list(moves.values()))
        Move.post(list(moves.values()))
        employee = acting_employee()
        for settlement in settlements:
            settlement.move = moves.get(settlement)
            settlement.confirmed_by = employee
            settlement.state = 'confirmed'
        cls.save(settlements)
        cls.log(settlements, 'transition', 'state:confirmed')

    @classmethod
    @Workflow.transition('handed')
    def hand_over(cls, settlements):
        "Mark the settlements as handed over to the quality post"
        pass

    @classmethod
    @ModelView.button
    def approve_retention(cls, settlements):
        "Approve the takings staying with the clerk overnight"
        employee = acting_employee()
        now = datetime.datetime.now()
        cls.lock(settlements)
        settlements = [
            s for s in settlements
            if s.retained and not s.retention_approved_at]
        for settlement in settlements:
            if not settlement.retention_reason:
                raise RetentionError(gettext(
                        'hall_cash.msg_settlement_retention_reason',
                        settlement=settlement.rec_name))
        cls.write(settlements, {
                'retention_approved_by': employee,
                'retention_approved_at': now,
                })

    @classmethod
    def get_line_totals(cls, settlements, totals=None):
        """Return the fees per business type and the non-cash per kind

        As dictionaries of settlement id: [(business type id, amount)] and
        settlement id: {kind: amount}; from the totals of get_totals when
        they are given with the fees and the non-cash."""
        if totals is None or not totals.keys() >= {'fee', 'non_cash'}:
            totals = cls.get_totals(settlements, ['fee', 'non_cash'])
        fees = defaultdict(list)
        non_cashes = defaultdict(dict)
        for settlement_id, amounts in totals['fee'].items():
            fees[settlement_id] = sorted(
                (int(t), a) for t, a in amounts.items())
        for settlement_id, amounts in totals['non_cash'].items():
            non_cashes[settlement_id] = dict(amounts)
        return fees, non_cashes

    @classmethod
    def get_moves(cls, settlements, amounts=None, totals=None, periods=None):
        """Return the account move of each settlement that moves money

        The amounts, the totals and the periods may be given as
        get_amounts, get_totals and find_periods return them."""
        pool = Pool()
        Configuration = pool.get('hall.cash.configuration')
        BusinessType = pool.get('hall.cash.business_type')
        if not settlements:
            return {}

        configuration = Configuration(1)
        accounts = {}
        for company in {s.company for s in settlements}:
            values = accounts[company] = {}
            for name in [
                    'cash_journal', 'card_sales_account', 'waiver_account',
                    'cash_over_account', 'cheque_account',
                    'bank_card_account']:
                values[name] = configuration.get_multivalue(
                    name, company=company.id)
        if periods is None:
            periods = find_periods(settlements)

        fees, non_cashes = cls.get_line_totals(settlements, totals=totals)
        business_types = {
            t.id: t for t in BusinessType.browse(
                list({t for v in fees.values() for t, _ in v}))}
        if amounts is None:
            amounts = cls.get_amounts(
                settlements,
                ['cash_amount', 'make_up_amount', 'waiver_amount'])

        moves = {}
        for settlement in settlements:
            company = settlement.company
            config = accounts[company]
            for name in [
                    'cash_journal', 'card_sales_account', 'waiver_account',
                    'cash_over_account']:
                if not config[name]:
                    raise CashConfigurationError(gettext(
                            'hall_cash.msg_configuration_missing',
                            field=Configuration.__names__(
                                field=name)['field'],
                            company=company.rec_name))
            if not settlement.hall.cash_account:
                raise CashConfigurationError(gettext(
                        'hall_cash.msg_hall_cash_account_missing',
                        hall=settlement.hall.rec_name))
            period = periods[settlement]
            cash_account = settlement.hall.cash_account
            non_cash_amounts = non_cashes[settlement.id]
            debits = defaultdict(Decimal)
            debits[cash_account] += (
                amounts['cash_amount'][settlement.id]
                + amounts['make_up_amount'][settlement.id])
            debits[config['cheque_account'] or cash_account] += (
                non_cash_amounts.get('cheque', 0))
            debits[config['bank_card_account'] or cash_account] += (
                non_cash_amounts.get('bank_card', 0))
            debits[config['waiver_account']] += (
                amounts['waiver_amount'][settlement.id])
            credits = []
            for type_id, amount in fees[settlement.id]:
                business_type = business_types[type_id]
                credits.append(
                    (business_type.account, amount, business_type.name))
            credits.append(
                (config['card_sales_account'], settlement.card_sales,
                    gettext('hall_cash.msg_move_line_card_sales')))
            credits.append(
                (config['cash_over_account'], settlement.over_amount,
                    gettext('hall_cash.msg_move_line_cash_over')))
            lines = settlement._get_move_lines(debits.items(), credits)
            if lines:
                moves[settlement] = settlement._get_move(
                    config['cash_journal'], period, lines)
        return moves

    def _get_move_lines(self, debits, credits):
        pool = Pool()
        Line = pool.get('account.move.line')
        round_ = self.company.currency.round
        # The ledger reads the settlement and its clerk on every line
        label = self._get_move_description()
        lines = []
        for account, amount in debits:
            amount = round_(amount or 0)
            if amount:
                lines.append(Line(
                        account=account, description=label,
                        debit=max(amount, 0), credit=max(-amount, 0)))
        for account, amount, description in credits:
            amount = round_(amount or 0)
            if amount:
                lines.append(Line(
                        account=account,
                        description=' '.join(filter(None, [
                                    label, description])),
                        debit=max(-amount, 0), credit=max(amount, 0)))
        return lines

    def _get_move_description(self):
        return f'{self.number or ""} {self.clerk.rec_name}'.strip()

    def _get_move(self, journal, period, lines):
        pool = Pool()
        Move = pool.get('account.move')
        return Move(
            company=self.company,
            journal=journal,
            period=period,
            date=self.date,
            origin=self,
            description=self._get_move_description(),
            lines=lines)


class SettlementMixin:
    "Helpers of the records of a settlement"
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('settlement')

    @fields.depends('settlement', '_parent_settlement.company')
    def on_change_with_currency(self, name=None):
        if self.settlement and self.settlement.company:
            return self.settlement.company.currency

    @fields.depends('settlement', '_parent_settlement.state')
    def on_change_with_settlement_state(self, name=None):
        if self.settlement:
            return self.settlement.state

    @classmethod
    def get_settlement_states(cls):
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        return Settlement.fields_get(['state'])['state']['selection']


class SettlementClerkMixin:
    "The clerk and the date of the settlement of a record, searchable"
    __slots__ = ()

    @fields.depends('settlement', '_parent_settlement.clerk')
    def on_change_with_clerk(self, name=None):
        if self.settlement:
            return self.settlement.clerk

    @fields.depends('settlement', '_parent_settlement.date')
    def on_change_with_settlement_date(self, name=None):
        if self.settlement:
            return self.settlement.date

    @classmethod
    def search_settlement_field(cls, name, clause):
        nested = clause[0][len(name):]
        if name == 'settlement_date':
            name = 'date'
        return [(f'settlement.{name}{nested}', *clause[1:])]


class SettlementLineMixin(SettlementMixin):
    "A line of a settlement, editable in the states of the line"
    __slots__ = ()
    _editable_states = {'draft'}

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            state = line.settlement.state
            if state in CLOSED_STATES:
                raise SettlementConfirmedError(gettext(
                        'hall_cash.msg_settlement_confirmed',
                        settlement=line.settlement.rec_name))
            if external and state not in cls._editable_states:
                raise SettlementStateError(gettext(
                        'hall_cash.msg_settlement_line_state',
                        settlement=line.settlement.rec_name,
                        state=line.settlement.state_string))


def _settlement_field(states=None):
    return fields.Many2One(
        'hall.cash.settlement', "Settlement", required=True,
        ondelete='CASCADE', states=states)


def _line_states(states):
    # A line of a settlement not saved yet has no settlement state
    return {
        'readonly': ~Eval('settlement_state', 'draft').in_(states + [None]),
        }


class SettlementFee(
        HallModelMixin, AmountCheckMixin, SettlementLineMixin, ModelSQL,
        ModelView):
    __name__ = 'hall.cash.settlement.fee'
    _amount_checks = {
        'amount': ('hall_cash.msg_amount_positive', False),
        }

    settlement = _settlement_field()
    business_type = fields.Many2One(
        'hall.cash.business_type', "Business Type", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_line_states(['draft']))
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_line_states(['draft']))
    note = fields.Char("Note", states=_line_states(['draft']))
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    settlement_state = fields.Function(
        fields.Selection('get_settlement_states', "Settlement State"),
        'on_change_with_settlement_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('amount_positive', Check(t, t.amount >= 0),
                'hall_cash.msg_amount_positive'),
            ]

    @fields.depends('settlement', '_parent_settlement.company')
    def on_change_with_company(self, name=None):
        if self.settlement:
            return self.settlement.company

    @classmethod
    def create_imported(cls, settlement, rows):
        """Create the fee lines of the rows of a billing report

        The rows are those ImportFees.read_rows checked as the fields would
        (a business type of the settlement's company, an amount of the
        currency's digits within the bounds), for a draft settlement: they
        are inserted set-wise, a statement for hundreds of rows, where
        create() would validate each record again.  What create() checks
        of the user is checked as it would be: the access to the model, the
        lines' checks (the settlement's state, its clerk, the companies of
        the references) on a line of each business type, and the record
        rules on the lines inserted.  With triggers on the fee lines, or a
        database that cannot return the ids inserted, the lines are created
        by create() in slices."""
        pool = Pool()
        Trigger = pool.get('ir.trigger')
        transaction = Transaction()
        values = [{
                'settlement': settlement.id,
                'business_type': business_type.id,
                'amount': amount,
                } for business_type, amount in rows]
        with without_check_access():
            triggers = Trigger.get_triggers(cls.__name__, 'create')
        if not transaction.database.has_returning() or triggers:
            # Slices keep the records the ORM validates together few
            for sub_values in grouped_slice(values, IMPORT_CREATE_SIZE):
                cls.create(list(sub_values))
            return
        # The access to the model and its fields, the values' checks
        values = cls._before_create(values)
        check_access = bool(transaction.user and transaction.check_access)
        cls.check_modification('create', [
                cls(**v) for v in {v['business_type']: v for v in values}
                .values()], external=check_access)

        table = cls.__table__()
        cursor = transaction.connection.cursor()
        names = ['settlement', 'business_type', 'amount']
        columns = [table.create_uid, table.create_date] + [
            Column(table, n) for n in names]
        ids = []
        for sub_values in grouped_slice(
                values, backend.MAX_QUERY_PARAMS // len(columns)):
            cursor.execute(*table.insert(columns, [
                        [transaction.user, CurrentTimestamp()]
                        + [cls._fields[n].sql_format(v[n]) for n in names]
                        for v in sub_values],
                    [table.id]))
            ids.extend(i for i, in cursor)
        cls._ModelSQL__check_domain_rule(ids, 'create')
        transaction.create_records[cls.__name__].extend(ids)


class SettlementWaiver(
        HallModelMixin, SettlementClerkMixin, AmountCheckMixin,
        SettlementLineMixin, ModelSQL, ModelView):
    __name__ = 'hall.cash.settlement.waiver'
    _amount_checks = {
        'amount': ('hall_cash.msg_amount_positive', False),
        }
    _rec_name = 'reason'

    settlement = _settlement_field()
    reason = fields.Char(
        "Reason", required=True,
        states={
            'readonly': (_line_states(['draft'])['readonly']
                | Bool(Eval('approved'))),
            })
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states={
            'readonly': (_line_states(['draft'])['readonly']
                | Bool(Eval('approved'))),
            })
    approved = fields.Function(
        fields.Boolean("Approved"), 'on_change_with_approved')
    clerk = fields.Function(
        fields.Many2One('company.employee', "Clerk"),
        'on_change_with_clerk', searcher='search_settlement_field')
    settlement_date = fields.Function(
        fields.Date("Settlement Date"),
        'on_change_with_settlement_date', searcher='search_settlement_field')
    receivable = fields.Function(Monetary(
            "Receivable", currency='currency', digits='currency',
            help="The receivable of the settlement."),
        'get_receivable')
    approved_by = fields.Many2One(
        'company.employee', "Approved By", readonly=True)
    approved_at = fields.DateTime("Approved At", readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    settlement_state = fields.Function(
        fields.Selection('get_settlement_states', "Settlement State"),
        'on_change_with_settlement_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('amount_positive', Check(t, t.amount >= 0),
                'hall_cash.msg_amount_positive'),
            ]
        cls._buttons.update({
                'approve': {
                    'invisible': (
                        Bool(Eval('approved'))
                        | Eval('settlement_state').in_(CLOSED_STATES)),
                    'depends': ['approved', 'settlement_state'],
                    },
                })

    @fields.depends('approved_at')
    def on_change_with_approved(self, name=None):
        return bool(self.approved_at)

    @classmethod
    def get_receivable(cls, waivers, name):
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        settlements = list({w.settlement for w in waivers})
        amounts = Settlement.get_amounts(settlements, ['receivable'])
        return {
            w.id: amounts['receivable'][w.settlement.id] for w in waivers}

    @classmethod
    def validate_fields(cls, waivers, field_names):
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        super().validate_fields(waivers, field_names)
        if {'settlement', 'amount'} & field_names:
            Settlement.check_waivers(list({w.settlement for w in waivers}))

    @classmethod
    def check_modification(cls, mode, waivers, values=None, external=False):
        super().check_modification(
            mode, waivers, values=values, external=external)
        if mode == 'write' and external:
            for waiver in waivers:
                if (waiver.approved_at
                        and values.keys() & {
                            'settlement', 'reason', 'amount',
                            'approved_by', 'approved_at'}):
                    raise WaiverApprovalError(gettext(
                            'hall_cash.msg_waiver_approved_edit',
                            waiver=waiver.rec_name))

    @classmethod
    def copy(cls, waivers, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('approved_by', None)
        default.setdefault('approved_at', None)
        return super().copy(waivers, default=default)

    @classmethod
    @ModelView.button
    def approve(cls, waivers):
        "Approve the waivers as the duty manager"
        employee = acting_employee()
        now = datetime.datetime.now()
        waivers = [
            w for w in waivers
            if not w.approved_at
            and w.settlement.state not in CLOSED_STATES]
        cls.write(waivers, {
                'approved_by': employee,
                'approved_at': now,
                })


class SettlementCount(
        HallModelMixin, CashCountMixin, SettlementLineMixin, ModelSQL,
        ModelView):
    __name__ = 'hall.cash.settlement.count'
    _count_document = 'settlement'

    settlement = _settlement_field()
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    settlement_state = fields.Function(
        fields.Selection('get_settlement_states', "Settlement State"),
        'on_change_with_settlement_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.count.states = _line_states(['draft'])
        cls.count.help = "The number of notes or coins counted."


class SettlementNonCash(
        HallModelMixin, AmountCheckMixin, SettlementLineMixin, ModelSQL,
        ModelView):
    __name__ = 'hall.cash.settlement.non_cash'
    _amount_checks = {
        'amount': ('hall_cash.msg_amount_positive', False),
        }

    settlement = _settlement_field()
    kind = fields.Selection(
        NON_CASH_KINDS, "Kind", required=True,
        states=_line_states(['draft']))
    reference = fields.Char(
        "Reference", states=_line_states(['draft']),
        help="The cheque number or the bank card slip number.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_line_states(['draft']))
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    settlement_state = fields.Function(
        fields.Selection('get_settlement_states', "Settlement State"),
        'on_change_with_settlement_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('amount_positive', Check(t, t.amount >= 0),
                'hall_cash.msg_amount_positive'),
            ]


class SettlementCheck(
        HallModelMixin, AmountCheckMixin, SettlementLineMixin, ModelSQL,
        ModelView):
    __name__ = 'hall.cash.settlement.check'
    _amount_checks = {
        'amount': ('hall_cash.msg_amount_positive', False),
        }
    _rec_name = 'invoice_number'
    _editable_states = {'investigating'}

    settlement = _settlement_field()
    invoice_number = fields.Char(
        "Invoice Number", required=True,
        states=_line_states(['investigating']))
    amount = Monetary(
        "Amount Printed", currency='currency', digits='currency',
        required=True, states=_line_states(['investigating']))
    posted = fields.Boolean(
        "Posted", states=_line_states(['investigating']),
        help="Checked when the invoice is posted in the billing report.")
    business_type = fields.Many2One(
        'hall.cash.business_type', "Business Type", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': _line_states(['investigating'])['readonly'],
            'required': ~Eval('posted'),
            'invisible': Bool(Eval('posted')),
            },
        help="The business the invoice belongs to, "
        "to post it when it was not.")
    fee = fields.Many2One(
        'hall.cash.settlement.fee', "Fee Posted Later", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': ~Eval('fee'),
            },
        help="The fee added when posting the invoice later (补销帐).")
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    settlement_state = fields.Function(
        fields.Selection('get_settlement_states', "Settlement State"),
        'on_change_with_settlement_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('amount_positive', Check(t, t.amount >= 0),
                'hall_cash.msg_amount_positive'),
            ]

    @classmethod
    def default_posted(cls):
        return True

    @fields.depends('settlement', '_parent_settlement.company')
    def on_change_with_company(self, name=None):
        if self.settlement:
            return self.settlement.company

    def get_fee(self):
        "Return the fee line posting the invoice later"
        pool = Pool()
        Fee = pool.get('hall.cash.settlement.fee')
        return Fee(
            settlement=self.settlement,
            business_type=self.business_type,
            amount=self.amount,
            note=gettext(
                'hall_cash.msg_fee_posted_later',
                invoice=self.invoice_number))


class MakeUp(
        HallModelMixin, SettlementClerkMixin, AmountCheckMixin,
        SettlementMixin, ModelSQL, ModelView):
    __name__ = 'hall.cash.makeup'
    _amount_checks = {
        'amount': ('hall_cash.msg_make_up_amount_positive', True),
        }

    settlement = fields.Many2One(
        'hall.cash.settlement', "Settlement", required=True,
        ondelete='RESTRICT',
        domain=[
            # Only to choose: the state is checked on saving
            If(Eval('id', -1) < 0,
                ('state', 'in', ['counted', 'investigating']),
                ()),
            ],
        states={
            'readonly': Eval('settlement_state').in_(CLOSED_STATES),
            })
    date = fields.Date(
        "Date", required=True,
        states={
            'readonly': Eval('settlement_state').in_(CLOSED_STATES),
            })
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states={
            'readonly': Eval('settlement_state').in_(CLOSED_STATES),
            })
    cause = fields.Selection(
        MAKE_UP_CAUSES, "Cause", required=True,
        states={
            'readonly': Eval('settlement_state').in_(CLOSED_STATES),
            })
    note = fields.Text(
        "Note",
        states={
            'readonly': Eval('settlement_state').in_(CLOSED_STATES),
            })
    late = fields.Function(fields.Boolean(
            "Late",
            help="Made up after the day of the settlement."),
        'on_change_with_late')
    late_accepted_by = fields.Many2One(
        'company.employee', "Late Make-up Accepted By", readonly=True,
        states={
            'invisible': ~Eval('late_accepted_at'),
            },
        help="The duty manager who accepted a make-up after the day of "
        "the settlement.")
    late_accepted_at = fields.DateTime(
        "Late Make-up Accepted At", readonly=True,
        states={
            'invisible': ~Eval('late_accepted_at'),
            })
    clerk = fields.Function(
        fields.Many2One('company.employee', "Clerk"),
        'on_change_with_clerk', searcher='search_settlement_field')
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"),
        'on_change_with_hall', searcher='search_settlement_field')
    settlement_date = fields.Function(
        fields.Date("Settlement Date"),
        'on_change_with_settlement_date', searcher='search_settlement_field')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    settlement_state = fields.Function(
        fields.Selection('get_settlement_states', "Settlement State"),
        'on_change_with_settlement_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('amount_positive', Check(t, t.amount > 0),
                'hall_cash.msg_make_up_amount_positive'),
            ]
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._buttons.update({
                'accept_late': {
                    'invisible': (~Eval('late')
                        | Bool(Eval('late_accepted_at'))
                        | Eval('settlement_state').in_(CLOSED_STATES)),
                    'depends': [
                        'late', 'late_accepted_at', 'settlement_state'],
                    },
                })

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('date', 'settlement', '_parent_settlement.date')
    def on_change_with_late(self, name=None):
        return bool(self.date and self.settlement and self.settlement.date
            and self.date > self.settlement.date)

    @fields.depends('settlement', '_parent_settlement.hall')
    def on_change_with_hall(self, name=None):
        if self.settlement:
            return self.settlement.hall

    def get_rec_name(self, name):
        return self.settlement.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('settlement.rec_name', *clause[1:])]

    @classmethod
    def check_modification(cls, mode, make_ups, values=None, external=False):
        super().check_modification(
            mode, make_ups, values=values, external=external)
        for make_up in make_ups:
            state = make_up.settlement.state
            if state in CLOSED_STATES:
                raise SettlementConfirmedError(gettext(
                        'hall_cash.msg_settlement_confirmed',
                        settlement=make_up.settlement.rec_name))
            if state not in {'counted', 'investigating'}:
                raise MakeUpError(gettext(
                        'hall_cash.msg_make_up_state',
                        settlement=make_up.settlement.rec_name))
        if mode == 'create' or (
                mode == 'write' and {'date', 'settlement'} & values.keys()):
            cls.check_date(make_ups)

    @classmethod
    def check_date(cls, make_ups):
        "Refuse a make-up dated before the day of its settlement"
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        for make_up in make_ups:
            if make_up.date < make_up.settlement.date:
                raise MakeUpError(gettext(
                        'hall_cash.msg_make_up_before',
                        settlement=make_up.settlement.rec_name,
                        settlement_date=lang.strftime(
                            make_up.settlement.date),
                        date=lang.strftime(make_up.date)))

    @classmethod
    def on_modification(cls, mode, make_ups, field_names=None):
        super().on_modification(mode, make_ups, field_names=field_names)
        if mode == 'write' and {'date', 'settlement', 'amount'} & field_names:
            # A changed make-up is accepted again
            accepted = [m for m in make_ups if m.late_accepted_at]
            if accepted:
                cls.write(accepted, {
                        'late_accepted_by': None,
                        'late_accepted_at': None,
                        })

    @classmethod
    def check_same_day(cls, make_ups):
        """Refuse the make-ups dated after the day of their settlement that
        the duty manager did not accept

        The manual has a shortage made up the same day."""
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        for make_up in make_ups:
            if make_up.late and not make_up.late_accepted_at:
                raise MakeUpError(gettext(
                        'hall_cash.msg_make_up_late',
                        settlement=make_up.settlement.rec_name,
                        settlement_date=lang.strftime(
                            make_up.settlement.date),
                        date=lang.strftime(make_up.date)))

    @classmethod
    @ModelView.button
    def accept_late(cls, make_ups):
        "Accept as the duty manager a make-up after the settlement's day"
        make_ups = [
            m for m in make_ups
            if m.late and not m.late_accepted_at
            and m.settlement.state not in CLOSED_STATES]
        cls.write(make_ups, {
                'late_accepted_by': acting_employee(),
                'late_accepted_at': datetime.datetime.now(),
                })


class ImportFeesStart(ModelView):
    __name__ = 'hall.cash.settlement.import_fees.start'

    file_ = fields.Binary(
        "File", required=True,
        help="The billing system's report as a CSV file, "
        "with a header row naming the columns \"code\" and \"amount\".")


class ImportFees(Wizard):
    "Import the business fees of the billing system's report"
    __name__ = 'hall.cash.settlement.import_fees'

    start = StateView(
        'hall.cash.settlement.import_fees.start',
        'hall_cash.settlement_import_fees_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()

    def transition_import_(self):
        pool = Pool()
        Fee = pool.get('hall.cash.settlement.fee')
        InvoiceCheck = pool.get('hall.cash.settlement.check')
        settlement = self.record
        if settlement is None:
            raise ImportFeesError(gettext(
                    'hall_cash.msg_import_fees_no_settlement'))
        if settlement.state != 'draft':
            raise SettlementStateError(gettext(
                    'hall_cash.msg_settlement_edit_draft',
                    settlement=settlement.rec_name))
        rows = self.read_rows(self.start.file_, settlement)
        # The fees posted later for an invoice check stay
        kept = {
            c.fee for c in InvoiceCheck.search([
                    ('settlement', '=', settlement.id),
                    ('fee', '!=', None),
                    ])}
        Fee.delete([f for f in settlement.fees if f not in kept])
        Fee.create_imported(settlement, rows)
        return 'end'

    @classmethod
    def read_rows(cls, data, settlement):
        """Return the business types and amounts of the CSV file

        Nothing is returned when a row is wrong: the error names it."""
        pool = Pool()
        BusinessType = pool.get('hall.cash.business_type')
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise ImportFeesError(gettext('hall_cash.msg_import_fees_file'))
        if len(data) > IMPORT_MAX_SIZE:
            raise ImportFeesError(gettext(
                    'hall_cash.msg_import_fees_size',
                    size=IMPORT_MAX_SIZE // 1024))
        try:
            text = bytes(data).decode('utf-8-sig')
        except UnicodeDecodeError:
            raise ImportFeesError(gettext(
                    'hall_cash.msg_import_fees_encoding'))
        reader = csv.reader(io.StringIO(text, newline=''))
        try:
            header = [h.strip().lower() for h in next(reader)]
        except (StopIteration, csv.Error):
            raise ImportFeesError(gettext('hall_cash.msg_import_fees_header'))
        if not {'code', 'amount'} <= set(header):
            raise ImportFeesError(gettext('hall_cash.msg_import_fees_header'))
        code_index = header.index('code')
        amount_index = header.index('amount')

        types = {
            t.code: t for t in BusinessType.search([
                    ('company', '=', settlement.company.id),
                    ])}
        digits = settlement.company.currency.digits
        rows = []
        try:
            for row in reader:
                number = reader.line_num
                if not any(c.strip() for c in row):
                    continue
                if len(rows) >= IMPORT_MAX_ROWS:
                    raise ImportFeesError(gettext(
                            'hall_cash.msg_import_fees_rows',
                            rows=IMPORT_MAX_ROWS))
                if len(row) != len(header):
                    raise ImportFeesError(gettext(
                            'hall_cash.msg_import_fees_row_columns',
                            row=number, columns=len(header)))
                code = row[code_index].strip()
                if code not in types:
                    raise ImportFeesError(gettext(
                            'hall_cash.msg_import_fees_row_code',
                            row=number, code=code))
                value = row[amount_index].strip()
                amount = None
                if IMPORT_AMOUNT.match(value):
                    amount = Decimal(value.replace(',', ''))
                if (amount is None
                        or amount.as_tuple().exponent < -digits):
                    raise ImportFeesError(gettext(
                            'hall_cash.msg_import_fees_row_amount',
                            row=number, amount=row[amount_index]))
                if amount < 0:
                    raise ImportFeesError(gettext(
                            'hall_cash.msg_import_fees_row_negative',
                            row=number, amount=row[amount_index]))
                if amount > MAX_AMOUNT:
                    raise ImportFeesError(gettext(
                            'hall_cash.msg_import_fees_row_range',
                            row=number, amount=row[amount_index],
                            maximum=MAX_AMOUNT))
                rows.append((types[code], amount))
        except csv.Error:
            raise ImportFeesError(gettext(
                    'hall_cash.msg_import_fees_row_malformed',
                    row=reader.line_num))
        if not rows:
            raise ImportFeesError(gettext('hall_cash.msg_import_fees_empty'))
        return rows


class SettlementReport(CompanyReport):
    "The day report of a settlement (营业日报表), in duplicate"
    __name__ = 'hall.cash.settlement'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Settlement = pool.get('hall.cash.settlement')
        BusinessType = pool.get('hall.cash.business_type')
        context = super().get_context(records, header, data)
        for record in records:
            # A report shows the takings once they cover the payable
            if record.state not in CLOSED_STATES:
                raise SettlementStateError(gettext(
                        'hall_cash.msg_settlement_report_confirmed',
                        settlement=record.rec_name))
        fees, non_cashes = Settlement.get_line_totals(records)
        amounts = Settlement.get_amounts(
            records, ['cash_amount', 'make_up_amount'])
        business_types = {
            t.id: t for t in BusinessType.browse(
                list({t for v in fees.values() for t, _ in v}))}
        lines = {}
        for record in records:
            lines[record.id] = {
                'fees': [
                    (business_types[t].name, a) for t, a in fees[record.id]],
                'cash': (
                    amounts['cash_amount'][record.id]
                    + amounts['make_up_amount'][record.id]),
                'cheque': non_cashes[record.id].get('cheque', 0),
                'bank_card': non_cashes[record.id].get('bank_card', 0),
                }
        context['lines'] = lines
        context['copies'] = [
            gettext('hall_cash.msg_report_copy_hall'),
            gettext('hall_cash.msg_report_copy_quality'),
            ]
        return context
