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
    /// - Throws: ``RuleFileError`` naming the file (or regime) and the JSON path at fault.
    public static func national(districtOverrides: [Data] = []) throws(RuleFileError) -> RuleBook {
        let named = districtOverrides.enumerated().map { (name: "district file \($0.offset + 1)", data: $0.element) }
        return try RuleBook(json: try bundledJSON(), named: named)
    }

    /// The bundled national regimes overridden by the district files at `paths` (applied in
    /// order); an error names the file and the JSON path at fault.
    /// - Throws: ``RuleFileError``.
    public static func national(districtFiles paths: [String]) throws(RuleFileError) -> RuleBook {
        var named: [(name: String, data: Data)] = []
        for path in paths {
            do { named.append((path, try Data(contentsOf: URL(fileURLWithPath: path)))) } catch {
                throw RuleFileError(origin: path, path: "", message: "cannot be read: \(error.localizedDescription)")
            }
        }
        return try RuleBook(json: try bundledJSON(), named: named)
    }

    private static let bundledName = "rule-regimes.json"

    private static func bundledJSON() throws(RuleFileError) -> Data {
        guard let url = Bundle.module.url(forResource: "Resources/rule-regimes", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw RuleFileError(origin: bundledName, path: "", message: "is missing from the bundle")
        }
        return data
    }

    /// Builds a rule book from a base file and override files.
    /// - Throws: ``RuleFileError`` naming the file or regime and the JSON path at fault.
    public init(json: Data, overrides: [Data] = []) throws(RuleFileError) {
        try self.init(json: json, named: overrides.enumerated().map { (name: "district file \($0.offset + 1)", data: $0.element) })
    }

    init(json: Data, named overrides: [(name: String, data: Data)]) throws(RuleFileError) {
        var file = try RegimeFile(json, name: Self.bundledName, isBase: true)
        for (name, data) in overrides { file.lay(try RegimeFile(data, name: name, isBase: false)) }
        let base = try Self.resolve(file.regimes, channel: Self.baseChannel, over: nil)
        var channels: [String: [RuleRegime]] = [:]
        for channel in file.channels.keys.sorted() {
            channels[channel] = try Self.resolve(file.channels[channel]!, channel: channel, over: base.inherited).resolved
        }
        for (key, mapping) in file.mappings.sorted(by: { $0.key < $1.key }) where mapping.channel != Self.baseChannel && channels[mapping.channel] == nil {
            throw RuleFileError(origin: mapping.origin, path: "channelBySource.\(key)", message: "unknown channel \(mapping.channel)")
        }
        regimes = base.resolved
        self.channels = channels
        channelBySourceID = file.mappings.filter { $0.key.hasPrefix("sources.") }.reduce(into: [:]) { $0[String($1.key.dropFirst(8))] = $1.value.channel }
        channelByDepartment = file.mappings.filter { $0.key.hasPrefix("departments.") }
            .reduce(into: [:]) { $0[String($1.key.dropFirst(12))] = $1.value.channel }
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
        // Asked for every record judged (a distribution judges every penalty of a district):
        // one lookup per map, the department found without splitting the text.
        if !channelBySourceID.isEmpty, let channel = channelBySourceID[source.text] { return channel }
        guard !channelByDepartment.isEmpty else { return Self.baseChannel }
        return channelByDepartment[String(Self.department(of: source.text))] ?? Self.baseChannel
    }

    /// The text after the last `-` that has text after it (the whole text when none has).
    static func department(of text: String) -> Substring {
        // On the UTF-8 bytes: `-` is ASCII, so its positions are character boundaries.
        let bytes = text.utf8
        let dash = UInt8(ascii: "-")
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == dash { end = bytes.index(before: end) }
        guard end > bytes.startIndex else { return text[...] }
        let start = bytes[..<end].lastIndex(of: dash).map { bytes.index(after: $0) } ?? bytes.startIndex
        return text[start..<end]
    }

    /// Resolves a timeline's layers, each inheriting from the one before; a channel's layers are
    /// also laid over the national regime in force on each of its dates.
    private static func resolve(_ layers: [RegimeLayer], channel: String, over base: [RegimeLayer]?)
        throws(RuleFileError) -> (resolved: [RuleRegime], inherited: [RegimeLayer]) {
        // ISO dates sort as text; sorting here makes the file order irrelevant.
        var own: [RegimeLayer] = []
        var inherited = RuleJSON.object([:])
        for layer in layers.sorted(by: { $0.from < $1.from }) {
            inherited = RuleJSON.merged(inherited, layer.value)
            own.append(RegimeLayer(from: layer.from, value: inherited))
        }
        guard let base, let first = own.first?.from else {
            var resolved: [RuleRegime] = []
            for layer in own { resolved.append(try regime(layer.value, from: layer.from, channel: channel)) }
            return (resolved, own)
        }
        // A channel changes when either its own rules or the national rules under them change.
        let dates = Set(own.map(\.from) + base.map(\.from).filter { $0 > first }).sorted()
        var resolved: [RuleRegime] = []
        for date in dates {
            let national = base.last { $0.from <= date }!.value
            let merged = RuleJSON.merged(RuleJSON.merged(national, own.last { $0.from <= date }!.value), .object(["from": .string(date)]))
            resolved.append(try regime(merged, from: date, channel: channel))
        }
        return (resolved, own)
    }

    /// Reads one fully inherited regime; errors name the regime (it may gather fields of several files).
    private static func regime(_ value: RuleJSON, from: String, channel: String) throws(RuleFileError) -> RuleRegime {
        let named = channel == baseChannel ? "regime from \(from)" : "channel \(channel): regime from \(from)"
        return try RuleRegime(reading: JSONNode(value: value, path: "", origin: named), channel: channel)
    }
}

/// One layer of a timeline: the fields a `regimes` entry sets, and its `from` date (ISO text).
private struct RegimeLayer {
    var from: String
    var value: RuleJSON
}

/// One rule file as read: the national layers, each channel's layers and the source mapping, with
/// the file each mapping came from (for errors).
private struct RegimeFile {
    var regimes: [RegimeLayer] = []
    var channels: [String: [RegimeLayer]] = [:]
    /// `sources.X` or `departments.X` → the channel and the file that said so.
    var mappings: [String: (channel: String, origin: String)] = [:]

    /// Reads a file; the bundled base must have national regimes.
    init(_ data: Data, name: String, isBase: Bool) throws(RuleFileError) {
        let root = try JSONNode.root(of: data, origin: name)
        let fields = try root.object(allowed: ["about", "notes", "regimes", "channels", "channelBySource"])
        if let entries = fields.optional("regimes") { regimes = try Self.layers(entries) }
        if isBase, regimes.isEmpty { throw root.error("expected an object with a non-empty \"regimes\" array") }
        if let node = fields.optional("channels") {
            let table = try node.namedObject()
            for channel in table.fields.keys.sorted() {
                let entry = table.node.child(channel, table.fields[channel]!)
                guard channel != RuleBook.baseChannel else {
                    throw entry.error("the national channel's regimes are the top-level \"regimes\"")
                }
                let channelFields = try entry.object(allowed: ["about", "regimes"])
                channels[channel] = try Self.layers(try channelFields.required("regimes"))
            }
        }
        if let node = fields.optional("channelBySource") {
            let mapping = try node.object(allowed: ["about", "sources", "departments"])
            for key in ["sources", "departments"] {
                guard let table = mapping.optional(key) else { continue }
                let entries = try table.namedObject()
                for from in entries.fields.keys.sorted() {
                    mappings["\(key).\(from)"] = (try entries.required(from).string(), name)
                }
            }
        }
    }

    /// The entries of a `regimes` array, each an object with a `from` date.
    private static func layers(_ node: JSONNode) throws(RuleFileError) -> [RegimeLayer] {
        var layers: [RegimeLayer] = []
        for entry in try node.array(nonEmpty: true) {
            guard case .object(let fields) = entry.value else { throw entry.error("expected a regime object, found \(entry.value.shape)") }
            guard let value = fields["from"] else { throw entry.error("missing field \"from\"") }
            let from = try entry.child("from", value).date()
            layers.append(RegimeLayer(from: from.description, value: entry.value))
        }
        return layers
    }

    /// Lays a district file over this one: regimes merge by `from` within their channel, the
    /// source mapping by key.
    mutating func lay(_ district: RegimeFile) {
        regimes = Self.lay(district.regimes, over: regimes)
        for (channel, layers) in district.channels { channels[channel] = Self.lay(layers, over: channels[channel] ?? []) }
        mappings.merge(district.mappings) { _, new in new }
    }

    private static func lay(_ entries: [RegimeLayer], over layers: [RegimeLayer]) -> [RegimeLayer] {
        var layers = layers
        for entry in entries {
            if let i = layers.firstIndex(where: { $0.from == entry.from }) {
                layers[i].value = RuleJSON.merged(layers[i].value, entry.value)
            } else {
                layers.append(entry)
            }
        }
        return layers
    }
}
