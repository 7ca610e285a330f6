# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Fixtures of the browser tests: one demo database and server per run.

``hall_server`` builds the demo database on the backend of the run
(``HALL_TEST_BACKEND``, ``sqlite`` or ``postgresql``) and serves it with
trytond on a free port, once for the whole session:
``tests/test_browser.py`` and ``tests/test_browser_sweep.py`` share it.  On
PostgreSQL the demo is the one of Tryton's test framework
(``demo_database``: the activated modules and
``hall_duties.demo.setup_full_demo``, from the cache of activated databases
the modules' tests and the integrity sweep share) copied to a database of
its own; on SQLite ``scripts/demo.py --no-serve`` builds it as ``./hall
demo`` does.
"""
import os
import shutil
import subprocess
import sys

import pytest
from servers import (
    BIN, DEMO_TIMEOUT, ROOT, clean_env, copy_demo_database, drop_database,
    free_port, tail, wait_http)

@pytest.fixture(scope='session')
def browser_env():
    "The environment of the browser scripts"
    env = clean_env()
    env['CHROMIUM'] = shutil.which('chromium') or 'chromium'
    return env


@pytest.fixture(scope='session')
def hall_output():
    "The folder of the screenshots and reports (HALL_TEST_OUTPUT)"
    output = os.path.join(
        ROOT, os.environ.get('HALL_TEST_OUTPUT', 'var/test-output'))
    os.makedirs(output, exist_ok=True)
    return output


@pytest.fixture(scope='session')
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
    prepared = []
    if backend == 'postgresql':
        copy_demo_database(uri, database)
        prepared = ['--prepared']
    try:
        demo = subprocess.run([
                sys.executable, os.path.join(ROOT, 'scripts', 'demo.py'),
                '--no-serve', '--backend', backend, '--uri', uri,
                '--database', database, '--var', str(tmp_path / 'var'),
                '--port', str(port), *prepared],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=DEMO_TIMEOUT)
        assert demo.returncode == 0, (
            f'demo.py failed ({demo.returncode}):\n{tail(demo.stderr)}')
        conf = demo.stdout.strip().splitlines()[-1]
        assert os.path.isfile(conf), f'no configuration file {conf!r}'

        # The server does not list the databases of the PostgreSQL server:
        # listing opens each of them and waits behind the locks of other
        # runs' test databases; sao then asks for the database by name
        server_env = {**env, 'TRYTOND_DATABASE__LIST': 'False'}
        log_path = tmp_path / 'trytond.log'
        with open(log_path, 'w') as log:
            server = subprocess.Popen(
                [os.path.join(BIN, 'trytond'), '-c', conf, '-d', database],
                cwd=ROOT, env=server_env, stdin=subprocess.DEVNULL,
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
