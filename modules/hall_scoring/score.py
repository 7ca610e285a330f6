# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The assessment's items (考核项目) and the score entries of the staff: a
confirmed entry is never changed, a correction is a reversing entry with
its reason shown next to the original."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, Workflow, fields,
    sequence_ordered)
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ScoreError, ScoreStateError, ScoreValidationError

SOURCES = [
    ('inspection', "Inspection"),
    ('finance_audit', "Finance Audit"),
    ('quality_audit', "Quality Audit"),
    ('complaint', "Complaint"),
    ('deadline', "Deadline"),
    ('checklist', "Checklist"),
    ('attendance', "Attendance"),
    ('peer', "Peer Rating"),
    ('other', "Other"),
    ]
WEIGHT_GROUPS = [
    ('service', "Service Manner"),
    ('appearance', "Appearance"),
    ('accuracy', "Business Accuracy"),
    ('discipline', "Discipline"),
    ('other', "Other"),
    ]
CAP_PERIODS = [
    (None, ""),
    ('day', "Day"),
    ('month', "Month"),
    ]
POINTS_DIGITS = (16, 1)
# The groups who score the staff
SCORERS = ('group_director', 'group_group_leader', 'group_quality')


def now():
    return dt.datetime.now().replace(microsecond=0)


class Category(
        DeactivableMixin, HallModelMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "An item of the assessment (考核项目)"
    __name__ = 'hall.score.category'

    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True, translate=True)
    posts = fields.Many2Many(
        'hall.score.category-hall.post', 'category', 'post', "Posts",
        help="The posts the item applies to; all when empty.")
    points = fields.Numeric(
        "Points", digits=POINTS_DIGITS, required=True,
        help="The points of one finding: negative for a deduction, "
        "positive for an addition.")
    min_points = fields.Numeric(
        "Minimum", digits=POINTS_DIGITS, required=True,
        help="The fewest points one entry may give.")
    max_points = fields.Numeric(
        "Maximum", digits=POINTS_DIGITS, required=True,
        help="The most points one entry may give.")
    cap = fields.Numeric(
        "Cap", digits=POINTS_DIGITS,
        domain=[
            If(Bool(Eval('cap')), ('cap', '>', 0), ()),
            ],
        states={
            'required': Bool(Eval('cap_period')),
            },
        help="The most points, deducted or added, an employee gets from "
        "the item in a day or a month.")
    cap_period = fields.Selection(
        CAP_PERIODS, "Cap per", sort=False)
    cap_period_string = cap_period.translated('cap_period')
    source = fields.Selection(
        SOURCES, "Source", required=True, sort=False,
        help="Where the entries of the item come from.")
    weight_group = fields.Selection(
        WEIGHT_GROUPS, "Weight Group", required=True, sort=False,
        help="The part of the monthly summary the item counts in.")
    weight_group_string = weight_group.translated('weight_group')
    criteria = fields.Text(
        "Criteria", translate=True,
        help="The manual's words for what is scored.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'hall_scoring.msg_category_code_unique'),
            ]

    @classmethod
    def default_source(cls):
        return 'inspection'

    @classmethod
    def default_weight_group(cls):
        return 'other'

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, categories, field_names):
        super().validate_fields(categories, field_names)
        if field_names & {'points', 'min_points', 'max_points'}:
            for category in categories:
                if not (category.min_points <= category.points
                        <= category.max_points):
                    raise ScoreValidationError(gettext(
                            'hall_scoring.msg_category_bounds',
                            category=category.rec_name))


class CategoryPost(HallModelMixin, ModelSQL):
    "A post an item of the assessment applies to"
    __name__ = 'hall.score.category-hall.post'

    category = fields.Many2One(
        'hall.score.category', "Category", required=True,
        ondelete='CASCADE')
    post = fields.Many2One(
        'hall.post', "Post", required=True, ondelete='CASCADE')


class Entry(Workflow, HallDocumentMixin, ModelSQL, ModelView):
    "A score of an employee (考核记录)"
    __name__ = 'hall.score.entry'

    _draft = Eval('state') == 'draft'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': ~_draft,
            })
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states={
            'readonly': ~_draft,
            })
    date = fields.Date(
        "Date", required=True,
        states={
            'readonly': ~_draft,
            })
    category = fields.Many2One(
        'hall.score.category', "Item", required=True, ondelete='RESTRICT',
        states={
            'readonly': ~_draft,
            })
    weight_group = fields.Function(fields.Selection(
            WEIGHT_GROUPS, "Weight Group"), 'on_change_with_weight_group')
    points = fields.Numeric(
        "Points", digits=POINTS_DIGITS, required=True,
        states={
            'readonly': ~_draft,
            })
    note = fields.Text(
        "Note",
        states={
            'readonly': ~_draft,
            })
    source = fields.Reference(
        "Source", selection='get_sources', readonly=True,
        help="The record the entry comes from.")
    scored_by = fields.Many2One(
        'company.employee', "Scored by", readonly=True)
    confirmed_by = fields.Many2One(
        'company.employee', "Confirmed by", readonly=True)
    confirmed_at = fields.DateTime("Confirmed at", readonly=True)
    reversal_of = fields.Many2One(
        'hall.score.entry', "Reversal of", readonly=True,
        ondelete='RESTRICT')
    reversals = fields.One2Many(
        'hall.score.entry', 'reversal_of', "Reversals", readonly=True)
    reason = fields.Text(
        "Reason of the Reversal", readonly=True,
        states={
            'invisible': ~Eval('reversal_of'),
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('confirmed', "Confirmed"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'confirmed')}
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'reverse': {
                    'invisible': ((Eval('state') != 'confirmed')
                        | Bool(Eval('reversal_of'))),
                    'depends': ['state', 'reversal_of'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def get_sources(cls):
        "The models entries come from"
        pool = Pool()
        Model = pool.get('ir.model')
        sources = [(None, '')]
        for name in cls._source_models():
            try:
                pool.get(name)
            except KeyError:
                continue
            sources.append((name, Model.get_name(name)))
        return sources

    @classmethod
    def _source_models(cls):
        return ['hall.score.inspection.line', 'hall.score.attendance.line',
            'hall.checklist.line',
            'hall.deadline', 'hall.complaint']

    @fields.depends('category')
    def on_change_with_weight_group(self, name=None):
        return self.category.weight_group if self.category else None

    @fields.depends('category')
    def on_change_category(self):
        if self.category:
            self.points = self.category.points

    def get_rec_name(self, name):
        return (f'{self.employee.rec_name} {self.date} '
            f'{self.category.rec_name} {self.points:+}')

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values.setdefault('scored_by', acting_employee())
        return values

    @classmethod
    def validate_fields(cls, entries, field_names):
        super().validate_fields(entries, field_names)
        if field_names & {'points', 'category'}:
            cls.check_points(entries)
        if field_names & {'employee', 'hall'}:
            cls.check_employee(entries)

    @classmethod
    def check_points(cls, entries):
        "The points of an entry are within its item's bounds"
        for entry in entries:
            if entry.reversal_of:
                continue
            category = entry.category
            if not (category.min_points <= entry.points
                    <= category.max_points):
                raise ScoreValidationError(gettext(
                        'hall_scoring.msg_entry_points',
                        entry=entry.rec_name,
                        minimum=category.min_points,
                        maximum=category.max_points))

    @classmethod
    def check_employee(cls, entries):
        "An entry is of an employee of its hall"
        for entry in entries:
            if not entry.employee.hall or entry.employee.hall != entry.hall:
                raise ScoreValidationError(gettext(
                        'hall_scoring.msg_entry_employee_hall',
                        employee=entry.employee.rec_name,
                        hall=entry.hall.rec_name))

    @classmethod
    def check_modification(
            cls, mode, entries, values=None, external=False):
        pool = Pool()
        Period = pool.get('hall.score.period')
        super().check_modification(
            mode, entries, values=values, external=external)
        if mode in {'write', 'delete'}:
            for entry in entries:
                if entry.state != 'draft':
                    raise ScoreStateError(gettext(
                            'hall_scoring.msg_entry_confirmed',
                            entry=entry.rec_name))
        if external and mode in {'create', 'write', 'delete'} and entries:
            if not in_hall_groups(*SCORERS):
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_entry_not_scorer'))
        if mode in {'write', 'delete'}:
            Period.check_open({(e.hall, e.date) for e in entries})

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Period = pool.get('hall.score.period')
        entries = super().create(vlist)
        Period.check_open({(e.hall, e.date) for e in entries})
        return entries

    @classmethod
    def copy(cls, entries, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        for name in ['source', 'scored_by', 'confirmed_by', 'confirmed_at',
                'reversal_of', 'reversals', 'reason']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(entries, default=default)

    @classmethod
    def check_cap(cls, entries):
        """The confirmed points of an employee from an item stay within its
        cap for the day or the month"""
        keys = defaultdict(list)
        for entry in entries:
            category = entry.category
            if not category.cap or not category.cap_period:
                continue
            if category.cap_period == 'day':
                start = end = entry.date
            else:
                start = entry.date.replace(day=1)
                end = (start + dt.timedelta(days=32)).replace(day=1) - (
                    dt.timedelta(days=1))
            keys[entry.employee, category, start, end].append(entry)
        for (employee, category, start, end), key_entries in keys.items():
            with without_check_access():
                others = cls.search([
                        ('employee', '=', employee.id),
                        ('category', '=', category.id),
                        ('date', '>=', start),
                        ('date', '<=', end),
                        ('state', '=', 'confirmed'),
                        ('id', 'not in', [e.id for e in key_entries]),
                        ])
            total = sum((e.points for e in others + key_entries),
                Decimal(0))
            if abs(total) > category.cap:
                raise ScoreError(gettext(
                        'hall_scoring.msg_entry_cap',
                        employee=employee.rec_name,
                        category=category.rec_name,
                        cap=category.cap,
                        period=category.cap_period_string))

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, entries):
        """Confirm the entries: they count in the month's summary unless it
        is summarized, and are never changed again"""
        pool = Pool()
        Period = pool.get('hall.score.period')
        Period.touch({(e.hall, e.date) for e in entries})
        cls.check_cap(entries)
        cls.write(entries, {
                'confirmed_by': acting_employee(),
                'confirmed_at': now(),
                })

    @classmethod
    @ModelView.button_action('hall_scoring.wizard_entry_reverse')
    def reverse(cls, entries):
        pass

    @classmethod
    def do_reverse(cls, entries, reason):
        "Create and confirm the reversing entries of the entries"
        for entry in entries:
            if entry.state != 'confirmed' or entry.reversal_of:
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_entry_reverse_state',
                        entry=entry.rec_name))
            if entry.reversals:
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_entry_reversed',
                        entry=entry.rec_name))
        if not (reason or '').strip():
            raise ScoreError(gettext('hall_scoring.msg_entry_reverse_reason'))
        employee = acting_employee()
        with without_check_access():
            reversals = cls.create([{
                        'hall': e.hall.id,
                        'employee': e.employee.id,
                        'date': e.date,
                        'category': e.category.id,
                        'points': -e.points,
                        'reversal_of': e.id,
                        'reason': reason,
                        'scored_by': employee,
                        } for e in entries])
            cls.confirm(reversals)
        return reversals

    @classmethod
    def create_confirmed(cls, vlist):
        """Create and confirm entries of the server (the glue of the other
        modules), refused in a month already summarized"""
        with without_check_access():
            entries = cls.create(vlist)
            cls.confirm(entries)
        return entries

    @classmethod
    def create_confirmed_within(cls, vlist):
        """Create and confirm the entries of the server the months still
        open and the items' caps allow; the others are left out, so that
        the duties they come from are never refused for them"""
        pool = Pool()
        Category = pool.get('hall.score.category')
        Period = pool.get('hall.score.period')
        if not vlist:
            return []
        periods = {(p.hall.id, p.month): p for p in Period._periods_of(
                {(v['hall'], v['date']) for v in vlist})}
        vlist = [v for v in vlist
            if getattr(periods.get((v['hall'], v['date'].replace(day=1))),
                'state', 'draft') == 'draft']
        totals = {}
        accepted = []
        with without_check_access():
            for values in vlist:
                category = Category(values['category'])
                if category.cap and category.cap_period:
                    if category.cap_period == 'day':
                        start = end = values['date']
                    else:
                        start = values['date'].replace(day=1)
                        end = (start + dt.timedelta(days=32)).replace(
                            day=1) - dt.timedelta(days=1)
                    key = (values['employee'], category.id, start)
                    if key not in totals:
                        totals[key] = sum((e.points for e in cls.search([
                                        ('employee', '=', values['employee']),
                                        ('category', '=', category.id),
                                        ('date', '>=', start),
                                        ('date', '<=', end),
                                        ('state', '=', 'confirmed'),
                                        ])), Decimal(0))
                    if abs(totals[key] + values['points']) > category.cap:
                        continue
                    totals[key] += values['points']
                accepted.append(values)
        return cls.create_confirmed(accepted)

    @classmethod
    def category_of(cls, code):
        "Return the active item of the code, or None"
        pool = Pool()
        Category = pool.get('hall.score.category')
        with without_check_access():
            categories = Category.search([('code', '=', code)], limit=1)
        return categories[0] if categories else None

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('points', 0) < 0, 'danger', '')),
            ]


class EntryReverseStart(ModelView):
    "Reverse a score entry"
    __name__ = 'hall.score.entry.reverse.start'

    reason = fields.Text(
        "Reason", required=True,
        help="Why the entry is corrected: shown next to it.")


class EntryReverse(Wizard):
    "Reverse a score entry"
    __name__ = 'hall.score.entry.reverse'

    start = StateView('hall.score.entry.reverse.start',
        'hall_scoring.entry_reverse_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reverse", 'reverse', 'tryton-ok', default=True),
            ])
    reverse = StateTransition()

    def transition_reverse(self):
        if not in_hall_groups(*SCORERS):
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_entry_not_scorer'))
        self.model.do_reverse(self.records, self.start.reason)
        return 'end'
