/// A set of fact types, one bit per binary code: what a view reads, tested once per fact as the
/// log is replayed.
public struct FactTypeSet: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// One bit per ``FactType/code``.
    public private(set) var bits: UInt64

    /// The empty set.
    public init() { bits = 0 }

    /// The set of `types`.
    public init(_ types: some Sequence<FactType>) {
        bits = 0
        for type in types { insert(type) }
    }

    /// The set of the listed types.
    public init(arrayLiteral types: FactType...) { self.init(types) }

    /// Every fact type.
    public static let all = FactTypeSet(FactType.allCases)

    /// Whether `type` is in the set.
    @inline(__always)
    public func contains(_ type: FactType) -> Bool { bits & (1 << UInt64(type.code)) != 0 }

    /// Whether the type with binary code `code` is in the set.
    @inline(__always)
    public func contains(code: UInt8) -> Bool { code < 64 && bits & (1 << UInt64(code)) != 0 }

    /// Adds `type`.
    public mutating func insert(_ type: FactType) {
        precondition(type.code < 64, "fact type codes must stay below 64 to fit a FactTypeSet")
        bits |= 1 << UInt64(type.code)
    }

    /// The types in either set.
    public func union(_ other: FactTypeSet) -> FactTypeSet {
        var result = self
        result.bits |= other.bits
        return result
    }
}
