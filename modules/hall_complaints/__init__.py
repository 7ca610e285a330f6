# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
from trytond.pool import Pool

from . import analysis, complaint, hall, ir, question, training

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
        question.Summary,
        question.Question,
        question.Inquiry,
        question.Case,
        training.TrainingSession,
        training.TrainingSessionQuestion,
        training.TrainingSessionCase,
        analysis.Task,
        analysis.Analysis,
        analysis.AnalysisLine,
        analysis.StatCategory,
        analysis.StatWeek,
        module='hall_complaints', type_='model')
    Pool.register(
        complaint.ComplaintOverdue,
        question.SummaryReport,
        analysis.AnalysisReport,
        analysis.AnalysisSpreadsheet,
        analysis.ComplaintFile,
        module='hall_complaints', type_='report')
