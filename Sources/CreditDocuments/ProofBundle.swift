import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// An export bundle for an auditor on another machine (docs/proofs.md): facts, the signed
/// checkpoint they are proved under, one inclusion proof per fact, and the platform's public
/// keys — checked with nothing but the bundle and a trusted public key.
///
/// ```text
/// DIR/checkpoint.txt            the signed checkpoint (C2SP signed-note style)
/// DIR/keys/NAME.pub.pem         the public keys handed over with it
/// DIR/facts.jsonl               the facts, interchange v1 with `recorded`, in log order
/// DIR/proofs/POSITION.json      the inclusion proof of each fact (20-digit position), same order
/// DIR/manifest.json             origin, tree size, hash, count, and the proof file of each line
/// ```
public enum ProofBundle {
    /// What ``verify(directory:trusting:)`` established.
    public struct Verified: Sendable, Hashable {
        /// The ledger's name (the checkpoint's origin).
        public var origin: String
        /// The tree head the checkpoint signs.
        public var head: TreeHead
        /// The name of the trusted key whose signature verified.
        public var keyName: String
        /// How many facts were proved to be in the ledger under it.
        public var facts: Int
    }

    /// Writes a bundle of the facts of `ledger` at positions below the checkpoint's size — all of
    /// them, or those about `subjects` — into `directory`, which must not exist or be empty.
    /// `checkpointText` must be a checkpoint of this ledger (the caller checks its root); returns
    /// how many facts the bundle holds.
    public static func write(directory: String, ledger: Ledger, checkpointText: String, checkpoint: TreeCheckpoint,
                             publicKeys: [(name: String, pem: String)], subjects: Set<SubjectCode>?) throws -> Int {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory), !((try? manager.contentsOfDirectory(atPath: directory)) ?? []).isEmpty {
            throw ProofRefusal("\(directory) exists and is not empty")
        }
        try manager.createDirectory(atPath: directory + "/proofs", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: true)
        try Data(checkpointText.utf8).write(to: URL(fileURLWithPath: directory + "/checkpoint.txt"))
        for key in publicKeys {
            try Data(key.pem.utf8).write(to: URL(fileURLWithPath: directory + "/keys/\(key.name).pub.pem"))
        }
        let size = checkpoint.head.size
        var lines: [UInt8] = []
        var proofFiles: [String] = []
        try ledger.forEachFact { recorded in
            guard recorded.position.rawValue < size, subjects?.contains(recorded.fact.subject) ?? true else { return }
            let proof = try ledger.inclusionProof(position: recorded.position, treeSize: size)
            let name = "proofs/" + padded(recorded.position.rawValue) + ".json"
            try Data((ProofDocument.inclusion(proof, origin: checkpoint.origin).text + "\n").utf8)
                .write(to: URL(fileURLWithPath: directory + "/" + name))
            FactJSONCodec.encode(recorded.fact, into: &lines)
            lines.append(UInt8(ascii: "\n"))
            proofFiles.append(name)
        }
        try Data(lines).write(to: URL(fileURLWithPath: directory + "/facts.jsonl"))
        let manifest = JSON.object([
            ("origin", .string(checkpoint.origin)), ("treeSize", .integer(Int(size))), ("hash", .string(checkpoint.head.algorithm.rawValue)),
            ("root", .string(checkpoint.head.root.description)), ("facts", .integer(proofFiles.count)),
            ("checkpoint", .string("checkpoint.txt")), ("keys", .array(publicKeys.map { .string("keys/\($0.name).pub.pem") })),
            ("factsFile", .string("facts.jsonl")), ("proofs", .array(proofFiles.map(JSON.string))),
        ])
        try Data((manifest.text + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        return proofFiles.count
    }

    /// Checks a bundle with `trusted` keys only: the checkpoint's signature, every proof against
    /// its root, and that line *i* of `facts.jsonl` is exactly the record proof *i* proves.
    /// Throws the first reason it is refused.
    public static func verify(directory: String, trusting trusted: [TrustedKey]) throws(ProofRefusal) -> Verified {
        let (checkpoint, keyName) = try TreeCheckpoint.verify(try text(directory, "checkpoint.txt"), trusting: trusted)
        let manifest: [String: Any]
        do {
            manifest = try JSONSerialization.jsonObject(with: Data(try text(directory, "manifest.json").utf8)) as? [String: Any] ?? [:]
        } catch let refusal as ProofRefusal { throw refusal } catch { throw ProofRefusal("manifest.json is not JSON: \(error)") }
        guard let proofs = manifest["proofs"] as? [String] else { throw ProofRefusal("manifest.json lists no proofs") }
        let lines = try text(directory, "facts.jsonl").split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard lines.count == proofs.count else {
            throw ProofRefusal("facts.jsonl has \(lines.count) facts, manifest.json lists \(proofs.count) proofs")
        }
        var previous: Position?
        for (index, file) in proofs.enumerated() {
            guard !file.contains(".."), file.hasPrefix("proofs/") else { throw ProofRefusal("manifest.json names \(file) outside proofs/") }
            guard case .inclusion(let proof) = try ProofDocument.parse(try text(directory, file)) else {
                throw ProofRefusal("\(file) is not an inclusion proof")
            }
            do { try proof.verify(against: checkpoint.head) } catch { throw ProofRefusal("\(file): \(error)") }
            guard previous.map({ $0 < proof.record.position }) ?? true else {
                throw ProofRefusal("\(file): positions must ascend (\(proof.record.position) after \(previous!))")
            }
            previous = proof.record.position
            var fact: Fact
            do { fact = try BinaryFactCodec.decode(proof.record.payload) } catch {
                throw ProofRefusal("\(file): the proved record is not a fact: \(error)")
            }
            fact.recorded = Timestamp(proof.record.recordedTime)
            var line: [UInt8] = []
            FactJSONCodec.encode(fact, into: &line)
            guard String(decoding: line, as: UTF8.self) == lines[index] else {
                throw ProofRefusal("facts.jsonl line \(index + 1) is not the fact \(file) proves (position \(proof.record.position))")
            }
        }
        return Verified(origin: checkpoint.origin, head: checkpoint.head, keyName: keyName, facts: proofs.count)
    }

    private static func text(_ directory: String, _ name: String) throws(ProofRefusal) -> String {
        do { return try String(contentsOfFile: directory + "/" + name, encoding: .utf8) } catch {
            throw ProofRefusal("cannot read \(name) in \(directory): \(error.localizedDescription)")
        }
    }

    private static func padded(_ position: UInt64) -> String {
        let digits = String(position)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
