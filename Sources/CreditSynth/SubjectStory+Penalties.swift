import CreditFacts

extension SubjectStory {
    /// A penalty with a realistic mix: about 30 % summary-procedure (minor), 55 % general, 15 %
    /// serious; followed by performance, sometimes an objection, a revocation or a repair.
    mutating func penalty(after start: LegalDate) {
        guard let d = later(start, 30...2200, &rng) else { return }
        // 行政处罚法 Art. 30: no penalty for a person under 14 (the ledger refuses one).
        if case .person(let person) = subject, person.age(on: d) < PenaltyDecision.minimumAgeForPenalty { return }
        let field = rng.weighted([(RegulatoryField.foodSafety, 25), (.workSafety, 15), (.fireSafety, 10), (.environment, 10),
                                  (.tax, 10), (.construction, 10), (.transport, 10), (.specialEquipment, 5), (.drugs, 3), (.other, 2)])
        let limit = subject.isPerson ? 200 : 3000
        let (kinds, fine, procedure, severity): ([PenaltyKind], Int?, Procedure, Severity) = rng.weighted([
            (([.warning], nil, .summary, .minor), 10),
            (([.fine], rng.int(50...limit), .summary, .minor), 20),
            (([.fine], rng.int(limit + 1...200_000), .ordinary, .general), 40),
            (([.fine, .confiscation], rng.int(5_000...500_000), .ordinary, .general), 15),
            (([.fine, .suspension], rng.int(50_000...2_000_000), .ordinary, .serious), 10),
            (([.licenceRevoked], nil, .ordinary, .serious), 5),
        ])
        let no = decisionNo(field == .tax ? "沪税稽罚" : "沪市监嘉处", d)
        let responsible: [CitizenIdentityNumber]? = !subject.isPerson && severity == .serious ? [person()] : nil
        let decision = PenaltyDecision(decisionNo: no, kinds: PenaltyKinds(kinds), fine: fine.map { Yuan(yuan: $0) },
                                       procedure: procedure, severity: rng.chance(0.5) ? severity : nil, field: field,
                                       legalBasis: "《\(field == .tax ? "税收征收管理法" : "食品安全法")》第\(rng.int(10...150))条",
                                       directlyResponsible: responsible)
        let source = field == .tax ? "SW" : "SCJG"
        add(.penaltyDecided(decision), on: d, source: source)
        // Suspensions and revocations run their full period (no repair, SAMR Order 45 Art. 14; 527号
        // in its fields). Market regulation's minimum is up to a year (SAMR 2021 repair measures:
        // one year in food, drugs and special equipment), so its repairs come after a year.
        penaltyFollowUps(no, decided: d, severity: severity, repairable: !kinds.contains { [.suspension, .licenceRevoked].contains($0) },
                         minimumDays: source == "SCJG" || severity == .serious ? 370 : 95)
    }

    /// Performance (80 %), revocation (3 %), objection (4 %), repair after the minimum period (25 % of
    /// performed general or serious penalties).
    mutating func penaltyFollowUps(_ no: DecisionNo, decided: LegalDate, severity: Severity, repairable: Bool = true,
                                   minimumDays: Int? = nil) {
        // An objection resolved as corrected revokes the decision: nothing follows it.
        if rng.chance(0.04), let raised = later(decided, 1...30, &rng), objection(.decision(no), raised: raised) == .corrected {
            return
        }
        if rng.chance(0.03), let revoked = later(decided, 20...200, &rng) {
            add(.penaltyRevoked(PenaltyRevocation(decisionNo: no, reason: rng.pick(RevocationReason.allCases))), on: revoked, source: "SCJG")
            return
        }
        guard rng.chance(0.8), let performed = later(decided, 5...90, &rng) else { return }
        add(.penaltyPerformed(PenaltyPerformance(decisionNo: no)), on: performed, source: "SCJG")
        guard severity != .minor, repairable, rng.chance(0.25) else { return }
        let minimumDays = minimumDays ?? (severity == .serious ? 370 : 95)
        guard let applied = later(decided.adding(days: minimumDays), 0...200, &rng), applied >= performed else { return }
        repair(.decision(no), applied: applied)
    }

    /// A repair application with its commitment, accepted the next working day and decided within
    /// 10 working days (85 % approved).
    mutating func repair(_ target: RepairTarget, applied: LegalDate) {
        let commitmentNo = CommitmentNo(unchecked: "XFCN-\(index)-\(sequence + 1)")
        add(.commitmentMade(CommitmentMade(commitmentNo: commitmentNo, kind: .repair, matter: "信用修复承诺")), on: applied, source: "FGW")
        let repairNo = RepairNo(unchecked: "XF-\(index)-\(sequence + 1)")
        add(.repairApplied(RepairApplication(repairNo: repairNo, target: target, commitmentNo: commitmentNo)), on: applied, source: "FGW")
        guard let decided = try? calendar.workingDay(rng.int(1...10), after: applied), decided <= config.end else { return }
        // Accepted (受理) the next working day: no draw, so the rest of the story is as before.
        if let accepted = try? calendar.workingDay(1, after: applied), accepted <= decided {
            add(.repairAccepted(RepairAcceptance(repairNo: repairNo)), on: accepted, source: "FGW")
        }
        let approved = rng.chance(0.85)
        add(.repairDecided(RepairDecision(repairNo: repairNo, outcome: approved ? .approved : .rejected,
                                          reason: approved ? nil : "义务尚未履行完毕")), on: decided, source: "FGW")
    }

    /// An objection accepted the next working day and resolved within 5–20 working days; returns the
    /// outcome when it was resolved.
    @discardableResult
    mutating func objection(_ target: ObjectionTarget, raised: LegalDate) -> ObjectionOutcome? {
        let no = ObjectionNo(unchecked: "YY-\(index)-\(sequence + 1)")
        add(.objectionRaised(ObjectionRaised(objectionNo: no, target: target, claim: "认定事实有误")), on: raised, source: "FGW")
        guard let resolved = try? calendar.workingDay(rng.int(5...20), after: raised), resolved <= config.end else { return nil }
        // Accepted and marked (异议标注) the next working day: no draw.
        if let accepted = try? calendar.workingDay(1, after: raised) {
            add(.objectionAccepted(ObjectionAcceptance(objectionNo: no)), on: accepted, source: "FGW")
        }
        let outcome = rng.weighted([(ObjectionOutcome.upheld, 70), (.corrected, 20), (.withdrawn, 10)])
        add(.objectionResolved(ObjectionResolution(objectionNo: no, outcome: outcome)), on: resolved, source: "FGW")
        return outcome
    }

    /// A commitment of one of the six kinds: 85 % fulfilled, 10 % breached, the rest open.
    mutating func commitment(after start: LegalDate) {
        guard let d = later(start, 0...2000, &rng) else { return }
        let no = CommitmentNo(unchecked: "CN-\(index)-\(sequence + 1)")
        let kind = rng.weighted([(CommitmentKind.approvalSubstitution, 35), (.missingDocuments, 15), (.certification, 25),
                                 (.voluntary, 15), (.industrySelfDiscipline, 5), (.repair, 5)])
        let due = d.adding(days: rng.int(10...120))
        add(.commitmentMade(CommitmentMade(commitmentNo: no, kind: kind, matter: "按期补齐材料并符合许可条件", dueDate: due)), on: d, source: "FGW")
        let outcome = rng.weighted([(0, 85), (1, 10), (2, 5)])
        if outcome == 0, let done = later(d, 1...(d.days(until: due)), &rng) {
            add(.commitmentFulfilled(CommitmentFulfilment(commitmentNo: no)), on: done, source: "FGW")
        } else if outcome == 1, let found = later(due, 1...60, &rng) {
            let breach = rng.weighted([(BreachKind.late, 60), (.false, 25), (.violated, 15)])
            add(.commitmentBreached(CommitmentBreach(commitmentNo: no, breach: breach, severity: breach == .false ? .serious : .general)),
                on: found, source: "FGW")
        }
    }

    mutating func contract(after start: LegalDate) {
        guard let d = later(start, 30...2200, &rng) else { return }
        add(.contractPerformance(ContractPerformance(contractNo: ContractNo(unchecked: "HT-\(index)-\(sequence + 1)"),
                                                     outcome: rng.chance(0.06) ? .defaulted : .performed,
                                                     amount: rng.chance(0.8) ? Yuan(fen: Int64(rng.int(100_000...500_000_000))) : nil)),
            on: d, source: "CZJ")
    }

    /// Yearly tax grades published each April for the previous year (half of the enterprises).
    mutating func evaluations(after start: LegalDate) {
        guard rng.chance(0.7) else { return }
        for year in (start.civil.year + 1)...config.end.civil.year {
            let d = LegalDate(year: year, month: 4, day: rng.int(10...28))!
            guard d > start, d <= config.end else { continue }
            add(.evaluationPublished(Evaluation(scheme: "tax", grade: rng.weighted([("A", 30), ("B", 50), ("M", 10), ("C", 7), ("D", 3)]),
                                                year: EvaluationYear(year - 1)!)), on: d, source: "SW")
        }
    }
}
