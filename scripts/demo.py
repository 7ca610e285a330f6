#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Create (or reuse) the demo database and serve it with the web client.

Called by ``./hall demo``; the browser tests call it with ``--no-serve``
(and ``--prepared`` for a database they made: only the configuration is
written).  Every step is skipped when its result is already there, so a
rerun only starts the server.
"""
import argparse
import configparser
import json
import os
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))
BIN = os.path.dirname(sys.executable)
ADMIN_PASSWORD = 'admin-demo'


def log(message):
    print(f'== {message}', file=sys.stderr, flush=True)


def hall_modules():
    """The hall modules, each after the hall modules it depends on, even
    optionally (extras_depend), so that its demo data comes after theirs"""
    modules_dir = os.path.join(ROOT, 'modules')
    depends = {}
    for name in sorted(os.listdir(modules_dir)):
        cfg_path = os.path.join(modules_dir, name, 'tryton.cfg')
        if os.path.exists(cfg_path):
            cfg = configparser.ConfigParser()
            cfg.read(cfg_path)
            depends[name] = set(
                cfg.get('tryton', 'depends', fallback='').split()
                + cfg.get('tryton', 'extras_depend', fallback='').split())
    ordered = []
    while len(ordered) < len(depends):
        for name in sorted(depends):
            if name not in ordered and depends[name] & set(depends) <= set(
                    ordered):
                ordered.append(name)
    return ordered


def write_config(path, uri, var, port):
    config = configparser.ConfigParser()
    # Two users confirming the same cash at once: the second waits for the
    # first instead of getting a lock error (see hall_cash's doc)
    config['database'] = {
        'uri': uri, 'path': os.path.join(var, 'db'), 'retry': '20'}
    config['web'] = {
        'listen': f'127.0.0.1:{port}',
        'root': os.path.join(ROOT, 'web', 'node_modules', 'tryton-sao'),
        }
    config['session'] = {'authentications': 'password'}
    os.makedirs(os.path.join(var, 'db'), exist_ok=True)
    with open(path, 'w') as fp:
        config.write(fp)


def database_exists(uri, var, name):
    if uri.startswith('sqlite'):
        path = os.path.join(var, 'db', f'{name}.sqlite')
        return os.path.exists(path) and os.path.getsize(path) > 0
    import psycopg
    with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
        return bool(conn.execute(
                'SELECT 1 FROM pg_database WHERE datname = %s',
                (name,)).fetchone())


def create_database(uri, var, name):
    if uri.startswith('sqlite'):
        open(os.path.join(var, 'db', f'{name}.sqlite'), 'w').close()
    else:
        import psycopg
        with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\'')


def run(*args, **kwargs):
    subprocess.run(args, check=True, **kwargs)


def prepare(conf, uri, var, name, modules_hash):
    state_path = os.path.join(var, f'{name}.json')
    state = {}
    if os.path.exists(state_path) and database_exists(uri, var, name):
        with open(state_path) as fp:
            state = json.load(fp)
    else:
        if database_exists(uri, var, name) and not uri.startswith('sqlite'):
            log(f'dropping the unfinished database {name}')
            import psycopg
            with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}"')
        log(f'creating the database {name}')
        create_database(uri, var, name)
        passfile = os.path.join(var, 'admin-password')
        with open(passfile, 'w') as fp:
            fp.write(ADMIN_PASSWORD)
        run(os.path.join(BIN, 'trytond-admin'), '-c', conf, '-d', name,
            '--all', '--email', 'admin@example.com',
            env={**os.environ, 'TRYTONPASSFILE': passfile},
            stdin=subprocess.DEVNULL)
    modules = hall_modules()
    if (state.get('modules') != modules
            or state.get('hash') != modules_hash):
        log(f'activating {", ".join(modules)}')
        run(os.path.join(BIN, 'trytond-admin'), '-c', conf, '-d', name,
            '--activate-dependencies', '-u', *modules,
            stdin=subprocess.DEVNULL)
        state = {'modules': modules, 'hash': modules_hash}
        with open(state_path, 'w') as fp:
            json.dump(state, fp)
    log('loading the demo data')
    run(sys.executable, os.path.join(ROOT, 'scripts', 'demo_data.py'),
        '-c', conf, '-d', name, *modules)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--backend', default='sqlite')
    parser.add_argument('--uri', default='sqlite://')
    parser.add_argument('--port', type=int, default=8000)
    parser.add_argument('--database', default='hall_demo')
    parser.add_argument('--var', default=os.path.join(ROOT, 'var'))
    parser.add_argument('--modules-hash', default='')
    parser.add_argument('--no-serve', action='store_true')
    parser.add_argument('--prepared', action='store_true',
        help="the database has the modules and the demo data")
    args = parser.parse_args()

    var = os.path.abspath(os.path.join(args.var, args.backend))
    os.makedirs(var, exist_ok=True)
    conf = os.path.join(var, 'trytond.conf')
    write_config(conf, args.uri, var, args.port)
    start = time.monotonic()
    if not args.prepared:
        prepare(conf, args.uri, var, args.database, args.modules_hash)
    log(f'database ready in {time.monotonic() - start:.0f} s')
    print(conf)
    if args.no_serve:
        return
    from trytond.modules.hall_duties.tests.tools import (
        DEMO_STAFF, demo_password)
    url = f'http://127.0.0.1:{args.port}/'
    print(f'''
Business hall demo on {args.backend}: {url}
Database: {args.database}
Logins (user / password):
  {'admin':<12} {ADMIN_PASSWORD:<18} administrator''')
    for login, name, badge, posts in DEMO_STAFF:
        print(f'  {login:<12} {demo_password(login):<18} {name} '
            f'{", ".join(posts)} ({badge})')
    print('Stop the server with Ctrl-C.', flush=True)
    os.execv(os.path.join(BIN, 'trytond'), [
            'trytond', '-c', conf, '-d', args.database])


if __name__ == '__main__':
    main()
