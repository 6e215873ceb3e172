/// Which fact: its source and the id the source gave it, the idempotency key of INTERCHANGE v1.
/// Printed (in reports, JSON and reasons) as `SOURCE/ID`.
public struct FactRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The reporting department.
    public var source: SourceID
    /// The source-assigned id.
    public var id: FactID

    /// Creates a reference.
    public init(source: SourceID, id: FactID) {
        self.source = source
        self.id = id
    }

    /// `SOURCE/ID`.
    public var description: String { source.text + "/" + id.text }

    /// Orders as the printed form does, so lists sorted by reference read in order.
    public static func < (lhs: FactRef, rhs: FactRef) -> Bool { lhs.description < rhs.description }
}

extension Fact {
    /// The fact's reference (its idempotency key).
    public var ref: FactRef { FactRef(source: source, id: id) }
}
