import Foundation
import PostgresTestSupport
import Testing

/// `credit-ledger copy` between a directory and PostgreSQL (the test process's private cluster),
/// run as a user runs it.
@Suite struct CopyCommandTests {
    let cli = CLITests()

    /// The head hash `verify` prints for a ledger directory.
    func head(_ ledger: String) throws -> String {
        let run = try cli.cli("verify", "--ledger", ledger)
        #expect(run.status == 0, "\(run.stderr)")
        return String(run.stdout.split(separator: " ").first { $0.hasPrefix("head=") } ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aLedgerCopiedToPostgresAndBackKeepsItsHeadHashAndDigest() throws {
        let cluster = try PostgresCluster.shared
        let url = cluster.url + "?schema=" + PostgresCluster.uniqueSchema()
        #expect(try cli.cli("generate", "--preset", "district-small", "--seed", "3", "--facts", "3000", "--out", "facts.jsonl").status == 0)
        #expect(try cli.cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        let original = try head("L")

        let there = try cli.cli("copy", "--from", "L", "--to", url, "--batch-records", "700")
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout == "copied 3000 records \(original)\n")
        // Copying again copies nothing: the destination already holds the whole history.
        let again = try cli.cli("copy", "--from", "L", "--to", url)
        #expect(again.stdout == "copied 0 records \(original)\n")
        // `verify` checks the PostgreSQL ledger from its rows alone.
        let verified = try cli.cli("verify", "--ledger", url)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout == "ok records=3000 \(original)\n")

        let back = try cli.cli("copy", "--from", url, "--to", "B")
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try head("B") == original)
        let digests = try ["L", "B"].map { try cli.cli("digest", "--ledger", $0, "--as-of", "2024-06-30").stdout }
        #expect(digests[0] == digests[1])
        #expect(!digests[0].isEmpty)
    }

    @Test func aCopyOntoADifferentHistoryIsRefused() throws {
        let url = try PostgresCluster.shared.url + "?schema=" + PostgresCluster.uniqueSchema()
        try cli.write("one.jsonl", [CLITests.registration])
        try cli.write("two.jsonl", [CLITests.registration, CLITests.role])
        // The same first fact, recorded at another instant: another history.
        #expect(try cli.cli("import", "--ledger", "C", "one.jsonl").status == 0)
        #expect(try cli.cli("import", "--ledger", "A", "two.jsonl").status == 0)
        #expect(try cli.cli("copy", "--from", "C", "--to", url).status == 0)
        let refused = try cli.cli("copy", "--from", "A", "--to", url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("different history"))
    }

    @Test func anUnreachableDatabaseIsAClearErrorWithoutThePassword() throws {
        let port = try PostgresCluster.freePort()
        try cli.write("one.jsonl", [CLITests.registration])
        #expect(try cli.cli("import", "--ledger", "A", "one.jsonl").status == 0)
        let run = try cli.cli("copy", "--from", "A", "--to", "postgres://clerk:hunter22@127.0.0.1:\(port)/credit")
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot connect"))
        #expect(!run.stderr.contains("hunter22"))
    }
}
