import Foundation

/// The rule regimes by effective date, and the lookup "which regime governs a fact effective on D".
///
/// Data, not code: the national regimes ship as `rule-regimes.json`; each regime lists only what
/// changed from the one before it. A district file in the same format overrides fields of a regime
/// with the same `from` or adds a regime of its own; what it sets stays in force until a later
/// regime changes it. Read like every rule file (``JSONNode``): errors are ``RuleFileError``s
/// naming the file and the JSON path.
public struct RuleBook: Sendable {
    /// The regimes, oldest first, each complete.
    public let regimes: [RuleRegime]

    /// The bundled national regimes, optionally overridden by district files (applied in order).
    /// - Throws: ``RuleFileError``.
    public static func national(districtOverrides: [Data] = []) throws(RuleFileError) -> RuleBook {
        let origin = "rule-regimes.json"
        guard let url = Bundle.module.url(forResource: "Resources/rule-regimes", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw RuleFileError(origin: origin, path: "", message: "missing from the bundle")
        }
        return try RuleBook(json: data, origin: origin, overrides: districtOverrides)
    }

    /// Builds a rule book from a base file and override files (named in errors as `origin` and
    /// `district override N`, and a regime merged from several files as `origin` with overrides).
    /// - Throws: ``RuleFileError`` naming the file, and the regime and field at fault.
    public init(json: Data, origin: String = "rule book", overrides: [Data] = []) throws(RuleFileError) {
        var layers = try Self.regimeEntries(try JSONNode.root(of: json, origin: origin))
        for (index, data) in overrides.enumerated() {
            for (from, entry) in try Self.regimeEntries(try JSONNode.root(of: data, origin: "district override \(index + 1)")) {
                if let i = layers.firstIndex(where: { $0.from == from }) {
                    layers[i].entry = RuleJSON.merged(layers[i].entry, entry)
                } else {
                    layers.append((from, entry))
                }
            }
        }
        // Sorting by date makes the file order irrelevant.
        layers.sort { $0.from < $1.from }
        let merged = overrides.isEmpty ? origin : "\(origin) with \(overrides.count) district override(s)"
        var resolved: [RuleRegime] = []
        var inherited = RuleJSON.object([:])
        for layer in layers {
            inherited = RuleJSON.merged(inherited, layer.entry)
            resolved.append(try RuleRegime(JSONNode(value: inherited, path: "regimes[from \(layer.from)]", origin: merged)))
        }
        regimes = resolved
    }

    /// The regime governing a fact effective on `date`: the latest that started on or before it, or
    /// the earliest for facts older than every regime.
    public func regime(on date: LegalDate) -> RuleRegime {
        regimes.last { $0.from <= date } ?? regimes[0]
    }

    /// The `regimes` array of a file, each entry with its `from` date.
    private static func regimeEntries(_ root: JSONNode) throws(RuleFileError) -> [(from: LegalDate, entry: RuleJSON)] {
        let fields = try root.object(allowed: ["about", "notes", "regimes"])
        var entries: [(from: LegalDate, entry: RuleJSON)] = []
        for node in try fields.required("regimes").array(nonEmpty: true) {
            _ = try node.object(allowed: RuleRegime.fieldNames)
            guard case .object(let entry) = node.value, let from = entry["from"] else { throw node.error("missing field \"from\"") }
            entries.append((try node.child("from", from).date(), node.value))
        }
        return entries
    }
}
