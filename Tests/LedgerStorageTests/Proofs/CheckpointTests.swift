import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// Signed checkpoints (C2SP signed-note style) with Ed25519 and SM2 keys from PEM files: they
/// verify with the trusted public key, survive key rotation, and are refused with a reason when
/// the key is unknown or retired, the body was altered, or the signature covers other bytes.
@Suite struct CheckpointTests {
    let directory = TemporaryDirectory()

    func key(_ algorithm: SignatureAlgorithm, _ name: String) throws -> CheckpointSigningKey {
        let (privatePEM, _) = try OpenSSLTool.generateKey(algorithm, named: name, in: directory.path)
        return try CheckpointSigningKey(pem: privatePEM, name: name)
    }

    func checkpoint(size: UInt64 = 1234) -> TreeCheckpoint {
        TreeCheckpoint(origin: "credit-ledger.example/district-7", head: TreeHead(
            algorithm: .sha256, size: size, root: LogHashAlgorithm.sha256.hash(Array("root".utf8)),
            lastRecordedTime: RecordedTime(microsecondsSinceEpoch: 1_764_664_385_123_456)))
    }

    func refusal(_ text: String, _ trusted: [TrustedKey]) -> String? {
        do {
            _ = try TreeCheckpoint.verify(text, trusting: trusted)
            return nil
        } catch { return error.reason }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aSignedCheckpointVerifiesWithItsPublicKeyAndReadsBackTheSame(algorithm: SignatureAlgorithm) throws {
        let signer = try key(algorithm, "district-7-2026")
        let text = try checkpoint().signed(by: signer)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "credit-ledger.example/district-7")
        #expect(lines[1] == "1234")
        #expect(lines[3] == "recorded 2025-12-02T08:33:05.123456Z")
        #expect(lines[4] == "")
        #expect(lines[5].hasPrefix("\u{2014} district-7-2026 "))
        let publicPEM = try String(contentsOfFile: directory.file("district-7-2026.pub.pem"), encoding: .utf8)
        let verified = try TreeCheckpoint.verify(text, trusting: [TrustedKey(try CheckpointPublicKey(pem: publicPEM, name: "district-7-2026"))])
        #expect(verified.checkpoint == checkpoint())
        #expect(verified.keyName == "district-7-2026")
    }

    @Test func anEd25519KeyIDFollowsSignedNote() throws {
        let signer = try key(.ed25519, "example.com/log")
        let id = signer.publicKey.keyID
        let expected = LogHashAlgorithm.sha256.hash(Array("example.com/log\n".utf8) + [1] + signer.publicKey.keyBytes).bytes
        #expect(id == expected[0..<4].reduce(0) { $0 << 8 | UInt32($1) })
    }

    @Test func aCheckpointByAnUnknownKeyIsRefused() throws {
        let signer = try key(.ed25519, "platform"), other = try key(.ed25519, "other")
        let text = try checkpoint().signed(by: signer)
        #expect(refusal(text, [TrustedKey(other.publicKey)])?.contains("no signature by a trusted key") == true)
        // The same name with another key: a different key ID, still unknown.
        let impostor = try CheckpointPublicKey(name: "platform", algorithm: .ed25519, keyBytes: other.publicKey.keyBytes)
        #expect(refusal(text, [TrustedKey(impostor)])?.contains("no signature by a trusted key") == true)
    }

    @Test func oldCheckpointsStayVerifiableAfterRotationAndARetiredKeyCannotSignLaterOnes() throws {
        let old = try key(.ed25519, "platform-2025"), new = try key(.sm2, "platform-2026")
        let trusted = [TrustedKey(old.publicKey, retiredAfterSize: 5_000), TrustedKey(new.publicKey)]
        let before = try checkpoint(size: 4_000).signed(by: old)
        let after = try checkpoint(size: 9_000).signed(by: new)
        #expect(refusal(before, trusted) == nil)
        #expect(refusal(after, trusted) == nil)
        let lateOld = try checkpoint(size: 9_000).signed(by: old)
        #expect(refusal(lateOld, trusted)?.contains("retired after tree size 5000") == true)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aCheckpointAlteredAfterSigningIsRefused(algorithm: SignatureAlgorithm) throws {
        let signer = try key(algorithm, "platform")
        let text = try checkpoint().signed(by: signer)
        let trusted = [TrustedKey(signer.publicKey)]
        for (from, to) in [("1234\n", "1235\n"), ("district-7", "district-8"), ("08:33:05", "08:33:06")] {
            let altered = text.replacingOccurrences(of: from, with: to)
            #expect(refusal(altered, trusted)?.contains("does not verify") == true, "\(from) → \(to)")
        }
    }

    @Test func anSM2SignatureOverDifferentBytesIsRefused() throws {
        let signer = try key(.sm2, "platform")
        let text = try checkpoint(size: 1).signed(by: signer)
        let otherBody = checkpoint(size: 2).body
        let signature = try signer.sign(Array(otherBody.utf8))
        let grafted = checkpoint(size: 1).body + "\n" + TreeCheckpoint.signatureLine(signer.publicKey, signature)
        #expect(refusal(grafted, [TrustedKey(signer.publicKey)])?.contains("does not verify") == true)
        #expect(refusal(text, [TrustedKey(signer.publicKey)]) == nil)
    }

    @Test func malformedCheckpointsAreRefusedWithAReason() throws {
        let signer = try key(.ed25519, "platform")
        let trusted = [TrustedKey(signer.publicKey)]
        let text = try checkpoint().signed(by: signer)
        #expect(refusal(text.replacingOccurrences(of: "\n\n", with: "\n"), trusted)?.contains("blank line") == true)
        #expect(refusal(text.replacingOccurrences(of: "1234\n", with: "01234\n"), trusted)?.contains("decimal") == true)
        #expect(refusal(text.replacingOccurrences(of: "\u{2014} ", with: "- "), trusted)?.contains("malformed signature") == true)
    }
}
