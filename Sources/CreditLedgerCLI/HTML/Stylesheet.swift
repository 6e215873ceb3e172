/// The one stylesheet every page inlines: readable on screen and on paper, no web fonts (the CJK
/// fonts of the reader's system are named first, then the generic family).
enum Stylesheet {
    /// The CSS text.
    static let css = """
    :root{--ink:#1d2733;--muted:#5b6b7c;--line:#d8dfe6;--head:#eef2f6;--bg:#f3f5f8;--accent:#1f5fa8;\
    --ok:#1e7b45;--ok-bg:#e2f2e8;--warn:#9a5b00;--warn-bg:#fff1d6;--bad:#b3261e;--bad-bg:#fbe4e2}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--ink);\
    font:15px/1.55 "Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",system-ui,sans-serif}
    main{max-width:1080px;margin:24px auto;background:#fff;padding:28px 40px 20px;border:1px solid var(--line);border-radius:6px}
    .page-head{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:8px}
    .kicker{margin:0;color:var(--accent);font-weight:600;letter-spacing:.04em}
    h1{margin:4px 0 12px;font-size:26px;line-height:1.3}
    h2{font-size:19px;margin:26px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
    h3{font-size:15px;margin:16px 0 6px;color:var(--muted)}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 18px;margin:0}
    dl.facts dt{color:var(--muted)}
    dl.facts dd{margin:0;font-variant-numeric:tabular-nums}
    .table-wrap{overflow-x:auto}
    table{border-collapse:collapse;width:100%;font-size:13.5px}
    th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
    th{background:var(--head);font-weight:600;white-space:nowrap}
    th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    td.date,td.code{white-space:nowrap;font-variant-numeric:tabular-nums}
    td.text{min-width:15em}
    td.loss{color:var(--bad);font-weight:600}
    td.gain{color:var(--ok);font-weight:600}
    tbody tr:nth-child(even){background:#fafbfc}
    .badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;white-space:nowrap}
    .badge.yes{background:var(--ok-bg);color:var(--ok)}
    .badge.no{background:var(--head);color:var(--muted)}
    .badge.warn{background:var(--warn-bg);color:var(--warn);font-weight:600}
    .badge.bad{background:var(--bad-bg);color:var(--bad);font-weight:600}
    .badge.quiet{color:var(--muted)}
    p.none{color:var(--muted);font-style:italic;margin:4px 0}
    p.note{color:var(--muted);font-size:13px}
    p.notice{background:var(--warn-bg);color:var(--warn);border-left:5px solid var(--warn);padding:8px 12px}
    p.statement{font-size:17px;padding:14px 18px;border-left:6px solid;border-radius:3px}
    p.statement.clean{background:var(--ok-bg);border-color:var(--ok)}
    p.statement.found{background:var(--warn-bg);border-color:var(--warn)}
    .grade{display:flex;gap:24px;align-items:center;border:1px solid var(--line);border-radius:6px;padding:14px 18px;margin-bottom:10px}
    .grade .level{font-size:54px;font-weight:700;width:92px;height:92px;line-height:92px;text-align:center;border-radius:8px;color:#fff}
    .grade .score{font-size:22px;font-weight:600}
    .level-A{background:#1e7b45}.level-B{background:#1f5fa8}.level-C{background:#c27c0e}.level-D{background:#b3261e}.level-M{background:#6b7785}
    .badge.level{color:#fff;font-weight:600;padding:0 10px}
    .figures{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
    .figure{flex:1 1 150px;border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:#fafbfc}
    .figure .value{display:block;font-size:24px;font-weight:700;font-variant-numeric:tabular-nums}
    .figure .label{color:var(--muted);font-size:13px}
    svg.chart{display:block;width:100%;height:auto;margin:8px 0 4px}
    svg.chart text{font-size:12px;fill:var(--ink)}
    svg.chart .axis{stroke:var(--line)}
    ol.codes{columns:4 190px;font-size:13px;font-variant-numeric:tabular-nums;margin:6px 0;padding-left:3.2em}
    footer{margin-top:28px;padding-top:10px;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
    @media print{body{background:#fff}main{border:0;margin:0;max-width:none;padding:0}}
    """
}
