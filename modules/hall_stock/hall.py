# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The hall's stock on the stock engine: its store and the counters of its
front desk, the kinds of goods, the number range a move of invoice paper
carries, the order points of the safety stock."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import CounterError

KINDS = [
    (None, ""),
    ('sim', "SIM Card"),
    ('top_up', "Top-Up Card"),
    ('phone', "Phone"),
    ('pager', "Pager"),
    ('invoice', "Invoice Paper"),
    ('other', "Other"),
    ]


class Hall(metaclass=PoolMeta):
    __name__ = 'hall.hall'

    store = fields.Function(fields.Many2One(
            'stock.location', "Store",
            help="The storage location of the hall's warehouse."),
        'on_change_with_store')
    counters = fields.One2Many(
        'stock.location', 'hall', "Counters", readonly=True,
        help="The custody of each front desk clerk, "
        "made by the button Set Up Counters.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'setup_counters': {
                    'icon': 'tryton-add',
                    },
                'count_stock': {
                    'icon': 'tryton-launch',
                    'readonly': ~Eval('warehouse'),
                    'depends': ['warehouse'],
                    },
                'replenish': {
                    'icon': 'tryton-forward',
                    'readonly': ~Eval('warehouse'),
                    'depends': ['warehouse'],
                    },
                })

    @fields.depends('warehouse')
    def on_change_with_store(self, name=None):
        if self.warehouse:
            return self.warehouse.storage_location

    @classmethod
    @ModelView.button
    def setup_counters(cls, halls):
        """Give each hall a warehouse with its store and lost and found,
        and each front desk clerk of the hall her counter"""
        pool = Pool()
        Location = pool.get('stock.location')
        ModelData = pool.get('ir.model.data')
        front_desk = ModelData.get_id('hall_duties', 'post_front_desk')
        with without_check_access():
            halls = cls.browse(halls)
            for hall in halls:
                hall._setup_warehouse()
            clerks = [
                e for h in halls for e in h.staff
                if front_desk in {p.id for p in e.posts}]
            counters = Location.get_counters(clerks, active=None)
            to_save = []
            for hall in halls:
                for clerk in hall.staff:
                    if front_desk not in {p.id for p in clerk.posts}:
                        continue
                    counter = counters.get(clerk.id)
                    if counter is None:
                        counter = Location(
                            name=gettext(
                                'hall_stock.msg_counter_name',
                                clerk=clerk.party.name),
                            code=(f'{hall.code}-{clerk.badge}'
                                if clerk.badge else None),
                            type='storage',
                            hall_clerk=clerk)
                    elif counter.warehouse == hall.warehouse:
                        if counter.active:
                            continue
                    counter.active = True
                    counter.parent = hall.warehouse
                    counter.hall = hall
                    to_save.append(counter)
            Location.save(to_save)

    def _setup_warehouse(self):
        pool = Pool()
        Location = pool.get('stock.location')
        name = self.name
        warehouse = self.warehouse
        if not warehouse:
            def zone(message):
                location = Location(
                    name=gettext(message, hall=name), type='storage')
                location.save()
                return location
            warehouse = Location(
                name=gettext('hall_stock.msg_warehouse_name', hall=name),
                code=self.code, type='warehouse',
                input_location=zone('hall_stock.msg_input_name'),
                output_location=zone('hall_stock.msg_output_name'),
                storage_location=zone('hall_stock.msg_store_name'))
            warehouse.save()
            self.warehouse = warehouse
            self.save()
        if not warehouse.lost_found_location:
            lost_found = Location(
                name=gettext('hall_stock.msg_lost_found_name', hall=name),
                type='lost_found')
            lost_found.save()
            warehouse.lost_found_location = lost_found
            warehouse.save()

    @classmethod
    @ModelView.button
    def count_stock(cls, halls):
        """Start the count of the store and of every counter of the halls:
        an inventory each, its lines filled with the expected quantities"""
        pool = Pool()
        Inventory = pool.get('stock.inventory')
        Date = pool.get('ir.date')
        today = Date.today()
        inventories = []
        for hall in halls:
            if not hall.warehouse or not hall.warehouse.storage_location:
                raise CounterError(gettext(
                        'hall_stock.msg_no_store', hall=hall.rec_name))
            locations = [hall.warehouse.storage_location] + [
                c for c in hall.counters if c.active]
            for location in locations:
                # What is not counted keeps its expected quantity
                inventories.append(Inventory(
                        location=location, date=today,
                        company=hall.company, empty_quantity='keep'))
        with without_check_access():
            Inventory.save(inventories)
            Inventory.complete_lines(inventories)

    @classmethod
    @ModelView.button
    def replenish(cls, halls):
        """Ask the central warehouse for what the order points of the halls'
        stores lack, as internal shipments requested"""
        pool = Pool()
        Shipment = pool.get('stock.shipment.internal')
        warehouses = [h.warehouse for h in halls if h.warehouse]
        if warehouses:
            with without_check_access():
                Shipment.generate_internal_shipment(
                    clean=True, warehouses=warehouses)


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'

    hall = fields.Many2One(
        'hall.hall', "Hall", readonly=True, ondelete='RESTRICT',
        help="The hall of the counter.")
    hall_clerk = fields.Many2One(
        'company.employee', "Clerk", readonly=True, ondelete='RESTRICT',
        help="The front desk clerk whose custody the counter is.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_clerk_unique', Unique(t, t.hall_clerk),
                'hall_stock.msg_counter_clerk_unique'),
            ]

    @classmethod
    def get_counters(cls, employees, active=True):
        "Return the counter of each employee by id"
        domain = [('hall_clerk', 'in', [int(e) for e in employees])]
        if active is not None:
            domain.append(('active', '=', active))
        with without_check_access(), Transaction().set_context(
                active_test=False):
            counters = cls.search(domain)
        return {c.hall_clerk.id: c for c in counters}


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    hall_kind = fields.Selection(
        KINDS, "Hall Goods",
        help="The kind of goods of the business halls: it puts the product "
        "on the draws, the counter sales and the card consumption sheets.")


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    hall_invoice_first = fields.Char(
        "First Invoice Number",
        states={
            'readonly': Eval('state').in_(['cancelled', 'done']),
            },
        help="The first number of the invoice paper issued.")
    hall_invoice_last = fields.Char(
        "Last Invoice Number",
        states={
            'readonly': Eval('state').in_(['cancelled', 'done']),
            },
        help="The last number of the invoice paper issued.")

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'hall.stock.request.line', 'hall.stock.sale',
            'hall.stock.adjustment']


class OrderPoint(metaclass=PoolMeta):
    __name__ = 'stock.order_point'

    hall_quantity = fields.Function(fields.Float(
            "On Hand", digits='unit',
            help="The quantity at the location today."),
        'get_hall_quantity')
    hall_below_minimum = fields.Function(fields.Boolean(
            "Below Minimum",
            help="The quantity at the location is under the minimum."),
        'get_hall_quantity', searcher='search_hall_below_minimum')

    @classmethod
    def get_hall_quantity(cls, points, names):
        pool = Pool()
        Product = pool.get('product.product')
        by_location = defaultdict(list)
        for point in points:
            location = point.location
            if location:
                by_location[location.id].append(point)
        quantities = {}
        with without_check_access(), Transaction().set_context(
                forecast=False):
            for location, location_points in by_location.items():
                quantities.update(Product.products_by_location(
                        [location], with_childs=True,
                        grouping_filter=(list({
                                    p.product.id for p in location_points}),)
                        ))
        result = {n: {} for n in names}
        for point in points:
            quantity = quantities.get(
                (point.location.id if point.location else None,
                    point.product.id), 0)
            if 'hall_quantity' in names:
                result['hall_quantity'][point.id] = quantity
            if 'hall_below_minimum' in names:
                result['hall_below_minimum'][point.id] = (
                    point.min_quantity is not None
                    and quantity < point.min_quantity)
        return result

    @classmethod
    def search_hall_below_minimum(cls, name, clause):
        _, operator, value = clause[:3]
        points = cls.search([('type', '=', 'internal')])
        below = cls.get_hall_quantity(points, ['hall_below_minimum'])[
            'hall_below_minimum']
        ids = [i for i, b in below.items() if b]
        if (operator == '=') == bool(value):
            return [('id', 'in', ids)]
        return [('id', 'not in', ids)]


