#!/usr/bin/env python3
# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Load each hall module's demo data into a database.

Runs the ``STEPS`` of each module's ``demo`` package
(``trytond.modules.<module>.demo``), module by module in the order given
(``trytond.modules.hall_duties.demo.load``); each step skips what is
already there.  The steps build on the scenarios' builders of each module's
``tests/tools.py``.

    python scripts/demo_data.py -c trytond.conf -d DB hall_duties ...
"""
import argparse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('modules', nargs='+')
    args = parser.parse_args()

    from proteus import config as pconfig
    from trytond.modules.hall_duties.demo import load
    config = pconfig.set_trytond(args.database, config_file=args.config)
    load(config, args.modules)


if __name__ == '__main__':
    main()
