#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The sao web client as the halls use it: the Chinese of the strings its
own zh_CN catalogue leaves empty (web/sao-zh_CN.json) merged into the
catalogue it loads, its board made to filter each action's list by the
action's domain (sao 8.0 builds the board's screens without it, so a
board list shows every record the user may read), and a list's search
entry focused without scrolling (a board would open scrolled down to its
last list), the sums of the lists labelled, and a calendar of the day
opened at the start of the day, not at midnight.

    scripts/prepare_sao.py OUR_CATALOGUE SAO_FOLDER

Run by ./hall after each install of sao, and by the Dockerfile; running it
again changes nothing."""
import json
import os
import sys

ours, sao = sys.argv[1:3]
theirs = os.path.join(sao, 'locale', 'zh_CN.json')
with open(ours, encoding='utf-8') as file:
    translations = json.load(file)
with open(theirs, encoding='utf-8') as file:
    catalogue = json.load(file)
for msgid, msgstr in translations.items():
    if not (catalogue.get(msgid) or [None, ''])[1]:
        catalogue[msgid] = [None, msgstr]
with open(theirs, 'w', encoding='utf-8') as file:
    json.dump(catalogue, file, ensure_ascii=False)

script = os.path.join(sao, 'dist', 'tryton-sao.js')
with open(script, encoding='utf-8') as file:
    code = file.read()
# (the line patched, the lines put before it, the line replacing it)
patches = [
    # the board's lists filtered by their action's domain
    ('params.row_activate = this.row_activate.bind(this);',
        'params.domain = this.domain;  // the action domain of the board',
        None),
    # a list's search entry focused without scrolling the page to it: each
    # list of a board focuses its own, and the page would open scrolled to
    # the last one
    ('this.screen_container.search_entry.focus();', None,
        'this.screen_container.search_entry[0].focus('
        '{preventScroll: true});  // no scroll to a board list'),
    # a list's sum labelled: "合计 2,360.00", and "已选 500.00 / 合计
    # 2,360.00" when rows are selected, in place of two bare numbers
    ("aggregate = selected_sum + '\\n' + sum_;", None,
        "aggregate = (records_ids.length ? Sao.i18n.gettext('Selected') "
        "+ ' ' + selected_sum + ' / ' : '') + Sao.i18n.gettext('Total') "
        "+ ' ' + sum_;  // labelled sum"),
    # a calendar of the day or week scrolled to the start of the hall's
    # day (scrollTime, 06:00) when its events are first drawn: drawn while
    # its tab is still hidden, it would open at 00:00
    ('eventRender: this.view.event_render.bind(this.view),',
        "eventAfterAllRender: function(view) {  // scrolled once shown\n"
        "                    if (!view.scrolled && view.el.is(':visible')) {\n"
        "                        view.applyDateScroll("
        "view.computeInitialDateScroll());\n"
        "                        view.scrolled = true;\n"
        "                    }\n"
        "                },",
        None),
    ]
changed = False
for line, before, replacement in patches:
    done = before if before else replacement
    if done in code:
        continue
    if code.count(line) != 1:
        sys.exit(f'sao: this version has not the line patched: {line}')
    indent = code[:code.index(line)].rsplit('\n', 1)[1]
    if before:
        code = code.replace(line, before + '\n' + indent + line)
    else:
        code = code.replace(line, replacement)
    changed = True
if changed:
    with open(script, 'w', encoding='utf-8') as file:
        file.write(code)
