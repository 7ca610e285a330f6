# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Every list of the hall modules can be drawn by the sao web client.

sao 8.0 has no list column for ``DateTime`` and ``Timestamp`` fields: a list
with one, or a form embedding such a list, hangs on "processing" with
``TypeError: ColumnFactory is not a constructor``.  Such a column must name
the ``date`` or ``time`` widget.

All the hall modules (the ``modules/hall_*`` folders) are activated
together; the views checked are those of the ``hall.*`` models, of the
models that the hall modules register views or window actions for, and
every list and form a checked form embeds for its One2Many and Many2Many
fields, as the client would open them.
"""
import pathlib

import pytest
from lxml import etree
from repository import leaf_modules

from trytond.model import ModelView
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

ROOT = pathlib.Path(__file__).resolve().parent.parent
HALL_MODULES = sorted(
    path.name for path in (ROOT / 'modules').glob('hall_*')
    if (path / 'tryton.cfg').is_file())

DATETIME_TYPES = {'datetime', 'timestamp'}
LIST_WIDGETS = {'date', 'time'}
X2MANY_WIDGETS = {'one2many', 'many2many'}


def untyped_datetime_columns(arch, fields):
    "The names of the date-time columns of the tree arch without a widget"
    tree = etree.fromstring(arch)
    for element in tree.iter('field'):
        name = element.get('name')
        definition = fields.get(name, {})
        if (definition.get('type') in DATETIME_TYPES
                and element.get('widget') not in LIST_WIDGETS):
            yield name


def embedded_views(arch, fields):
    """The (model, view id, view type) the client may open for the lists
    embedded in the form arch"""
    form = etree.fromstring(arch)
    for element in form.iter('field'):
        definition = fields.get(element.get('name'), {})
        if definition.get('type') not in X2MANY_WIDGETS:
            continue
        if element.get('widget', definition['type']) not in X2MANY_WIDGETS:
            continue
        modes = (element.get('mode') or 'tree,form').split(',')
        view_ids = [
            int(i) for i in (element.get('view_ids') or '').split(',') if i]
        for index, view_type in enumerate(modes):
            view_id = view_ids[index] if index < len(view_ids) else None
            yield definition['relation'], view_id, view_type


def checked_models(pool):
    "The models whose views the hall modules show"
    View = pool.get('ir.ui.view')
    ModelData = pool.get('ir.model.data')
    ActWindow = pool.get('ir.action.act_window')
    names = {name for name, _ in pool.iterobject()
        if name.startswith('hall.')}
    names.update(
        v.model for v in View.search([('module', 'in', HALL_MODULES)])
        if v.model)
    actions = ModelData.search([
            ('module', 'in', HALL_MODULES),
            ('model', '=', 'ir.action.act_window'),
            ])
    names.update(
        a.res_model for a in ActWindow.browse([d.db_id for d in actions])
        if a.res_model)
    return sorted(n for n in names if issubclass(pool.get(n), ModelView))


def base_views(pool, model):
    "The views of the model that are not extensions of another of its views"
    View = pool.get('ir.ui.view')
    views = View.search([
            ('model', '=', model),
            ('type', 'in', ['tree', 'form']),
            ])
    return [v for v in views if not v.inherit or v.inherit.model != model]


def check_views():
    """Walk the views and return the offending columns as (view, field)
    and the number of date-time columns seen"""
    pool = Pool()
    View = pool.get('ir.ui.view')
    todo = []
    for model in checked_models(pool):
        todo.extend((model, v.id, v.type) for v in base_views(pool, model))
        # The view the client builds when the model has none of the type
        todo.extend([(model, None, 'tree'), (model, None, 'form')])
    seen = set()
    problems = set()
    datetime_columns = 0
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        model, view_id, view_type = key
        Model = pool.get(model)
        view = Model.fields_view_get(view_id=view_id, view_type=view_type)
        if view.get('view_id'):
            record = View(view['view_id'])
            label = f"{model} ({record.module} view {record.name})"
        else:
            label = f"{model} (default {view_type} view)"
        if view['type'] == 'tree':
            datetime_columns += sum(
                1 for element in etree.fromstring(view['arch']).iter('field')
                if view['fields'].get(element.get('name'), {}).get('type')
                in DATETIME_TYPES)
            problems.update(
                (label, name) for name in untyped_datetime_columns(
                    view['arch'], view['fields']))
        elif view['type'] == 'form':
            todo.extend(embedded_views(view['arch'], view['fields']))
    return sorted(problems), datetime_columns


@pytest.fixture(scope='module')
def hall_database():
    drop_db()
    # The modules no other depends on activate them all, under the name of
    # the modules' own test cases' cached database
    activate_module(leaf_modules())
    yield
    drop_db()


def test_hall_modules_found():
    "The modules folder holds the hall modules"
    assert {'hall_duties', 'hall_cash'} <= set(HALL_MODULES)


def test_untyped_datetime_column_detected():
    "A date-time column without widget is reported, one with it is not"
    fields = {
        'done_at': {'type': 'datetime'},
        'create_date': {'type': 'timestamp'},
        'date': {'type': 'date'},
        }
    arch = ('<tree><field name="date"/><field name="done_at"/>'
        '<field name="create_date" widget="time"/></tree>')
    assert list(untyped_datetime_columns(arch, fields)) == ['done_at']


def test_embedded_lists_found():
    "The lists of a form's One2Many fields are walked in their modes"
    fields = {
        'lines': {'type': 'one2many', 'relation': 'hall.line'},
        'tags': {'type': 'many2many', 'relation': 'hall.tag'},
        'hall': {'type': 'many2one', 'relation': 'hall.hall'},
        }
    arch = ('<form><field name="hall"/><field name="lines" view_ids="7"/>'
        '<field name="tags" widget="multiselection"/></form>')
    assert list(embedded_views(arch, fields)) == [
        ('hall.line', 7, 'tree'), ('hall.line', None, 'form')]


@with_transaction()
def _check_views():
    return check_views()


def test_list_datetime_columns_name_widget(hall_database):
    "Every date-time list column of the hall screens names a widget"
    problems, datetime_columns = _check_views()
    assert datetime_columns, "no date-time column found: the walk is broken"
    assert not problems, (
        "date-time columns without widget=\"date\" or \"time\" "
        "(sao 8.0 cannot draw them):\n" + '\n'.join(
            f"  {label}: {name}" for label, name in problems))
