import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// `export`: interchange v1 lines with `recorded`, in log order; with `--bundle DIR`, an export
/// bundle for an auditor (docs/proofs.md): the facts with a signed checkpoint, an inclusion proof
/// per fact and the public keys. On a ledger with a query audit log the export is recorded before
/// its first line is written (``CLIAudit/recordBeforeStreaming(answered:delivery:)``).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every fact as interchange v1 with `recorded`, in log order (round-trips through `import --backfill`); with --bundle, an auditor's bundle of facts, checkpoint, inclusion proofs and public keys.")

    @OptionGroup var options: LedgerOptions

    @Option(help: "Output file (default: stdout).")
    var out: String?

    @Option(help: "Write an export bundle into this directory (new or empty) instead: facts.jsonl, checkpoint.txt, proofs/, keys/, manifest.json.")
    var bundle: String?

    @Option(help: "With --bundle: the signed checkpoint the facts are proved under (its root must be this ledger's); facts recorded after it are left out.")
    var checkpoint: String?

    @Option(name: .customLong("public-key"), help: "With --bundle: a public key to hand over, [NAME=]FILE (PEM). Repeat for several keys.")
    var publicKeys: [String] = []

    @Option(help: "With --bundle: only the facts about this subject (repeatable; default: every fact under the checkpoint).")
    var subject: [String] = []

    func validate() throws {
        if bundle == nil && (checkpoint != nil || !publicKeys.isEmpty || !subject.isEmpty) {
            throw ValidationError("--checkpoint, --public-key and --subject go with --bundle")
        }
        if bundle != nil && (checkpoint == nil || out != nil) {
            throw ValidationError("--bundle needs --checkpoint, and writes no --out")
        }
    }

    func run() throws {
        if let bundle { return try writeBundle(bundle) }
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let end = try ledger.head.nextPosition
            let total = Int(end.rawValue)
            let sink = try LineSink(path: out)
            // On an audited ledger the export is recorded before its first fact is written, with
            // what it is about to write: the facts at positions 0..<end (a writer appending
            // meanwhile adds nothing to it).
            try CLIAudit.recordBeforeStreaming(answered: total, delivery: FactDelivery(event: "export", from: 0, next: end.rawValue))
            let progress = Progress("export", total: total)
            var line: [UInt8] = []
            var written = 0
            try ledger.forEachFact(upTo: end) { recorded in
                line.removeAll(keepingCapacity: true)
                FactJSONCodec.encode(recorded.fact, into: &line)
                line.append(UInt8(ascii: "\n"))
                try sink.write(line)
                written += 1
                if written % 65_536 == 0 { progress.update(written) }
            }
            try sink.close()
            progress.finish()
        }
    }

    private func writeBundle(_ directory: String) throws {
        try CreditLedgerCommand.run {
            let signed = try ProofFiles.checkpoint(checkpoint!)
            let text = try ProofFiles.text(checkpoint!, what: "the checkpoint")
            let subjects = try subject.isEmpty ? nil : Set(subject.map { code in
                do { return try SubjectCode(code) } catch { throw CLIFailure(.usage, "--subject \(code): \(error)") }
            })
            let keys = try publicKeys.map { argument in
                let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
                let path = parts.last!, name = parts.count == 2 ? parts[0] : ProofFiles.defaultKeyName(path)
                let pem = try ProofFiles.text(path, what: "the public key")
                do { _ = try CheckpointPublicKey(pem: pem, name: name) } catch { throw CLIFailure(.refused, "the public key \(path): \(error)") }
                return (name: name, pem: pem)
            }
            try ProofFiles.requireMatch(signed, log: try ProofFiles.openLog(options.ledger), label: "the checkpoint")
            let ledger = try options.open()
            let count: Int
            do {
                count = try ProofBundle.write(directory: directory, ledger: ledger, checkpointText: text, checkpoint: signed,
                                              publicKeys: keys, subjects: subjects)
            } catch let refusal as ProofRefusal {
                throw CLIFailure(.refused, "cannot write the bundle: \(refusal)")
            } catch let error as LedgerError {
                throw CLIFailure(error)
            } catch {
                throw CLIFailure(.refused, "cannot write the bundle in \(directory): \(error.localizedDescription)")
            }
            printError("credit-ledger: wrote \(count) facts with their inclusion proofs under tree size \(signed.head.size) to \(directory)")
        }
    }
}
