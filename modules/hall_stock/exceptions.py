# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class StockValidationError(ValidationError):
    pass


class CounterError(UserError):
    pass


class ShortStockError(UserError):
    pass


class DocumentStateError(AccessError):
    pass


class ReconciliationError(UserError):
    pass
