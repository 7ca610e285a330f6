# This file is part of the business hall modules.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"The hall modules of the checkout (the ``modules/hall_*`` folders)"
import configparser
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def hall_depends():
    "The hall modules with the modules each depends on"
    depends = {}
    for path in sorted((ROOT / 'modules').glob('hall_*/tryton.cfg')):
        cfg = configparser.ConfigParser(strict=False, interpolation=None)
        cfg.read(path)
        depends[path.parent.name] = set(
            cfg.get('tryton', 'depends', fallback='').split())
    return depends


def hall_modules():
    "The hall modules, each after the hall modules it depends on"
    depends = hall_depends()
    ordered = []
    while len(ordered) < len(depends):
        ready = [
            n for n in sorted(depends)
            if n not in ordered and depends[n] & set(depends) <= set(ordered)]
        assert ready, f"cycle: {sorted(set(depends) - set(ordered))}"
        ordered.extend(ready)
    return ordered


def leaf_modules():
    """The hall modules no other hall module depends on: activating them
    activates every hall module, under the name of the cached database of
    the modules' own test cases when there is one leaf"""
    depends = hall_depends()
    return [n for n in sorted(depends)
        if not any(n in d for d in depends.values())]
