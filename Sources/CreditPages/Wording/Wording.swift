import CreditFacts
import CreditLedger
import Foundation

/// The language of the text and HTML outputs: Chinese first (`zh`, the default), English on
/// request (`--lang en`). The JSON documents are not worded: they keep the codes.
public enum OutputLanguage: String, Sendable, Hashable, CaseIterable {
    /// 中文 (the default).
    case zh
    /// English.
    case en
}

/// The words the text and HTML outputs show instead of codes, in one language: the label table
/// (`Resources/labels.json`: roles, fields, severities, lists, statuses, measures' kinds, the
/// pages' headings and column labels), the source directory (which department reports a source),
/// and the rule titles of the grading model in use. All of it is data: a district lays its own
/// label and source files over the shipped ones.
public struct Wording: Sendable {
    /// The language every word is in.
    public let language: OutputLanguage
    /// Who reports each source.
    public let sources: SourceDirectory
    private let table: LabelTable
    /// Rule id → language → title: the bundled default model's, until ``grading(_:)`` names the
    /// model in use.
    private var ruleTitles: [String: [OutputLanguage: String]] = Wording.defaultRuleTitles

    /// The rule titles of the bundled default grading model (none if it cannot be read; its own
    /// tests guard it, and a rule is then shown by its id).
    private static let defaultRuleTitles: [String: [OutputLanguage: String]] = {
        do { return titles(of: try GradingModel.bundledDefault()) } catch { return [:] }
    }()

    /// Rule id → language → title of every rule and cap of `model`: `title` in Chinese, `titleEn`
    /// (when the model gives one) in English.
    private static func titles(of model: GradingModel) -> [String: [OutputLanguage: String]] {
        var titles: [String: [OutputLanguage: String]] = [:]
        for rule in model.deductions + model.additions { titles[rule.id] = [.zh: rule.title, .en: rule.titleEn].compactMapValues { $0 } }
        for cap in model.caps { titles[cap.id] = [.zh: cap.title, .en: cap.titleEn].compactMapValues { $0 } }
        return titles
    }

    /// The shipped label table and source directory in `language`.
    public init(language: OutputLanguage = .zh) {
        self.language = language
        table = LabelTable.shipped
        sources = SourceDirectory.shipped
    }

    /// The shipped tables with a district's files laid over them, in `language`.
    /// - Parameters:
    ///   - labels: a label file (same shape as the shipped `labels.json`), or nil.
    ///   - sources: a source directory file (same shape as the shipped `sources.json`), or nil.
    /// - Throws: ``RuleFileError`` naming the file and the JSON path of the problem.
    public init(language: OutputLanguage, labels: String?, sources: String?) throws(RuleFileError) {
        self.language = language
        table = try labels.map { (path) throws(RuleFileError) in try LabelTable(overlay: path) } ?? LabelTable.shipped
        self.sources = try sources.map { (path) throws(RuleFileError) in try SourceDirectory(overlay: path) } ?? SourceDirectory.shipped
    }

    /// This wording with the rule titles of `model` (the reasons of a grade name their rule by title).
    public func grading(_ model: GradingModel?) -> Wording {
        guard let model else { return self }
        var copy = self
        copy.ruleTitles = Self.titles(of: model)
        return copy
    }

    // MARK: Words

    /// A fixed text of the pages (a heading, a column label, a note) by its key in `text`.
    public func text(_ key: String) -> String { table.text[key]?[language] ?? key }

    /// The fixed text `key` with each `{name}` in it replaced by its value.
    public func text(_ key: String, _ values: KeyValuePairs<String, String>) -> String {
        Explanation.fill(text(key)) { name in values.first { $0.key == name }?.value }
    }

    /// Every fixed text by key, as the templates read them (`{{t.penalties}}`).
    public var texts: [String: String] { table.text.mapValues { $0[language] ?? "" } }

    /// The word for `code` of `vocabulary` (the code itself when the table has none).
    public func word(_ vocabulary: String, _ code: String) -> String { table.vocabularies[vocabulary]?[code]?[language] ?? code }

    /// A subject kind: 企业, 自然人, ….
    public func kind(_ kind: SubjectKind) -> String { word("subjectKind", kind.rawValue) }
    /// A role: 法定代表人, ….
    public func role(_ role: Role) -> String { word("role", role.rawValue) }
    /// A regulatory field: 食品安全, ….
    public func field(_ field: RegulatoryField) -> String { word("field", field.rawValue) }
    /// A penalty's class: 一般失信, 严重失信, ….
    public func severity(_ severity: Severity) -> String { word("severity", severity.rawValue) }
    /// A list: 经营异常名录, ….
    public func list(_ list: ListKind) -> String { word("list", list.rawValue) }
    /// A penalty's status: 有效, 已信用修复, ….
    public func status(_ status: PenaltyStatus.Status) -> String { word("penaltyStatus", status.rawValue) }
    /// A commitment's kind.
    public func commitment(_ kind: CommitmentKind) -> String { word("commitmentKind", kind.rawValue) }
    /// A commitment's status.
    public func status(_ status: CommitmentStatus.Status) -> String { word("commitmentStatus", status.rawValue) }
    /// A breach kind.
    public func breach(_ breach: BreachKind) -> String { word("breach", breach.rawValue) }
    /// A repair's status (`pending`, `approved`, `rejected`).
    public func repairStatus(_ status: String) -> String { word("repairStatus", status) }
    /// The kind of an organisation's dishonesty record.
    public func record(_ kind: DishonestyRecordKind) -> String { word("recordKind", kind.rawValue) }
    /// Why a person is linked to a record.
    public func basis(_ basis: LinkBasis) -> String { word("linkBasis", basis.rawValue) }
    /// An early-warning signal.
    public func warning(_ kind: EarlyWarning.Kind) -> String { word("warning", kind.rawValue) }
    /// Whether a measure punishes or rewards.
    public func measureKind(_ kind: MeasureKind) -> String { word("measureKind", kind.rawValue) }
    /// A grade level, M explained (M级（无记载不评价）).
    public func level(_ level: GradeLevel) -> String { word("level", level.rawValue) }
    /// A scene of joint measures: 政府采购, 高消费, ….
    public func scene(_ scene: MeasureScene) -> String { word("scene", scene.rawValue) }
    /// Yes or no.
    public func flag(_ value: Bool) -> String { word("flag", value ? "yes" : "no") }

    /// A measure's text in the language (the catalogue carries both).
    public func measure(_ text: MeasureText) -> String { language == .zh ? text.zh : text.en }

    /// A grading rule: its title in the model (`title`, Chinese) or, in English, its `titleEn`
    /// (its id when the model gives none); score adjustments from the label table.
    public func rule(_ id: String) -> String {
        if let adjustment = table.vocabularies["scoreRule"]?[id]?[language] { return adjustment }
        return ruleTitles[id]?[language].flatMap { $0.isEmpty ? nil : $0 } ?? id
    }

    /// A view's explanation (why a penalty is not published, why a listing ended, a data gap, an
    /// early warning) worded from the label table's `explanation` vocabulary: each `{name}` of the
    /// wording replaced by its parameter — dates as dates, codes as words, facts by department.
    public func explain(_ explanation: Explanation) -> String {
        Explanation.fill(word("explanation", explanation.code.rawValue)) { name in
            explanation.parameters.first { $0.name == name }.map { value($0.value) }
        }
    }

    /// Explanations joined into one sentence (；, or "; " in English).
    public func explain(_ explanations: [Explanation]) -> String {
        explanations.map(explain).joined(separator: language == .zh ? "；" : "; ")
    }

    /// A parameter of an explanation in words.
    private func value(_ value: Explanation.Value) -> String {
        switch value {
        case .text(let text): text
        case .number(let number): String(number)
        case .date(let date): self.date(date)
        case .words(let vocabulary, let codes, _): alternatives(codes.map { word(vocabulary, $0) })
        case .fact(let fact): fact.map(self.fact) ?? "—"
        }
    }

    /// "a", "a或b", "a、b或c" (English: "a or b", "a, b or c").
    private func alternatives(_ words: [String]) -> String {
        guard let last = words.last, words.count > 1 else { return words.first ?? "" }
        let or = language == .zh ? "或" : " or "
        return words.dropLast().joined(separator: language == .zh ? "、" : ", ") + or + last
    }

    /// Who reports `source`: the department's name, or the code when the directory has none.
    public func source(_ source: SourceID) -> String { sources.name(of: source, in: language) ?? source.text }

    /// A fact's key as a clerk reads it: the reporting department, then the source's own id
    /// (`区市场监管局 SYN-4685-7` for `310114-SCJG/SYN-4685-7`).
    public func fact(_ ref: FactRef) -> String { source(ref.source) + " " + ref.id.text }

    /// An instant to the second, in China Standard Time (`2026-06-30 23:59:59`, with 北京时间 or
    /// UTC+8): the text as given when it is no RFC 3339 timestamp.
    public func instant(_ text: String) -> String {
        guard let seconds = chinaStandardTime(text) else { return text }
        return seconds + (language == .zh ? "（北京时间）" : " UTC+8")
    }

    /// An instant to the second in China Standard Time without the zone's name (`2026-06-30
    /// 23:59:59`), for a column whose heading names it; nil when `text` is no RFC 3339 timestamp.
    public func chinaStandardTime(_ text: String) -> String? {
        guard let given = try? Timestamp(parsing: text),
              let local = Timestamp(secondsSinceEpoch: given.secondsSinceEpoch, offsetMinutes: Timestamp.chinaStandardTimeOffsetMinutes)
        else { return nil }
        return local.description.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "+08:00", with: "")
    }

    /// The comma, colon and brackets of running text: full-width in Chinese (，：（）), ASCII in
    /// English (so that names and numbers inside are never rewritten).
    public var comma: String { language == .zh ? "，" : ", " }
    /// See ``comma``.
    public var colon: String { language == .zh ? "：" : ": " }
    /// See ``comma``.
    public var open: String { language == .zh ? "（" : " (" }
    /// See ``comma``.
    public var close: String { language == .zh ? "）" : ")" }

    /// A date as written in a heading: 2026年6月30日, or 2026-06-30 in English.
    public func date(_ date: LegalDate) -> String {
        let (year, month, day) = date.civil
        return language == .zh ? "\(year)年\(month)月\(day)日" : date.description
    }
}
