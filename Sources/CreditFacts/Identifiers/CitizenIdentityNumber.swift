/// A citizen identity number (公民身份号码, GB 11643-1999), e.g. `11010519491231002X`.
///
/// Layout: address code (1–6, GB/T 2260), birth date (7–14, `YYYYMMDD`), sequence code (15–17, odd
/// for men, even for women), check character (18, ISO 7064 MOD 11-2; `X` stands for 10). A lower-case
/// `x` is accepted and normalised to `X`.
public struct CitizenIdentityNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    let storage: ASCII18

    /// Validates and creates a number.
    /// - Throws: ``IdentifierError`` naming the first problem found, in reading order.
    public init(_ text: some StringProtocol) throws(IdentifierError) {
        self = try withUTF8(text) { (b) throws(IdentifierError) in try CitizenIdentityNumber(utf8: b) }
    }

    /// Validates raw UTF-8 bytes.
    init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(IdentifierError) {
        guard bytes.count == 18 else { throw .wrongLength(expected: 18, actual: bytes.count) }
        let check = bytes[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : bytes[17]
        var sum = 0
        for i in 0..<17 {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else {
                throw .invalidCharacter(position: i + 1, character: describeByte(bytes[i]), allowed: "digits")
            }
            // Σ a_i · 2^(18−i) by Horner's rule: double and add, one more doubling and the modulo at the end.
            sum = sum &* 2 &+ Int(d)
        }
        guard check == UInt8(ascii: "X") || (check &- UInt8(ascii: "0")) < 10 else {
            throw .invalidCharacter(position: 18, character: describeByte(check), allowed: "digits or X")
        }
        let birthText = String(decoding: bytes[6..<14], as: UTF8.self)
        guard let y = LegalDate.digits(bytes, 6, 4), let m = LegalDate.digits(bytes, 10, 2),
              let d = LegalDate.digits(bytes, 12, 2), y >= 1800,
              LegalDate(year: y, month: m, day: d) != nil else { throw .invalidBirthDate(birthText) }
        let expected = CitizenIdentityNumber.checkCharacters.utf8Start[sum * 2 % 11]
        guard check == expected else {
            throw .checkCharacterMismatch(expected: describeByte(expected), actual: describeByte(check))
        }
        var storage = ASCII18(bytes)
        storage[17] = check
        self.storage = storage
    }

    /// Wraps bytes already known to be a valid number (binary decoding of our own records).
    init(validatedStorage: ASCII18) { storage = validatedStorage }

    /// The number as printed, with an upper-case `X`.
    public var description: String { storage.string }

    /// The address code (positions 1–6).
    public var addressCode: String { String(decoding: (0..<6).map { storage[$0] }, as: UTF8.self) }

    /// The birth date encoded in positions 7–14.
    public var birthDate: LegalDate {
        func digits(_ from: Int, _ n: Int) -> Int { (from..<(from + n)).reduce(0) { $0 * 10 + Int(storage[$1]) - 48 } }
        return LegalDate(year: digits(6, 4), month: digits(10, 2), day: digits(12, 2))!
    }

    /// Sex as coded by the parity of the sequence code (position 17).
    public var sex: Sex { (storage[16] - 48) % 2 == 1 ? .male : .female }

    /// Age in whole years on `date` (the birthday itself counts; someone born on 29 February
    /// turns a year older on 1 March in common years). Negative before birth is reported as 0.
    public func age(on date: LegalDate) -> Int {
        let (by, bm, bd) = birthDate.civil
        let (y, m, d) = date.civil
        let years = y - by - ((m, d) < (bm, bd) ? 1 : 0)
        return max(0, years)
    }

    /// Whether the person is under 18 on `date` (minors are never put on the judgment-defaulter list).
    public func isMinor(on date: LegalDate) -> Bool { age(on: date) < 18 }

    /// Masked for publication: address code's first four characters, the last four, stars between
    /// (e.g. `3101**********123X`), as personal-information rules require.
    public var masked: String {
        let b = storage.bytes
        return String(decoding: b[0..<4], as: UTF8.self) + String(repeating: "*", count: 10)
            + String(decoding: b[14..<18], as: UTF8.self)
    }

    /// Orders numbers by their text.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.storage < rhs.storage }

    /// Check character by remainder (ISO 7064 MOD 11-2).
    static let checkCharacters: StaticString = "10X98765432"

    /// Sex as encoded in a citizen identity number.
    public enum Sex: String, Sendable, Hashable {
        /// Odd sequence code.
        case male
        /// Even sequence code.
        case female
    }
}
