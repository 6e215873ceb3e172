import CreditFacts
import CreditLedger
import Foundation

/// The label table: for each vocabulary the word of every code, and the fixed texts of the pages,
/// each in every language. Read from the shipped `labels.json`, optionally with a district's file
/// laid over it; both are checked with file and JSON path in every error.
struct LabelTable: Sendable {
    /// vocabulary → code → language → word.
    let vocabularies: [String: [String: [OutputLanguage: String]]]
    /// key → language → text.
    let text: [String: [OutputLanguage: String]]

    /// The codes every vocabulary must give a word for: each of the ledger's codes that an output
    /// shows (a code added to the vocabulary without a word fails the shipped table's test).
    static let required: [(vocabulary: String, codes: [String])] = [
        ("subjectKind", SubjectKind.allCases.map(\.rawValue)), ("role", Role.allCases.map(\.rawValue)),
        ("field", RegulatoryField.allCases.map(\.rawValue)), ("severity", Severity.allCases.map(\.rawValue)),
        ("list", ListKind.allCases.map(\.rawValue)), ("listExit", ListExitReason.allCases.map(\.rawValue)),
        ("penaltyStatus", ["active", "repaired", "expired", "revoked"]),
        ("commitmentKind", CommitmentKind.allCases.map(\.rawValue)),
        ("commitmentStatus", ["open", "fulfilled", "breached", "overdue", "revoked"]),
        ("breach", BreachKind.allCases.map(\.rawValue)), ("repairStatus", ["pending"] + RepairOutcome.allCases.map(\.rawValue)),
        ("recordKind", DishonestyRecordKind.allCases.map(\.rawValue)), ("linkBasis", LinkBasis.allCases.map(\.rawValue)),
        ("warning", EarlyWarning.Kind.allCases.map(\.rawValue)), ("measureKind", MeasureKind.allCases.map(\.rawValue)),
        ("triggerKind", MeasureTriggerKind.allCases.map(\.rawValue)), ("level", GradeLevel.allCases.map(\.rawValue)),
        ("explanation", Explanation.Code.allCases.map(\.rawValue)), ("measureOutcome", MeasureOutcome.allCases.map(\.rawValue)),
        ("flag", ["yes", "no"]), ("scene", MeasureScene.allCases.map(\.rawValue)), ("scoreRule", ["score.max", "score.min", "score.maxAdditions"]),
        ("honourLevel", HonourLevel.allCases.map(\.rawValue)), ("contractOutcome", ContractOutcome.allCases.map(\.rawValue)),
        ("licenceState", LicenceStatus.State.allCases.map(\.rawValue)),
        ("factType", FactType.allCases.map(\.rawValue)), ("periodKind", IndicatorPeriodKind.allCases.map(\.rawValue)),
        ("caseStage", CaseStage.allCases.map(\.rawValue)), ("objectionOutcome", ObjectionOutcome.allCases.map(\.rawValue)),
        ("figurePart", ["made", "fulfilled", "breached", "applied", "approved", "rejected"]),
    ]

    /// The shipped table, read once. It is a resource of this module, checked by the tests: a
    /// broken one is a build that must not ship, so it stops the program with the file's error.
    static let shipped: LabelTable = {
        do { return try LabelTable(root: shippedRoot()) } catch { fatalError("the shipped label table: \(error)") }
    }()

    /// The shipped table with the file at `path` laid over it, key by key. The file may only name
    /// vocabularies, codes and texts the shipped table has (a misspelt key is an error, not an
    /// entry nobody reads).
    init(overlay path: String) throws(RuleFileError) {
        let base = try Self.shippedRoot()
        let district = try JSONNode.root(of: try readRuleFile(path), origin: path)
        try Self.checkKnown(district, in: base.value)
        try self.init(root: JSONNode(value: RuleJSON.merged(base.value, district.value), path: "", origin: path))
    }

    /// The table in `root`: `{"notes": […], "vocabularies": {NAME: {CODE: {"zh","en"}}}, "text": {KEY: {"zh","en"}}}`.
    private init(root: JSONNode) throws(RuleFileError) {
        let fields = try root.object(allowed: ["notes", "vocabularies", "text"])
        let vocabularyNode = try fields.required("vocabularies")
        var vocabularies: [String: [String: [OutputLanguage: String]]] = [:]
        for (name, node) in try Self.members(vocabularyNode) {
            var words: [String: [OutputLanguage: String]] = [:]
            for (code, entry) in try Self.members(node) { words[code] = try Self.words(entry) }
            vocabularies[name] = words
        }
        for (name, codes) in Self.required {
            guard let words = vocabularies[name] else { throw vocabularyNode.error("missing vocabulary \"\(name)\"") }
            if let code = codes.first(where: { words[$0] == nil }) {
                throw vocabularyNode.error("\(name): missing a word for \"\(code)\"")
            }
        }
        var text: [String: [OutputLanguage: String]] = [:]
        for (key, entry) in try Self.members(try fields.required("text")) { text[key] = try Self.words(entry) }
        self.vocabularies = vocabularies
        self.text = text
    }

    /// The members of an object, in key order, each as a node at its path.
    static func members(_ node: JSONNode) throws(RuleFileError) -> [(String, JSONNode)] {
        guard case .object(let fields) = node.value else { throw node.error("expected an object, found \(node.value.shape)") }
        return fields.keys.sorted().map { ($0, node.child($0, fields[$0]!)) }
    }

    /// `{"zh": "…", "en": "…"}`: a word in every language, none empty.
    static func words(_ node: JSONNode) throws(RuleFileError) -> [OutputLanguage: String] {
        let fields = try node.object(allowed: OutputLanguage.allCases.map(\.rawValue))
        var words: [OutputLanguage: String] = [:]
        for language in OutputLanguage.allCases { words[language] = try fields.required(language.rawValue).string(allowEmpty: language == .en) }
        return words
    }

    /// Throws when `district` names a key the shipped table does not have, down to the word
    /// entries (their languages are checked when the merged table is read).
    private static func checkKnown(_ district: JSONNode, in base: RuleJSON) throws(RuleFileError) {
        guard case .object(let known) = base, known[OutputLanguage.zh.rawValue] == nil else { return }
        for (key, node) in try members(district) {
            guard let shipped = known[key] else {
                throw node.error("not in the shipped table (known: \(known.keys.sorted().prefix(12).joined(separator: ", "))\(known.count > 12 ? ", …" : ""))")
            }
            try checkKnown(node, in: shipped)
        }
    }

    private static func shippedRoot() throws(RuleFileError) -> JSONNode {
        let path = shippedResource("labels")
        return try JSONNode.root(of: try readRuleFile(path), origin: path)
    }
}

/// Where the shipped resource `name`.json lies in the bundle.
func shippedResource(_ name: String) -> String {
    Bundle.module.url(forResource: "Resources/\(name)", withExtension: "json")?.path ?? Bundle.module.bundlePath + "/Resources/\(name).json"
}

/// The bytes of a rule-like data file, or an error naming it.
func readRuleFile(_ path: String) throws(RuleFileError) -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw RuleFileError(origin: path, path: "", message: "cannot read the file")
    }
    return data
}
