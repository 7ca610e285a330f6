# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""A server process killed while it confirms settlements loses nothing and
writes nothing by half.

A copy of the demo database gets a batch of counted settlements (a demo
clerk's days of a month ago, 20 fee lines each); a gunicorn server with the
repository's ``trytond.conf`` receives the confirmation of the whole batch
through JSON-RPC and its worker is killed (``kill -9``) while it works.
After gunicorn has started a new worker, every settlement is either
confirmed with exactly one posted move or still counted with none; the
batch confirmed again is booked once.  PostgreSQL only.
"""
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from servers import (
    BIN, ROOT, clean_env, copy_demo_database, drop_database, free_port, rpc,
    server_env, tail, uri, wait_http)

# One worker runs the tests that start servers, one after the other:
# beside each other they slow the browser sweep past its limits
pytestmark = [
    pytest.mark.skipif(
        os.environ.get('HALL_TEST_BACKEND', 'sqlite') != 'postgresql',
        reason='the crash test runs on PostgreSQL only'),
    pytest.mark.xdist_group('servers')]

DAYS = 24  # days of the clerk, a settlement each
FEES = 20  # fee lines of each settlement
LOGIN, BADGE = 'frontdesk1', '1001'  # the demo's clerk 王丽
PASSWORD = 'frontdesk1-demo'


def create_counted(database, dates):
    """Create the batch of counted settlements of the clerk on the dates;
    return their ids

    Run in a process of its own (``counted``): the test's process keeps no
    pool of the database it drops."""
    from proteus import Model
    from proteus import config as pconfig

    from trytond.modules.hall_cash.tests.tools import (
        close_count, create_settlement, publish_rota)
    from trytond.modules.hall_duties.tests.tools import business_day
    from trytond.tests.tools import set_user
    config = pconfig.set_trytond(database=database, user='admin')
    Employee = Model.get('company.employee', config=config)
    User = Model.get('res.user', config=config)
    publish_rota(dates, config=config)
    clerk, = Employee.find([('badge', '=', BADGE)])
    user, = User.find([('login', '=', LOGIN)])
    set_user(user, config=config)
    ids = []
    for date in dates:
        with business_day(date, config=config):
            settlement = create_settlement(
                clerk, date, 'full', [('HF', '10.00')] * FEES,
                config=config)
            close_count(settlement, config=config)
        assert settlement.state == 'counted', settlement.state
        ids.append(settlement.id)
    return ids


def counted(database):
    "The ids of the batch of counted settlements, made by create_counted"
    # Past days of the demo's fiscal year, the current one, before the
    # demo's own days
    today = dt.date.today()
    dates = [today - dt.timedelta(days=20 + i) for i in range(DAYS)]
    dates = [d for d in dates if d.year == today.year]
    if len(dates) < 4:
        pytest.skip('the first days of the year: the demo has no last year')
    script = (
        'import datetime, json, sys\n'
        f'sys.path.insert(0, {os.path.dirname(__file__)!r})\n'
        'from test_crash import create_counted\n'
        'print(json.dumps(create_counted(sys.argv[1], ['
        'datetime.date.fromisoformat(d) for d in sys.argv[2:]])))\n')
    result = subprocess.run(
        [sys.executable, '-c', script, database,
            *(d.isoformat() for d in dates)],
        env={**clean_env(), 'TRYTOND_DATABASE__URI': uri()}, cwd=ROOT,
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, tail(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def settlements_and_moves(database, ids):
    "{settlement id: (state, [posted move states])}"
    import psycopg
    with psycopg.connect(uri() + database) as conn:
        states = dict(conn.execute(
                'SELECT id, state FROM hall_cash_settlement '
                'WHERE id = ANY(%s)', (ids,)).fetchall())
        moves = {i: [] for i in ids}
        for origin, state in conn.execute(
                "SELECT origin, state FROM account_move "
                "WHERE origin LIKE 'hall.cash.settlement,%%'"):
            settlement = int(origin.split(',')[1])
            if settlement in moves:
                moves[settlement].append(state)
        lines = conn.execute(
            'SELECT COUNT(*) FROM account_move AS m WHERE NOT EXISTS ('
            'SELECT 1 FROM account_move_line AS l WHERE l.move = m.id)'
            ).fetchone()[0]
    return {i: (states[i], moves[i]) for i in ids}, lines


def consistent(figures):
    "The settlements whose state and moves disagree"
    return {i: f for i, f in figures.items()
        if f not in {('counted', ()), ('confirmed', ('posted',))}}


def test_kill_during_confirmation(tmp_path):
    database = f'hall_crash_{os.getpid()}'
    copy_demo_database(uri(), database)
    server = None
    try:
        ids = counted(database)

        env = server_env(tmp_path, database)
        port = free_port()
        log = open(tmp_path / 'gunicorn.log', 'w')
        server = subprocess.Popen([
                os.path.join(BIN, 'gunicorn'), '--config',
                os.path.join(ROOT, 'deploy', 'gunicorn.conf.py'),
                'trytond.application:app'],
            env={**env, 'HALL_BIND': f'127.0.0.1:{port}',
                'HALL_WORKERS': '1'},
            cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        wait_http(f'http://127.0.0.1:{port}/', server,
            tmp_path / 'gunicorn.log', timeout=60)
        url = f'http://127.0.0.1:{port}/{database}/rpc/'
        user_id, session = rpc(url, 'common.db.login',
            [LOGIN, {'password': PASSWORD}, 'en'])[:2]
        auth = f'{LOGIN}:{user_id}:{session}'
        context = rpc(url, 'model.res.user.get_preferences', [True, {}],
            auth)

        def worker_pid():
            pids = subprocess.run(['pgrep', '-P', str(server.pid)],
                capture_output=True, text=True).stdout.split()
            return int(pids[0]) if pids else None

        def busy():
            import psycopg
            with psycopg.connect(uri() + 'postgres') as conn:
                return conn.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND state = 'active'",
                    (database,)).fetchone()[0]

        answer = {}

        def confirm():
            try:
                answer['result'] = rpc(url,
                    'model.hall.cash.settlement.confirm', [ids, context],
                    auth)
            except Exception as exception:
                answer['error'] = exception
        killed = worker_pid()
        thread = threading.Thread(target=confirm)
        thread.start()
        # Killed once the worker writes: its transaction is under way
        deadline = time.monotonic() + 60
        while not busy() and thread.is_alive():
            assert time.monotonic() < deadline, 'the confirmation never ran'
            time.sleep(0.01)
        time.sleep(0.3)
        assert thread.is_alive(), (
            f'the batch was confirmed before the kill: {answer}')
        os.kill(killed, signal.SIGKILL)
        thread.join(timeout=60)
        assert 'error' in answer, answer

        # PostgreSQL rolls the killed worker's transaction back; gunicorn
        # starts a new worker
        deadline = time.monotonic() + 60
        while busy() or worker_pid() in {None, killed}:
            assert time.monotonic() < deadline, 'no new worker'
            time.sleep(0.2)
        figures, empty_moves = settlements_and_moves(database, ids)
        figures = {i: (s, tuple(m)) for i, (s, m) in figures.items()}
        assert not consistent(figures), consistent(figures)
        assert not empty_moves
        assert {s for s, _ in figures.values()} == {'counted'}

        # The new worker confirms the batch, once
        wait_http(f'http://127.0.0.1:{port}/', server,
            tmp_path / 'gunicorn.log', timeout=60)
        user_id, session = rpc(url, 'common.db.login',
            [LOGIN, {'password': PASSWORD}, 'en'])[:2]
        auth = f'{LOGIN}:{user_id}:{session}'
        rpc(url, 'model.hall.cash.settlement.confirm', [ids, context], auth)
        figures, empty_moves = settlements_and_moves(database, ids)
        assert {i: (s, tuple(m)) for i, (s, m) in figures.items()} == {
            i: ('confirmed', ('posted',)) for i in ids}
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        drop_database(uri(), database)
