// An auditor's script, in three uses.
//
// 1. Replay a ledger: verify every checksum and the hash chain, then replay the views to a point
//    in time — as of a date, as known at an instant — and print what the ledger showed then, with
//    the digest to compare against the one the district published. Run it on a stopped ledger or
//    a copy: opening takes the writer's lock.
//      swift run ledger-auditor LEDGER_DIR 2024-06-30 2024-07-01T00:00:00+08:00
//
// 2. Check an export bundle on another machine, with nothing but the bundle and the platform's
//    public key (`credit-ledger export --bundle DIR --checkpoint CP`): the checkpoint's signature,
//    every fact's inclusion proof under it, and that each fact line is the record its proof proves.
//      swift run ledger-auditor bundle DIR platform-2026.pub.pem
//
// 3. Check that the ledger at a later checkpoint extends the one at an earlier checkpoint
//    (`credit-ledger prove-consistency OLD NEW`), with nothing but the public keys.
//      swift run ledger-auditor consistency OLD.txt NEW.txt PROOF.json platform-2025.pub.pem platform-2026.pub.pem
//
// Public keys are trusted under their file names without .pub.pem (the key names signatures carry).
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

let arguments = CommandLine.arguments

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("ledger-auditor: \(message)\n".utf8))
    exit(status)
}

/// The public keys in `paths`, each trusted under its file name without `.pub.pem`.
func trustedKeys(_ paths: ArraySlice<String>) throws -> [TrustedKey] {
    try paths.map { path in
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".pem", ".pub"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
        return TrustedKey(try CheckpointPublicKey(pem: String(contentsOfFile: path, encoding: .utf8), name: name))
    }
}

switch arguments.dropFirst().first {
case "bundle":
    guard arguments.count >= 4 else { fail("usage: ledger-auditor bundle DIR PUBLIC_KEY.pem...", status: 64) }
    do {
        let verified = try ProofBundle.verify(directory: arguments[2], trusting: try trustedKeys(arguments[3...]))
        print("ok: \(verified.facts) facts are in \(verified.origin) at tree size \(verified.head.size) (root \(verified.head.root), checkpoint signed by \(verified.keyName))")
    } catch let refusal as ProofRefusal {
        fail("refused: \(refusal)", status: 1)
    } catch {
        fail("\(error)", status: 1)
    }

case "consistency":
    guard arguments.count >= 6 else { fail("usage: ledger-auditor consistency OLD_CHECKPOINT NEW_CHECKPOINT PROOF.json PUBLIC_KEY.pem...", status: 64) }
    do {
        let trusted = try trustedKeys(arguments[5...])
        let (old, oldKey) = try TreeCheckpoint.verify(try String(contentsOfFile: arguments[2], encoding: .utf8), trusting: trusted)
        let (new, newKey) = try TreeCheckpoint.verify(try String(contentsOfFile: arguments[3], encoding: .utf8), trusting: trusted)
        guard old.origin == new.origin else { throw ProofRefusal("the checkpoints are of different ledgers: \(old.origin) and \(new.origin)") }
        guard case .consistency(let proof) = try ProofDocument.parse(try String(contentsOfFile: arguments[4], encoding: .utf8)) else {
            throw ProofRefusal("\(arguments[4]) is not a consistency proof")
        }
        try proof.verify(old: old.head, new: new.head)
        print("ok: \(new.origin) at tree size \(new.head.size) extends tree size \(old.head.size) without rewriting it (signed by \(oldKey) and \(newKey))")
    } catch let refusal as ProofRefusal {
        fail("refused: \(refusal)", status: 1)
    } catch {
        fail("\(error)", status: 1)
    }

default:
    guard arguments.count >= 3, let asOf = try? LegalDate(parsing: arguments[2]) else {
        fail("usage: ledger-auditor LEDGER_DIR AS_OF_DATE [KNOWN_AT_RFC3339] | bundle DIR KEY... | consistency OLD NEW PROOF KEY...", status: 64)
    }
    let directory = arguments[1]
    do {
        let report = try FileLog.verify(directory: directory + "/log")
        guard report.isIntact else { fail("damaged: \(report)", status: 2) }
        print("chain: \(report)")
        let knownAt = try arguments.count > 3 ? Timestamp(parsing: arguments[3]).recordedTime : nil
        let ledger = try Ledger.open(directory: directory)
        defer { try? ledger.close() }
        print("as of \(asOf), known at \(arguments.count > 3 ? arguments[3] : "now"):")
        print("  digest \(try ledger.digest(asOf: asOf, knownAt: knownAt))")
        let grades = try ledger.gradeDistribution(asOf: asOf, knownAt: knownAt)
        print("  grades " + grades.rows.map { "\($0.level.rawValue)=\($0.count)" }.joined(separator: " "))
        let coverage = try ledger.penetrationCoverage(asOf: asOf, knownAt: knownAt)
        print("  penetration \(coverage.linked)/\(coverage.records) dishonesty records linked to persons")
    } catch {
        fail("\(error)", status: 1)
    }
}
