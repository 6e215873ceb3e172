import Foundation
import PostgresTestSupport
import Testing

/// The ledger's commands on `--ledger postgres://…`, run as a user runs them, against the test
/// process's private cluster.
@Suite struct PostgresLedgerCommandTests {
    let cli = CLITests()

    @Test func importAndQueriesRunOnAPostgresLedgerAndNeverEchoThePassword() throws {
        let cluster = try PostgresCluster.shared
        // Trust authentication takes any password: it is given only to check it is never echoed.
        let url = "postgres://postgres:hunter22@127.0.0.1:\(cluster.port)/postgres?schema=" + PostgresCluster.uniqueSchema()
        #expect(try cli.cli("generate", "--preset", "district-small", "--seed", "5", "--facts", "800", "--out", "facts.jsonl").status == 0)
        let imported = try cli.cli("import", "--ledger", url, "--state", "S", "facts.jsonl")
        #expect(imported.status == 0, "\(imported.stderr)")
        // Importing again appends nothing: every fact is a duplicate of one in PostgreSQL.
        let again = try cli.cli("import", "--ledger", url, "--state", "S", "facts.jsonl")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("appended=0 duplicates=800"), "\(again.stdout)")

        // The same log copied to a directory answers the same digest.
        #expect(try cli.cli("copy", "--from", url, "--to", "D").status == 0)
        let digests = try [["--ledger", url, "--state", "Q"], ["--ledger", "D"]].map { place in
            try cli.run(try CLITests.executable(), ["digest"] + place + ["--as-of", "2024-06-30"])
        }
        #expect(digests.allSatisfy { $0.status == 0 }, "\(digests.map(\.stderr))")
        #expect(!digests[0].stdout.isEmpty)
        #expect(digests[0].stdout == digests[1].stdout)

        // A replay rebuilds every view from the PostgreSQL log alone, to the live views' digest,
        // which is the file copy's.
        let replay = try cli.cli("replay", "--ledger", url, "--state", "Q", "--as-of", "2024-06-30")
        let fileReplay = try cli.cli("replay", "--ledger", "D", "--as-of", "2024-06-30")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.hasPrefix("facts=800 "), "\(replay.stdout)")
        let digest = { (run: CLITests.Run) in run.stdout.split(separator: " ").last.map(String.init) }
        #expect(digest(replay) != nil && digest(replay) == digest(fileReplay), "\(replay.stdout) \(fileReplay.stdout)")

        for run in [imported, again, replay] + digests { #expect(!(run.stdout + run.stderr).contains("hunter22")) }
    }

    @Test func anUnreachablePostgresLedgerIsAClearErrorWithoutThePassword() throws {
        let port = try PostgresCluster.freePort()
        let run = try cli.cli("digest", "--ledger", "postgres://clerk:hunter22@127.0.0.1:\(port)/credit?schema=d_310114")
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("postgres://clerk@127.0.0.1:\(port)/credit?schema=d_310114"), "\(run.stderr)")
        #expect(!run.stderr.contains("hunter22"))
        let bad = try cli.cli("digest", "--ledger", "postgres://clerk:hunter22@/credit")
        #expect(bad.status == 64, "\(bad.stderr)")
        #expect(!bad.stderr.contains("hunter22"))
    }
}
