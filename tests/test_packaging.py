# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Each module's package says what its tryton.cfg says.

tryton.cfg is the source of a module's version and of the modules it
depends on; pyproject.toml repeats them for pip.  Core builds the package
metadata from tryton.cfg with hatch-tryton, but hatchling refuses the
editable install of a module whose folder is mapped to
``trytond/modules/<name>`` (the install ``./hall`` makes, so that the tests
and the demo run the checkout's sources): here the two files are kept
equal by this test instead."""
import configparser
import re
import tomllib

import pytest
from repository import ROOT, hall_modules

# The core modules of trytond itself, without a package of their own
BASE = {'ir', 'res'}


def series_range(name, version):
    major, minor = map(int, version.split('.')[:2])
    return f'{name}>={major}.{minor},<{major}.{minor + 1}'


def normalize(requirement):
    "A requirement without spaces, its name as pip compares names"
    requirement = requirement.replace(' ', '')
    name, rest = re.match(r'([A-Za-z0-9._-]+)(.*)', requirement).groups()
    return re.sub(r'[-_.]+', '-', name).lower() + rest


@pytest.mark.parametrize('module', hall_modules())
def test_package_follows_tryton_cfg(module):
    "pyproject.toml has the version and dependencies of tryton.cfg"
    folder = ROOT / 'modules' / module
    cfg = configparser.ConfigParser(strict=False, interpolation=None)
    cfg.read(folder / 'tryton.cfg')
    version = cfg.get('tryton', 'version')
    depends = set(cfg.get('tryton', 'depends', fallback='').split())
    with open(folder / 'pyproject.toml', 'rb') as file:
        project = tomllib.load(file)['project']

    assert project['version'] == version
    expected = {normalize(series_range('trytond', version))} | {
        normalize(series_range(f'trytond_{name}', version))
        for name in depends - BASE}
    assert set(map(normalize, project['dependencies'])) == expected
    assert project['requires-python'] == '>=3.10'
    assert project['entry-points']['trytond.modules'] == {
        module: f'trytond.modules.{module}'}


def test_normalize():
    "Requirements differing in spelling only compare equal"
    assert normalize('trytond_hall_duties >= 8.0, < 8.1') == normalize(
        'trytond-hall-duties>=8.0,<8.1')
    assert normalize('trytond-stock>=8.0,<8.1') != normalize(
        'trytond-stock>=8.0,<8.2')
