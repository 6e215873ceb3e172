import CreditDocuments

/// The pages of `report --format html`: the credit report and the special report, rendered from
/// the JSON documents `report --json` prints.
extension HTMLPages {
    /// The keys of the credit report's JSON that have their own section; any other key gets a
    /// section of its own after them (see ``HTMLPages/otherSections(of:handled:into:)``).
    static let creditReportKeys: Set<String> = [
        "subject", "name", "kind", "asOf", "knownAt", "grade", "publicPenalties", "unpublishedPenalties",
        "publishedListings", "unpublishedListings", "commitments", "notificationAndCommitment", "disputed",
        "repairs", "roles", "linkedRecords", "measures", "warnings",
    ]

    /// The credit report (信用报告) page: who, as of when and as known when; the grade with its
    /// reasons when the document has one; penalties public and not (and why); list entries;
    /// commitments; repairs; linked persons (masked); measures that apply and early warnings when
    /// the document has them.
    static func creditReport(_ json: JSON) -> String {
        let subject = json["subject"]?.stringValue ?? "—"
        let name = json["name"]?.stringValue
        var page = HTMLPage(title: "信用报告 Credit report — \(subject) \(name ?? "")")
        let person = json["kind"]?.stringValue == "naturalPerson"
        page.header(kicker: "信用报告 · Credit report", heading: name ?? (person ? "自然人 Natural person \(subject)" : "(no registration known)"), facts: [
            ("Subject code", subject), ("Kind", json["kind"]?.plainText ?? "—"),
            ("As of", json["asOf"]?.plainText ?? "—"), ("Known at", json["knownAt"]?.plainText ?? "—"),
        ])
        if json["disputed"]?.boolValue == true {
            page.paragraph("An objection is open: the disputed records are marked (异议处理中).", class: "notice")
        }
        if let grade = json["grade"] { gradeSection(grade, into: &page) }
        page.section("Administrative penalties 行政处罚", id: "penalties") { section in
            section.subheading("Public 公示中")
            section.table(.objects(json["publicPenalties"]?.arrayValue ?? [], omit: ["public", "whyNotPublic"]))
            section.subheading("Not public, and why 未公示")
            section.table(.objects(json["unpublishedPenalties"]?.arrayValue ?? [], omit: ["public"]))
        }
        page.section("Lists 名单", id: "lists") { section in
            section.subheading("Published 公示中")
            section.table(.objects(json["publishedListings"]?.arrayValue ?? [], omit: ["published", "why"]))
            section.subheading("Not published, and why 未公示")
            section.table(.objects(json["unpublishedListings"]?.arrayValue ?? [], omit: ["published"]))
        }
        page.section("Commitments 信用承诺", id: "commitments") { section in
            section.table(.objects(json["commitments"]?.arrayValue ?? []))
            if let eligibility = json["notificationAndCommitment"] {
                let reasons = eligibility["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
                section.paragraph("Notification and commitment (告知承诺): "
                    + (eligibility["allowed"]?.boolValue == true ? "allowed" : "not allowed — " + reasons.joined(separator: "; ")), class: "note")
            }
        }
        page.section("Repairs 信用修复", id: "repairs") { section in
            section.table(.objects(json["repairs"]?.arrayValue ?? []))
        }
        personsSection(json, into: &page)
        if let measures = json["measures"] {
            page.section("Measures that apply 联合奖惩措施", id: "measures") { section in
                value(measures.arrayValue.map { .array($0.map(measureRow)) } ?? measures, into: &section)
            }
        }
        if let warnings = json["warnings"] {
            page.section("Early warnings 风险预警", id: "warnings") { section in value(warnings, into: &section) }
        }
        otherSections(of: json, handled: creditReportKeys, into: &page)
        return page.render()
    }

    /// The special report (专项信用报告) page that replaces a certificate of no violation for one
    /// regulatory field and period: the finding, then every penalty in that field and period.
    static func specialReport(_ json: JSON) -> String {
        let subject = json["subject"]?.stringValue ?? "—"
        let field = json["field"]?.plainText ?? "—"
        var page = HTMLPage(title: "专项信用报告 Special credit report — \(subject) \(field)")
        page.header(kicker: "专项信用报告 · Special credit report (替代有无违法记录证明, replaces a certificate of no violation)",
                    heading: json["name"]?.stringValue ?? subject, facts: [
            ("Subject code", subject), ("Field", field),
            ("Period", "\(json["from"]?.plainText ?? "—") – \(json["to"]?.plainText ?? "—")"),
        ] + (json["knownAt"].map { [("Known at", $0.plainText)] } ?? []))
        page.paragraph(json["statement"]?.plainText ?? "—", class: json["clean"]?.boolValue == true ? "statement clean" : "statement found")
        page.section("Administrative penalties in the field and period 行政处罚", id: "penalties") { section in
            section.table(.objects(json["penalties"]?.arrayValue ?? []))
        }
        otherSections(of: json, handled: ["subject", "name", "field", "from", "to", "knownAt", "clean", "statement", "penalties"], into: &page)
        return page.render()
    }

    /// The grade box: level, score and whatever else the grade carries, then the reasons table.
    private static func gradeSection(_ grade: JSON, into page: inout HTMLPage) {
        page.section("Grade 信用等级", id: "grade") { section in
            guard grade.isObject else { return section.none("not graded") }
            let level = grade["level"]?.plainText ?? "—"
            let details = grade.keys.filter { !["level", "score", "reasons"].contains($0) }
                .map { Markup.element("p", [("class", "note")], text: "\(Label.of($0)): \(grade[$0]!.plainText)") }
            section.add(Markup.element("div", [("class", "grade")], Markup.joined([
                Markup.element("div", [("class", "level level-\(["A", "B", "C", "D"].contains(level) ? level : "M")")], text: level),
                Markup.element("div", Markup.joined([
                    Markup.element("div", [("class", "score")], text: "Score \(grade["score"]?.plainText ?? "—")"),
                ] + details)),
            ])))
            section.subheading("Reasons 评价依据")
            section.table(.objects(grade["reasons"]?.arrayValue ?? []) { key, value in
                key == "points" ? pointsStyle(value.numberValue ?? 0) : HTMLTable.defaultStyle(key, value)
            })
        }
    }

    /// A deduction in red, an addition in green, a condition without points plain.
    private static func pointsStyle(_ points: Double) -> String {
        points < 0 ? "num loss" : points > 0 ? "num gain" : "num"
    }

    /// A measure as a table row: its id leads the measure's text, and the trigger reads as one
    /// phrase (`abnormalOperation MD-4685-7 since 2026-03-18`, `serious penalty 沪税稽罚〔2026〕4685-5号
    /// since 2026-06-25`); other fields stay as they are.
    private static func measureRow(_ measure: JSON) -> JSON {
        guard case .object(let pairs) = measure else { return measure }
        return .object(pairs.compactMap { key, value in
            switch key {
            case "id": return nil
            case "measure": return (key, .string([measure["id"]?.stringValue, value.stringValue].compactMap { $0 }.joined(separator: " ")))
            case "trigger":
                guard value.isObject else { return (key, value) }
                let what = [value["list"]?.stringValue, value["grade"]?.stringValue.map { "grade \($0)" },
                            value["severity"]?.stringValue.map { "\($0) penalty" }, value["breach"]?.stringValue.map { "\($0) breach" }]
                    .compactMap { $0 }.joined(separator: " ")
                return (key, .string([what.isEmpty ? value["kind"]?.stringValue : what, value["ref"]?.stringValue,
                                      value["since"].map { "since \($0.plainText)" }].compactMap { $0 }.joined(separator: " ")))
            default: return (key, value)
            }
        })
    }

    /// Linked persons: the roles of an organisation and, for a person, the organisations' records
    /// linked to them. Identity numbers arrive masked and are masked again on the page.
    private static func personsSection(_ json: JSON, into page: inout HTMLPage) {
        page.section("Linked persons and records 关联人员", id: "persons") { section in
            let roles = json["roles"]?.arrayValue ?? [], linked = json["linkedRecords"]?.arrayValue ?? []
            let person = json["kind"]?.stringValue == "naturalPerson"
            if roles.isEmpty && linked.isEmpty { return section.none() }
            if !roles.isEmpty || !person {
                section.subheading("Roles 任职")
                section.table(.objects(roles))
            }
            if !linked.isEmpty || person {
                section.subheading("Records of organisations linked to this person 关联失信记录")
                section.table(.objects(linked))
            }
        }
    }
}
