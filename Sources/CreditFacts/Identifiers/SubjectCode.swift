/// A credit subject: an organisation by its unified social credit code, or a natural person by
/// their citizen identity number.
public enum SubjectCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// An organisation (GB 32100).
    case organisation(UnifiedSocialCreditCode)
    /// A natural person (GB 11643).
    case person(CitizenIdentityNumber)

    /// Classifies and validates an 18-character subject code.
    ///
    /// Both standards use 18 characters. A code starting with 9, A, N or Y (no province code does) or
    /// with a letter before position 18 can only be an organisation code. An all-digit code is tried
    /// as a citizen identity number first (the stricter form: a real birth date and MOD 11-2), then as
    /// a unified social credit code. When both fail, the error reported is that of the reading the
    /// code fits structurally: the organisation error when positions 7–14 are no birth date, the
    /// identity-number error otherwise.
    /// - Throws: ``IdentifierError``.
    public init(_ text: some StringProtocol) throws(IdentifierError) {
        self = try withUTF8(text) { (b) throws(IdentifierError) in try SubjectCode(utf8: b) }
    }

    /// Classifies and validates raw UTF-8 bytes, without building a `String` (snapshots and
    /// binary records hold codes as bytes).
    /// - Throws: ``IdentifierError``.
    public init(utf8 b: UnsafeBufferPointer<UInt8>) throws(IdentifierError) {
        // No province code starts with 9, A, N or Y and identity numbers have no letters before
        // position 18, so such a code can only be an organisation's.
        if SubjectCode.looksLikeOrganisation(b) {
            self = .organisation(try UnifiedSocialCreditCode(utf8: b))
            return
        }
        let personError: IdentifierError
        do { self = .person(try CitizenIdentityNumber(utf8: b)); return } catch { personError = error }
        let organisationError: IdentifierError
        do { self = .organisation(try UnifiedSocialCreditCode(utf8: b)); return } catch { organisationError = error }
        // An all-digit code that fits neither: a registration department of 1–8 with category 1–9
        // reads as an organisation code only if its department/category pair is defined.
        if case .unknownOrganisationCategory = organisationError { throw personError }
        if case .unknownRegistrationDepartment = organisationError { throw personError }
        throw personError.isBirthDateOrLength ? organisationError : personError
    }

    /// Whether a code that fits neither standard should be judged as an organisation code.
    static func looksLikeOrganisation(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first else { return false }
        if "9ANY".utf8.contains(first) { return true }
        return b.dropLast().contains { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The code as printed.
    public var description: String {
        switch self {
        case .organisation(let c): return c.description
        case .person(let p): return p.description
        }
    }

    /// Whether this subject is a natural person.
    public var isPerson: Bool { if case .person = self { true } else { false } }

    /// The code's 18 bytes.
    var storage: ASCII18 {
        switch self {
        case .organisation(let c): return c.storage
        case .person(let p): return p.storage
        }
    }

    /// Orders subjects by their printed code.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.storage < rhs.storage }
}

extension IdentifierError {
    /// Whether the error says the text is not shaped like an identity number at all.
    var isBirthDateOrLength: Bool {
        switch self {
        case .invalidBirthDate, .wrongLength: return true
        default: return false
        }
    }
}
