// Payloads of the register: subjects and the roles persons hold in them.

/// `subject.registered`: a subject comes into existence in the register.
public struct SubjectRegistration: Payload {
    /// Registered name.
    public var name: String
    /// Kind of subject.
    public var kind: SubjectKind
    /// Region of registration.
    public var region: RegionCode
    /// Industry, free text (optional).
    public var industry: String?
    /// Birth date of a natural person (optional; the identity number's when absent).
    public var birthDate: LegalDate?

    /// Creates the payload.
    public init(name: String, kind: SubjectKind, region: RegionCode, industry: String? = nil, birthDate: LegalDate? = nil) {
        self.name = name; self.kind = kind; self.region = region; self.industry = industry; self.birthDate = birthDate
    }

    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(name: try r.field("name"), kind: try r.field("kind"), region: try r.field("region"),
             industry: try r.optionalField("industry"), birthDate: try r.optionalField("birthDate"))
    }

    func write(to w: inout some FieldWriter) {
        w.field("name", name); w.field("kind", kind); w.field("region", region)
        w.optionalField("industry", industry); w.optionalField("birthDate", birthDate)
    }

    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        switch (subject, kind) {
        case (.person(let id), .naturalPerson):
            if let birthDate, birthDate != id.birthDate {
                return FactProblem(kind: .invalidValue, field: "body.birthDate",
                                   reason: "\(birthDate) differs from the identity number's birth date \(id.birthDate)")
            }
            return nil
        case (.organisation, .naturalPerson):
            return FactProblem(kind: .invalidValue, field: "body.kind",
                               reason: "naturalPerson needs a citizen identity number as subject, not an organisation code")
        case (.person, _):
            return FactProblem(kind: .invalidValue, field: "body.kind",
                               reason: "\(kind.rawValue) needs a unified social credit code as subject, not an identity number")
        case (.organisation, _):
            guard birthDate == nil else {
                return FactProblem(kind: .invalidValue, field: "body.birthDate", reason: "only natural persons have a birth date")
            }
            return nil
        }
    }
}

/// `subject.deregistered`: the subject leaves the register.
public struct SubjectDeregistration: Payload {
    /// Why.
    public var reason: String
    /// Creates the payload.
    public init(reason: String) { self.reason = reason }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self { Self(reason: try r.field("reason")) }
    func write(to w: inout some FieldWriter) { w.field("reason", reason) }
}

/// `role.assigned` / `role.ended`: a person takes up or leaves a role in the subject organisation.
public struct RoleChange: Payload {
    /// The person.
    public var person: CitizenIdentityNumber
    /// The role.
    public var role: Role
    /// Creates the payload.
    public init(person: CitizenIdentityNumber, role: Role) { self.person = person; self.role = role }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(person: try r.field("person"), role: try r.field("role"))
    }
    func write(to w: inout some FieldWriter) { w.field("person", person); w.field("role", role) }
    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        subject.isPerson ? FactProblem(kind: .invalidValue, field: "subject",
                                       reason: "roles are held in organisations; the subject must be a unified social credit code") : nil
    }
}
