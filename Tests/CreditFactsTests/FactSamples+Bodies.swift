@testable import CreditFacts

extension FactSamples {
    /// A random valid fact of a random type.
    mutating func fact() -> Fact {
        let type = choice(FactType.self)
        let subject: SubjectCode = [.roleAssigned, .roleEnded].contains(type) || bool() ? .organisation(organisation()) : .person(person())
        let effective = date()
        var fact = Fact(source: SourceID(unchecked: String(int(110_000...659_999)) + "-" + pick(["SCJG", "SW", "FY", "数源"])),
                        id: FactID(unchecked: "F-" + String(int(0...Int(Int32.max)))), subject: subject, effective: effective,
                        reported: maybe { $0.timestamp() }, recorded: maybe { $0.timestamp() },
                        body: body(type, subject: subject, effective: effective), extras: extras(), bodyExtras: extras())
        if fact.validationProblem() != nil { fact.body = .honourGranted(Honour(title: text(), level: .district)) }
        return fact
    }

    mutating func body(_ type: FactType, subject: SubjectCode, effective: LegalDate) -> FactBody {
        switch type {
        case .subjectRegistered:
            let isPerson = subject.isPerson
            let kind = isPerson ? SubjectKind.naturalPerson : pick(SubjectKind.allCases.filter { $0 != .naturalPerson })
            var birth: LegalDate?
            if case .person(let id) = subject, bool() { birth = id.birthDate }
            return .subjectRegistered(SubjectRegistration(name: text(), kind: kind, region: RegionCode(unchecked: UInt32(int(110_000...659_999))),
                                                          industry: maybe { $0.text() }, birthDate: birth))
        case .subjectDeregistered: return .subjectDeregistered(SubjectDeregistration(reason: text()))
        case .roleAssigned: return .roleAssigned(RoleChange(person: person(), role: choice(Role.self)))
        case .roleEnded: return .roleEnded(RoleChange(person: person(), role: choice(Role.self)))
        case .licenceGranted:
            return .licenceGranted(LicenceGrant(decisionNo: reference(DecisionNo.self), item: text(),
                                                validUntil: maybe { $0.date(from: effective, days: 0...2000) }))
        case .penaltyDecided: return .penaltyDecided(penalty())
        case .penaltyPerformed: return .penaltyPerformed(PenaltyPerformance(decisionNo: reference(DecisionNo.self)))
        case .penaltyRevoked: return .penaltyRevoked(PenaltyRevocation(decisionNo: reference(DecisionNo.self), reason: choice(RevocationReason.self)))
        case .actRecorded:
            return .actRecorded(AdministrativeActRecord(act: choice(AdministrativeAct.self), decisionNo: reference(DecisionNo.self),
                                                        outcome: text(), negative: bool()))
        default: return otherBody(type, effective: effective)
        }
    }

    mutating func penalty() -> PenaltyDecision {
        let kinds = PenaltyKinds((0..<int(1...3)).map { _ in choice(PenaltyKind.self) })
        return PenaltyDecision(decisionNo: reference(DecisionNo.self), kinds: kinds, fine: kinds.contains(.fine) ? money() : nil,
                               procedure: choice(Procedure.self), severity: maybe { $0.choice(Severity.self) },
                               field: choice(RegulatoryField.self), legalBasis: text(),
                               directlyResponsible: maybe { s in (0..<s.int(0...3)).map { _ in s.person(born: 1950...2000) } })
    }

    mutating func otherBody(_ type: FactType, effective: LegalDate) -> FactBody {
        switch type {
        case .commitmentMade:
            return .commitmentMade(CommitmentMade(commitmentNo: reference(CommitmentNo.self), kind: choice(CommitmentKind.self),
                                                  matter: text(), dueDate: maybe { $0.date(from: effective, days: 0...400) }))
        case .commitmentFulfilled: return .commitmentFulfilled(CommitmentFulfilment(commitmentNo: reference(CommitmentNo.self)))
        case .commitmentBreached:
            return .commitmentBreached(CommitmentBreach(commitmentNo: reference(CommitmentNo.self), breach: choice(BreachKind.self),
                                                        severity: choice(Severity.self)))
        case .listEntered:
            return .listEntered(ListEntry(listNo: reference(ListNo.self), list: choice(ListKind.self), field: choice(RegulatoryField.self),
                                          reason: text(), plannedExit: maybe { $0.date(from: effective, days: 1...1100) },
                                          publishFrom: maybe { $0.date(from: effective, days: 0...90) }))
        case .listExited: return .listExited(ListExit(listNo: reference(ListNo.self), reason: choice(ListExitReason.self)))
        case .repairApplied:
            let target: RepairTarget = bool() ? .decision(reference(DecisionNo.self)) : .list(reference(ListNo.self))
            return .repairApplied(RepairApplication(repairNo: reference(RepairNo.self), target: target,
                                                    commitmentNo: maybe { $0.reference(CommitmentNo.self) }))
        case .repairDecided:
            return .repairDecided(RepairDecision(repairNo: reference(RepairNo.self), outcome: choice(RepairOutcome.self), reason: maybe { $0.text() }))
        case .objectionRaised:
            let target: ObjectionTarget = pick([.decision(reference(DecisionNo.self)), .list(reference(ListNo.self)),
                                                .commitment(reference(CommitmentNo.self))])
            return .objectionRaised(ObjectionRaised(objectionNo: reference(ObjectionNo.self), target: target, claim: text()))
        case .objectionResolved:
            return .objectionResolved(ObjectionResolution(objectionNo: reference(ObjectionNo.self), outcome: choice(ObjectionOutcome.self)))
        case .repairAccepted: return .repairAccepted(RepairAcceptance(repairNo: reference(RepairNo.self)))
        case .objectionAccepted: return .objectionAccepted(ObjectionAcceptance(objectionNo: reference(ObjectionNo.self)))
        case .honourGranted: return .honourGranted(Honour(title: text(), level: choice(HonourLevel.self)))
        case .contractPerformance:
            return .contractPerformance(ContractPerformance(contractNo: reference(ContractNo.self), outcome: choice(ContractOutcome.self),
                                                            amount: maybe { $0.money() }))
        case .evaluationPublished:
            return .evaluationPublished(Evaluation(scheme: pick(["tax", "construction"]), grade: pick(["A", "B", "M"]),
                                                   year: EvaluationYear(int(2015...2026))!))
        default:
            return .measureApplied(MeasureApplication(measureId: reference(MeasureID.self), scene: choice(MeasureScene.self),
                                                      outcome: choice(MeasureOutcome.self), caseRef: maybe { $0.text() }))
        }
    }
}
