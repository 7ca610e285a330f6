# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt
from collections import defaultdict

from sql import Null
from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .common import HallModelMixin, acting_employee, users_to_employees
from .exceptions import NoticeReadError
from .hall import HallDocumentMixin


class Notice(HallDocumentMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'hall.notice'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states=_states)
    title = fields.Char("Title", required=True, states=_states)
    text = fields.Text("Text", states=_states)
    attachment = fields.Binary(
        "Attachment", filename='attachment_name', file_id='attachment_id',
        states=_states,
        help="The document of the notice, to open or download.")
    attachment_name = fields.Char(
        "Attachment Name", states={
            'invisible': ~Eval('attachment'),
            'readonly': _states['readonly'],
            })
    attachment_id = fields.Char("Attachment ID", readonly=True)
    posts = fields.Many2Many(
        'hall.notice-hall.post', 'notice', 'post', "Target Posts",
        states=_states,
        help="The posts whose staff must read the notice; "
        "leave empty for every employee of the hall.")
    must_read = fields.Boolean(
        "Must Read", states=_states,
        help="The targeted staff must confirm reading the notice.")
    start_date = fields.Date(
        "Start Date", required=True, states=_states,
        domain=[
            If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')),
                ()),
            ],
        help="The first day the notice applies.")
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Eval('end_date'),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        help="The last day the notice applies; leave empty while it "
        "applies.")
    valid = fields.Function(
        fields.Boolean("Valid", help="The notice applies today."),
        'get_valid', searcher='search_valid')
    posted_by = fields.Many2One(
        'company.employee', "Posted by", readonly=True)
    posted_at = fields.DateTime("Posted at", readonly=True)
    reads = fields.One2Many(
        'hall.notice.read', 'notice', "Read Confirmations", readonly=True)
    target_count = fields.Function(
        fields.Integer("Targeted", help="The employees who must read."),
        'get_readers')
    read_count = fields.Function(
        fields.Integer("Read", help="The targeted employees who read."),
        'get_readers')
    unread_employees = fields.Function(
        fields.Many2Many(
            'company.employee', None, None, "Not Read by",
            help="The targeted employees who have not confirmed reading."),
        'get_readers')
    unread = fields.Function(
        fields.Boolean(
            "Unread",
            help="Addressed to you and not yet confirmed by you."),
        'get_unread', searcher='search_unread')
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('start_date', 'DESC'), ('hall', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'posted'),
            }
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'confirm_read': {
                    'invisible': Eval('state') != 'posted',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        # Migration from 8.0.1: who did it is an employee
        users_to_employees(cls, module, ['posted_by'])
        super().__register__(module)

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_must_read(cls):
        return False

    @classmethod
    def default_start_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    def get_rec_name(self, name):
        return self.title

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('title',) + tuple(clause[1:])]

    @classmethod
    def get_valid(cls, notices, name):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        return {n.id: (n.start_date <= today
                and (not n.end_date or n.end_date >= today))
            for n in notices}

    @classmethod
    def search_valid(cls, name, clause):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        _, operator, value = clause
        if operator == '!=':
            value = not value
        elif operator != '=':
            return []
        if value:
            return [
                ('start_date', '<=', today),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', today),
                    ],
                ]
        else:
            return ['OR',
                ('start_date', '>', today),
                ('end_date', '<', today),
                ]

    @classmethod
    def _targets_query(cls, notice_where=None, employees=None):
        """Return the query of the pairs (notice, employee) of the employees
        who must read each notice: the active staff of the hall holding one
        of the target posts, or every active employee of the hall when the
        notice targets no post.
        notice_where is a function returning the condition on the notice
        table; employees limits the query to these employee ids."""
        pool = Pool()
        Date = pool.get('ir.date')
        Employee = pool.get('company.employee')
        EmployeePost = pool.get('company.employee-hall.post')
        NoticePost = pool.get('hall.notice-hall.post')
        today = Date.today()

        def where(notice, employee):
            where = (((employee.start_date == Null)
                    | (employee.start_date <= today))
                & ((employee.end_date == Null)
                    | (employee.end_date >= today)))
            if notice_where is not None:
                where &= notice_where(notice)
            if employees is not None:
                where &= employee.id.in_(list(employees) or [-1])
            return where

        notice = cls.__table__()
        employee = Employee.__table__()
        employee_post = EmployeePost.__table__()
        notice_post = NoticePost.__table__()
        with_posts = (notice
            .join(notice_post, condition=notice_post.notice == notice.id)
            .join(employee_post,
                condition=employee_post.post == notice_post.post)
            .join(employee,
                condition=(employee.id == employee_post.employee)
                & (employee.hall == notice.hall))
            .select(
                notice.id.as_('notice'), employee.id.as_('employee'),
                where=where(notice, employee)))

        notice = cls.__table__()
        employee = Employee.__table__()
        notice_post = NoticePost.__table__()
        without_posts = (notice
            .join(employee, condition=employee.hall == notice.hall)
            .select(
                notice.id.as_('notice'), employee.id.as_('employee'),
                where=where(notice, employee)
                & ~notice.id.in_(notice_post.select(notice_post.notice))))
        # UNION removes the pairs of an employee holding two target posts
        return with_posts | without_posts

    @classmethod
    def get_readers(cls, notices, names):
        pool = Pool()
        Read = pool.get('hall.notice.read')
        read = Read.__table__()
        cursor = Transaction().connection.cursor()
        ids = [n.id for n in notices]
        targets = defaultdict(list)
        reads = defaultdict(set)
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS // 2):
            sub_ids = list(sub_ids)
            target = cls._targets_query(lambda n: reduce_ids(n.id, sub_ids))
            query = target.join(read, 'LEFT',
                condition=(read.notice == target.notice)
                & (read.employee == target.employee)
                ).select(target.notice, target.employee, read.id,
                    order_by=[target.notice, target.employee])
            cursor.execute(*query)
            for notice_id, employee_id, read_id in cursor:
                targets[notice_id].append(employee_id)
                if read_id is not None:
                    reads[notice_id].add(employee_id)
        result = {}
        if 'target_count' in names:
            result['target_count'] = {
                i: len(targets[i]) for i in ids}
        if 'read_count' in names:
            result['read_count'] = {
                i: len(reads[i]) for i in ids}
        if 'unread_employees' in names:
            result['unread_employees'] = {
                i: [e for e in targets[i] if e not in reads[i]]
                for i in ids}
        return result

    @classmethod
    def _unread_query(cls, notice_where=None):
        "The query of the ids of the notices the user has still to read"
        pool = Pool()
        Read = pool.get('hall.notice.read')
        User = pool.get('res.user')
        read = Read.__table__()
        target = cls._targets_query(
            notice_where, employees=User.get_employees())
        return target.join(read, 'LEFT',
            condition=(read.notice == target.notice)
            & (read.employee == target.employee)
            ).select(target.notice,
                where=read.id == Null,
                group_by=[target.notice])

    @classmethod
    def get_unread(cls, notices, name):
        cursor = Transaction().connection.cursor()
        result = {n.id: False for n in notices}
        for sub_ids in grouped_slice(
                [n.id for n in notices], backend.MAX_QUERY_PARAMS // 2):
            sub_ids = list(sub_ids)
            cursor.execute(*cls._unread_query(
                    lambda n: reduce_ids(n.id, sub_ids)))
            for notice_id, in cursor:
                result[notice_id] = True
        return result

    @classmethod
    def search_unread(cls, name, clause):
        _, operator, value = clause
        if operator == '!=':
            value = not value
        elif operator != '=':
            return []
        return [('id', 'in' if value else 'not in', cls._unread_query())]

    @classmethod
    def check_modification(cls, mode, notices, values=None, external=False):
        super().check_modification(
            mode, notices, values=values, external=external)
        if mode == 'write' and values.keys() - cls._posted_writable():
            for notice in notices:
                if notice.state != 'draft':
                    raise AccessError(gettext(
                            'hall_duties.msg_notice_modify_posted',
                            notice=notice.rec_name))
        elif mode == 'delete':
            for notice in notices:
                if notice.state != 'draft':
                    raise AccessError(gettext(
                            'hall_duties.msg_notice_delete_posted',
                            notice=notice.rec_name))

    @classmethod
    def _posted_writable(cls):
        "The fields that can still be changed on a posted notice"
        return {'state', 'end_date'}

    @classmethod
    def copy(cls, notices, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('reads')
        default.setdefault('posted_by')
        default.setdefault('posted_at')
        return super().copy(notices, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, notices):
        cls.write(notices, {
                'posted_by': acting_employee(),
                'posted_at': dt.datetime.now(),
                })
        cls.notify(notices)

    @classmethod
    def notify(cls, notices):
        """Notify the users of the employees who must read the notices
        in the client"""
        pool = Pool()
        ActWindow = pool.get('ir.action.act_window')
        ModelData = pool.get('ir.model.data')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        cursor = Transaction().connection.cursor()
        notices = [n for n in notices if n.must_read]
        if not notices:
            return
        by_id = {n.id: n for n in notices}
        cursor.execute(*cls._targets_query(
                lambda n: reduce_ids(n.id, list(by_id))))
        employees = defaultdict(set)
        for notice_id, employee_id in cursor:
            employees[employee_id].add(notice_id)
        users = User.search([
                ('employees', 'in', list(employees)),
                ])
        action = ActWindow(ModelData.get_id(
                'hall_duties', 'act_notice_to_read')).action.id
        to_create = []
        for user in users:
            notice_ids = set()
            for user_employee in user.employees:
                notice_ids |= employees.get(user_employee.id, set())
            for notice_id in sorted(notice_ids):
                to_create.append({
                        'user': user.id,
                        'label': by_id[notice_id].title,
                        'description': gettext(
                            'hall_duties.msg_notice_notification',
                            hall=by_id[notice_id].hall.rec_name),
                        'icon': 'tryton-notification',
                        'action': action,
                        })
        Notification.create(to_create)

    @classmethod
    @ModelView.button
    def confirm_read(cls, notices):
        "Confirm the reading by the employees the user acts as"
        pool = Pool()
        Read = pool.get('hall.notice.read')
        User = pool.get('res.user')
        cursor = Transaction().connection.cursor()
        ids = [n.id for n in notices]
        if not ids:
            return
        employees = User.get_employees()
        cursor.execute(*cls._targets_query(
                lambda n: reduce_ids(n.id, ids) & (n.state == 'posted'),
                employees=employees))
        targeted = set(cursor)
        targeted_notices = {n for n, _ in targeted}
        for record in notices:
            if record.id not in targeted_notices:
                raise NoticeReadError(gettext(
                        'hall_duties.msg_notice_read_not_targeted',
                        notice=record.rec_name))
        done = {(r.notice.id, r.employee.id) for r in Read.search([
                    ('notice', 'in', ids),
                    ('employee', 'in', list(employees)),
                    ])}
        now = dt.datetime.now()
        Read.create([{
                    'notice': notice_id,
                    'employee': employee_id,
                    'read_at': now,
                    } for notice_id, employee_id in sorted(targeted - done)])


class NoticePost(HallModelMixin, ModelSQL):
    __name__ = 'hall.notice-hall.post'

    notice = fields.Many2One(
        'hall.notice', "Notice", required=True, ondelete='CASCADE')
    post = fields.Many2One(
        'hall.post', "Post", required=True, ondelete='CASCADE')

    @classmethod
    def check_modification(
            cls, mode, notice_posts, values=None, external=False):
        super().check_modification(
            mode, notice_posts, values=values, external=external)
        for notice_post in notice_posts:
            if notice_post.notice.state != 'draft':
                raise AccessError(gettext(
                        'hall_duties.msg_notice_modify_posted',
                        notice=notice_post.notice.rec_name))


class NoticeRead(HallModelMixin, ModelSQL, ModelView):
    __name__ = 'hall.notice.read'

    notice = fields.Many2One(
        'hall.notice', "Notice", required=True, ondelete='CASCADE',
        readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE',
        readonly=True)
    read_at = fields.DateTime("Read at", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('notice_employee_unique',
                Exclude(t, (t.notice, Equal), (t.employee, Equal)),
                'hall_duties.msg_notice_read_unique'),
            ]
        cls._order = [('read_at', 'DESC'), ('id', 'DESC')]
