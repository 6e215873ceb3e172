extension FactBody {
    /// The fact type of this body.
    public var type: FactType {
        switch self {
        case .subjectRegistered: .subjectRegistered
        case .subjectDeregistered: .subjectDeregistered
        case .roleAssigned: .roleAssigned
        case .roleEnded: .roleEnded
        case .licenceGranted: .licenceGranted
        case .penaltyDecided: .penaltyDecided
        case .penaltyPerformed: .penaltyPerformed
        case .penaltyRevoked: .penaltyRevoked
        case .actRecorded: .actRecorded
        case .commitmentMade: .commitmentMade
        case .commitmentFulfilled: .commitmentFulfilled
        case .commitmentBreached: .commitmentBreached
        case .listEntered: .listEntered
        case .listExited: .listExited
        case .repairApplied: .repairApplied
        case .repairDecided: .repairDecided
        case .objectionRaised: .objectionRaised
        case .objectionResolved: .objectionResolved
        case .honourGranted: .honourGranted
        case .contractPerformance: .contractPerformance
        case .evaluationPublished: .evaluationPublished
        case .measureApplied: .measureApplied
        case .repairAccepted: .repairAccepted
        case .objectionAccepted: .objectionAccepted
        }
    }

    /// The first cross-field rule the payload breaks. Switches rather than boxing the payload in an
    /// existential, which would allocate for every fact decoded.
    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        switch self {
        case .roleAssigned(let p), .roleEnded(let p): p.problem(subject: subject, effective: effective)
        case .subjectRegistered(let p): p.problem(subject: subject, effective: effective)
        case .subjectDeregistered(let p): p.problem(subject: subject, effective: effective)
        case .licenceGranted(let p): p.problem(subject: subject, effective: effective)
        case .penaltyDecided(let p): p.problem(subject: subject, effective: effective)
        case .penaltyPerformed(let p): p.problem(subject: subject, effective: effective)
        case .penaltyRevoked(let p): p.problem(subject: subject, effective: effective)
        case .actRecorded(let p): p.problem(subject: subject, effective: effective)
        case .commitmentMade(let p): p.problem(subject: subject, effective: effective)
        case .commitmentFulfilled(let p): p.problem(subject: subject, effective: effective)
        case .commitmentBreached(let p): p.problem(subject: subject, effective: effective)
        case .listEntered(let p): p.problem(subject: subject, effective: effective)
        case .listExited(let p): p.problem(subject: subject, effective: effective)
        case .repairApplied(let p): p.problem(subject: subject, effective: effective)
        case .repairDecided(let p): p.problem(subject: subject, effective: effective)
        case .objectionRaised(let p): p.problem(subject: subject, effective: effective)
        case .objectionResolved(let p): p.problem(subject: subject, effective: effective)
        case .honourGranted(let p): p.problem(subject: subject, effective: effective)
        case .contractPerformance(let p): p.problem(subject: subject, effective: effective)
        case .evaluationPublished(let p): p.problem(subject: subject, effective: effective)
        case .measureApplied(let p): p.problem(subject: subject, effective: effective)
        case .repairAccepted(let p): p.problem(subject: subject, effective: effective)
        case .objectionAccepted(let p): p.problem(subject: subject, effective: effective)
        }
    }

    /// Writes the body's fields in canonical order. Switches instead of going through `payload` so
    /// that the writer is specialised per payload (no existential boxing on the hot path).
    func write(to w: inout some FieldWriter) {
        switch self {
        case .subjectRegistered(let p): p.write(to: &w)
        case .subjectDeregistered(let p): p.write(to: &w)
        case .roleAssigned(let p), .roleEnded(let p): p.write(to: &w)
        case .licenceGranted(let p): p.write(to: &w)
        case .penaltyDecided(let p): p.write(to: &w)
        case .penaltyPerformed(let p): p.write(to: &w)
        case .penaltyRevoked(let p): p.write(to: &w)
        case .actRecorded(let p): p.write(to: &w)
        case .commitmentMade(let p): p.write(to: &w)
        case .commitmentFulfilled(let p): p.write(to: &w)
        case .commitmentBreached(let p): p.write(to: &w)
        case .listEntered(let p): p.write(to: &w)
        case .listExited(let p): p.write(to: &w)
        case .repairApplied(let p): p.write(to: &w)
        case .repairDecided(let p): p.write(to: &w)
        case .objectionRaised(let p): p.write(to: &w)
        case .objectionResolved(let p): p.write(to: &w)
        case .honourGranted(let p): p.write(to: &w)
        case .contractPerformance(let p): p.write(to: &w)
        case .evaluationPublished(let p): p.write(to: &w)
        case .measureApplied(let p): p.write(to: &w)
        case .repairAccepted(let p): p.write(to: &w)
        case .objectionAccepted(let p): p.write(to: &w)
        }
    }

    /// Reads a body of type `type` field by field.
    static func read(_ type: FactType, from r: inout some FieldReader) throws(FactProblem) -> FactBody {
        switch type {
        case .subjectRegistered: .subjectRegistered(try .read(from: &r))
        case .subjectDeregistered: .subjectDeregistered(try .read(from: &r))
        case .roleAssigned: .roleAssigned(try .read(from: &r))
        case .roleEnded: .roleEnded(try .read(from: &r))
        case .licenceGranted: .licenceGranted(try .read(from: &r))
        case .penaltyDecided: .penaltyDecided(try .read(from: &r))
        case .penaltyPerformed: .penaltyPerformed(try .read(from: &r))
        case .penaltyRevoked: .penaltyRevoked(try .read(from: &r))
        case .actRecorded: .actRecorded(try .read(from: &r))
        case .commitmentMade: .commitmentMade(try .read(from: &r))
        case .commitmentFulfilled: .commitmentFulfilled(try .read(from: &r))
        case .commitmentBreached: .commitmentBreached(try .read(from: &r))
        case .listEntered: .listEntered(try .read(from: &r))
        case .listExited: .listExited(try .read(from: &r))
        case .repairApplied: .repairApplied(try .read(from: &r))
        case .repairDecided: .repairDecided(try .read(from: &r))
        case .objectionRaised: .objectionRaised(try .read(from: &r))
        case .objectionResolved: .objectionResolved(try .read(from: &r))
        case .honourGranted: .honourGranted(try .read(from: &r))
        case .contractPerformance: .contractPerformance(try .read(from: &r))
        case .evaluationPublished: .evaluationPublished(try .read(from: &r))
        case .measureApplied: .measureApplied(try .read(from: &r))
        case .repairAccepted: .repairAccepted(try .read(from: &r))
        case .objectionAccepted: .objectionAccepted(try .read(from: &r))
        }
    }
}
