# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HallScoringTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hall Scoring module"
    module = 'hall_scoring'
    extras = ['hall_complaints']


del ModuleTestCase
