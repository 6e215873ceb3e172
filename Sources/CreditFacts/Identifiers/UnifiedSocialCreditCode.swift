/// A unified social credit code (统一社会信用代码, GB 32100-2015): the identifier of every
/// organisation, e.g. `91350100M000100Y43`.
///
/// Layout: registration department (1), organisation category (2), registration authority's region
/// code (3–8, GB/T 2260), organisation code (9–17, GB 11714: 8-character body + its own check
/// character), check character (18). Characters come from a 31-character set: digits and upper-case
/// letters except I, O, Z, S and V.
public struct UnifiedSocialCreditCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    let storage: ASCII18

    /// Validates and creates a code.
    /// - Throws: ``IdentifierError`` naming the first problem found, in reading order.
    public init(_ text: some StringProtocol) throws(IdentifierError) {
        self = try withUTF8(text) { (b) throws(IdentifierError) in try UnifiedSocialCreditCode(utf8: b) }
    }

    /// Validates raw UTF-8 bytes.
    init(utf8 b: UnsafeBufferPointer<UInt8>) throws(IdentifierError) {
        guard b.count == 18 else { throw .wrongLength(expected: 18, actual: b.count) }
        // Position 18 is judged only against the computed check character, so that a `Z` there reads
        // "check character should be 3, is Z" rather than as a bad character.
        // Σ C_i · 3^(i−1) by Horner's rule from the last position: no weight table, one modulo at the
        // end (the sum stays below 31 · 3^17). Invalid characters have value −1 and are caught by the
        // OR of all values, so the hot loop has no branch per character.
        let (sum, anyInvalid) = UnifiedSocialCreditCode.valueTable.withUnsafeBufferPointer { table in
            var sum = 0, invalid: Int8 = 0
            for i in stride(from: 16, through: 0, by: -1) {
                let v = table[Int(b[i])]
                invalid |= v
                sum = sum &* 3 &+ Int(v)
            }
            return (sum % 31, invalid < 0)
        }
        if anyInvalid, let i = (0..<17).first(where: { UnifiedSocialCreditCode.value(of: b[$0]) == nil }) {
            throw .invalidCharacter(position: i + 1, character: describeByte(b[i]),
                                    allowed: "0–9 and A–Z except I, O, Z, S, V")
        }
        let dept = b[0], category = b[1]
        let categories = UnifiedSocialCreditCode.categoryMasks[Int(dept)]
        guard categories != 0 else { throw .unknownRegistrationDepartment(describeByte(dept)) }
        guard let c = UnifiedSocialCreditCode.value(of: category), c < 10, categories & (1 << c) != 0 else {
            throw .unknownOrganisationCategory(department: describeByte(dept), category: describeByte(category))
        }
        for i in 2..<8 where !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) {
            throw .invalidCharacter(position: i + 1, character: describeByte(b[i]),
                                    allowed: "digits (region code, GB/T 2260)")
        }
        let expected = UnifiedSocialCreditCode.alphabet.utf8Start[(31 - sum) % 31]
        guard b[17] == expected else {
            throw .checkCharacterMismatch(expected: describeByte(expected), actual: describeByte(b[17]))
        }
        storage = ASCII18(b)
    }

    /// Wraps bytes already known to be a valid code (binary decoding of our own records).
    init(validatedStorage: ASCII18) { storage = validatedStorage }

    /// The code as printed.
    public var description: String { storage.string }

    /// The registration-department code (position 1), e.g. `9` for market regulation.
    public var registrationDepartment: Character { Character(UnicodeScalar(storage[0])) }

    /// The organisation-category code (position 2), e.g. `1` for an enterprise under department 9.
    public var organisationCategory: Character { Character(UnicodeScalar(storage[1])) }

    /// The registration authority's region code (positions 3–8, GB/T 2260).
    public var regionCode: String { String(decoding: (2..<8).map { storage[$0] }, as: UTF8.self) }

    /// The embedded GB 11714 organisation code (positions 9–17).
    public var organisationCode: String { String(decoding: (8..<17).map { storage[$0] }, as: UTF8.self) }

    /// A warning when the embedded organisation code fails its GB 11714 check; `nil` when it passes.
    public var warning: IdentifierWarning? {
        // GB 11714 values letters on the full alphabet (A=10 … Z=35), not the 31-character table.
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for i in 0..<8 {
            let c = storage[8 + i]
            sum += (c <= UInt8(ascii: "9") ? Int(c) - 48 : Int(c) - 55) * weights[i]
        }
        let v = 11 - sum % 11
        let expected: UInt8 = v == 10 ? UInt8(ascii: "X") : v == 11 ? UInt8(ascii: "0") : UInt8(48 + v)
        let actual = storage[16]
        guard actual != expected else { return nil }
        return .organisationCodeCheckMismatch(expected: describeByte(expected), actual: describeByte(actual))
    }

    /// Orders codes by their text.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.storage < rhs.storage }

    /// The 31 characters in value order.
    static let alphabet: StaticString = "0123456789ABCDEFGHJKLMNPQRTUWXY"

    /// ``value(of:)`` for every byte, −1 where undefined.
    static let valueTable: [Int8] = (0...255).map { Int8(value(of: UInt8($0)) ?? -1) }

    /// Value of `byte` in the 31-character set (0–9, then A–Y without I, O, S, V, Z), or `nil`.
    @inline(__always)
    static func value(of byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte) - 48
        case UInt8(ascii: "A")...UInt8(ascii: "H"): return Int(byte) - 55
        case UInt8(ascii: "J")...UInt8(ascii: "N"): return Int(byte) - 56
        case UInt8(ascii: "P")...UInt8(ascii: "R"): return Int(byte) - 57
        case UInt8(ascii: "T"), UInt8(ascii: "U"): return Int(byte) - 58
        case UInt8(ascii: "W")...UInt8(ascii: "Y"): return Int(byte) - 59
        default: return nil
        }
    }

    /// Organisation categories (position 2) defined for each registration department (position 1).
    static let categories: [(department: Character, categories: String)] = [
        ("1", "1239"), ("2", "19"), ("3", "123459"), ("4", "19"), ("5", "1239"), ("6", "129"),
        ("7", "129"), ("8", "19"), ("9", "123"), ("A", "19"), ("N", "1239"), ("Y", "1"),
    ]

    /// ``categories`` as a bitmask of category digits per department byte (0 = undefined department).
    static let categoryMasks: [UInt16] = {
        var masks = [UInt16](repeating: 0, count: 256)
        for (department, digits) in categories {
            masks[Int(department.asciiValue!)] = digits.utf8.reduce(0) { $0 | 1 << UInt16($1 - UInt8(ascii: "0")) }
        }
        return masks
    }()
}
