/// A credit fact: the envelope of INTERCHANGE v1 and its typed body. Once appended it is never
/// changed; a correction is a new fact.
public struct Fact: Sendable, Hashable {
    /// The reporting department.
    public var source: SourceID
    /// The source-assigned id, unique per source (the idempotency key with `source`).
    public var id: FactID
    /// The credit subject.
    public var subject: SubjectCode
    /// Valid time: the legal date of the act (CST).
    public var effective: LegalDate
    /// When the source reported the fact (optional; defaults to the append time in the ledger).
    public var reported: Timestamp?
    /// Transaction time, assigned by the ledger (present on export and backfill imports).
    public var recorded: Timestamp?
    /// The typed body.
    public var body: FactBody
    /// Envelope fields this version does not know, kept verbatim for export.
    public var extras: ExtraFields
    /// Body fields this version does not know, kept verbatim for export.
    public var bodyExtras: ExtraFields

    /// Creates a fact. It is not validated: use ``validationProblem()`` or read it through a codec.
    public init(source: SourceID, id: FactID, subject: SubjectCode, effective: LegalDate,
                reported: Timestamp? = nil, recorded: Timestamp? = nil, body: FactBody,
                extras: ExtraFields = ExtraFields(), bodyExtras: ExtraFields = ExtraFields()) {
        self.source = source; self.id = id; self.subject = subject; self.effective = effective
        self.reported = reported; self.recorded = recorded; self.body = body
        self.extras = extras; self.bodyExtras = bodyExtras
    }

    /// The fact type.
    public var type: FactType { body.type }

    /// The first rule linking fields that this fact breaks (e.g. a fine without `fineYuan`), or `nil`.
    public func validationProblem() -> FactProblem? {
        body.problem(subject: subject, effective: effective)
    }

    /// Warnings that do not refuse the fact (e.g. a bad embedded GB 11714 check character).
    public var warnings: [FactProblem] {
        var out: [FactProblem] = []
        if case .organisation(let code) = subject, let w = code.warning {
            out.append(FactProblem(kind: .invalidCode, field: "subject", reason: w.description))
        }
        return out
    }
}

/// The fact types of INTERCHANGE v1, spelled as in the `type` field.
public enum FactType: String, FactVocabulary {
    /// A subject is registered.
    case subjectRegistered = "subject.registered"
    /// A subject is deregistered.
    case subjectDeregistered = "subject.deregistered"
    /// A person takes up a role.
    case roleAssigned = "role.assigned"
    /// A person leaves a role.
    case roleEnded = "role.ended"
    /// A licence is granted.
    case licenceGranted = "licence.granted"
    /// A penalty is decided.
    case penaltyDecided = "penalty.decided"
    /// A penalty's obligations are performed.
    case penaltyPerformed = "penalty.performed"
    /// A penalty is revoked.
    case penaltyRevoked = "penalty.revoked"
    /// Another administrative act.
    case actRecorded = "act.recorded"
    /// A commitment is made.
    case commitmentMade = "commitment.made"
    /// A commitment is fulfilled.
    case commitmentFulfilled = "commitment.fulfilled"
    /// A commitment is breached.
    case commitmentBreached = "commitment.breached"
    /// A subject enters a list.
    case listEntered = "list.entered"
    /// A subject exits a list.
    case listExited = "list.exited"
    /// A repair is applied for.
    case repairApplied = "repair.applied"
    /// A repair is decided.
    case repairDecided = "repair.decided"
    /// A repair application is accepted for handling (受理).
    case repairAccepted = "repair.accepted"
    /// An objection is raised.
    case objectionRaised = "objection.raised"
    /// An objection is resolved.
    case objectionResolved = "objection.resolved"
    /// An objection is accepted for handling and the record marked as disputed (受理, 异议标注).
    case objectionAccepted = "objection.accepted"
    /// An honour is granted.
    case honourGranted = "honour.granted"
    /// A contract's outcome.
    case contractPerformance = "contract.performance"
    /// An evaluation is published.
    case evaluationPublished = "evaluation.published"
    /// A joint measure was applied (feedback).
    case measureApplied = "measure.applied"

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .subjectRegistered: 0
        case .subjectDeregistered: 1
        case .roleAssigned: 2
        case .roleEnded: 3
        case .licenceGranted: 4
        case .penaltyDecided: 5
        case .penaltyPerformed: 6
        case .penaltyRevoked: 7
        case .actRecorded: 8
        case .commitmentMade: 9
        case .commitmentFulfilled: 10
        case .commitmentBreached: 11
        case .listEntered: 12
        case .listExited: 13
        case .repairApplied: 14
        case .repairDecided: 15
        case .objectionRaised: 16
        case .objectionResolved: 17
        case .honourGranted: 18
        case .contractPerformance: 19
        case .evaluationPublished: 20
        case .measureApplied: 21
        case .repairAccepted: 22
        case .objectionAccepted: 23
        }
    }
}

/// The typed body of a fact: one case per fact type.
public enum FactBody: Sendable, Hashable {
    /// `subject.registered`.
    case subjectRegistered(SubjectRegistration)
    /// `subject.deregistered`.
    case subjectDeregistered(SubjectDeregistration)
    /// `role.assigned`.
    case roleAssigned(RoleChange)
    /// `role.ended`.
    case roleEnded(RoleChange)
    /// `licence.granted`.
    case licenceGranted(LicenceGrant)
    /// `penalty.decided`.
    case penaltyDecided(PenaltyDecision)
    /// `penalty.performed`.
    case penaltyPerformed(PenaltyPerformance)
    /// `penalty.revoked`.
    case penaltyRevoked(PenaltyRevocation)
    /// `act.recorded`.
    case actRecorded(AdministrativeActRecord)
    /// `commitment.made`.
    case commitmentMade(CommitmentMade)
    /// `commitment.fulfilled`.
    case commitmentFulfilled(CommitmentFulfilment)
    /// `commitment.breached`.
    case commitmentBreached(CommitmentBreach)
    /// `list.entered`.
    case listEntered(ListEntry)
    /// `list.exited`.
    case listExited(ListExit)
    /// `repair.applied`.
    case repairApplied(RepairApplication)
    /// `repair.decided`.
    case repairDecided(RepairDecision)
    /// `repair.accepted`.
    case repairAccepted(RepairAcceptance)
    /// `objection.raised`.
    case objectionRaised(ObjectionRaised)
    /// `objection.resolved`.
    case objectionResolved(ObjectionResolution)
    /// `objection.accepted`.
    case objectionAccepted(ObjectionAcceptance)
    /// `honour.granted`.
    case honourGranted(Honour)
    /// `contract.performance`.
    case contractPerformance(ContractPerformance)
    /// `evaluation.published`.
    case evaluationPublished(Evaluation)
    /// `measure.applied`.
    case measureApplied(MeasureApplication)
}

/// Fields a reader did not know, kept verbatim (minified JSON) and in key order so that the
/// canonical encodings do not depend on the order a source happened to write them in.
public struct ExtraFields: Sendable, Hashable {
    /// One unknown field.
    public struct Field: Sendable, Hashable {
        /// The key.
        public var name: String
        /// The value as minified JSON text.
        public var json: String
        /// Creates a field.
        public init(name: String, json: String) { self.name = name; self.json = json }
    }

    /// The fields, sorted by the UTF-8 bytes of their names.
    public private(set) var fields: [Field]

    /// Creates a set of unknown fields, sorting them by name.
    public init(_ fields: [Field] = []) {
        self.fields = fields.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Wraps fields already sorted by name (the binary reader checks the order as it reads).
    init(sorted fields: [Field]) { self.fields = fields }

    /// Whether there are none.
    public var isEmpty: Bool { fields.isEmpty }
}
