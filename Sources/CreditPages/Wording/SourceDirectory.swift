import CreditFacts
import Foundation

/// The source directory: which department reports each fact source (`310114-SCJG` → 区市场监管局).
/// Data, not code: the shipped `sources.json` names departments by their department code (the part
/// of a source code after its region, `SCJG`), and a district lays its own file over it, naming
/// full source codes or department codes. A full code wins over its department code.
public struct SourceDirectory: Sendable {
    /// Source or department code → language → name.
    private let names: [String: [OutputLanguage: String]]

    /// The shipped directory, read once (a resource of this module, checked by the tests).
    static let shipped: SourceDirectory = {
        do { return try SourceDirectory(root: shippedRoot()) } catch { fatalError("the shipped source directory: \(error)") }
    }()

    /// The shipped directory with the district file at `path` laid over it.
    /// - Throws: ``RuleFileError`` naming the file and the JSON path: not JSON, an unknown field,
    ///   a key that is no source or department code, a name missing or empty.
    public init(overlay path: String) throws(RuleFileError) {
        let district = try JSONNode.root(of: try readRuleFile(path), origin: path)
        let own = try SourceDirectory(root: district)
        var names = Self.shipped.names
        for (code, name) in own.names { names[code] = name }
        self.names = names
    }

    /// The directory in `root`: `{"notes": […], "sources": {CODE: {"zh": NAME, "en": NAME}}}`.
    private init(root: JSONNode) throws(RuleFileError) {
        let fields = try root.object(allowed: ["notes", "sources"])
        var names: [String: [OutputLanguage: String]] = [:]
        for (code, node) in try LabelTable.members(try fields.required("sources")) {
            guard Self.isCode(code) else {
                throw node.error("not a source code (REGION-DEPT, e.g. 310114-SCJG) or a department code (SCJG)")
            }
            let entry = try node.object(allowed: OutputLanguage.allCases.map(\.rawValue))
            let zh = try entry.required("zh").string()
            names[code] = [.zh: zh, .en: try entry.optional("en")?.string() ?? zh]
        }
        self.names = names
    }

    /// The name of whoever reports `source` in `language`: the entry of the full code, else of its
    /// department code; nil when the directory has neither.
    public func name(of source: SourceID, in language: OutputLanguage) -> String? {
        if let name = names[source.text]?[language] { return name }
        guard let dash = source.text.lastIndex(of: "-") else { return nil }
        return names[String(source.text[source.text.index(after: dash)...])]?[language]
    }

    /// A department code (letters and digits) or a source code: a six-digit region, a hyphen, a
    /// department code.
    private static func isCode(_ text: String) -> Bool {
        func department(_ part: Substring) -> Bool { !part.isEmpty && part.count <= 16 && part.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) } }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 1 { return department(parts[0]) }
        return parts.count == 2 && parts[0].count == 6 && parts[0].allSatisfy { $0.isASCII && $0.isNumber } && department(parts[1])
    }

    private static func shippedRoot() throws(RuleFileError) -> JSONNode {
        let path = shippedResource("sources")
        return try JSONNode.root(of: try readRuleFile(path), origin: path)
    }
}
