import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// `check-report`: checks a report's or a digest's JSON document against a ledger — the signed
/// checkpoint it carries (with the auditor's public keys), the ledger's Merkle root at the tree
/// size it names, and the document itself recomputed from exactly that history (docs/proofs.md).
struct CheckReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-report",
        abstract: "Check a report (report --format json) or digest (digest --json) against the ledger: its checkpoint's signature, the Merkle root at its tree size, and the document recomputed from exactly that history.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var rules: RuleOptions

    @Argument(help: "The JSON document: a credit report, a special report, or a digest.")
    var document: String

    @Option(name: .customLong("public-key"), help: "A trusted public key, [NAME=]FILE: the document's checkpoint must be signed by one of them. Repeat for several keys.")
    var publicKeys: [String] = []

    @Option(name: .customLong("retired-after"), help: "NAME=SIZE: the key NAME was retired after tree size SIZE.")
    var retired: [String] = []

    func run() throws {
        try CreditLedgerCommand.run {
            let text = try ProofFiles.text(document, what: "the document")
            let fields = try Self.fields(text, path: document)
            let bound = try Self.treeHead(fields, path: document)
            var signer: String?
            if !publicKeys.isEmpty {
                guard let checkpoint = (fields["ledger"] as? [String: Any])?["checkpoint"] as? String else {
                    throw CLIFailure(.refused, "\(document) carries no signed checkpoint of its tree size (\(bound.size) facts): nothing for --public-key to check")
                }
                let trusted = try ProofFiles.trustedKeys(publicKeys, retired: retired)
                let verified: TreeCheckpoint
                do { (verified, signer) = try TreeCheckpoint.verify(checkpoint, trusting: trusted) } catch {
                    throw CLIFailure(.refused, "the checkpoint in \(document) is refused: \(error)")
                }
                guard verified.head.size == bound.size, verified.head.root == bound.root, verified.head.algorithm == bound.algorithm else {
                    throw CLIFailure(.refused, "the checkpoint in \(document) signs tree size \(verified.head.size) root \(verified.head.root), the document names \(bound.size) root \(bound.root)")
                }
            }
            let ledger = try options.open()
            let records = try ledger.head.recordCount
            guard bound.size <= records else {
                throw CLIFailure(.refused, "\(document) names tree size \(bound.size), more than the ledger holds (\(records))")
            }
            let head = try ledger.treeHead(size: bound.size)
            guard head.root == bound.root, head.algorithm == bound.algorithm else {
                throw CLIFailure(.damaged, "\(document) does not match this ledger: its root at tree size \(bound.size) is \(bound.root), the ledger's is \(head.root) (the history was rewritten, or the document is of another ledger)")
            }
            // The instant that pins exactly the first `size` facts.
            let pin = bound.size == 0 ? RecordedTime.beforeEpoch : try ledger.fact(at: Position(bound.size - 1)).recorded
            let binding = try ledger.binding(knownAt: pin)
            guard binding.head == head else { throw CLIFailure(.damaged, "the ledger's facts are not in recorded-time order at \(bound.size)") }
            let recomputed = try recompute(fields, ledger: ledger, binding: binding)
            let mask = IdentityMasking.masked
            let given = mask.apply(text.trimmingCharacters(in: .whitespacesAndNewlines))
            guard mask.apply(recomputed.text) == given else {
                let differing = try Self.differingKeys(recomputed.text, given)
                throw CLIFailure(.damaged, "\(document) is not what the ledger's first \(bound.size) facts give (with these rules): \(differing.joined(separator: ", ")) differ")
            }
            print("ok: \(document) is what the ledger's first \(bound.size) facts give (Merkle root \(bound.algorithm.rawValue) \(bound.root))"
                  + (signer.map { ", under a checkpoint signed by \($0)" } ?? ""))
        }
    }

    /// The document's top-level fields.
    static func fields(_ text: String, path: String) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CLIFailure(.refused, "\(path) is not a JSON object")
        }
        return object
    }

    /// The tree head the document names in its `ledger` member.
    static func treeHead(_ fields: [String: Any], path: String) throws -> TreeHead {
        guard let ledger = fields["ledger"] as? [String: Any] else {
            throw CLIFailure(.refused, "\(path) has no \"ledger\" member naming the history it was computed from")
        }
        guard let size = (ledger["treeSize"] as? NSNumber)?.uint64Value, let hash = (ledger["hash"] as? String).flatMap(LogHashAlgorithm.init(rawValue:)),
              let root = (ledger["root"] as? String).flatMap(TreeHash.init(hex:)) else {
            throw CLIFailure(.refused, "\(path): ledger.treeSize, ledger.hash and ledger.root must be a size, a hash algorithm and 64 hex digits")
        }
        return TreeHead(algorithm: hash, size: size, root: root, lastRecordedTime: nil)
    }

    /// The document recomputed from `binding`'s history: a digest, a special report or a credit report.
    private func recompute(_ fields: [String: Any], ledger: Ledger, binding: HistoryBinding) throws -> JSON {
        func string(_ key: String) throws -> String {
            guard let value = fields[key] as? String else { throw CLIFailure(.refused, "\(document): \"\(key)\" is missing or not a string") }
            return value
        }
        func date(_ key: String) throws -> LegalDate {
            do { return try LegalDate(parsing: try string(key)) } catch let error as CLIFailure { throw error } catch {
                throw CLIFailure(.refused, "\(document): \"\(key)\" is not a date YYYY-MM-DD")
            }
        }
        let knownAtText = try string("knownAt")
        if fields["digest"] != nil {
            let asOf = try date("asOf")
            return QueryDocuments.digest(asOf: asOf, knownAtText: knownAtText, digest: try ledger.digest(asOf: asOf, knownAt: binding.knownAt), binding: binding)
        }
        let subject: SubjectCode
        do { subject = try SubjectCode(try string("subject")) } catch let error as CLIFailure { throw error } catch {
            throw CLIFailure(.refused, "\(document): \"subject\" is not a subject code")
        }
        if fields["field"] != nil {
            guard let field = RegulatoryField(rawValue: try string("field")) else { throw CLIFailure(.refused, "\(document): \"field\" is not a regulatory field") }
            let (report, name) = try Report.special(of: subject, field: field, from: try date("from"), through: try date("to"), ledger: ledger, binding: binding)
            return ReportDocuments.document(report, name: name, knownAt: knownAtText, binding: binding)
        }
        let about = try Report.credit(of: subject, asOf: try date("asOf"), ledger: ledger, binding: binding, rules: rules)
        return ReportDocuments.document(about.report, about: about, knownAt: knownAtText, binding: binding)
    }

    /// The top-level keys whose values differ between two documents, in the recomputed one's order.
    static func differingKeys(_ recomputed: String, _ given: String) throws -> [String] {
        let a = try fields(recomputed, path: "the recomputed document"), b = try fields(given, path: "the document")
        let keys = Set(a.keys).union(b.keys).sorted()
        let differing = keys.filter { key in
            guard let x = a[key], let y = b[key] else { return true }
            return (x as? NSObject) != (y as? NSObject)
        }
        return differing.isEmpty ? ["the bytes"] : differing
    }
}
