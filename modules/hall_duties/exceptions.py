# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class HallValidationError(ValidationError):
    pass


class RosterValidationError(ValidationError):
    pass


class RosterPublishError(UserError):
    pass


class TrainingValidationError(ValidationError):
    pass


class TrainingSubmitError(UserError):
    pass


class DeadlineValidationError(ValidationError):
    pass


class DeadlineDoneError(UserError):
    pass


class ChecklistTickError(UserError):
    pass


class HandoverError(UserError):
    pass


class NoticeReadError(UserError):
    pass


class ValueValidationError(ValidationError):
    pass
