# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""What a client sends to any hall model is checked by the server.

Every hall module (the ``modules/hall_*`` folders) is activated together
with the demo data of each (``hall_duties.demo.setup_full_demo``, as
``scripts/demo_data.py`` loads them), then
every ``hall.*`` model of the pool is walked, so a module still to come is
covered without editing this file:

1. Workflow fields: every field a hall model declares ``readonly=True``
   (stored or with a setter) is refused with an ``AccessError`` when a
   client creates or writes it.  Fields named ``state``, ``number`` or
   ending in ``_by`` / ``_at`` must be declared so, but for the few listed
   in ``USER_ENTERED``.
2. Bad input: every writable field of every model the sweep user may
   create or write receives the bad values of its type (``bad_values``),
   through ``create`` and through ``write``, each attempt in its own
   transaction, rolled back.  A create sends the values of a demo record
   with the field replaced, made acceptable first (``Baselines``): texts
   suffixed or dates moved for the unique keys, or the record's parent
   replaced by another demo record or by a new one when the demo's are
   closed.  A write goes to a demo record that accepts a write of its own
   values, else to a record made in the attempt's transaction (a new one,
   or a line of a new parent), so that the bad value meets the checks and
   not only a closed document.  What could not be made is printed in the
   notes.  An attempt ends:

   - *clean*: a ``UserError``, ``UserWarning`` or ``ConcurrencyException``
     (``AccessError``, ``ValidationError``...), what the client shows;
   - *raw*: any other exception (a crash, a database error);
   - *stored*: no error and the value read back, or held by the column,
     is a bad one (out of bounds, not finite, control characters, a date
     of 1900, a dangling or foreign reference, a value of the wrong
     type...);
   - *accepted*: no error and the value read back is sane (a value
     coerced to the field's type, or left unchanged);
   - *partial*: an error, yet rows of the hall tables are changed after the
     call's transaction is rolled back, as the dispatcher rolls it back
     (something was committed on the side).  Rows changed inside the
     refused call itself, before the error (Tryton inserts, then
     validates), are counted apart as *changed-then-refused*: the
     rollback undoes them.

   The test fails on any raw, stored or partial outcome and lists them all.
3. Impersonation: for every hall model whose record rules use the
   ``employees`` or ``halls`` of the user, a front desk clerk sends another
   employee, employees or halls in her context, or tries to make another
   employee her own in her preferences (refused with an ``AccessError``):
   the records she finds are exactly those she finds as herself, and
   ``res.user.get_employees()`` and the acting employee are her own.  A
   forged company is Tryton's own affair: only no record may show up.

"Another company" is one the setup adds, with a hall and an employee, which
no demo user belongs to: its records are the foreign values of the
many-to-one fields.

The calls are made as the dispatcher makes a client's (JSON-RPC or proteus)
call: a transaction of the user with the context the client sends (the
user's preferences) and ``_check_access`` on (``trytond/rpc.py``,
``RPC.convert``).  The sweep user is not root: they hold every group of the
hall modules, every post's group and the administration group.

PostgreSQL only: the sweeps compare table checksums with PostgreSQL's
``hashtextextended`` and make thousands of calls.  The counts and every
offender are printed (run pytest with ``-s``) and, when
``HALL_TEST_OUTPUT`` is set, written to ``integrity-<backend>.txt`` there.
"""
import contextlib
import datetime as dt
import functools
import math
import os
import pathlib
import re
import time
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from repository import hall_modules, leaf_modules
from sql import Column

from trytond import backend
from trytond.exceptions import ConcurrencyException, UserError, UserWarning
from trytond.model import ModelStorage, fields
from trytond.model.exceptions import AccessError
from trytond.modules.hall_duties.demo import setup_full_demo
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.tests.tools import activate_modules
from trytond.transaction import (
    Transaction, TransactionError, without_check_access)

ROOT = pathlib.Path(__file__).resolve().parent.parent
BACKEND = os.environ.get('HALL_TEST_BACKEND') or backend.name

needs_postgresql = pytest.mark.skipif(
    BACKEND != 'postgresql',
    reason="the integrity sweeps run on PostgreSQL only")


HALL_MODULES = hall_modules()
LEAF_MODULES = leaf_modules()

# The fields every model has, set by the framework
BASE_FIELDS = {
    'id', 'create_uid', 'create_date', 'write_uid', 'write_date', 'rec_name'}
X2MANY = {'one2many', 'many2many'}

# The naming rule: a field named ``state`` or ``number`` or ending in
# ``_by`` or ``_at`` is set by the buttons, hence declared readonly=True.
# The exceptions, typed in by the user:
USER_ENTERED = {
    # Who saw the fault: any employee, chosen by the clerk reporting it
    ('hall.repair', 'reported_by'),
    }

# The bounds of a sane value (the hall modules' rules: amounts within
# ±10,000,000.00, integers within ±2**31-1 unless the model gives a field
# its own, dates of this century, texts without control characters and of
# a reasonable length)
MAX_AMOUNT = Decimal('10000000.00')
MAX_INTEGER = 2 ** 31 - 1
MIN_YEAR, MAX_YEAR = 2000, 2099
CHAR_SIZE, TEXT_SIZE = 500, 20000
CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]')
CHAR_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f\ud800-\udfff]')

# Who the sweep acts as, and the records nobody of the demo company may
# reach
SWEEP_LOGIN = 'integrity_sweep'
OTHER_COMPANY = 'Integrity Other Company'
OTHER_HALL_CODE = 'ZZ9'
OTHER_BADGE = '9901'
# The clerk of the impersonation checks and the other clerk she tries to be
FRONT_DESK = 'frontdesk1'
OTHER_CLERK = 'frontdesk2'

# Bump when setup_sweep_records changes: the cached database is then rebuilt
SETUP_VERSION = 1

CLEAN = (UserError, UserWarning, ConcurrencyException)
TIMES = {}


def log(*args):
    print(*args, flush=True)


def printable(text, limit=300):
    "The text made safe to print, cut at limit"
    text = str(text).encode('utf-8', 'backslashreplace').decode('utf-8')
    text = ' '.join(text.split())
    return text if len(text) <= limit else text[:limit] + '...'


@contextlib.contextmanager
def timed(name):
    started = time.monotonic()
    try:
        yield
    finally:
        TIMES[name] = TIMES.get(name, 0) + time.monotonic() - started


def print_times(details=False):
    log("\n-- time spent so far --")
    for name, seconds in TIMES.items():
        if details or not name.startswith(' '):
            log(f"  {seconds:7.1f} s  {name}")


# ---------------------------------------------------------------------------
# The database: every hall module, its demo data and the sweep's records

def setup_sweep_records(config, version=SETUP_VERSION):
    """Create the records of the sweep: another company with a hall and an
    employee, and the sweep user"""
    with Transaction().start(config.database_name, 0) as transaction:
        _create_sweep_records()
        transaction.commit()


def _create_sweep_records():
    pool = Pool()
    Company = pool.get('company.company')
    Employee = pool.get('company.employee')
    Hall = pool.get('hall.hall')
    ModelData = pool.get('ir.model.data')
    Party = pool.get('party.party')
    Post = pool.get('hall.post')
    User = pool.get('res.user')

    company = Company.search([], order=[('id', 'ASC')], limit=1)[0]
    hall = Hall.search(
        [('company', '=', company.id)], order=[('id', 'ASC')], limit=1)[0]

    # Another company, with its hall and an employee
    other_party, = Party.create([{'name': OTHER_COMPANY}])
    other_company, = Company.create([{
                'party': other_party.id,
                'currency': company.currency.id,
                }])
    other_hall, = Hall.create([{
                'name': 'Integrity Other Hall',
                'code': OTHER_HALL_CODE,
                'company': other_company.id,
                }])
    party, = Party.create([{'name': 'Integrity Other Employee'}])
    Employee.create([{
                'party': party.id,
                'company': other_company.id,
                'hall': other_hall.id,
                'badge': OTHER_BADGE,
                }])

    # The sweep user: every group of the hall modules and of the posts,
    # and the administration group; an employee of the demo hall holding
    # every post
    posts = Post.search([])
    data = ModelData.search([
            ('module', 'in', HALL_MODULES),
            ('model', '=', 'res.group'),
            ])
    groups = {d.db_id for d in data} | {p.group.id for p in posts}
    groups.add(ModelData.get_id('res', 'group_admin'))
    party, = Party.create([{'name': 'Integrity Sweep'}])
    employee, = Employee.create([{
                'party': party.id,
                'company': company.id,
                'hall': hall.id,
                'badge': '9900',
                'posts': [('add', [p.id for p in posts])],
                }])
    User.create([{
                'name': 'Integrity Sweep',
                'login': SWEEP_LOGIN,
                'groups': [('add', sorted(groups))],
                'companies': [('add', [company.id])],
                'company': company.id,
                'employees': [('add', [employee.id])],
                'employee': employee.id,
                }])


def preferences(user_id):
    "The context the client of the user sends"
    with Transaction().start(DB_NAME, user_id) as transaction:
        try:
            return Pool().get('res.user').get_preferences(context_only=True)
        finally:
            transaction.rollback()


@pytest.fixture(scope='module')
def hall_db():
    "The hall modules with their demo data, once for the module's tests"
    drop_db()
    with timed("database: restored from the cache, or activated + demo"):
        try:
            activate_modules(
                LEAF_MODULES, setup_full_demo, functools.partial(
                    setup_sweep_records, version=SETUP_VERSION))
        except BaseException:
            drop_db()
            raise
    with Transaction().start(DB_NAME, 0) as transaction:
        pool = Pool()
        User = pool.get('res.user')
        Company = pool.get('company.company')
        Employee = pool.get('company.employee')
        Hall = pool.get('hall.hall')
        users = {u.login: u for u in User.search([
                    ('login', 'in', [SWEEP_LOGIN, FRONT_DESK, OTHER_CLERK]),
                    ])}
        other_company, = Company.search([
                ('party.name', '=', OTHER_COMPANY)])
        other_hall, = Hall.search([('code', '=', OTHER_HALL_CODE)])
        other_employee, = Employee.search([
                ('company', '=', other_company.id),
                ('badge', '=', OTHER_BADGE),
                ])
        info = {
            'sweep_user': users[SWEEP_LOGIN].id,
            'company': users[SWEEP_LOGIN].company.id,
            'other_company': other_company.id,
            'other_hall': other_hall.id,
            'other_employee': other_employee.id,
            'clerk': users[FRONT_DESK].id,
            'clerk_employees': [e.id for e in users[FRONT_DESK].employees],
            'other_clerk_employees': [
                e.id for e in users[OTHER_CLERK].employees],
            }
        transaction.rollback()
    info['sweep_context'] = preferences(info['sweep_user'])
    info['clerk_context'] = preferences(info['clerk'])
    yield info
    drop_db()


# ---------------------------------------------------------------------------
# The models and their fields

def hall_models(pool):
    "The names of the hall models a client may store"
    return sorted(
        name for name, Model in pool.iterobject()
        if name.startswith('hall.') and issubclass(Model, ModelStorage))


def is_view(Model):
    "Tell whether the model is an SQL view (nothing to create or write)"
    return getattr(Model, 'table_query', None) is not None


def storable(field):
    "Stored, or a Function field with a setter"
    return (not isinstance(field, fields.Function)
        or getattr(field, 'setter', None) is not None)


def workflow_fields(Model):
    "The fields declared read-only: the client may not create or write them"
    return sorted(
        n for n, f in Model._fields.items()
        if f.readonly is True and n not in BASE_FIELDS and storable(f))


def input_fields(Model):
    "The fields the client may write"
    return sorted(
        n for n, f in Model._fields.items()
        if f.readonly is not True and n not in BASE_FIELDS and storable(f))


def field_names_checked_by_name(Model):
    "The fields that the naming rule says are set by the buttons"
    for name, field in Model._fields.items():
        if isinstance(field, fields.Function) or name in BASE_FIELDS:
            continue
        if (name in {'state', 'number'}
                or name.endswith('_by') or name.endswith('_at')):
            yield name


def client_call(user, context, func):
    """Run func(transaction) as the dispatcher runs a client's call: the
    user, the client's context, the access checks on; a TransactionError
    re-runs it as the dispatcher does.  Always rolled back."""
    extras = {}
    context = dict(context, _check_access=True)
    for _ in range(5):
        with Transaction().start(
                DB_NAME, user, context=context, **extras) as transaction:
            try:
                return func(transaction)
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue
            finally:
                transaction.rollback()
                transaction.tasks.clear()
    raise AssertionError("the call kept failing with a TransactionError")


def root_call(func):
    "Run func() as root, rolled back"
    with Transaction().start(DB_NAME, 0) as transaction:
        try:
            return func()
        finally:
            transaction.rollback()


def record_exists(model_name, record_id):
    pool = Pool()
    try:
        Model = pool.get(model_name)
    except KeyError:
        return False
    if isinstance(record_id, bool) or not isinstance(record_id, int):
        return False
    if record_id < 0 or record_id > MAX_INTEGER:
        return False
    with without_check_access(), \
            Transaction().set_context(active_test=False):
        return bool(Model.search([('id', '=', record_id)], count=True))


def sql_tables(pool):
    "The tables of the hall models"
    tables = set()
    for name in hall_models(pool):
        Model = pool.get(name)
        if not is_view(Model) and getattr(Model, '_table', None):
            tables.add(Model._table)
    return sorted(tables)


def checksums(tables):
    "The row count and checksum of each table, in one query"
    cursor = Transaction().connection.cursor()
    query = ' UNION ALL '.join(
        f"SELECT '{t}', count(*), "
        f"coalesce(sum(hashtextextended(x::text, 0)), 0) FROM \"{t}\" AS x"
        for t in tables)
    cursor.execute(query)
    return {t: (c, s) for t, c, s in cursor}


# ---------------------------------------------------------------------------
# The values

def numeric_bounds(Model, name, field):
    bounds = getattr(Model, '_value_bounds', {}) or {}
    if name in bounds:
        return bounds[name]
    if field._type in {'integer', 'biginteger'}:
        return (-MAX_INTEGER, MAX_INTEGER)
    return (-MAX_AMOUNT, MAX_AMOUNT)


def selection_keys(Model, field):
    if isinstance(field.selection, (list, tuple)):
        return [k for k, _ in field.selection]
    return None


def reference_model(Model, field):
    "A model the reference field may point to"
    keys = selection_keys(Model, field) or []
    keys = [k for k in keys if k]
    return keys[0] if keys else 'hall.hall'


def bad_values(Model, name, field, foreign):
    """The (label, value) bad values of the field; foreign is the id of a
    record of the target model in another company, or None"""
    type_ = field._type
    if type_ in {'numeric', 'float'}:
        return [
            ("Decimal('NaN')", Decimal('NaN')),
            ("float('inf')", float('inf')),
            ('1e20', 1e20),
            ("Decimal('99999999999999999999.99')",
                Decimal('99999999999999999999.99')),
            ('-1e20', -1e20),
            ("'abc'", 'abc'),
            ('True', True),
            ('[1]', [1]),
            ]
    elif type_ in {'integer', 'biginteger'}:
        return [
            ('2**63', 2 ** 63),
            ('10**12', 10 ** 12),
            ('1.5', 1.5),
            ('-2**40', -2 ** 40),
            ("'x'", 'x'),
            ]
    elif type_ in {'char', 'text'}:
        return [
            ("'x'*100000", 'x' * 100000),
            (r"'a\x00b'", 'a\x00b'),
            (r"'\ud800'", '\ud800'),
            (r"'a\x07'", 'a\x07'),
            ('123', 123),
            ]
    elif type_ == 'date':
        return [
            ('date(1900, 1, 1)', dt.date(1900, 1, 1)),
            ('date(9999, 1, 1)', dt.date(9999, 1, 1)),
            ("'2026-01-01'", '2026-01-01'),
            ('5', 5),
            ]
    elif type_ in {'datetime', 'timestamp'}:
        return [
            ('datetime(1900, 1, 1)', dt.datetime(1900, 1, 1)),
            ('datetime(9999, 1, 1)', dt.datetime(9999, 1, 1)),
            ("'2026-01-01 00:00:00'", '2026-01-01 00:00:00'),
            ('5', 5),
            ('date(2026, 1, 1)', dt.date(2026, 1, 1)),
            ]
    elif type_ == 'time':
        return [
            ("'x'", 'x'),
            ('5', 5),
            ("'08:00'", '08:00'),
            ('datetime(2026, 1, 1, 8)', dt.datetime(2026, 1, 1, 8)),
            ]
    elif type_ == 'many2one':
        values = [
            ('-1', -1),
            ('2**40', 2 ** 40),
            ("'x'", 'x'),
            ('[1]', [1]),
            ]
        if foreign is not None:
            values.append((f'{foreign} (another company)', foreign))
        return values
    elif type_ == 'selection':
        return [("'nope'", 'nope'), ('5', 5)]
    elif type_ == 'multiselection':
        return [
            ("['nope']", ['nope']), ("'x'", 'x'), ('[5]', [5]), ('5', 5)]
    elif type_ == 'boolean':
        return [("'yes'", 'yes'), ('2', 2)]
    elif type_ in X2MANY:
        return [("'x'", 'x'), ("[['bogus']]", [['bogus']]), ('[1]', [1])]
    elif type_ == 'reference':
        target = reference_model(Model, field)
        values = [
            ("'x'", 'x'),
            ('5', 5),
            ("'hall.nope,1'", 'hall.nope,1'),
            (f"'{target},-1'", f'{target},-1'),
            (f"'{target},{2 ** 40}'", f'{target},{2 ** 40}'),
            ]
        if foreign is not None:
            values.append((
                    f"'{foreign}' (another company)", foreign))
        return values
    elif type_ == 'binary':
        return [('5', 5), ("'x'", 'x'), ('[1]', [1])]
    return None


def is_bad(Model, name, field, sent, value, foreign):
    "Tell whether the value read back is a bad one"
    type_ = field._type
    if value is None:
        return False
    if type_ in {'numeric', 'float', 'integer', 'biginteger'}:
        if isinstance(value, bool) or not isinstance(
                value, (int, float, Decimal)):
            return True
        if isinstance(value, Decimal) and not value.is_finite():
            return True
        if isinstance(value, float) and not math.isfinite(value):
            return True
        minimum, maximum = numeric_bounds(Model, name, field)
        if not (minimum <= value <= maximum):
            return True
        if type_ in {'integer', 'biginteger'} and value != int(value):
            return True
        return isinstance(sent, bool) and value == sent
    elif type_ in {'char', 'text'}:
        if not isinstance(value, str):
            return True
        if type_ == 'char':
            control, size = CHAR_CONTROL, field.size or CHAR_SIZE
        else:
            control, size = CONTROL, field.size or TEXT_SIZE
        return bool(control.search(value)) or len(value) > size
    elif type_ in {'date', 'datetime', 'timestamp'}:
        if type_ == 'date':
            valid = (isinstance(value, dt.date)
                and not isinstance(value, dt.datetime))
        else:
            valid = isinstance(value, dt.datetime)
        return not valid or not (MIN_YEAR <= value.year <= MAX_YEAR)
    elif type_ == 'time':
        return not isinstance(value, dt.time)
    elif type_ == 'boolean':
        return not isinstance(value, bool)
    elif type_ == 'selection':
        keys = selection_keys(Model, field)
        if not isinstance(value, str) or value == sent:
            return True
        return keys is not None and value not in keys
    elif type_ == 'multiselection':
        keys = selection_keys(Model, field)
        if not isinstance(value, (list, tuple)) or not all(
                isinstance(v, str) for v in value):
            return True
        return keys is not None and not set(value) <= set(keys)
    elif type_ == 'many2one':
        return (value == foreign
            or not record_exists(field.model_name, value))
    elif type_ == 'reference':
        if isinstance(value, (list, tuple)):
            value = ','.join(map(str, value))
        if not isinstance(value, str) or ',' not in value:
            return True
        model, id_ = value.split(',', 1)
        try:
            id_ = int(id_)
        except ValueError:
            return True
        return value == foreign or not record_exists(model, id_)
    elif type_ in X2MANY:
        if not isinstance(value, (list, tuple)):
            return True
        return not all(record_exists(field.model_name, i) for i in value)
    elif type_ == 'binary':
        return not isinstance(value, (bytes, bytearray, memoryview))
    return value == sent


def foreign_record(pool, model_name, info, cache={}):
    """The id of a record of the model in the other company, or None; for
    a reference field its 'model,id'"""
    key = (DB_NAME, model_name)
    if key in cache:
        return cache[key]
    result = None
    try:
        Model = pool.get(model_name)
    except KeyError:
        Model = None
    if model_name == 'company.company':
        result = info['other_company']
    elif model_name == 'hall.hall':
        result = info['other_hall']
    elif Model is not None and not is_view(Model):
        domain = None
        if 'company' in Model._fields and getattr(
                Model._fields['company'], 'model_name', None
                ) == 'company.company':
            domain = [('company', '=', info['other_company'])]
        elif 'hall' in Model._fields and getattr(
                Model._fields['hall'], 'model_name', None) == 'hall.hall':
            domain = [('hall', '=', info['other_hall'])]
        if domain:
            try:
                with without_check_access(), \
                        Transaction().set_context(active_test=False):
                    records = Model.search(domain, limit=1)
            except Exception:
                records = []
            if records:
                result = records[0].id
    cache[key] = result
    return result


def read_values(Model, record_id, names):
    "The values of the record as the client reads them"
    with without_check_access():
        row, = Model.read([record_id], names)
    return row


def create_values(Model, row, names):
    "The values of a create from the row read: no x2many, no empty value"
    values = {}
    for name in names:
        if Model._fields[name]._type in X2MANY:
            continue
        if row.get(name) is not None:
            values[name] = row[name]
    return values


def create_variants(Model, values):
    """The values to try for a create copying an existing record: as read,
    then with its texts suffixed and its dates moved (unique keys)"""
    yield 'as read', values
    suffixed = dict(values)
    for name, value in values.items():
        field = Model._fields[name]
        if field._type == 'char' and isinstance(value, str):
            size = field.size or CHAR_SIZE
            suffixed[name] = (value + '-I2')[-size:] if value else 'I2'
    yield 'texts suffixed', suffixed

    def shifted(delta=None, years=0):
        result = dict(suffixed)
        for name, value in suffixed.items():
            type_ = Model._fields[name]._type
            if type_ in {'date', 'datetime'} and isinstance(value, dt.date):
                try:
                    if delta:
                        result[name] = value + delta
                    else:
                        result[name] = value.replace(year=value.year + years)
                except ValueError:
                    pass
        return result
    yield 'a week later', shifted(dt.timedelta(days=7))
    yield 'a week earlier', shifted(dt.timedelta(days=-7))
    yield 'a year later', shifted(years=1)


def candidate_ids(Model, limit=6):
    "Existing records to copy or write, the ones in the first state first"
    with without_check_access(), \
            Transaction().set_context(active_test=False):
        records = Model.search([], order=[('id', 'DESC')], limit=50)
    default_state = None
    if 'state' in Model._fields and hasattr(Model, 'default_state'):
        try:
            default_state = Model.default_state()
        except Exception:
            default_state = None
    if default_state is not None:
        states = {r['id']: r.get('state') for r in read_many(
                    Model, [r.id for r in records], ['state'])}
        records.sort(key=lambda r: states.get(r.id) != default_state)
    return [r.id for r in records[:limit]]


def read_many(Model, ids, names):
    with without_check_access():
        return Model.read(ids, names) if ids else []


def text_of(error):
    return describe(error) if isinstance(error, Exception) else str(error)


def describe(exception):
    message = getattr(exception, 'message', None) or str(exception)
    return printable(f"{type(exception).__name__}: {message}")


def parent_fields(Model, row):
    """The fields of the row pointing to another hall document, which a
    fresh copy of that document may replace"""
    for name, field in Model._fields.items():
        target = getattr(field, 'model_name', None)
        if (field._type == 'many2one' and name in row and row[name]
                and target and target.startswith('hall.')
                and target not in {'hall.hall', Model.__name__}):
            yield name, target


class Recipe:
    """How to make, in an attempt's transaction and through the client
    path, a record the sweep user may create: its values and the parents
    to create first (each a Recipe)"""

    def __init__(self, model_name, label, values, parents=None):
        self.model_name = model_name
        self.label = label
        self.values = values
        self.parents = parents or {}

    def make_values(self):
        values = dict(self.values)
        for name, parent in self.parents.items():
            values[name] = parent.make()
        return values

    def make(self):
        Model = Pool().get(self.model_name)
        return Model.create([self.make_values()])[0].id

    def __str__(self):
        text = f"copy of a demo record ({self.label})"
        if self.parents:
            text += ' in new ' + ', '.join(
                f"{name} ({parent.model_name})"
                for name, parent in sorted(self.parents.items()))
        return text


class Baselines:
    """For each model, a create the sweep user may make (a Recipe) and the
    record to write: a demo record that accepts a write of its own values,
    else a record created in the attempt's transaction"""

    def __init__(self, info):
        self.info = info
        self.create = {}
        # model name: ('existing', id) or ('fresh', Recipe)
        self.write = {}
        self.notes = {}
        self.access = {}

    def can(self, model_name, mode):
        key = (model_name, mode)
        if key not in self.access:
            self.access[key] = can(
                self.info['sweep_user'], self.info['sweep_context'],
                model_name, mode)
        return self.access[key]

    def _try(self, func):
        return client_call(
            self.info['sweep_user'], self.info['sweep_context'],
            functools.partial(_try, func))

    def find(self, model_name):
        if model_name in self.create:
            return
        with timed(f"  baselines: {model_name} (with its parents)"):
            self._find(model_name)

    def _find(self, model_name):
        self.create[model_name] = None
        self.write[model_name] = None
        notes = self.notes.setdefault(model_name, [])
        pool = Pool(DB_NAME)
        Model = pool.get(model_name)
        names = input_fields(Model)

        def read_candidates():
            Model = Pool().get(model_name)
            ids = candidate_ids(Model)
            rows = {r['id']: r for r in read_many(Model, ids, names)}
            result = []
            for id_ in ids:
                parents = {}
                for name, target in parent_fields(Model, rows[id_]):
                    Parent = Pool().get(target)
                    parents[name] = (target, read_values(
                            Parent, rows[id_][name], input_fields(Parent)))
                result.append((id_, rows[id_], parents))
            return result
        candidates = root_call(read_candidates)
        if not candidates:
            notes.append("no record in the demo data")

        create_error = None
        if not self.can(model_name, 'create'):
            create_error = "no create access"
        else:
            recipe, create_error = self._find_create(
                model_name, Model, names, candidates)
            self.create[model_name] = recipe
        if self.create[model_name]:
            notes.append(f"create: {self.create[model_name]}")
        elif candidates or create_error:
            notes.append(
                f"create: none accepted ({text_of(create_error)})")

        write_error = None
        if not self.can(model_name, 'write'):
            write_error = "no write access"
        else:
            self._find_write(model_name, Model, names, candidates, notes)
        if not self.write[model_name] and write_error:
            notes.append(f"write: none ({text_of(write_error)})")

    def _find_write(self, model_name, Model, names, candidates, notes):
        error = "no record in the demo data"
        for record_id, row, _ in candidates[:3]:
            target = ('existing', record_id)
            error = self._try(functools.partial(
                    _write_own, model_name, target, names))
            if error is None:
                self.write[model_name] = target
                notes.append(f"write: demo record {record_id}")
                return
        first_error = error
        # A record made in the attempt: a new one, or a line of a new
        # parent
        targets = []
        if self.create[model_name]:
            targets.append(('fresh', self.create[model_name]))
        for _, row, _ in candidates[:1]:
            for name, parent_model in parent_fields(Model, row):
                self.find(parent_model)
                if self.create.get(parent_model):
                    targets.append((
                            'child', self.create[parent_model], name,
                            model_name))
        for target in targets:
            error = self._try(functools.partial(
                    _write_own, model_name, target, names))
            if error is None:
                self.write[model_name] = target
                made = ("a new record" if target[0] == 'fresh'
                    else f"a line of a new {target[2]}")
                notes.append(
                    f"write: {made}, made in each attempt (no demo "
                    f"record accepts a write: {text_of(first_error)})")
                return
        if candidates:
            # Still sent, to a demo record: what reaches the checks
            self.write[model_name] = ('existing', candidates[0][0])
            notes.append(
                f"write: demo record {candidates[0][0]}, which refuses "
                f"any write ({text_of(first_error)}; {text_of(error)})")

    def _find_create(self, model_name, Model, names, candidates):
        error = None
        tries = 0
        for record_id, row, _ in candidates:
            for label, values in create_variants(
                    Model, create_values(Model, row, names)):
                if tries >= 12:
                    break
                tries += 1
                recipe = Recipe(model_name, label, values)
                error = self._try(recipe.make)
                if error is None:
                    return recipe, None
                if not may_vary(error):
                    # Other texts and dates do not help
                    break
        if not candidates:
            return None, error
        record_id, row, parents = candidates[0]
        values = create_values(Model, row, names)

        # Another demo record as its parent (one in another state), the
        # dates it shares with it made its own
        tries = 0
        for name, (target, _) in parents.items():
            Parent = Pool(DB_NAME).get(target)
            dates = [
                n for n, v in values.items()
                if isinstance(v, dt.date) and n in Parent._fields
                and Parent._fields[n]._type == Model._fields[n]._type]

            def other_parents():
                with without_check_access():
                    others = Pool().get(target).search(
                        [('id', '!=', row[name])],
                        order=[('id', 'DESC')], limit=8)
                return read_many(
                    Pool().get(target), [p.id for p in others], dates)
            for parent_row in root_call(other_parents):
                if tries >= 8:
                    break
                tries += 1
                recipe = Recipe(
                    model_name, f"another {name}", dict(
                        values, **{name: parent_row['id']},
                        **{n: parent_row[n] for n in dates
                            if parent_row[n] is not None}))
                error2 = self._try(recipe.make)
                if error2 is None:
                    return recipe, None
                error = error2

        # New parents: copies of the record's own, their dates moved as
        # the record's, or made as their model is made
        creatable = {}
        for name, (target, prow) in parents.items():
            self.find(target)
            if self.create.get(target):
                creatable[name] = (target, prow)
        if not creatable:
            return None, error
        variants = dict(create_variants(Model, values))
        for label, values in variants.items():
            new = {}
            for name, (target, prow) in creatable.items():
                Parent = Pool(DB_NAME).get(target)
                new[name] = Recipe(target, label, dict(create_variants(
                            Parent, create_values(
                                Parent, prow, input_fields(Parent))))[label])
            recipe = Recipe(model_name, label, values, new)
            if self._try(recipe.make) is None:
                return recipe, None
        for label, values in variants.items():
            new = {name: self.create[target]
                for name, (target, _) in creatable.items()}
            recipe = Recipe(model_name, label, values, new)
            error2 = self._try(recipe.make)
            if error2 is None:
                return recipe, None
            error = error2
        return None, error


def may_vary(exception):
    """Tell whether a create refused so may be accepted with other texts or
    dates (a unique key, a date rule), not a missing or forbidden value"""
    from trytond.model.exceptions import (
        RequiredValidationError, ValidationError)
    return (isinstance(exception, ValidationError)
        and not isinstance(exception, RequiredValidationError))


def _try(func, transaction):
    "The exception func raises, or None"
    try:
        func()
    except TransactionError:
        raise
    except Exception as exception:
        return exception


def write_record(target):
    """The id of the record to write: a demo record, or one made in the
    transaction (a new record, or the first line of a new parent)"""
    kind = target[0]
    if kind == 'existing':
        return target[1]
    elif kind == 'fresh':
        return target[1].make()
    _, parent, name, model_name = target
    parent_id = parent.make()
    Model = Pool().get(model_name)
    with without_check_access():
        lines = Model.search(
            [(name, '=', parent_id)], order=[('id', 'ASC')], limit=1)
    if not lines:
        raise LookupError(f"the new {name} has no {model_name}")
    return lines[0].id


def _write_own(model_name, target, names):
    "Write its own values on the record to write"
    Model = Pool().get(model_name)
    record_id = write_record(target)
    names = [n for n in names if Model._fields[n]._type not in X2MANY]
    values = read_values(Model, record_id, names)
    values.pop('id', None)
    Model.write(Model.browse([record_id]), values)


def can(user, context, model_name, mode):
    "Tell whether the user's groups give the mode on the model"
    def check(transaction):
        ModelAccess = Pool().get('ir.model.access')
        return ModelAccess.check(model_name, mode, raise_exception=False)
    return client_call(user, context, check)


# ---------------------------------------------------------------------------
# 0. The models are found

def test_hall_modules_found():
    "The modules folder holds the hall modules, in dependency order"
    assert {'hall_duties', 'hall_cash'} <= set(HALL_MODULES)
    assert HALL_MODULES.index('hall_duties') < HALL_MODULES.index(
        'hall_cash')


def test_bad_value_detected():
    "The stored-value check tells the bad values from the sane ones"
    numeric = fields.Numeric("Amount")
    char = fields.Char("Name")
    date = fields.Date("Date")

    class Model:
        _value_bounds = {}
    for sent in [Decimal('NaN'), 1e20, Decimal('99999999999999999999.99')]:
        assert is_bad(Model, 'amount', numeric, sent, Decimal(sent), None)
    assert not is_bad(Model, 'amount', numeric, 'abc', Decimal('12.5'), None)
    assert is_bad(Model, 'name', char, 'a\x07', 'a\x07', None)
    assert is_bad(Model, 'name', char, 'x', 'x' * 501, None)
    assert not is_bad(Model, 'name', char, 123, '123', None)
    assert is_bad(Model, 'date', date, None, dt.date(1900, 1, 1), None)
    assert not is_bad(Model, 'date', date, '2026-01-01',
        dt.date(2026, 1, 1), None)


def test_fields_classified():
    "The workflow, naming-rule and input fields are told apart"
    class Model:
        __name__ = 'hall.test'
        _fields = {
            'id': fields.Integer("ID", readonly=True),
            'state': fields.Selection([('draft', "Draft")], "State"),
            'number': fields.Char("Number", readonly=True),
            'done_by': fields.Many2One('res.user', "Done by", readonly=True),
            'late_at': fields.Function(
                fields.DateTime("Late at"), 'get_late_at'),
            'note': fields.Char("Note"),
            'total': fields.Function(
                fields.Numeric("Total"), 'get_total', setter='set_total'),
            }
    assert sorted(field_names_checked_by_name(Model)) == [
        'done_by', 'number', 'state']
    assert workflow_fields(Model) == ['done_by', 'number']
    assert input_fields(Model) == ['note', 'state', 'total']


# ---------------------------------------------------------------------------
# 1. Workflow fields

@needs_postgresql
def test_workflow_field_names(hall_db):
    """Every state, number, who and when of a hall model is declared
    readonly=True; every hall model checks its values"""
    from trytond.modules.hall_duties.common import HallModelMixin

    def check():
        pool = Pool()
        problems, seen = [], set()
        for model_name in hall_models(pool):
            Model = pool.get(model_name)
            for name in field_names_checked_by_name(Model):
                seen.add((model_name, name))
                if ((model_name, name) not in USER_ENTERED
                        and Model._fields[name].readonly is not True):
                    problems.append(
                        f"{model_name}.{name} is not declared readonly=True "
                        f"(set it by a button, or add it to USER_ENTERED)")
            if not is_view(Model) and not issubclass(Model, HallModelMixin):
                problems.append(
                    f"{model_name} does not mix in HallModelMixin")
        for model_name, name in sorted(USER_ENTERED - seen):
            problems.append(
                f"USER_ENTERED lists {model_name}.{name}, which is no "
                f"longer a stored field: remove it")
        return problems, len(seen)
    problems, checked = root_call(check)
    log(f"\nnaming rule: {checked} fields named state, number, *_by, *_at")
    assert checked, "no field checked: the walk is broken"
    assert not problems, '\n'.join(problems)


def sample_value(pool, Model, name, current):
    """A plausible value for the field, other than the current one: the
    client's attempt to set a workflow field"""
    field = Model._fields[name]
    type_ = field._type
    if type_ == 'selection':
        keys = [k for k in (selection_keys(Model, field) or []) if k]
        others = [k for k in keys if k != current]
        return others[0] if others else current or 'x'
    elif type_ in {'char', 'text'}:
        return 'X-1'
    elif type_ in {'numeric', 'float'}:
        return Decimal('1.00')
    elif type_ in {'integer', 'biginteger'}:
        return 1
    elif type_ == 'boolean':
        return not current
    elif type_ == 'date':
        return dt.date.today()
    elif type_ in {'datetime', 'timestamp'}:
        return dt.datetime.now().replace(microsecond=0)
    elif type_ == 'time':
        return dt.time(9, 0)
    elif type_ == 'many2one':
        Target = pool.get(field.model_name)
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            targets = Target.search([], limit=2, order=[('id', 'ASC')])
        ids = [t.id for t in targets if t.id != current]
        return ids[0] if ids else current
    elif type_ in X2MANY:
        return []
    elif type_ == 'reference':
        if current:
            return current
        hall, = pool.get('hall.hall').search([], limit=1)
        return f'hall.hall,{hall.id}'
    elif type_ == 'binary':
        return b'x'
    return current


def _setup_attempt(mode, recipe, target):
    """Make, in the attempt's transaction, the values of the create or the
    record of the write: (values, record id)"""
    if mode == 'create':
        return (recipe.make_values() if recipe else {}), None
    return {}, write_record(target)


def _workflow_attempt(model_name, mode, recipe, target, name, value,
        transaction):
    "The outcome of a client's create or write of a workflow field"
    from trytond.i18n import gettext
    Model = Pool().get(model_name)
    try:
        values, record_id = _setup_attempt(mode, recipe, target)
    except TransactionError:
        raise
    except Exception as exception:
        return 'setup', describe(exception)
    values[name] = value
    try:
        if mode == 'create':
            Model.create([values])
        else:
            Model.write(Model.browse([record_id]), values)
    except TransactionError:
        raise
    except AccessError as exception:
        expected = gettext(
            'hall_duties.msg_workflow_field', **Model.__names__(name))
        if exception.message == expected:
            return 'refused', 'workflow field'
        return 'refused', 'other access error: ' + describe(exception)
    except Exception as exception:
        return 'not refused', describe(exception)
    return 'not refused', 'accepted'


@pytest.fixture(scope='module')
def baselines(hall_db):
    "The creates and writes the sweeps start from, found once"
    return Baselines(hall_db)


@needs_postgresql
def test_workflow_fields_refused(hall_db, baselines):
    """A client's create or write of a workflow field of any hall model is
    refused with an AccessError"""
    info = hall_db
    user, context = info['sweep_user'], info['sweep_context']
    started = time.monotonic()
    offenders, reasons, untested = [], Counter(), []
    fields_checked = 0
    model_names = root_call(lambda: hall_models(Pool()))
    for model_name in model_names:
        Model = Pool(DB_NAME).get(model_name)
        if is_view(Model):
            continue
        names = workflow_fields(Model)
        if not names:
            continue
        with timed("baselines"):
            baselines.find(model_name)
        recipe = baselines.create[model_name]
        target = baselines.write[model_name]
        row = {}
        if target and target[0] == 'existing':
            row = root_call(lambda: read_values(
                    Pool().get(model_name), target[1], names))
        for name in names:
            fields_checked += 1
            value = root_call(lambda: sample_value(
                    Pool(), Pool().get(model_name), name, row.get(name)))
            modes = ['create']
            if target:
                modes.append('write')
            else:
                untested.append(f"{model_name}.{name}: write (no record)")
            for mode in modes:
                with timed("workflow sweep: attempts"):
                    outcome, reason = client_call(
                        user, context, functools.partial(
                            _workflow_attempt, model_name, mode, recipe,
                            target, name, value))
                reasons[(mode, reason.split(':')[0])] += 1
                if outcome == 'setup':
                    untested.append(
                        f"{model_name}.{name}: {mode} (making the record "
                        f"failed: {reason})")
                elif reason.startswith('other access error'):
                    untested.append(
                        f"{model_name}.{name}: {mode} refused before the "
                        f"workflow field check ({reason})")
                elif outcome != 'refused':
                    offenders.append(
                        f"{model_name}.{name} {mode} "
                        f"{printable(repr(value), 60)}: {reason}")
    log(f"\nworkflow fields: {fields_checked} fields of "
        f"{len(model_names)} models in {time.monotonic() - started:.1f} s")
    for (mode, reason), count in sorted(reasons.items()):
        log(f"  {mode:6} {reason}: {count}")
    for line in untested:
        log(f"  not tried: {line}")
    print_times()
    assert fields_checked, "no workflow field found: the walk is broken"
    assert reasons[('write', 'workflow field')], (
        "no write reached the workflow field check: the walk is broken")
    assert not offenders, (
        f"{len(offenders)} workflow field creates or writes not refused "
        "with an AccessError:\n" + '\n'.join(offenders))


# ---------------------------------------------------------------------------
# 2. Bad input

OUTCOMES = ['clean', 'raw', 'stored', 'partial', 'accepted',
    'changed-then-refused', 'setup']
SHORT = {'changed-then-refused': 'ch+ref'}


def _bad_attempt(model_name, mode, recipe, target, name, sent, foreign,
        transaction):
    """Send the bad value and return (outcome, detail): the outcome of the
    exception, or of the value read back"""
    Model = Pool().get(model_name)
    field = Model._fields[name]
    try:
        values, record_id = _setup_attempt(mode, recipe, target)
    except TransactionError:
        raise
    except Exception as exception:
        return 'setup', describe(exception)
    if mode == 'create':
        values[name] = sent
    else:
        values = {name: sent}
    before = checksums([Model._table])
    try:
        if mode == 'create':
            record_id = Model.create([values])[0].id
        else:
            Model.write(Model.browse([record_id]), values)
    except TransactionError:
        raise
    except Exception as exception:
        kind = 'clean' if isinstance(exception, CLEAN) else 'raw'
        detail = describe(exception)
        if kind == 'clean':
            try:
                changed = checksums([Model._table]) != before
            except Exception:
                changed = False
            if changed:
                return 'changed-then-refused', detail
        return kind, detail
    try:
        values = stored_values(Model, name, record_id)
    except Exception as exception:
        return 'stored', 'reading it back fails: ' + describe(exception)
    shown = ', '.join(
        f"{how} {printable(repr(v), 80)}" for how, v in values.items())
    if any(is_bad(Model, name, field, sent, v, foreign)
            for v in values.values()):
        return 'stored', shown
    return 'accepted', shown


def stored_values(Model, name, record_id):
    """The value of the field as read by the client and, for a column, as
    stored in the table (a read may hide what the column holds)"""
    field = Model._fields[name]
    with without_check_access():
        result = {'read back': Model.read([record_id], [name])[0][name]}
    if (not isinstance(field, fields.Function)
            and field._type not in X2MANY | {'binary'}):
        table = Model.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                Column(table, name), where=table.id == record_id))
        row = cursor.fetchone()
        if row and row[0] != result['read back']:
            result['stored'] = row[0]
    return result


@needs_postgresql
def test_bad_input_refused(hall_db, baselines):
    """Bad values sent by a client to any writable field of any hall model
    are refused cleanly and never stored"""
    info = hall_db
    user, context = info['sweep_user'], info['sweep_context']
    counts = defaultdict(Counter)
    offenders = defaultdict(list)
    notes = []
    untyped = set()
    started = time.monotonic()

    pool = Pool(DB_NAME)
    model_names = root_call(lambda: hall_models(Pool()))
    tables = root_call(lambda: sql_tables(Pool()))
    for model_name in model_names:
        Model = pool.get(model_name)
        if is_view(Model):
            continue
        modes = [m for m in ['create', 'write']
            if baselines.can(model_name, m)]
        if not modes:
            notes.append(f"{model_name}: no create or write access")
            continue
        model_started = time.monotonic()
        with timed("baselines"):
            baselines.find(model_name)
        recipe = baselines.create[model_name]
        target = baselines.write[model_name]
        if 'write' in modes and not target:
            modes.remove('write')

        attempts = []
        for name in input_fields(Model):
            field = Model._fields[name]
            target_model = getattr(field, 'model_name', None)
            if field._type == 'reference':
                target_model = reference_model(Model, field)
            foreign = None
            if target_model:
                foreign = root_call(lambda: foreign_record(
                        Pool(), target_model, info))
                if foreign is not None and field._type == 'reference':
                    foreign = f'{target_model},{foreign}'
            values = bad_values(Model, name, field, foreign)
            if values is None:
                untyped.add(f"{model_name}.{name} ({field._type})")
                continue
            for label, sent in values:
                for mode in modes:
                    attempts.append((mode, name, label, sent, foreign))

        def run(attempt):
            mode, name, label, sent, foreign = attempt
            return client_call(user, context, functools.partial(
                    _bad_attempt, model_name, mode, recipe, target, name,
                    sent, foreign))

        before = root_call(lambda: checksums(tables))
        results = []
        with timed("bad input: attempts"):
            for attempt in attempts:
                results.append(run(attempt))
        after = root_call(lambda: checksums(tables))
        if after != before:
            # Something was committed on the side: find the attempts
            with timed("bad input: finding the partial writes"):
                results = []
                for attempt in attempts:
                    before = root_call(lambda: checksums(tables))
                    outcome, detail = run(attempt)
                    after = root_call(lambda: checksums(tables))
                    if after != before:
                        changed = sorted(
                            t for t in tables if before[t] != after[t])
                        detail += f" (left changed: {', '.join(changed)})"
                        if outcome not in {'accepted', 'stored'}:
                            outcome = 'partial'
                    results.append((outcome, detail))

        for attempt, (outcome, detail) in zip(attempts, results):
            mode, name, label, sent, foreign = attempt
            counts[model_name][outcome] += 1
            if outcome in {'raw', 'stored', 'partial', 'accepted', 'setup'}:
                offenders[outcome].append(
                    f"{model_name}.{name} = {label} ({mode}): {detail}")
        TIMES[f"  bad input: {model_name}"] = (
            time.monotonic() - model_started)
        for note in baselines.notes.get(model_name, []):
            notes.append(f"{model_name}: {note}")

    report = format_report(counts, offenders, notes, untyped,
        time.monotonic() - started)
    log(report)
    if output := os.environ.get('HALL_TEST_OUTPUT'):
        path = pathlib.Path(output) / f'integrity-{BACKEND}.txt'
        path.write_text(report, encoding='utf-8')
        log(f"(report written to {path})")
    print_times(details=True)

    total = sum(counts.values(), Counter())
    assert sum(total.values()), "no attempt made: the walk is broken"
    assert total['clean'], "nothing refused: the walk is broken"
    failures = {k: offenders[k] for k in ['raw', 'stored', 'partial']
        if offenders[k]}
    assert not failures, (
        ', '.join(f"{len(v)} {k}" for k, v in failures.items())
        + " (the list is printed above):\n" + '\n'.join(
            f"[{kind}] {line}" for kind, lines in failures.items()
            for line in lines))


def format_report(counts, offenders, notes, untyped, seconds):
    lines = ["", "-- bad input sweep --"]
    header = f"{'model':42}" + ''.join(
        f"{SHORT.get(o, o):>9}" for o in OUTCOMES)
    lines.append(header)
    total = Counter()
    for model_name in sorted(counts):
        row = counts[model_name]
        total.update(row)
        lines.append(f"{model_name:42}" + ''.join(
                f"{row[o]:9}" for o in OUTCOMES))
    lines.append(f"{'TOTAL (' + str(sum(total.values())) + ' attempts)':42}"
        + ''.join(f"{total[o]:9}" for o in OUTCOMES))
    lines.append(f"in {seconds:.1f} s; ch+ref = changed-then-refused "
        "(rows changed inside the refused call, undone by its rollback); "
        "setup = the record to write could not be made")
    titles = {
        'raw': "RAW (failing)",
        'stored': "STORED (failing)",
        'partial': "PARTIAL (failing)",
        'accepted': "accepted, sane value read back (not failing)",
        'setup': "not tried: making the record failed (not failing)",
        }
    for kind, title in titles.items():
        if offenders[kind]:
            lines.append(f"\n{title}: {len(offenders[kind])}")
            lines.extend(f"  {line}" for line in offenders[kind])
    if notes:
        lines.append("\nnotes:")
        lines.extend(f"  {note}" for note in notes)
    if untyped:
        lines.append("\nfields of a type without bad values (not swept):")
        lines.extend(f"  {name}" for name in sorted(untyped))
    return '\n'.join(lines)


# ---------------------------------------------------------------------------
# 3. Impersonation

def rule_models(pool):
    "The hall models whose record rules use the employees or halls"
    Rule = pool.get('ir.rule')
    models = set()
    with without_check_access():
        for rule in Rule.search([('rule_group.model', 'like', 'hall.%')]):
            if re.search(r'\b(employees|halls)\b', rule.domain or ''):
                models.add(rule.rule_group.model)
    return sorted(models)


def _visible(model_names, transaction):
    """The ids of each model the client finds, the employees the request
    acts as and the acting employee"""
    from trytond.modules.hall_duties.common import acting_employee
    pool = Pool()
    User = pool.get('res.user')
    # A fresh server process: nothing the previous calls left in the caches
    User._get_employees_cache.clear()
    User._get_companies_cache.clear()
    pool.get('ir.rule')._domain_get_cache.clear()
    result = {}
    for model_name in model_names:
        Model = pool.get(model_name)
        try:
            result[model_name] = {r.id for r in Model.search([])}
        except AccessError:
            result[model_name] = None
    return result, set(User.get_employees()), acting_employee()


def _set_employee(employee, transaction):
    User = Pool().get('res.user')
    try:
        User.set_preferences({'employee': employee})
    except AccessError:
        return 'refused'
    except Exception as exception:
        return describe(exception)
    return 'accepted'


@needs_postgresql
def test_impersonation(hall_db):
    """A front desk clerk sending another employee or hall in her context,
    or setting another employee in her preferences, sees only what she sees
    as herself"""
    info = hall_db
    clerk, context = info['clerk'], info['clerk_context']
    own = set(info['clerk_employees'])
    others = {
        OTHER_CLERK: info['other_clerk_employees'][0],
        'the other company': info['other_employee'],
        }
    started = time.monotonic()
    model_names = root_call(lambda: rule_models(Pool()))
    assert model_names, "no hall record rule uses employees or halls"

    base, base_employees, base_acting = client_call(
        clerk, context, functools.partial(_visible, model_names))
    everything = root_call(lambda: {
            m: len(Pool().get(m).search([])) for m in model_names})
    log(f"\nimpersonation: {len(model_names)} models with rules on the "
        f"employees or halls; {FRONT_DESK} as herself sees:")
    for model_name in model_names:
        seen = base[model_name]
        log(f"  {model_name:40} "
            + (f"{len(seen):4} of {everything[model_name]:4}"
                if seen is not None else "no read access"))
    assert base_employees <= own and base_acting in own
    assert any(
        seen is not None and len(seen) < everything[m]
        for m, seen in base.items()), (
        "the clerk sees every record of every model: nothing to hide, "
        "the check is vacuous")

    # (label, context change, whether she must see exactly what she sees
    # as herself); a forged company is Tryton's own: only no leak
    variants = []
    for label, employee in others.items():
        variants += [
            (f"employee={label}", {'employee': employee}, True),
            (f"employees=[{label}]", {'employees': [employee]}, True),
            (f"employees=[own, {label}]",
                {'employees': sorted(own) + [employee]}, True),
            ]
    variants += [
        ("halls=[the other company's]",
            {'halls': [info['other_hall']]}, True),
        ("company=the other company", {
                'company': info['other_company'],
                'companies': [info['other_company']]}, False),
        ]
    problems = []

    def compare(label, visible, employees, acting, strict=True):
        """Report what the variant shows that she does not see as herself
        and, if strict, what it hides of what she sees"""
        leaks, lost = [], []
        for model_name in model_names:
            seen, now = base[model_name], visible[model_name]
            if seen is None or now is None:
                if seen != now:
                    problems.append(
                        f"{label}: the read access to {model_name} changes")
                continue
            if now - seen:
                leaks.append(
                    f"{model_name} {sorted(now - seen)[:10]}")
            if seen - now:
                lost.append(f"{model_name} ({len(seen - now)})")
        if leaks:
            problems.append(
                f"{label}: LEAK, records she does not see as herself: "
                + ', '.join(leaks))
        if strict and lost:
            problems.append(
                f"{label}: her own records are hidden: " + ', '.join(lost))
        if not employees <= own:
            problems.append(
                f"{label}: LEAK, get_employees() returns "
                f"{sorted(employees)}, not only her own {sorted(own)}")
        elif strict and employees != base_employees:
            problems.append(
                f"{label}: get_employees() returns {sorted(employees)} "
                f"instead of her own {sorted(base_employees)}")
        if acting is not None and acting not in own:
            problems.append(
                f"{label}: LEAK, acts as employee {acting}, not her own")
        elif strict and acting is None:
            problems.append(f"{label}: acts as no employee")

    for label, change, strict in variants:
        visible, employees, acting = client_call(
            clerk, dict(context, **change),
            functools.partial(_visible, model_names))
        compare(label, visible, employees, acting, strict=strict)

    for label, employee in others.items():
        outcome = client_call(
            clerk, context, functools.partial(_set_employee, employee))
        if outcome != 'refused':
            problems.append(
                f"set_preferences(employee={label}): {outcome}, "
                "not an AccessError")
        # The client then sends the context of its preferences
        after = preferences(clerk)
        if after.get('employee') not in own:
            problems.append(
                f"after set_preferences(employee={label}) her preferences "
                f"give employee {after.get('employee')}")
        visible, employees, acting = client_call(
            clerk, after, functools.partial(_visible, model_names))
        compare(f"after set_preferences(employee={label})",
            visible, employees, acting)
    TIMES["impersonation"] = time.monotonic() - started
    log(f"  {len(variants) + 2 * len(others)} variants in "
        f"{time.monotonic() - started:.1f} s")
    print_times()
    assert not problems, '\n'.join(problems)
