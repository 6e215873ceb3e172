import CreditDocuments
import Foundation
import LedgerStorage

/// Reading and writing the files of the proof commands: keys, checkpoints, proofs, and the
/// ledger's log opened read-only.
enum ProofFiles {
    /// The text of `path`, or a refusal naming it.
    static func text(_ path: String, what: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CLIFailure(.refused, "cannot read \(what) \(path): \(error.localizedDescription)")
        }
    }

    /// A key's default name: its file name without `.pem` and `.pub`.
    static func defaultKeyName(_ path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".pem", ".pub", "-public", "_public"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
        return name
    }

    static func signingKey(_ path: String, name: String?) throws -> CheckpointSigningKey {
        do { return try CheckpointSigningKey(pem: text(path, what: "the key file"), name: name ?? defaultKeyName(path)) } catch let error as KeyFileError {
            throw CLIFailure(.refused, "the key file \(path): \(error)")
        }
    }

    /// `[NAME=]FILE` keys, each retired after the size `--retired-after NAME=SIZE` gives.
    static func trustedKeys(_ arguments: [String], retired: [String]) throws -> [TrustedKey] {
        var retiredAfter: [String: UInt64] = [:]
        for entry in retired {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let size = UInt64(parts[1]) else {
                throw CLIFailure(.usage, "--retired-after needs NAME=SIZE, got \"\(entry)\"")
            }
            retiredAfter[parts[0]] = size
        }
        return try arguments.map { argument in
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let path = parts.last!, name = parts.count == 2 ? parts[0] : defaultKeyName(path)
            do {
                let key = try CheckpointPublicKey(pem: try text(path, what: "the public key"), name: name)
                return TrustedKey(key, retiredAfterSize: retiredAfter[name])
            } catch let error as KeyFileError {
                throw CLIFailure(.refused, "the public key \(path): \(error)")
            }
        }
    }

    /// A checkpoint file, parsed but not verified (its signature is the auditor's to check).
    static func checkpoint(_ path: String) throws -> TreeCheckpoint {
        do { return try TreeCheckpoint.parseUnverified(text(path, what: "the checkpoint")) } catch let error as ProofRefusal {
            throw CLIFailure(.refused, "the checkpoint \(path): \(error)")
        }
    }

    /// A checkpoint file verified with `trusted` keys, and the name of the key that signed it.
    static func verifiedCheckpoint(_ path: String, trusted: [TrustedKey]) throws -> (TreeCheckpoint, String) {
        do { return try TreeCheckpoint.verify(text(path, what: "the checkpoint"), trusting: trusted) } catch let error as ProofRefusal {
            throw CLIFailure(.refused, "checkpoint \(path) refused: \(error)")
        }
    }

    /// The ledger's log, read-only (no lock, nothing written).
    static func openLog(_ ledger: String) throws -> FileLog {
        let directory = ledger + "/log"
        guard FileManager.default.fileExists(atPath: directory) else { throw CLIFailure(.damaged, "no ledger at \(ledger)") }
        let log = try logCall { try FileLog.open(directory: directory, readOnly: true) }
        OpenLedgers.register { try log.close() }  // closed when the command ends; a failure fails it
        for damage in log.derivedDamage { printError("credit-ledger: derived file damaged or missing (rebuilt in memory): \(damage)") }
        return log
    }

    /// Runs a log call, turning its errors into the CLI's: damage exits 2, a size the log does
    /// not hold is refused (1).
    static func logCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as LogError {
            switch error {
            case .treeSizeOutOfRange, .positionOutOfRange: throw CLIFailure(.refused, "\(error)")
            default: throw CLIFailure(.damaged, "\(error)")
            }
        }
    }

    /// Checks that `checkpoint` is of this ledger: its size within the log and its root the
    /// ledger's tree root at that size. A different root means the history up to the
    /// checkpoint was rewritten since, or the checkpoint is of another ledger (exit 2).
    static func requireMatch(_ checkpoint: TreeCheckpoint, log: FileLog, label: String) throws {
        let records = try logCall { try log.head.recordCount }
        guard checkpoint.head.size <= records else {
            throw CLIFailure(.refused, "\(label) covers \(checkpoint.head.size) facts, more than the ledger holds (\(records))")
        }
        let head = try logCall { try log.treeHead(size: checkpoint.head.size) }
        guard head.root == checkpoint.head.root, head.algorithm == checkpoint.head.algorithm else {
            throw CLIFailure(.damaged, "\(label) does not match this ledger: its root at tree size \(checkpoint.head.size) is \(checkpoint.head.root), the ledger's is \(head.root) (the history was rewritten, or the checkpoint is of another ledger)")
        }
    }

    /// Writes `text` to `path` atomically, or to stdout.
    static func emit(_ text: String, to path: String?) throws {
        guard let path else { return print(text, terminator: "") }
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CLIFailure(.refused, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// The JSON form of a proof (docs/proofs.md): hashes in lower-case hex, the record's payload in
/// base64, keys in a fixed order.
enum ProofDocument {
    case inclusion(InclusionProof)
    case consistency(ConsistencyProof)

    static func inclusion(_ proof: InclusionProof, origin: String) -> JSON {
        .object([
            ("kind", .string("inclusion")), ("origin", .string(origin)), ("hash", .string(proof.algorithm.rawValue)),
            ("treeSize", .integer(Int(proof.treeSize))), ("position", .integer(Int(proof.record.position.rawValue))),
            ("recordedTime", .string(proof.record.recordedTime.description)),
            ("payload", .string(Base64.encode(proof.record.payload))), ("leafHash", .string(proof.leafHash.description)),
            ("hashes", .array(proof.hashes.map { .string($0.description) })),
        ])
    }

    static func consistency(_ proof: ConsistencyProof) -> JSON {
        .object([
            ("kind", .string("consistency")), ("hash", .string(proof.algorithm.rawValue)),
            ("oldSize", .integer(Int(proof.oldSize))), ("newSize", .integer(Int(proof.newSize))),
            ("hashes", .array(proof.hashes.map { .string($0.description) })),
        ])
    }

    /// The fields a proof file may hold.
    private struct Fields: Decodable {
        var kind: String
        var hash: String
        var treeSize: UInt64?
        var position: UInt64?
        var recordedTime: String?
        var payload: String?
        var oldSize: UInt64?
        var newSize: UInt64?
        var hashes: [String]
    }

    /// Reads a proof file; anything malformed is refused naming the field.
    static func read(_ path: String) throws -> ProofDocument {
        let fields: Fields
        do { fields = try JSONDecoder().decode(Fields.self, from: Data(ProofFiles.text(path, what: "the proof").utf8)) } catch let error as CLIFailure {
            throw error
        } catch {
            throw CLIFailure(.refused, "the proof \(path) is not a proof document: \(error)")
        }
        func refuse(_ reason: String) -> CLIFailure { CLIFailure(.refused, "the proof \(path): \(reason)") }
        guard let algorithm = LogHashAlgorithm(rawValue: fields.hash) else { throw refuse("unknown hash \"\(fields.hash)\"") }
        let hashes = try fields.hashes.enumerated().map { index, text in
            guard let hash = TreeHash(hex: text) else { throw refuse("hashes[\(index)] is not 64 hexadecimal digits") }
            return hash
        }
        switch fields.kind {
        case "inclusion":
            guard let size = fields.treeSize, let position = fields.position else { throw refuse("treeSize and position are required") }
            guard let time = fields.recordedTime.flatMap(RecordedTime.init(rfc3339:)) else { throw refuse("recordedTime is missing or not RFC 3339") }
            guard let payload = fields.payload.flatMap(Base64.decode) else { throw refuse("payload is missing or not base64") }
            return .inclusion(InclusionProof(algorithm: algorithm, treeSize: size,
                                             record: LogRecord(position: Position(position), recordedTime: time, payload: payload),
                                             hashes: hashes))
        case "consistency":
            guard let old = fields.oldSize, let new = fields.newSize else { throw refuse("oldSize and newSize are required") }
            return .consistency(ConsistencyProof(algorithm: algorithm, oldSize: old, newSize: new, hashes: hashes))
        default:
            throw refuse("kind must be inclusion or consistency, is \"\(fields.kind)\"")
        }
    }
}
