import CreditFacts

extension SubjectStory {
    /// List entries and exits: abnormal operation (organisations), serious dishonesty, key attention,
    /// red and whitelist (only for subjects on no dishonesty list), judgment defaulters with a grace
    /// period (adults only), with high-consumption measures applied to defaulters.
    mutating func lists(after start: LegalDate) {
        var dishonest = false
        if !subject.isPerson, rng.chance(0.05) { dishonest = listing(.abnormalOperation, after: start, exitAfter: 30...500, exitChance: 0.7) || dishonest }
        if rng.chance(0.005) { dishonest = listing(.seriousDishonesty, after: start, exitAfter: 370...1095, exitChance: 0.5) || dishonest }
        if rng.chance(0.01) { dishonest = listing(.keyAttention, after: start, exitAfter: 180...730, exitChance: 0.8) || dishonest }
        if rng.chance(0.01) { dishonest = defaulter(after: start) || dishonest }
        if !dishonest, rng.chance(0.02) { _ = listing(.red, after: start, exitAfter: 365...1095, exitChance: 0.3) }
        if !dishonest, !subject.isPerson, rng.chance(0.01) { _ = listing(.financingWhitelist, after: start, exitAfter: 365...730, exitChance: 0.3) }
    }

    /// Enters `list` and maybe exits it; returns whether an entry was made.
    mutating func listing(_ list: ListKind, after start: LegalDate, exitAfter: ClosedRange<Int>, exitChance: Double) -> Bool {
        guard let d = later(start, 30...2000, &rng) else { return false }
        let no = ListNo(unchecked: "MD-\(index)-\(sequence + 1)")
        let field: RegulatoryField = list == .abnormalOperation ? .other : rng.pick([.foodSafety, .workSafety, .tax, .other])
        add(.listEntered(ListEntry(listNo: no, list: list, field: field, reason: reason(for: list))), on: d, source: list == .red ? "FGW" : "SCJG")
        if rng.chance(0.03), let raised = later(d, 1...30, &rng) { objection(.list(no), raised: raised) }
        if rng.chance(exitChance), let out = later(d, exitAfter, &rng) {
            let why: ListExitReason = list == .abnormalOperation ? .performed : (rng.chance(0.5) ? .expired : .earlyRemoval)
            add(.listExited(ListExit(listNo: no, reason: why)), on: out, source: list == .red ? "FGW" : "SCJG")
        }
        return list != .red && list != .financingWhitelist
    }

    func reason(for list: ListKind) -> String {
        switch list {
        case .abnormalOperation: "未按规定期限公示年度报告"
        case .seriousDishonesty: "受到较重行政处罚，情节严重"
        case .keyAttention: "屡罚屡犯"
        case .judgmentDefaulter: "有履行能力而拒不履行生效法律文书确定义务"
        case .red: "守信激励"
        case .financingWhitelist: "融资信用良好"
        }
    }

    /// A judgment-defaulter listing: published after a 1–3 month grace period, planned exit after two
    /// years; minors are never listed.
    mutating func defaulter(after start: LegalDate) -> Bool {
        guard let d = later(start, 60...2000, &rng) else { return false }
        if case .person(let id) = subject, id.isMinor(on: d) { return false }
        let no = ListNo(unchecked: "(\(d.civil.year))沪0114执\(index)-\(sequence + 1)号")
        add(.listEntered(ListEntry(listNo: no, list: .judgmentDefaulter, field: .other, reason: reason(for: .judgmentDefaulter),
                                   plannedExit: d.adding(months: 24), publishFrom: d.adding(months: rng.int(1...3)))),
            on: d, source: "FY")
        if let applied = later(d, 30...300, &rng) {
            add(.measureApplied(MeasureApplication(measureId: MeasureID(unchecked: "M-HIGH-CONSUMPTION"), scene: .highConsumption,
                                                   outcome: .applied, caseRef: no.text)), on: applied, source: "FY")
        }
        if rng.chance(0.6), let out = later(d, 90...730, &rng) {
            add(.listExited(ListExit(listNo: no, reason: rng.pick([.performed, .courtDeleted, .expired]))), on: out, source: "FY")
        }
        return true
    }
}
