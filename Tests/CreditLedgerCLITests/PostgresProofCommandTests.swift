import Foundation
import PostgresTestSupport
import Testing

/// The auditor's commands on a PostgreSQL ledger (`--ledger postgres://…`), each a real process
/// against the test process's private cluster: checkpoints kept in the table beside the log and
/// found by other processes, proofs equal to a file ledger's for the same records, verified
/// offline, and oversized or forged checkpoints refused.
extension CLITests {
    func text(_ name: String) throws -> String { try String(contentsOfFile: directory + "/" + name, encoding: .utf8) }

    @Test func proofsCheckpointsReportsAndBundlesWorkOnAPostgresLedgerAsOnItsFileCopy() throws {
        try proofFixture()
        let url = try PostgresCluster.shared.url + "?schema=" + PostgresCluster.uniqueSchema()
        // The same records in PostgreSQL: same positions and recorded times, so the same tree.
        #expect(try cli("copy", "--from", "L", "--to", url).status == 0)

        // One process signs and keeps a checkpoint in the table; Ed25519 signs deterministically,
        // so the file ledger's checkpoint of the same head is the same text.
        let kept = try cli("checkpoint", "--ledger", url, "--key", "platform-2025.pem", "--origin", "example.gov.cn/district-7", "--keep", "--out", "pg-1000.txt")
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2025.pem", "--origin", "example.gov.cn/district-7", "--out", "file-1000.txt").status == 0)
        #expect(try text("pg-1000.txt") == text("file-1000.txt"))
        #expect(try text("pg-1000.txt").split(separator: "\n")[1] == "1000")

        // Another process proves a fact under it: the proof is the file ledger's, byte for byte,
        // and verifies offline with the public key only.
        let proved = try cli("prove", "17", "--ledger", url, "--checkpoint", "pg-1000.txt", "--out", "pg-17.json")
        #expect(proved.status == 0, "\(proved.stderr)")
        #expect(try cli("prove", "17", "--ledger", "L", "--checkpoint", "pg-1000.txt", "--out", "file-17.json").status == 0)
        #expect(try text("pg-17.json") == text("file-17.json"))
        let verified = try cli("verify-proof", "pg-17.json", "--checkpoint", "pg-1000.txt", "--public-key", "platform-2025.pub.pem")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("ok: the fact at position 17"), "\(verified.stdout)")
        // By SOURCE/ID, found through a ledger opened on PostgreSQL with a local state directory.
        let first = try JSONSerialization.jsonObject(with: Data(try text("first.jsonl").split(separator: "\n")[3].utf8)) as! [String: Any]
        let byKey = try cli("prove", "\(first["source"]!)/\(first["id"]!)", "--ledger", url, "--state", "Q", "--checkpoint", "pg-1000.txt")
        #expect(byKey.status == 0, "\(byKey.stderr)")
        #expect(byKey.stdout.contains(#""position":3,"#), "\(byKey.stdout)")

        // The file ledger grows first: a validly signed checkpoint of its 1600 facts is refused on
        // PostgreSQL, which holds 1000, naming both sizes.
        #expect(try cli("import", "--ledger", "L", "rest.jsonl").status == 0)
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--origin", "example.gov.cn/district-7", "--out", "file-1600.txt").status == 0)
        let ahead = try cli("prove", "17", "--ledger", url, "--checkpoint", "file-1600.txt")
        #expect(ahead.status == 1)
        #expect(ahead.stderr.contains("covers 1600 facts, more than the ledger holds (1000)"), "\(ahead.stderr)")
        #expect(try cli("prove-consistency", "pg-1000.txt", "file-1600.txt", "--ledger", url).status == 1)
        // A second checkpoint of the same head, by another key: the table keeps the first.
        let second = try cli("checkpoint", "--ledger", url, "--key", "platform-2026.pem", "--keep", "--out", "sm2-1000.txt")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("already keeps a checkpoint of 1000 facts"), "\(second.stderr)")

        // A checkpoint whose root was altered does not match the ledger (exit 2).
        var lines = try text("pg-1000.txt").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[2] = String(repeating: "A", count: 43) + "="
        try lines.joined(separator: "\n").write(toFile: directory + "/forged.txt", atomically: true, encoding: .utf8)
        let forged = try cli("prove", "17", "--ledger", url, "--checkpoint", "forged.txt")
        #expect(forged.status == 2)
        #expect(forged.stderr.contains("does not match this ledger"), "\(forged.stderr)")

        // The rest arrives (the copy resumes after the 1000 records): a consistency proof between
        // the two checkpoints is the file ledger's and verifies offline.
        #expect(try cli("copy", "--from", "L", "--to", url).status == 0)
        let later = try cli("checkpoint", "--ledger", url, "--key", "platform-2026.pem", "--origin", "example.gov.cn/district-7", "--keep", "--out", "pg-1600.txt")
        #expect(later.status == 0, "\(later.stderr)")
        let extended = try cli("prove-consistency", "pg-1000.txt", "pg-1600.txt", "--ledger", url, "--out", "pg-ext.json")
        #expect(extended.status == 0, "\(extended.stderr)")
        #expect(try cli("prove-consistency", "pg-1000.txt", "pg-1600.txt", "--ledger", "L", "--out", "file-ext.json").status == 0)
        #expect(try text("pg-ext.json") == text("file-ext.json"))
        let consistent = try cli("verify-proof", "pg-ext.json", "--checkpoint", "pg-1600.txt", "--old-checkpoint", "pg-1000.txt",
                                 "--public-key", "platform-2025.pub.pem", "--public-key", "platform-2026.pub.pem")
        #expect(consistent.status == 0, "\(consistent.stderr)")
        #expect(consistent.stdout.contains("extends tree size 1000"), "\(consistent.stdout)")

        // A report computed by another process carries the checkpoint kept in the table, and checks.
        let subject = try penalisedSubject()
        let report = try cli("report", subject, "--ledger", url, "--state", "R", "--as-of", "2024-06-30", "--format", "json", "--out", "r.json")
        #expect(report.status == 0, "\(report.stderr)")
        let member = try ledgerMember("r.json")
        #expect(member["treeSize"] as? Int == 1_600)
        #expect(member["checkpoint"] as? String == (try text("pg-1600.txt")))
        let checked = try cli("check-report", "r.json", "--ledger", url, "--state", "R", "--public-key", "platform-2026.pub.pem")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("signed by platform-2026"), "\(checked.stdout)")

        // An export bundle from PostgreSQL, checked by the auditor with the public key only.
        let exported = try cli("export", "--ledger", url, "--state", "R", "--bundle", "B", "--checkpoint", "pg-1000.txt",
                               "--public-key", "platform-2025.pub.pem", "--subject", subject)
        #expect(exported.status == 0, "\(exported.stderr)")
        let audited = try auditor("bundle", "B", "B/keys/platform-2025.pub.pem")
        #expect(audited.status == 0, "\(audited.stderr)")
        #expect(audited.stdout.contains("in example.gov.cn/district-7 at tree size 1000"), "\(audited.stdout)")
    }

    @Test func anSM3LedgerIsImportedIntoAndCopiedToPostgresWithItsAlgorithm() throws {
        let url = try PostgresCluster.shared.url + "?schema=" + PostgresCluster.uniqueSchema()
        let copyURL = try PostgresCluster.shared.url + "?schema=" + PostgresCluster.uniqueSchema()
        let made = try shell("""
            "$CL" generate --preset district-small --seed 8 --facts 300 --out s.jsonl || exit 10
            "$CL" import --ledger F --hash sm3 s.jsonl > /dev/null || exit 11
            openssl genpkey -algorithm ed25519 -out k.pem && openssl pkey -in k.pem -pubout -out k.pub.pem || exit 12
            """)
        #expect(made.status == 0, "\(made.stderr)")
        // Imported straight into PostgreSQL with --hash sm3: the log keeps it, and says so again
        // when asked for the other one.
        let imported = try cli("import", "--ledger", url, "--state", "S", "--hash", "sm3", "s.jsonl")
        #expect(imported.status == 0, "\(imported.stderr)")
        let cp = try cli("checkpoint", "--ledger", url, "--key", "k.pem", "--origin", "o")
        #expect(cp.status == 0, "\(cp.stderr)")
        #expect(cp.stdout.contains("\nhash sm3\n"), "\(cp.stdout)")
        let refused = try cli("import", "--ledger", url, "--state", "S", "--hash", "sha256", "s.jsonl")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("hashes with sm3"), "\(refused.stderr)")

        // The SM3 file ledger copied to PostgreSQL keeps its head hash, tree and checkpoint.
        let copied = try cli("copy", "--from", "F", "--to", copyURL)
        #expect(copied.status == 0, "\(copied.stderr)")
        let verified = try cli("verify", "--ledger", copyURL)
        #expect(verified.status == 0, "\(verified.stderr)")
        let fromPG = try cli("checkpoint", "--ledger", copyURL, "--key", "k.pem", "--origin", "o")
        let fromFile = try cli("checkpoint", "--ledger", "F", "--key", "k.pem", "--origin", "o")
        #expect(fromPG.status == 0 && fromFile.status == 0, "\(fromPG.stderr) \(fromFile.stderr)")
        #expect(fromPG.stdout == fromFile.stdout)
        try fromPG.stdout.write(toFile: directory + "/cp.txt", atomically: true, encoding: .utf8)
        #expect(try cli("prove", "7", "--ledger", copyURL, "--checkpoint", "cp.txt", "--out", "p.json").status == 0)
        let checked = try cli("verify-proof", "p.json", "--checkpoint", "cp.txt", "--public-key", "k.pub.pem")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(try text("p.json").contains(#""hash":"sm3""#))
    }
}
