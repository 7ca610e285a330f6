# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""What every hall model shares: the client's values checked before they
are stored, the record rules checked before the documents' own checks, and
the verified employee a request acts as."""
import datetime as dt
import math
import re
from decimal import Decimal

from sql import Column, Null, Table

from trytond import backend
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import (
    Transaction, check_access, inactive_records, without_check_access)

from .exceptions import ValueValidationError

# The bounds of the values a hall's day has
MAX_AMOUNT = Decimal('10000000.00')
MAX_INTEGER = 2 ** 31 - 1
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
CHAR_SIZE = 500
TEXT_SIZE = 20000
# C0 controls but tab, line feed and carriage return, DEL, C1 controls and
# lone surrogates (which no database can store)
_TEXT_CONTROL = re.compile(
    '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]')
_CHAR_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f\ud800-\udfff]')
_X2MANY_ACTIONS = {'create', 'write', 'delete', 'add', 'remove', 'copy'}


def acting_employee():
    """Return the id of the employee the request acts as

    The employee of the context when it is one of the user's employees,
    otherwise the user's first one; never an employee of another user."""
    pool = Pool()
    User = pool.get('res.user')
    employees = User.get_employees()
    employee = Transaction().context.get('employee')
    if employee in employees:
        return employee
    elif employees:
        return employees[0]


def users_to_employees(Model, module, names):
    """Migrate the many-to-one fields of Model named from users to employees

    From 8.0.2, who did something is the employee who acted, no longer the
    user: each user stored becomes the employee the user acts as
    (``res_user.employee``), or none.  Call it in ``__register__`` before
    the table is updated: the model's fields still pointing to res.user in
    ``ir_model_field`` are the ones migrated."""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    TableHandler = backend.TableHandler
    if not TableHandler.table_exist(Model._table):
        return
    field = Table('ir_model_field')
    cursor.execute(*field.select(field.name,
            where=(field.model == Model.__name__)
            & field.name.in_(list(names))
            & (field.relation == 'res.user')))
    old = [n for n, in cursor]
    if not old:
        return
    table_h = Model.__table_handler__(module)
    table = Model.__table__()
    user = Table('res_user')
    for name in old:
        if not table_h.column_exist(name):
            continue
        # The foreign key to res_user goes; the update adds the new one
        table_h.drop_fk(name)
        column = Column(table, name)
        cursor.execute(*table.update(
                [column],
                [user.select(user.employee, where=user.id == column)],
                where=column != Null))


def in_hall_groups(*names):
    """Tell whether the user acts with one of the hall_duties groups named

    The hall administrators and the root user always do."""
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    if Transaction().user == 0:
        return True
    groups = set(User.get_groups())
    return bool(groups & {
            ModelData.get_id('hall_duties', name)
            for name in names + ('group_hall_admin',)})


def is_own_employee(employee):
    """Tell whether the employee is one the user acts as

    The root user and the hall administrators act for everyone."""
    pool = Pool()
    User = pool.get('res.user')
    if employee is None:
        return False
    if in_hall_groups():
        return True
    return int(employee) in User.get_employees()


def workflow_fields(Model):
    """Return the names of the fields of Model the client may not write

    They are the fields declared read-only: states, numbers, who and when
    of each step, approvals and registrations, set by the buttons only."""
    names = Model.__dict__.get('_hall_workflow_fields')
    if names is None:
        names = frozenset(
            n for n, f in Model._fields.items() if f.readonly is True)
        Model._hall_workflow_fields = names
    return names


class HallModelMixin:
    """Check the values a hall model receives before they are stored and
    the record rules before the checks of the document itself

    Every value is checked against its field: its type, a finite number in
    the bounds of a hall's day (``_value_bounds`` gives a field its own),
    a whole number for an integer, a date of this century, a text without
    control characters and of a reasonable length."""
    __slots__ = ()
    # field name: (minimum, maximum)
    _value_bounds = {}

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name, value in values.items():
            field = cls._fields.get(name)
            if field is None or value is None:
                continue
            checked = cls._check_value(name, field, value)
            if checked is not value:
                values[name] = checked
        return values

    @classmethod
    def _value_error(cls, message, name, **kwargs):
        return ValueValidationError(gettext(
                message, **cls.__names__(name), **kwargs))

    @classmethod
    def _check_value(cls, name, field, value):
        "Return the value to store or raise ValueValidationError"
        type_ = field._type
        if type_ in {'numeric', 'float', 'integer', 'biginteger'}:
            return cls._check_number(name, field, value)
        elif type_ in {'char', 'text'}:
            if not isinstance(value, str):
                raise cls._value_error(
                    'hall_duties.msg_value_type', name)
            if type_ == 'char':
                control, size = _CHAR_CONTROL, field.size or CHAR_SIZE
            else:
                control, size = _TEXT_CONTROL, field.size or TEXT_SIZE
            if control.search(value):
                raise cls._value_error(
                    'hall_duties.msg_value_control_characters', name)
            if len(value) > size:
                raise cls._value_error(
                    'hall_duties.msg_value_too_long', name, size=size)
        elif type_ in {'date', 'datetime', 'timestamp'}:
            if type_ == 'date':
                valid = (isinstance(value, dt.date)
                    and not isinstance(value, dt.datetime))
            else:
                valid = isinstance(value, dt.datetime)
            if not valid:
                raise cls._value_error('hall_duties.msg_value_type', name)
            date = value.date() if type_ != 'date' else value
            if not (MIN_DATE <= date <= MAX_DATE):
                raise cls._value_error(
                    'hall_duties.msg_value_date_range', name,
                    min=MIN_DATE.isoformat(), max=MAX_DATE.isoformat())
        elif type_ == 'time':
            if not isinstance(value, dt.time):
                raise cls._value_error('hall_duties.msg_value_type', name)
        elif type_ == 'boolean':
            if not isinstance(value, bool):
                raise cls._value_error('hall_duties.msg_value_type', name)
        elif type_ == 'selection':
            if not isinstance(value, str):
                raise cls._value_error('hall_duties.msg_value_type', name)
        elif type_ == 'multiselection':
            if (not isinstance(value, (list, tuple))
                    or not all(isinstance(v, str) for v in value)):
                raise cls._value_error('hall_duties.msg_value_type', name)
        elif type_ == 'many2one':
            if (isinstance(value, bool) or not isinstance(value, int)
                    or not (0 <= value <= MAX_INTEGER)):
                raise cls._value_error('hall_duties.msg_value_type', name)
        elif type_ == 'reference':
            if isinstance(value, (list, tuple)) and len(value) == 2:
                model, id_ = value
            elif isinstance(value, str):
                model, _, id_ = value.partition(',')
                try:
                    id_ = int(id_)
                except ValueError:
                    id_ = None
            else:
                model = id_ = None
            selection = field.selection
            if not isinstance(selection, (list, tuple)):
                selection = getattr(cls, selection)()
            if (model not in {m for m, _ in selection if m}
                    or isinstance(id_, bool)
                    or not isinstance(id_, int)
                    or not (-1 <= id_ <= MAX_INTEGER)):
                raise cls._value_error('hall_duties.msg_value_type', name)
        elif type_ == 'binary':
            if not isinstance(value, (bytes, bytearray, memoryview)):
                raise cls._value_error('hall_duties.msg_value_type', name)
        elif type_ in {'one2many', 'many2many'}:
            if (not isinstance(value, (list, tuple))
                    or not all(
                        isinstance(a, (list, tuple)) and a
                        and a[0] in _X2MANY_ACTIONS
                        for a in value)):
                raise cls._value_error('hall_duties.msg_value_type', name)
        return value

    @classmethod
    def _check_number(cls, name, field, value):
        type_ = field._type
        if isinstance(value, bool) or not isinstance(
                value, (int, float, Decimal)):
            raise cls._value_error('hall_duties.msg_value_type', name)
        if isinstance(value, float) and not math.isfinite(value):
            raise cls._value_error('hall_duties.msg_value_not_finite', name)
        if isinstance(value, Decimal) and not value.is_finite():
            raise cls._value_error('hall_duties.msg_value_not_finite', name)
        if type_ in {'integer', 'biginteger'}:
            if value != int(value):
                raise cls._value_error(
                    'hall_duties.msg_value_not_integer', name)
            if not isinstance(value, int):
                value = int(value)
            minimum, maximum = cls._value_bounds.get(
                name, (-MAX_INTEGER, MAX_INTEGER))
        else:
            minimum, maximum = cls._value_bounds.get(
                name, (-MAX_AMOUNT, MAX_AMOUNT))
        if not (minimum <= value <= maximum):
            raise cls._value_error(
                'hall_duties.msg_value_out_of_range', name,
                min=minimum, max=maximum)
        return value

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        if values:
            # The documents' checks read the values written
            for name, value in values.items():
                field = cls._fields.get(name)
                if field is not None and value is not None:
                    cls._check_value(name, field, value)
        if external and mode in {'create', 'write'}:
            cls._check_companies(mode, records, values)
        if external and mode in {'write', 'delete'}:
            # The record rules first: a record the user may not touch is
            # refused as such, before a check that would tell its state
            ids = [r.id for r in records]
            with check_access():
                if mode == 'delete':
                    # Only the read rule tells a record exists
                    cls._ModelSQL__check_domain_rule(ids, 'read')
                cls._ModelSQL__check_domain_rule(ids, mode)
        super().check_modification(
            mode, records, values=values, external=external)

    @classmethod
    def _check_companies(cls, mode, records, values):
        """Refuse a reference to a record of a company the user does not
        work for (a company, or a record with a company: an employee, a
        hall, an account...)"""
        pool = Pool()
        User = pool.get('res.user')
        if Transaction().user == 0:
            return
        targets = {}
        for name, field in cls._fields.items():
            if (field._type != 'many2one'
                    or (mode == 'write' and name not in (values or {}))
                    or getattr(field, 'getter', None)):
                continue
            Target = field.get_target()
            if Target.__name__ == 'company.company':
                company = 'id'
            else:
                company = Target._fields.get('company')
                if (company is None or company._type != 'many2one'
                        or company.model_name != 'company.company'
                        or (getattr(company, 'getter', None)
                            and not getattr(company, 'searcher', None))):
                    continue
                company = 'company'
            if mode == 'write':
                ids = {values[name]} if values[name] is not None else set()
            else:
                ids = {getattr(r, name).id for r in records
                    if getattr(r, name, None) is not None}
            if ids:
                targets.setdefault((Target, company), {}).setdefault(
                    name, set()).update(ids)
        if not targets:
            return
        companies = list(User.get_companies())
        with without_check_access(), inactive_records():
            for (Target, company), names in targets.items():
                ids = set().union(*names.values())
                foreign = {r.id for r in Target.search([
                            ('id', 'in', list(ids)),
                            (company, '!=', None),
                            (company, 'not in', companies),
                            ], order=[])}
                for name, name_ids in names.items():
                    if foreign & name_ids:
                        raise cls._value_error(
                            'hall_duties.msg_value_other_company', name)
