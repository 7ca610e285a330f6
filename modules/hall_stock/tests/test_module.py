# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HallStockTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hall Stock module"
    module = 'hall_stock'


del ModuleTestCase
