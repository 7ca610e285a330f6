# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Log into the web client with Chromium and open the halls list.

The demo database of the run is served by the ``hall_server`` fixture of
``tests/conftest.py``; ``tests/browser/login.mjs`` drives Chromium through
playwright-core as a front desk clerk.  The screenshot is kept in
``HALL_TEST_OUTPUT`` as ``browser-frontdesk-<backend>.png``.
"""
import json
import os
import shutil
import subprocess

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))
SCRIPT = os.path.join(ROOT, 'tests', 'browser', 'login.mjs')
PLAYWRIGHT = os.path.join(ROOT, 'web', 'node_modules', 'playwright-core')

LOGIN = 'frontdesk1'
# The menu path to the halls list and what the list must show, in Chinese
MENU = ['营业厅', '营业厅']
HEADERS = {'代码', '名称'}
HALL_NAME = '第一营业厅'

BROWSER_TIMEOUT = 30  # each wait of the browser script, in seconds


def missing_tools():
    missing = [name for name in ['chromium', 'node'] if not shutil.which(name)]
    if not os.path.isdir(PLAYWRIGHT):
        missing.append('web/node_modules/playwright-core')
    return missing


pytestmark = pytest.mark.skipif(
    bool(missing_tools()),
    reason=f'browser test needs {", ".join(missing_tools())} '
    '(installed by ./hall test)')


def tail(text, lines=30):
    return '\n'.join((text or '').splitlines()[-lines:])


@pytest.fixture
def run_browser(hall_server, hall_output, browser_env):
    "A function that logs into sao, opens a menu entry and returns the result"
    def run(login, menu, name, tab=None, calendar=False):
        return _run_browser(
            hall_server, hall_output, browser_env, login, menu, name, tab,
            calendar)
    return run


def _run_browser(
        hall_server, output, browser_env, login, menu, name, tab, calendar):
    from trytond.modules.hall_duties.tests.tools import (
        DEMO_STAFF, demo_password)
    assert login in [staff[0] for staff in DEMO_STAFF]
    base_url, database, backend = hall_server

    screenshot = os.path.join(output, f'browser-{name}-{backend}.png')
    if os.path.exists(screenshot):
        os.remove(screenshot)

    env = dict(browser_env)
    env['HALL_BROWSER_TIMEOUT'] = str(BROWSER_TIMEOUT * 1000)
    if tab:
        env['HALL_BROWSER_TAB'] = tab
    if calendar:
        env['HALL_BROWSER_CALENDAR'] = '1'
    run = subprocess.run(
        ['node', SCRIPT, base_url, database, login, demo_password(login),
            screenshot, *menu],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True,
        timeout=4 * BROWSER_TIMEOUT + 60)
    lines = run.stdout.strip().splitlines()
    assert lines, (
        f'no output from login.mjs ({run.returncode}):\n{tail(run.stderr)}')
    result = json.loads(lines[-1])

    assert result['ok'], (
        f"browser: {result.get('error')}\nvisible: {result.get('texts')}\n"
        f"screenshot: {screenshot}\n{tail(run.stderr)}")
    assert run.returncode == 0
    assert os.path.isfile(screenshot) and os.path.getsize(screenshot) > 0
    return result


def test_frontdesk_opens_halls_list(run_browser):
    result = run_browser(LOGIN, MENU, 'frontdesk')
    texts = result['texts']
    assert MENU[0] in texts, texts
    assert MENU[-1] in result['tabs'], result['tabs']
    assert HEADERS & set(result['headers']), result['headers']
    assert any(HALL_NAME in row for row in result['rows']), result['rows']


def test_director_opens_overdue_checklists(run_browser):
    "The director sees the hall's checklists with lines left overdue"
    result = run_browser(
        'director', ['营业厅', '工作清单'], 'director-overdue',
        tab='逾期')
    assert result['activeDomain'].startswith('逾期'), result['domainTabs']
    assert any(tab.endswith('工作清单') for tab in result['tabs']), (
        result['tabs'])
    headers = result['headers']
    assert {'员工', '日期'} <= set(headers), headers
    assert result['rows'], result['rows']
    # Every row listed under the tab has at least one overdue line; a row
    # sao has not drawn yet (a long list is drawn in parts) has no cells
    # but its selection box and is not counted
    overdue = headers.index('逾期')
    drawn = [row for row in result['rows'] if len(row) > overdue]
    assert drawn, result['rows']
    assert all(int(row[overdue]) > 0 for row in drawn), (
        headers, result['rows'])


def test_quality_opens_cash_in_safe(run_browser):
    "The quality manager sees the cash received and not yet deposited"
    result = run_browser(
        'quality', ['营业厅', '结帐', '现金交接'],
        'quality-in-safe', tab='在保险柜')
    assert result['activeDomain'].startswith('在保险柜'), (
        result['domainTabs'])
    headers = result['headers']
    assert {'营业员', '交接日期', '交接现金', '状态'} <= set(headers), headers
    # Yesterday afternoon's cash, packed in today's deposit not yet sent
    rows = result['rows']
    assert len(rows) == 1, rows
    assert '已接收' in rows[0], rows
    # 李娜 handed it to the quality manager
    assert {'李娜 (1002)', '吴芳 (1008)'} == {
        cell for cell in rows[0] if cell.endswith(')')}, rows


def test_finance_opens_deposits(run_browser):
    "Finance sees the deposits the bank statement confirmed or not yet"
    result = run_browser(
        'finance', ['营业厅', '结帐', '现金送款单'],
        'finance-deposits', tab='全部')
    headers = result['headers']
    assert {'送款单号', '开户银行', '金额', '状态'} <= set(headers), headers
    # Today's packed, yesterday's at the bank, the day before's confirmed
    rows = result['rows']
    states = ['草稿', '已送出', '已确认']
    assert [r for row in rows for r in row if r in states] == states, rows
    assert '在途 1' in result['domainTabs'], result['domainTabs']


def test_director_opens_rota_calendar(run_browser):
    "The rota calendar opens on today's shifts, not on midnight"
    result = run_browser(
        'director', ['营业厅', '排班表', '排班日历'], 'director-rota',
        calendar=True)
    calendar = result['calendar']
    assert calendar, result['texts']
    # Scrolled to the start of the day (06:00 is 265 px down the grid)
    assert calendar['scrollTop'] > 200, calendar
    # Each shift with its times, its name and its post in Chinese
    assert any(
        '8:00 - 18:30' in event and '全天班' in event
        for event in calendar['events']), calendar['events']


WALK = os.path.join(ROOT, 'tests', 'browser', 'clerk_walk.mjs')
# The most actions a balanced settlement may take from an empty form
WALK_ACTIONS = 12


def test_clerk_settles_balanced_day(hall_server, hall_output, browser_env):
    """李娜, on today's rota and without a settlement yet, settles a
    balanced day from an empty form in few actions"""
    from trytond.modules.hall_duties.tests.tools import demo_password
    base_url, database, backend = hall_server
    prefix = os.path.join(hall_output, f'browser-walk-frontdesk2-{backend}')
    env = dict(browser_env)
    env['HALL_BROWSER_TIMEOUT'] = str(BROWSER_TIMEOUT * 1000)
    run = subprocess.run(
        ['node', WALK, base_url, database, 'frontdesk2',
            demo_password('frontdesk2'), prefix],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=8 * BROWSER_TIMEOUT + 60)
    lines = run.stdout.strip().splitlines()
    assert lines, (
        f'no output from clerk_walk.mjs ({run.returncode}):\n'
        f'{tail(run.stderr)}')
    result = json.loads(lines[-1])
    print(f"clerk walk: {result.get('actions')} actions: "
        + '; '.join(result.get('steps', [])))
    assert result['ok'], (
        f"browser: {result.get('error')}\nsteps: {result.get('steps')}\n"
        f"screenshots: {result.get('screenshots')}\n{tail(run.stderr)}")
    # It adds up before any save: payable 500.00, counted 500.00
    assert result['live']['difference'] in {'0.00', '¥0.00'}, result['live']
    assert result['state'] == '已结帐', result
    assert result['actions'] <= WALK_ACTIONS, result['steps']


def test_leader_inspects_on_a_phone(hall_server, hall_output, browser_env):
    """The group leader's open inspection, on a phone-sized screen: one
    column, every employee on duty listed, nothing wider than the screen"""
    from trytond.modules.hall_duties.tests.tools import demo_password
    base_url, database, backend = hall_server
    screenshot = os.path.join(
        hall_output, f'browser-phone-inspection-{backend}.png')
    env = dict(browser_env)
    env['HALL_BROWSER_TIMEOUT'] = str(BROWSER_TIMEOUT * 1000)
    run = subprocess.run(
        ['node', os.path.join(ROOT, 'tests', 'browser', 'phone.mjs'),
            base_url, database, 'leader', demo_password('leader'),
            screenshot, 'hall.score.inspection',
            json.dumps([['state', '=', 'draft']])],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True,
        timeout=4 * BROWSER_TIMEOUT + 60)
    lines = run.stdout.strip().splitlines()
    assert lines, (
        f'no output from phone.mjs ({run.returncode}):\n{tail(run.stderr)}')
    result = json.loads(lines[-1])
    assert result['ok'], (
        f"browser: {result.get('error')}\nscreenshot: {screenshot}\n"
        f"{tail(run.stderr)}")
    assert not result.get('page_errors'), result['page_errors']
    width = result['viewport']['width']
    assert result['scrollWidth'] <= width, result
    assert result['formWidth'] <= width, result
    labels = {l.rstrip(':：') for l in result['labels']}
    assert {'营业厅', '检查人', '状态'} <= labels, result
    assert result['rows'] >= 3, result
    assert {'载入当班人员', '完成'} <= set(result['buttons']), result
