# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Log into the web client with Chromium and open the halls list.

A demo database is created on the backend of the run (``HALL_TEST_BACKEND``,
``sqlite`` or ``postgresql``) and served by trytond on a free port; then
``tests/browser/login.mjs`` drives Chromium through playwright-core as a
front desk clerk.  The screenshot is kept in ``HALL_TEST_OUTPUT`` as
``browser-frontdesk-<backend>.png``.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))
BIN = os.path.dirname(sys.executable)
SCRIPT = os.path.join(ROOT, 'tests', 'browser', 'login.mjs')
PLAYWRIGHT = os.path.join(ROOT, 'web', 'node_modules', 'playwright-core')

LOGIN = 'frontdesk1'
# The menu path to the halls list and what the list must show, in Chinese
MENU = ['营业厅', '营业厅']
HEADERS = {'代码', '名称'}
HALL_NAME = '第一营业厅'

DEMO_TIMEOUT = 1200
SERVER_TIMEOUT = 30
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


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def clean_env():
    "The environment without the settings of Tryton's test framework"
    env = dict(os.environ)
    for name in list(env):
        if name in {'DB_NAME', 'DB_CACHE'} or name.startswith(
                'TRYTOND_DATABASE__'):
            del env[name]
    return env


def tail(text, lines=30):
    return '\n'.join((text or '').splitlines()[-lines:])


def drop_database(uri, name):
    import psycopg
    with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_http(url, process, log_path, timeout=SERVER_TIMEOUT):
    end = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            with open(log_path) as fp:
                pytest.fail(f'trytond stopped ({process.returncode}):\n'
                    + tail(fp.read()))
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > end:
            with open(log_path) as fp:
                pytest.fail(f'{url} did not answer in {timeout} s:\n'
                    + tail(fp.read()))
        time.sleep(0.5)


@pytest.fixture(scope='module')
def hall_server(tmp_path_factory):
    "A demo database served by trytond: (base url, database, backend)"
    backend = os.environ.get('HALL_TEST_BACKEND', 'sqlite')
    if backend == 'postgresql':
        uri = os.environ.get('TRYTOND_DATABASE__URI', '')
        assert uri.startswith('postgresql'), (
            'TRYTOND_DATABASE__URI must give the PostgreSQL server')
        if not uri.endswith('/'):
            uri += '/'
    else:
        assert backend == 'sqlite', f'unknown backend {backend}'
        uri = 'sqlite://'
    tmp_path = tmp_path_factory.mktemp('hall-browser')
    database = f'hall_browser_{os.getpid()}'
    port = free_port()
    env = clean_env()
    server = None
    try:
        demo = subprocess.run([
                sys.executable, os.path.join(ROOT, 'scripts', 'demo.py'),
                '--no-serve', '--backend', backend, '--uri', uri,
                '--database', database, '--var', str(tmp_path / 'var'),
                '--port', str(port)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=DEMO_TIMEOUT)
        assert demo.returncode == 0, (
            f'demo.py failed ({demo.returncode}):\n{tail(demo.stderr)}')
        conf = demo.stdout.strip().splitlines()[-1]
        assert os.path.isfile(conf), f'no configuration file {conf!r}'

        log_path = tmp_path / 'trytond.log'
        with open(log_path, 'w') as log:
            server = subprocess.Popen(
                [os.path.join(BIN, 'trytond'), '-c', conf, '-d', database],
                cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT)
        base_url = f'http://127.0.0.1:{port}/'
        wait_http(base_url, server, log_path)
        yield base_url, database, backend
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if backend == 'postgresql':
            drop_database(uri, database)


def run_browser(hall_server, login, menu, name, tab=None):
    "Log into sao as login, open the menu entry and return the result"
    from trytond.modules.hall_duties.tests.tools import (
        DEMO_STAFF, demo_password)
    assert login in [staff[0] for staff in DEMO_STAFF]
    base_url, database, backend = hall_server

    output = os.path.join(
        ROOT, os.environ.get('HALL_TEST_OUTPUT', 'var/test-output'))
    os.makedirs(output, exist_ok=True)
    screenshot = os.path.join(output, f'browser-{name}-{backend}.png')
    if os.path.exists(screenshot):
        os.remove(screenshot)

    env = clean_env()
    env['CHROMIUM'] = shutil.which('chromium')
    env['HALL_BROWSER_TIMEOUT'] = str(BROWSER_TIMEOUT * 1000)
    if tab:
        env['HALL_BROWSER_TAB'] = tab
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


def test_frontdesk_opens_halls_list(hall_server):
    result = run_browser(hall_server, LOGIN, MENU, 'frontdesk')
    texts = result['texts']
    assert MENU[0] in texts, texts
    assert MENU[-1] in result['tabs'], result['tabs']
    assert HEADERS & set(result['headers']), result['headers']
    assert any(HALL_NAME in row for row in result['rows']), result['rows']


def test_director_opens_overdue_checklists(hall_server):
    "The director sees the hall's checklists with lines left overdue"
    result = run_browser(
        hall_server, 'director', ['营业厅', '工作清单'], 'director-overdue',
        tab='逾期')
    assert result['activeDomain'].startswith('逾期'), result['domainTabs']
    assert any(tab.endswith('工作清单') for tab in result['tabs']), (
        result['tabs'])
    headers = result['headers']
    assert {'员工', '日期'} <= set(headers), headers
    assert result['rows'], result['rows']
    # Every row listed under the tab has at least one overdue line
    overdue = headers.index('逾期')
    assert all(int(row[overdue]) > 0 for row in result['rows']), (
        headers, result['rows'])


def test_quality_opens_cash_in_safe(hall_server):
    "The quality manager sees the cash received and not yet deposited"
    result = run_browser(
        hall_server, 'quality', ['营业厅', '结帐', '现金交接'],
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


def test_finance_opens_deposits(hall_server):
    "Finance sees the deposits the bank statement confirmed or not yet"
    result = run_browser(
        hall_server, 'finance', ['营业厅', '结帐', '现金送款单'],
        'finance-deposits', tab='全部')
    headers = result['headers']
    assert {'送款单号', '开户银行', '金额', '状态'} <= set(headers), headers
    # Today's packed, yesterday's at the bank, the day before's confirmed
    rows = result['rows']
    assert [r for row in rows for r in row
        if r in {'草稿', '已送出', '已确认'}] == ['草稿', '已送出', '已确认'], (
        rows)
    assert '在途 1' in result['domainTabs'], result['domainTabs']
