import CreditDocuments

/// The statistics pages: data quality (`quality --html`), the grade distribution (`grades
/// --html`) and penetration coverage (`penetration --html`), each with a simple inline-SVG chart.
extension HTMLPages {
    /// The data-quality page (信息归集质量): summary figures, the on-time rate per source as a bar
    /// chart, the per-source table, refusals by reason and code conflicts.
    static func quality(_ json: JSON) -> String {
        let sources = json["sources"]?.arrayValue ?? []
        var page = HTMLPage(title: "数据质量 Data quality — \(json["asOf"]?.plainText ?? "")")
        page.header(kicker: "数据质量 · Data quality", heading: "Data quality per source", facts: [
            ("As of", json["asOf"]?.plainText ?? "—"),
        ] + (json["knownAt"].map { [("Known at", $0.plainText)] } ?? []) + [
            ("Rule", "on time = reported within the regime's working days of the effective date (holiday calendar)"),
        ])
        let total = { (key: String) in sources.reduce(0) { $0 + ($1[key]?.integerValue ?? 0) } }
        let byReason = json["refused"]?["byReason"]
        let refused = byReason?.keys.reduce(0) { $0 + (byReason?[$1]?.integerValue ?? 0) } ?? 0
        let judged = total("onTime") + total("late")
        page.figures([
            ("facts", NumberText.grouped(total("facts"))),
            ("on time, all sources", judged == 0 ? "—" : NumberText.percent(Double(total("onTime")) / Double(judged))),
            ("duplicates received", json["duplicates"]?.plainText ?? "—"),
            ("refused lines", NumberText.grouped(refused)),
            ("code conflicts", NumberText.grouped(json["codeConflicts"]?.arrayValue?.count ?? 0)),
        ])
        page.section("On-time rate per source 及时率", id: "on-time") { section in
            let bars = sources.compactMap { source -> SVGChart.Bar? in
                guard let rate = source["onTimeRate"]?.numberValue else { return nil }
                return SVGChart.Bar(label: source["source"]?.plainText ?? "—", value: rate,
                                    caption: NumberText.percent(rate) + "  (\(source["late"]?.plainText ?? "0") late)")
            }
            if bars.isEmpty { return section.none() }
            section.add(SVGChart.bars(bars, maximum: 1, title: "On-time rate per source") { NumberText.percent($0, decimals: 0) })
            if bars.count < sources.count {
                section.paragraph("Sources without a bar had no facts judged on time or late.", class: "note")
            }
        }
        page.section("Sources 报送单位", id: "sources") { section in
            section.table(.objects(sources, percent: ["onTimeRate"]))
        }
        page.section("Refused lines by reason 退回", id: "refused") { section in
            section.table(HTMLTable(columns: ["Reason", "Lines"], rows: (byReason?.keys ?? []).map { key in
                [.init(text: key), .init(text: byReason?[key]?.plainText ?? "—", style: "num")]
            }, numeric: [1]))
        }
        page.section("Code conflicts (one code, several names) 重码", id: "conflicts") { section in
            section.table(.objects(json["codeConflicts"]?.arrayValue ?? []))
        }
        otherSections(of: json, handled: ["asOf", "knownAt", "sources", "duplicates", "refused", "codeConflicts"], into: &page)
        return page.render()
    }

    /// The grade-distribution page (信用分级分类): subjects per level as a bar chart, and the table
    /// with each level's share, inspection share (supervision frequency) and how many were drawn.
    static func grades(_ json: JSON) -> String {
        let levels = json["levels"]?.arrayValue ?? []
        var page = HTMLPage(title: "信用等级分布 Grade distribution — \(json["asOf"]?.plainText ?? "")")
        page.header(kicker: "信用分级分类监管 · Grade distribution", heading: "Grades and supervision frequency", facts: [
            ("As of", json["asOf"]?.plainText ?? "—"), ("Known at", json["knownAt"]?.plainText ?? "—"),
            ("Grading model", json["model"]?.plainText ?? "—"), ("Subjects graded", json["subjects"]?.plainText ?? "—"),
        ])
        page.section("Subjects per grade 等级分布", id: "distribution") { section in
            let maximum = levels.compactMap { $0["count"]?.numberValue }.max() ?? 0
            if levels.isEmpty { return section.none() }
            section.add(SVGChart.bars(levels.map { level in
                let name = level["level"]?.plainText ?? "—"
                return SVGChart.Bar(label: name, value: level["count"]?.numberValue ?? 0,
                                    caption: (level["count"]?.plainText ?? "—") + (level["share"]?.numberValue.map { "  (\(NumberText.percent($0)))" } ?? ""),
                                    colour: levelColour(name))
            }, maximum: maximum, title: "Subjects per grade") { NumberText.grouped(Int($0.rounded())) })
        }
        page.section("Grades 等级", id: "levels") { section in
            section.table(.objects(levels, percent: ["share", "inspectionShare"]) { key, value in
                key == "level" ? "level level-\(value.plainText)" : HTMLTable.defaultStyle(key, value)
            })
        }
        if let draw = json["draw"], draw.isObject {
            page.section("Random inspection draw 双随机抽查", id: "draw") { section in
                let subjects = draw["subjects"]?.arrayValue?.map(\.plainText) ?? []
                section.paragraph("Seed \(draw["seed"]?.plainText ?? "—"): \(NumberText.grouped(subjects.count)) subjects drawn; "
                    + "the same seed, date and ledger draw the same subjects.", class: "note")
                section.list(subjects, class: "codes")
            }
        }
        otherSections(of: json, handled: ["asOf", "knownAt", "model", "subjects", "levels", "draw"], into: &page)
        return page.render()
    }

    /// The penetration page (穿透式监管): the coverage figure and bar (dishonesty records of
    /// organisations linked to the persons responsible), and the data gaps, each with its reason.
    static func penetration(_ json: JSON) -> String {
        let coverage = json["coverage"]?.numberValue
        var page = HTMLPage(title: "穿透式监管 Penetration coverage — \(json["asOf"]?.plainText ?? "")")
        page.header(kicker: "穿透式监管 · Penetration coverage", heading: "Dishonesty records linked to responsible persons", facts: [
            ("As of", json["asOf"]?.plainText ?? "—"),
        ] + (json["knownAt"].map { [("Known at", $0.plainText)] } ?? []))
        page.figures([
            ("coverage", coverage.map { NumberText.percent($0) } ?? "—"),
            ("records that need a link", json["records"]?.plainText ?? "—"),
            ("linked", json["linked"]?.plainText ?? "—"),
            ("data gaps", NumberText.grouped(json["unlinked"]?.arrayValue?.count ?? 0)),
        ])
        page.section("Coverage 穿透率", id: "coverage") { section in
            guard let coverage else { return section.none("no records need a link") }
            section.add(SVGChart.progress(coverage, title: "Coverage",
                                          caption: "\(NumberText.percent(coverage)) — \(json["linked"]?.plainText ?? "—") of \(json["records"]?.plainText ?? "—") records linked"))
        }
        page.section("Data gaps: records not linked 未穿透记录", id: "gaps") { section in
            section.table(.objects(json["unlinked"]?.arrayValue ?? []))
        }
        otherSections(of: json, handled: ["asOf", "knownAt", "records", "linked", "coverage", "unlinked"], into: &page)
        return page.render()
    }

    /// A grade's bar colour, matching the grade box of the credit report.
    private static func levelColour(_ level: String) -> String {
        switch level {
        case "A": SVGChart.Palette.ok
        case "B": SVGChart.Palette.accent
        case "C": SVGChart.Palette.warn
        case "D": SVGChart.Palette.bad
        default: SVGChart.Palette.muted
        }
    }
}
