import CreditFacts

/// Which records of an organisation are dishonesty records, and which persons they reach
/// (穿透式监管). Data, not code: a district that follows Shanghai's statute (legal representative,
/// principal, directly responsible) drops the actual controller that Henan adds; the defaults
/// follow DOMAIN.md "Penetration defaults" and research §9.
public struct PenetrationPolicy: Sendable, Hashable {
    /// Roles whose holder on a record's effective date is linked to the record. Default: legal
    /// representative, principal, actual controller and a directly responsible person recorded as
    /// a role (Shanghai Art. 33, Henan Art. 35, Zhejiang Art. 27).
    public var linkedRoles: [Role]
    /// Lists whose measures bind the role rather than the person (judgment defaulters' consumption
    /// restrictions, SPC 限消规定 Art. 3; 法发〔2019〕35号 item 17): a later holder of a linked role
    /// is reached too (`LinkBasis.currentHolder`).
    public var roleBindingLists: [ListKind]
    /// Lists whose active entries are dishonesty records.
    public var dishonestyLists: [ListKind]
    /// Penalty classes that are dishonesty records while public (minor ones are never published).
    public var penaltySeverities: [Severity]
    /// How long a breached commitment stays a dishonesty record after the breach, in months
    /// (UNCONFIRMED: matches the default grading model's 12-month "cannot be A" window).
    public var breachedCommitmentMonths: Int

    /// Creates a policy.
    public init(linkedRoles: [Role], roleBindingLists: [ListKind], dishonestyLists: [ListKind],
                penaltySeverities: [Severity], breachedCommitmentMonths: Int) {
        self.linkedRoles = linkedRoles
        self.roleBindingLists = roleBindingLists
        self.dishonestyLists = dishonestyLists
        self.penaltySeverities = penaltySeverities
        self.breachedCommitmentMonths = breachedCommitmentMonths
    }

    /// The defaults of DOMAIN.md.
    public static let standard = PenetrationPolicy(
        linkedRoles: [.legalRepresentative, .principal, .actualController, .directlyResponsible],
        roleBindingLists: [.judgmentDefaulter],
        dishonestyLists: [.seriousDishonesty, .abnormalOperation, .judgmentDefaulter, .keyAttention],
        penaltySeverities: [.general, .serious],
        breachedCommitmentMonths: 12)
}

/// Thresholds of the early-warning signals (信用风险监测预警: 屡罚屡犯, contract defaults, overdue
/// commitments). The seeds name the signals but no numbers: every threshold is a parameter
/// (UNCONFIRMED defaults).
public struct EarlyWarningPolicy: Sendable, Hashable {
    /// Window for repeat penalties in one field, in months (default 24: "within 2 years").
    public var repeatPenaltyMonths: Int
    /// Penalties in one field within the window that raise the signal (default 2).
    public var repeatPenaltyCount: Int
    /// Window for contract defaults, in months (default 12).
    public var contractDefaultMonths: Int
    /// Defaults within the window that raise the signal (default 2: "several").
    public var contractDefaultCount: Int

    /// Creates a policy.
    public init(repeatPenaltyMonths: Int, repeatPenaltyCount: Int, contractDefaultMonths: Int, contractDefaultCount: Int) {
        self.repeatPenaltyMonths = repeatPenaltyMonths
        self.repeatPenaltyCount = repeatPenaltyCount
        self.contractDefaultMonths = contractDefaultMonths
        self.contractDefaultCount = contractDefaultCount
    }

    /// The documented defaults.
    public static let standard = EarlyWarningPolicy(
        repeatPenaltyMonths: 24, repeatPenaltyCount: 2, contractDefaultMonths: 12, contractDefaultCount: 2)
}
