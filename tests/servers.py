# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""What the tests that start servers share: free ports, the environment
without the test framework's settings, the demo database copied on
PostgreSQL, the wait for a server to answer, the environment of the
production servers and a JSON-RPC call."""
import base64
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request

import postgres
import pytest
from repository import leaf_modules

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))

BIN = os.path.dirname(sys.executable)

DEMO_TIMEOUT = 1200
SERVER_TIMEOUT = 30


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
        postgres.drop(conn, name)


def demo_script():
    "scripts/demo.py as a module"
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'hall_demo_script', os.path.join(ROOT, 'scripts', 'demo.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_demo_database():
    """The whole demo in Tryton's test database (DB_NAME), restored from the
    cache of activated databases or built and cached"""
    from trytond.modules.hall_duties.demo import setup_full_demo
    from trytond.tests.tools import activate_modules
    activate_modules(leaf_modules(), setup_full_demo)


def copy_demo_database(uri, name):
    """Copy the test framework's demo database to the database name, with
    the administrator's password of scripts/demo.py"""
    import psycopg
    from psycopg import sql

    from trytond import backend
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    build_demo_database()
    password_hash = Pool(DB_NAME).get('res.user').hash_password(
        demo_script().ADMIN_PASSWORD)
    backend.Database(DB_NAME).close()
    with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
        postgres.drop(conn, name)
        conn.execute(sql.SQL('CREATE DATABASE {} TEMPLATE {}').format(
                sql.Identifier(name), sql.Identifier(DB_NAME)))
    with psycopg.connect(uri + name, autocommit=True) as conn:
        conn.execute(
            "UPDATE res_user SET password_hash = %s WHERE login = 'admin'",
            (password_hash,))


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


def uri():
    "The PostgreSQL server of the run, ending with /"
    value = os.environ['TRYTOND_DATABASE__URI']
    return value if value.endswith('/') else value + '/'


def server_env(tmp_path, database):
    "The environment of the services: the repository's trytond.conf"
    env = clean_env()
    env.update({
            'TRYTOND_CONFIG': os.path.join(ROOT, 'trytond.conf'),
            'TRYTOND_DATABASE__URI': uri(),
            'TRYTOND_DATABASE__PATH': str(tmp_path / 'filestore'),
            'TRYTOND_WEB__ROOT': os.path.join(
                ROOT, 'web', 'node_modules', 'tryton-sao'),
            'TRYTOND_DATABASE_NAMES': database,
            })
    return env


def rpc(url, method, params, session=None, timeout=60):
    """Call method on the JSON-RPC server url; return its result

    Dates and decimals travel as Tryton's client sends them."""
    from trytond.protocols.jsonrpc import JSONDecoder, JSONEncoder
    headers = {'Content-Type': 'application/json'}
    if session:
        headers['Authorization'] = 'Session ' + base64.b64encode(
            session.encode()).decode()
    request = urllib.request.Request(url, data=json.dumps({
                'id': 1, 'method': method, 'params': params},
            cls=JSONEncoder).encode(),
        headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.load(response, object_hook=JSONDecoder())
    assert 'error' not in answer or not answer['error'], answer
    return answer['result']


def hall_figures(database):
    """The figures an upgrade or a restore keeps: the rows of every hall
    table but those of the modules' own data (which a new version may
    change), and the balance of every account with moves"""
    import psycopg
    with psycopg.connect(uri() + database) as conn:
        models = {model.replace('.', '_'): model for model, in conn.execute(
                'SELECT name FROM ir_model')}
        tables = [row[0] for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename LIKE 'hall\\_%' ORDER BY tablename")]
        counts = {}
        for table in tables:
            query = f'SELECT COUNT(*) FROM "{table}"'
            params = ()
            if table in models:
                query += (' WHERE id NOT IN (SELECT db_id FROM ir_model_data'
                    ' WHERE model = %s AND db_id IS NOT NULL)')
                params = (models[table],)
            counts[table] = conn.execute(query, params).fetchone()[0]
        balances = dict(conn.execute(
                'SELECT a.code, SUM(l.debit - l.credit) '
                'FROM account_move_line AS l '
                'JOIN account_account AS a ON a.id = l.account '
                'GROUP BY a.code ORDER BY a.code').fetchall())
    return counts, balances
