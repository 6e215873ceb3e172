import CreditDocuments
import CreditLedger
import CreditLedgerPostgres
import Foundation
import LedgerPostgres
import LedgerStorage

/// Reading and writing the files of the proof commands: keys, checkpoints, proofs, and the
/// ledger's log opened read-only (a ledger directory's, or a PostgreSQL ledger's).
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

    /// The origin naming a ledger when none is given: `credit-ledger/` and its directory's name,
    /// or for a PostgreSQL ledger its database and schema (`credit-ledger/credit/d_310114`: the
    /// same from every host, whatever name it reaches the server by).
    static func defaultOrigin(_ ledger: String) -> String {
        if PostgresLocation.isURL(ledger), let location = try? PostgresLocation(url: ledger, environment: [:]) {
            return "credit-ledger/\(location.database)/\(location.schema)"
        }
        return "credit-ledger/" + URL(fileURLWithPath: ledger).standardizedFileURL.lastPathComponent
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

    /// The ledger's log, read-only (no lock, nothing written): a ledger directory's, or the log of
    /// a PostgreSQL ledger (`postgres://…`; no state directory is needed to read it).
    static func openLog(_ ledger: String) throws -> any LedgerLog {
        if PostgresLocation.isURL(ledger) {
            let location = try LedgerOptions.postgresLocation(ledger)
            let log = try logCall { try PostgresLedgerLog.openForReading(location) }
            OpenLedgers.register { try log.close() }
            return log
        }
        let directory = ledger + "/log"
        guard FileManager.default.fileExists(atPath: directory) else { throw CLIFailure(.damaged, "no ledger at \(ledger)") }
        let log = try logCall { try FileLog.open(directory: directory, readOnly: true) }
        OpenLedgers.register { try log.close() }  // closed when the command ends; a failure fails it
        for damage in log.derivedDamage { printError("credit-ledger: derived file damaged or missing (rebuilt in memory): \(damage)") }
        return log
    }

    /// Where the ledger keeps its signed checkpoints: `LEDGER/checkpoints/`, or the table beside
    /// a PostgreSQL ledger's log.
    static func checkpointStore(_ ledger: String, log: any LedgerLog) -> any CheckpointStore {
        log.sharedCheckpoints ?? CheckpointFiles(ledgerDirectory: ledger)
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
    static func requireMatch(_ checkpoint: TreeCheckpoint, log: any LedgerLog, label: String) throws {
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

extension ProofDocument {
    /// Reads a proof file; anything malformed is refused naming the file and the field.
    static func read(_ path: String) throws -> ProofDocument {
        let text = try ProofFiles.text(path, what: "the proof")
        do { return try ProofDocument.parse(text) } catch {
            throw CLIFailure(.refused, "the proof \(path): \(error)")
        }
    }
}
