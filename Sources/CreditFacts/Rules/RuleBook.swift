import Foundation

/// The rule regimes by effective date, and the lookup "which regime governs a fact effective on D".
///
/// Data, not code: the national regimes ship as `rule-regimes.json`; each regime lists only what
/// changed from the one before it. A district file in the same format overrides fields of a regime
/// with the same `from` or adds a regime of its own; what it sets stays in force until a later
/// regime changes it.
public struct RuleBook: Sendable {
    /// The regimes, oldest first, each complete.
    public let regimes: [RuleRegime]

    /// The bundled national regimes, optionally overridden by district files (applied in order).
    /// - Throws: ``RuleBookError``.
    public static func national(districtOverrides: [Data] = []) throws -> RuleBook {
        guard let url = Bundle.module.url(forResource: "Resources/rule-regimes", withExtension: "json") else {
            throw RuleBookError.invalid("rule-regimes.json is missing from the bundle")
        }
        return try RuleBook(json: try Data(contentsOf: url), overrides: districtOverrides)
    }

    /// Builds a rule book from a base file and override files.
    /// - Throws: ``RuleBookError`` naming the regime and field at fault.
    public init(json: Data, overrides: [Data] = []) throws {
        var layers = try Self.regimeEntries(json)
        for data in overrides {
            for entry in try Self.regimeEntries(data) {
                let from = entry["from"] as! String
                if let i = layers.firstIndex(where: { $0["from"] as? String == from }) {
                    layers[i] = Self.merge(layers[i], entry)
                } else {
                    layers.append(entry)
                }
            }
        }
        // ISO dates sort as text; sorting here makes the file order irrelevant.
        layers.sort { ($0["from"] as! String) < ($1["from"] as! String) }
        var resolved: [RuleRegime] = []
        var inherited: [String: Any] = [:]
        for layer in layers {
            inherited = Self.merge(inherited, layer)
            resolved.append(try Self.decodeRegime(inherited))
        }
        regimes = resolved
    }

    /// The regime governing a fact effective on `date`: the latest that started on or before it, or
    /// the earliest for facts older than every regime.
    public func regime(on date: LegalDate) -> RuleRegime {
        regimes.last { $0.from <= date } ?? regimes[0]
    }

    /// The `regimes` array of a file, each entry checked to have a `from` date.
    private static func regimeEntries(_ data: Data) throws -> [[String: Any]] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw RuleBookError.invalid("not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any], let entries = root["regimes"] as? [[String: Any]], !entries.isEmpty else {
            throw RuleBookError.invalid("expected an object with a non-empty \"regimes\" array")
        }
        for (i, entry) in entries.enumerated() {
            guard let from = entry["from"] as? String, (try? LegalDate(parsing: from)) != nil else {
                throw RuleBookError.invalid("regimes[\(i)].from must be a date YYYY-MM-DD")
            }
        }
        return entries
    }

    /// `base` with `override` laid over it: objects merge key by key, anything else is replaced.
    static func merge(_ base: [String: Any], _ override: [String: Any]) -> [String: Any] {
        var out = base
        for (key, value) in override {
            if let sub = value as? [String: Any], let existing = out[key] as? [String: Any] {
                out[key] = merge(existing, sub)
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// Decodes one fully inherited regime and checks its periods make sense.
    private static func decodeRegime(_ object: [String: Any]) throws -> RuleRegime {
        let from = object["from"] as! String
        let regime: RuleRegime
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            regime = try JSONDecoder().decode(RuleRegime.self, from: data)
        } catch let error as RuleBookError {
            throw RuleBookError.invalid("regime from \(from): \(error)")
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw RuleBookError.invalid("regime from \(from): \(path) is missing")
        } catch {
            throw RuleBookError.invalid("regime from \(from): \(error)")
        }
        for severity in Severity.allCases {
            let rule = regime.penaltyPublicity[severity]
            guard rule.published else { continue }
            guard let minimum = rule.minimum, let maximum = rule.maximum, minimum <= maximum else {
                throw RuleBookError.invalid("regime from \(from): penaltyPublicity.\(severity.rawValue) needs minimum ≤ maximum")
            }
        }
        return regime
    }
}

/// Why a rule book cannot be built.
public enum RuleBookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A file or a value in it is invalid.
    case invalid(String)

    /// The reason.
    public var description: String {
        switch self {
        case .invalid(let reason): return reason
        }
    }
}
