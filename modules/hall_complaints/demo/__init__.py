# This file is part of the hall_complaints module.  The COPYRIGHT file at
# the top level of this repository contains the full copyright notices and
# license terms.
"""The demo data of the complaints: the last three days and this morning
of the consultation post and the front desk.

``setup_demo_complaint_days`` takes, as the users who took them:

- three days ago, a simple billing complaint answered within the hour,
  resolved and closed;
- two days ago, a complex network complaint that waited an hour on the
  customer, was forwarded to the network maintenance centre, answered the
  next morning within its 24 hours, resolved on the centre's reply and
  closed;
- yesterday, a simple complaint about a clerk's manner taken at the
  counter and answered after the hall closed: answered late;
- yesterday, a difficult complaint about a broadband offer, escalated to
  the group leader and forwarded to the marketing department, still
  unanswered and found overdue this morning;
- this morning, a billing complaint just taken.

``setup_demo_question_days`` logs yesterday's inquiries of the front desk
and the consultation post, two of them about the difficult question the
consultation post raised in the book, which the group leader answered this
morning before the pre-shift meeting, and this morning's inquiries with a
hot question still to answer; the director assigned yesterday's collection
at 17:30 and the consultation post gathered the questions at 18:00 and
handed the summary to the group leader on duty.

``setup_demo_training_material`` records the group leader's two typical
cases of yesterday, fills today's pre-shift meeting with the answered
questions, and makes the complaint analysis of the group leader and the
statistics of the quality post for the week of the demo's complaints
(the analysis handed in when that week is over).
"""
import datetime as dt

from proteus import Model
from trytond.tests.tools import set_user

from ..tests.tools import at, take

__all__ = [
    'STEPS', 'setup_demo_complaint_days', 'setup_demo_question_days',
    'setup_demo_training_material']


def _user(login, config=None):
    User = Model.get('res.user', config=config)
    user, = User.find([('login', '=', login)])
    return user


def _moment(days_ago, hour, minute=0):
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, minute))


def setup_demo_complaint_days(config=None):
    "Take and follow the demo's complaints as their users would"
    Complaint = Model.get('hall.complaint', config=config)
    if Complaint.find([]):
        return
    # Run as the administrator, whoever the previous step left
    set_user(_user('admin', config=config), config=config)
    consult = _user('consult', config=config)
    frontdesk = _user('frontdesk1', config=config)
    leader = _user('leader', config=config)
    admin = _user('admin', config=config)

    # Three days ago: a simple one, answered within the hour
    set_user(consult, config=config)
    with at(_moment(3, 10, 20), config=config):
        complaint = take(
            'billing', "客户反映上月话费多扣了20元，要求核实。",
            service_number='13912345678', customer_name="张先生",
            contact='13912345678', config=config)
    complaint.answer = "经核实为增值业务重复扣费，已为客户办理退费，次月返还。"
    complaint.save()
    with at(_moment(3, 11, 5), config=config):
        complaint.click('do_answer')
    complaint.resolution = "退费20元已在计费系统登记。"
    with at(_moment(3, 11, 20), config=config):
        complaint.click('resolve')
        complaint.click('close')

    # Two days ago: a complex one that waited on the customer, forwarded
    with at(_moment(2, 15, 0), config=config):
        complaint = take(
            'network', "客户家中（幸福小区8栋）手机信号差，经常掉话。",
            complexity='complex', channel='phone',
            service_number='13800001234', customer_name="李女士",
            contact='13800001234', config=config)
    complaint.wait_reason = "等待客户提供掉话的时间和地点"
    complaint.save()
    with at(_moment(2, 15, 10), config=config):
        complaint.click('wait')
    with at(_moment(2, 16, 10), config=config):
        complaint.click('resume')
        forward = complaint.forwards.new()
        forward.department = "网络维护中心"
        forward.content = "幸福小区8栋室内信号弱，请安排测试。"
        followup = complaint.followups.new()
        followup.description = "已转网络维护中心，告知客户次日答复。"
        complaint.save()
    complaint.answer = "网络维护中心已安排明日测试，并将调整基站天线。"
    complaint.save()
    with at(_moment(1, 9, 30), config=config):
        complaint.click('do_answer')
        forward, = complaint.forwards
        forward.reply = "已调整天线方向，室内信号恢复正常。"
        forward.reply_date = forward.date + dt.timedelta(days=1)
        forward.save()
    complaint.reload()
    complaint.resolution = "天线调整后客户确认信号正常。"
    with at(_moment(1, 10, 0), config=config):
        complaint.click('resolve')
        complaint.click('close')

    # Yesterday: the clerk's manner, answered after closing time
    set_user(frontdesk, config=config)
    with at(_moment(1, 16, 10), config=config):
        complaint = take(
            'manner', "客户反映办理过户时营业员解释不耐心。",
            customer_name="王先生", contact='13700005678', config=config)
    complaint.answer = "已向客户致歉，并重新解释了过户所需资料。"
    complaint.save()
    with at(_moment(1, 18, 50), config=config):
        complaint.click('do_answer')
    complaint.resolution = "当班小组长已与营业员谈话。"
    complaint.click('resolve')

    # Yesterday: a difficult one, escalated and forwarded, still open
    set_user(consult, config=config)
    with at(_moment(1, 9, 0), config=config):
        complaint = take(
            'product', "客户认为宽带套餐宣传的网速与实际不符，要求退订。",
            complexity='difficult', channel='counter',
            service_number='0571-88886666', customer_name="赵先生",
            contact='13600009999', config=config)
    complaint.judgement = "涉及套餐宣传内容和退订违约金，营业厅无权处理。"
    complaint.save()
    with at(_moment(1, 9, 20), config=config):
        complaint.click('escalate')
    set_user(leader, config=config)
    complaint = Complaint(complaint.id)
    with at(_moment(1, 10, 0), config=config):
        forward = complaint.forwards.new()
        forward.department = "市场部"
        forward.content = "请核实宽带套餐宣传单的网速说明及退订政策。"
        complaint.save()

    # This morning's complaint
    set_user(consult, config=config)
    with at(_moment(0, 9, 10), config=config):
        take('billing', "客户对本月流量包扣费有疑问。",
            service_number='13511112222', customer_name="陈女士",
            contact='13511112222', config=config)

    # The cron of this morning finds yesterday's difficult one overdue
    set_user(admin, config=config)
    Cron = Model.get('ir.cron', config=config)
    cron, = Cron.find([('method', '=', 'hall.complaint|mark_overdue')])
    with at(_moment(0, 9, 15), config=config):
        cron.click('run_once')


# days ago, hour, login, topic, business type, answered, flag
INQUIRIES = [
    (1, 9, 'frontdesk1', "流量包如何叠加使用", "套餐", True, None),
    (1, 10, 'frontdesk2', "国际漫游包能否按天退订", "国际漫游", False,
        'difficult'),
    (1, 11, 'consult', "出国前如何开通国际漫游", "国际漫游", True, None),
    (1, 15, 'consult', "国际漫游按天退订的规定", "国际漫游", False,
        'difficult'),
    (1, 16, 'frontdesk1', "宽带续费优惠", "宽带", True, 'hot'),
    (0, 9, 'frontdesk2', "5G套餐升级后旧合约怎么处理", "套餐", False, 'hot'),
    ]


def setup_demo_question_days(config=None):
    "Log the demo's inquiries and keep the difficult-questions book"
    Inquiry = Model.get('hall.inquiry', config=config)
    Question = Model.get('hall.question', config=config)
    if Inquiry.find([]):
        return
    set_user(_user('admin', config=config), config=config)
    inquiries = []
    for days_ago, hour, login, topic, business, answered, flag in INQUIRIES:
        set_user(_user(login, config=config), config=config)
        with at(_moment(days_ago, hour), config=config):
            inquiry = Inquiry(
                topic=topic, business_type=business, answered=answered,
                flag=flag)
            inquiry.save()
        inquiries.append(inquiry)

    # 17:30: the director assigns the collection of the questions
    Summary = Model.get('hall.question.summary', config=config)
    Employee = Model.get('company.employee', config=config)
    consult_employee, = Employee.find([('badge', '=', '1003')])
    leader_employee, = Employee.find([('badge', '=', '1004')])
    set_user(_user('director', config=config), config=config)
    with at(_moment(1, 17, 30), config=config):
        summary = Summary(collector=consult_employee)
        summary.save()

    set_user(_user('consult', config=config), config=config)
    with at(_moment(1, 17, 50), config=config):
        roaming = Question(
            question="国际漫游包能否按天退订？退订后费用如何计算？",
            kind='difficult')
        roaming.save()
    for inquiry in inquiries[:4]:
        if inquiry.flag == 'difficult':
            inquiry.question = roaming
            inquiry.save()
    # 18:00: the consultation post gathers and hands the summary
    summary = Summary(summary.id)
    with at(_moment(1, 18, 0), config=config):
        summary.click('gather')
    summary.duty_manager = leader_employee
    summary.note = "国际漫游按天退订本周已被问多次，请班前会统一讲解。"
    summary.save()
    with at(_moment(1, 18, 5), config=config):
        summary.click('hand')

    set_user(_user('leader', config=config), config=config)
    roaming = Question(roaming.id)
    roaming.answer = (
        "可以按天退订：当天申请，次日零点生效，已使用天数按日收费。"
        "班前会上向全体营业员讲解。")
    with at(_moment(0, 7, 40), config=config):
        roaming.click('do_answer')

    set_user(_user('frontdesk2', config=config), config=config)
    with at(_moment(0, 9, 5), config=config):
        contract = Question(
            question="5G套餐升级后，原合约的剩余优惠如何处理？", kind='hot')
        contract.save()
    inquiries[-1].question = contract
    inquiries[-1].save()
    # The next module's demo runs as the administrator
    set_user(_user('admin', config=config), config=config)


# days ago, hour, minute, title, what happened, lesson
CASES = [
    (1, 16, 30, "耐心解释国际漫游按天退订",
        "客户出国前来厅询问漫游包退订，营业员先查询客户已订套餐，再逐条说明"
        "退订生效时间和计费方式，客户满意离开。",
        "先查清客户的业务现状再解答，说明生效时间和费用。"),
    (1, 17, 0, "宽带提速投诉的首问负责",
        "客户投诉宽带提速后仍然很慢，受理人当场登记并联系网络维护中心，"
        "次日上午回电告知处理结果。",
        "谁受理谁跟踪，答复前先与相关部门确认结果。"),
    ]


def setup_demo_training_material(config=None):
    """The group leader's two cases of yesterday, today's pre-shift meeting
    filled with the answered questions, the analysis of the demo's week"""
    Case = Model.get('hall.complaint.case', config=config)
    Analysis = Model.get('hall.complaint.analysis', config=config)
    Session = Model.get('hall.training.session', config=config)
    if Case.find([]):
        return
    set_user(_user('leader', config=config), config=config)
    for days_ago, hour, minute, title, description, lesson in CASES:
        with at(_moment(days_ago, hour, minute), config=config):
            Case(title=title, description=description, lesson=lesson).save()

    set_user(_user('director', config=config), config=config)
    today = dt.date.today()
    sessions = Session.find([
            ('date', '=', today),
            ('kind', '=', 'pre_shift'),
            ])
    if sessions:
        Session.click(sessions, 'fill_material')

    # The week of the demo's complaints: handed in when it is over
    start = today - dt.timedelta(days=3)
    week = start - dt.timedelta(days=start.weekday())
    this_week = today - dt.timedelta(days=today.weekday())
    for login, kind in [('leader', 'analysis'), ('quality', 'statistics')]:
        set_user(_user(login, config=config), config=config)
        analysis = Analysis(kind=kind, week=week)
        analysis.findings = (
            "计费类投诉集中在增值业务扣费；一起服务态度投诉超时未答复，"
            "已上报并转市场部。")
        analysis.measures = (
            "班前会讲解增值业务退订流程；复杂投诉受理后当天联系相关部门。")
        analysis.save()
        analysis.click('compute')
        if week < this_week and kind == 'analysis':
            with at(dt.datetime.combine(this_week, dt.time(11, 0)),
                    config=config):
                analysis.click('done')
    set_user(_user('admin', config=config), config=config)


STEPS = [
    setup_demo_complaint_days,
    setup_demo_question_days,
    setup_demo_training_material,
    ]
