# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
"""Complaints (投诉) with the 24-hour rule: taken by whoever took them,
due by the hall's closing time when simple, answered within 24 hours in
any case, paused while waiting on the customer, escalated to the group
leader or forwarded to a department, followed up and closed."""
import datetime as dt
from collections import defaultdict

from sql import Literal, Null

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields,
    sequence_ordered)
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups)
from trytond.modules.hall_duties.hall import HallDocumentMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.report import Report
from trytond.tools import grouped_slice
from trytond.tools import timezone as tz
from trytond.transaction import Transaction, without_check_access

from .exceptions import (
    ComplaintError, ComplaintStateError, ComplaintValidationError)

# Every complainant gets an answer within this delay of being taken
ANSWER_DELAY = dt.timedelta(hours=24)

CHANNELS = [
    ('counter', "Counter"),
    ('phone', "Phone"),
    ('letter', "Letter"),
    ('online', "Online"),
    ]
COMPLEXITIES = [
    ('simple', "Simple"),
    ('complex', "Complex"),
    ('difficult', "Difficult"),
    ]
STATES = [
    ('open', "Open"),
    ('waiting', "Waiting on the Customer"),
    ('answered', "Answered"),
    ('resolved', "Resolved"),
    ('closed', "Closed"),
    ]
# The states in which the complaint still waits for its answer
UNANSWERED = ['open', 'waiting']


def now():
    return dt.datetime.now().replace(microsecond=0)


def company_timezone(company):
    if company and company.timezone:
        return tz.ZoneInfo(company.timezone)
    return tz.UTC


def to_local(value, zone):
    "The naive UTC datetime value in the zone, naive"
    return value.replace(tzinfo=dt.timezone.utc).astimezone(zone).replace(
        tzinfo=None)


def to_utc(value, zone):
    "The naive datetime value of the zone in UTC, naive"
    return value.replace(tzinfo=zone).astimezone(dt.timezone.utc).replace(
        tzinfo=None)


class Category(
        DeactivableMixin, HallModelMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "A category of complaints (投诉分类)"
    __name__ = 'hall.complaint.category'

    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True, translate=True)
    description = fields.Text(
        "Description", help="What complaints of the category are about.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'hall_complaints.msg_category_code_unique'),
            ]


class Complaint(Workflow, HallDocumentMixin, ModelSQL, ModelView):
    "A customer's complaint (投诉)"
    __name__ = 'hall.complaint'
    _rec_name = 'number'

    _open = Eval('state').in_(UNANSWERED)

    number = fields.Char("Number", readonly=True)
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, sort=False,
        states={
            'readonly': ~_open,
            })
    category = fields.Many2One(
        'hall.complaint.category', "Category", required=True,
        ondelete='RESTRICT',
        states={
            'readonly': ~_open,
            })
    complexity = fields.Selection(
        COMPLEXITIES, "Complexity", required=True, sort=False,
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="A simple complaint is finished the day it is taken.")
    customer = fields.Many2One(
        'party.party', "Customer", ondelete='RESTRICT',
        states={
            'readonly': ~_open,
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    customer_name = fields.Char(
        "Customer Name",
        states={
            'readonly': ~_open,
            })
    contact = fields.Char(
        "Contact Number", required=True,
        states={
            'readonly': ~_open,
            },
        help="The number the customer is answered on.")
    service_number = fields.Char(
        "Service Number",
        states={
            'readonly': ~_open,
            },
        help="The telephone or account number the complaint is about.")
    description = fields.Text(
        "Description", required=True,
        states={
            'readonly': ~_open,
            })
    taken_by = fields.Many2One(
        'company.employee', "Taken by", readonly=True,
        help="Who took the complaint: responsible for it until it is "
        "closed.")
    taken_at = fields.DateTime("Taken at", readonly=True)
    week = fields.Date(
        "Week", readonly=True,
        help="The Monday of the week the complaint was taken, in the "
        "hall's time: what the weekly analysis counts by.")
    deadline = fields.DateTime(
        "Deadline", readonly=True,
        help="When the customer must have had the answer: the hall's "
        "closing time for a simple complaint, 24 hours after it was taken "
        "in any case, moved by the time waited on the customer.")
    waited = fields.TimeDelta(
        "Waited on the Customer", readonly=True,
        help="The time the complaint waited on the customer, added to its "
        "deadline.")
    overdue = fields.Boolean(
        "Overdue", readonly=True,
        help="Found unanswered after its deadline.")
    wait_reason = fields.Char(
        "Reason to Wait",
        states={
            'readonly': Eval('state') != 'open',
            'invisible': ~_open,
            },
        help="What is waited for from the customer, before pressing "
        "Wait on the Customer.")
    pauses = fields.One2Many(
        'hall.complaint.pause', 'complaint', "Waits", readonly=True)
    answer = fields.Text(
        "Answer",
        states={
            'readonly': Eval('state') != 'open',
            'required': Eval('state').in_(['answered', 'resolved', 'closed']),
            },
        help="What the customer was told.")
    answered_by = fields.Many2One(
        'company.employee', "Answered by", readonly=True)
    answered_at = fields.DateTime("Answered at", readonly=True)
    answered_late = fields.Boolean("Answered Late", readonly=True)
    judgement = fields.Text(
        "Judgement",
        states={
            'readonly': Bool(Eval('escalated_at')) | ~_open,
            },
        help="Why the complaint cannot be handled at the counter, before "
        "it is escalated to the group leader.")
    escalated_by = fields.Many2One(
        'company.employee', "Escalated by", readonly=True)
    escalated_at = fields.DateTime("Escalated at", readonly=True)
    forwards = fields.One2Many(
        'hall.complaint.forward', 'complaint', "Forwarded",
        states={
            'readonly': Eval('state') == 'closed',
            })
    followups = fields.One2Many(
        'hall.complaint.followup', 'complaint', "Follow-up",
        states={
            'readonly': Eval('state') == 'closed',
            })
    resolution = fields.Text(
        "Resolution",
        states={
            'readonly': Eval('state') != 'answered',
            'required': Eval('state').in_(['resolved', 'closed']),
            })
    resolved_by = fields.Many2One(
        'company.employee', "Resolved by", readonly=True)
    resolved_at = fields.DateTime("Resolved at", readonly=True)
    closed_by = fields.Many2One(
        'company.employee', "Closed by", readonly=True)
    closed_at = fields.DateTime("Closed at", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    channel_string = channel.translated('channel')
    complexity_string = complexity.translated('complexity')
    state_string = state.translated('state')
    on_time = fields.Function(
        fields.Boolean("On Time"), 'on_change_with_on_time')
    overdue_recipients = fields.Function(fields.Many2Many(
            'company.employee', None, None, "Told When Overdue",
            help="The taker and the hall's group leaders."),
        'get_overdue_recipients')

    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.deadline, Index.Range()),
                    where=t.state.in_(UNANSWERED)),
                # What the cron looks for: open and not yet found overdue,
                # as the search of a false boolean writes it
                Index(t,
                    (t.deadline, Index.Range()),
                    where=(t.state == 'open')
                    & ((t.overdue == Literal(False)) | (t.overdue == Null))),
                Index(t, (t.hall, Index.Range()), (t.taken_at, Index.Range())),
                Index(t, (t.hall, Index.Equality()), (t.week, Index.Range())),
                Index(t, (t.taken_by, Index.Range())),
                })
        cls._order = [('taken_at', 'DESC'), ('id', 'DESC')]
        # Chinese has no spaces between words: searched by substring, not
        # by PostgreSQL's full-text search, which sees one word a sentence
        for name in ['description', 'answer', 'resolution', 'judgement']:
            getattr(cls, name).search_full_text = False
        cls._transitions |= {
            ('open', 'waiting'),
            ('waiting', 'open'),
            ('open', 'answered'),
            ('answered', 'resolved'),
            ('resolved', 'closed'),
            }
        cls._buttons.update({
                'wait': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'resume': {
                    'invisible': Eval('state') != 'waiting',
                    'depends': ['state'],
                    },
                'escalate': {
                    'invisible': (~Eval('state').in_(UNANSWERED)
                        | Bool(Eval('escalated_at'))),
                    'depends': ['state', 'escalated_at'],
                    },
                'do_answer': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'resolve': {
                    'invisible': Eval('state') != 'answered',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'resolved',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        Company = pool.get('company.company')
        Hall = pool.get('hall.hall')
        super().__register__(module)
        # Migration from 8.0.3: the week of the complaints taken before
        table = cls.__table__()
        hall = Hall.__table__()
        company = Company.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.join(hall, condition=table.hall == hall.id
                ).join(company, condition=hall.company == company.id
                ).select(table.id, table.taken_at, company.timezone,
                where=(table.week == Null) & (table.taken_at != Null)))
        for id_, taken_at, timezone in cursor.fetchall():
            zone = tz.ZoneInfo(timezone) if timezone else tz.UTC
            day = to_local(taken_at, zone).date()
            cursor.execute(*table.update(
                    [table.week], [day - dt.timedelta(days=day.weekday())],
                    where=table.id == id_))

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_channel(cls):
        return 'counter'

    @classmethod
    def default_complexity(cls):
        return 'simple'

    @classmethod
    def default_overdue(cls):
        return False

    @classmethod
    def default_answered_late(cls):
        return False

    @classmethod
    def default_waited(cls):
        return dt.timedelta()

    @fields.depends('state', 'answered_late', 'deadline', 'overdue')
    def on_change_with_on_time(self, name=None):
        if self.state in UNANSWERED:
            return not self.overdue
        return not self.answered_late

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            # The number, who took it and when are the server's
            pool = Pool()
            ModelData = pool.get('ir.model.data')
            Sequence = pool.get('ir.sequence')
            with without_check_access():
                sequence = Sequence(ModelData.get_id(
                        'hall_complaints', 'sequence_complaint'))
                values['number'] = sequence.get()
            values['taken_by'] = acting_employee()
            values['taken_at'] = now()
        return values

    @classmethod
    def create(cls, vlist):
        complaints = super().create(vlist)
        cls.set_deadline(complaints)
        return complaints

    @classmethod
    def copy(cls, complaints, default=None):
        "A copy is a new complaint, taken now by the user"
        if default is None:
            default = {}
        else:
            default = default.copy()
        for name in [
                'number', 'deadline', 'week', 'pauses',
                'answer', 'answered_by', 'answered_at',
                'escalated_by', 'escalated_at', 'judgement', 'forwards',
                'followups', 'resolution', 'resolved_by', 'resolved_at',
                'closed_by', 'closed_at', 'wait_reason']:
            default.setdefault(name, None)
        default.setdefault('state', 'open')
        default.setdefault('overdue', False)
        default.setdefault('answered_late', False)
        default.setdefault('waited', dt.timedelta())
        return super().copy(complaints, default=default)

    @classmethod
    def validate_fields(cls, complaints, field_names):
        super().validate_fields(complaints, field_names)
        cls.check_contact(complaints, field_names)

    @classmethod
    def check_contact(cls, complaints, field_names=None):
        "A complaint without a number to answer the customer on is refused"
        if field_names and 'contact' not in field_names:
            return
        for complaint in complaints:
            digits = [c for c in (complaint.contact or '') if c.isdigit()]
            if len(digits) < 5:
                raise ComplaintValidationError(gettext(
                        'hall_complaints.msg_complaint_contact',
                        complaint=complaint.rec_name))

    @classmethod
    def check_modification(
            cls, mode, complaints, values=None, external=False):
        super().check_modification(
            mode, complaints, values=values, external=external)
        if mode == 'delete':
            raise ComplaintStateError(gettext(
                    'hall_complaints.msg_complaint_delete',
                    complaint=complaints[0].rec_name))
        if external and mode == 'write':
            for complaint in complaints:
                if complaint.state == 'closed':
                    raise ComplaintStateError(gettext(
                            'hall_complaints.msg_complaint_closed',
                            complaint=complaint.rec_name))
                allowed = cls._writable_after_answer.get(complaint.state)
                if allowed is not None and not values.keys() <= allowed:
                    raise ComplaintStateError(gettext(
                            'hall_complaints.msg_complaint_answered',
                            complaint=complaint.rec_name))

    # What is still written once the complaint is answered, by state
    _writable_after_answer = {
        'answered': {'resolution', 'followups', 'forwards'},
        'resolved': {'followups', 'forwards'},
        }

    # The deadline

    def compute_deadline(self):
        """Return the deadline: 24 hours after it was taken, or the closing
        time of the hall that day for a simple complaint if earlier, moved
        by the time waited on the customer"""
        deadline = self.taken_at + ANSWER_DELAY
        if self.complexity == 'simple':
            zone = company_timezone(self.hall.company)
            local = to_local(self.taken_at, zone)
            closing = dt.datetime.combine(
                local.date(), self.hall.closing_time)
            if local >= closing:
                # Taken after closing: due by the next day's closing
                closing += dt.timedelta(days=1)
            deadline = min(deadline, to_utc(closing, zone))
        return deadline + (self.waited or dt.timedelta())

    def compute_week(self):
        "Return the Monday of the week it was taken, in the hall's time"
        zone = company_timezone(self.hall.company)
        day = to_local(self.taken_at, zone).date()
        return day - dt.timedelta(days=day.weekday())

    @classmethod
    def set_deadline(cls, complaints):
        to_write = []
        for complaint in complaints:
            values = {}
            deadline = complaint.compute_deadline()
            if deadline != complaint.deadline:
                values['deadline'] = deadline
            week = complaint.compute_week()
            if week != complaint.week:
                values['week'] = week
            if values:
                to_write.extend([[complaint], values])
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    def mark_overdue(cls, date_time=None):
        """Mark the complaints unanswered after their deadline as overdue
        and tell their taker and the group leaders (cron)"""
        if date_time is None:
            date_time = now()
        complaints = cls.search([
                ('state', '=', 'open'),
                ('deadline', '<', date_time),
                ('overdue', '=', False),
                ], order=[('deadline', 'ASC')])
        if complaints:
            cls.write(complaints, {'overdue': True})
            cls.notify_overdue(complaints)
        return complaints

    @classmethod
    def get_leaders(cls, complaints):
        "Return the employees to tell about each complaint: taker, leaders"
        pool = Pool()
        Employee = pool.get('company.employee')
        ModelData = pool.get('ir.model.data')
        leader_post = ModelData.get_id('hall_duties', 'post_group_leader')
        halls = list({c.hall.id for c in complaints})
        by_hall = defaultdict(list)
        for sub_halls in grouped_slice(halls):
            for employee in Employee.search([
                        ('hall', 'in', list(sub_halls)),
                        ('posts', '=', leader_post),
                        ]):
                by_hall[employee.hall.id].append(employee)
        return {c.id: by_hall[c.hall.id] for c in complaints}

    @classmethod
    def notify(cls, complaints, employees, message, description,
            model=None):
        """Notify in the web client the users of the employees of each
        complaint (a dict of lists) with the message and the description
        (a function of the complaint); the records may be of another model
        of the module, named by model"""
        pool = Pool()
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        wanted = {e.id for c in complaints for e in employees[c.id]}
        users = User.search([('employees', 'in', list(wanted))])
        to_create = []
        for user in users:
            mine = {e.id for e in user.employees}
            for complaint in complaints:
                escalated_by = getattr(complaint, 'escalated_by', None)
                if {e.id for e in employees[complaint.id]} & mine:
                    to_create.append({
                            'user': user.id,
                            'label': gettext(
                                message, complaint=complaint.rec_name,
                                employee=(escalated_by.rec_name
                                    if escalated_by else '')),
                            'description': (
                                description(complaint) or '')[:100],
                            'icon': 'tryton-notification',
                            'model': model or cls.__name__,
                            'records': f'[{complaint.id}]',
                            })
        Notification.create(to_create)

    @classmethod
    def notify_overdue(cls, complaints):
        "Tell the taker and the group leaders in the web client"
        leaders = cls.get_leaders(complaints)
        employees = {
            c.id: ([c.taken_by] if c.taken_by else []) + leaders[c.id]
            for c in complaints}
        cls.notify(
            complaints, employees, 'hall_complaints.msg_complaint_overdue',
            lambda c: c.description)

    @classmethod
    def get_overdue_recipients(cls, complaints, name):
        leaders = cls.get_leaders(complaints)
        result = {}
        for complaint in complaints:
            employees = [complaint.taken_by] if complaint.taken_by else []
            employees += [
                e for e in leaders[complaint.id] if e not in employees]
            result[complaint.id] = [e.id for e in employees]
        return result

    # The buttons

    @classmethod
    def check_taker(cls, complaints):
        """Only the taker, the group leader and the director act on a
        complaint: the taker stays responsible for it"""
        pool = Pool()
        User = pool.get('res.user')
        if in_hall_groups('group_group_leader', 'group_director'):
            return
        employees = set(User.get_employees())
        for complaint in complaints:
            if complaint.taken_by and complaint.taken_by.id not in employees:
                raise ComplaintError(gettext(
                        'hall_complaints.msg_complaint_not_taker',
                        complaint=complaint.rec_name,
                        taker=complaint.taken_by.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def wait(cls, complaints):
        pool = Pool()
        Pause = pool.get('hall.complaint.pause')
        cls.check_taker(complaints)
        pauses = []
        for complaint in complaints:
            if not (complaint.wait_reason or '').strip():
                raise ComplaintError(gettext(
                        'hall_complaints.msg_complaint_wait_reason',
                        complaint=complaint.rec_name))
            pauses.append(Pause(
                    complaint=complaint, reason=complaint.wait_reason,
                    started_at=now(), started_by=acting_employee()))
        Pause.save(pauses)
        cls.write(complaints, {'wait_reason': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def resume(cls, complaints):
        pool = Pool()
        Pause = pool.get('hall.complaint.pause')
        cls.check_taker(complaints)
        pauses = Pause.search([
                ('complaint', 'in', [c.id for c in complaints]),
                ('ended_at', '=', None),
                ])
        end = now()
        Pause.write(pauses, {'ended_at': end, 'ended_by': acting_employee()})
        waited = defaultdict(dt.timedelta)
        for pause in pauses:
            waited[pause.complaint.id] += end - pause.started_at
        to_write = []
        for complaint in complaints:
            to_write.extend([[complaint], {
                        'waited': (complaint.waited or dt.timedelta())
                        + waited[complaint.id],
                        }])
        if to_write:
            cls.write(*to_write)
        cls.set_deadline(complaints)

    @classmethod
    @ModelView.button
    def escalate(cls, complaints):
        "The taker judged it cannot be handled and reports it"
        cls.check_taker(complaints)
        for complaint in complaints:
            if complaint.state not in UNANSWERED or complaint.escalated_at:
                raise ComplaintStateError(gettext(
                        'hall_complaints.msg_complaint_escalated',
                        complaint=complaint.rec_name))
            if not (complaint.judgement or '').strip():
                raise ComplaintError(gettext(
                        'hall_complaints.msg_complaint_judgement',
                        complaint=complaint.rec_name))
        cls.write(complaints, {
                'escalated_by': acting_employee(),
                'escalated_at': now(),
                })
        cls.notify_escalated(complaints)

    @classmethod
    def notify_escalated(cls, complaints):
        "Tell the group leaders in the web client"
        cls.notify(
            complaints, cls.get_leaders(complaints),
            'hall_complaints.msg_complaint_escalation',
            lambda c: c.judgement)

    @classmethod
    @ModelView.button
    @Workflow.transition('answered')
    def do_answer(cls, complaints):
        "Record that the customer was given the answer, on time or late"
        cls.check_taker(complaints)
        answered_at = now()
        to_write = []
        for complaint in complaints:
            if not (complaint.answer or '').strip():
                raise ComplaintError(gettext(
                        'hall_complaints.msg_complaint_no_answer',
                        complaint=complaint.rec_name))
            to_write.extend([[complaint], {
                        'answered_by': acting_employee(),
                        'answered_at': answered_at,
                        'answered_late': bool(
                            answered_at > complaint.deadline),
                        }])
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def resolve(cls, complaints):
        cls.check_taker(complaints)
        for complaint in complaints:
            if not (complaint.resolution or '').strip():
                raise ComplaintError(gettext(
                        'hall_complaints.msg_complaint_no_resolution',
                        complaint=complaint.rec_name))
        cls.write(complaints, {
                'resolved_by': acting_employee(),
                'resolved_at': now(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, complaints):
        cls.check_taker(complaints)
        for complaint in complaints:
            for forward in complaint.forwards:
                if not forward.reply:
                    raise ComplaintError(gettext(
                            'hall_complaints.msg_complaint_forward_open',
                            complaint=complaint.rec_name,
                            department=forward.department))
        cls.write(complaints, {
                'closed_by': acting_employee(),
                'closed_at': now(),
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('overdue', False), 'danger',
                    If(Eval('answered_late', False), 'warning', ''))),
            ]


class Pause(HallModelMixin, ModelSQL, ModelView):
    "A wait of a complaint on the customer"
    __name__ = 'hall.complaint.pause'
    __access__ = {'complaint'}

    complaint = fields.Many2One(
        'hall.complaint', "Complaint", required=True, ondelete='CASCADE',
        readonly=True)
    reason = fields.Char("Reason", required=True, readonly=True)
    started_by = fields.Many2One(
        'company.employee', "Started by", readonly=True)
    started_at = fields.DateTime("Started at", readonly=True)
    ended_by = fields.Many2One(
        'company.employee', "Ended by", readonly=True)
    ended_at = fields.DateTime("Ended at", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('started_at', 'ASC'), ('id', 'ASC')]


class _ComplaintLineMixin(HallModelMixin):
    __slots__ = ()

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for line in lines:
                if line.complaint.state == 'closed':
                    raise ComplaintStateError(gettext(
                            'hall_complaints.msg_complaint_closed',
                            complaint=line.complaint.rec_name))


class FollowUp(_ComplaintLineMixin, ModelSQL, ModelView):
    "What was done for a complaint (跟踪记录)"
    __name__ = 'hall.complaint.followup'
    __access__ = {'complaint'}

    complaint = fields.Many2One(
        'hall.complaint', "Complaint", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", readonly=True)
    done_at = fields.DateTime("Done at", readonly=True)
    description = fields.Text("Description", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('done_at', 'ASC'), ('id', 'ASC')]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['employee'] = acting_employee()
            values['done_at'] = now()
        return values

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            # The log is kept as written
            raise ComplaintStateError(gettext(
                    'hall_complaints.msg_followup_immutable',
                    complaint=lines[0].complaint.rec_name))


class Forward(_ComplaintLineMixin, ModelSQL, ModelView):
    "A copy of a complaint forwarded to a department (转办)"
    __name__ = 'hall.complaint.forward'
    __access__ = {'complaint'}

    complaint = fields.Many2One(
        'hall.complaint', "Complaint", required=True, ondelete='CASCADE')
    department = fields.Char("Department", required=True)
    date = fields.Date("Date", required=True)
    content = fields.Text(
        "Forwarded", required=True, help="What was sent to the department.")
    reply_date = fields.Date(
        "Reply Date",
        states={
            'required': Bool(Eval('reply')),
            })
    reply = fields.Text("Reply", help="What the department answered.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def validate_fields(cls, forwards, field_names):
        super().validate_fields(forwards, field_names)
        if field_names & {'date', 'reply_date', 'complaint'}:
            cls.check_dates(forwards)

    @classmethod
    def check_dates(cls, forwards):
        "Neither forwarded before the complaint nor answered before sent"
        for forward in forwards:
            complaint = forward.complaint
            zone = company_timezone(complaint.hall.company)
            taken = to_local(complaint.taken_at, zone).date()
            if forward.date < taken:
                raise ComplaintValidationError(gettext(
                        'hall_complaints.msg_forward_date',
                        complaint=complaint.rec_name,
                        date=forward.date, taken=taken))
            if forward.reply_date and forward.reply_date < forward.date:
                raise ComplaintValidationError(gettext(
                        'hall_complaints.msg_forward_reply_date',
                        complaint=complaint.rec_name,
                        department=forward.department))


class ComplaintOverdue(Report):
    "The email of a complaint found overdue"
    __name__ = 'hall.complaint.overdue'
