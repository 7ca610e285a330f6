#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Refresh a module's locale/zh_CN.po from the strings of the module.

Activates the module in an in-memory SQLite database, exports its strings
with Tryton's own translation export and keeps the translations already in
the po file. Prints the entries still untranslated.

    .venv/bin/python scripts/po_update.py hall_duties
"""
import os
import sys

os.environ.setdefault('DB_NAME', ':memory:')
os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
LANG = 'zh_CN'


def main(module):
    import polib
    from proteus import Model, Wizard
    from proteus import config as pconfig
    from trytond.tests.test_tryton import DB_NAME, activate_module

    activate_module([module])
    pconfig.set_trytond(DB_NAME)
    Lang = Model.get('ir.lang')
    Module = Model.get('ir.module')
    lang, = Lang.find([('code', '=', LANG)])
    lang.translatable = True
    lang.save()
    Wizard('ir.translation.set').execute('set_')
    update = Wizard('ir.translation.update')
    update.form.language = lang
    update.execute('update')
    export = Wizard('ir.translation.export')
    export.form.language = lang
    export.form.module, = Module.find([('name', '=', module)])
    export.execute('export')
    content = export.form.file

    path = os.path.join(
        os.path.dirname(__file__), '..', 'modules', module, 'locale',
        f'{LANG}.po')
    old = {}
    if os.path.exists(path):
        for entry in polib.pofile(path):
            if entry.msgstr:
                old[(entry.msgctxt, entry.msgid)] = entry.msgstr
    new = polib.pofile(content.decode('utf-8'))
    missing = []
    for entry in new:
        entry.msgstr = old.get((entry.msgctxt, entry.msgid), entry.msgstr)
        entry.flags = [f for f in entry.flags if f != 'fuzzy']
        if not entry.msgstr:
            missing.append(entry)
    new.metadata = {'Content-Type': 'text/plain; charset=utf-8'}
    new.save(path)
    for entry in missing:
        print(f'{entry.msgctxt}\t{entry.msgid}')
    print(f'{len(new)} entries, {len(missing)} untranslated', file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv[1])
