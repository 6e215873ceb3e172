import CreditFacts
import CreditLedger
import LedgerStorage

/// The documents of a credit office's daily work: `indicators` (考核指标) and `lists` (名单), as
/// JSON (the same bytes from the command line and the server); their CSV tables, worded in the
/// reader's language, are CreditPages' (`PageRenderer.indicatorsCSV`, `listsCSV`).
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
            fields += [("value", .null), ("notComputable", .string(reason.text))]
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

    /// A rate as text to four decimals, as the JSON writes it.
    public static func rateText(_ value: Double) -> String { JSON.number(value).text }
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
