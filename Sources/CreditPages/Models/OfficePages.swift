import CreditDocuments
import CreditFacts
import CreditLedger
import LedgerStorage

/// What the `indicators` template reads: the assessment indicators (考核指标) a credit office
/// submits — the district's figures per period beside each indicator's first target, the status
/// on the last day, the intake figures, the figures per department, and every indicator's
/// definition with the plans' targets. Stored properties only (`t` holds the fixed texts).
struct IndicatorsPage {
    let t: [String: String]
    let from: String, through: String, periodKind: String, knownAt: String, model: String, regime: String
    /// Summary figures: periods, figures meeting their target, figures not meeting it.
    let periodCount: String, met: String, notMet: String
    /// The district's figures: one row per figure, one column per period, then the target.
    let district: PageTable
    /// Why a figure of the district table shows a dash (one line per distinct figure and reason).
    let notComputable: [String]
    let hasNotComputable: Bool
    let atEnd: PageTable, intake: PageTable, intakeBySource: PageTable
    /// Per period, the figures of each reporting department.
    let departments: [Departments]
    let definitions: PageTable
    let indicatorFiles: String
    let title: String

    /// One period's department table.
    struct Departments {
        let period: String
        let table: PageTable
    }

    init(_ report: IndicatorReport, knownAt: String, wording w: Wording) {
        t = w.texts
        from = w.date(report.from)
        through = w.date(report.through)
        periodKind = w.word("periodKind", report.periodKind.rawValue)
        self.knownAt = w.instant(knownAt)
        model = report.model
        regime = report.deadlines.title
        let definitions = Dictionary(report.definitions.map { ($0.id, $0) }) { first, _ in first }
        let all = report.periods.flatMap(\.district) + report.atEnd + report.intake
        periodCount = NumberText.grouped(report.periods.count)
        met = NumberText.grouped(all.filter { $0.targetMet == true }.count)
        notMet = NumberText.grouped(all.filter { $0.targetMet == false }.count)
        // The district table: the figure keys in the order the first period lists them.
        let keys = report.periods.first?.district.map(\.key) ?? []
        var rows: [[PageCell]] = []
        var reasons: [String] = []
        for key in keys {
            let figures = report.periods.map { period in period.district.first { $0.key == key } }
            guard let first = figures.compactMap({ $0 }).first else { continue }
            rows.append([.plain(Self.name(first, definitions, w))]
                        + figures.map { $0.map { Self.cell($0, definitions) } ?? .missing }
                        + [.plain(definitions[first.indicator]?.targets.first?.text ?? "—")])
            for case let figure? in figures {
                if case .notComputable(let reason) = figure.value {
                    let line = "\(Self.name(figure, definitions, w))\(w.colon)\(w.explain(reason))"
                    if !reasons.contains(line) { reasons.append(line) }
                }
            }
        }
        district = PageTable(columns: [(w.text("col.indicator"), false)] + report.periods.map { ($0.period.label, true) } + [(w.text("col.target"), false)],
                             rows: rows, wording: w)
        notComputable = reasons
        hasNotComputable = !reasons.isEmpty
        atEnd = Self.figureTable(report.atEnd, definitions, w)
        intake = Self.figureTable(report.intake, definitions, w)
        intakeBySource = Self.sourceTable(report.intakeBySource, definitions, w)
        departments = report.periods.filter { !$0.sources.isEmpty }.map { period in
            Departments(period: "\(period.period.label)\(w.open)\(w.date(period.period.from)) – \(w.date(period.period.through))\(w.close)",
                        table: Self.sourceTable(period.sources, definitions, w))
        }
        self.definitions = PageTable(report.definitions.map { d in
            [("indicator", .plain(d.name)), ("definition", .text(d.definition)),
             ("targets", .list(d.targets.map { "\($0.text)\(w.open)\($0.plan) \($0.clause)\(w.close)" }))]
        }, wording: w)
        indicatorFiles = report.catalogue.origins.joined(separator: "; ")
        title = "\(w.text("indicatorsTitle")) — \(from) – \(through)"
    }

    /// A figure's name: its indicator's name in the catalogue, and the part of it (`listEntries.red`:
    /// the red list; `repairs.approved`: approved) in words.
    static func name(_ figure: IndicatorFigure, _ definitions: [String: IndicatorDefinition], _ w: Wording) -> String {
        let name = definitions[figure.indicator]?.name ?? figure.indicator
        guard let dot = figure.key.firstIndex(of: "."), figure.key[..<dot] == figure.indicator else { return name }
        let part = String(figure.key[figure.key.index(after: dot)...])
        return "\(name) · " + (ListKind(rawValue: part).map(w.list) ?? w.word("figurePart", part))
    }

    /// A figure's value: a count grouped, a share as a percentage, an average to two decimals, a
    /// dash when not computable; green when it meets its target, red when it does not.
    static func cell(_ figure: IndicatorFigure, _ definitions: [String: IndicatorDefinition]) -> PageCell {
        let style = figure.targetMet.map { $0 ? "num gain" : "num loss" } ?? "num"
        switch figure.value {
        case .count(let count): return .number(count, style: style)
        case .rate(let n, let d) where definitions[figure.indicator]?.isAverage == true:
            return .figure(NumberText.decimal(Double(n) / Double(d)), style: style, csv: OfficeDocuments.rateText(Double(n) / Double(d)))
        case .rate(let n, let d): return .figure(NumberText.rate(Double(n) / Double(d)), style: style, csv: OfficeDocuments.rateText(Double(n) / Double(d)))
        case .notComputable: return .missing
        }
    }

    /// Figures one per row: name, value, numerator and denominator, first target, whether it is met.
    static func figureTable(_ figures: [IndicatorFigure], _ definitions: [String: IndicatorDefinition], _ w: Wording) -> PageTable {
        PageTable(figures.map { f in
            var fraction: PageCell = .missing
            if case .rate(let n, let d) = f.value { fraction = .plain("\(NumberText.grouped(n)) / \(NumberText.grouped(d))") }
            var note: PageCell = .missing
            if case .notComputable(let reason) = f.value { note = .text(w.explain(reason)) }
            return [("indicator", .plain(name(f, definitions, w))), ("value", cell(f, definitions)), ("fraction", fraction),
                    ("target", .plain(definitions[f.indicator]?.targets.first?.text ?? "—")),
                    ("targetMet", f.targetMet.map { .met($0, w) } ?? .missing), ("note", note)]
        }, wording: w)
    }

    /// Departments one per row (named by the source directory, the code beside), figures one per column.
    static func sourceTable(_ sources: [SourceFigures], _ definitions: [String: IndicatorDefinition], _ w: Wording) -> PageTable {
        var keys: [IndicatorFigure] = []
        for source in sources { for f in source.figures where !keys.contains(where: { $0.key == f.key }) { keys.append(f) } }
        let rows: [[PageCell]] = sources.map { source in
            let unnamed = source.source == IntakeCounters.unnamedSource
            return [unnamed ? .plain(w.text("unnamedSource")) : .plain(w.source(source.source)), unnamed ? .missing : .text(source.source.text)]
                + keys.map { key in source.figures.first { $0.key == key.key }.map { cell($0, definitions) } ?? .missing }
        }
        return PageTable(columns: [(w.text("col.source"), false), (w.text("col.code"), false)] + keys.map { (name($0, definitions, w), true) },
                         rows: rows, wording: w)
    }
}

/// What the `lists` template reads: one list as a clerk works it on a date (名单) — the subjects on
/// it, the entries and exits of the period, the entries that roll over or expire within the
/// horizon, and for the red list those whose subject stands on a dishonesty list too.
struct ListsPage {
    let t: [String: String]
    let list: String, asOf: String, from: String, horizon: String, knownAt: String
    let onListCount: String, enteredCount: String, exitedCount: String, rollingOverCount: String, expiringCount: String, redCheckCount: String
    let onList: PageTable, entered: PageTable, exited: PageTable, rollingOver: PageTable, expiring: PageTable, redChecks: PageTable
    /// Whether the list rolls over (abnormal operation) and whether it is the red list.
    let rolls: Bool, isRed: Bool
    let title: String

    init(_ report: ListsReport, knownAt: String, wording w: Wording) {
        t = w.texts
        list = w.list(report.list)
        asOf = w.date(report.asOf)
        from = w.date(report.from)
        horizon = NumberText.grouped(report.horizonDays)
        self.knownAt = w.instant(knownAt)
        onListCount = NumberText.grouped(report.onList.count)
        enteredCount = NumberText.grouped(report.entered.count)
        exitedCount = NumberText.grouped(report.exited.count)
        rollingOverCount = NumberText.grouped(report.rollingOver.count)
        expiringCount = NumberText.grouped(report.expiring.count)
        redCheckCount = NumberText.grouped(report.redChecks.count)
        onList = Self.table(report.onList, w)
        entered = Self.table(report.entered, w)
        exited = Self.table(report.exited, omitting: ["plannedExpiry", "published"], w)
        rollingOver = Self.table(report.rollingOver, w)
        expiring = Self.table(report.expiring, w)
        redChecks = PageTable(report.redChecks.map { check in
            Self.cells(check.red, w).filter { ["subject", "listNo", "onListSince", "decidingBody"].contains($0.0) }
                + [("alsoOn", .list(check.dishonesty.map { "\(w.list($0.list)) \($0.listNo.text) \(w.text("since")) \(w.date($0.onListSince))" }))]
        }, wording: w)
        rolls = report.list == .abnormalOperation
        isRed = report.list == .red
        title = "\(list) — \(asOf)"
    }

    /// Entries one per row; `omitting` leaves columns out by key.
    static func table(_ rows: [ListRow], omitting: Set<String> = [], _ w: Wording) -> PageTable {
        PageTable(rows.map { cells($0, w) }, omitting: omitting, wording: w)
    }

    /// One entry: subject, number, field, entry date, since when on the list, reason, deciding body,
    /// planned exit, publication, dispute; its end and why, and its rollover date, when it has them.
    static func cells(_ r: ListRow, _ w: Wording) -> [(String, PageCell)] {
        let s = r.status
        var cells: [(String, PageCell)] = [
            ("subject", .text(r.subject.description)), ("listNo", .text(s.listNo.text)), ("field", .plain(w.field(s.field))),
            ("enteredOn", .date(s.entered)), ("onListSince", .date(s.onListSince)), ("reason", .text(r.reason.isEmpty ? nil : r.reason)),
            ("decidingBody", .plain(w.source(r.decidingBody))), ("plannedExpiry", .date(s.plannedExpiry)),
            ("published", s.isActive && !s.isPublished ? .plain("\(w.flag(false))\(w.open)\(w.text("publishedFrom")) \(s.publishedFrom)\(w.close)")
                : .flag(s.isPublished, w)),
            ("disputed", .disputed(s.disputed, w)),
        ]
        if let ended = s.ended { cells += [("ended", .date(ended)), ("endReason", .text(s.endExplanation.map(w.explain) ?? s.endReason))] }
        if let rollover = r.rollover { cells.append(("rollover", .date(rollover))) }
        return cells
    }
}

/// What the `subject-file` template reads: the subject's credit file (信用档案, 一企一档 / 一人一档) —
/// every fact recorded about it in time order with its status as of the date, and for a person the
/// roles held and the organisations linked.
struct SubjectFilePage {
    let t: [String: String]
    let subject: String, name: String?, kind: String?, asOf: String, knownAt: String, count: String
    let notInLedger: String?
    let entries: PageTable, roles: PageTable
    let isPerson: Bool
    let linkedOrganisations: [String]
    let hasLinked: Bool
    let title: String

    init(_ file: SubjectFile, knownAt: String, wording w: Wording) {
        t = w.texts
        subject = file.subject.description
        var registration: SubjectRegistration?
        for entry in file.entries { if case .subjectRegistered(let r) = entry.fact.fact.body { registration = r } }
        name = registration?.name
        isPerson = file.subject.isPerson
        kind = registration.map { w.kind($0.kind) } ?? (isPerson ? w.kind(.naturalPerson) : nil)
        asOf = w.date(file.asOf)
        self.knownAt = w.instant(knownAt)
        count = NumberText.grouped(file.entries.count)
        notInLedger = file.inLedger ? nil : w.text("notInLedger", ["subject": subject])
        entries = PageTable(file.entries.map { entry in
            let fact = entry.fact.fact
            return [("factDate", .date(fact.effective)), ("factType", .text(w.word("factType", fact.type.rawValue))),
                    ("detail", .text(Self.detail(fact.body, w))), ("status", .text(Self.status(entry.state, w))),
                    ("source", .plain(w.fact(fact.ref))), ("recordedAt", .plain(w.chinaStandardTime(Timestamp(entry.fact.recorded).description) ?? "—"))]
        }, wording: w)
        roles = PageTable(file.roles.map { role in
            [("organisation", .text(role.organisation.description)), ("role", .plain(w.role(role.role))), ("from", .date(role.from))]
        }, wording: w)
        linkedOrganisations = file.linkedOrganisations.map(\.description)
        hasLinked = !linkedOrganisations.isEmpty
        title = "\(w.text("subjectFile")) — \(name ?? subject)"
    }

    /// What a fact is about, in a few words: the decision, list entry, commitment, repair or
    /// objection number (with the outcome of a decision or an exit's reason); the registered name;
    /// a role and its holder (masked); an honour, contract or evaluation; nil for the others
    /// (their type says it).
    static func detail(_ body: FactBody, _ w: Wording) -> String? {
        switch body {
        case .subjectRegistered(let r): r.name
        case .roleAssigned(let r), .roleEnded(let r): "\(w.role(r.role)) \(r.person.masked)"
        case .penaltyDecided(let p): "\(p.decisionNo.text) \(w.field(p.field))"
        case .licenceGranted(let l): "\(l.decisionNo.text) \(l.item)"
        case .listEntered(let l): "\(w.list(l.list)) \(l.listNo.text)"
        case .commitmentMade(let c): "\(w.commitment(c.kind)) \(c.commitmentNo.text)"
        case .repairApplied(let r): r.repairNo.text
        case .repairAccepted(let r): r.repairNo.text
        case .repairDecided(let r): "\(r.repairNo.text) \(w.repairStatus(r.outcome.rawValue))"
        case .objectionRaised(let o): o.objectionNo.text
        case .objectionAccepted(let o): o.objectionNo.text
        case .objectionResolved(let o): "\(o.objectionNo.text) \(w.word("objectionOutcome", o.outcome.rawValue))"
        case .penaltyPerformed(let p): p.decisionNo.text
        case .penaltyRevoked(let p): p.decisionNo.text
        case .listExited(let l): "\(l.listNo.text) \(w.word("listExit", l.reason.rawValue))"
        case .commitmentFulfilled(let c): c.commitmentNo.text
        case .commitmentBreached(let c): c.commitmentNo.text
        case .honourGranted(let h): "\(h.title)\(w.open)\(w.word("honourLevel", h.level.rawValue))\(w.close)"
        case .contractPerformance(let c): "\(c.contractNo.text) \(w.word("contractOutcome", c.outcome.rawValue))"
        case .evaluationPublished(let e): "\(e.scheme) \(e.year) \(e.grade)"
        default: nil
        }
    }

    /// A fact's status on the file's date, in words.
    static func status(_ state: FileStatus, _ w: Wording) -> String {
        switch state {
        case .recorded:
            return w.text("fileRecorded")
        case .penalty(let p):
            var parts = [w.status(p.status), w.severity(p.severity)]
            if p.isPublic, let end = p.publicityEnd {
                parts.append("\(w.text("publicUntil")) \(w.date(end))")
            } else if let why = p.notPublicExplanation {
                parts.append("\(w.text("col.whyNotPublic"))\(w.colon)\(w.explain(why))")
            }
            if p.disputed { parts.append(w.text("disputedMark")) }
            return parts.joined(separator: w.comma)
        case .listings(let statuses):
            return statuses.map { s in
                s.isActive
                    ? w.text("onListSince", ["list": w.list(s.list), "date": w.date(s.onListSince)])
                        + w.comma + (s.isPublished ? w.text("published") : w.text("notYetPublished"))
                        + (s.plannedExpiry.map { "\(w.comma)\(w.text("col.plannedExpiry")) \(w.date($0))" } ?? "")
                    : w.text("offList", ["list": w.list(s.list)]) + w.colon + (s.endExplanation.map(w.explain) ?? s.endReason ?? "")
            }.joined(separator: w.language == .zh ? "；" : "; ")
        case .licence(let l):
            return w.word("licenceState", l.state.rawValue) + (l.since.map { " \(w.date($0))" } ?? "")
                + (l.revokedBy.map { "\(w.open)\($0)\(w.close)" } ?? "")
        case .commitment(let status):
            return w.status(status)
        case .repair(let applied, let outcome, let decided):
            guard let outcome, let decided else { return w.text("pendingSince", ["date": w.date(applied)]) }
            return "\(w.repairStatus(outcome.rawValue))\(w.open)\(w.date(decided))\(w.close)"
        case .objection(let raised, let outcome, let resolved):
            guard let outcome, let resolved else { return w.text("openSince", ["date": w.date(raised)]) }
            return "\(w.word("objectionOutcome", outcome.rawValue))\(w.open)\(w.date(resolved))\(w.close)"
        }
    }
}

/// What the `worklist` template reads: the open repair applications or objections of a credit
/// office on a date, most urgent first, each stage with its deadline in working days under the
/// regime named.
struct WorklistPage {
    let t: [String: String]
    let heading: String, asOf: String, knownAt: String, regime: String, deadlineSource: String?
    let open: String, overdue: String
    let cases: PageTable
    let title: String

    init(_ list: CaseWorklist, knownAt: String, wording w: Wording) {
        t = w.texts
        heading = w.text(list.kind == .repair ? "worklistRepairs" : "worklistObjections")
        asOf = w.date(list.asOf)
        self.knownAt = w.instant(knownAt)
        regime = list.deadlines.title
        deadlineSource = list.deadlineSource
        open = NumberText.grouped(list.cases.count)
        overdue = NumberText.grouped(list.cases.filter(\.isOverdue).count)
        cases = WorklistPage.table(list.cases, w)
        title = "\(heading) — \(asOf)"
    }

    /// Cases one per row: applicant, number, record, stage, dates, each deadline and the working
    /// days left (a red badge when overdue).
    static func table(_ cases: [OpenCase], _ w: Wording) -> PageTable {
        PageTable(cases.map { c in
            [("subject", .text(c.subject.description)), ("caseNo", .text(c.number)), ("caseTarget", .text(TextReports.record(c.record, w))),
             ("stage", c.isOverdue ? .badge(w.word("caseStage", c.stage.rawValue), "bad") : .plain(w.word("caseStage", c.stage.rawValue))),
             ("received", .date(c.received)), ("acceptDue", deadline(c.acceptance, done: c.accepted, w)),
             ("decideDue", deadline(c.decision, done: c.decided, w)), ("workingDaysLeft", daysLeft(c.workingDaysLeft, w)),
             ("outcome", .text(c.outcome.map { w.word(c.kind == .repair ? "repairStatus" : "objectionOutcome", $0) }))]
        }, wording: w)
    }

    /// A stage's due date, and when it was done (late or not), or a dash without a limit.
    static func deadline(_ d: StageDeadline?, done: LegalDate?, _ w: Wording) -> PageCell {
        guard let d else { return done.map { .plain("\(w.text("doneOn")) \($0)") } ?? .missing }
        let due = d.due?.description ?? "—"
        if let done = d.done { return d.wasLate ? .badge("\(due)\(w.open)\(w.text("doneLate")) \(done)\(w.close)", "warn") : .plain("\(due) ✓") }
        return d.isOverdue ? .badge(due, "bad") : .date(d.due)
    }

    /// Working days left to the decision (a red badge with the days overdue when past it).
    static func daysLeft(_ days: Int?, _ w: Wording) -> PageCell {
        guard let days else { return .missing }
        return days < 0 ? .badge(w.text("overdueBy", ["days": String(-days)]), "bad") : .number(days)
    }
}

/// What the `risks` template reads: the district's early-warning signals on a date (风险预警),
/// subjects ranked by their signals, with the records behind each.
struct RisksPage {
    let t: [String: String]
    let asOf: String, knownAt: String, subjects: String, signals: String
    let rows: PageTable
    let title: String

    init(_ rows: [RiskRow], asOf date: LegalDate, knownAt: String, wording w: Wording) {
        t = w.texts
        asOf = w.date(date)
        self.knownAt = w.instant(knownAt)
        subjects = NumberText.grouped(rows.count)
        signals = NumberText.grouped(rows.reduce(0) { $0 + $1.signals.count })
        self.rows = PageTable(rows.enumerated().map { index, row in
            [("rank", .number(index + 1)), ("subject", .text(row.subject.description)), ("signalCount", .number(row.signals.count)),
             ("recordCount", .number(row.records)),
             ("signals", .list(row.signals.map { "\(w.warning($0.kind))\(w.colon)\(w.explain($0.explanation))" })),
             ("refs", .list(row.signals.flatMap(\.refs)))]
        }, wording: w)
        title = "\(w.text("worklistRisks")) — \(asOf)"
    }
}
