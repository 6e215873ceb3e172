import Foundation
import Testing

/// Queries are readers: they take no writer lock and never write a byte, so they answer while a
/// writer in another process holds the ledger.
extension CLITests {
    @Test func queriesAnswerWhileAnotherProcessHoldsTheWriterLockAndWriteNothing() throws {
        try write("first.jsonl", [Self.registration])
        try write("role.jsonl", [Self.role])
        #expect(try cli("import", "--ledger", "L", "first.jsonl").status == 0)
        // The importer opens the ledger (taking the lock) and then blocks reading the FIFO until
        // the script writes the role into it.
        let run = try shell(#"""
            mkfifo hold
            "$CL" import --ledger L hold > import.out 2> import.err &
            importer=$!
            # Wait, passively, until the kernel lists a lock on the log directory: probing with a
            # second writer could take the lock at the instant the importer wants it.
            inode=$(stat -c %i L/log)
            for i in $(seq 1 600); do
                grep -q ":$inode " /proc/locks && break
                kill -0 $importer 2>/dev/null || { cat import.err >&2; echo "the importer exited" >&2; exit 10; }
                sleep 0.1
            done
            grep -q ":$inode " /proc/locks || { echo "the importer never took the lock" >&2; exit 10; }
            "$CL" import --ledger L first.jsonl 2> second.err && { echo "a second writer was let in" >&2; exit 10; }
            grep -q "open for writing" second.err || { cat second.err >&2; exit 10; }
            find L -type f -exec sha256sum {} + | sort > before
            "$CL" digest --ledger L --as-of 2024-06-30 > digest.out || exit 11
            "$CL" subject 91350100M000100Y43 --ledger L --as-of 2024-06-30 --json > subject.out || exit 12
            "$CL" quality --ledger L --as-of 2024-06-30 --json > quality.out || exit 13
            find L -type f -exec sha256sum {} + | sort > after
            cmp -s before after || { diff before after >&2; exit 14; }
            cat role.jsonl > hold
            wait $importer || { cat import.err import.out >&2; exit 15; }
            "$CL" subject 91350100M000100Y43 --ledger L --as-of 2024-06-30 --json
            """#)
        #expect(run.status == 0, "\(run.stderr)")
        let during = try String(contentsOfFile: directory + "/subject.out", encoding: .utf8)
        #expect(during.contains(#""subject":"91350100M000100Y43""#) && during.contains(#""roles":[]"#), "\(during)")
        // After the writer finished, a new reader sees its fact.
        #expect(run.stdout.contains("11010519491231002X") || run.stdout.contains("1101**********002X"), "\(run.stdout)")
    }

    @Test func aQueryOnAMissingLedgerCreatesNothing() throws {
        let run = try cli("subject", "91350100M000100Y43", "--ledger", "nowhere")
        #expect(run.status == 2)
        #expect(!FileManager.default.fileExists(atPath: directory + "/nowhere"))
    }
}
