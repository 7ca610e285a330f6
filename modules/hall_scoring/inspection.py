# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The daily inspections (抽查考核): the director or the group leader walks
the hall with the form of the staff on duty from the rota, notes a finding
against the item of its criteria, and each finding becomes a confirmed
score entry when the round is done."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups, is_own_employee)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import without_check_access

from .exceptions import ScoreStateError, ScoreValidationError
from .score import POINTS_DIGITS, SCORERS, now


class Inspection(Workflow, HallDocumentMixin, ModelSQL, ModelView):
    "A round of the hall by the scoring team (抽查考核)"
    __name__ = 'hall.score.inspection'

    _draft = Eval('state') == 'draft'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': ~_draft | Eval('lines', [0]),
            })
    date = fields.Date(
        "Date", readonly=True,
        help="The day of the round, the server's.")
    inspector = fields.Many2One(
        'company.employee', "Inspector", readonly=True,
        help="Who walked the hall.")
    lines = fields.One2Many(
        'hall.score.inspection.line', 'inspection', "Staff on Duty",
        states={
            'readonly': ~_draft,
            })
    findings = fields.Function(
        fields.Integer("Findings"), 'get_findings')
    done_at = fields.DateTime("Done at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'done')}
        cls._buttons.update({
                'load_staff': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'done': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        inspector = self.inspector.rec_name if self.inspector else ''
        return f'{self.hall.rec_name} {self.date} {inspector}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('inspector.rec_name',) + tuple(clause[1:])]

    def get_findings(self, name):
        return len([l for l in self.lines if l.category])

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            # The round is the server's day and the acting employee's
            values['date'] = Pool().get('ir.date').today()
            values['inspector'] = acting_employee()
        return values

    @classmethod
    def check_modification(
            cls, mode, inspections, values=None, external=False):
        super().check_modification(
            mode, inspections, values=values, external=external)
        if external and not in_hall_groups(*SCORERS):
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_entry_not_scorer'))
        if mode in {'write', 'delete'}:
            for inspection in inspections:
                if inspection.state != 'draft':
                    raise ScoreStateError(gettext(
                            'hall_scoring.msg_inspection_done',
                            inspection=inspection.rec_name))

    @classmethod
    def copy(cls, inspections, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('state', 'draft')
        default.setdefault('done_at', None)
        default.setdefault('lines.entry', None)
        return super().copy(inspections, default=default)

    @classmethod
    @ModelView.button
    def load_staff(cls, inspections):
        "Add a line for each employee on duty today, by the published rota"
        pool = Pool()
        RosterLine = pool.get('hall.roster.line')
        Line = pool.get('hall.score.inspection.line')
        to_create = []
        for inspection in inspections:
            if inspection.state != 'draft':
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_inspection_done',
                        inspection=inspection.rec_name))
            have = {l.employee for l in inspection.lines}
            with without_check_access():
                duties = RosterLine.search([
                        ('roster.hall', '=', inspection.hall.id),
                        ('roster.state', '=', 'published'),
                        ('date', '=', inspection.date),
                        ], order=[('sequence', 'ASC'), ('id', 'ASC')])
            for duty in duties:
                if duty.employee in have:
                    continue
                have.add(duty.employee)
                to_create.append({
                        'inspection': inspection.id,
                        'employee': duty.employee.id,
                        'post': duty.post.id if duty.post else None,
                        })
        if to_create:
            with without_check_access():
                Line.create(to_create)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, inspections):
        """Make each finding a confirmed entry of the employee, refused
        whole when one is not acceptable"""
        pool = Pool()
        Entry = pool.get('hall.score.entry')
        Line = pool.get('hall.score.inspection.line')
        vlist, lines = [], []
        for inspection in inspections:
            if not is_own_employee(inspection.inspector):
                raise ScoreStateError(gettext(
                        'hall_scoring.msg_inspection_inspector',
                        inspection=inspection.rec_name))
            for line in inspection.lines:
                if not line.category:
                    continue
                vlist.append({
                        'hall': inspection.hall.id,
                        'employee': line.employee.id,
                        'date': inspection.date,
                        'category': line.category.id,
                        'points': line.points,
                        'note': line.note,
                        'source': str(line),
                        'scored_by': inspection.inspector.id,
                        })
                lines.append(line)
        entries = Entry.create_confirmed(vlist)
        with without_check_access():
            to_write = []
            for line, entry in zip(lines, entries):
                to_write.extend([[line], {'entry': entry.id}])
            if to_write:
                Line.write(*to_write)
            cls.write(inspections, {'done_at': now()})


class InspectionLine(HallModelMixin, ModelSQL, ModelView):
    "An employee on duty in an inspection, with the finding if any"
    __name__ = 'hall.score.inspection.line'

    _draft = Eval('inspection_state', 'draft') == 'draft'

    inspection = fields.Many2One(
        'hall.score.inspection', "Inspection", required=True,
        ondelete='CASCADE',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    hall = fields.Function(fields.Many2One('hall.hall', "Hall"),
        'on_change_with_hall')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='RESTRICT',
        domain=[
            ('hall', '=', Eval('hall', -1)),
            ],
        states={
            'readonly': ~_draft,
            })
    post = fields.Many2One(
        'hall.post', "Post", ondelete='RESTRICT',
        domain=[If(Bool(Eval('employee_posts')),
                ('id', 'in', Eval('employee_posts', [])), ())],
        states={
            'readonly': ~_draft,
            })
    employee_posts = fields.Function(fields.Many2Many(
            'hall.post', None, None, "Employee Posts"),
        'on_change_with_employee_posts')
    category = fields.Many2One(
        'hall.score.category', "Finding", ondelete='RESTRICT',
        domain=[
            ('source', '=', 'inspection'),
            If(Bool(Eval('post')),
                ['OR', ('posts', '=', None), ('posts', '=', Eval('post'))],
                []),
            ],
        states={
            'readonly': ~_draft,
            },
        help="The item of the finding; empty when nothing was found.")
    criteria = fields.Function(
        fields.Text("Criteria"), 'on_change_with_criteria')
    points = fields.Numeric(
        "Points", digits=POINTS_DIGITS,
        states={
            'readonly': ~_draft,
            'required': Bool(Eval('category')),
            })
    note = fields.Char(
        "Note",
        states={
            'readonly': ~_draft,
            })
    entry = fields.Many2One(
        'hall.score.entry', "Entry", readonly=True, ondelete='RESTRICT')
    inspection_state = fields.Function(
        fields.Selection('get_inspection_states', "Inspection State"),
        'on_change_with_inspection_state')

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('inspection')
        cls._order = [('inspection', 'DESC'), ('id', 'ASC')]

    @fields.depends('inspection', '_parent_inspection.hall')
    def on_change_with_hall(self, name=None):
        return self.inspection.hall if self.inspection else None

    @fields.depends('employee')
    def on_change_with_employee_posts(self, name=None):
        return self.employee.posts if self.employee else []

    @fields.depends('category')
    def on_change_with_criteria(self, name=None):
        return self.category.criteria if self.category else None

    @fields.depends('category')
    def on_change_category(self):
        self.points = self.category.points if self.category else None

    @classmethod
    def get_inspection_states(cls):
        pool = Pool()
        Inspection = pool.get('hall.score.inspection')
        return Inspection.fields_get(['state'])['state']['selection']

    @fields.depends('inspection', '_parent_inspection.state')
    def on_change_with_inspection_state(self, name=None):
        return self.inspection.state if self.inspection else None

    def get_rec_name(self, name):
        return f'{self.inspection.rec_name} {self.employee.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'employee', 'inspection'}:
            for line in lines:
                if line.employee.hall != line.inspection.hall:
                    raise ScoreValidationError(gettext(
                            'hall_scoring.msg_entry_employee_hall',
                            employee=line.employee.rec_name,
                            hall=line.inspection.hall.rec_name))
        if field_names & {'category', 'points'}:
            for line in lines:
                category = line.category
                if category and line.points is None:
                    raise ScoreValidationError(gettext(
                            'hall_scoring.msg_inspection_points',
                            line=line.rec_name))
                if category and not (category.min_points <= line.points
                        <= category.max_points):
                    raise ScoreValidationError(gettext(
                            'hall_scoring.msg_entry_points',
                            entry=line.rec_name,
                            minimum=category.min_points,
                            maximum=category.max_points))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        pool = Pool()
        Inspection = pool.get('hall.score.inspection')
        super().check_modification(
            mode, lines, values=values, external=external)
        if external and not in_hall_groups(*SCORERS):
            raise ScoreStateError(gettext(
                    'hall_scoring.msg_entry_not_scorer'))
        if external:
            for line in lines:
                if line.inspection.state != 'draft':
                    raise ScoreStateError(gettext(
                            'hall_scoring.msg_inspection_done',
                            inspection=line.inspection.rec_name))
            if mode == 'write' and 'inspection' in (values or {}):
                inspection = Inspection(values['inspection'])
                if inspection.state != 'draft':
                    raise ScoreStateError(gettext(
                            'hall_scoring.msg_inspection_done',
                            inspection=inspection.rec_name))
