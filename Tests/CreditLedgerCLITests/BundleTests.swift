import Foundation
import Testing

/// An export bundle (`export --bundle`) and a consistency proof checked on "another machine" by
/// `ledger-auditor` (Examples/LedgerAuditor), with nothing but the bundle or checkpoints and the
/// public keys; every alteration is refused with its reason.
extension CLITests {
    /// Runs the `ledger-auditor` example built next to `credit-ledger`.
    func auditor(_ arguments: String...) throws -> Run {
        let path = URL(fileURLWithPath: try Self.executable()).deletingLastPathComponent().appendingPathComponent("ledger-auditor").path
        return try run(path, arguments)
    }

    @Test func anExportBundleIsVerifiedOfflineByTheAuditorWithThePublicKeyOnly() throws {
        try proofFixture()
        let subject = try penalisedSubject()
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--out", "cp.txt").status == 0)
        let exported = try cli("export", "--ledger", "L", "--bundle", "B", "--checkpoint", "cp.txt", "--public-key", "platform-2026.pub.pem",
                               "--subject", subject)
        #expect(exported.status == 0, "\(exported.stderr)")
        let facts = try String(contentsOfFile: directory + "/B/facts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(!facts.isEmpty)
        #expect(facts.allSatisfy { $0.contains(#""subject":"\#(subject)""#) })
        let inStream = try String(contentsOfFile: directory + "/first.jsonl", encoding: .utf8).split(separator: "\n")
            .filter { $0.contains(#""subject":"\#(subject)""#) }
        #expect(facts.count == inStream.count)

        let checked = try auditor("bundle", "B", "B/keys/platform-2026.pub.pem")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("ok: \(facts.count) facts are in credit-ledger/L at tree size 1000"), "\(checked.stdout)")
        // Each proof also verifies alone with verify-proof.
        let proofs = try FileManager.default.contentsOfDirectory(atPath: directory + "/B/proofs").sorted()
        #expect(proofs.count == facts.count)
        #expect(try cli("verify-proof", "B/proofs/" + proofs[0], "--checkpoint", "B/checkpoint.txt", "--public-key", "B/keys/platform-2026.pub.pem").status == 0)

        // Another key: refused.
        let wrongKey = try auditor("bundle", "B", "platform-2025.pub.pem")
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("no signature by a trusted key"), "\(wrongKey.stderr)")
        // A fact line altered: it is no longer the record its proof proves.
        let original = try String(contentsOfFile: directory + "/B/facts.jsonl", encoding: .utf8)
        try original.replacingOccurrences(of: #""effective":"20"#, with: #""effective":"19"#)
            .write(toFile: directory + "/B/facts.jsonl", atomically: true, encoding: .utf8)
        let altered = try auditor("bundle", "B", "B/keys/platform-2026.pub.pem")
        #expect(altered.status == 1)
        #expect(altered.stderr.contains("facts.jsonl line 1 is not the fact"), "\(altered.stderr)")
        // A fact left out: the count no longer matches the proofs.
        try (facts.dropFirst().joined(separator: "\n") + "\n").write(toFile: directory + "/B/facts.jsonl", atomically: true, encoding: .utf8)
        let dropped = try auditor("bundle", "B", "B/keys/platform-2026.pub.pem")
        #expect(dropped.status == 1)
        #expect(dropped.stderr.contains("facts.jsonl has \(facts.count - 1) facts"), "\(dropped.stderr)")
        // A proof altered.
        try original.write(toFile: directory + "/B/facts.jsonl", atomically: true, encoding: .utf8)
        let proofPath = directory + "/B/proofs/" + proofs[0]
        let proof = try String(contentsOfFile: proofPath, encoding: .utf8)
        let hashes = try #require(proof.range(of: #""hashes":[""#))
        let digit = proof.index(hashes.upperBound, offsetBy: 5)
        var forged = proof
        forged.replaceSubrange(digit...digit, with: proof[digit] == "0" ? "1" : "0")
        try forged.write(toFile: proofPath, atomically: true, encoding: .utf8)
        let badProof = try auditor("bundle", "B", "B/keys/platform-2026.pub.pem")
        #expect(badProof.status == 1)
        #expect(badProof.stderr.contains("the proof leads to root"), "\(badProof.stderr)")

        // The bundle is not written over an existing one, and needs a checkpoint of this ledger.
        let again = try cli("export", "--ledger", "L", "--bundle", "B", "--checkpoint", "cp.txt")
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists and is not empty"), "\(again.stderr)")
        #expect(try cli("export", "--ledger", "L", "--bundle", "C").status == 64)
    }

    @Test func theAuditorChecksAConsistencyProofBetweenTwoSignedCheckpoints() throws {
        try proofFixture()
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2025.pem", "--out", "old.txt").status == 0)
        #expect(try cli("import", "--ledger", "L", "rest.jsonl").status == 0)
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--out", "new.txt").status == 0)
        #expect(try cli("prove-consistency", "old.txt", "new.txt", "--ledger", "L", "--out", "c.json").status == 0)
        let checked = try auditor("consistency", "old.txt", "new.txt", "c.json", "platform-2025.pub.pem", "platform-2026.pub.pem")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("at tree size 1600 extends tree size 1000"), "\(checked.stdout)")
        // The checkpoints swapped: the proof is for other sizes.
        let swapped = try auditor("consistency", "new.txt", "old.txt", "c.json", "platform-2025.pub.pem", "platform-2026.pub.pem")
        #expect(swapped.status == 1)
        #expect(swapped.stderr.contains("refused"), "\(swapped.stderr)")
        // Without the old key, the old checkpoint is not trusted.
        let untrusted = try auditor("consistency", "old.txt", "new.txt", "c.json", "platform-2026.pub.pem")
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("no signature by a trusted key"), "\(untrusted.stderr)")
        // An inclusion proof is not a consistency proof.
        #expect(try cli("prove", "3", "--ledger", "L", "--checkpoint", "new.txt", "--out", "p.json").status == 0)
        let wrongKind = try auditor("consistency", "old.txt", "new.txt", "p.json", "platform-2025.pub.pem", "platform-2026.pub.pem")
        #expect(wrongKind.status == 1)
        #expect(wrongKind.stderr.contains("is not a consistency proof"), "\(wrongKind.stderr)")
    }
}
