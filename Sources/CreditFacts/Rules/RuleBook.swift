import Foundation

/// The rule regimes by channel and effective date, and the lookup "which regime governs a fact of
/// this source effective on D".
///
/// Data, not code: the national regimes ship as `rule-regimes.json`; each regime lists only what
/// changed from the one before it. The top-level `regimes` are the national timeline (the NDRC's
/// 信用中国 channel, ``baseChannel``). A `channels` entry is another publishing authority's timeline
/// (market regulation's publicity system, `samrPublicity`): its regimes are laid over the national
/// regime in force on the same date, so a channel states only where its own rules differ, and a
/// fact dated before a channel's first regime is judged by the national timeline.
/// `channelBySource` chooses the channel of a fact from its source: an exact source first, then the
/// department (the text after the source's last `-`, e.g. `SCJG` of `310114-SCJG`), else the base.
///
/// A district file in the same format overrides fields of a regime with the same `from` (of the
/// same channel) or adds a regime of its own, adds or overrides channels, and overrides the
/// source mapping; what it sets stays in force until a later regime changes it.
public struct RuleBook: Sendable {
    /// The name of the national timeline's channel (信用中国, the NDRC's regimes).
    public static let baseChannel = "creditChina"

    /// The national regimes, oldest first, each complete.
    public let regimes: [RuleRegime]
    /// Each other channel's regimes (laid over the national ones), oldest first, by channel name.
    public let channels: [String: [RuleRegime]]
    /// The channel of an exact source.
    public let channelBySourceID: [String: String]
    /// The channel of a department (the source's text after its last `-`).
    public let channelByDepartment: [String: String]

    /// The bundled national regimes, optionally overridden by district files (applied in order).
    /// - Throws: ``RuleBookError``.
    public static func national(districtOverrides: [Data] = []) throws -> RuleBook {
        let named = districtOverrides.enumerated().map { (name: "district file \($0.offset + 1)", data: $0.element) }
        return try RuleBook(json: try bundledJSON(), named: named)
    }

    /// The bundled national regimes overridden by the district files at `paths` (applied in
    /// order); an error names the file and the JSON path at fault.
    /// - Throws: ``RuleBookError``.
    public static func national(districtFiles paths: [String]) throws -> RuleBook {
        let named = try paths.map { path -> (name: String, data: Data) in
            do { return (path, try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
                throw RuleBookError.invalid("\(path): cannot be read: \(error.localizedDescription)")
            }
        }
        return try RuleBook(json: try bundledJSON(), named: named)
    }

    private static func bundledJSON() throws -> Data {
        guard let url = Bundle.module.url(forResource: "Resources/rule-regimes", withExtension: "json") else {
            throw RuleBookError.invalid("rule-regimes.json is missing from the bundle")
        }
        return try Data(contentsOf: url)
    }

    /// Builds a rule book from a base file and override files.
    /// - Throws: ``RuleBookError`` naming the regime and field at fault.
    public init(json: Data, overrides: [Data] = []) throws {
        try self.init(json: json, named: overrides.enumerated().map { (name: "district file \($0.offset + 1)", data: $0.element) })
    }

    init(json: Data, named overrides: [(name: String, data: Data)]) throws {
        var file = try RuleFile(json, name: nil)
        for (name, data) in overrides { file.lay(try RuleFile(data, name: name)) }
        let base = try Self.resolve(file.regimes, channel: Self.baseChannel, over: nil)
        var channels: [String: [RuleRegime]] = [:]
        for (channel, layers) in file.channels {
            channels[channel] = try Self.resolve(layers, channel: channel, over: base.inherited).resolved
        }
        let mappings = file.sourceChannels.map { ("sources.\($0.key)", $0.value) } + file.departmentChannels.map { ("departments.\($0.key)", $0.value) }
        for (key, channel) in mappings.sorted(by: { $0.0 < $1.0 }) where channel != Self.baseChannel && channels[channel] == nil {
            throw RuleBookError.invalid("\(file.mappingOrigin[key] ?? "rule-regimes.json"): channelBySource.\(key): unknown channel \(channel)")
        }
        regimes = base.resolved
        self.channels = channels
        channelBySourceID = file.sourceChannels
        channelByDepartment = file.departmentChannels
    }

    /// The regime governing a fact effective on `date` on the national timeline: the latest that
    /// started on or before it, or the earliest for facts older than every regime.
    public func regime(on date: LegalDate) -> RuleRegime {
        regimes.last { $0.from <= date } ?? regimes[0]
    }

    /// The regime governing a fact of `source` effective on `date`: its channel's regime in force
    /// then, or the national one before the channel's first regime.
    public func regime(on date: LegalDate, source: SourceID) -> RuleRegime {
        let channel = channel(of: source)
        guard channel != Self.baseChannel, let timeline = channels[channel], let found = timeline.last(where: { $0.from <= date }) else {
            return regime(on: date)
        }
        return found
    }

    /// The channel (publishing authority) whose rules judge the facts of `source`.
    public func channel(of source: SourceID) -> String {
        if let channel = channelBySourceID[source.text] { return channel }
        let department = source.text.split(separator: "-").last.map(String.init) ?? source.text
        return channelByDepartment[department] ?? Self.baseChannel
    }

    /// Resolves a timeline's layers, each inheriting from the one before; a channel's layers are
    /// also laid over the national regime in force on each of its dates.
    private static func resolve(_ layers: [[String: Any]], channel: String, over base: [(from: String, object: [String: Any])]?)
        throws -> (resolved: [RuleRegime], inherited: [(from: String, object: [String: Any])]) {
        // ISO dates sort as text; sorting here makes the file order irrelevant.
        let sorted = layers.sorted { ($0["from"] as! String) < ($1["from"] as! String) }
        var own: [(from: String, object: [String: Any])] = []
        var inherited: [String: Any] = [:]
        for layer in sorted {
            inherited = merge(inherited, layer)
            own.append((layer["from"] as! String, inherited))
        }
        guard let base, let first = own.first?.from else {
            return (try own.map { try decodeRegime($0.object, channel: channel) }, own)
        }
        // A channel changes when either its own rules or the national rules under them change.
        let dates = Set(own.map(\.from) + base.map(\.from).filter { $0 > first }).sorted()
        let resolved = try dates.map { date -> RuleRegime in
            let national = base.last { $0.from <= date }!.object
            var object = merge(national, own.last { $0.from <= date }!.object)
            object["from"] = date
            return try decodeRegime(object, channel: channel)
        }
        return (resolved, own)
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
    private static func decodeRegime(_ object: [String: Any], channel: String) throws -> RuleRegime {
        let from = object["from"] as! String
        let named = channel == baseChannel ? "regime from \(from)" : "channel \(channel): regime from \(from)"
        var object = object
        object["channel"] = channel
        let regime: RuleRegime
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            regime = try JSONDecoder().decode(RuleRegime.self, from: data)
        } catch let error as RuleBookError {
            throw RuleBookError.invalid("\(named): \(error)")
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw RuleBookError.invalid("\(named): \(path) is missing")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw RuleBookError.invalid("\(named): \(path): \(context.debugDescription)")
        } catch {
            throw RuleBookError.invalid("\(named): \(error)")
        }
        for severity in Severity.allCases {
            let rule = regime.penaltyPublicity[severity]
            guard rule.published else { continue }
            guard let minimum = rule.minimum, let maximum = rule.maximum, minimum <= maximum else {
                throw RuleBookError.invalid("\(named): penaltyPublicity.\(severity.rawValue) needs minimum ≤ maximum")
            }
        }
        return regime
    }
}

/// One rule file as read: the national layers, each channel's layers and the source mapping, with
/// where each mapping came from (for errors).
private struct RuleFile {
    var regimes: [[String: Any]] = []
    var channels: [String: [[String: Any]]] = [:]
    var sourceChannels: [String: String] = [:]
    var departmentChannels: [String: String] = [:]
    var mappingOrigin: [String: String] = [:]

    /// Reads a file; `name` is nil for the bundled base (which must have national regimes).
    init(_ data: Data, name: String?) throws {
        let prefix = name.map { "\($0): " } ?? ""
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw RuleBookError.invalid("\(prefix)not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else { throw RuleBookError.invalid("\(prefix)expected a JSON object") }
        if let entries = root["regimes"] {
            regimes = try Self.layers(entries, path: "regimes", prefix: prefix)
        }
        if name == nil, regimes.isEmpty { throw RuleBookError.invalid("expected an object with a non-empty \"regimes\" array") }
        if let value = root["channels"] {
            guard let channels = value as? [String: Any] else { throw RuleBookError.invalid("\(prefix)channels: expected an object of channels") }
            for (channel, entry) in channels {
                guard channel != RuleBook.baseChannel else {
                    throw RuleBookError.invalid("\(prefix)channels.\(channel): the national channel's regimes are the top-level \"regimes\"")
                }
                guard let entry = entry as? [String: Any], let layers = entry["regimes"] else {
                    throw RuleBookError.invalid("\(prefix)channels.\(channel): expected an object with a \"regimes\" array")
                }
                self.channels[channel] = try Self.layers(layers, path: "channels.\(channel).regimes", prefix: prefix)
            }
        }
        if let value = root["channelBySource"] { try readMapping(value, prefix: prefix, origin: name ?? "rule-regimes.json") }
    }

    private mutating func readMapping(_ value: Any, prefix: String, origin: String) throws {
        guard let mapping = value as? [String: Any] else { throw RuleBookError.invalid("\(prefix)channelBySource: expected an object") }
        for key in mapping.keys.sorted() where key != "about" {
            guard key == "sources" || key == "departments", let table = mapping[key] as? [String: Any] else {
                throw RuleBookError.invalid("\(prefix)channelBySource.\(key): expected \"sources\" or \"departments\", each an object of channel names")
            }
            for (from, channel) in table {
                guard let channel = channel as? String, !channel.isEmpty else {
                    throw RuleBookError.invalid("\(prefix)channelBySource.\(key).\(from): expected a channel name")
                }
                if key == "sources" { sourceChannels[from] = channel } else { departmentChannels[from] = channel }
                mappingOrigin["\(key).\(from)"] = origin
            }
        }
    }

    /// The entries of a `regimes` array, each checked to have a `from` date.
    private static func layers(_ value: Any, path: String, prefix: String) throws -> [[String: Any]] {
        guard let entries = value as? [[String: Any]], !entries.isEmpty else {
            throw RuleBookError.invalid("\(prefix)\(path): expected a non-empty array of regimes")
        }
        for (i, entry) in entries.enumerated() {
            guard let from = entry["from"] as? String, (try? LegalDate(parsing: from)) != nil else {
                throw RuleBookError.invalid("\(prefix)\(path)[\(i)].from must be a date YYYY-MM-DD")
            }
        }
        return entries
    }

    /// Lays a district file over this one: regimes merge by `from` within their channel, the
    /// source mapping by key.
    mutating func lay(_ district: RuleFile) {
        regimes = Self.lay(district.regimes, over: regimes)
        for (channel, layers) in district.channels { channels[channel] = Self.lay(layers, over: channels[channel] ?? []) }
        sourceChannels.merge(district.sourceChannels) { _, new in new }
        departmentChannels.merge(district.departmentChannels) { _, new in new }
        mappingOrigin.merge(district.mappingOrigin) { _, new in new }
    }

    private static func lay(_ entries: [[String: Any]], over layers: [[String: Any]]) -> [[String: Any]] {
        var layers = layers
        for entry in entries {
            let from = entry["from"] as! String
            if let i = layers.firstIndex(where: { $0["from"] as? String == from }) {
                layers[i] = RuleBook.merge(layers[i], entry)
            } else {
                layers.append(entry)
            }
        }
        return layers
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
