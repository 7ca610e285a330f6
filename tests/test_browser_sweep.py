# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Open every screen of the web client as every demo user.

For each login of the demo's staff (``DEMO_STAFF``; with
``HALL_SWEEP_ADMIN=1`` also ``admin``), ``tests/browser/sweep.mjs`` logs
into sao in headless Chromium, reads the menu entries the user can see from
``ir.ui.menu`` as that user (so that a new module's menus are swept without
being listed here) and opens each one through the menu tree; for each list,
the form of its first row (an empty list is shown through its other domain
tabs first), each page of the form's notebooks and the record's logs; for a
wizard, its first step.  Nothing is saved.  One browser per login, its page
reused, the tabs closed after each entry; ``SWEEP_JOBS`` logins at a time.

The test fails, with the list of all the findings, on:

- page errors, console errors, errors answered by the server (also those
  sao only shows as "#错误" in a cell) and error dialogs;
- a screen that keeps the client busy ("正在处理", or requests running)
  longer than ``BUSY`` seconds, or that does not open;
- a visible text of the Chinese session with Latin letters and no Chinese
  character, unless it is a code, a number, an address or in ``ALLOWED``
  (the cells of Char and Text columns are data and not looked at).

It prints a table per login (``pytest -s``) and writes everything to
``HALL_TEST_OUTPUT/browser-sweep.json``; the landing page of each login is
``browser-home-<login>-<backend>.png`` and the screen of a problem
``browser-sweep-<login>-<backend>-<n>.png``.  It only runs on PostgreSQL:
the SQLite pass stays short.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))
SCRIPT = os.path.join(ROOT, 'tests', 'browser', 'sweep.mjs')
PLAYWRIGHT = os.path.join(ROOT, 'web', 'node_modules', 'playwright-core')

# admin, as scripts/demo.py creates it, sees all the core's technical screens:
# swept only on request (about 160 entries, 12 min on a busy machine)
ADMIN = ('admin', 'admin-demo')
SWEEP_JOBS = 2  # browsers at a time
BROWSER_TIMEOUT = 30  # each wait of the browser, in seconds
BUSY = 20  # how long a screen may keep the client busy, in seconds
LOGIN_TIMEOUT = 1800  # the sweep of one login, in seconds

CJK = re.compile(r'[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff'
    r'\uff00-\uffef]')
LATIN = re.compile(r'[A-Za-z]')
# Texts with Latin letters that are not translations left in English.
# Keep these short: each was reviewed on the screens.
ALLOWED = {
    'Tryton',  # the product's name in the title bar of sao
    'CNY',  # the company's currency code
    # the names of trytond's own user 0 and of its administrator, records
    # of its base data no client may rename, in the logs of the records
    # the scheduler and the demo's setup write
    'Root',
    'Administrator',
    }
ALLOWED_PATTERNS = [re.compile(p) for p in [
        # a code or a number: one word with a digit (badge 1001, hall H01,
        # settlement JZ000065, bank slip ICBC-120101, account 1.1.10, sao's
        # record counter 1@1,000/12k)
        r'[\w./:#@,-]*\d[\w./:#@,-]*',
        # an email address
        r'[\w.+-]+@[\w-]+(\.[\w-]+)+',
        # a web address
        r'https?://\S+',
        ]]


def missing_tools():
    missing = [name for name in ['chromium', 'node'] if not shutil.which(name)]
    if not os.path.isdir(PLAYWRIGHT):
        missing.append('web/node_modules/playwright-core')
    return missing


pytestmark = [
    pytest.mark.skipif(
        os.environ.get('HALL_TEST_BACKEND', 'sqlite') != 'postgresql',
        reason='the sweep runs on PostgreSQL only'),
    pytest.mark.skipif(
        bool(missing_tools()),
        reason=f'browser sweep needs {", ".join(missing_tools())} '
        '(installed by ./hall test)'),
    # With the other tests that start servers, on one worker (tests/
    # test_deployment.py)
    pytest.mark.xdist_group('servers'),
    ]


def tail(text, lines=30):
    return '\n'.join((text or '').splitlines()[-lines:])


def english(text):
    "Whether text is left in English"
    text = text.strip().rstrip(':：').strip()
    if not LATIN.search(text) or CJK.search(text):
        return False
    if text in ALLOWED:
        return False
    return not any(p.fullmatch(text) for p in ALLOWED_PATTERNS)


def logins():
    "The logins to sweep, with their passwords"
    from trytond.modules.hall_duties.tests.tools import (
        DEMO_STAFF, demo_password)
    result = [(login, demo_password(login)) for login, *_ in DEMO_STAFF]
    if os.environ.get('HALL_SWEEP_ADMIN'):
        result.append(ADMIN)
    return result


def sweep_login(hall_server, output, browser_env, login, password):
    "Run sweep.mjs for login and return its result"
    base_url, database, backend = hall_server
    screenshot = os.path.join(output, f'browser-home-{login}-{backend}.png')
    shots = os.path.join(output, f'browser-sweep-{login}-{backend}')
    for name in os.listdir(output):
        if (name == os.path.basename(screenshot)
                or name.startswith(os.path.basename(shots) + '-')):
            os.remove(os.path.join(output, name))
    env = dict(browser_env)
    env['HALL_BROWSER_TIMEOUT'] = str(BROWSER_TIMEOUT * 1000)
    env['HALL_SWEEP_BUSY'] = str(BUSY * 1000)
    env['HALL_SWEEP_SHOTS'] = shots
    process = subprocess.Popen(
        ['node', SCRIPT, base_url, database, login, password, screenshot],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=LOGIN_TIMEOUT)
    except subprocess.TimeoutExpired:
        # The script reports what it swept when it is stopped
        process.send_signal(signal.SIGTERM)
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
    lines = stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        result = {'ok': False, 'error': (
            f'no result from sweep.mjs ({process.returncode}):\n'
            + tail(stderr))}
    result.setdefault('login', login)
    if not os.path.isfile(screenshot):
        result.setdefault('problems', []).append({
                'where': 'home', 'kind': 'screenshot',
                'message': f'no screenshot {screenshot}'})
    return result


def summarize(result):
    "The figures of one login and its English texts as [(text, where)]"
    menus = result.get('menus', [])
    english_texts = [(t['text'], t['where'])
        for t in result.get('texts', []) if english(t['text'])]
    # The labels of the menu, as ir.ui.menu gives them to sao's tree
    seen = {text for text, _ in english_texts}
    for entry in result.get('entries', []):
        for i, label in enumerate(entry['path']):
            if english(label) and label not in seen:
                seen.add(label)
                english_texts.append(
                    (label, 'menu ' + ' / '.join(entry['path'][:i + 1])))
    return {
        # the entries with an action, and those that opened
        'entries': len(menus),
        'opened': sum(1 for m in menus if m.get('view')),
        'forms': sum(1 for m in menus if m.get('form')),
        'tabs': sum(len(m.get('pages', [])) for m in menus),
        'errors': len(result.get('problems', []))
        + (0 if result.get('ok') else 1),
        'english': len(english_texts),
        'seconds': result.get('seconds'),
        }, english_texts


def findings_of(results):
    """All findings, each once with the logins it was found for:
    [(message, logins)]"""
    findings = {}
    for login, result in results.items():
        if not result.get('ok'):
            findings.setdefault(
                f"sweep stopped: {result.get('error')}", []).append(login)
        for problem in result.get('problems', []):
            message = (f"{problem['where']}: {problem['kind']}: "
                f"{problem['message']}")
            if problem.get('screenshot'):
                message += f" [{problem['screenshot']}]"
            findings.setdefault(message, []).append(login)
        for text, where in result['english']:
            findings.setdefault(
                f'{where}: English text {text!r}', []).append(login)
    return sorted(findings.items())


def table(summaries):
    columns = ['login', 'entries', 'opened', 'forms', 'tabs', 'errors',
        'english', 'seconds']
    rows = [columns] + [
        [login] + [str(summary[c]) for c in columns[1:]]
        for login, summary in summaries.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    return '\n'.join('  '.join(cell.ljust(width)
            for cell, width in zip(row, widths)) for row in rows)


def test_sweep_every_screen(hall_server, hall_output, browser_env):
    "Every demo user opens every screen they can see without a problem"
    backend = hall_server[2]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=SWEEP_JOBS) as executor:
        futures = {login: executor.submit(sweep_login, hall_server,
                hall_output, browser_env, login, password)
            for login, password in logins()}
        results = {login: future.result()
            for login, future in futures.items()}
    seconds = time.monotonic() - start

    summaries = {}
    for login, result in results.items():
        summaries[login], result['english'] = summarize(result)
    findings = findings_of(results)
    report = {
        'backend': backend,
        'seconds': round(seconds, 1),
        'jobs': SWEEP_JOBS,
        'summary': summaries,
        'findings': [{'finding': message, 'logins': found_for}
            for message, found_for in findings],
        'logins': results,
        }
    path = os.path.join(hall_output, 'browser-sweep.json')
    with open(path, 'w') as fp:
        json.dump(report, fp, ensure_ascii=False, indent=1)

    lines = [f'browser sweep on {backend}: {len(results)} logins in '
        f'{seconds:.0f} s ({SWEEP_JOBS} at a time)', table(summaries)]
    if findings:
        lines.append(f'{len(findings)} findings:')
        lines.extend(f'- {message} ({", ".join(found_for)})'
            for message, found_for in findings)
    lines.append(f'report: {path}')
    text = '\n'.join(lines)
    print('\n' + text)
    assert not findings, text
