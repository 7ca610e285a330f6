# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.pool import Pool

from . import (
    attendance, complaint, duties, inspection, ir, period, rating, score)

__all__ = ['register']


def register():
    Pool.register(
        score.Category,
        score.CategoryPost,
        score.Entry,
        score.EntryReverseStart,
        period.Task,
        period.Period,
        period.PeriodLine,
        period.Reopening,
        period.ReopenStart,
        attendance.Attendance,
        attendance.AttendanceLine,
        duties.Deadline,
        duties.Checklist,
        ir.Cron,
        inspection.Inspection,
        inspection.InspectionLine,
        rating.Configuration,
        rating.Result,
        rating.Voter,
        rating.Ballot,
        rating.EnterStart,
        rating.CastStart,
        module='hall_scoring', type_='model')
    Pool.register(
        score.EntryReverse,
        period.Reopen,
        rating.Enter,
        rating.Cast,
        module='hall_scoring', type_='wizard')
    Pool.register(
        period.PeriodReport,
        period.PayrollSpreadsheet,
        module='hall_scoring', type_='report')
    Pool.register(
        complaint.Complaint,
        module='hall_scoring', type_='model', depends=['hall_complaints'])
