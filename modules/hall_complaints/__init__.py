# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
from trytond.pool import Pool

from . import complaint, hall, ir, question

__all__ = ['register']


def register():
    Pool.register(
        ir.Cron,
        hall.Hall,
        complaint.Category,
        complaint.Complaint,
        complaint.Pause,
        complaint.FollowUp,
        complaint.Forward,
        question.Question,
        question.Inquiry,
        module='hall_complaints', type_='model')
    Pool.register(
        complaint.ComplaintOverdue,
        module='hall_complaints', type_='report')
