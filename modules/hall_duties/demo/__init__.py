# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The demo data set of the hall modules: a few realistic days of a hall.

Each hall module with demo data has a ``demo`` package like this one whose
``STEPS`` lists its set-up functions in the order they are loaded, each one
called with the proteus configuration and skipping what is already there.
``load(config, modules)`` runs the steps of the modules named, in the order
given (each after the modules it depends on): ``scripts/demo_data.py``
calls it; ``setup_full_demo(config)`` loads the demo of every activated
hall module, the set-up function of the tests that use the whole demo.  The
builders the steps use, shared with the scenarios, are in each module's
``tests/tools.py``.
"""
import importlib

from proteus import Model

from ..tests.tools import setup_demo
from .checklist import setup_demo_checklist
from .deadline import setup_demo_deadline
from .handover import setup_demo_handover
from .training import setup_demo_training

__all__ = ['STEPS', 'load', 'setup_full_demo']

STEPS = [
    setup_demo,
    setup_demo_checklist,
    setup_demo_deadline,
    setup_demo_handover,
    setup_demo_training,
    ]


def steps(modules):
    "The set-up functions of the demo of the modules, in order"
    for module in modules:
        try:
            demo = importlib.import_module(f'trytond.modules.{module}.demo')
        except ModuleNotFoundError as exception:
            if exception.name != f'trytond.modules.{module}.demo':
                raise
            continue
        yield from demo.STEPS


def load(config, modules):
    "Load the demo data of the modules, in the order given"
    for step in steps(modules):
        step(config=config)


def activated_hall_modules(config=None):
    """The activated hall modules, each after those it depends on,
    optionally too (``extras_depend``: the card sales of hall_cash come from
    hall_stock's counter sales)"""
    from trytond.modules import get_module_info
    Module = Model.get('ir.module', config=config)
    depends = {
        m.name: {d.name for d in m.dependencies} | set(
            get_module_info(m.name).get('extras_depend', []))
        for m in Module.find([('state', '=', 'activated')])
        if m.name.startswith('hall_')}
    ordered = []
    while len(ordered) < len(depends):
        ordered.extend(sorted(
                n for n in depends if n not in ordered
                and depends[n] & set(depends) <= set(ordered)))
    return ordered


def setup_full_demo(config=None):
    "Load the demo data of every activated hall module"
    load(config, activated_hall_modules(config=config))
