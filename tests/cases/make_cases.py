#!/usr/bin/env python3
"""make_cases.py - writes the golden cases of tests/cases/ that share one
invented gb2021 report (松岭镇, made-up numbers), each printing its tables
in one irregular way of domain.md §5 or showing one of the two harms of
issue 9 (a misread blamed on the report; a report's own error not named).

    python3 tests/cases/make_cases.py tests/cases

The cases are plain files; this script only saves typing when adding one.
Expected values come from the numbers the case prints, not from a run."""
import json, os, sys
ROWS = [  # (printed label, key)
 ("一、本年新收政府信息公开申请数量", "new_received"),
 ("二、上年结转政府信息公开申请数量", "carried_over"),
 ("三、本年度办理结果 （一）予以公开", "granted"),
 ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
 ("（三）不予公开 1.属于国家秘密", "withheld.state_secret"),
 ("2.其他法律行政法规禁止公开", "withheld.prohibited"),
 ("3.危及“三安全一稳定”", "withheld.security"),
 ("4.保护第三方合法权益", "withheld.third_party"),
 ("5.属于三类内部事务信息", "withheld.internal_affairs"),
 ("6.属于四类过程性信息", "withheld.process_info"),
 ("7.属于行政执法案卷", "withheld.enforcement_files"),
 ("8.属于行政查询事项", "withheld.admin_query"),
 ("（四）无法提供 1.本机关不掌握相关政府信息", "unavailable.not_held"),
 ("2.没有现成信息需要另行制作", "unavailable.needs_creation"),
 ("3.补正后申请内容仍不明确", "unavailable.still_unclear"),
 ("（五）不予处理 1.信访举报投诉类申请", "not_processed.petition"),
 ("2.重复申请", "not_processed.repeated"),
 ("3.要求提供公开出版物", "not_processed.publications"),
 ("4.无正当理由大量反复申请", "not_processed.mass_repeated"),
 ("5.要求行政机关确认或重新出具已获取信息", "not_processed.confirm_reissue"),
 ("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_handling.no_correction"),
 ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_handling.unpaid_fee"),
 ("3.其他", "other_handling.other"),
 ("（七）总计", "results_total"),
 ("四、结转下年度继续办理", "carried_forward"),
]
COLS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]

def report(agency, year, t1, t2, t3, style=None, text2="", sep=" "):
    """t2: key -> list of 7 ints (missing: zeros). style: key -> printed string of values."""
    style = style or {}
    L = [f"{agency}{year}年政府信息公开工作年度报告", "",
         f"本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为{year}年1月1日至{year}年12月31日。", "",
         "一、总体情况", "", f"{year}年，本机关继续做好政府信息公开工作。{text2}", "",
         "二、主动公开政府信息情况", "",
         "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
         f"规章 {t1['rules'][0]} {t1['rules'][1]} {t1['rules'][2]}" if 'rules_raw' not in t1 else "规章" + t1['rules_raw'],
         f"行政规范性文件 {t1['docs'][0]} {t1['docs'][1]} {t1['docs'][2]}" if 'docs_raw' not in t1 else "行政规范性文件" + t1['docs_raw'],
         "第二十条第（五）项", "信息内容 本年处理决定数量", f"行政许可 {t1['lic']}",
         "第二十条第（六）项", "信息内容 本年处理决定数量", f"行政处罚 {t1['pun']}", f"行政强制 {t1['force']}",
         "第二十条第（八）项", "信息内容 本年收费金额（单位：万元）", f"行政事业性收费 {t1['fee']}", "",
         "三、收到和处理政府信息公开申请情况", "",
         "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况",
         "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
    for label, key in ROWS:
        vals = t2.get(key, [0] * 7)
        printed = style.get(key, sep.join(str(v) for v in vals))
        # a style starting with "|" is glued to its label (flattened page text)
        L.append(label + printed[1:] if printed.startswith("|") else label + " " + printed)
    L += ["", "四、政府信息公开行政复议、行政诉讼情况", "",
          "行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
          "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
          t3 if isinstance(t3, str) else " ".join(str(v) for v in t3), "",
          "五、存在的主要问题及改进情况", "", "公开工作还有不足，下一步将加强培训。", "",
          "六、其他需要报告的事项", "", "本年度未收取信息处理费。", "", agency, f"{year + 1}年1月20日", ""]
    return "\n".join(L)

def write(name, text, expected):
    d = os.path.join(sys.argv[1], name)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "input.txt"), "w").write(text)
    open(os.path.join(d, "expected.json"), "w").write(json.dumps(expected, ensure_ascii=False, indent=2) + "\n")


# ---- the cases ----
import copy
T1 = {'rules': [0, 0, 0], 'docs': [3, 1, 14], 'lic': 208, 'pun': 41, 'force': 2, 'fee': 0}
T3 = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
def row(*v): return list(v)
def setp(d, path, v):
    ks = path.split('.')
    for k in ks[:-1]: d = d.setdefault(k, {})
    d[ks[-1]] = v
def exp_rows(t2, keys):
    e = {}
    for k in keys:
        for c, v in zip(COLS, t2.get(k, [0]*7)):
            setp(e, 'requests.' + k + '.' + c, v)
    return e
# a consistent table 2: 新收 6 (自然人 4, 商业 1, 其他 1), 结转 1; 办结 6, 结转下年 1
BASE = {
 'new_received': row(4, 1, 0, 0, 0, 1, 6),
 'carried_over': row(1, 0, 0, 0, 0, 0, 1),
 'granted': row(2, 1, 0, 0, 0, 0, 3),
 'partially_granted': row(1, 0, 0, 0, 0, 0, 1),
 'unavailable.not_held': row(1, 0, 0, 0, 0, 1, 2),
 'results_total': row(4, 1, 0, 0, 0, 1, 6),
 'carried_forward': row(1, 0, 0, 0, 0, 0, 1),
}
KEYS = list(BASE)

# harm 1: one glued pair among spaced cells in the total row
t2 = copy.deepcopy(BASE)
st = {'results_total': '4 1 0 00 1 6'}
e = exp_rows(t2, ['results_total']); e['errors'] = []
write('glued-pair-in-spaced-row', report('松岭镇人民政府', 2024, T1, t2, T3, st), e)
st = {'results_total': '4 1 0 0 0 16'}
# "16" could be 1|6 or sixteen: only the split keeps the totals
write('glued-pair-at-row-end', report('松岭镇人民政府', 2024, T1, t2, T3, st), e)
t2b = copy.deepcopy(BASE); t2b['results_total'] = row(4, 1, 0, 0, 0, 0, 5)
t2b['new_received'] = row(4, 1, 0, 0, 0, 0, 5); t2b['unavailable.not_held'] = row(1, 0, 0, 0, 0, 0, 1)
st = {'results_total': '4 1 0 0 0 05'}
e = exp_rows(t2b, ['results_total']); e['errors'] = []
write('glued-zero-pair-at-row-end', report('松岭镇人民政府', 2024, T1, t2b, T3, st), e)

# harm 2: the report's own error in a glued run of one digit per cell
t2 = copy.deepcopy(BASE)
t2['new_received'] = row(4, 1, 0, 0, 0, 1, 0)  # total printed 0: the report is wrong
st = {k: '|' + ''.join(str(x) for x in t2[k]) for k in KEYS}
e = exp_rows(t2, ['new_received', 'results_total'])
e['errors'] = ['R-T2-BALANCE requests.results_total.total', 'R-T2-ROWSUM requests.new_received.total']
write('glued-run-report-wrong', report('松岭镇人民政府', 2024, T1, t2, T3, st), e)

# harm 2b: 总计 printed 0 on every row, cells spaced
t2 = {k: v[:6] + [0] for k, v in BASE.items()}
e = exp_rows(t2, ['new_received', 'granted', 'results_total'])
e['errors'] = sorted(['R-T2-ROWSUM requests.%s.total' % k for k in KEYS] + ['R-T2-EMPTY-BUT-RESULTS requests.results_total.total'])
write('total-column-zero', report('松岭镇人民政府', 2024, T1, t2, T3), e)

# the report's own error in a glued run that can be cut two ways (12|0… or
# 1|20…): no cut keeps the row total, the column sums pick 12, the error stays
t2 = copy.deepcopy(BASE)
t2['new_received'] = row(12, 0, 0, 0, 0, 0, 0)
t2['carried_over'] = row(0, 0, 0, 0, 0, 0, 0)
t2['granted'] = row(10, 0, 0, 0, 0, 0, 10)
t2['partially_granted'] = row(1, 0, 0, 0, 0, 0, 1)
t2['unavailable.not_held'] = row(1, 0, 0, 0, 0, 0, 1)
t2['results_total'] = row(12, 0, 0, 0, 0, 0, 12)
t2['carried_forward'] = row(0, 0, 0, 0, 0, 0, 0)
st = {k: '|' + ''.join(str(x) for x in t2[k]) for k in KEYS}
e = exp_rows(t2, ['new_received', 'results_total'])
e['errors'] = ['R-T2-BALANCE requests.results_total.total', 'R-T2-EMPTY-BUT-RESULTS requests.results_total.total', 'R-T2-ROWSUM requests.new_received.total']
write('glued-run-report-wrong-columns-decide', report('松岭镇人民政府', 2024, T1, t2, T3, st), e)

def exp_t3(vals):
    e = {}
    groups = ['review', 'suit_direct', 'suit_after_review']
    cols = ['upheld', 'corrected', 'other', 'pending', 'total']
    for gi, g in enumerate(groups):
        for ci, c in enumerate(cols):
            setp(e, 'appeals.%s.%s' % (g, c), vals[gi * 5 + ci] if vals else None)
    return e

# table 3 one value per line, in an order that is not the column order
# (parts of two groups, then their totals): the printed order breaks the
# group totals, other orders keep them, so nothing is blamed on the report
t3 = [3, 2, 0, 1, 6, 4, 0, 0, 1, 5, 1, 0, 0, 0, 1]
seq = [3, 2, 0, 1, 4, 0, 0, 1, 6, 5, 1, 0, 0, 0, 1]
e = exp_t3(None); e['errors'] = []
write('appeals-out-of-column-order', report('松岭镇人民政府', 2024, T1, BASE, '\n\n'.join(map(str, seq))), e)

# the same layout in column order with a wrong printed total: no order of
# the values keeps it, so the values are taken and the error is named
t3 = [2, 1, 0, 0, 0] + [0] * 10
e = exp_t3(t3); e['errors'] = ['R-T3-GROUP-TOTAL appeals.review.total']
write('appeals-one-per-line-report-wrong', report('松岭镇人民政府', 2024, T1, BASE, '\n\n'.join(map(str, t3))), e)

# ---- one case per irregularity of domain.md §5, same invented report ----
def all_rows(t2): return exp_rows(t2, KEYS)
def ok(e): e['errors'] = []; return e

# §5.1 one cell per line, blank lines between cells
st = {k: '\n\n' + '\n\n'.join(str(x) for x in BASE.get(k, [0]*7)) for k in [r for r in [x[1] for x in ROWS]]}
write('s5-1-one-cell-per-line', report('松岭镇人民政府', 2024, T1, BASE, T3, st), ok(all_rows(BASE)))

# §5.2 empty organisation cells dropped: "1 1" is 自然人 and 总计
t2 = {
 'new_received': row(3, 0, 0, 0, 0, 0, 3), 'carried_over': row(0, 0, 0, 0, 0, 0, 0),
 'granted': row(2, 0, 0, 0, 0, 0, 2), 'unavailable.not_held': row(1, 0, 0, 0, 0, 0, 1),
 'results_total': row(3, 0, 0, 0, 0, 0, 3), 'carried_forward': row(0, 0, 0, 0, 0, 0, 0)}
st = {k: '%d %d' % (v[0], v[6]) for k, v in t2.items() if k not in ('new_received',)}
for k in [x[1] for x in ROWS]:
    st.setdefault(k, '0 0') if k != 'new_received' else None
e = ok(exp_rows(t2, ['granted', 'unavailable.not_held', 'results_total']))
write('s5-2-blank-cells-dropped-equal-pair', report('松岭镇人民政府', 2024, T1, t2, T3, st), e)

# §5.2 three numbers: which organisation column follows only from the column sums
t2 = copy.deepcopy(BASE)
t2['unavailable.not_held'] = row(1, 0, 0, 0, 0, 1, 2)
st = {'unavailable.not_held': '1 1 2'}
e = ok(exp_rows(t2, ['unavailable.not_held']))
write('s5-2-three-numbers-placed-by-columns', report('松岭镇人民政府', 2024, T1, t2, T3, st), e)

# §5.3 a row shifted right lost its total: derived from the six
st = {'carried_forward': '1 0 0 0 0 0'}
e = ok(exp_rows(BASE, ['carried_forward']))
write('s5-3-lost-total-derived', report('松岭镇人民政府', 2024, T1, BASE, T3, st), e)

# §5.5 labels broken over lines
st = {'partially_granted': '\n1 0 0 0 0 0 1'}
txt = report('松岭镇人民政府', 2024, T1, BASE, T3, st).replace('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）').replace('（四）无法提供 1.本机关不掌握相关政府信息', '（四）无\n法提供 1.本机关不掌握相\n关政府信息')
write('s5-5-labels-split-across-lines', txt, ok(exp_rows(BASE, ['partially_granted', 'unavailable.not_held'])))

# §5.6 flattened page text: every row glued to its label, a trailing ordinal
# of the next label stuck to the digits
t2 = copy.deepcopy(BASE)
st = {k: '|' + ''.join(str(x) for x in t2.get(k, [0]*7)) for k in [x[1] for x in ROWS]}
txt = report('松岭镇人民政府', 2024, T1, t2, '1000100000000000'[:15], st)
e = ok(all_rows(t2)); e.update(exp_t3([1, 0, 0, 0, 1] + [0] * 10))
write('s5-6-flattened-rows', txt, e)

# §5.6 a table-3 run decoded by the group totals
t3 = [2, 1, 0, 0, 3, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0]
e = ok(exp_t3(t3))
write('s5-6-appeals-glued-run', report('松岭镇人民政府', 2024, T1, BASE, ''.join(map(str, t3))), e)

# §5.6 step 4: a table-1 run with no constraint stays null and ambiguous
t1 = dict(T1); t1['docs_raw'] = '5212'
e = {'proactive': {'normative_docs': {'issued': None, 'repealed': None, 'in_force': None}}, 'errors': []}
write('s5-6-proactive-run-ambiguous', report('松岭镇人民政府', 2024, t1, BASE, T3), e)

# §5.7 ordinal variants: lost bracket, em dash for 一, 1、
txt = report('松岭镇人民政府', 2024, T1, BASE, T3).replace('（七）总计', '七)总计').replace('一、本年新收', '—、本年新收').replace('2.重复申请', '2、重复申请')
write('s5-7-ordinal-variants', txt, ok(exp_rows(BASE, ['new_received', 'results_total'])))

# §5.8 zero and not-applicable tokens
t1 = dict(T1); t1['rules_raw'] = ' — — /'
txt = report('松岭镇人民政府', 2024, t1, BASE, T3).replace('行政强制 2', '行政强制 无')
e = ok({'proactive': {'rules': {'issued': 0, 'repealed': 0, 'in_force': 0}, 'coercion': {'decisions': 0}}})
e['na'] = ['proactive.rules.issued', 'proactive.rules.repealed', 'proactive.rules.in_force']
write('s5-8-zero-and-na-tokens', txt, e)

# §5.9 number formats: thousands separators, spaced thousands, full-width digits
txt = report('松岭镇人民政府', 2024, T1, BASE, T3).replace('行政许可 208', '行政许可 1,208').replace('行政处罚 41', '行政处罚 3 041').replace('行政强制 2', '行政强制 １２')
e = ok({'proactive': {'licensing': {'decisions': 1208}, 'penalty': {'decisions': 3041}, 'coercion': {'decisions': 12}}})
write('s5-9-number-formats', txt, e)

# §5.10 page-number lines and a repeated header inside the table
txt = report('松岭镇人民政府', 2024, T1, BASE, T3).replace('（四）无法提供', '- 3 -\n\n自然人 法人或其他组织 总计\n（四）无法提供')
write('s5-10-page-break-artefacts', txt, ok(all_rows(BASE)))

# §5.13 a row the template does not have goes to extra, known rows keep their places
txt = report('松岭镇人民政府', 2024, T1, BASE, T3).replace('第二十条第（五）项', '其他主动公开文件 7 0 7\n第二十条第（五）项')
e = ok({'proactive': {'normative_docs': {'issued': 3, 'repealed': 1, 'in_force': 14}, 'licensing': {'decisions': 208}}})
write('s5-13-extra-row', txt, e)

# §3.2 a 法人或其他组织小计 column printed: dropped by the row totals
st = {k: ' '.join(map(str, v[:1] + [sum(v[1:6])] + v[1:])) for k, v in BASE.items()}
write('extra-subtotal-column', report('松岭镇人民政府', 2024, T1, BASE, T3, st), ok(all_rows(BASE)))

# the report is wrong: 一+二 ≠ (七)+四 in the natural-person column, printed plainly
t2 = copy.deepcopy(BASE); t2['carried_forward'] = row(2, 0, 0, 0, 0, 0, 2)
e = exp_rows(t2, ['carried_forward'])
e['errors'] = ['R-T2-BALANCE requests.results_total.natural_person', 'R-T2-BALANCE requests.results_total.total']
write('report-wrong-balance', report('松岭镇人民政府', 2024, T1, t2, T3), e)

# a tie: 220000325 is 22 0 0 0 0 3 25 or 2 20 0 0 0 3 25 on every row that
# carries it, and the column sums hold either way: those cells stay null
# (ambiguous), the cells every reading agrees on are kept
t2 = {k: [0]*7 for k in KEYS}
for k in ('new_received', 'granted', 'results_total'):
    t2[k] = row(22, 0, 0, 0, 0, 3, 25)
st = {k: '|' + ''.join(str(x) for x in t2.get(k, [0]*7)) for k in [x[1] for x in ROWS]}
e = exp_rows(t2, ['granted'])
e['requests']['granted']['natural_person'] = None
e['requests']['granted']['business'] = None
e['errors'] = []
write('glued-tie-stays-ambiguous', report('松岭镇人民政府', 2024, T1, t2, T3, st), e)

# ---- PDF conversions to markdown (labels and cells come apart) ----
LABELS = {k: l.split(' ')[-1] for l, k in ROWS}  # the row's own label, without its group
def md_report(agency, year, t2, lines2, head1=None, t1_lines=None, narrative=None, t3_intro=()):
    """A markdown report; lines2: table 2 as printed (list of lines)."""
    md = lambda v: '| ' + ' | '.join('' if x is None else str(x) for x in v) + ' |'
    t1 = t1_lines or ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
                      "| 规章 | 0 | 0 | 0 |", "| 行政规范性文件 | 5 | 2 | 31 |",
                      "第二十条第（五）项", "| 信息内容 | 本年处理决定数量 |", "|---|---|", "| 行政许可 | 64 |",
                      "第二十条第（六）项", "| 行政处罚 | 12 |", "| 行政强制 | 0 |",
                      "第二十条第（八）项", "| 行政事业性收费 | 0 |"]
    heads = head1 or ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                      "四、政府信息公开行政复议、行政诉讼情况"]
    L = [f"# {agency}{year}年政府信息公开工作年度报告", "", "一、总体情况", "",
         f"{year}年，本单位依法做好政府信息公开工作。", ""] + (narrative or []) + [
         heads[0], ""] + t1 + ["", heads[1], "",
         "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
         "|---|---|---|---|---|---|---|---|"] + lines2 + ["", heads[2], ""] + list(t3_intro) + ["行政复议 行政诉讼（未经复议直接起诉 复议后起诉）",
         "| 维持 | 纠正 | 其他 | 未结 | 总计 | 维持 | 纠正 | 其他 | 未结 | 总计 | 维持 | 纠正 | 其他 | 未结 | 总计 |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
         md(T3), "", "五、存在的主要问题及改进情况", "", "培训还不够。", "",
         "六、其他需要报告的事项", "", "本年度未收取信息处理费。", ""]
    return "\n".join(L)
def md_row(label, v): return '| ' + ' | '.join([label] + ['' if x is None else str(x) for x in v]) + ' |'
def md_lines(t2, only=None):
    return [md_row(LABELS[k], t2.get(k, [0] * 7)) for _, k in ROWS if only is None or k in only]
def write_md(name, text, expected):
    write(name, text, expected)
    d = os.path.join(sys.argv[1], name)
    os.replace(os.path.join(d, "input.txt"), os.path.join(d, "input.md"))

# labels pulled out of their rows as a run, the rows' values after them
# (and one label's values after three labelled rows): each run of values
# goes to the oldest label still waiting, never to the next template row
t2 = copy.deepcopy(BASE)
t2['granted'] = row(2, 0, 0, 0, 0, 0, 2)
t2['unavailable.needs_creation'] = row(0, 1, 0, 0, 0, 0, 1)
keys = [k for _, k in ROWS]
before = keys[:keys.index('withheld.internal_affairs')]
lines = md_lines(t2, before) + ["", "5.属于三类内部事务信息", "（四）无法提供", "1.本机关不掌握相关政府信息",
         md_row('', [0] * 7)[3:]] + md_lines(t2, ['withheld.process_info', 'withheld.enforcement_files', 'withheld.admin_query']) + [
         md_row('', t2['unavailable.not_held'])[3:], "", "2.没有现成信息需要另", "行制作", "3.补正后申请内容仍不明确",
         md_row('', t2['unavailable.needs_creation'])[3:], md_row('', [0] * 7)[3:]] + md_lines(t2, keys[keys.index('not_processed.petition'):])
write_md('labels-detached-from-rows', md_report('青禾县统计局', 2024, t2, lines), ok(all_rows(t2) | exp_rows(t2, ['unavailable.needs_creation'])))

# a 总计 cell lost in conversion (one empty cell, every other row prints its
# total): null and flagged, never an error of the report
lines = md_lines(BASE)
lines[-1] = md_row(LABELS['carried_forward'], BASE['carried_forward'][:6] + [None])
e = exp_rows(BASE, ['results_total', 'carried_forward']); e['requests']['carried_forward']['total'] = None
write_md('lost-total-cell', md_report('青禾县统计局', 2024, BASE, lines), ok(e))

# the same table with 总计 left blank on every handling row: that is how the
# report was printed, and the broken row totals are the report's errors
handling = keys[keys.index('granted'):keys.index('results_total')]
lines = [md_row(LABELS[k], BASE.get(k, [0] * 7)[:6] + [None if k in handling else BASE.get(k, [0] * 7)[6]]) for k in keys]
e = exp_rows(BASE, ['results_total'])
e['errors'] = sorted(['R-T2-ROWSUM requests.%s.total' % k for k in handling if any(BASE.get(k, [0])[:6])] +
                     ['R-T2-RESULTS requests.results_total.total'])
write_md('total-column-blank', md_report('青禾县统计局', 2024, BASE, lines), e)

# the tables' sections numbered anew (一、主动公开… after a narrative of its
# own 一..六), and the narrative full of numbers (dates, counts with 件):
# the tables are read under their own headings, not from the narrative
narr = ["二、工作机制建设", "", "本单位设立公开工作小组。", "", "三、主动公开工作开展情况", "",
        "截至 2024 年 12 月", "31 日，本单位网站发布信息 186 件，其中包",
        "括：行政规范性文件 5 件；工作方案 4 件；2023 年度部门决", "算信息 1 件。", "",
        "四、依申请公开办理情况", "", "全年收到申请 6 件，办结 6 件。2024 年本单位有 2 件涉及政府", "信息公开的行政复议，均维持；涉及行政诉讼", "0 件。", ""]
heads = ["一、主动公开政府信息情况", "二、收到和处理政府信息公开申请情况", "三、政府信息公开行政复议、行政诉讼情况"]
e = ok(all_rows(BASE) | exp_t3(T3))
e['proactive'] = {'rules': {'issued': 0}, 'normative_docs': {'issued': 5, 'repealed': 2, 'in_force': 31}}
t1 = ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|", "| 规章 | 0 | 0 | 0 |",
      "| 规范性文件 | 5 | 2 | 31 |", "第二十条第（五）项", "| 行政许可 | 64 |", "第二十条第（六）项", "| 行政处罚 | 12 |",
      "| 行政强制 | 0 |", "第二十条第（八）项", "| 行政事业性收费 | 0 |"]
write_md('table-sections-renumbered', md_report('青禾县统计局', 2024, BASE, md_lines(BASE), heads, t1, narr), e)

# table 1 printed in another order than the template (第二十条第（一）项 last)
t1 = ["第二十条第（五）项", "| 信息内容 | 本年处理决定数量 |", "|---|---|", "| 行政许可 | 64 |",
      "第二十条第（六）项", "| 行政处罚 | 12 |", "| 行政强制 | 0 |", "第二十条第（八）项", "| 行政事业性收费 | 0 |",
      "第二十条第（一）项", "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
      "| 规章 | 0 | 0 | 0 |", "| 规范性文件 | 5 | 2 | 31 |"]
e = ok({'proactive': {'rules': {'issued': 0, 'repealed': 0, 'in_force': 0},
                      'normative_docs': {'issued': 5, 'repealed': 2, 'in_force': 31},
                      'licensing': {'decisions': 64}, 'penalty': {'decisions': 12}, 'admin_fees': {'amount_wan': 0}}})
write_md('table1-blocks-out-of-order', md_report('青禾县统计局', 2024, BASE, md_lines(BASE), t1_lines=t1), e)

# table 3 after a narrative wrapped over lines (a PDF's), its counts and
# dates read as numbers: the printed row of fifteen cells is the table's
intro = ["本年度本单位因政府信息公开被申请行政复议 3 件，其中", "维持 2 件、纠正 1 件；2024 年 6 月起诉 1 件，",
         "尚在审理。", ""]
e = ok(exp_t3(T3))
write_md('appeals-row-after-wrapped-narrative', md_report('青禾县统计局', 2024, BASE, md_lines(BASE), t3_intro=intro), e)

# a report saved as CSV (Excel's "save as"): every cell of a row after a
# comma, empty cells as ",,".  A three-digit cell after another cell
# (…,112,157) is two cells, not 112157 with a thousands comma, which would
# blame the report for rows that do not add up; a quoted "1,208" is one
# number, its comma grouping thousands.
t2 = {'new_received': row(45, 0, 0, 0, 0, 112, 157), 'granted': row(45, 0, 0, 0, 0, 112, 157),
      'results_total': row(45, 0, 0, 0, 0, 112, 157)}
st = {k: '|,' + ','.join(str(v) for v in t2.get(k, [0] * 7)) for _, k in ROWS}
txt = report('松岭镇人民政府', 2024, T1, t2, T3, st).replace('行政许可 208', '行政许可,"1,208"')
e = ok(exp_rows(t2, ['new_received', 'granted', 'results_total', 'carried_forward']))
e['proactive'] = {'licensing': {'decisions': 1208}}
write('comma-separated-rows', txt, e)

# text copied from web pages: zero-width spaces (inside numbers, a label,
# the agency's name), a soft hyphen and a byte order mark in mid-file.
# They show nothing and read as nothing: taken for a space, 2<ZWSP>5 was
# two cells and the rows no longer added up (errors blamed on the report).
ZW, SHY, BOM = '\u200b', '\u00ad', '\ufeff'
t2 = {'new_received': row(25, 1, 0, 0, 0, 1, 27), 'carried_over': row(1, 0, 0, 0, 0, 0, 1),
      'granted': row(20, 1, 0, 0, 0, 1, 22), 'partially_granted': row(1, 0, 0, 0, 0, 0, 1),
      'unavailable.not_held': row(4, 0, 0, 0, 0, 0, 4), 'results_total': row(25, 1, 0, 0, 0, 1, 27),
      'carried_forward': row(1, 0, 0, 0, 0, 0, 1)}
st = {'new_received': f'2{ZW}5 1 0 0 0 1 2{ZW}7', 'results_total': f'2{ZW}5 1 0 0 0 1 27{ZW}',
      'granted': f'{ZW}20 1 0 0 0 1 22'}
txt = report('松岭' + ZW + '镇人民政府', 2024, T1, t2, T3, st)
txt = txt.replace('本年新收', '本年' + SHY + '新收').replace('\n三、收到和处理', '\n' + BOM + '三、收到和处理')
e = ok(exp_rows(t2, list(t2)))
e['agency'] = '松岭镇人民政府'
e['proactive'] = {'licensing': {'decisions': 208}}
write('invisible-characters', txt, e)

# lines indented as Chinese text is (two ideographic spaces, or a tab) and
# a title broken over two lines that each end with a tab: markdown tables
# and the title are still read as such (indented, the tables' rows were
# guessed at and the title's year lost)
txt = md_report('青禾县统计局', 2024, BASE, md_lines(BASE))
lines = txt.split('\n')
lines[0:1] = ['青禾县统计局2024年政府信息公开\t', '工作年度报告\t']
txt = '\n'.join(('\t' if i % 2 else '\u3000\u3000') + l if l else l for i, l in enumerate(lines))
e = ok(all_rows(BASE))
e['agency'] = '青禾县统计局'
e['year'] = 2024
e['proactive'] = {'normative_docs': {'issued': 5, 'repealed': 2, 'in_force': 31}, 'licensing': {'decisions': 64}}
write_md('indented-lines-and-tabbed-title', txt, e)

# a value cell that cannot be read: bytes the decoder replaced (U+FFFD),
# or the '?' a lossy conversion leaves.  It keeps its column, null and
# ambiguous with a PARSE-UNREADABLE warning; dropped, the row was one cell
# short, a "lost total" was made up and the report blamed.
t2 = {'new_received': row(25, 1, 0, 0, 0, 1, 27), 'carried_over': row(1, 0, 0, 0, 0, 0, 1),
      'granted': row(20, 1, 0, 0, 0, 1, 22), 'partially_granted': row(1, 0, 0, 0, 0, 0, 1),
      'unavailable.not_held': row(4, 0, 0, 0, 0, 0, 4), 'results_total': row(25, 1, 0, 0, 0, 1, 27),
      'carried_forward': row(1, 0, 0, 0, 0, 0, 1)}
for name, sep, mark in (('unreadable-cell-spaced', ' ', '?'), ('unreadable-cell-tab', '\t', '\ufffd')):
    lead = '|\t' if sep == '\t' else ''
    st = {k: lead + sep.join(str(v) for v in t2.get(k, [0] * 7)) for _, k in ROWS}
    st['granted'] = lead + sep.join(['20', mark, '0', '0', '0', '1', '22'])
    e = ok(exp_rows(t2, ['granted', 'results_total']))
    e['requests']['granted']['business'] = None
    e['ambiguous'] = ['requests.granted.business']
    write(name, report('松岭镇人民政府', 2024, T1, t2, T3, st), e)

# a page turned into markdown with HTML's space entities left in its
# cells ("0&nbsp;", "&nbsp;1"): they are spaces, the cells numbers (as
# no number, the row was read a cell short and the report blamed)
txt = md_report('青禾县统计局', 2024, BASE, md_lines(BASE))
txt = txt.replace('| 0 |', '| 0&nbsp; |').replace('| 1 |', '| &nbsp;1 |')
e = ok(all_rows(BASE))
write_md('html-space-entities', txt, e)

# a PDF's text with its page furniture inside the tables: footers in the
# forms Word writes ("第 3 页 共 8 页", "4 / 8", "Page 5 of 8") and, over
# each page, the running header: the report's title (with or without its
# year), its agency's line.  None is a row's value or a label: read as
# such, they split table 3's header from its values, and a row of values
# one per line, and the report was blamed for errors it does not have.
def split_title(txt):
    return txt.replace('松岭镇人民政府2024年政府信息公开工作年度报告', '松岭镇人民政府\n2024年政府信息公开工作年度报告', 1)

def furnish(txt, where):
    for before, furniture in where:
        assert '\n' + before in txt, before
        txt = txt.replace('\n' + before, '\n' + furniture + '\n' + before, 1)
    return txt

txt = furnish(split_title(report('松岭镇人民政府', 2024, T1, BASE, T3)), (
    ('第二十条第（六）项', '第 2 页 共 8 页\n松岭镇人民政府'),
    ('（三）不予公开', '第3页/共8页\n\n2024年政府信息公开工作年度报告'),
    ('5.属于三类内部事务信息', '4 / 8\n松岭镇人民政府'),
    ('结果维持 结果纠正 其他结果 尚未审结 总计 结果维持', 'Page 5 of 8\n松岭镇人民政府政府信息公开工作年度报告')))
e = ok(all_rows(BASE))
e.update(exp_t3(T3))
e['agency'] = '松岭镇人民政府'
e['year'] = 2024
e['proactive'] = {'penalty': {'decisions': 41}, 'coercion': {'decisions': 2}}
write('page-furniture-in-tables', txt, e)

st = {k: '\n\n' + '\n\n'.join(str(x) for x in BASE.get(k, [0]*7)) for k in [x[1] for x in ROWS]}
txt = split_title(report('松岭镇人民政府', 2024, T1, BASE, T3, st))
nr = '\n\n'.join(str(x) for x in BASE['new_received'])
cut = nr.index('\n\n', nr.index('\n\n') + 1)
txt = txt.replace(nr, nr[:cut] + '\n\n第 3 页 共 8 页\n\n2024年政府信息公开工作年度报告\n松岭镇人民政府' + nr[cut:], 1)
e = ok(all_rows(BASE))
write('page-furniture-one-cell-per-line', txt, e)

# the year of the title written in characters, as formal documents date
# themselves ("二〇二四年", "二零二四年"): the year and the agency before it
for name, zero in (('title-year-in-characters', '〇'), ('title-year-in-characters-ling', '零')):
    txt = report('松岭镇人民政府', 2024, T1, BASE, T3).replace(
        '松岭镇人民政府2024年政府信息公开', '松岭镇人民政府二%s二四年政府信息公开' % zero, 1)
    e = ok(exp_rows(BASE, ['results_total']))
    e['agency'] = '松岭镇人民政府'
    e['year'] = 2024
    write(name, txt, e)

# a note under a table with a date ("注：统计截至2024年12月31日", no full
# stop to make it prose): a date's digits are no values.  Read as values
# after a flattened table they made its last rows' cuts ambiguous.
t2 = copy.deepcopy(BASE)
st = {k: '|' + ''.join(str(x) for x in t2.get(k, [0]*7)) for k in [x[1] for x in ROWS]}
txt = report('松岭镇人民政府', 2024, T1, t2, T3, st).replace(
    '\n\n四、政府信息公开行政复议', '\n注：统计截至2024年12月31日\n\n四、政府信息公开行政复议', 1)
write('date-note-under-table', txt, ok(all_rows(t2)))

# section headings numbered otherwise than 一、 (第一部分, 1., （一）), as
# some agencies' house style has it: without the sections the prose was
# lost and each heading line was read as a table's stray row.  The
# numberings are the lexicon's heading_numbers (formats/).
HEADS = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
         "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
CN = "一二三四五六"

def renumber(txt, number):
    for i, h in enumerate(HEADS):
        assert '\n%s、%s\n' % (CN[i], h) in txt, h
        txt = txt.replace('\n%s、%s\n' % (CN[i], h), '\n%s%s\n' % (number(i), h), 1)
    return txt

def exp_sections(e):
    e['sections'] = [{'no': i + 1, 'title': h} for i, h in enumerate(HEADS)]
    e['sections'][0]['text'] = '2024年，本机关继续做好政府信息公开工作。'
    e['sections'][4]['text'] = '公开工作还有不足，下一步将加强培训。'
    return e

for name, number in (('headings-numbered-by-part', lambda i: '第%s部分 ' % CN[i]),
                     ('headings-numbered-by-part-colon', lambda i: '第%s部分：' % CN[i]),
                     ('headings-numbered-in-arabic', lambda i: '%d．' % (i + 1)),
                     ('headings-numbered-in-brackets', lambda i: '（%s）' % CN[i]),
                     ('headings-numeral-and-space', lambda i: '%s　' % CN[i])):
    txt = renumber(report('松岭镇人民政府', 2024, T1, BASE, T3), number)
    e = exp_sections(ok(all_rows(BASE) | exp_t3(T3)))
    write(name, txt, e)

# the tables' sections numbered anew in another style than the narrative's
# (一、..四、 of the prose, then 1. 2. 3. over the tables): each table is
# still read under its own heading text
heads = ["1.主动公开政府信息情况", "2.收到和处理政府信息公开申请情况", "3.政府信息公开行政复议、行政诉讼情况"]
e = ok(all_rows(BASE) | exp_t3(T3))
e['proactive'] = {'rules': {'issued': 0}, 'normative_docs': {'issued': 5, 'repealed': 2, 'in_force': 31}}
e['sections'] = [{'no': 1}, {'no': 2, 'title': '主动公开政府信息情况'}, {'no': 3, 'title': '收到和处理政府信息公开申请情况'},
                 {'no': 4, 'title': '政府信息公开行政复议、行政诉讼情况'}]
write_md('table-sections-renumbered-in-arabic', md_report('青禾县统计局', 2024, BASE, md_lines(BASE), heads, t1, narr), e)

# markdown from a converter that keeps bold (pandoc writes **…**): the
# title, the headings and the tables' labels and header cells in bold.
# With the stars the labels matched no row, the agency was "**青禾县…",
# and the report was blamed for the rows it seemed to lack.
def bold(line):
    if line.startswith('|') and '---' not in line:
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        return '| ' + ' | '.join('**%s**' % c if c and not c.isdigit() else c for c in cells) + ' |'
    if line.startswith('# '):
        return '# **%s**' % line[2:]
    if line[:2] in ('一、', '二、', '三、', '四、', '五、', '六、'):
        return '__%s__' % line
    return line
txt = '\n'.join(bold(l) for l in md_report('青禾县统计局', 2024, BASE, md_lines(BASE)).split('\n'))
e = ok(all_rows(BASE) | exp_t3(T3))
e['agency'] = '青禾县统计局'
e['title'] = '青禾县统计局2024年政府信息公开工作年度报告'
e['proactive'] = {'normative_docs': {'issued': 5, 'repealed': 2, 'in_force': 31}, 'licensing': {'decisions': 64}}
e['sections'] = [{'no': i + 1, 'title': h} for i, h in enumerate(HEADS)]
write_md('markdown-bold-labels-and-headings', txt, e)

# headings ending in blanks (spaces, ideographic spaces, a tab) as Word's
# text keeps them: the section's title is its text without them
txt = renumber(report('松岭镇人民政府', 2024, T1, BASE, T3), lambda i: CN[i] + '、')
for h in HEADS:
    txt = txt.replace(h + '\n', h + ' 　\t\n', 1)
write('headings-with-trailing-blanks', txt, exp_sections(ok(all_rows(BASE) | exp_t3(T3))))
