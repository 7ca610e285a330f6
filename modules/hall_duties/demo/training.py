# This file is part of the hall_duties module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Demo training plan and repair tickets of the demo hall.

``setup_demo_training(config)`` adds, on top of ``setup_demo``, the current
month's training plan of 第一营业厅 with its sessions, topics and the
attendance of the past sessions, and two repair tickets.  Each step is done
by the demo user of the post, and skipped when its records exist.
"""
import datetime as dt
from contextlib import contextmanager

from proteus import Model
from proteus.config import get_config

from trytond.modules.hall_duties.tests.tools import HALL_CODE, setup_demo

__all__ = ['setup_demo_training']

PRE_SHIFT_TOPICS = [
    '昨日疑难问题解答',
    '新资费套餐介绍',
    '服务规范用语与礼仪',
    '新文件传达学习',
    '投诉处理技巧',
    ]
STUDY_TOPICS = [
    ('新资费套餐介绍', '市场部新资费文件；新旧套餐对比表。'),
    ('投诉处理技巧', '上周投诉热点汇总；24小时答复的要求。'),
    ('典型案例分析', '小组长收集的本周典型案例。'),
    ('业务知识测验', '本月新业务与疑难问题汇总本。'),
    ('服务明星经验分享', '上月考核优秀员工的服务经验。'),
    ]
# badge number: absence reason, for the absences of the past sessions
ABSENCES = {
    '1002': '病假',
    '1006': '公司盘点',
    '1007': '事假',
    }


@contextmanager
def acting_as(login, config):
    "Run the block as the demo user of the login"
    User = Model.get('res.user', config=config)
    user, = User.find([('login', '=', login)])
    previous, context = config.user, config._context
    config.user = user.id
    config._context = User.get_preferences(True, {})
    try:
        yield
    finally:
        config.user, config._context = previous, context


def setup_training(hall, config):
    "The current month's plan, filled and given topics by the director"
    Training = Model.get('hall.training', config=config)
    today = dt.date.today()
    month = today.replace(day=1)
    if Training.find([('hall', '=', hall.id), ('month', '=', month)]):
        return
    with acting_as('director', config):
        Training = Model.get('hall.training', config=config)
        Session = Model.get('hall.training.session', config=config)
        plan = Training(month=month)
        plan.save()
        plan.click('fill_sessions')
        sessions = Session.find([('plan', '=', plan.id)])
        pre_shift = [s for s in sessions if s.kind == 'pre_shift']
        study = [s for s in sessions if s.kind == 'study']
        for i, session in enumerate(pre_shift):
            session.topic = PRE_SHIFT_TOPICS[i % len(PRE_SHIFT_TOPICS)]
        for session, (topic, material) in zip(study, STUDY_TOPICS):
            session.topic = topic
            session.material = material
        Session.save(sessions)
        past = [s for s in sessions if s.date < today]
        for i, session in enumerate(past):
            for line in session.attendances:
                reason = ABSENCES.get(line.employee.badge)
                # Each absentee misses one session in five
                if reason and (i + int(line.employee.badge)) % 5 == 0:
                    line.absence_reason = reason
                else:
                    line.present = True
        Session.save(past)
        if today.day >= 3:
            plan.click('submit')


def setup_repairs(hall, config):
    "A printer ticket requested and a display screen ticket repaired"
    Repair = Model.get('hall.repair', config=config)
    if Repair.find([('hall', '=', hall.id)]):
        return
    today = dt.date.today()
    with acting_as('frontdesk2', config):
        Repair = Model.get('hall.repair', config=config)
        display = Repair(
            equipment='显示屏',
            fault='大厅电子显示屏右半部分不亮，资费信息显示不全。',
            date=today - dt.timedelta(days=3))
        display.save()
        printer = Repair(
            equipment='打印机',
            fault='3号受理台发票打印机频繁卡纸，打印字迹模糊。',
            date=today - dt.timedelta(days=1))
        printer.save()
    with acting_as('leader', config):
        Repair = Model.get('hall.repair', config=config)
        display, printer = Repair.find(
            [('id', 'in', [display.id, printer.id])],
            order=[('id', 'ASC')])
        display.notes = '已填写请示报告卡，报设备维护部门。'
        printer.notes = '已登记后台维修记录本并填写请示报告卡。'
        Repair.save([display, printer])
        Repair.click([display, printer], 'request')
    with acting_as('director', config):
        Repair = Model.get('hall.repair', config=config)
        display = Repair(display.id)
        display.notes += '\n维修人员更换显示屏电源模块，已恢复正常。'
        display.save()
        display.click('repair')


def setup_demo_training(config=None):
    "Add the training plan and the repair tickets of the demo hall"
    Hall = Model.get('hall.hall', config=config)
    if config is None:
        config = get_config()
    setup_demo(config=config)
    hall, = Hall.find([('code', '=', HALL_CODE)])
    setup_training(hall, config)
    setup_repairs(hall, config)
