# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"The drop of a PostgreSQL database that the tests' role may do"
import time


def drop(conn, name, attempts=20):
    """Drop the database name (if it exists) on the autocommit connection,
    ending the sessions of the tests' role on it.

    ``WITH (FORCE)`` refuses to end a session of another role, and an
    autovacuum worker counts as one: it starts on a database just restored
    or copied.  A plain ``DROP DATABASE`` stops autovacuum workers itself
    but refuses while a session is open, so the two alternate until one
    succeeds."""
    import psycopg
    from psycopg import sql
    name = sql.Identifier(name)
    for attempt in range(attempts):
        try:
            conn.execute(sql.SQL(
                    'DROP DATABASE IF EXISTS {} WITH (FORCE)').format(name))
            return
        except psycopg.errors.InsufficientPrivilege:
            pass
        try:
            conn.execute(sql.SQL('DROP DATABASE IF EXISTS {}').format(name))
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(0.2)
    raise RuntimeError(f'database {name} stays in use')
