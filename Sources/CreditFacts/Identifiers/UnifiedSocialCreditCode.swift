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
        var sum = 0
        // Position 18 is judged only against the computed check character, so that a `Z` there reads
        // "check character should be 3, is Z" rather than as a bad character.
        for (offset, byte) in b.prefix(17).enumerated() {
            guard let v = UnifiedSocialCreditCode.value(of: byte) else {
                throw .invalidCharacter(position: offset + 1, character: describeByte(byte),
                                        allowed: "0–9 and A–Z except I, O, Z, S, V")
            }
            sum += v * UnifiedSocialCreditCode.weights[offset]
        }
        let dept = b[0], category = b[1]
        guard let categories = UnifiedSocialCreditCode.categories[dept] else {
            throw .unknownRegistrationDepartment(describeByte(dept))
        }
        guard categories.utf8.contains(category) else {
            throw .unknownOrganisationCategory(department: describeByte(dept), category: describeByte(category))
        }
        for i in 2..<8 where !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) {
            throw .invalidCharacter(position: i + 1, character: describeByte(b[i]),
                                    allowed: "digits (region code, GB/T 2260)")
        }
        let expected = UnifiedSocialCreditCode.alphabet[(31 - sum % 31) % 31]
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
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }

    /// The 31 characters in value order.
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    /// Weights 3^(i−1) mod 31 for positions 1…17.
    static let weights: [Int] = (0..<17).map { i in (0..<i).reduce(1) { acc, _ in acc * 3 % 31 } }

    /// Value of a character in the 31-character set, by byte.
    static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (v, c) in alphabet.enumerated() { table[Int(c)] = Int8(v) }
        return table
    }()

    /// Value of `byte`, or `nil` when it is not in the set.
    static func value(of byte: UInt8) -> Int? {
        let v = values[Int(byte)]
        return v < 0 ? nil : Int(v)
    }

    /// Organisation categories (position 2) defined for each registration department (position 1).
    static let categories: [UInt8: String] = [
        UInt8(ascii: "1"): "1239", UInt8(ascii: "2"): "19", UInt8(ascii: "3"): "123459",
        UInt8(ascii: "4"): "19", UInt8(ascii: "5"): "1239", UInt8(ascii: "6"): "129",
        UInt8(ascii: "7"): "129", UInt8(ascii: "8"): "19", UInt8(ascii: "9"): "123",
        UInt8(ascii: "A"): "19", UInt8(ascii: "N"): "1239", UInt8(ascii: "Y"): "1",
    ]
}
