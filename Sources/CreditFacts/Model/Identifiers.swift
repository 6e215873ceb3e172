/// A validated text identifier: a thin type over `String` so that a decision number can never be
/// passed where a list number is expected.
public protocol TextIdentifier: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The identifier as written by the source.
    var text: String { get }
    /// Wraps a text the caller has validated.
    init(unchecked text: String)
    /// Most characters (Unicode scalars) allowed.
    static var maxLength: Int { get }
    /// Whether only `[A-Za-z0-9._:-]` is allowed (fact ids are keys in URLs and file names).
    static var isRestrictedToKeyCharacters: Bool { get }
}

extension TextIdentifier {
    /// Keys are not restricted unless a type says so.
    public static var isRestrictedToKeyCharacters: Bool { false }

    /// The identifier as written.
    public var description: String { text }

    /// Orders by text.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.text < rhs.text }

    /// Validates and wraps `text`.
    /// - Throws: ``FactProblem`` (without a field name; the caller adds it).
    public init(validating text: String) throws(FactProblem) {
        if let reason = Self.problem(with: text) { throw FactProblem(kind: .invalidValue, reason: reason) }
        self.init(unchecked: text)
    }

    /// Why `text` is not a valid identifier of this type, or `nil`.
    static func problem(with text: String) -> String? {
        withUTF8(text) { problem(utf8: $0) }
    }

    /// Why these UTF-8 bytes are not a valid identifier of this type, or `nil` (checked before a
    /// String is made, so that a refused identifier costs no allocation).
    static func problem(utf8: UnsafeBufferPointer<UInt8>) -> String? {
        if utf8.isEmpty { return "must not be empty" }
        if utf8.count > maxLength {
            // Characters are counted as Unicode scalars: every byte that is not a continuation byte.
            let scalars = utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            if scalars > maxLength { return "is \(scalars) characters long, at most \(maxLength) allowed" }
        }
        if isRestrictedToKeyCharacters {
            for b in utf8 where !isKeyCharacter(b) {
                return "contains \(describeByte(b)); only A–Z, a–z, 0–9 and . _ : - are allowed"
            }
        } else if hasControlCharacter(utf8) {
            for b in utf8 where b < 0x20 || b == 0x7F { return "contains the control character \(describeByte(b))" }
        }
        return nil
    }
}

/// Whether any byte is a C0 control character or DEL, eight bytes at a time (the classic
/// "has a byte less than n" bit trick; UTF-8 continuation bytes are ≥ 0x80 and never match).
@inline(__always)
func hasControlCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
    var i = 0
    let raw = UnsafeRawPointer(bytes.baseAddress!)
    while i + 8 <= bytes.count {
        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        let del = w ^ (0x7F &* ones)
        if ((w &- 0x20 &* ones) | (del &- ones)) & ~w & highs != 0 { return true }
        i += 8
    }
    while i < bytes.count {
        if bytes[i] < 0x20 || bytes[i] == 0x7F { return true }
        i += 1
    }
    return false
}

/// Whether `b` is in `[A-Za-z0-9._:-]`: a bit test in two 64-bit masks (bytes 0–63 and 64–127).
@inline(__always)
func isKeyCharacter(_ b: UInt8) -> Bool {
    // Low mask: - . 0–9 : ; high mask: A–Z _ a–z.
    let low: UInt64 = 0x07FF_6000_0000_0000
    let high: UInt64 = 0x07FF_FFFE_87FF_FFFE
    if b < 64 { return low >> UInt64(b) & 1 == 1 }
    if b < 128 { return high >> UInt64(b - 64) & 1 == 1 }
    return false
}

/// The source-assigned id of a fact, unique per source: 1–128 characters of `[A-Za-z0-9._:-]`.
public struct FactID: TextIdentifier {
    /// The id.
    public let text: String
    /// Wraps a validated id.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
    /// Ids are keys.
    public static var isRestrictedToKeyCharacters: Bool { true }
}

/// The reporting department (数源部门), e.g. `310114-SCJG`; 1–64 characters.
public struct SourceID: TextIdentifier {
    /// The department code.
    public let text: String
    /// Wraps a validated code.
    public init(unchecked text: String) { self.text = text }
    /// 64 characters.
    public static var maxLength: Int { 64 }
}

/// An administrative decision number (决定书文号), e.g. `沪市监嘉处〔2023〕123号`.
public struct DecisionNo: TextIdentifier {
    /// The number as written.
    public let text: String
    /// Wraps a validated number.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
}

/// A list-entry number (列入决定文号).
public struct ListNo: TextIdentifier {
    /// The number as written.
    public let text: String
    /// Wraps a validated number.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
}

/// A commitment number (承诺书编号).
public struct CommitmentNo: TextIdentifier {
    /// The number as written.
    public let text: String
    /// Wraps a validated number.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
}

/// A repair application number (修复申请编号).
public struct RepairNo: TextIdentifier {
    /// The number as written.
    public let text: String
    /// Wraps a validated number.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
}

/// An objection number (异议编号).
public struct ObjectionNo: TextIdentifier {
    /// The number as written.
    public let text: String
    /// Wraps a validated number.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
}

/// A contract number.
public struct ContractNo: TextIdentifier {
    /// The number as written.
    public let text: String
    /// Wraps a validated number.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
}

/// The id of a joint reward or punishment measure in the measures catalogue.
public struct MeasureID: TextIdentifier {
    /// The id as written.
    public let text: String
    /// Wraps a validated id.
    public init(unchecked text: String) { self.text = text }
    /// 128 characters.
    public static var maxLength: Int { 128 }
}

/// A six-digit administrative region code (GB/T 2260), e.g. `310114` (Shanghai Jiading).
public struct RegionCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The code as a number, `0...999_999`; printed zero-padded to six digits.
    public let value: UInt32

    /// Validates six ASCII digits.
    /// - Throws: ``FactProblem``.
    public init(_ text: String) throws(FactProblem) {
        let v = withUTF8(text) { b in b.count == 6 ? LegalDate.digits(b, 0, 6) : nil }
        guard let v else {
            throw FactProblem(kind: .invalidValue, reason: "\"\(text)\" is not a six-digit region code (GB/T 2260)")
        }
        value = UInt32(v)
    }

    /// Wraps a number already known to be in range.
    init(unchecked value: UInt32) { self.value = value }

    /// Six digits.
    public var description: String { pad(Int(value), 6) }

    /// Orders numerically.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// An amount of money in yuan, held exactly in fen (分, 1/100 yuan).
public struct Yuan: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in fen.
    public let fen: Int64

    /// The largest amount accepted: 10^13 yuan, far above any fine, so that arithmetic never overflows.
    public static let maximumFen: Int64 = 1_000_000_000_000_000

    /// Creates an amount; `nil` when negative or above ``maximumFen``.
    public init?(fen: Int64) {
        guard (0...Yuan.maximumFen).contains(fen) else { return nil }
        self.fen = fen
    }

    /// Creates a whole-yuan amount (for configuration and tests).
    public init(yuan: Int) { fen = Int64(yuan) * 100 }

    /// Shortest exact decimal: `50000`, `12.5`, `12.05`.
    public var description: String {
        let whole = String(fen / 100), cents = fen % 100
        if cents == 0 { return whole }
        if cents % 10 == 0 { return whole + "." + String(cents / 10) }
        return whole + "." + pad(Int(cents), 2)
    }

    /// Orders by amount.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.fen < rhs.fen }
}

/// The kinds of penalty imposed by one decision: a set, written in ``PenaltyKind`` order.
public struct PenaltyKinds: OptionSet, Sendable, Hashable {
    /// One bit per ``PenaltyKind``, by its binary code.
    public let rawValue: UInt16
    /// Creates a set from its bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Creates a set from kinds.
    public init(_ kinds: some Sequence<PenaltyKind>) {
        self.init(rawValue: kinds.reduce(0) { $0 | 1 << UInt16($1.code) })
    }

    /// Whether `kind` is in the set.
    public func contains(_ kind: PenaltyKind) -> Bool { rawValue & (1 << UInt16(kind.code)) != 0 }

    /// The kinds in code order (the order JSON writes them in).
    public var kinds: [PenaltyKind] { PenaltyKind.table.byCode.compactMap { $0 }.filter(contains) }

    /// All valid bits: those of the codes in use.
    static let validBits: UInt16 = PenaltyKind.allCases.reduce(0) { $0 | 1 << UInt16($1.code) }
}
