# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
"The builders of the complaints' scenarios and demo"
import contextlib
import datetime as dt
from unittest import mock

from proteus import Model
from proteus.config import TrytondConfig, get_config

from trytond.modules.hall_duties.tests.tools import setup_demo
from trytond.tools import timezone as tz

__all__ = ['at', 'setup_demo_complaints', 'take']


def setup_demo_complaints(config=None):
    "The demo hall, its company in the timezone of the halls"
    Company = Model.get('company.company', config=config)
    setup_demo(config=config)
    company, = Company.find([])
    if company.timezone != 'Asia/Shanghai':
        company.timezone = 'Asia/Shanghai'
        company.save()


@contextlib.contextmanager
def at(local, config=None):
    """Run the steps inside as if the server's clock showed the naive
    datetime local of the company's timezone

    Only a server run in the same process can be moved; otherwise the
    steps run now."""
    if config is None:
        config = get_config()
    if not isinstance(config, TrytondConfig):
        yield
        return
    from trytond.modules.hall_complaints import complaint
    from trytond.pool import Pool
    pool = Pool(config.database_name)
    Company = pool.get('company.company')
    Date = pool.get('ir.date')
    from trytond.transaction import Transaction
    with Transaction().start(config.database_name, 0, readonly=True):
        company, = Company.search([], limit=1)
        zone = tz.ZoneInfo(company.timezone or 'UTC')
    utc = local.replace(tzinfo=zone).astimezone(dt.timezone.utc).replace(
        tzinfo=None)
    with mock.patch.object(complaint, 'now', lambda: utc), \
            mock.patch.object(
                Date, 'today',
                classmethod(lambda cls, timezone=None: local.date())):
        yield


def take(category, description, contact='13800138000', complexity='simple',
        channel='counter', service_number=None, customer_name=None,
        config=None):
    "Take a complaint in the hall of the user"
    Category = Model.get('hall.complaint.category', config=config)
    Complaint = Model.get('hall.complaint', config=config)
    complaint = Complaint()
    complaint.category, = Category.find([('code', '=', category)])
    complaint.description = description
    complaint.contact = contact
    complaint.complexity = complexity
    complaint.channel = channel
    complaint.service_number = service_number
    complaint.customer_name = customer_name
    complaint.save()
    return complaint
