import CreditFacts
import Foundation

/// A stage of a repair or objection case: received (the application or objection), accepted
/// (受理; for an objection, the record marked as disputed), decided (repair decision, objection
/// resolution).
public enum CaseStage: String, Sendable, Hashable, CaseIterable {
    case received, accepted, decided
}

/// The working-day limit of one stage: how many working days after which stage's date.
public struct StageLimit: Sendable, Hashable {
    /// Working days allowed.
    public var workingDays: Int
    /// The stage whose date the days are counted after (`received` or `accepted`).
    public var from: CaseStage
    /// Where the limit comes from, and how sure it is.
    public var source: String

    /// Creates a limit.
    public init(workingDays: Int, from: CaseStage, source: String) {
        self.workingDays = workingDays
        self.from = from
        self.source = source
    }
}

/// The limits of one kind of case: to accept it and to decide it; nil where the regime sets none.
public struct CaseLimits: Sendable, Hashable {
    /// Received → accepted.
    public var accept: StageLimit?
    /// → decided.
    public var decide: StageLimit?

    /// Creates limits.
    public init(accept: StageLimit?, decide: StageLimit?) {
        self.accept = accept
        self.decide = decide
    }

    /// The limit of `stage` (`accepted` or `decided`).
    public func limit(of stage: CaseStage) -> StageLimit? {
        switch stage {
        case .received: nil
        case .accepted: accept
        case .decided: decide
        }
    }
}

/// The working-day deadlines an office works repairs and objections to, stage by stage, as one
/// regime of the bundled `case-deadlines.json` (the national, Shanghai, Henan, Zhejiang and Order 58
/// limits the project sourced, each with its source) or of a district's own file.
public struct CaseDeadlines: Sendable, Hashable {
    /// The regime's key in the file (`standard`, `shanghai2017`, …).
    public var regime: String
    /// The regime's title.
    public var title: String
    /// The repair workflow's limits.
    public var repair: CaseLimits
    /// The objection workflow's limits.
    public var objection: CaseLimits

    /// Creates deadlines.
    public init(regime: String, title: String, repair: CaseLimits, objection: CaseLimits) {
        self.regime = regime
        self.title = title
        self.repair = repair
        self.objection = objection
    }

    /// The limits of `kind`.
    public func limits(_ kind: OpenCase.Kind) -> CaseLimits { kind == .repair ? repair : objection }

    /// Regime `regime` (the file's default when nil) of the bundled `case-deadlines.json`.
    /// - Throws: ``RuleFileError`` when the regime is unknown or the bundled file is broken.
    public static func bundled(regime: String? = nil) throws -> CaseDeadlines {
        let file = try bundledFile.get()
        return try file.regime(regime)
    }

    /// The bundled default regime (`standard`).
    public static var standard: CaseDeadlines {
        get throws { try bundled() }
    }

    /// Regime `regime` (the file's default when nil) of the deadline file at `path`.
    /// - Throws: ``RuleFileError`` naming the file and the JSON path.
    public static func load(path: String, regime: String? = nil) throws -> CaseDeadlines {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RuleFileError(origin: path, path: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try CaseDeadlineFile(data: data, origin: path).regime(regime)
    }

    /// The names of the bundled regimes, sorted.
    public static func bundledRegimes() throws -> [String] { try bundledFile.get().regimes.keys.sorted() }

    private static let bundledFile: Result<CaseDeadlineFile, RuleFileError> = {
        let origin = "case-deadlines.json"
        guard let url = Bundle.module.url(forResource: "Resources/case-deadlines", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            return .failure(RuleFileError(origin: origin, path: "", message: "missing from the bundle"))
        }
        do throws(RuleFileError) { return .success(try CaseDeadlineFile(data: data, origin: origin)) } catch { return .failure(error) }
    }()

    /// The last day a stage counted from `start` may be done, `workingDays` later on `calendar`;
    /// nil when the calendar does not cover it.
    static func due(_ start: LegalDate, workingDays: Int, calendar: WorkingDayCalendar) -> LegalDate? {
        try? calendar.workingDay(workingDays, after: start)
    }
}

/// A deadline file: `{"about"?, "default": NAME, "regimes": {NAME: {"title", "repair": LIMITS,
/// "objection": LIMITS}}}`, LIMITS `{"accept": LIMIT | null, "decide": LIMIT | null}`, LIMIT
/// `{"workingDays", "from": "received" | "accepted", "source"}`.
struct CaseDeadlineFile {
    var regimes: [String: CaseDeadlines] = [:]
    var defaultRegime: String
    var origin: String

    init(data: Data, origin: String) throws(RuleFileError) {
        self.origin = origin
        let root = try JSONNode.root(of: data, origin: origin)
        let top = try root.object(allowed: ["about", "default", "regimes"])
        let regimes = try top.required("regimes").namedObject()
        for name in regimes.fields.keys.sorted() {
            let node = regimes.node.child(name, regimes.fields[name]!)
            let fields = try node.object(allowed: ["title", "repair", "objection"])
            self.regimes[name] = CaseDeadlines(regime: name, title: try fields.required("title").string(),
                                               repair: try Self.limits(fields.required("repair")),
                                               objection: try Self.limits(fields.required("objection")))
        }
        let defaultNode = try top.required("default")
        defaultRegime = try defaultNode.string()
        if self.regimes[defaultRegime] == nil { throw defaultNode.error("no regime \"\(defaultRegime)\" in regimes") }
    }

    func regime(_ name: String?) throws(RuleFileError) -> CaseDeadlines {
        let name = name ?? defaultRegime
        guard let regime = regimes[name] else {
            throw RuleFileError(origin: origin, path: "regimes", message: "no regime \"\(name)\" (known: \(regimes.keys.sorted().joined(separator: ", ")))")
        }
        return regime
    }

    private static func limits(_ node: JSONNode) throws(RuleFileError) -> CaseLimits {
        let fields = try node.object(allowed: ["accept", "decide"])
        var accept: StageLimit?, decide: StageLimit?
        if let node = fields.optional("accept") { accept = try limit(node) }
        if let node = fields.optional("decide") { decide = try limit(node) }
        if let accept, accept.from != .received { throw node.child("accept", .null).error("acceptance is counted from received") }
        if let decide, decide.from == .accepted, accept == nil {
            throw node.child("decide", .null).error("counted from accepted, but the regime sets no acceptance stage")
        }
        return CaseLimits(accept: accept, decide: decide)
    }

    private static func limit(_ node: JSONNode) throws(RuleFileError) -> StageLimit {
        let fields = try node.object(allowed: ["workingDays", "from", "source"])
        let from = try fields.required("from").word(CaseStage.self)
        if from == .decided { throw node.child("from", .string("decided")).error("a stage is counted from received or accepted") }
        return StageLimit(workingDays: try fields.required("workingDays").positiveInt(), from: from,
                          source: try fields.required("source").string())
    }
}
