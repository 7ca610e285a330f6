# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HallComplaintsTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hall Complaints module"
    module = 'hall_complaints'


del ModuleTestCase
