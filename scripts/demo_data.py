#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Load each hall module's demo data into a database.

Calls ``trytond.modules.<module>.tests.tools.setup_demo`` of every module
named, in the order given, then the ``setup_demo_<area>`` function of each
of the module's ``tests/demo_<area>.py`` files, in name order; each one
skips what is already there. The scenarios use the same functions.

    python scripts/demo_data.py -c trytond.conf -d DB hall_duties ...
"""
import argparse
import glob
import importlib
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('modules', nargs='+')
    args = parser.parse_args()

    from proteus import config as pconfig
    config = pconfig.set_trytond(args.database, config_file=args.config)
    for module in args.modules:
        package = f'trytond.modules.{module}.tests'
        tools = importlib.import_module(f'{package}.tools')
        setup_demo = getattr(tools, 'setup_demo', None)
        if setup_demo:
            setup_demo(config=config)
        tests_dir = os.path.dirname(tools.__file__)
        for path in sorted(glob.glob(os.path.join(tests_dir, 'demo_*.py'))):
            area = os.path.basename(path)[len('demo_'):-len('.py')]
            demo = importlib.import_module(f'{package}.demo_{area}')
            getattr(demo, f'setup_demo_{area}')(config=config)


if __name__ == '__main__':
    main()
