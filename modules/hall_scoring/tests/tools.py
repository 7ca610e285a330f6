# This file is part of the hall_scoring module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"The builders of the scoring's scenarios and demo"
from proteus import Model
from proteus.config import get_config

from trytond.modules.hall_duties.tests.tools import demo_password, setup_demo

__all__ = ['MARKETING', 'setup_demo_scoring']

# login, name, group of the marketing department
MARKETING = [
    ('marketing', '营销部业务主管', "Marketing Business Supervisor"),
    ('marketing_head', '营销部主任', "Marketing Department Head"),
    ]


def setup_demo_scoring(config=None):
    """The demo hall and the users of the marketing department who receive
    and approve the monthly summaries"""
    if config is None:
        config = get_config()
    setup_demo(config=config)
    # After the demo, whose users' preferences are the configuration's
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    Company = Model.get('company.company', config=config)
    Lang = Model.get('ir.lang', config=config)
    if User.find([('login', '=', MARKETING[0][0])]):
        return
    company, = Company.find([], limit=1)
    language, = Lang.find([('code', '=', 'zh_CN')])
    for login, name, group_name in MARKETING:
        with config.set_context(language='en'):
            group, = Group.find([('name', '=', group_name)])
        user = User(name=name, login=login, language=language,
            password=demo_password(login))
        user.companies.append(Company(company.id))
        user.company = Company(company.id)
        user.groups.append(Group(group.id))
        user.save()
