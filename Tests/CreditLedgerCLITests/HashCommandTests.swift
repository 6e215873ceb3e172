import Foundation
import Testing

/// `import --hash sm3`: a ledger whose chain, Merkle tree and digests use SM3 (GB/T 32905),
/// recorded in its log so every later command reads it with SM3 without being told.
extension CLITests {
    @Test func anSM3LedgerVerifiesSignsProvesAndDigestsWithSM3() throws {
        let setup = try shell("""
            "$CL" generate --preset district-small --seed 5 --facts 400 --out all.jsonl || exit 10
            "$CL" import --ledger S --hash sm3 all.jsonl > /dev/null || exit 11
            "$CL" import --ledger L all.jsonl > /dev/null || exit 12
            openssl genpkey -algorithm ed25519 -out platform.pem && openssl pkey -in platform.pem -pubout -out platform.pub.pem || exit 13
            """)
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(try cli("verify", "--ledger", "S").status == 0)
        let checkpoint = try cli("checkpoint", "--ledger", "S", "--key", "platform.pem", "--keep", "--out", "cp.txt")
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        #expect(try String(contentsOfFile: directory + "/cp.txt", encoding: .utf8).contains("\nhash sm3\n"))
        let proof = try cli("prove", "5", "--ledger", "S", "--checkpoint", "cp.txt", "--out", "p.json")
        #expect(proof.status == 0, "\(proof.stderr)")
        #expect(try String(contentsOfFile: directory + "/p.json", encoding: .utf8).contains(#""hash":"sm3""#))
        #expect(try cli("verify-proof", "p.json", "--checkpoint", "cp.txt", "--public-key", "platform.pub.pem").status == 0)

        // The digest is SM3's: the same facts give another digest in a SHA-256 ledger, the same one twice.
        let sm3 = try cli("digest", "--ledger", "S", "--as-of", "2024-06-30")
        let sha = try cli("digest", "--ledger", "L", "--as-of", "2024-06-30")
        #expect(sm3.status == 0 && sha.status == 0)
        #expect(sm3.stdout.count == 65 && sha.stdout.count == 65)
        #expect(sm3.stdout != sha.stdout)
        #expect(try cli("digest", "--ledger", "S", "--as-of", "2024-06-30").stdout == sm3.stdout)
        let replay = try cli("replay", "--ledger", "S", "--as-of", "2024-06-30")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("digest=" + sm3.stdout.trimmingCharacters(in: .newlines)), "\(replay.stdout)")
        let digest = try cli("digest", "--ledger", "S", "--as-of", "2024-06-30", "--json")
        try digest.stdout.write(toFile: directory + "/d.json", atomically: true, encoding: .utf8)
        #expect(digest.stdout.contains(#""hash":"sm3""#))
        let checked = try cli("check-report", "d.json", "--ledger", "S", "--public-key", "platform.pub.pem")
        #expect(checked.status == 0, "\(checked.stderr)")

        // The algorithm is the ledger's: asking for another is refused.
        let other = try cli("import", "--ledger", "S", "--hash", "sha256", "all.jsonl")
        #expect(other.status != 0)
        #expect(other.stderr.contains("hashes with sm3"), "\(other.stderr)")
        #expect(try cli("import", "--ledger", "S", "--hash", "md5", "all.jsonl").status == 64)
    }
}
