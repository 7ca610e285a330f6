# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .common import workflow_fields


class ModelFieldAccess(metaclass=PoolMeta):
    __name__ = 'ir.model.field.access'

    @classmethod
    def check(cls, model_name, fields, mode='read', raise_exception=True):
        """Refuse a client's create or write of the fields a hall model
        declares read-only: its buttons, which run without access checks,
        set them"""
        pool = Pool()
        if (mode == 'write'
                and model_name.startswith('hall.')
                and Transaction().check_access):
            Model = pool.get(model_name)
            names = workflow_fields(Model).intersection(fields)
            if names:
                if not raise_exception:
                    return False
                raise AccessError(gettext(
                        'hall_duties.msg_workflow_field',
                        **Model.__names__(min(names))))
        return super().check(
            model_name, fields, mode=mode, raise_exception=raise_exception)


class EmailTemplate(metaclass=PoolMeta):
    __name__ = 'ir.email.template'

    @classmethod
    def email_models(cls):
        return super().email_models() + ['hall.deadline.recipient']

    @classmethod
    def _get_address(cls, record):
        pool = Pool()
        Recipient = pool.get('hall.deadline.recipient')
        address = super()._get_address(record)
        if isinstance(record, Recipient):
            address = cls._get_address(record.employee or record.user)
        return address

    @classmethod
    def _get_language(cls, record):
        pool = Pool()
        Recipient = pool.get('hall.deadline.recipient')
        language = super()._get_language(record)
        if isinstance(record, Recipient):
            language = cls._get_language(record.employee or record.user)
        return language


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('hall.checklist|generate_checklists',
                    "Generate Hall Checklists"),
                ('hall.deadline|generate', "Generate Deadlines"),
                ])
