import CreditFacts
import CreditLedger
import LedgerStorage

/// The documents of a credit office's daily work: `indicators` (考核指标) and `lists` (名单), as
/// JSON (the same bytes from the command line and the server) and CSV (for Excel).
public enum OfficeDocuments {
    /// `indicators --json`: the range and its periods, each period's figures for the district and
    /// per department, the status on the last day, the intake figures, and every indicator's
    /// definition with the plans' targets.
    public static func indicators(_ report: IndicatorReport, knownAtText: String) -> JSON {
        .object([
            ("from", .string(report.from.description)), ("through", .string(report.through.description)),
            ("period", .string(report.periodKind.rawValue)), ("knownAt", .string(knownAtText)),
            ("gradingModel", .string(report.model)),
            ("deadlines", .object([
                ("regime", .string(report.deadlines.regime)),
                ("repairDecisionWorkingDays", report.deadlines.repair.decide.map { JSON.integer($0.workingDays) } ?? .null),
                ("repairDecisionSource", .optional(report.deadlines.repair.decide?.source)),
            ])),
            ("periods", .array(report.periods.map { period in
                .object([
                    ("period", .string(period.period.label)), ("from", .string(period.period.from.description)),
                    ("through", .string(period.period.through.description)),
                    ("district", figures(period.district)),
                    ("sources", sources(period.sources)),
                ])
            })),
            ("atEnd", .object([("asOf", .string(report.through.description)), ("figures", figures(report.atEnd))])),
            ("intake", .object([("district", figures(report.intake)), ("sources", sources(report.intakeBySource))])),
            ("definitions", .array(report.definitions.map(definition))),
            ("indicatorFiles", .array(report.catalogue.origins.map(JSON.string))),
        ])
    }

    /// One figure: key, value (a count, or a rate to four decimals; null when not computable), the
    /// rate's numerator and denominator, whether the first target is met, and why not computable.
    static func figure(_ f: IndicatorFigure) -> JSON {
        var fields: [(String, JSON)] = [("key", .string(f.key))]
        switch f.value {
        case .count(let count):
            fields.append(("value", .integer(count)))
        case .rate(let numerator, let denominator):
            fields += [("value", .number(f.value.number!)), ("numerator", .integer(numerator)), ("denominator", .integer(denominator))]
        case .notComputable(let reason):
            fields += [("value", .null), ("notComputable", .string(reason))]
        }
        fields.append(("targetMet", f.targetMet.map(JSON.bool) ?? .null))
        return .object(fields)
    }

    static func figures(_ list: [IndicatorFigure]) -> JSON { .array(list.map(figure)) }

    static func sources(_ list: [SourceFigures]) -> JSON {
        .array(list.map { .object([("source", .string($0.source.text)), ("figures", figures($0.figures))]) })
    }

    static func definition(_ d: IndicatorDefinition) -> JSON {
        .object([
            ("id", .string(d.id)), ("name", .string(d.name)), ("definition", .string(d.definition)),
            ("targets", .array(d.targets.map {
                .object([("target", .string($0.text)), ("plan", .string($0.plan)), ("clause", .string($0.clause))])
            })),
        ])
    }

    /// `indicators --csv`: one row per figure: period, its days, scope (`district`, a department,
    /// `atEnd`, `intake`), the figure, its name, value, numerator, denominator, the first target,
    /// whether it is met, and why a figure is not computable.
    public static func indicatorsCSV(_ report: IndicatorReport) -> CSV {
        let names = Dictionary(uniqueKeysWithValues: report.definitions.map { ($0.id, $0) })
        var table = CSV(header: ["期间 period", "起 from", "止 through", "范围 scope", "指标 figure", "名称 name", "值 value",
                                 "分子 numerator", "分母 denominator", "目标 target", "达标 met", "说明 note"])
        func add(_ label: String, _ from: LegalDate, _ through: LegalDate, _ scope: String, _ list: [IndicatorFigure]) {
            for f in list {
                var value = "", numerator = "", denominator = "", note = ""
                switch f.value {
                case .count(let count): value = String(count)
                case .rate(let n, let d): (value, numerator, denominator) = (rateText(f.value.number!), String(n), String(d))
                case .notComputable(let reason): note = reason
                }
                let definition = names[f.indicator]
                table.rows.append([label, from.description, through.description, scope, f.key, definition?.name ?? "", value, numerator,
                                   denominator, definition?.targets.first?.text ?? "", f.targetMet.map { $0 ? "是 yes" : "否 no" } ?? "", note])
            }
        }
        for period in report.periods {
            add(period.period.label, period.period.from, period.period.through, "district", period.district)
            for source in period.sources { add(period.period.label, period.period.from, period.period.through, source.source.text, source.figures) }
        }
        add("atEnd", report.through, report.through, "district", report.atEnd)
        add("intake", report.from, report.through, "district", report.intake)
        for source in report.intakeBySource { add("intake", report.from, report.through, source.source.text, source.figures) }
        return table
    }

    /// A rate as text to four decimals, as the JSON writes it.
    static func rateText(_ value: Double) -> String { JSON.number(value).text }
}

extension OfficeDocuments {
    /// `lists --list KIND --as-of D --json`: the list on the date, the entries and exits of the
    /// period, the entries that roll over or expire within the horizon, and for the red list the
    /// check against the dishonesty lists.
    public static func lists(_ report: ListsReport, knownAtText: String) -> JSON {
        .object([
            ("list", .string(report.list.rawValue)), ("asOf", .string(report.asOf.description)), ("knownAt", .string(knownAtText)),
            ("from", .string(report.from.description)), ("horizonDays", .integer(report.horizonDays)),
            ("onList", .array(report.onList.map(listRow))), ("entered", .array(report.entered.map(listRow))),
            ("exited", .array(report.exited.map(listRow))), ("rollingOver", .array(report.rollingOver.map(listRow))),
            ("expiring", .array(report.expiring.map(listRow))),
            ("redChecks", .array(report.redChecks.map { check in
                .object([("red", listRow(check.red)), ("dishonesty", .array(check.dishonesty.map { s in
                    .object([("listNo", .string(s.listNo.text)), ("list", .string(s.list.rawValue)),
                             ("onListSince", .string(s.onListSince.description))])
                }))])
            })),
        ])
    }

    /// One entry: subject, number, list, field, entry date, since when on the list, reason,
    /// deciding body, planned exit, publication, dispute, end, rollover, entry fact.
    static func listRow(_ r: ListRow) -> JSON {
        let s = r.status
        return .object([
            ("subject", .string(r.subject.description)), ("listNo", .string(s.listNo.text)), ("list", .string(s.list.rawValue)),
            ("field", .string(s.field.rawValue)), ("entered", .string(s.entered.description)),
            ("onListSince", .string(s.onListSince.description)), ("reason", .string(r.reason)),
            ("decidingBody", .string(r.decidingBody.text)), ("plannedExit", .optional(s.plannedExpiry?.description)),
            ("publishedFrom", .string(s.publishedFrom.description)), ("published", .bool(s.isPublished)),
            ("disputed", .bool(s.disputed)), ("ended", .optional(s.ended?.description)), ("endReason", .optional(s.endReason)),
            ("rollover", .optional(r.rollover?.description)), ("fact", .string(r.fact.description)),
        ])
    }

    /// `lists --csv`: one row per entry and section (`onList`, `entered`, `exited`, `rollingOver`,
    /// `expiring`, `redCheck`).
    public static func listsCSV(_ report: ListsReport) -> CSV {
        var table = CSV(header: ["分组 section", "主体 subject", "编号 listNo", "名单 list", "领域 field", "列入日期 entered",
                                 "在列起 onListSince", "事由 reason", "认定部门 decidingBody", "计划移出 plannedExit",
                                 "公示起 publishedFrom", "公示 published", "异议 disputed", "移出 ended", "移出原因 endReason",
                                 "转入严重失信 rollover", "比对 dishonesty"])
        func add(_ section: String, _ rows: [ListRow], _ note: (ListRow) -> String = { _ in "" }) {
            for r in rows {
                let s = r.status
                table.rows.append([section, r.subject.description, s.listNo.text, s.list.rawValue, s.field.rawValue, s.entered.description,
                                   s.onListSince.description, r.reason, r.decidingBody.text, s.plannedExpiry?.description ?? "",
                                   s.publishedFrom.description, s.isPublished ? "是 yes" : "否 no", s.disputed ? "是 yes" : "否 no",
                                   s.ended?.description ?? "", s.endReason ?? "", r.rollover?.description ?? "", note(r)])
            }
        }
        add("onList", report.onList)
        add("entered", report.entered)
        add("exited", report.exited)
        add("rollingOver", report.rollingOver)
        add("expiring", report.expiring)
        for check in report.redChecks {
            add("redCheck", [check.red]) { _ in check.dishonesty.map { "\($0.list.rawValue) \($0.listNo.text) since \($0.onListSince)" }.joined(separator: "; ") }
        }
        return table
    }
}

extension OfficeDocuments {
    /// `file CODE --json`: the subject's credit file: every fact in time order with its status,
    /// each fact as its interchange line (`line`, the text `export` writes), and for a person the
    /// roles held and the organisations linked.
    public static func file(_ file: SubjectFile, knownAtText: String) -> JSON {
        .object([
            ("subject", .string(file.subject.description)), ("asOf", .string(file.asOf.description)), ("knownAt", .string(knownAtText)),
            ("entries", .array(file.entries.map { entry in
                let fact = entry.fact.fact
                return .object([
                    ("effective", .string(fact.effective.description)), ("type", .string(fact.type.rawValue)),
                    ("fact", .string(fact.ref.description)), ("recorded", .string(Timestamp(entry.fact.recorded).description)),
                    ("status", .string(entry.status)), ("line", .string(FactJSONCodec.encode(fact))),
                ])
            })),
            ("roles", .array(file.roles.map {
                .object([("organisation", .string($0.organisation.description)), ("role", .string($0.role.rawValue)),
                         ("from", .string($0.from.description))])
            })),
            ("linkedOrganisations", .array(file.linkedOrganisations.map { .string($0.description) })),
        ] + NotInLedger.members(file.subject, inLedger: file.inLedger))
    }

    /// `worklist risks --json`: subjects ranked by their early-warning signals, with the records behind each.
    public static func risks(_ rows: [RiskRow], asOf date: LegalDate, knownAtText: String) -> JSON {
        .object([
            ("worklist", .string("risks")), ("asOf", .string(date.description)), ("knownAt", .string(knownAtText)),
            ("subjects", .array(rows.map { row in
                .object([("subject", .string(row.subject.description)), ("records", .integer(row.records)),
                         ("signals", .array(row.signals.map { s in
                             .object([("kind", .string(s.kind.rawValue)), ("field", .optional(s.field?.rawValue)),
                                      ("refs", .array(s.refs.map(JSON.string))), ("detail", .string(s.detail))])
                         }))])
            })),
        ])
    }
}

extension OfficeDocuments {
    /// `worklist risks --csv`: one row per signal, subjects in rank order (rank, subject, its
    /// signal and record counts repeated on each of its rows, so a filtered sheet keeps them).
    public static func risksCSV(_ rows: [RiskRow]) -> CSV {
        var table = CSV(header: ["排名 rank", "主体 subject", "信号数 signals", "记录数 records", "预警 kind", "领域 field",
                                 "记录 refs", "说明 detail"])
        for (rank, row) in rows.enumerated() {
            for s in row.signals {
                table.rows.append([String(rank + 1), row.subject.description, String(row.signals.count), String(row.records),
                                   s.kind.rawValue, s.field?.rawValue ?? "", s.refs.joined(separator: "; "), s.detail])
            }
        }
        return table
    }

    /// `file CODE --csv`: one row per fact in the file's order, with its status on the date; for a
    /// person, a row per role held and per linked organisation after the facts.
    public static func fileCSV(_ file: SubjectFile) -> CSV {
        var table = CSV(header: ["生效日期 effective", "类型 type", "事实 fact", "记录时间 recorded", "状态 status", "内容 line"])
        for entry in file.entries {
            let fact = entry.fact.fact
            table.rows.append([fact.effective.description, fact.type.rawValue, fact.ref.description,
                               Timestamp(entry.fact.recorded).description, entry.status, FactJSONCodec.encode(fact)])
        }
        for role in file.roles {
            table.rows.append([role.from.description, "role", role.organisation.description, "", role.role.rawValue, ""])
        }
        for organisation in file.linkedOrganisations {
            table.rows.append(["", "linkedOrganisation", organisation.description, "", "", ""])
        }
        return table
    }
}

extension OfficeDocuments {
    /// `grades --industries FILE --json`: the distribution per model (each as `grades --json`
    /// shows one, with the model's inspection shares) and over all subjects per level.
    public static func industryGrades(_ distribution: IndustryDistribution, map: IndustryModelMap, knownAtText: String) -> JSON {
        .object([
            ("asOf", .string(distribution.asOf.description)), ("knownAt", .string(knownAtText)),
            ("defaultModel", .string(map.models.defaultID)),
            ("industries", .object(map.byIndustry.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("models", .array(zip(distribution.byModel, map.models.models).map { byModel, model in
                QueryDocuments.grades(asOf: distribution.asOf, knownAtText: knownAtText, distribution: byModel, model: model, drawn: nil)
            })),
            ("overall", .object([
                ("subjects", .integer(distribution.overall.total)),
                ("levels", .array(distribution.overall.rows.map { row in
                    .object([("level", .string(row.level.rawValue)), ("count", .integer(row.count)),
                             ("share", .number((row.share * 10_000).rounded() / 10_000))])
                })),
            ])),
        ])
    }
}
