# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class ComplaintValidationError(ValidationError):
    pass


class ComplaintError(UserError):
    pass


class ComplaintStateError(AccessError):
    pass
