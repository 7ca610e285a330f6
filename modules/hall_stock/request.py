# This file is part of the hall_stock module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""The morning draw (领卡领机) and the return (退库): what the clerk asks
for or brings back, issued or received by the warehouse keeper as an
internal shipment of the stock engine between the store and her counter."""
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.hall_duties.common import (
    HallModelMixin, acting_employee, in_hall_groups)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import without_check_access

from .common import CounterDocumentMixin, check_quantity, counter_quantities
from .exceptions import DocumentStateError, ShortStockError

KINDS = [
    ('draw', "Draw"),
    ('return', "Return"),
    ]
STATES = [
    ('draft', "Draft"),
    ('requested', "Requested"),
    ('done', "Done"),
    ('cancelled', "Cancelled"),
    ]


class Request(CounterDocumentMixin, Workflow, ModelSQL, ModelView):
    "A clerk's draw from the store or return to it (领卡领机, 退库)"
    __name__ = 'hall.stock.request'

    kind = fields.Selection(
        KINDS, "Kind", required=True, sort=False,
        states={
            'readonly': (Eval('state') != 'draft') | Bool(Eval('lines')),
            })
    kind_string = kind.translated('kind')
    lines = fields.One2Many(
        'hall.stock.request.line', 'request', "Lines",
        states={
            'readonly': ~Eval('state').in_(['draft', 'requested']),
            })
    shipment = fields.Many2One(
        'stock.shipment.internal', "Shipment", readonly=True,
        help="The internal shipment of the stock engine that moved the "
        "goods.")
    requested_at = fields.DateTime("Requested At", readonly=True)
    done_by = fields.Many2One(
        'company.employee', "Done By", readonly=True,
        help="The warehouse keeper who issued or received the goods.")
    done_at = fields.DateTime("Done At", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'draft'),
            ('requested', 'done'),
            ('draft', 'cancelled'),
            ('requested', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': ~Eval('state').in_(
                        ['requested', 'cancelled']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'fill': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('kind') != 'return')),
                    'icon': 'tryton-refresh',
                    'depends': ['state', 'kind'],
                    },
                'issue': {
                    'invisible': ((Eval('state') != 'requested')
                        | (Eval('kind') != 'draw')),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'kind'],
                    },
                'receive': {
                    'invisible': ((Eval('state') != 'requested')
                        | (Eval('kind') != 'return')),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'kind'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'requested']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_kind(cls):
        return 'draw'

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_rec_name(self, name):
        return f'{self.kind_string} {super().get_rec_name(name)}'

    @classmethod
    def copy(cls, requests, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('shipment', None)
        default.setdefault('requested_at', None)
        default.setdefault('done_by', None)
        default.setdefault('done_at', None)
        return super().copy(requests, default=default)

    @classmethod
    def check_modification(
            cls, mode, requests, values=None, external=False):
        super().check_modification(
            mode, requests, values=values, external=external)
        if mode == 'delete':
            for request in requests:
                if request.state not in {'draft', 'cancelled'}:
                    raise DocumentStateError(gettext(
                            'hall_stock.msg_request_delete_draft',
                            request=request.rec_name))
        elif mode == 'write' and external:
            for request in requests:
                if request.state == 'draft':
                    continue
                if (request.state == 'requested'
                        and values.keys() <= {'lines'}
                        and in_hall_groups('group_warehouse')):
                    continue
                raise DocumentStateError(gettext(
                        'hall_stock.msg_request_edit_draft',
                        request=request.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, requests):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def request(cls, requests):
        pool = Pool()
        Line = pool.get('hall.stock.request.line')
        lines = []
        for request in requests:
            request.get_counter()
            request.get_store()
            if not request.lines:
                raise DocumentStateError(gettext(
                        'hall_stock.msg_request_no_line',
                        request=request.rec_name))
            for line in request.lines:
                check_quantity(
                    line.product, line.quantity, request.rec_name)
                line.issue_quantity = line.quantity
                lines.append(line)
        Line.save(lines)
        cls.write(requests, {'requested_at': _now()})

    @classmethod
    @ModelView.button
    def fill(cls, requests):
        "Put on the return everything the counter holds"
        pool = Pool()
        Line = pool.get('hall.stock.request.line')
        Product = pool.get('product.product')
        Lot = pool.get('stock.lot')
        lines = []
        for request in requests:
            if request.state != 'draft' or request.kind != 'return':
                continue
            counter = request.get_counter()
            with without_check_access():
                products = Product.search([
                        ('template.hall_kind', '!=', None),
                        ])
            quantities = counter_quantities(
                counter, request.date, products, lots=True)
            existing = {(l.product.id, l.lot.id if l.lot else None)
                for l in request.lines}
            for (product, lot), quantity in sorted(
                    quantities.items(), key=lambda i: (i[0][0], i[0][1] or 0)):
                if quantity <= 0 or (product, lot) in existing:
                    continue
                lines.append(Line(
                        request=request, product=Product(product),
                        lot=Lot(lot) if lot else None, quantity=quantity))
        Line.save(lines)

    @classmethod
    @ModelView.button
    def issue(cls, requests):
        "Issue the draws from the store to the counters"
        cls._process([r for r in requests if r.kind == 'draw'])

    @classmethod
    @ModelView.button
    def receive(cls, requests):
        "Receive the returns from the counters in the store"
        cls._process([r for r in requests if r.kind == 'return'])

    @classmethod
    def _process(cls, requests):
        # Two keepers at once: the second waits and finds it done
        cls.lock(requests)
        for request in requests:
            if request.state != 'requested':
                raise DocumentStateError(gettext(
                        'hall_stock.msg_request_done',
                        request=request.rec_name))
        cls._do(requests)

    @classmethod
    @Workflow.transition('done')
    def _do(cls, requests):
        pool = Pool()
        Shipment = pool.get('stock.shipment.internal')
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        Sheet = pool.get('hall.stock.sheet')
        Sheet.check_open([(r.clerk, r.date) for r in requests])
        shipments = {}
        for request in requests:
            counter = request.get_counter()
            store = request.get_store()
            if request.kind == 'draw':
                from_, to = store, counter
            else:
                from_, to = counter, store
            moves = []
            for line in request.lines:
                if not line.issue_quantity:
                    continue
                check_quantity(
                    line.product, line.issue_quantity, request.rec_name)
                moves.append(Move(
                        product=line.product,
                        lot=line.lot,
                        quantity=line.issue_quantity,
                        unit=line.product.default_uom,
                        from_location=from_,
                        to_location=to,
                        company=request.company,
                        planned_date=request.date,
                        hall_invoice_first=line.invoice_first,
                        hall_invoice_last=line.invoice_last,
                        origin=line))
            if not moves:
                raise DocumentStateError(gettext(
                        'hall_stock.msg_request_no_line',
                        request=request.rec_name))
            shipments[request] = Shipment(
                company=request.company,
                from_location=from_,
                to_location=to,
                planned_date=request.date,
                planned_start_date=request.date,
                effective_date=request.date,
                effective_start_date=request.date,
                reference=request.rec_name,
                moves=moves)
        with without_check_access():
            # The goods leave a location once: two draws from the store at
            # once wait for each other
            Location.lock(list({s.from_location for s in shipments.values()}))
            Shipment.save(list(shipments.values()))
            Shipment.wait(list(shipments.values()))
            Shipment.assign_try(list(shipments.values()))
            for request, shipment in shipments.items():
                shipment = Shipment(shipment.id)
                if shipment.state != 'assigned':
                    cls._raise_short(request, shipment)
            Shipment.do(list(shipments.values()))
        employee = acting_employee()
        now = _now()
        for request, shipment in shipments.items():
            request.shipment = shipment
            request.done_by = employee
            request.done_at = now
        cls.save(requests)
        cls.log(requests, 'transition', 'state:done')

    @classmethod
    def _raise_short(cls, request, shipment):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        location = shipment.from_location
        needs = defaultdict(float)
        for move in shipment.moves:
            needs[move.product] += move.quantity
        available = counter_quantities(
            location, request.date, list(needs))
        for product, quantity in needs.items():
            if available.get(product.id, 0) < quantity:
                break
        else:
            product = next(iter(needs))
            quantity = needs[product]
        digits = product.default_uom.digits
        raise ShortStockError(gettext(
                'hall_stock.msg_short_stock',
                document=request.rec_name, product=product.rec_name,
                location=location.rec_name,
                quantity=lang.format_number(quantity, digits=digits),
                available=lang.format_number(
                    max(available.get(product.id, 0), 0), digits=digits)))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, requests):
        pass


class RequestLine(HallModelMixin, ModelSQL, ModelView):
    "A product of a draw or a return: asked, to issue and issued"
    __name__ = 'hall.stock.request.line'

    request = fields.Many2One(
        'hall.stock.request', "Request", required=True, ondelete='CASCADE',
        states={
            'readonly': Eval('request_state') != 'draft',
            })
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        domain=[
            ('template.hall_kind', '!=', None),
            ('type', '=', 'goods'),
            ],
        states={
            'readonly': Eval('request_state') != 'draft',
            })
    lot = fields.Many2One(
        'stock.lot', "Serial Number", ondelete='RESTRICT',
        domain=[
            ('product', '=', Eval('product', -1)),
            ],
        states={
            'readonly': ~Eval('request_state').in_(['draft', 'requested']),
            },
        help="The IMEI of a phone or the ICCID of a SIM card.")
    quantity = fields.Float(
        "Asked", digits='unit', required=True,
        states={
            'readonly': Eval('request_state') != 'draft',
            })
    issue_quantity = fields.Float(
        "To Issue", digits='unit',
        states={
            'readonly': Eval('request_state') != 'requested',
            'invisible': Eval('request_state') == 'draft',
            },
        help="What the warehouse keeper issues or receives.")
    issued_quantity = fields.Function(fields.Float(
            "Issued", digits='unit',
            help="What the stock engine moved."),
        'get_issued_quantity')
    unit = fields.Function(fields.Many2One(
            'product.uom', "Unit"), 'on_change_with_unit')
    kind = fields.Function(fields.Selection(
            'get_kinds', "Kind"), 'on_change_with_kind')
    invoice_first = fields.Char(
        "First Invoice Number",
        states={
            'readonly': ~Eval('request_state').in_(['draft', 'requested']),
            'invisible': Eval('kind') != 'invoice',
            })
    invoice_last = fields.Char(
        "Last Invoice Number",
        states={
            'readonly': ~Eval('request_state').in_(['draft', 'requested']),
            'invisible': Eval('kind') != 'invoice',
            })
    moves = fields.One2Many(
        'stock.move', 'origin', "Moves", readonly=True)
    request_state = fields.Function(fields.Selection(
            STATES, "Request State"), 'on_change_with_request_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        cls.quantity.domain = [
            If(Eval('quantity', None) != None,  # noqa: E711
                ('quantity', '>', 0), ()),
            ]

    @classmethod
    def get_kinds(cls):
        pool = Pool()
        Template = pool.get('product.template')
        return Template.fields_get(['hall_kind'])['hall_kind']['selection']

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    @fields.depends('product')
    def on_change_with_kind(self, name=None):
        return self.product.template.hall_kind if self.product else None

    @fields.depends('request', '_parent_request.state')
    def on_change_with_request_state(self, name=None):
        return self.request.state if self.request else None

    @classmethod
    def get_issued_quantity(cls, lines, name):
        result = {}
        for line in lines:
            result[line.id] = sum(
                m.quantity for m in line.moves if m.state == 'done') or None
        return result

    @classmethod
    def copy(cls, lines, default=None):
        if default is None:
            default = {}
        else:
            default = default.copy()
        default.setdefault('moves', None)
        default.setdefault('issue_quantity', None)
        return super().copy(lines, default=default)

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'quantity', 'issue_quantity', 'product'}:
            for line in lines:
                check_quantity(
                    line.product, line.quantity, line.request.rec_name)
                if line.issue_quantity:
                    check_quantity(
                        line.product, line.issue_quantity,
                        line.request.rec_name)

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if not external:
            return
        warehouse = None
        for line in lines:
            state = line.request.state
            if state == 'draft':
                continue
            if state == 'requested':
                if warehouse is None:
                    warehouse = in_hall_groups('group_warehouse')
                # The keeper chooses the serials and what she issues
                if warehouse and (mode != 'write' or not values.keys() & {
                            'request', 'product', 'quantity'}):
                    continue
            raise DocumentStateError(gettext(
                    'hall_stock.msg_request_edit_draft',
                    request=line.request.rec_name))


def _now():
    return dt.datetime.now()
