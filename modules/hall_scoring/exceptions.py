# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class ScoreValidationError(ValidationError):
    pass


class ScoreError(UserError):
    pass


class ScoreStateError(AccessError):
    pass
