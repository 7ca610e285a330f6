# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class SettlementValidationError(ValidationError):
    pass


class SettlementConfirmedError(AccessError):
    pass


class SettlementStateError(AccessError):
    pass


class WaiverApprovalError(UserError):
    pass


class ShortageError(UserError):
    pass


class OverError(UserError):
    pass


class MakeUpError(UserError):
    pass


class CashConfigurationError(UserError):
    pass


class ImportFeesError(UserError):
    pass


class HandoverError(UserError):
    pass


class RetentionError(UserError):
    pass


class DepositError(UserError):
    pass


class SettlementRotaError(UserError):
    pass


class SettlementRotaWarning(UserWarning):
    pass


class SettlementShortWarning(UserWarning):
    pass
