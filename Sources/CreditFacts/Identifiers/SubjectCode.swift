/// A credit subject: an organisation by its unified social credit code, or a natural person by
/// their citizen identity number.
public enum SubjectCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// An organisation (GB 32100).
    case organisation(UnifiedSocialCreditCode)
    /// A natural person (GB 11643).
    case person(CitizenIdentityNumber)

    /// Classifies and validates an 18-character subject code.
    ///
    /// Both standards use 18 characters and an all-digit code can look like either, so the text is
    /// tried as a citizen identity number first (it is the stricter form: digits, a real birth date,
    /// MOD 11-2) and as a unified social credit code otherwise. When both fail, the error reported
    /// is the one for the standard the code most resembles: a code with letters before position 18,
    /// or one starting with 9, A, N or Y (departments no province code starts with), is judged as an
    /// organisation code.
    /// - Throws: ``IdentifierError``.
    public init(_ text: some StringProtocol) throws(IdentifierError) {
        self = try SubjectCode(utf8: Array(text.utf8)[...])
    }

    /// Classifies raw UTF-8 bytes.
    init(utf8 b: ArraySlice<UInt8>) throws(IdentifierError) {
        let personError: IdentifierError
        do { self = .person(try CitizenIdentityNumber(utf8: b)); return } catch { personError = error }
        let organisationError: IdentifierError
        do { self = .organisation(try UnifiedSocialCreditCode(utf8: b)); return } catch { organisationError = error }
        throw SubjectCode.looksLikeOrganisation(b) ? organisationError : personError
    }

    /// Whether a code that fits neither standard should be judged as an organisation code.
    static func looksLikeOrganisation(_ b: ArraySlice<UInt8>) -> Bool {
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
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
}
