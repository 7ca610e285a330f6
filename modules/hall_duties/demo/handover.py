# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Demo data of the handover book and the notice book.

``setup_demo_handover(config)`` adds, on top of ``setup_demo``, a few days
of handovers between the two front desk clerks of 第一营业厅 (acknowledged
ones and one still to acknowledge) and two notices of the director, one of
them must-read and not yet read by everybody.
"""
import datetime as dt

from proteus import Model
from proteus.config import get_config
from trytond.modules.hall_duties.tests.tools import HALL_CODE
from trytond.tests.tools import set_user

__all__ = ['setup_demo_handover']

# days before today, shift, giver, receiver, notes, matters, acknowledged,
# the follow-up of each matter: (state, text) or None
HANDOVERS = [
    (3, 'morning', 'frontdesk1', 'frontdesk2',
        '上午业务量正常,3号台打印机色带已更换。',
        [('用户张先生补卡资料未带齐,约今日下午补交身份证复印件。',
                ('closed', '张先生下午已补交资料,补卡完成。'))],
        True),
    (2, 'morning', 'frontdesk2', 'frontdesk1',
        '上午办理携号转网咨询较多,已登记疑难问题汇总本。',
        [('2号台POS机刷卡不稳定,已报修,等待维修人员上门。',
                ('followed', '已电话催修,维修人员约明日上午到厅。'))],
        True),
    (1, 'morning', 'frontdesk1', 'frontdesk2',
        '上午结帐无误,营业款已交质量管理员。',
        [('李女士投诉宽带装机延误,已记录投诉单,需在24小时内回复。', None)],
        True),
    (0, 'morning', 'frontdesk2', 'frontdesk1',
        '上午有两位用户预约下午办理过户,资料已放前台抽屉。',
        [('过户用户王先生约14:30到厅,需核对原机主身份证原件。', None),
            ('手写发票剩余10张,下午需向仓库领用。', None)],
        False),
    ]

# title, text, target post codes, must read, days from today of start
# and end, logins who confirmed reading
NOTICES = [
    ('关于调整4G套餐资费的通知',
        '自本月起4G套餐资费调整,受理时请按新资费向用户解释,'
        '老用户套餐变更按公司最新文件执行。',
        ['front_desk', 'consultation'], True, -2, None, ['frontdesk1']),
    ('本周四18:00业务学习安排',
        '本周四18:00—19:30在营业厅后台进行业务学习,'
        '内容为携号转网受理流程,请全体人员准时参加。',
        [], False, -1, 3, []),
    ]


def setup_demo_handover(config=None):
    "Add handovers and notices to the demo hall"
    Handover = Model.get('hall.handover', config=config)
    Notice = Model.get('hall.notice', config=config)
    if config is None:
        config = get_config()
    if (Handover.find([('hall.code', '=', HALL_CODE)])
            or Notice.find([('hall.code', '=', HALL_CODE)])):
        return
    Employee = Model.get('company.employee', config=config)
    Hall = Model.get('hall.hall', config=config)
    Post = Model.get('hall.post', config=config)
    User = Model.get('res.user', config=config)

    admin = config.user
    users = {u.login: u for u in User.find([])}
    employees = {u.login: u.employee.id for u in users.values() if u.employee}
    hall, = Hall.find([('code', '=', HALL_CODE)])
    today = dt.date.today()

    def login(name):
        set_user(users[name], config=config)

    login('director')
    notices = []
    for title, text, codes, must_read, start, end, _ in NOTICES:
        notice = Notice(hall=Hall(hall.id), title=title, text=text,
            must_read=must_read)
        notice.posts.extend(Post.find([('code', 'in', codes)]))
        notice.start_date = today + dt.timedelta(days=start)
        if end is not None:
            notice.end_date = today + dt.timedelta(days=end)
        notice.save()
        notices.append(notice)
    Notice.click(notices, 'post')
    for notice, (*_, readers) in zip(notices, NOTICES):
        for name in readers:
            login(name)
            Notice(notice.id).click('confirm_read')

    for (days, shift, giver, receiver, notes, matters,
            acknowledged) in HANDOVERS:
        date = today - dt.timedelta(days=days)
        login(giver)
        handover = Handover(hall=Hall(hall.id), date=date, shift=shift,
            from_employee=Employee(employees[giver]),
            to_employee=Employee(employees[receiver]), notes=notes)
        while handover.notices:
            handover.notices.pop()
        handover.notices.extend(Notice.find([
                    ('id', 'in', [n.id for n in notices]),
                    ('start_date', '<=', date),
                    ]))
        for description, _ in matters:
            handover.matters.new(description=description)
        handover.click('hand')
        if not acknowledged:
            continue
        login(receiver)
        handover = Handover(handover.id)
        handover.click('acknowledge')
        for matter, (_, follow_up) in zip(handover.matters, matters):
            if follow_up:
                state, text = follow_up
                matter.follow_up = text
                matter.save()
                matter.click('follow' if state == 'followed' else 'close')

    set_user(admin, config=config)
