# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""A database of the previous release upgraded to the working tree.

The previous release is the tag of the version before the modules' current
one (``8.0.N``), or, in a clone without tags, the last commit before the
modules took their current version.  Its modules, from a ``git worktree``,
build its demo database with its own ``scripts/demo.py`` (its hall modules
imported from the worktree in place of the checkout's, by a
``sitecustomize`` the test writes); ``trytond-admin --all`` of the working
tree then upgrades it.  Every hall table keeps its rows (but the modules'
own data, which a version may change) and every account its balance; a
schema change without its migration in ``__register__`` fails here.
PostgreSQL only; the times go to
``HALL_TEST_OUTPUT/upgrade-postgresql.json``.
"""
import configparser
import json
import os
import subprocess
import sys
import time

import pytest
from servers import (
    BIN, DEMO_TIMEOUT, ROOT, clean_env, drop_database, free_port,
    hall_figures, tail, uri)

# One worker runs the tests that start servers, one after the other:
# beside each other they slow the browser sweep past its limits
pytestmark = [
    pytest.mark.skipif(
        os.environ.get('HALL_TEST_BACKEND', 'sqlite') != 'postgresql',
        reason='the upgrade runs on PostgreSQL only'),
    pytest.mark.xdist_group('servers')]

ADMIN_TIMEOUT = 1200

# Imports trytond.modules.hall_* from HALL_OLD_MODULES
SITECUSTOMIZE = '''
import importlib.util
import os
import sys

OLD = os.environ['HALL_OLD_MODULES']
PREFIX = 'trytond.modules.'


class OldModules:

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if not name.startswith(PREFIX + 'hall_'):
            return None
        base = os.path.join(OLD, *name[len(PREFIX):].split('.'))
        if os.path.isfile(os.path.join(base, '__init__.py')):
            return importlib.util.spec_from_file_location(
                name, os.path.join(base, '__init__.py'),
                submodule_search_locations=[base])
        if os.path.isfile(base + '.py'):
            return importlib.util.spec_from_file_location(name, base + '.py')
        return None


sys.meta_path.insert(0, OldModules)
'''


def git(*args):
    return subprocess.run(['git', *args], cwd=ROOT, check=True,
        capture_output=True, text=True).stdout.strip()


def module_version(text):
    cfg = configparser.ConfigParser(strict=False, interpolation=None)
    cfg.read_string(text)
    return cfg.get('tryton', 'version')


def previous_release():
    "The commit of the previous release and its version"
    cfg = 'modules/hall_duties/tryton.cfg'
    with open(os.path.join(ROOT, cfg)) as file:
        current = module_version(file.read())
    series, number = current.rsplit('.', 1)
    previous = f'{series}.{int(number) - 1}'
    tags = git('tag', '--list', previous)
    if tags:
        return git('rev-list', '-n', '1', previous), previous
    # The commit that gave the modules their current version, and before it
    bump = git('log', '-n', '1', '--format=%H', f'-Sversion={current}',
        '--', cfg)
    assert bump, f'no commit sets {cfg} to {current}'
    commit = git('rev-parse', f'{bump}^')
    assert module_version(git('show', f'{commit}:{cfg}')) == previous, (
        f'{commit} is not the release {previous}')
    return commit, previous


def record(times):
    output = os.path.join(
        ROOT, os.environ.get('HALL_TEST_OUTPUT', 'var/test-output'))
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, 'upgrade-postgresql.json'), 'w') as fp:
        json.dump(times, fp, indent=1)
    print('\n' + json.dumps(times))


def test_upgrade_previous_release(tmp_path):
    "The previous release's demo database upgrades with its data intact"
    commit, version = previous_release()
    old = tmp_path / 'old'
    git('worktree', 'add', '--detach', str(old), commit)
    database = f'hall_upgrade_{os.getpid()}'
    drop_database(uri(), database)
    times = {'from': version, 'commit': commit}
    try:
        shim = tmp_path / 'shim'
        shim.mkdir()
        (shim / 'sitecustomize.py').write_text(SITECUSTOMIZE)
        env = clean_env()
        old_env = {**env,
            'TRYTOND_DATABASE__URI': uri(),
            'HALL_OLD_MODULES': str(old / 'modules'),
            'PYTHONPATH': os.pathsep.join(
                [str(shim)] + ([env['PYTHONPATH']]
                    if env.get('PYTHONPATH') else []))}
        # The shim imports the old modules
        probe = subprocess.run([sys.executable, '-c',
                'import trytond.modules.hall_duties as m; print(m.__file__)'],
            env=old_env, capture_output=True, text=True, check=True)
        assert probe.stdout.strip().startswith(str(old)), probe.stdout

        start = time.monotonic()
        demo = subprocess.run([
                sys.executable, str(old / 'scripts' / 'demo.py'),
                '--no-serve', '--backend', 'postgresql', '--uri', uri(),
                '--database', database, '--var', str(tmp_path / 'var'),
                '--port', str(free_port())],
            cwd=old, env=old_env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=DEMO_TIMEOUT)
        assert demo.returncode == 0, tail(demo.stderr)
        times['old demo database'] = round(time.monotonic() - start, 1)
        before = hall_figures(database)
        assert before[0].get('hall_cash_settlement'), before[0]

        start = time.monotonic()
        upgrade = subprocess.run([
                os.path.join(BIN, 'trytond-admin'), '-d', database, '--all'],
            env={**env, 'TRYTOND_DATABASE__URI': uri(),
                'TRYTOND_DATABASE__PATH': str(tmp_path / 'filestore')},
            cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=ADMIN_TIMEOUT)
        assert upgrade.returncode == 0, tail(upgrade.stderr)
        times['trytond-admin --all'] = round(time.monotonic() - start, 1)
        after = hall_figures(database)

        assert after[1] == before[1], 'account balances changed'
        changed = {table: (before[0].get(table), count)
            for table, count in after[0].items()
            if before[0].get(table, 0) != count}
        gone = set(before[0]) - set(after[0])
        assert not changed and not gone, (changed, gone)
        record(times)
    finally:
        drop_database(uri(), database)
        subprocess.run(['git', 'worktree', 'remove', '--force', str(old)],
            cwd=ROOT, capture_output=True)
