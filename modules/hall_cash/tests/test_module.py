# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HallCashTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hall Cash module"
    module = 'hall_cash'


del ModuleTestCase
