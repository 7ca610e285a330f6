# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The scenarios (``scenario_*.rst``) for Tryton's own test runner:
``python -m unittest trytond.modules.hall_scoring.tests.test_scenario``
(pytest collects them itself, see the repository's conftest.py)."""
from trytond.tests.test_tryton import load_doc_tests


def load_tests(*args, **kwargs):
    return load_doc_tests(__name__, __file__, *args, **kwargs)
