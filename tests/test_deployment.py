# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The production stack, without containers.

These machines run no Docker engine: the compose file is checked by
``docker-compose config`` (Debian's docker-compose, installed by ``./hall
test``), and the start-up sequence of its services is run as processes on
loopback, with the repository's ``trytond.conf`` and
``deploy/gunicorn.conf.py``:

- ``trytond-admin`` creates a database and activates the hall modules, as
  the compose file's one-shot service does;
- two gunicorn servers on two ports and one ``trytond-cron``; a JSON-RPC
  login and a read through each server;
- ``deploy/backup.sh`` of a copy of the demo database and
  ``deploy/restore.sh`` under another name: every hall table has the same
  rows and every account the same balance.

The times of each step are printed (``pytest -s``) and written to
``HALL_TEST_OUTPUT/deployment-postgresql.json``.  PostgreSQL only.
"""
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from servers import (
    BIN, ROOT, clean_env, copy_demo_database, drop_database, free_port,
    hall_figures, rpc, server_env, tail, uri, wait_http)

ADMIN_TIMEOUT = 1200  # trytond-admin's activation of the hall modules
PASSWORD = 'deploy-admin-password'
COMPOSE_SERVICES = {
    'postgres', 'trytond-admin', 'trytond', 'trytond-cron', 'trytond-worker',
    'proxy'}

# One worker runs the tests that start servers, one after the other:
# beside each other they slow the browser sweep past its limits
pytestmark = [
    pytest.mark.skipif(
        os.environ.get('HALL_TEST_BACKEND', 'sqlite') != 'postgresql',
        reason='the deployment runs on PostgreSQL only'),
    pytest.mark.xdist_group('servers')]

TIMES = {}


def record(step, seconds):
    TIMES[step] = round(seconds, 1)
    print(f'\n{step}: {seconds:.1f} s')
    output = os.path.join(
        ROOT, os.environ.get('HALL_TEST_OUTPUT', 'var/test-output'))
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, 'deployment-postgresql.json'), 'w') as fp:
        json.dump(TIMES, fp, indent=1)


def stop(processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_compose_config(tmp_path):
    "docker-compose accepts the compose file and finds every service"
    compose = shutil.which('docker-compose')
    if not compose:
        pytest.fail('docker-compose is missing (installed by ./hall test)')
    shutil.copy(os.path.join(ROOT, 'docker-compose.yml'), tmp_path)
    shutil.copytree(os.path.join(ROOT, 'deploy'), tmp_path / 'deploy')
    shutil.copy(
        os.path.join(ROOT, 'deploy', 'hall.env.example'),
        tmp_path / 'hall.env')
    (tmp_path / 'admin-password.txt').write_text('not a secret\n')
    result = subprocess.run(
        [compose, '--project-directory', str(tmp_path),
            '-f', str(tmp_path / 'docker-compose.yml'), 'config',
            '--services'],
        capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == COMPOSE_SERVICES

    result = subprocess.run(
        [compose, '--project-directory', str(tmp_path),
            '-f', str(tmp_path / 'docker-compose.yml'), 'config'],
        capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The one scheduler, and the servers after the database is ready
    assert 'trytond-cron -d hall' in result.stdout
    assert 'service_completed_successfully' in result.stdout
    assert 'condition: service_healthy' in result.stdout


def test_servers_without_containers(tmp_path):
    """trytond-admin creates the database, two servers and the scheduler
    serve it"""
    database = f'hall_deploy_{os.getpid()}'
    env = server_env(tmp_path, database)
    password_file = tmp_path / 'admin-password'
    password_file.write_text(PASSWORD + '\n')
    drop_database(uri(), database)
    processes = []
    try:
        start = time.monotonic()
        import psycopg
        with psycopg.connect(uri() + 'postgres', autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        admin = subprocess.run([
                os.path.join(BIN, 'trytond-admin'), '-d', database,
                '--all', '-u', 'hall_duties', 'hall_cash', 'hall_stock',
                'hall_complaints', 'hall_scoring', '--activate-dependencies',
                '-l', 'zh_CN',
                '--email', 'admin@example.com'],
            env={**env, 'TRYTONPASSFILE': str(password_file)},
            capture_output=True, text=True, timeout=ADMIN_TIMEOUT, cwd=ROOT)
        assert admin.returncode == 0, tail(admin.stderr)
        record('trytond-admin initialise', time.monotonic() - start)

        start = time.monotonic()
        ports = [free_port(), free_port()]
        for port in ports:
            log = open(tmp_path / f'gunicorn-{port}.log', 'w')
            processes.append(subprocess.Popen([
                        os.path.join(BIN, 'gunicorn'), '--config',
                        os.path.join(ROOT, 'deploy', 'gunicorn.conf.py'),
                        'trytond.application:app'],
                    env={**env, 'HALL_BIND': f'127.0.0.1:{port}',
                        'HALL_WORKERS': '1'},
                    cwd=tmp_path, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT))
        cron_log = open(tmp_path / 'cron.log', 'w')
        cron = subprocess.Popen(
            [os.path.join(BIN, 'trytond-cron'), '-d', database],
            env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
            stdout=cron_log, stderr=subprocess.STDOUT)
        processes.append(cron)
        for port, process in zip(ports, processes):
            wait_http(f'http://127.0.0.1:{port}/', process,
                tmp_path / f'gunicorn-{port}.log', timeout=60)
        record('two servers up', time.monotonic() - start)

        for port in ports:
            url = f'http://127.0.0.1:{port}/{database}/rpc/'
            user_id, session = rpc(url, 'common.db.login',
                ['admin', {'password': PASSWORD}, 'zh_CN'])[:2]
            auth = f'admin:{user_id}:{session}'
            modules = rpc(url, 'model.ir.module.search_read', [
                    [('name', 'in',
                            ['hall_duties', 'hall_cash', 'hall_stock',
                                'hall_complaints', 'hall_scoring'])],
                    0, None, None, ['name', 'state'], {}], auth)
            assert {(m['name'], m['state']) for m in modules} == {
                ('hall_duties', 'activated'), ('hall_cash', 'activated'),
                ('hall_stock', 'activated'), ('hall_complaints', 'activated'),
                ('hall_scoring', 'activated')}
            # The web client is served too
            with urllib.request.urlopen(
                    f'http://127.0.0.1:{port}/', timeout=30) as response:
                assert b'sao' in response.read().lower()
        # A wrong password is refused
        with pytest.raises(urllib.error.HTTPError) as refused:
            rpc(f'http://127.0.0.1:{ports[0]}/{database}/rpc/',
                'common.db.login', ['admin', {'password': 'wrong'}, 'en'])
        assert refused.value.code == 401
        assert cron.poll() is None, tail(
            (tmp_path / 'cron.log').read_text())
    finally:
        stop(processes)
        drop_database(uri(), database)


def test_backup_restore(tmp_path):
    "A demo database backed up and restored has every row and balance"
    source = f'hall_backup_{os.getpid()}'
    target = f'hall_restored_{os.getpid()}'
    env = clean_env()
    env.update({
            'TRYTOND_DATABASE__URI': uri(),
            'TRYTOND_DATABASE__PATH': str(tmp_path / 'filestore'),
            'PYTHON': os.path.join(BIN, 'python'),
            })
    copy_demo_database(uri(), source)
    # A file of the source's filestore
    (tmp_path / 'filestore' / source / 'ab').mkdir(parents=True)
    (tmp_path / 'filestore' / source / 'ab' / 'abcdef').write_bytes(b'x')
    drop_database(uri(), target)
    try:
        start = time.monotonic()
        backup = subprocess.run(
            ['bash', os.path.join(ROOT, 'deploy', 'backup.sh'), source,
                str(tmp_path / 'backups')],
            env=env, capture_output=True, text=True, timeout=600)
        assert backup.returncode == 0, backup.stderr
        folder = backup.stdout.strip().splitlines()[-1]
        record('backup', time.monotonic() - start)
        assert 'trytond' in open(os.path.join(folder, 'versions.txt')).read()

        start = time.monotonic()
        restore = subprocess.run(
            ['bash', os.path.join(ROOT, 'deploy', 'restore.sh'), folder,
                target],
            env=env, capture_output=True, text=True, timeout=600)
        assert restore.returncode == 0, restore.stderr
        record('restore', time.monotonic() - start)

        counts, balances = hall_figures(source)
        assert counts.get('hall_cash_settlement'), counts
        assert balances
        assert hall_figures(target) == (counts, balances)
        assert (tmp_path / 'filestore' / target / 'ab' / 'abcdef'
            ).read_bytes() == b'x'
        # A database that exists is not restored over
        again = subprocess.run(
            ['bash', os.path.join(ROOT, 'deploy', 'restore.sh'), folder,
                target],
            env=env, capture_output=True, text=True, timeout=600)
        assert again.returncode != 0
    finally:
        drop_database(uri(), source)
        drop_database(uri(), target)
