# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import PoolMeta

from .exceptions import ComplaintValidationError


class Hall(metaclass=PoolMeta):
    __name__ = 'hall.hall'

    opening_time = fields.Time(
        "Opening Time", required=True,
        help="When the hall opens to customers on a working day.")
    closing_time = fields.Time(
        "Closing Time", required=True,
        help="When the hall closes: a simple complaint is due by then.")

    @classmethod
    def default_opening_time(cls):
        return dt.time(8, 0)

    @classmethod
    def default_closing_time(cls):
        return dt.time(18, 30)

    @classmethod
    def validate_fields(cls, halls, field_names):
        super().validate_fields(halls, field_names)
        if field_names & {'opening_time', 'closing_time'}:
            for hall in halls:
                if hall.opening_time >= hall.closing_time:
                    raise ComplaintValidationError(gettext(
                            'hall_complaints.msg_hall_hours',
                            hall=hall.rec_name))
