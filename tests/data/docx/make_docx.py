#!/usr/bin/env python3
"""make_docx.py - DOCX fixtures for the docx reader's tests, made at test time.

    make_docx.py fill TEMPLATE OUT.docx SEED     the national template (a Word
                                                 file) with its empty cells filled
    make_docx.py report STYLE OUT.docx SEED      a whole report written from scratch
                                                 in one producer's style
    make_docx.py shapes OUTDIR                   one small file per irregular shape

fill and report also write OUT.truth.json: the agency, the year and every value
written (key path -> number) with the cells left blank, so a test can compare the
reader's output cell by cell.  Numbers and agency names are invented here from the
seed; row labels and keys come from formats/templates/gb2021.json.  Only the Python
standard library is used.
"""
import json
import os
import random
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE_JSON = os.path.join(HERE, '..', '..', '..', 'formats', 'templates', 'gb2021.json')
W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
MC_NS = 'http://schemas.openxmlformats.org/markup-compatibility/2006'
WPS_NS = 'http://schemas.microsoft.com/office/word/2010/wordprocessingShape'

# --------------------------------------------------------------------------
# Invented values, consistent with the template's sums

PLACES = ['青岚', '白鹭', '云溪', '松川', '柳河', '石桥', '望江', '临泉']
OFFICES = ['县交通运输局', '市统计局', '区文化和旅游局', '镇人民政府', '县水务局', '市林业局']


def template():
    with open(TEMPLATE_JSON, encoding='utf-8') as f:
        t = json.load(f)
    return {tb['name']: tb for tb in t['tables']}


def table_rows(tb):
    """(block, row) pairs of a template table, printed rows only."""
    for b in tb['blocks']:
        for r in b['rows']:
            if not r.get('derived'):
                yield b, r


def make_values(rng):
    """key path -> value (int, or a decimal string for money), and the blanks."""
    tables = template()
    vals, blank = {}, set()
    # proactive: free numbers, one money cell
    for b, r in table_rows(tables['proactive']):
        for c in b['columns']:
            key = 'proactive.%s.%s' % (r['key'], c['key'])
            if c.get('type') == 'int':
                vals[key] = rng.randint(0, 60) if rng.random() > 0.2 else rng.randint(100, 98765)
            else:
                vals[key] = '%d.%d' % (rng.randint(0, 900), rng.randint(1, 9))
    # requests: leaves, then the totals that make the balances hold
    req = tables['requests']['blocks'][0]
    cols = [c['key'] for c in req['columns'] if c['key'] != 'total']
    fixed = ('new_received', 'carried_over', 'results_total', 'carried_forward')
    leaves = [r['key'] for r in req['rows'] if not r.get('derived') and r['key'] not in fixed]
    for col in cols:
        s = 0
        for leaf in leaves:
            key = 'requests.%s.%s' % (leaf, col)
            if rng.random() < 0.2:
                vals[key] = 0
                blank.add(key)
            else:
                vals[key] = rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 300)])
            s += vals[key]
        fwd = rng.randint(0, 12)
        over = rng.randint(0, min(12, s + fwd))
        vals['requests.results_total.' + col] = s
        vals['requests.carried_forward.' + col] = fwd
        vals['requests.carried_over.' + col] = over
        vals['requests.new_received.' + col] = s + fwd - over
    for r in req['rows']:
        if not r.get('derived'):
            vals['requests.%s.total' % r['key']] = sum(vals['requests.%s.%s' % (r['key'], c)] for c in cols)
    # appeals: four outcomes and their total, per row
    app = tables['appeals']['blocks'][0]
    for r in app['rows']:
        parts = [rng.choice([0, rng.randint(0, 7)]) for _ in app['columns'][:-1]]
        for c, v in zip(app['columns'][:-1], parts):
            vals['appeals.%s.%s' % (r['key'], c['key'])] = v
        vals['appeals.%s.total' % r['key']] = sum(parts)
    return vals, blank


def agency_and_year(rng):
    return rng.choice(PLACES) + rng.choice(OFFICES), rng.randint(2021, 2025)


def write_truth(path, agency, year, vals, blank):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'agency': agency, 'year': year, 'values': vals, 'blank': sorted(blank)},
                  f, ensure_ascii=False, indent=1, sort_keys=True)


def cell_text(v, key, blank):
    return '' if key in blank else str(v)


# --------------------------------------------------------------------------
# fill: the national template, edited as text so everything else the
# producer wrote stays as it was

TC = re.compile(r'<w:tc>.*?</w:tc>|<w:tc [^>]*>.*?</w:tc>', re.S)
TR = re.compile(r'<w:tr[ >].*?</w:tr>', re.S)
TBL = re.compile(r'<w:tbl>.*?</w:tbl>', re.S)
T = re.compile(r'<w:t(?: [^>]*)?>([^<]*)</w:t>')


def text_of(xml):
    return ''.join(T.findall(xml)).strip('\u3000 ')


def put(tc, value):
    """The value as a run at the end of the cell's first paragraph; the
    full-width spaces some cells hold are left in front of it."""
    if value == '':
        return tc
    run = '<w:r><w:t>%s</w:t></w:r>' % value
    if '</w:p>' in tc:
        return tc.replace('</w:p>', run + '</w:p>', 1)
    return re.sub(r'<w:p( [^>]*)?/>', lambda m: '<w:p%s>%s</w:p>' % (m.group(1) or '', run), tc, 1)


def fill_row(tr, values):
    """Puts values into the last len(values) cells of the row."""
    cells = TC.findall(tr)
    start = len(cells) - len(values)
    out, pos = [], 0
    for i, m in enumerate(TC.finditer(tr)):
        out.append(tr[pos:m.start()])
        out.append(put(m.group(0), values[i - start]) if i >= start else m.group(0))
        pos = m.end()
    out.append(tr[pos:])
    return ''.join(out)


def fill_table(tbl, rows_by_label, vals, blank, single_row=None):
    def one(m):
        tr = m.group(0)
        labels = [text_of(c) for c in TC.findall(tr)]
        for lab in reversed(labels):
            if lab in rows_by_label:
                keys = rows_by_label[lab]
                return fill_row(tr, [cell_text(vals[k], k, blank) for k in keys])
        if single_row and labels and all(not x for x in labels):
            return fill_row(tr, [cell_text(vals[k], k, blank) for k in single_row])
        return tr
    return TR.sub(one, tbl)


def row_keys(tb, prefix):
    """label -> the key paths of the row's values, for every printed row."""
    out = {}
    for b, r in table_rows(tb):
        keys = ['%s.%s.%s' % (prefix, r['key'], c['key']) for c in b['columns']]
        for lab in r['labels']:
            out[lab] = keys
    return out


def fill(template_path, out, seed):
    rng = random.Random(seed)
    vals, blank = make_values(rng)
    agency, year = agency_and_year(rng)
    with zipfile.ZipFile(template_path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    tables = template()
    app = tables['appeals']['blocks'][0]
    appeal_keys = ['appeals.%s.%s' % (r['key'], c['key']) for r in app['rows'] for c in app['columns']]
    fillers = [
        lambda t: fill_table(t, row_keys(tables['proactive'], 'proactive'), vals, blank),
        lambda t: fill_table(t, row_keys(tables['requests'], 'requests'), vals, blank),
        lambda t: fill_table(t, {}, vals, blank, single_row=appeal_keys),
    ]
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == 'word/document.xml':
                xml = data.decode('utf-8')
                xml = xml.replace('政府信息公开工作年度报告格式模板',
                                  '%s%d年政府信息公开工作年度报告' % (agency, year), 1)
                tbls = TBL.findall(xml)
                if len(tbls) != 3:
                    sys.exit('make_docx: expected the template\'s 3 tables, found %d' % len(tbls))
                for tbl, f in zip(tbls, fillers):
                    xml = xml.replace(tbl, f(tbl), 1)
                data = xml.encode('utf-8')
            z.writestr(info, data)
    write_truth(os.path.splitext(out)[0] + '.truth.json', agency, year, vals, blank)


# --------------------------------------------------------------------------
# Packages written from scratch

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/%s" ContentType="application/vnd.openxmlformats-officedocument.'
                 'wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="%s"/></Relationships>')


def package(path, document, part='word/document.xml', rels_last=False):
    parts = [('[Content_Types].xml', CONTENT_TYPES % part), ('_rels/.rels', RELS % part),
             (part, document)]
    if rels_last:
        parts = [parts[2], parts[0], parts[1]]
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(name, text.encode('utf-8'))


class Doc:
    """WordprocessingML text with a chosen prefix: 'w' (Word), '' (a default
    namespace) or any other prefix bound to the same namespace URI."""

    def __init__(self, prefix='w'):
        self.p = prefix + ':' if prefix else ''
        self.decl = 'xmlns%s="%s"' % (':' + prefix if prefix else '', W_NS)

    def e(self, name, body='', **attrs):
        a = ''.join(' %s%s="%s"' % (self.p, k, v) for k, v in attrs.items())
        return '<%s%s%s>%s</%s%s>' % (self.p, name, a, body, self.p, name)

    def empty(self, name, **attrs):
        a = ''.join(' %s%s="%s"' % (self.p, k, v) for k, v in attrs.items())
        return '<%s%s%s/>' % (self.p, name, a)

    def run(self, text):
        sp = ' xml:space="preserve"' if text != text.strip() else ''
        return '<%sr><%st%s>%s</%st></%sr>' % (self.p, self.p, sp, text, self.p, self.p)

    def para(self, *runs, style=None):
        ppr = self.e('pPr', self.empty('pStyle', val=style)) if style else ''
        return self.e('p', ppr + ''.join(runs))

    def text(self, s, style=None):
        return self.para(self.run(s), style=style)

    def cell(self, content, span=1, vmerge=None, only_props=False):
        props = self.empty('tcW', w='800', type='dxa')
        if span > 1:
            props += self.empty('gridSpan', val=span)
        if vmerge == 'restart':
            props += self.empty('vMerge', val='restart')
        elif vmerge == 'continue':
            props += self.empty('vMerge')
        body = '' if only_props else (content if content.startswith('<') else self.text(content))
        return self.e('tc', self.e('tcPr', props) + body)

    def row(self, cells, before=0, after=0):
        pr = ''
        if before:
            pr += self.empty('gridBefore', val=before)
        if after:
            pr += self.empty('gridAfter', val=after)
        return self.e('tr', (self.e('trPr', pr) if pr else '') + ''.join(cells))

    def table(self, ncols, rows):
        grid = self.e('tblGrid', ''.join(self.empty('gridCol', w='700') for _ in range(ncols)))
        return self.e('tbl', self.e('tblPr', self.empty('tblW', w='0', type='auto')) + grid + ''.join(rows))

    def document(self, body, extra_ns=''):
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<%sdocument %s %s>%s</%sdocument>'
                % (self.p, self.decl, extra_ns, self.e('body', body), self.p))


class Report:
    """A whole report in the national template's table shapes, with one
    producer's habits switched on by its style name."""

    def __init__(self, style, rng):
        self.style, self.rng = style, rng
        prefix = {'nsdefault': '', 'prefix': 'ns0'}.get(style, 'w')
        self.d = Doc(prefix)
        self.vals, self.blank = make_values(rng)
        self.agency, self.year = agency_and_year(rng)
        self.tables = template()
        self.quirk = 0

    def value_cell(self, key, span=1):
        """A value cell; the word and wps styles vary how it is written."""
        d, v = self.d, cell_text(self.vals[key], key, self.blank)
        self.quirk += 1
        if v == '':
            return d.cell('', span=span, only_props=self.style in ('layout', 'word'))
        if self.style == 'word' and self.quirk % 5 == 0:   # a tracked change
            body = d.para(d.e('del', '<%sr><%sdelText>999</%sdelText></%sr>' % ((d.p,) * 4), id='1'),
                          d.e('ins', d.run(v), id='2'))
            return d.cell(body, span=span)
        if self.style == 'word' and self.quirk % 5 == 1:   # a content control around the run
            body = d.para(d.e('sdt', d.e('sdtPr', d.empty('alias', val='数值')) + d.e('sdtContent', d.run(v))))
            return d.cell(body, span=span)
        if self.style == 'word' and self.quirk % 5 == 2:   # a content control around the cell
            return d.e('sdt', d.e('sdtPr', '') + d.e('sdtContent', d.cell(v, span=span)))
        if self.style == 'wps':                            # full-width padding, a run per digit
            return d.cell(d.para(d.run('\u3000'), *[d.run(ch) for ch in v]), span=span)
        return d.cell(v, span=span)

    def label_cell(self, label, span=1, vmerge=None):
        d = self.d
        if self.style == 'wps' and len(label) > 4:         # a label split over runs and broken by w:br
            half = len(label) // 2
            body = d.para(d.run(label[:half]), d.e('r', d.empty('br')), d.run(label[half:]))
            return d.cell(body, span=span, vmerge=vmerge)
        if self.style == 'word' and len(label) > 4:        # a smart tag around part of a label
            body = d.para(d.e('smartTag', d.run(label[:2]), uri='urn:x', element='place'), d.run(label[2:]))
            return d.cell(body, span=span, vmerge=vmerge)
        return d.cell(label, span=span, vmerge=vmerge)

    def proactive(self):
        d, rows = self.d, []
        for b in self.tables['proactive']['blocks']:
            rows.append(d.row([d.cell(b['caption'][0], span=4)]))
            if len(b['columns']) == 3:
                rows.append(d.row([d.cell('信息内容')] + [d.cell(c['labels'][0]) for c in b['columns']]))
            else:
                rows.append(d.row([d.cell('信息内容'), d.cell(b['columns'][0]['labels'][0], span=3)]))
            for r in b['rows']:
                keys = ['proactive.%s.%s' % (r['key'], c['key']) for c in b['columns']]
                span = 1 if len(keys) == 3 else 3
                rows.append(d.row([self.label_cell(r['labels'][0])] + [self.value_cell(k, span) for k in keys]))
        return d.table(4, rows)

    def requests(self):
        d = self.d
        blk = self.tables['requests']['blocks'][0]
        cols = blk['columns']
        head = [d.row([d.cell('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', span=3,
                              vmerge='restart'), d.cell('申请人情况', span=7)]),
                d.row([d.cell('', span=3, vmerge='continue'), d.cell(cols[0]['labels'][0], vmerge='restart'),
                       d.cell('法人或其他组织', span=5), d.cell(cols[6]['labels'][0], vmerge='restart')]),
                d.row([d.cell('', span=3, vmerge='continue'), d.cell('', vmerge='continue')] +
                      [d.cell(c['labels'][0]) for c in cols[1:6]] + [d.cell('', vmerge='continue')])]
        rows, group, first_result, last_group = [], None, True, None
        for r in blk['rows']:
            if r.get('derived'):
                group = r['labels'][0]
                continue
            vals = [self.value_cell('requests.%s.%s' % (r['key'], c['key'])) for c in cols]
            if r['key'] in ('new_received', 'carried_over', 'carried_forward'):
                rows.append(d.row([self.label_cell(r['labels'][0], span=3)] + vals))
                continue
            lead = d.cell('三、本年度办理结果', vmerge='restart') if first_result else d.cell('', vmerge='continue')
            first_result = False
            if '.' in r['key']:   # a leaf under a merged group label
                restart = r['key'].split('.')[0] != last_group
                last_group = r['key'].split('.')[0]
                g = d.cell(group if restart else '', vmerge='restart' if restart else 'continue')
                rows.append(d.row([lead, g, self.label_cell(r['labels'][0])] + vals))
            else:
                last_group = None
                rows.append(d.row([lead, self.label_cell(r['labels'][0], span=2)] + vals))
        return d.table(10, head + rows)

    def appeals(self):
        d = self.d
        blk = self.tables['appeals']['blocks'][0]
        names = [c['labels'][0] for c in blk['columns']]
        before = 1 if self.style == 'layout' else 0   # a leading grid column no row uses
        rows = [d.row([d.cell('行政复议', span=5), d.cell('行政诉讼', span=10)], before=before),
                d.row([d.cell(n, vmerge='restart') for n in names] +
                      [d.cell('未经复议直接起诉', span=5), d.cell('复议后起诉', span=5)], before=before),
                d.row([d.cell('', vmerge='continue') for _ in names] + [d.cell(n) for n in names] * 2,
                      before=before)]
        vals = [self.value_cell('appeals.%s.%s' % (r['key'], c['key'])) for r in blk['rows'] for c in blk['columns']]
        rows.append(d.row(vals, before=before))
        return d.table(15 + before, rows)

    def title(self):
        d, t = self.d, '%s%d年政府信息公开工作年度报告' % (self.agency, self.year)
        if self.style == 'word':   # the agency inside a hyperlink, the year in a field result
            return d.e('p', d.e('pPr', d.empty('pStyle', val='Title')) +
                       d.e('hyperlink', d.run(self.agency), history='1') +
                       '<{0}r><{0}fldChar {0}fldCharType="begin"/></{0}r>'
                       '<{0}r><{0}instrText xml:space="preserve"> DOCPROPERTY year </{0}instrText></{0}r>'
                       '<{0}r><{0}fldChar {0}fldCharType="separate"/></{0}r>'.format(d.p) +
                       d.run(str(self.year)) +
                       '<{0}r><{0}fldChar {0}fldCharType="end"/></{0}r>'.format(d.p) +
                       d.run('年政府信息公开工作年度报告'))
        return d.text(t, style='Heading1' if self.style != 'wps' else '1')

    def textbox(self, inner):
        """A DrawingML text box with its VML fallback: the same text twice."""
        d = self.d
        box = d.e('txbxContent', inner)
        return ('<%sr><mc:AlternateContent><mc:Choice Requires="wps"><%sdrawing><wps:wsp><wps:txbx>%s'
                '</wps:txbx></wps:wsp></%sdrawing></mc:Choice><mc:Fallback><%spict><v:shape><v:textbox>%s'
                '</v:textbox></v:shape></%spict></mc:Fallback></mc:AlternateContent></%sr>'
                % (d.p, d.p, box, d.p, d.p, box, d.p, d.p))

    def body(self):
        d, head = self.d, (lambda s: d.text(s, style='Heading2'))
        overview = d.para(d.run('本年度，本机关依法做好政府信息公开工作。'), d.e('r', d.empty('br')),
                          d.run('一是加强组织领导；'), d.e('r', d.empty('tab')), d.run('二是完善制度。'))
        dated = d.text(self.agency) + d.text('%d年1月%d日' % (self.year + 1, self.rng.randint(10, 28)))
        if self.style == 'word':
            dated = d.para(d.run('（落款）'), self.textbox(dated))
        parts = [self.title(), head('一、总体情况'), overview,
                 head('二、主动公开政府信息情况'), self.proactive(),
                 head('三、收到和处理政府信息公开申请情况'), self.requests(),
                 head('四、政府信息公开行政复议、行政诉讼情况'), self.appeals(),
                 head('五、存在的主要问题及改进情况'), d.text('一是公开内容还需丰富。'),
                 head('六、其他需要报告的事项'), d.text('本年度未收取信息处理费。'), dated]
        if self.style == 'layout':   # everything after the title inside a one-cell layout table
            inner = ''.join(parts[1:])
            parts = [parts[0], d.table(1, [d.row([d.e('tc', d.e('tcPr', '') + inner + d.text(''))])])]
        return ''.join(parts)


def report(style, out, seed):
    r = Report(style, random.Random(seed))
    extra = 'xmlns:mc="%s" xmlns:wps="%s" xmlns:v="urn:schemas-microsoft-com:vml"' % (MC_NS, WPS_NS)
    package(out, r.d.document(r.body(), extra), part='word/document.xml' if style != 'prefix' else
            'word/document2.xml', rels_last=style == 'prefix')
    write_truth(os.path.splitext(out)[0] + '.truth.json', r.agency, r.year, r.vals, r.blank)


# --------------------------------------------------------------------------
# shapes: one small file per irregular shape; the test states what each reads as

def shapes(outdir):
    d = Doc('w')
    br, tab = d.e('r', d.empty('br')), d.e('r', d.empty('tab'))
    alt = 'xmlns:mc="%s" xmlns:wps="%s" xmlns:v="urn:schemas-microsoft-com:vml"' % (MC_NS, WPS_NS)
    box = d.e('txbxContent', d.text('框内'))
    files = {
        'span': d.table(3, [d.row([d.cell('甲', span=2), d.cell('乙')]), d.row([d.cell('1'), d.cell('2'), d.cell('3')])]),
        'vmerge': d.table(2, [d.row([d.cell('合并', vmerge='restart'), d.cell('1')]),
                              d.row([d.cell('', vmerge='continue'), d.cell('2')]),
                              d.row([d.cell('', vmerge='continue', only_props=True), d.cell('3')])]),
        'before': d.table(4, [d.row([d.cell('a'), d.cell('b')], before=1, after=1),
                              d.row([d.cell('c'), d.cell('d'), d.cell('e'), d.cell('f')])]),
        'nested': d.table(2, [d.row([d.cell('左'), d.e('tc', d.e('tcPr', '') + d.table(2, [
            d.row([d.cell('1'), d.cell('2')]), d.row([d.cell('3'), d.cell('4')])]) + d.text(''))])]),
        'textbox': d.para(d.run('锚'), '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp>'
                          '<wps:txbx>%s</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict>'
                          '<v:shape><v:textbox>%s</v:textbox></v:shape></w:pict></mc:Fallback>'
                          '</mc:AlternateContent></w:r>' % (box, box)),
        'tracked': d.para(d.e('del', '<w:r><w:delText>旧</w:delText></w:r>', id='1'), d.e('ins', d.run('新'), id='2'),
                          d.run('文')) +
                   d.table(1, [d.row([d.cell('留')]),
                               d.e('tr', d.e('trPr', d.empty('del', id='3')) + d.cell('删行'))]),
        'field': d.para(d.run('第'), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE '
                        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>', d.run('3'),
                        '<w:r><w:fldChar w:fldCharType="end"/></w:r>', d.run('页')) +
                 d.para(d.e('fldSimple', d.run('7'), instr=' NUMPAGES ')),
        'tabbr': d.para(d.run('甲'), tab, d.run('乙')) + d.para(d.run('上'), br, d.run('下')) +
                 d.table(2, [d.row([d.cell(d.para(d.run('商业'), br, d.run('企业'))),
                                    d.cell(d.para(d.run('a'), br, d.run('b')))])]),
        'sdt': d.e('sdt', d.e('sdtPr', d.empty('alias', val='x')) + d.e('sdtContent', d.text('控件内'))) +
               d.table(1, [d.e('sdt', d.e('sdtContent', d.row([d.cell('行控件')])))]),
        'links': d.para(d.e('hyperlink', d.run('链'), anchor='a'), d.e('smartTag', d.run('接'), element='x'),
                        d.e('customXml', d.run('文'), element='y')),
        'fullwidth': d.text('\u3000\u3000正文\u3000内容\u3000') +
                     d.table(2, [d.row([d.cell('标'), d.cell('\u3000\u3000')])]),
        'heading': d.text('二、主动公开\t3', style='TOC1') + d.text('二、主动公开', style='Heading2') +
                   d.text('正文', style='heading 3x') + d.text('标题', style='标题3'),
    }
    deep = d.text('底')
    for _ in range(25):   # tables inside tables, beyond the reader's bound
        deep = d.table(1, [d.row([d.cell(deep)])])
    files['bad_deep'] = deep
    files['hugespan'] = d.table(2, [d.row([d.cell('x', span=4000000000), d.cell('y')])])
    for name, body in files.items():
        package(os.path.join(outdir, name + '.docx'), d.document(body, alt if name == 'textbox' else ''))
    x = Doc('x')
    package(os.path.join(outdir, 'prefix.docx'), x.document(x.text('前缀') + x.table(2, [x.row([x.cell('a', span=2)]),
                                                                                      x.row([x.cell('b'), x.cell('c')])])))
    n = Doc('')
    package(os.path.join(outdir, 'noprefix.docx'), n.document(n.text('无前缀')))
    package(os.path.join(outdir, 'rels_last.docx'), d.document(d.text('第二部件')), part='word/document2.xml',
            rels_last=True)
    # unreadable inputs: each must fail with a reason, never crash
    package(os.path.join(outdir, 'bad_truncated.docx'), d.document(d.text('断'))[:-40])
    package(os.path.join(outdir, 'bad_empty.docx'), '')
    package(os.path.join(outdir, 'bad_dtd.docx'), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            + d.document(d.text('&a;')).split('\n', 1)[1])
    with zipfile.ZipFile(os.path.join(outdir, 'bad_nodoc.docx'), 'w') as z:
        z.writestr('[Content_Types].xml', '<Types/>')
        z.writestr('docProps/app.xml', '<Properties/>')
    with open(os.path.join(outdir, 'bad_ole.docx'), 'wb') as f:
        f.write(b'\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' + b'\0' * 504)
    with open(os.path.join(outdir, 'bad_text.docx'), 'wb') as f:
        f.write('这不是一个Word文件'.encode('utf-8'))
    with open(os.path.join(outdir, 'bad_cut.docx'), 'wb') as f:
        buf = open(os.path.join(outdir, 'span.docx'), 'rb').read()
        f.write(buf[:len(buf) // 2])


def main(argv):
    if len(argv) == 5 and argv[1] == 'fill':
        fill(argv[2], argv[3], int(argv[4]))
    elif len(argv) == 5 and argv[1] == 'report':
        report(argv[2], argv[3], int(argv[4]))
    elif len(argv) == 3 and argv[1] == 'shapes':
        shapes(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
