/// What is wrong with a field, before the line number is known.
public struct FactProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category, for counting refusals by reason (data-quality view).
    public var kind: FactError.Kind
    /// The field path, e.g. `body.fineYuan`; empty for the line as a whole.
    public var field: String
    /// What is wrong, as a sentence fragment a source can act on.
    public var reason: String

    /// Creates a problem.
    public init(kind: FactError.Kind, field: String = "", reason: String) {
        self.kind = kind
        self.field = field
        self.reason = reason
    }

    /// Prefixes the field path with `parent` (`target` + `decisionNo` → `target.decisionNo`).
    func nested(in parent: String) -> FactProblem {
        var copy = self
        copy.field = field.isEmpty ? parent : parent + "." + field
        return copy
    }

    /// `field: reason`.
    public var description: String { field.isEmpty ? reason : field + ": " + reason }
}

/// A refused line: where, which field, why.
public struct FactError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of a refusal.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Not JSON, or not a JSON object, or not UTF-8.
        case malformedJSON
        /// A required field is absent.
        case missingField
        /// A field has the wrong JSON type (string for number …).
        case wrongType
        /// `type` is not a fact type of INTERCHANGE v1.
        case unknownType
        /// An enumerated field has a value outside its vocabulary.
        case unknownValue
        /// A subject or person code fails GB 32100 / GB 11643 (错码).
        case invalidCode
        /// A date or timestamp that is malformed or does not exist.
        case invalidDate
        /// A value of the right type that breaks a rule (length, range, cross-field rule).
        case invalidValue
        /// The same key twice in one object.
        case duplicateField
        /// `recorded` earlier than the previous line's.
        case recordedWentBack
        /// A binary record that is truncated, has trailing bytes or an unknown version.
        case corruptRecord
    }

    /// 1-based line number in the input; 0 when not from a file (a single value, a binary record).
    public var line: Int
    /// The category.
    public var kind: Kind
    /// The field path, e.g. `body.fineYuan`; empty when the whole line is at fault.
    public var field: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(line: Int, kind: Kind, field: String, reason: String) {
        self.line = line
        self.kind = kind
        self.field = field
        self.reason = reason
    }

    /// Attaches a line number to a problem.
    public init(line: Int, _ problem: FactProblem) {
        self.init(line: line, kind: problem.kind, field: problem.field, reason: problem.reason)
    }

    /// `line 12: body.fineYuan: has 3 decimals, at most 2 allowed`.
    public var description: String {
        "line \(line): " + (field.isEmpty ? reason : field + ": " + reason)
    }
}
