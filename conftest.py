# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The repository's pytest set-up for Tryton's test framework.

- Collects the modules' ``tests/scenario_*.rst`` doctests: pytest does not
  run Tryton's ``load_doc_tests``; each scenario is one item run with
  Tryton's own set-up, tear-down and output checker, so a scenario runs
  exactly as Tryton's unittest loader would run it.
- Gives each pytest-xdist worker its own PostgreSQL database (``DB_NAME``
  with the worker id appended; SQLite's ``:memory:`` is per process).
- Guards the cache of activated databases (``DB_CACHE``) against several
  processes (xdist workers, or two runs in the same checkout): one process
  builds a cache entry while the others wait for it, and an entry appears
  only once it is complete (a run stopped during a dump leaves none).
- Builds the database of a scenario that activates modules with set-up
  functions (``activate_modules('hall_duties', setup_demo)``) from the
  cached activated modules, shared with the ``ModuleTestCase`` and the
  other scenarios, instead of activating the modules once more: the
  activation is the slow part of a run whose cache is empty (CI's, or
  after any change to a module); or from the cached database of the longest
  start of its set-up functions (``setup_demo`` for ``setup_demo,
  setup_cash``).
- Keeps the cache of PostgreSQL as template databases, copied in a fraction
  of a second where a dump takes seconds to restore.
- Prints at the end of a run the time spent in each module (``modules/<name>``)
  and in each cross-module test (``tests/<name>``), and the slowest items.
"""
import doctest
import fcntl
import hashlib
import os
import shutil
import sys
import tempfile
import time
import unittest
from collections import defaultdict

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'tests'))
import postgres  # noqa: E402

# Before trytond.tests.test_tryton reads DB_NAME, i.e. before any test
# module is imported
_WORKER = os.environ.get('PYTEST_XDIST_WORKER')
if _WORKER and not os.environ.get(
        'TRYTOND_DATABASE__URI', 'sqlite://').startswith('sqlite'):
    os.environ['DB_NAME'] = '%s_%s' % (
        os.environ.get('DB_NAME') or 'test_%d' % time.time(), _WORKER)

SLOWEST = 10


def pytest_collect_file(parent, file_path):
    if (file_path.suffix == '.rst'
            and file_path.name.startswith('scenario_')
            and file_path.parent.name == 'tests'):
        return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):

    def collect(self):
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):

    def runtest(self):
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)

        optionflags = (
            doctest.REPORT_ONLY_FIRST_FAILURE
            | doctest.ELLIPSIS
            | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            optionflags |= STRIP_DECIMAL
        suite = doctest.DocFileSuite(
            str(self.path), module_relative=False,
            setUp=doctest_setup, tearDown=doctest_teardown,
            encoding='utf-8', checker=doctest_checker,
            optionflags=optionflags)
        result = unittest.TestResult()
        suite.run(result)
        problems = result.failures + result.errors
        if problems:
            raise ScenarioFailure('\n'.join(text for _, text in problems))
        if not result.testsRun:
            raise ScenarioFailure(f'{self.path} ran no test')

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f'scenario: {self.name}'


# The cache of activated databases
#
# trytond.tests.test_tryton.activate_module and trytond.tests.tools.
# activate_modules call restore_db_cache(name), and when it finds nothing
# build the database and call backup_db_cache(name).  trytond writes the
# entry in place (pg_dump into the directory, or SQLite's backup into the
# file) and only checks that it exists: another process could restore a
# half-written entry.  So restore_db_cache takes a lock on the entry, kept
# when it finds nothing, until backup_db_cache has written the entry in a
# temporary folder and renamed it into place.  The locks left by a build
# that failed are released at the end of its test item.

_cache_locks = {}


def _lock_cache(path):
    if path not in _cache_locks:
        lock = open(path + '.lock', 'a')
        fcntl.flock(lock, fcntl.LOCK_EX)
        _cache_locks[path] = lock


def _unlock_cache(path=None):
    for key in [path] if path else list(_cache_locks):
        lock = _cache_locks.pop(key, None)
        if lock:
            lock.close()


def _guard_db_cache():
    try:
        from trytond.tests import test_tryton, tools
    except ImportError:
        return
    cache = test_tryton.DB_CACHE
    if not cache or cache.startswith('postgresql://'):
        return
    if getattr(test_tryton.restore_db_cache, 'hall_guarded', False):
        return
    restore, backup = test_tryton.restore_db_cache, test_tryton.backup_db_cache
    from trytond import backend
    if backend.name == 'postgresql':
        restore, backup = _pg_templates(cache)

    def entry(name):
        os.makedirs(cache, exist_ok=True)
        return test_tryton._db_cache_file(cache, name)

    def restore_db_cache(name):
        path = entry(name)
        _lock_cache(path)
        if restore(name):
            _unlock_cache(path)
            return True
        return False

    def backup_db_cache(name):
        path = entry(name)
        _lock_cache(path)
        building = None
        try:
            if backend.name == 'postgresql':
                backup(name)
                return
            if os.path.exists(path):
                return
            building = tempfile.mkdtemp(prefix='.building-', dir=cache)
            test_tryton.DB_CACHE = building
            try:
                backup(name)
            finally:
                test_tryton.DB_CACHE = cache
            built = test_tryton._db_cache_file(building, name)
            if os.path.exists(built):
                os.rename(built, path)
        finally:
            if building:
                shutil.rmtree(building, ignore_errors=True)
            _unlock_cache(path)

    def setup_name(modules, setup):
        return '-'.join(modules) + '--' + '|'.join(
            tools._func_name(f) for f in setup)

    def activate_modules(modules, *setup):
        """trytond.tests.tools.activate_modules from the cached modules, or
        from the longest cached start of its set-up functions"""
        if not setup:
            return activate_modules_alone(modules)
        modules = sorted([modules] if isinstance(modules, str) else modules)
        name = setup_name(modules, setup)
        if restore_db_cache(name):
            return tools._get_config()
        done = 0
        for count in range(len(setup) - 1, 0, -1):
            if restore_db_cache(setup_name(modules, setup[:count])):
                done = count
                break
        if not done:
            test_tryton.drop_db()
            # The name of its cache entry is the one of
            # activate_modules(modules)
            test_tryton.activate_module(modules)
        config = tools._get_config()
        for func in setup[done:]:
            func(config=config)
        backup_db_cache(name)
        return config

    activate_modules_alone = tools.activate_modules
    restore_db_cache.hall_guarded = True
    for module in [test_tryton, tools]:
        module.restore_db_cache = restore_db_cache
        module.backup_db_cache = backup_db_cache
    tools.activate_modules = activate_modules


# On PostgreSQL the cache entries are template databases: a copy made by
# CREATE DATABASE ... TEMPLATE takes a fraction of a second where
# pg_restore of a dump takes seconds, for each scenario and test case.  A
# template is named after the checkout and the cache folder (which is named
# after the sources, see ./hall), marked as a template (so that trytond's
# database list does not open it) and commented with its cache folder: the
# templates whose folder is gone (./hall prunes the folders left unused for
# two days, a removed checkout takes its own) are dropped at the start of
# a run.

TEMPLATE_PREFIX = 'hallcache_'


def _pg_connect():
    import psycopg
    uri = os.environ['TRYTOND_DATABASE__URI']
    if not uri.endswith('/'):
        uri += '/'
    return psycopg.connect(uri + 'postgres', autocommit=True)


def _pg_templates(cache):
    "restore(name) and backup(name) of the cache on template databases"
    from psycopg import sql

    from trytond import backend
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME

    key = hashlib.sha1(
        f'{os.path.abspath(__file__)}\0{os.path.abspath(cache)}'.encode()
        ).hexdigest()[:10]

    def template(name):
        return TEMPLATE_PREFIX + key + '_' + hashlib.shake_128(
            name.encode()).hexdigest(12)

    def exists(conn, database):
        return bool(conn.execute(
                'SELECT 1 FROM pg_database WHERE datname = %s',
                (database,)).fetchone())

    def copy(conn, target, source):
        # The source may not have other connections: retried while one
        # that was just closed goes away
        for attempt in range(50):
            try:
                conn.execute(sql.SQL(
                        'CREATE DATABASE {} TEMPLATE {}').format(
                        sql.Identifier(target), sql.Identifier(source)))
                return
            except Exception as exception:
                if 'being accessed by other users' not in str(exception):
                    raise
                time.sleep(0.2)
        raise RuntimeError(f'{source} stays in use: no copy {target}')

    def close():
        backend.Database(DB_NAME).close()
        backend.Database._list_cache.clear()
        backend.Database._list_cache_timestamp.clear()

    def restore(name):
        with _pg_connect() as conn:
            if not exists(conn, template(name)):
                return False
            close()
            postgres.drop(conn, DB_NAME)
            copy(conn, DB_NAME, template(name))
        Pool(DB_NAME).init()
        return True

    def backup(name):
        with _pg_connect() as conn:
            if exists(conn, template(name)):
                return
            close()
            copy(conn, template(name), DB_NAME)
            conn.execute(sql.SQL(
                    'ALTER DATABASE {} IS_TEMPLATE true').format(
                    sql.Identifier(template(name))))
            conn.execute(sql.SQL('COMMENT ON DATABASE {} IS {}').format(
                    sql.Identifier(template(name)),
                    sql.Literal(os.path.abspath(cache))))

    return restore, backup


def _prune_pg_templates():
    "Drops the template databases of the cache folders that are gone"
    if not os.environ.get('DB_CACHE') or not os.environ.get(
            'TRYTOND_DATABASE__URI', '').startswith('postgresql'):
        return
    from psycopg import sql
    with _pg_connect() as conn:
        rows = conn.execute(
            "SELECT datname, shobj_description(oid, 'pg_database') "
            "FROM pg_database WHERE datname LIKE %s",
            (TEMPLATE_PREFIX.replace('_', r'\_') + '%',)).fetchall()
        for database, folder in rows:
            if folder and os.path.isdir(folder):
                continue
            try:
                conn.execute(sql.SQL(
                        'ALTER DATABASE {} IS_TEMPLATE false').format(
                        sql.Identifier(database)))
                postgres.drop(conn, database, attempts=1)
            except Exception:
                # Another run's, in use or dropped meanwhile
                pass


# The time per area and the slowest items

_start = time.monotonic()
_item_times = defaultdict(float)


def _xdist_controller(config):
    return (not hasattr(config, 'workerinput')
        and getattr(config.option, 'dist', 'no') != 'no')


def pytest_sessionstart(session):
    global _start
    _start = time.monotonic()
    if not hasattr(session.config, 'workerinput'):
        _prune_pg_templates()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the set-up of a test that uses Tryton's test framework (a
    # ModuleTestCase activates its module in its set-up), and only then:
    # importing trytond sets TZ and TRYTOND_* variables that the browser
    # tests would pass on to their servers (the PostgreSQL demo server of
    # the browser tests, hall_server, is built by Tryton's test framework)
    if (isinstance(item, ScenarioItem)
            or 'trytond.tests.test_tryton' in sys.modules
            or 'hall_server' in getattr(item, 'fixturenames', ())):
        _guard_db_cache()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    yield
    _unlock_cache()


def pytest_runtest_logreport(report):
    # Set-up (Tryton's setUpClass activates the module), call and tear-down
    _item_times[report.nodeid] += report.duration


def _area(nodeid):
    "modules/<name> or tests/<file or folder>"
    parts = nodeid.split('::')[0].split('/')
    if parts[0] in {'modules', 'tests'} and len(parts) > 1:
        return '/'.join(parts[:2])
    return parts[0]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _item_times or hasattr(config, 'workerinput'):
        return
    write = terminalreporter.write_line
    areas, counts = defaultdict(float), defaultdict(int)
    for nodeid, seconds in _item_times.items():
        areas[_area(nodeid)] += seconds
        counts[_area(nodeid)] += 1
    total = sum(areas.values()) or 1
    wall = time.monotonic() - _start
    terminalreporter.section('time per area')
    for area, seconds in sorted(areas.items(), key=lambda a: -a[1]):
        write(f'{seconds:8.1f} s {100 * seconds / total:5.1f} % '
            f'{counts[area]:5d} items  {area}')
    workers = ''
    if _xdist_controller(config):
        workers = f' of {len(config.option.tx or [])} workers'
    write(f'{sum(areas.values()):8.1f} s in the items{workers}, '
        f'{wall:.1f} s wall time since the session started')
    terminalreporter.section(f'{SLOWEST} slowest items (set-up included)')
    for nodeid, seconds in sorted(
            _item_times.items(), key=lambda i: -i[1])[:SLOWEST]:
        write(f'{seconds:8.1f} s  {nodeid}')
