import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

// The auditor's commands (docs/proofs.md): sign a checkpoint of the ledger's Merkle tree, prove
// that a fact is under it, prove that a later tree extends an earlier one, and check a proof
// offline with nothing but the checkpoint and the public key.

/// `checkpoint`: the ledger's tree head, signed.
struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign a checkpoint (origin, tree size, Merkle root, recorded time of the last fact) with an Ed25519 or SM2 key.")

    @Option(name: .long, help: "The ledger directory, or a PostgreSQL ledger: postgres://user@host[:port]/database[?schema=name].")
    var ledger: String = "./ledger"

    @Option(name: .long, help: "The private key: a PEM file from `openssl genpkey -algorithm ed25519` or `-algorithm ec -pkeyopt ec_paramgen_curve:SM2`.")
    var key: String

    @Option(name: .customLong("key-name"), help: "The name signatures carry (default: the key file's name without .pem).")
    var keyName: String?

    @Option(name: .long, help: "The origin line naming the ledger (default: credit-ledger/ and the ledger directory's name; for PostgreSQL, credit-ledger/DATABASE/SCHEMA).")
    var origin: String?

    @Option(name: .long, help: "Write the checkpoint to this file (atomically) instead of stdout.")
    var out: String?

    @Flag(name: .long, help: "Also keep it with the ledger, where reports and digests of exactly its size find it: in LEDGER/checkpoints/, or for PostgreSQL in the checkpoints table beside the log (every process sees it).")
    var keep = false

    func run() throws {
        try CreditLedgerCommand.run {
            let signer = try ProofFiles.signingKey(key, name: keyName)
            let log = try ProofFiles.openLog(ledger)
            let head = try ProofFiles.logCall { try log.treeHead(size: nil) }
            let name = origin ?? ProofFiles.defaultOrigin(ledger)
            let text: String
            do { text = try TreeCheckpoint(origin: name, head: head).signed(by: signer) } catch {
                throw CLIFailure(.refused, "signing failed: \(error)")
            }
            if keep {
                let store = ProofFiles.checkpointStore(ledger, log: log)
                do {
                    try store.write(text, size: head.size)
                    if let kept = try store.text(size: head.size), kept != text {
                        printError("credit-ledger: \(store.location) already keeps a checkpoint of \(head.size) facts, signed before; it keeps that one")
                    }
                } catch {
                    throw CLIFailure(.refused, "cannot keep the checkpoint in \(store.location): \(error)")
                }
            }
            try ProofFiles.emit(text, to: out)
        }
    }
}

/// `prove`: the inclusion proof of one fact under a checkpoint.
struct Prove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove that a fact (SOURCE/ID or a log position) is in the ledger under a checkpoint: an inclusion proof as JSON.")

    @Argument(help: "The fact: SOURCE/ID (its source and id) or its log position.")
    var fact: String

    @Option(name: .long, help: "The ledger directory, or a PostgreSQL ledger: postgres://user@host[:port]/database[?schema=name].")
    var ledger: String = "./ledger"

    @Option(name: .long, help: "The checkpoint the proof is for (its size and root must be this ledger's).")
    var checkpoint: String

    @Option(name: .long, help: "With a PostgreSQL ledger: the local state directory whose snapshots speed up finding SOURCE/ID (default ./ledger-state).")
    var state: String?

    @Option(name: .long, help: "Write the proof to this file (atomically) instead of stdout.")
    var out: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let signed = try ProofFiles.checkpoint(checkpoint)
            let position = try resolve()
            let log = try ProofFiles.openLog(ledger)
            try ProofFiles.requireMatch(signed, log: log, label: "the checkpoint")
            guard position.rawValue < signed.head.size else {
                throw CLIFailure(.refused, "fact at position \(position) was recorded after the checkpoint, which covers positions below \(signed.head.size)")
            }
            let proof = try ProofFiles.logCall { try log.inclusionProof(position: position, treeSize: signed.head.size) }
            try ProofFiles.emit(ProofDocument.inclusion(proof, origin: signed.origin).text + "\n", to: out)
        }
    }

    /// The position `fact` names: a number, or SOURCE/ID looked up in the ledger's index.
    private func resolve() throws -> Position {
        if let number = UInt64(fact) { return Position(number) }
        guard let slash = fact.lastIndex(of: "/"), slash != fact.startIndex, fact.index(after: slash) != fact.endIndex else {
            throw CLIFailure(.usage, "the fact must be SOURCE/ID or a log position, got \"\(fact)\"")
        }
        let source = SourceID(unchecked: String(fact[..<slash])), id = FactID(unchecked: String(fact[fact.index(after: slash)...]))
        let ledgerOptions = try LedgerOptions.parse(["--ledger", ledger] + (state.map { ["--state", $0] } ?? []))
        guard let position = try ledgerOptions.open().position(source: source, id: id) else {
            throw CLIFailure(.refused, "the ledger holds no fact \(source)/\(id)")
        }
        return position
    }
}

/// `prove-consistency`: the proof that a later tree extends an earlier one.
struct ProveConsistency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove-consistency",
        abstract: "Prove that the ledger at NEW extends the ledger at OLD without rewriting it: a consistency proof as JSON.")

    @Argument(help: "The earlier tree: a checkpoint file or a tree size.")
    var old: String

    @Argument(help: "The later tree: a checkpoint file or a tree size (the whole ledger when omitted).")
    var new: String?

    @Option(name: .long, help: "The ledger directory, or a PostgreSQL ledger: postgres://user@host[:port]/database[?schema=name].")
    var ledger: String = "./ledger"

    @Option(name: .long, help: "Write the proof to this file (atomically) instead of stdout.")
    var out: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let log = try ProofFiles.openLog(ledger)
            let oldSize = try size(of: old, log: log, label: "the old checkpoint")
            let newSize = try new.map { try size(of: $0, log: log, label: "the new checkpoint") } ?? ProofFiles.logCall { try log.head.recordCount }
            guard oldSize <= newSize else {
                throw CLIFailure(.refused, "the old tree (\(oldSize) facts) is larger than the new one (\(newSize))")
            }
            let proof = try ProofFiles.logCall { try log.consistencyProof(from: oldSize, to: newSize) }
            try ProofFiles.emit(ProofDocument.consistency(proof).text + "\n", to: out)
        }
    }

    /// A tree size given as a number, or a checkpoint file's size once its root is checked
    /// against the ledger's tree at that size.
    private func size(of argument: String, log: any LedgerLog, label: String) throws -> UInt64 {
        if let size = UInt64(argument) { return size }
        let checkpoint = try ProofFiles.checkpoint(argument)
        try ProofFiles.requireMatch(checkpoint, log: log, label: label)
        return checkpoint.head.size
    }
}

/// `verify-proof`: an inclusion or consistency proof checked offline.
struct VerifyProof: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-proof",
        abstract: "Check a proof offline (no ledger): the checkpoint's signature with a trusted public key, then the proof against its root.")

    @Argument(help: "The proof: a JSON file written by `prove` or `prove-consistency`.")
    var proof: String

    @Option(name: .long, help: "The checkpoint the proof is for (for a consistency proof: the later one).")
    var checkpoint: String

    @Option(name: .customLong("old-checkpoint"), help: "For a consistency proof: the earlier checkpoint.")
    var oldCheckpoint: String?

    @Option(name: .customLong("public-key"), help: "A trusted public key, [NAME=]FILE (PEM; NAME defaults to the file name without .pub.pem / .pem). Repeat for several keys.")
    var publicKeys: [String] = []

    @Option(name: .customLong("retired-after"), help: "NAME=SIZE: the key NAME was retired after tree size SIZE; its checkpoints of larger trees are refused.")
    var retired: [String] = []

    func run() throws {
        try CreditLedgerCommand.run {
            guard !publicKeys.isEmpty else { throw CLIFailure(.usage, "verify-proof needs at least one --public-key") }
            let trusted = try ProofFiles.trustedKeys(publicKeys, retired: retired)
            let document = try ProofDocument.read(proof)
            let (new, keyName) = try ProofFiles.verifiedCheckpoint(checkpoint, trusted: trusted)
            switch document {
            case .inclusion(let inclusion):
                do { try inclusion.verify(against: new.head) } catch { throw CLIFailure(.refused, "proof refused: \(error)") }
                print("ok: the fact at position \(inclusion.record.position), recorded \(inclusion.record.recordedTime), is in \(new.origin) at tree size \(new.head.size) (checkpoint signed by \(keyName))")
            case .consistency(let consistency):
                guard let oldCheckpoint else { throw CLIFailure(.usage, "a consistency proof needs --old-checkpoint") }
                let (old, oldKey) = try ProofFiles.verifiedCheckpoint(oldCheckpoint, trusted: trusted)
                guard old.origin == new.origin else {
                    throw CLIFailure(.refused, "the checkpoints are of different ledgers: \(old.origin) and \(new.origin)")
                }
                do { try consistency.verify(old: old.head, new: new.head) } catch { throw CLIFailure(.refused, "proof refused: \(error)") }
                print("ok: \(new.origin) at tree size \(new.head.size) extends tree size \(old.head.size) without rewriting it (checkpoints signed by \(oldKey) and \(keyName))")
            }
        }
    }
}
