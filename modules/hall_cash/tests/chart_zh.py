# This file is part of the hall_cash module.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and
# license terms.
"""Chinese names of the universal chart of accounts the demo creates"""
from proteus import Model

# Keyed by the code of the account templates of account_chart_en.xml,
# the root account (no code) under None.
ACCOUNT_NAMES = {
    None: '通用会计科目表',
    '1.0.0': '资产',
    '1.1.0': '货币资金及金融资产',
    '1.1.1': '现金及现金等价物',
    '1.1.2': '金融资产投资',
    '1.1.3': '受限货币资金及金融资产',
    '1.1.4': '其他金融资产及投资',
    '1.2.0': '应收款项及合同资产',
    '1.2.1': '应收账款、应收票据及贷款',
    '1.2.2': '合同资产',
    '1.2.3': '其他应收款',
    '1.3.0': '存货',
    '1.3.1': '库存商品',
    '1.3.2': '原材料、零部件及物料',
    '1.3.3': '在产品',
    '1.3.4': '产成品',
    '1.3.5': '其他存货',
    '1.4.0': '应计及其他资产',
    '1.4.1': '预付费用',
    '1.4.2': '应计收入',
    '1.4.3': '其他资产',
    '1.5.0': '固定资产',
    '1.5.1': '土地及土地改良',
    '1.5.2': '房屋及建筑物',
    '1.5.3': '机器设备',
    '1.5.4': '家具及器具',
    '1.5.5': '使用权资产（固定资产类）',
    '1.5.6': '其他固定资产',
    '1.5.7': '在建工程',
    '1.6.0': '固定资产累计折旧及折耗',
    '1.6.1': '累计折耗',
    '1.6.2': '累计折旧',
    '1.7.0': '无形资产（不含商誉）',
    '1.7.1': '知识产权',
    '1.7.2': '计算机软件',
    '1.7.3': '贸易及分销类资产',
    '1.7.4': '合同及权利',
    '1.7.5': '使用权资产（无形资产类）',
    '1.7.6': '加密资产',
    '1.7.7': '其他无形资产',
    '1.7.8': '购置中的无形资产',
    '1.8.0': '无形资产累计摊销',
    '1.9.0': '商誉',
    '2.0.0': '负债',
    '2.1.0': '应付款项',
    '2.1.1': '应付账款',
    '2.1.2': '应付股利',
    '2.1.3': '应付利息',
    '2.1.4': '其他应付款',
    '2.2.0': '应计及其他负债',
    '2.2.1': '应计费用（含应付职工薪酬）',
    '2.2.2': '递延收益（预收款项）',
    '2.2.3': '应交税费（不含薪酬税）',
    '2.2.4': '其他非金融负债',
    '2.3.0': '金融负债',
    '2.3.1': '应付票据',
    '2.3.2': '借款',
    '2.3.3': '应付债券',
    '2.3.4': '其他借款及债务',
    '2.3.5': '租赁负债',
    '2.3.6': '衍生金融负债',
    '2.3.7': '其他金融负债',
    '2.4.0': '预计负债',
    '2.4.1': '客户相关预计负债',
    '2.4.2': '诉讼及监管预计负债',
    '2.4.3': '其他预计负债',
    '3.0.0': '所有者权益',
    '3.1.0': '归属于母公司所有者权益',
    '3.1.1': '实收资本（股本）',
    '3.1.2': '资本公积',
    '3.2.0': '留存收益',
    '3.2.1': '盈余公积',
    '3.2.3': '未弥补亏损',
    '3.2.4': '暂记款（应归零）',
    '3.3.0': '累计其他综合收益',
    '3.3.1': '外币报表折算差额',
    '3.3.2': '现金流量套期储备',
    '3.3.3': '可供出售金融资产公允价值变动',
    '3.3.4': '重新计量设定受益计划变动额',
    '3.3.5': '资产重估盈余（仅IFRS）',
    '3.4.0': '其他权益项目',
    '3.4.1': '员工持股计划相关项目',
    '3.4.2': '应收认缴股款',
    '3.4.3': '库存股（未注销）',
    '3.4.4': '其他权益',
    '3.5.0': '少数股东权益',
    '4.0.0': '营业收入',
    '4.1.0': '在某一时点确认的收入',
    '4.1.1': '商品销售收入',
    '4.1.2': '服务收入（时点）',
    '4.2.0': '在某一时段内确认的收入',
    '4.2.1': '产品收入（时段）',
    '4.2.2': '服务收入（时段）',
    '4.3.0': '收入调整',
    '4.3.1': '可变对价',
    '4.3.2': '应付客户对价',
    '4.3.3': '其他收入调整',
    '5.0.0': '费用',
    '5.1.0': '按性质分类的费用',
    '5.1.1': '商品、材料及物料成本',
    '5.1.2': '职工薪酬',
    '5.1.3': '服务费用',
    '5.1.4': '租金、折旧、摊销及折耗',
    '5.1.5': '产成品及在产品存货变动',
    '5.1.6': '自行完成并资本化的工作',
    '5.2.0': '按功能分类的费用',
    '5.2.1': '营业成本',
    '5.2.2': '销售及管理费用',
    '5.2.3': '信用减值损失',
    '6.0.0': '其他非经营性收支',
    '6.1.0': '其他收入及费用',
    '6.1.1': '营业外收入',
    '6.1.2': '营业外支出',
    '6.2.0': '利得和损失',
    '6.2.1': '汇兑损益',
    '6.2.2': '投资收益',
    '6.2.3': '衍生工具公允价值变动损益',
    '6.2.4': '加密资产损益',
    '6.2.5': '资产处置损益',
    '6.2.6': '债务相关损益',
    '6.2.7': '资产减值损失',
    '6.2.8': '其他利得和损失',
    '6.3.0': '税金及附加',
    '6.3.1': '房产税及财产保险',
    '6.3.2': '车船税及通行费',
    '6.3.3': '直接税及许可证费',
    '6.3.4': '消费税及销售税',
    '6.3.5': '关税及海关费用',
    '6.3.6': '不可抵扣增值税',
    '6.3.7': '一般保险费用',
    '6.3.8': '印花税及行政规费',
    '6.3.9': '罚款及滞纳金',
    '6.3.10': '杂项税金',
    '6.3.11': '其他税费',
    '6.4.0': '所得税费用',
    }

# Keyed by the English name of the account type templates of
# account_chart_en.xml (which have no code).
TYPE_NAMES = {
    'Universal Chart of Account Types': '通用科目类型表',
    'Assets': '资产',
    'Current Assets': '流动资产',
    'Accounts receivable': '应收账款',
    'Cash and Cash Equivalents': '现金及现金等价物',
    'Inventories': '存货',
    'Cash at bank, Petty Cash, Cash On Hand': '银行存款、备用金及库存现金',
    'Prepaid expenses for future services that will be used within '
    'a year': '预付费用',
    'Revenue Earned In Arrears (Accrued Revenue) for services done but '
    'not yet received for the year': '应计收入',
    'Loan To (Less than one financial period)': '借出款项（一年以内）',
    'Non-current Assets': '非流动资产',
    'Property, Plant and Equipment': '固定资产',
    'Investment property, such as real estate held for investment '
    'purposes': '投资性房地产',
    'Intangible assets, such as patents, copyrights and goodwill': (
        '无形资产'),
    'Financial assets (excluding investments accounted for using the '
    'equity method, accounts receivables, and cash and cash '
    'equivalents), such as notes receivables': '其他金融资产',
    'Investments accounted for using the equity method': (
        '长期股权投资（权益法）'),
    'Biological assets, which are living plants or animals.': '生物资产',
    'Loan To (More than one financial period)': '借出款项（一年以上）',
    'Liabilities': '负债',
    'Accounts payable': '应付账款',
    'Provisions for warranties or court decisions (contingent '
    'liabilities that are both probable and measurable)': '预计负债',
    'Financial liabilities (excluding provisions and accounts '
    'payables), such as promissory notes and corporate bonds': '金融负债',
    'Liabilities and assets for current tax': '当期税项资产及负债',
    'Deferred tax liabilities and deferred tax assets': '递延所得税资产及负债',
    'Unearned revenue for services paid for by customers but not yet '
    'provided': '预收款项（递延收益）',
    'Interests on loan stock': '借款利息',
    "Creditors' equity": '债权人权益',
    'Equity / capital': '所有者权益',
    'Issued capital and reserves attributable to equity holders of the '
    'parent company (controlling interest)': '归属于母公司的股本及储备',
    'Non-controlling interest in equity': '少数股东权益',
    'Current Period Profit or Lost': '本期损益',
    'Operating section': '经营性损益',
    'Revenue': '营业收入',
    'Expenses': '费用',
    'Cost of Sales': '营业成本',
    'Selling, General and Administrative expenses': '销售及管理费用',
    'Depreciation / amortisation': '折旧及摊销',
    'Research & Development expenses': '研发费用',
    'Non-operating section': '非经营性损益',
    'Other revenues or gains': '其他收入或利得',
    'Other expenses or losses': '其他费用或损失',
    'Finance costs': '财务费用',
    'Income tax expense': '所得税费用',
    'Irregular items': '非常项目',
    'Discontinued operations': '终止经营',
    'Off-Balance': '表外项目',
    }


def translate_chart(company, config=None):
    "Give the company's accounts and account types their Chinese names"
    Account = Model.get('account.account', config=config)
    Type = Model.get('account.account.type', config=config)

    accounts = Account.find([('company', '=', company.id)])
    for account in accounts:
        code = account.code or None
        if code is None and account.parent:
            # Only the root of the chart is named without a code
            continue
        name = ACCOUNT_NAMES.get(code)
        if name and account.name != name:
            account.name = name
    changed = [a for a in accounts if a._changed]
    if changed:
        Account.save(changed)

    types = Type.find([('company', '=', company.id)])
    for type_ in types:
        name = TYPE_NAMES.get(type_.name)
        if name and type_.name != name:
            type_.name = name
    changed = [t for t in types if t._changed]
    if changed:
        Type.save(changed)
