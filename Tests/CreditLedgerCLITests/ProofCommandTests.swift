import Foundation
import Testing

/// The auditor's commands through the real binary: a signed checkpoint, an inclusion proof of a
/// fact (by position and by SOURCE/ID), a consistency proof between two checkpoints, each
/// verified offline with only the public key, and each forgery refused with its exit code.
extension CLITests {
    /// A ledger of the first `first` facts of a generated stream (the rest in `rest.jsonl`), with
    /// an Ed25519 and an SM2 key pair made by the openssl command line.
    func proofFixture(first: Int = 1_000) throws {
        let run = try shell("""
            "$CL" generate --preset district-small --seed 3 --facts 1600 --out all.jsonl || exit 10
            head -n \(first) all.jsonl > first.jsonl && tail -n +\(first + 1) all.jsonl > rest.jsonl
            "$CL" import --ledger L first.jsonl > /dev/null || exit 11
            openssl genpkey -algorithm ed25519 -out platform-2025.pem && openssl pkey -in platform-2025.pem -pubout -out platform-2025.pub.pem || exit 12
            openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:SM2 -out platform-2026.pem && openssl pkey -in platform-2026.pem -pubout -out platform-2026.pub.pem || exit 13
            """)
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func aFactProvedUnderASignedCheckpointVerifiesOfflineWithThePublicKeyOnly() throws {
        try proofFixture()
        let checkpoint = try cli("checkpoint", "--ledger", "L", "--key", "platform-2025.pem", "--origin", "example.gov.cn/district-7",
                                 "--out", "cp1.txt")
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        let text = try String(contentsOfFile: directory + "/cp1.txt", encoding: .utf8)
        #expect(text.hasPrefix("example.gov.cn/district-7\n"))
        #expect(text.contains("\n\n\u{2014} platform-2025 "))
        let size = Int(text.split(separator: "\n")[1])!
        #expect(size >= 900)

        #expect(try cli("prove", "17", "--ledger", "L", "--checkpoint", "cp1.txt", "--out", "p17.json").status == 0)
        let proof = try String(contentsOfFile: directory + "/p17.json", encoding: .utf8)
        #expect(proof.hasPrefix(#"{"kind":"inclusion","origin":"example.gov.cn/district-7","hash":"sha256","treeSize":\#(size),"position":17,"#))
        let verified = try cli("verify-proof", "p17.json", "--checkpoint", "cp1.txt", "--public-key", "platform-2025.pub.pem")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("ok: the fact at position 17"))

        // By SOURCE/ID: the first fact of the stream.
        let first = try JSONSerialization.jsonObject(with: Data(try String(contentsOfFile: directory + "/first.jsonl", encoding: .utf8)
            .split(separator: "\n")[0].utf8)) as! [String: Any]
        let byKey = try cli("prove", "\(first["source"]!)/\(first["id"]!)", "--ledger", "L", "--checkpoint", "cp1.txt")
        #expect(byKey.status == 0, "\(byKey.stderr)")
        #expect(byKey.stdout.contains(#""position":0,"#))
    }

    @Test func forgedProofsAndUntrustedKeysAreRefused() throws {
        try proofFixture()
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--out", "cp.txt").status == 0)
        #expect(try cli("prove", "5", "--ledger", "L", "--checkpoint", "cp.txt", "--out", "p.json").status == 0)
        let unknown = try cli("verify-proof", "p.json", "--checkpoint", "cp.txt", "--public-key", "platform-2025.pub.pem")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no signature by a trusted key"), "\(unknown.stderr)")
        #expect(try cli("verify-proof", "p.json", "--checkpoint", "cp.txt", "--public-key", "platform-2026.pub.pem").status == 0)

        // A sibling hash changed: refused with the reason.
        var proof = try String(contentsOfFile: directory + "/p.json", encoding: .utf8)
        let hashes = proof.range(of: #""hashes":[""#)!
        let digit = proof.index(hashes.upperBound, offsetBy: 3)
        proof.replaceSubrange(digit...digit, with: proof[digit] == "0" ? "1" : "0")
        try proof.write(toFile: directory + "/forged.json", atomically: true, encoding: .utf8)
        let forged = try cli("verify-proof", "forged.json", "--checkpoint", "cp.txt", "--public-key", "platform-2026.pub.pem")
        #expect(forged.status == 1)
        #expect(forged.stderr.contains("proof refused"), "\(forged.stderr)")

        // The checkpoint's size altered after signing.
        let checkpoint = try String(contentsOfFile: directory + "/cp.txt", encoding: .utf8)
        let lines = checkpoint.split(separator: "\n", omittingEmptySubsequences: false)
        let bigger = ([lines[0], "\(Int(lines[1])! + 5)"] + lines[2...]).joined(separator: "\n")
        try bigger.write(toFile: directory + "/bigger.txt", atomically: true, encoding: .utf8)
        let altered = try cli("verify-proof", "p.json", "--checkpoint", "bigger.txt", "--public-key", "platform-2026.pub.pem")
        #expect(altered.status == 1)
        #expect(altered.stderr.contains("does not verify"), "\(altered.stderr)")
        // … and a checkpoint larger than the ledger is refused by prove.
        let tooLarge = try cli("prove", "5", "--ledger", "L", "--checkpoint", "bigger.txt")
        #expect(tooLarge.status == 1)
        #expect(tooLarge.stderr.contains("more than the ledger holds"), "\(tooLarge.stderr)")
        #expect(try cli("prove", "five", "--ledger", "L", "--checkpoint", "cp.txt").status == 64)
    }

    @Test func aLaterCheckpointProvedConsistentWithAnEarlierOneAfterKeyRotation() throws {
        try proofFixture()
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2025.pem", "--out", "old.txt").status == 0)
        #expect(try cli("import", "--ledger", "L", "rest.jsonl").status == 0)
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--out", "new.txt").status == 0)
        let proved = try cli("prove-consistency", "old.txt", "new.txt", "--ledger", "L", "--out", "c.json")
        #expect(proved.status == 0, "\(proved.stderr)")
        let oldSize = try String(contentsOfFile: directory + "/old.txt", encoding: .utf8).split(separator: "\n")[1]
        let verified = try cli("verify-proof", "c.json", "--checkpoint", "new.txt", "--old-checkpoint", "old.txt",
                               "--public-key", "platform-2025.pub.pem", "--public-key", "platform-2026.pub.pem",
                               "--retired-after", "platform-2025=\(oldSize)")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("extends tree size \(oldSize)"))
        // The retired key may not sign the larger tree.
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2025.pem", "--out", "late.txt").status == 0)
        let late = try cli("verify-proof", "c.json", "--checkpoint", "late.txt", "--old-checkpoint", "old.txt",
                           "--public-key", "platform-2025.pub.pem", "--retired-after", "platform-2025=\(oldSize)")
        #expect(late.status == 1)
        #expect(late.stderr.contains("retired after tree size"), "\(late.stderr)")
    }

    @Test func anOldCheckpointDoesNotMatchARewrittenLedger() throws {
        try proofFixture()
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2025.pem", "--out", "old.txt").status == 0)
        // Another ledger with a valid chain whose history differs (the stream without its first fact).
        let rewrite = try shell(#"tail -n +2 first.jsonl > other.jsonl && cat rest.jsonl >> other.jsonl && "$CL" import --ledger M other.jsonl > /dev/null"#)
        #expect(rewrite.status == 0 || rewrite.status == 1, "\(rewrite.stderr)")
        #expect(try cli("verify", "--ledger", "M").status == 0)
        let refused = try cli("prove-consistency", "old.txt", "--ledger", "M")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("does not match this ledger"), "\(refused.stderr)")
    }

    @Test func aValidlySignedCheckpointOfMoreFactsThanTheLedgerHoldsIsRefused() throws {
        try proofFixture()
        // The platform signed 1,600 facts; a copy of the ledger that holds only the first 1,000 (facts
        // lost, or a ledger rolled back to an older copy) cannot prove anything under that checkpoint.
        #expect(try shell(#""$CL" import --ledger M first.jsonl > /dev/null"#).status == 0)
        #expect(try cli("import", "--ledger", "L", "rest.jsonl").status == 0)
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--out", "cp.txt").status == 0)
        #expect(try cli("prove", "5", "--ledger", "L", "--checkpoint", "cp.txt", "--out", "p.json").status == 0)
        #expect(try cli("verify-proof", "p.json", "--checkpoint", "cp.txt", "--public-key", "platform-2026.pub.pem").status == 0)

        let proof = try cli("prove", "5", "--ledger", "M", "--checkpoint", "cp.txt")
        #expect(proof.status == 1)
        #expect(proof.stderr.contains("covers 1600 facts, more than the ledger holds (1000)"), "\(proof.stderr)")
        #expect(proof.stdout.isEmpty)
        let consistency = try cli("prove-consistency", "cp.txt", "--ledger", "M")
        #expect(consistency.status == 1)
        #expect(consistency.stderr.contains("more than the ledger holds (1000)"), "\(consistency.stderr)")
    }
}
