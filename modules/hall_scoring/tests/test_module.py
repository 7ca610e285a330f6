# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt

from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.modules.hall_scoring.exceptions import ScoreValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class HallScoringTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hall Scoring module"
    module = 'hall_scoring'
    extras = ['hall_complaints']

    @with_transaction()
    def test_nobody_rates_herself(self):
        "A vote of the rated employee for herself is refused"
        pool = Pool()
        Hall = pool.get('hall.hall')
        Period = pool.get('hall.score.period')
        Result = pool.get('hall.score.rating.result')
        Voter = pool.get('hall.score.rating.voter')
        company = create_company()
        with set_company(company):
            hall = Hall(name="Hall", code='H1')
            hall.save()
            employee = create_employee(company, name="Keeper")
            employee.hall = hall
            employee.save()
            other = create_employee(company, name="Clerk")
            other.hall = hall
            other.save()
            month = dt.date(2025, 3, 1)
            period, = Period.create([{'hall': hall.id, 'month': month}])
            result, = Result.create([{
                        'period': period.id, 'hall': hall.id,
                        'month': month, 'employee': employee.id,
                        }])
            Voter.create([{
                        'result': result.id, 'hall': hall.id,
                        'rater': other.id,
                        }])
            with self.assertRaises(ScoreValidationError):
                Voter.create([{
                            'result': result.id, 'hall': hall.id,
                            'rater': employee.id,
                            }])


del ModuleTestCase
