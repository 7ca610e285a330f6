# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The builders of the hall stock's demo data and scenarios: the goods of
the hall, the central warehouse, the counters set up from the hall, the
store filled by a count, the clerk's draws, sales and returns."""
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config
from trytond.modules.hall_duties.tests.tools import HALL_CODE, setup_demo
from trytond.tests.tools import set_user

__all__ = [
    'GOODS', 'setup_demo_stock', 'fill_store', 'draw', 'give_back',
    'sell', 'users']

# code, name, kind, list price, tracked by serial number
GOODS = [
    ('SIM', 'SIM卡（普通）', 'sim', '0', False),
    ('C50', '50元充值卡', 'top_up', '50', False),
    ('C100', '100元充值卡', 'top_up', '100', False),
    ('PH1', '华为畅享手机', 'phone', '1299', True),
    ('FP', '电脑打印发票（卷）', 'invoice', '0', False),
    ]
# The store's stock at the start: code, quantity
STORE_STOCK = [('SIM', 500), ('C50', 400), ('C100', 200), ('FP', 20)]
# The order points of the store: code, minimum, target
ORDER_POINTS = [
    ('SIM', 200, 500), ('C50', 150, 400), ('C100', 80, 200), ('FP', 10, 20),
    ('PH1', 5, 10)]
PHONE_SERIALS = ['8612340000%05d' % i for i in range(1, 11)]


def users(config=None):
    User = Model.get('res.user', config=config)
    return {u.login: u for u in User.find([])}


def setup_demo_stock(config=None):
    """The demo hall with its goods, the company's central warehouse, the
    counters of the front desk and the order points of the store"""
    Template = Model.get('product.template', config=config)
    Product = Model.get('product.product', config=config)
    Uom = Model.get('product.uom', config=config)
    Location = Model.get('stock.location', config=config)
    Hall = Model.get('hall.hall', config=config)
    OrderPoint = Model.get('stock.order_point', config=config)
    setup_demo(config=config)
    if config is None:
        config = get_config()
    if Template.find([('hall_kind', '!=', None)]):
        return
    with config.set_context(language='en'):
        unit, = Uom.find([('name', '=', 'Unit')])
    for code, name, kind, price, serial in GOODS:
        template = Template(name=name, type='goods', default_uom=unit)
        template.hall_kind = kind
        template.list_price = Decimal(price)
        if serial:
            template.lot_required = ['storage', 'customer']
        template.code = code
        template.save()

    # The company's central warehouse the halls are supplied from
    central = Location(name='中心库 库存', type='storage')
    central.save()
    input_ = Location(name='中心库 入库', type='storage')
    input_.save()
    output = Location(name='中心库 出库', type='storage')
    output.save()
    warehouse = Location(
        name='中心库', code='CW', type='warehouse',
        storage_location=central, input_location=input_,
        output_location=output)
    warehouse.save()

    hall, = Hall.find([('code', '=', HALL_CODE)])
    hall.click('setup_counters')
    hall = Hall(hall.id)
    products = {p.code: p for p in Product.find([])}
    for code, minimum, target in ORDER_POINTS:
        point = OrderPoint(type='internal')
        point.product = products[code]
        point.location = hall.warehouse.storage_location
        point.provisioning_location = central
        point.min_quantity = minimum
        point.target_quantity = target
        point.save()
    # The store's stock was counted a month ago
    Date = Model.get('ir.date', config=config)
    fill_store(
        hall, STORE_STOCK, PHONE_SERIALS,
        date=Date.today({}) - dt.timedelta(days=30), config=config)


def fill_store(hall, quantities, serials=(), date=None, config=None):
    """Put the quantities (code, quantity) and the phones of the serial
    numbers in the hall's store, as a count of the store finds them"""
    Inventory = Model.get('stock.inventory', config=config)
    Product = Model.get('product.product', config=config)
    Lot = Model.get('stock.lot', config=config)
    products = {p.code: p for p in Product.find([])}
    inventory = Inventory(location=hall.warehouse.storage_location)
    if date:
        inventory.date = date
    for code, quantity in quantities:
        line = inventory.lines.new(product=products[code])
        line.quantity = quantity
    for serial in serials:
        lot = Lot(number=serial, product=products['PH1'])
        lot.save()
        line = inventory.lines.new(product=products['PH1'])
        line.lot = lot
        line.quantity = 1
    inventory.save()
    inventory.click('confirm')
    return inventory


def draw(clerk, date, lines, config=None):
    """The clerk's draw of the day, requested: lines of (code, quantity) or
    (code, quantity, serial)"""
    return _request('draw', clerk, date, lines, config=config)


def give_back(clerk, date, lines=None, config=None):
    """The clerk's return of the day, requested: the lines given or all
    the counter holds"""
    return _request('return', clerk, date, lines, config=config)


def _request(kind, clerk, date, lines, config=None):
    Request = Model.get('hall.stock.request', config=config)
    Product = Model.get('product.product', config=config)
    Lot = Model.get('stock.lot', config=config)
    products = {p.code: p for p in Product.find([])}
    request = Request(kind=kind, clerk=clerk, date=date)
    for code, quantity, *serial in lines or []:
        line = request.lines.new(product=products[code])
        line.quantity = quantity
        if serial:
            line.lot, = Lot.find([('number', '=', serial[0])])
    request.save()
    if lines is None:
        request.click('fill')
    request.click('request')
    return request


def sell(clerk, date, shift, code, quantity=1, serial=None, config=None):
    "A counter sale of the clerk"
    Sale = Model.get('hall.stock.sale', config=config)
    Product = Model.get('product.product', config=config)
    Lot = Model.get('stock.lot', config=config)
    product, = Product.find([('code', '=', code)])
    sale = Sale(clerk=clerk, date=date, shift=shift, product=product)
    if serial:
        sale.lot, = Lot.find([('number', '=', serial)])
    sale.quantity = quantity
    sale.save()
    return sale


def process(request, config=None):
    "The warehouse keeper issues or receives the request"
    Request = Model.get('hall.stock.request', config=config)
    keeper = users(config=config)['warehouse']
    set_user(keeper, config=config)
    request = Request(request.id)
    request.click('issue' if request.kind == 'draw' else 'receive')
    return request
