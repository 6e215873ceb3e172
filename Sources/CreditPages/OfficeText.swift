import CreditDocuments
import CreditFacts
import CreditLedger
import LedgerStorage

/// The credit office's outputs as text for a terminal, worded like their pages (Chinese first:
/// lists, fields, stages and fact kinds in words, departments from the source directory, dates as
/// dates, instants to the second): the indicators, a list, the subject's file, the worklists and an
/// applicant's progress.
extension TextReports {
    /// The indicators: per period the district's figures (value, fraction, target met or not, name),
    /// then each department's; the status on the last day; the intake figures.
    public static func indicators(_ report: IndicatorReport, knownAt: String, wording w: Wording) -> String {
        let definitions = Dictionary(report.definitions.map { ($0.id, $0) }) { first, _ in first }
        var lines = ["\(w.text("indicatorsTitle"))\(w.colon)\(w.date(report.from)) – \(w.date(report.through))\(w.perPeriod)"
                     + "\(w.word("periodKind", report.periodKind.rawValue))\(w.comma)\(w.text("knownAt")) \(w.instant(knownAt))"]
        for period in report.periods {
            lines.append("")
            lines.append("== \(period.period.label)\(w.open)\(w.date(period.period.from)) – \(w.date(period.period.through))\(w.close)")
            for figure in period.district { lines.append(figureLine(figure, definitions, w)) }
            for source in period.sources { lines.append(sourceLine(source, definitions, w)) }
        }
        lines.append("")
        lines.append("== \(w.text("atEnd")) \(w.date(report.through))")
        for figure in report.atEnd { lines.append(figureLine(figure, definitions, w)) }
        lines.append("")
        lines.append("== \(w.text("intake"))\(w.colon)\(w.date(report.from)) – \(w.date(report.through))")
        for figure in report.intake { lines.append(figureLine(figure, definitions, w)) }
        for source in report.intakeBySource { lines.append(sourceLine(source, definitions, w)) }
        return lines.joined(separator: "\n")
    }

    /// One figure: its value (a rate with its fraction; why not, when not computable), whether it
    /// meets its target, and its name.
    private static func figureLine(_ figure: IndicatorFigure, _ definitions: [String: IndicatorDefinition], _ w: Wording) -> String {
        let met = figure.targetMet.map { "  [" + w.text($0 ? "targetMetYes" : "targetMetNo") + "]" } ?? ""
        return "  " + padded(value(figure, definitions, w), 26) + "  " + IndicatorsPage.name(figure, definitions, w) + met
    }

    /// A department's figures on one line, led by its name.
    private static func sourceLine(_ source: SourceFigures, _ definitions: [String: IndicatorDefinition], _ w: Wording) -> String {
        let name = source.source == IntakeCounters.unnamedSource ? w.text("unnamedSource") : "\(w.source(source.source))\(w.open)\(source.source.text)\(w.close)"
        return "  \(name)\(w.colon)" + source.figures.map { "\(IndicatorsPage.name($0, definitions, w)) \(value($0, definitions, w))" }
            .joined(separator: w.language == .zh ? "；" : "; ")
    }

    /// A count; a rate as a percentage (an average to two decimals) with its fraction; or why not.
    private static func value(_ figure: IndicatorFigure, _ definitions: [String: IndicatorDefinition], _ w: Wording) -> String {
        switch figure.value {
        case .count(let count): return String(count)
        case .rate(let n, let d):
            let shown = definitions[figure.indicator]?.isAverage == true ? NumberText.decimal(Double(n) / Double(d)) : NumberText.rate(Double(n) / Double(d))
            return "\(shown) (\(n)/\(d))"
        case .notComputable(let reason): return "—\(w.open)\(w.explain(reason))\(w.close)"
        }
    }

    /// `text` left-aligned in `columns` terminal columns.
    private static func padded(_ text: String, _ columns: Int) -> String {
        text + String(repeating: " ", count: max(1, columns - text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) }))
    }

    /// A list on a date: the subjects on it, the entries and exits of the period, the rollovers
    /// (abnormal operation) and planned exits ahead, and for the red list the cross-check.
    public static func lists(_ report: ListsReport, knownAt: String, wording w: Wording) -> String {
        let list = w.list(report.list), asOf = w.date(report.asOf), from = w.date(report.from)
        var lines = ["\(list)\(w.colon)\(w.text("asOf")) \(asOf)\(w.comma)\(w.text("knownAt")) \(w.instant(knownAt))"]
        section(&lines, w.text("onList"), report.onList) { entry($0, w) }
        section(&lines, "\(w.text("entered"))\(w.open)\(from) – \(asOf)\(w.close)", report.entered) { entry($0, w) }
        section(&lines, "\(w.text("exited"))\(w.open)\(from) – \(asOf)\(w.close)", report.exited) { r in
            entry(r, w) + "\(w.comma)\(w.text("col.endReason"))\(w.colon)\(r.status.endExplanation.map(w.explain) ?? r.status.endReason ?? "—")"
        }
        let horizon = "\(w.open)\(report.horizonDays) \(w.text("days"))\(w.close)"
        if report.list == .abnormalOperation {
            section(&lines, w.text("rollingOver") + horizon, report.rollingOver) { r in
                entry(r, w) + (r.rollover.map { "\(w.comma)\(w.text("col.rollover")) \(w.date($0))" } ?? "")
            }
        }
        section(&lines, w.text("expiring") + horizon, report.expiring) { entry($0, w) }
        if report.list == .red {
            section(&lines, w.text("redChecks"), report.redChecks) { check in
                entry(check.red, w) + "\(w.comma)\(w.text("col.alsoOn"))\(w.colon)"
                    + check.dishonesty.map { "\(w.list($0.list)) \($0.listNo.text) \(w.date($0.onListSince))\(w.text("since"))" }.joined(separator: w.language == .zh ? "；" : "; ")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One entry: subject, number, since when, field, deciding body, planned exit, publication,
    /// dispute, reason.
    private static func entry(_ r: ListRow, _ w: Wording) -> String {
        let s = r.status
        var parts = ["\(r.subject) \(s.listNo.text)", "\(w.date(s.onListSince))\(w.text("since"))", w.field(s.field),
                     "\(w.text("col.decidingBody")) \(w.source(r.decidingBody))"]
        if let exit = s.plannedExpiry { parts.append("\(w.text("col.plannedExpiry")) \(w.date(exit))") }
        if s.isActive { parts.append(s.isPublished ? w.text("published") : "\(w.text("notYetPublished"))\(w.open)\(w.text("publishedFrom")) \(w.date(s.publishedFrom))\(w.close)") }
        if s.disputed { parts.append(w.text("disputedMark")) }
        if !r.reason.isEmpty { parts.append("\(w.text("col.reason"))\(w.colon)\(r.reason)") }
        return parts.joined(separator: w.comma)
    }

    /// The subject's file: every fact in time order (date, kind, what, status, department and id),
    /// then for a person the roles held and the organisations linked.
    public static func file(_ file: SubjectFile, knownAt: String, wording w: Wording) -> String {
        var name: String?
        for entry in file.entries { if case .subjectRegistered(let r) = entry.fact.fact.body { name = r.name } }
        var lines = ["\(w.text("subjectFile")) — \(file.subject)\(name.map { " \($0)" } ?? "")",
                     "\(w.text("asOf")): \(w.date(file.asOf))    \(w.text("knownAt")): \(w.instant(knownAt))    \(w.text("factsInFile")): \(file.entries.count)"]
        if !file.inLedger { lines.append(w.text("notInLedger", ["subject": file.subject.description])) }
        for entry in file.entries {
            let fact = entry.fact.fact
            let detail = SubjectFilePage.detail(fact.body, w).map { " \($0)" } ?? ""
            lines.append("\(fact.effective)  \(padded(w.word("factType", fact.type.rawValue), 14))\(detail)\(w.colon)\(SubjectFilePage.status(entry.state, w))")
            lines.append("    \(w.fact(fact.ref))\(w.comma)\(w.text("col.recordedAt")) \(w.chinaStandardTime(Timestamp(entry.fact.recorded).description) ?? "—")")
        }
        if file.subject.isPerson {
            section(&lines, w.text("roles"), file.roles) { "\(w.role($0.role)) \($0.organisation) \(w.date($0.from))\(w.text("since"))" }
            section(&lines, w.text("linkedOrganisations"), file.linkedOrganisations) { $0.description }
        }
        return lines.joined(separator: "\n")
    }

    /// The open repair applications or objections, most urgent first, each stage with its deadline.
    public static func worklist(_ list: CaseWorklist, knownAt: String, wording w: Wording) -> String {
        let heading = w.text(list.kind == .repair ? "worklistRepairs" : "worklistObjections")
        var lines = ["\(heading)\(w.colon)\(w.text("asOf")) \(w.date(list.asOf))\(w.comma)\(w.text("knownAt")) \(w.instant(knownAt))",
                     "\(w.text("caseRegime"))\(w.colon)\(list.deadlines.title)",
                     "\(w.text("openCases")) \(list.cases.count)\(w.comma)\(w.text("overdueCases")) \(list.cases.filter(\.isOverdue).count)"]
        for c in list.cases { lines.append("\(c.subject)  " + caseText(c, wording: w)) }
        return lines.joined(separator: "\n")
    }

    /// An applicant's repair applications and objections, stage by stage.
    public static func progress(_ cases: [OpenCase], subject: SubjectCode, asOf date: LegalDate, deadlines: CaseDeadlines, wording w: Wording) -> String {
        (["\(w.text("progressTitle"))\(w.colon)\(subject)\(w.comma)\(w.text("asOf")) \(w.date(date))\(w.open)\(w.text("caseRegime"))\(w.colon)\(deadlines.title)\(w.close)"]
            + cases.map { caseText($0, wording: w) }).joined(separator: "\n")
    }

    /// A repair certificate (信用修复证明) as text: the applicant, the repair stage by stage, the
    /// decision's reason, the records it stopped, the facts behind it and the history it was
    /// computed from (`binding`, as the JSON's `ledger` member names it).
    public static func certificate(_ c: RepairCertificate, binding: HistoryBinding, wording w: Wording) -> String {
        var lines = ["\(w.text("repairCertificate")) " + w.text("certificateOf", ["name": c.name ?? c.subject.description,
                                                                             "code": c.subject.description, "date": w.date(c.asOf)])]
        lines.append(caseText(c.repair, wording: w))
        if let reason = c.reason { lines.append("    \(w.text("col.reason"))\(w.colon)\(reason)") }
        for s in c.stopped {
            let detail = stoppedDetail(s, w).map { "\(w.open)\($0)\(w.close)" } ?? ""
            lines.append("\(w.text("stoppedRecord"))\(w.colon)\(w.text("record." + s.kind)) \(s.number)\(detail)\(w.colon)\(w.text("stopped." + s.kind))"
                         + "\(w.comma)\(w.text("col.from")) \(w.date(s.from))")
        }
        lines.append("\(w.text("col.facts"))\(w.colon)" + c.facts.map(\.description).joined(separator: w.language == .zh ? "、" : ", "))
        lines.append(w.text("computedFrom", ["size": String(binding.head.size), "algorithm": binding.head.algorithm.rawValue, "root": "\(binding.head.root)"])
            + w.text(binding.checkpoint == nil ? "noCheckpointOfSize" : "checkpointInJSON"))
        return lines.joined(separator: "\n")
    }

    /// What a stopped record was, in words: 食品安全，决定日期 2023-12-01; nil when the views hold
    /// no such record.
    static func stoppedDetail(_ s: StoppedRecord, _ w: Wording) -> String? {
        guard let category = s.category else { return nil }
        let date = s.recordDate.map { "\(w.comma)\(w.text(s.kind == "list" ? "col.enteredOn" : "col.decided")) \(w.date($0))" } ?? ""
        return w.word(s.categoryVocabulary, category) + date
    }

    /// The record a case is against, its kind in words: 行政处罚 沪市监嘉处〔2023〕9号.
    static func record(_ target: RecordTarget, _ w: Wording) -> String {
        switch target {
        case .decision(let d): "\(w.text("record.penalty")) \(d.text)"
        case .list(let l): "\(w.text("record.list")) \(l.text)"
        case .commitment(let c): "\(w.text("record.commitment")) \(c.text)"
        }
    }

    /// One case and its stages as lines: what, against which record, its stage (overdue marked),
    /// when received, and each stage's deadline in working days with its source.
    public static func caseText(_ c: OpenCase, wording w: Wording) -> String {
        let kind = w.text(c.kind == .repair ? "caseRepair" : "caseObjection")
        let outcome = c.outcome.map { "\(w.open)\(w.word(c.kind == .repair ? "repairStatus" : "objectionOutcome", $0))\(w.close)" } ?? ""
        var lines = ["\(kind) \(c.number)\(w.colon)\(w.text("col.caseTarget")) \(record(c.record, w))\(w.comma)\(w.word("caseStage", c.stage.rawValue))\(outcome)"
            + (c.isOverdue ? "  " + (w.language == .zh ? "【\(w.text("overdue"))】" : w.text("overdue")) : "")]
        lines.append("    \(w.text("col.received")) \(w.date(c.received))")
        for deadline in [c.acceptance, c.decision].compactMap({ $0 }) {
            let stage = w.text(deadline.stage == .accepted ? "col.acceptDue" : "col.decideDue")
            let done = deadline.done.map { "\(w.text("doneOn")) \(w.date($0))" + (deadline.wasLate ? "\(w.open)\(w.text("doneLate"))\(w.close)" : "") }
                ?? w.text("notYetDone")
            let left = deadline.workingDaysLeft.map { $0 < 0 ? "\(w.comma)\(w.text("overdueBy", ["days": String(-$0)]))" : "\(w.comma)\(w.text("workingDaysLeft", ["days": String($0)]))" } ?? ""
            lines.append("    \(stage) \(deadline.due.map(w.date) ?? "—")\(w.colon)\(done)\(left)"
                + "\(w.open)\(w.text("limitText", ["days": String(deadline.limit.workingDays), "from": w.word("caseStage", deadline.limit.from.rawValue)]))\(w.colon)\(deadline.limit.source)\(w.close)")
        }
        if c.acceptance == nil, let accepted = c.accepted { lines.append("    \(w.word("caseStage", "accepted")) \(w.date(accepted))\(w.open)\(w.text("noLimit"))\(w.close)") }
        if c.decision == nil, let decided = c.decided { lines.append("    \(w.word("caseStage", "decided")) \(w.date(decided))\(w.open)\(w.text("noLimit"))\(w.close)") }
        return lines.joined(separator: "\n")
    }

    /// The risk worklist: subjects ranked by their signals, each signal in words with its records.
    public static func risks(_ rows: [RiskRow], asOf date: LegalDate, knownAt: String, wording w: Wording) -> String {
        var lines = ["\(w.text("worklistRisks"))\(w.colon)\(w.text("asOf")) \(w.date(date))\(w.comma)\(w.text("knownAt")) \(w.instant(knownAt))\(w.comma)"
                     + "\(w.text("subjectsWithSignals")) \(rows.count)"]
        for (index, row) in rows.enumerated() {
            lines.append("\(index + 1). \(row.subject)\(w.open)\(w.text("col.signalCount")) \(row.signals.count)\(w.comma)\(w.text("col.recordCount")) \(row.records)\(w.close)")
            for s in row.signals { lines.append("    \(w.warning(s.kind))\(w.colon)\(w.explain(s.explanation)) [\(s.refs.joined(separator: ", "))]") }
        }
        return lines.joined(separator: "\n")
    }
}

extension Wording {
    /// "，按" / "; by " before a period kind.
    var perPeriod: String { text("perPeriod") }
}
