import CreditFacts

/// The release of this library, as `credit-ledger --version` prints it and the server reports it.
public enum Release {
    /// The version, semantic versioning: a change to the stored formats or to a rule's answer for
    /// the same history is at least a minor version.
    public static let version = "0.4.0"

    /// One line: the version and the formats it writes (binary fact encoding; interchange v1).
    public static var description: String {
        "credit-ledger \(version) (fact encoding v\(BinaryFactCodec.currentVersion), interchange v1)"
    }
}
