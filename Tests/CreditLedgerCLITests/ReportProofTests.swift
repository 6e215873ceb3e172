import Foundation
import Testing

/// Reports and digests bound to the ledger's history: their JSON names the Merkle tree size and
/// root they were computed from and carries the signed checkpoint of that size when the ledger
/// keeps one; `check-report` checks the signature, the root against the ledger, and the document
/// recomputed from exactly that history — and refuses a document changed after it was written.
extension CLITests {
    /// The subject of the first penalty in `first.jsonl`.
    func penalisedSubject() throws -> String {
        let lines = try String(contentsOfFile: directory + "/first.jsonl", encoding: .utf8).split(separator: "\n")
        let line = try #require(lines.first { $0.contains(#""type":"penalty.decided""#) })
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        return object["subject"] as! String
    }

    func ledgerMember(_ file: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))) as! [String: Any]
        return try #require(object["ledger"] as? [String: Any])
    }

    @Test func aReportCarriesItsSignedCheckpointAndChecksAgainstTheLedgerAfterItGrows() throws {
        try proofFixture()
        let subject = try penalisedSubject()
        let kept = try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--keep", "--out", "cp.txt")
        #expect(kept.status == 0, "\(kept.stderr)")
        let checkpoint = try String(contentsOfFile: directory + "/cp.txt", encoding: .utf8)
        #expect(try cli("report", subject, "--ledger", "L", "--as-of", "2024-06-30", "--format", "json", "--out", "r.json").status == 0)
        let member = try ledgerMember("r.json")
        #expect(member["treeSize"] as? Int == 1_000)
        #expect(member["hash"] as? String == "sha256")
        #expect(member["checkpoint"] as? String == checkpoint)
        #expect((member["verify"] as? String)?.hasPrefix("credit-ledger check-report ") == true)

        let checked = try cli("check-report", "r.json", "--ledger", "L", "--public-key", "platform-2026.pub.pem")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("ok: r.json is what the ledger's first 1000 facts give"), "\(checked.stdout)")
        #expect(checked.stdout.contains("signed by platform-2026"))

        // The ledger grows: the report still checks against its first 1000 facts.
        #expect(try cli("import", "--ledger", "L", "rest.jsonl").status == 0)
        #expect(try cli("check-report", "r.json", "--ledger", "L", "--public-key", "platform-2026.pub.pem").status == 0)
        // A new report names the new size, and no checkpoint (none was signed at that size).
        #expect(try cli("report", subject, "--ledger", "L", "--as-of", "2024-06-30", "--json", "--out", "r2.json").status == 0)
        let later = try ledgerMember("r2.json")
        #expect(later["treeSize"] as? Int == 1_600)
        #expect(later["checkpoint"] is NSNull)
        #expect(try cli("check-report", "r2.json", "--ledger", "L").status == 0)
        let unsigned = try cli("check-report", "r2.json", "--ledger", "L", "--public-key", "platform-2026.pub.pem")
        #expect(unsigned.status == 1)
        #expect(unsigned.stderr.contains("carries no signed checkpoint"), "\(unsigned.stderr)")
        // The text form ends with the history it was computed from.
        let text = try cli("report", subject, "--ledger", "L", "--as-of", "2024-06-30")
        #expect(text.stdout.contains("computed from the ledger's first 1600 facts: Merkle root sha256 "), "\(text.stdout)")
    }

    @Test func aSpecialReportAndADigestAsKnownAtAnEarlierInstantCheckAgainstTheLedger() throws {
        try proofFixture()
        let subject = try penalisedSubject()
        // Known at the recorded time of fact 499: the first 500 facts.
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2025.pem", "--out", "cp.txt").status == 0)
        let proved = try cli("prove", "499", "--ledger", "L", "--checkpoint", "cp.txt")
        let recorded = try #require((try JSONSerialization.jsonObject(with: Data(proved.stdout.utf8)) as? [String: Any])?["recordedTime"] as? String)
        #expect(try cli("report", subject, "--ledger", "L", "--field", "foodSafety", "--from", "2020-01-01", "--to", "2025-12-31",
                        "--known-at", recorded, "--json", "--out", "special.json").status == 0)
        #expect(try ledgerMember("special.json")["treeSize"] as? Int == 500)
        let special = try cli("check-report", "special.json", "--ledger", "L")
        #expect(special.status == 0, "\(special.stderr)")

        let digest = try cli("digest", "--ledger", "L", "--as-of", "2024-06-30", "--known-at", recorded, "--json")
        try digest.stdout.write(toFile: directory + "/digest.json", atomically: true, encoding: .utf8)
        #expect(try ledgerMember("digest.json")["treeSize"] as? Int == 500)
        let checked = try cli("check-report", "digest.json", "--ledger", "L")
        #expect(checked.status == 0, "\(checked.stderr)")
    }

    @Test func aReportChangedAfterItWasWrittenOrNamingAnotherRootIsRefused() throws {
        try proofFixture()
        let subject = try penalisedSubject()
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--keep").status == 0)
        #expect(try cli("report", subject, "--ledger", "L", "--as-of", "2024-06-30", "--json", "--out", "r.json").status == 0)
        let original = try String(contentsOfFile: directory + "/r.json", encoding: .utf8)

        // A value changed in the body: the recomputed report differs.
        let edited = original.replacingOccurrences(of: #""disputed":false"#, with: #""disputed":true"#)
        #expect(edited != original)
        try edited.write(toFile: directory + "/edited.json", atomically: true, encoding: .utf8)
        let changed = try cli("check-report", "edited.json", "--ledger", "L")
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("is not what the ledger's first 1000 facts give"), "\(changed.stderr)")
        #expect(changed.stderr.contains("disputed"), "\(changed.stderr)")

        // Another root (the ledger member edited): refused against the ledger, and against the signed checkpoint.
        let member = try ledgerMember("r.json")
        let root = try #require(member["root"] as? String)
        let forgedRoot = String(root.prefix(63)) + (root.hasSuffix("0") ? "1" : "0")
        try original.replacingOccurrences(of: root, with: forgedRoot).write(toFile: directory + "/root.json", atomically: true, encoding: .utf8)
        let rewritten = try cli("check-report", "root.json", "--ledger", "L")
        #expect(rewritten.status == 2)
        #expect(rewritten.stderr.contains("does not match this ledger"), "\(rewritten.stderr)")
        let unsigned = try cli("check-report", "root.json", "--ledger", "L", "--public-key", "platform-2026.pub.pem")
        #expect(unsigned.status == 1)
        #expect(unsigned.stderr.contains("the checkpoint in root.json signs tree size 1000 root \(root)"), "\(unsigned.stderr)")
        // A key that did not sign it.
        let untrusted = try cli("check-report", "r.json", "--ledger", "L", "--public-key", "platform-2025.pub.pem")
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("no signature by a trusted key"), "\(untrusted.stderr)")
        // A document without a ledger member, and one larger than the ledger.
        try #"{"subject":"x"}"#.write(toFile: directory + "/bare.json", atomically: true, encoding: .utf8)
        #expect(try cli("check-report", "bare.json", "--ledger", "L").stderr.contains("has no \"ledger\" member"))
        try original.replacingOccurrences(of: #""treeSize":1000"#, with: #""treeSize":5000"#).write(toFile: directory + "/big.json", atomically: true, encoding: .utf8)
        let big = try cli("check-report", "big.json", "--ledger", "L")
        #expect(big.status == 1)
        #expect(big.stderr.contains("more than the ledger holds"), "\(big.stderr)")
    }

    /// Text as an HTML page shows it (the template escapes these five characters).
    private func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    @Test func theReportPagesCarryTheTreeSizeRootCheckpointAndCheckCommandOfTheirJSONForm() throws {
        try proofFixture()
        let subject = try penalisedSubject()
        #expect(try cli("checkpoint", "--ledger", "L", "--key", "platform-2026.pem", "--keep", "--out", "cp.txt").status == 0)
        let checkpoint = try String(contentsOfFile: directory + "/cp.txt", encoding: .utf8)
        #expect(try cli("report", subject, "--ledger", "L", "--as-of", "2024-06-30", "--json", "--out", "r.json").status == 0)
        let member = try ledgerMember("r.json")
        let root = try #require(member["root"] as? String), verify = try #require(member["verify"] as? String)

        // The credit report's page names what its JSON form's ledger member names: 1,000 facts, the
        // root, the hash, the very checkpoint text, and the same check-report command.
        let page = try cli("report", subject, "--ledger", "L", "--as-of", "2024-06-30", "--format", "html", "--lang", "en")
        #expect(page.status == 0, "\(page.stderr)")
        let verification = try #require(page.stdout.range(of: #"<section id="verification">"#).map { String(page.stdout[$0.lowerBound...]) })
        #expect(verification.contains("1,000 records · \(root)"), "\(verification)")
        #expect(verification.contains("<dt>Hash algorithm</dt><dd class=\"code\">sha256</dd>"), "\(verification)")
        #expect(verification.contains("<pre class=\"checkpoint\">\(html(checkpoint))</pre>"), "\(verification)")
        #expect(verification.contains("<code>\(html(verify))</code>"), "\(verification)")
        // The command on the page checks the report's JSON form, checkpoint included.
        #expect(try cli("check-report", "r.json", "--ledger", "L", "--public-key", "platform-2026.pub.pem").status == 0)

        // A special report known at an earlier instant: no checkpoint of its size is kept, and the page says so.
        let proved = try cli("prove", "499", "--ledger", "L", "--checkpoint", "cp.txt")
        let recorded = try #require((try JSONSerialization.jsonObject(with: Data(proved.stdout.utf8)) as? [String: Any])?["recordedTime"] as? String)
        #expect(try cli("report", subject, "--ledger", "L", "--field", "foodSafety", "--from", "2020-01-01", "--to", "2025-12-31",
                        "--known-at", recorded, "--json", "--out", "special.json").status == 0)
        let specialRoot = try #require(try ledgerMember("special.json")["root"] as? String)
        #expect(specialRoot != root)
        let special = try cli("report", subject, "--ledger", "L", "--field", "foodSafety", "--from", "2020-01-01", "--to", "2025-12-31",
                              "--known-at", recorded, "--format", "html", "--lang", "en")
        #expect(special.status == 0, "\(special.stderr)")
        #expect(special.stdout.contains("500 records · \(specialRoot)"), "\(special.stdout)")
        #expect(special.stdout.contains("<dt>Signed checkpoint</dt><dd>the ledger keeps no signed checkpoint of this size</dd>"))
        #expect(!special.stdout.contains("<pre class=\"checkpoint\">"))
        // In Chinese (the default), the same facts under the Chinese labels.
        let chinese = try cli("report", subject, "--ledger", "L", "--as-of", "2024-06-30", "--format", "html").stdout
        #expect(chinese.contains("<dt>签名检查点</dt><dd><pre class=\"checkpoint\">\(html(checkpoint))</pre>"), "\(chinese)")
    }
}
