# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt
from collections import defaultdict

from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.report import Report
from trytond.tools import grouped_slice
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from .common import acting_employee, in_hall_groups, users_to_employees
from .exceptions import DeadlineDoneError, DeadlineValidationError
from .hall import HallDocumentMixin

# How many values a query takes in its 'in' clauses
IN_MAX = backend.MAX_QUERY_PARAMS // 3


class Deadline(HallDocumentMixin, Workflow, ModelSQL, ModelView):
    "Deadline"
    __name__ = 'hall.deadline'

    _states = {
        'readonly': Eval('state') != 'open',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    task = fields.Many2One(
        'hall.task', "Task", required=True, ondelete='RESTRICT',
        domain=[
            ('kind', '=', 'deadline'),
            ['OR',
                ('hall', '=', None),
                ('hall', '=', Eval('hall', -1)),
                ],
            ],
        states=_states,
        help="The deliverable due.")
    post = fields.Function(
        fields.Many2One('hall.post', "Post",
            help="The post responsible for the deliverable."),
        'on_change_with_post', searcher='search_post')
    due_date = fields.Date("Due Date", required=True, states=_states)
    due_time = fields.Time(
        "Due Time", states=_states,
        help="Leave empty for the end of the day.")
    document = fields.Reference(
        "Proof", selection='get_documents',
        states={
            'readonly': Eval('state') != 'open',
            'invisible': ~Eval('document_model'),
            },
        help="The record that proves the deliverable handed in.")
    document_model = fields.Function(
        fields.Char("Proof Model"), 'on_change_with_document_model')
    recipients = fields.Function(
        fields.Many2Many(
            'hall.deadline.recipient', None, None, "Recipients",
            help="Who is reminded of the deadline."),
        'get_recipients')
    overdue = fields.Function(
        fields.Boolean("Overdue", help="Still open after its due time."),
        'get_overdue', searcher='search_overdue')
    done_by = fields.Many2One(
        'company.employee', "Done by", readonly=True)
    done_at = fields.DateTime("Done at", readonly=True)
    state = fields.Selection([
            ('open', "Open"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_task_due_date_unique',
                Exclude(t,
                    (t.hall, Equal), (t.task, Equal), (t.due_date, Equal)),
                'hall_duties.msg_deadline_unique'),
            ]
        cls._order = [
            ('due_date', 'ASC'), ('due_time', 'ASC NULLS LAST'),
            ('hall', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('open', 'done'),
            ('done', 'open'),
            }
        cls._buttons.update({
                'open': {
                    'invisible': Eval('state') != 'done',
                    'depends': ['state'],
                    },
                'done': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        # Migration from 8.0.1: who did it is an employee
        users_to_employees(cls, module, ['done_by'])
        super().__register__(module)

    @classmethod
    def default_state(cls):
        return 'open'

    @fields.depends('task')
    def on_change_with_post(self, name=None):
        return self.task.post if self.task else None

    @classmethod
    def search_post(cls, name, clause):
        return [('task.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('task')
    def on_change_with_document_model(self, name=None):
        return self.task.document if self.task else None

    @fields.depends('task', 'due_time')
    def on_change_task(self):
        if self.task and not self.due_time:
            self.due_time = self.task.end_time

    @classmethod
    def get_documents(cls):
        pool = Pool()
        Task = pool.get('hall.task')
        return Task.get_documents()

    @classmethod
    def get_recipients(cls, deadlines, name):
        "The recipients configured for the hall and the kind of deadline"
        pool = Pool()
        Recipient = pool.get('hall.deadline.recipient')
        result = {d.id: [] for d in deadlines}
        by_key = defaultdict(list)
        for deadline in deadlines:
            by_key[deadline.hall.id, deadline.task.code].append(deadline.id)
        for sub_deadlines in grouped_slice(deadlines, IN_MAX):
            sub_deadlines = list(sub_deadlines)
            recipients = Recipient.search([
                    ('hall', 'in', list({d.hall.id for d in sub_deadlines})),
                    ('task.code', 'in',
                        list({d.task.code for d in sub_deadlines})),
                    ], order=[('id', 'ASC')])
            for recipient in recipients:
                key = recipient.hall.id, recipient.task.code
                for deadline_id in by_key.get(key, []):
                    if recipient.id not in result[deadline_id]:
                        result[deadline_id].append(recipient.id)
        return result

    @classmethod
    def _now(cls):
        "Return the current naive date and time of the company"
        pool = Pool()
        Company = pool.get('company.company')
        company_id = Transaction().context.get('company')
        timezone = None
        if company_id is not None and company_id >= 0:
            company = Company(company_id)
            if company.timezone:
                timezone = tz.ZoneInfo(company.timezone)
        return dt.datetime.now(timezone).replace(tzinfo=None)

    @classmethod
    def get_overdue(cls, deadlines, name):
        now = cls._now()
        today, time = now.date(), now.time()
        result = {}
        for deadline in deadlines:
            result[deadline.id] = bool(
                deadline.state == 'open'
                and (deadline.due_date < today
                    or (deadline.due_date == today
                        and deadline.due_time is not None
                        and deadline.due_time < time)))
        return result

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause
        now = cls._now()
        today, time = now.date(), now.time()
        if (operator == '=') == bool(value):
            return [
                ('state', '=', 'open'),
                ['OR',
                    ('due_date', '<', today),
                    [
                        ('due_date', '=', today),
                        ('due_time', '!=', None),
                        ('due_time', '<', time),
                        ],
                    ],
                ]
        else:
            return ['OR',
                ('state', '!=', 'open'),
                ('due_date', '>', today),
                [
                    ('due_date', '=', today),
                    ['OR',
                        ('due_time', '=', None),
                        ('due_time', '>=', time),
                        ],
                    ],
                ]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Bool(Eval('overdue', False)), 'danger',
                    If(Eval('state') == 'done', 'muted', '')),
                ['overdue', 'state']),
            ]

    def get_rec_name(self, name):
        return f'{self.task.rec_name} ({self.hall.code}) {self.due_date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('task.rec_name', operator, operand, *extra),
            ('hall.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, deadlines, field_names):
        super().validate_fields(deadlines, field_names)
        cls.check_document(deadlines, field_names)

    @classmethod
    def check_document(cls, deadlines, field_names=None):
        "Check the proof is a record of the task's proof model and hall"
        if field_names and not (
                {'document', 'task', 'hall'} & set(field_names)):
            return
        for deadline in deadlines:
            document = deadline.document
            if not document or document.id < 0:
                continue
            if document.__name__ != deadline.task.document:
                raise DeadlineValidationError(gettext(
                        'hall_duties.msg_deadline_document_model',
                        deadline=deadline.rec_name,
                        document=document.rec_name))
            hall = getattr(document, 'hall', None)
            if hall and hall != deadline.hall:
                raise DeadlineValidationError(gettext(
                        'hall_duties.msg_deadline_document_hall',
                        deadline=deadline.rec_name,
                        document=document.rec_name))

    @classmethod
    def check_modification(
            cls, mode, deadlines, values=None, external=False):
        super().check_modification(
            mode, deadlines, values=values, external=external)
        if mode == 'write' and external:
            for deadline in deadlines:
                if deadline.state == 'done':
                    raise AccessError(gettext(
                            'hall_duties.msg_deadline_modify_done',
                            deadline=deadline.rec_name))

    @classmethod
    def check_responsible(cls, deadlines):
        "Refuse deadlines of a post the user does not hold"
        pool = Pool()
        User = pool.get('res.user')
        if in_hall_groups('group_director'):
            return
        groups = set(User.get_groups())
        for deadline in deadlines:
            if deadline.post.group.id not in groups:
                raise DeadlineDoneError(gettext(
                        'hall_duties.msg_deadline_done_post',
                        deadline=deadline.rec_name,
                        post=deadline.post.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, deadlines):
        cls.write(deadlines, {
                'done_by': None,
                'done_at': None,
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, deadlines):
        cls.check_responsible(deadlines)
        cls.write(deadlines, {
                'done_by': acting_employee(),
                'done_at': dt.datetime.now(),
                })

    @classmethod
    def record_documents(cls, documents):
        """Mark done the open deadlines proved by the documents

        A document proves the deadline of its hall due on its due date
        whose task takes its model as proof; a model proving several tasks
        names the task of each document by its ``deadline_task_code``."""
        keys = {}
        for document in documents:
            hall = getattr(document, 'hall', None)
            due_date = getattr(document, 'due_date', None)
            code = getattr(document, 'deadline_task_code', None)
            if hall and due_date:
                keys[document.__name__, hall.id, due_date, code] = document
        if not keys:
            return []
        deadlines = []
        for sub_keys in grouped_slice(list(keys), IN_MAX):
            sub_keys = list(sub_keys)
            deadlines.extend(cls.search([
                        ('state', '=', 'open'),
                        ('task.document', 'in',
                            list({k[0] for k in sub_keys})),
                        ('hall', 'in', list({k[1] for k in sub_keys})),
                        ('due_date', 'in', list({k[2] for k in sub_keys})),
                        ]))
        now = dt.datetime.now()
        employee = acting_employee()
        to_write = []
        proved = []
        for deadline in deadlines:
            key = (
                deadline.task.document, deadline.hall.id, deadline.due_date)
            document = keys.get(key + (deadline.task.code,)) or keys.get(
                key + (None,))
            if document:
                to_write.extend([[deadline], {
                            'document': str(document),
                            'state': 'done',
                            'done_by': employee,
                            'done_at': now,
                            }])
                proved.append(deadline)
        if to_write:
            cls.write(*to_write)
        return proved

    @classmethod
    def generate(cls, date=None):
        """Create the deadlines of the active halls due within the lead days
        of their task from the date (by default the context date or
        today) if they do not exist yet"""
        pool = Pool()
        Date = pool.get('ir.date')
        Hall = pool.get('hall.hall')
        Task = pool.get('hall.task')
        context = Transaction().context
        if date is None:
            date = context.get('date') or Date.today()

        domain = []
        if context.get('company') is not None:
            domain.append(('company', '=', context['company']))
        halls = Hall.search(domain)
        tasks = Task.tasks_of_halls(halls)

        wanted = {}
        for hall in halls:
            for task in tasks[hall.id]:
                if task.kind != 'deadline':
                    continue
                for days in range((task.lead_days or 0) + 1):
                    day = date + dt.timedelta(days=days)
                    if task.occurs_on(day):
                        wanted[hall.id, task.code, day] = (hall, task, day)
        if not wanted:
            return []

        existing = set()
        last = max(k[2] for k in wanted)
        for sub_halls in grouped_slice(
                list({k[0] for k in wanted}), IN_MAX):
            for deadline in cls.search([
                        ('hall', 'in', list(sub_halls)),
                        ('due_date', '>=', date),
                        ('due_date', '<=', last),
                        ], order=[]):
                existing.add((
                        deadline.hall.id, deadline.task.code,
                        deadline.due_date))

        deadlines = []
        for key, (hall, task, day) in sorted(
                wanted.items(), key=lambda i: (i[0][2], i[0][0], i[0][1])):
            if key in existing:
                continue
            deadlines.append(cls(
                    hall=hall, task=task, due_date=day,
                    due_time=task.end_time))
        cls.save(deadlines)
        cls.link_documents(deadlines)
        return deadlines

    @classmethod
    def link_documents(cls, deadlines):
        """Mark done the deadlines whose proof already exists

        The proof model answers through its classmethod
        ``deadline_documents(keys)`` which returns for each (hall id, due
        date) key the record proving it, or a list of them."""
        pool = Pool()
        by_model = defaultdict(list)
        for deadline in deadlines:
            if deadline.task.document:
                by_model[deadline.task.document].append(deadline)
        documents = []
        for model, model_deadlines in by_model.items():
            try:
                Model = pool.get(model)
            except KeyError:
                continue
            if not hasattr(Model, 'deadline_documents'):
                continue
            found = Model.deadline_documents(
                {(d.hall.id, d.due_date) for d in model_deadlines})
            for value in found.values():
                if isinstance(value, (list, tuple)):
                    documents.extend(value)
                else:
                    documents.append(value)
        if documents:
            return cls.record_documents(documents)
        return []


class DeadlineRecipient(HallDocumentMixin, ModelSQL, ModelView):
    "Deadline Recipient"
    __name__ = 'hall.deadline.recipient'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='CASCADE')
    task = fields.Many2One(
        'hall.task', "Deadline", required=True, ondelete='CASCADE',
        domain=[
            ('kind', '=', 'deadline'),
            ['OR',
                ('hall', '=', None),
                ('hall', '=', Eval('hall', -1)),
                ],
            ],
        help="The kind of deliverable the recipient is reminded of.")
    employee = fields.Many2One(
        'company.employee', "Employee", ondelete='CASCADE',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'required': ~Eval('user'),
            'invisible': Bool(Eval('user')),
            },
        help="Reminded at the email address of the employee's party.")
    user = fields.Many2One(
        'res.user', "User", ondelete='CASCADE',
        states={
            'required': ~Eval('employee'),
            'invisible': Bool(Eval('employee')),
            },
        help="Reminded at the email address of the user.")
    email = fields.Function(
        fields.Char("Email"), 'on_change_with_email')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_task_employee_unique',
                Exclude(t, (t.hall, Equal), (t.task, Equal),
                    (t.employee, Equal)),
                'hall_duties.msg_deadline_recipient_unique'),
            ('hall_task_user_unique',
                Exclude(t, (t.hall, Equal), (t.task, Equal),
                    (t.user, Equal)),
                'hall_duties.msg_deadline_recipient_unique'),
            ]
        cls._order = [('hall', 'ASC'), ('task', 'ASC'), ('id', 'ASC')]

    @fields.depends('employee', 'user')
    def on_change_with_email(self, name=None):
        pool = Pool()
        EmailTemplate = pool.get('ir.email.template')
        address = EmailTemplate._get_address(self)
        if address:
            return address[1]

    def get_rec_name(self, name):
        if self.employee:
            return self.employee.rec_name
        elif self.user:
            return self.user.rec_name
        return str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('employee.rec_name', operator, operand, *extra),
            ('user.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, recipients, field_names):
        super().validate_fields(recipients, field_names)
        cls.check_address(recipients, field_names)

    @classmethod
    def check_address(cls, recipients, field_names=None):
        "Check each recipient is one person with an email address"
        if field_names and not ({'employee', 'user'} & set(field_names)):
            return
        for recipient in recipients:
            if bool(recipient.employee) == bool(recipient.user):
                raise DeadlineValidationError(gettext(
                        'hall_duties.msg_deadline_recipient_one',
                        task=recipient.task.rec_name))
            if not recipient.email:
                raise DeadlineValidationError(gettext(
                        'hall_duties.msg_deadline_recipient_email',
                        recipient=recipient.rec_name,
                        task=recipient.task.rec_name))


class NotificationEmail(metaclass=PoolMeta):
    """Set up again once this module's models are email models, as the
    recipient domains are computed at set-up from
    ir.email.template.email_models"""
    __name__ = 'notification.email'


class Roster(metaclass=PoolMeta):
    __name__ = 'hall.roster'

    @classmethod
    def deadline_documents(cls, keys):
        """Return for each (hall id, due date) key the published rota
        handed in for it"""
        result = {}
        keys = list(keys)
        # The week of a rota due on a date: the next Monday
        weeks = {
            k: k[1] + dt.timedelta(days=7 - k[1].weekday()) for k in keys}
        for sub_keys in grouped_slice(keys, IN_MAX):
            sub_keys = list(sub_keys)
            rosters = cls.search([
                    ('state', '=', 'published'),
                    ('hall', 'in', list({k[0] for k in sub_keys})),
                    ('week', 'in', list({weeks[k] for k in sub_keys})),
                    ])
            by_week = {(r.hall.id, r.week): r for r in rosters}
            for key in sub_keys:
                roster = by_week.get((key[0], weeks[key]))
                if roster and roster.due_date == key[1]:
                    result[key] = roster
        return result

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, rosters):
        pool = Pool()
        Deadline = pool.get('hall.deadline')
        super().publish(rosters)
        Deadline.record_documents(rosters)


class DeadlineReminder(Report):
    __name__ = 'hall.deadline.reminder'
