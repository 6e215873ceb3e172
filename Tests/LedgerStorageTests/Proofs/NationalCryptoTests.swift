import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// SM3 and SM2 from OpenSSL's libcrypto, and Ed25519 keys from PEM files, checked against the
/// standard's vectors and against the `openssl` command line both ways.
@Suite struct NationalCryptoTests {
    let directory = TemporaryDirectory()

    @Test func sm3GivesTheVectorsOfGBT32905() {
        #expect(SM3.hash(Array("abc".utf8)) == hex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"))
        let abcd16 = Array(String(repeating: "abcd", count: 16).utf8)
        #expect(SM3.hash(abcd16) == hex("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"))
    }

    @Test func sm3StreamingEqualsOneCallAndTheOpenSSLCommandLine() throws {
        var random = SeededBytes(seed: 32905)
        for length in [0, 1, 55, 56, 63, 64, 65, 1000, 100_003] {
            let message = random.bytes(length)
            let sm3 = SM3()
            var offset = 0
            while offset < message.count {
                let end = min(message.count, offset + 1 + offset % 97)
                sm3.update(Array(message[offset..<end]))
                offset = end
            }
            let streamed = sm3.finalize()
            #expect(streamed == SM3.hash(message))
            let cli = try OpenSSLTool.run(["dgst", "-sm3", "-binary"], in: directory.path, input: Data(message))
            #expect(cli.status == 0)
            #expect(Array(cli.stdout) == streamed, "length \(length)")
        }
    }

    @Test func anSM2SignatureMadeHereVerifiesWithTheCommandLineAndBack() throws {
        let (privatePEM, publicPEM) = try OpenSSLTool.generateKey(.sm2, named: "sm2", in: directory.path)
        let message = Array("district-7\n42\n".utf8)
        try Data(message).write(to: URL(fileURLWithPath: directory.file("message")))

        let signature = try SM2.sign(message, privateKeyPEM: privatePEM)
        try Data(signature).write(to: URL(fileURLWithPath: directory.file("swift.sig")))
        let checked = try OpenSSLTool.run(["dgst", "-sm3", "-verify", "sm2.pub.pem", "-sigopt", "distid:1234567812345678",
                                           "-signature", "swift.sig", "message"], in: directory.path)
        #expect(checked.status == 0, "\(checked.stderr)")
        let viaPkeyutl = try OpenSSLTool.run(["pkeyutl", "-verify", "-pubin", "-inkey", "sm2.pub.pem", "-rawin", "-digest", "sm3",
                                              "-pkeyopt", "distid:1234567812345678", "-in", "message", "-sigfile", "swift.sig"],
                                             in: directory.path)
        #expect(viaPkeyutl.status == 0, "\(viaPkeyutl.stderr)")

        let made = try OpenSSLTool.run(["dgst", "-sm3", "-sign", "sm2.pem", "-sigopt", "distid:1234567812345678",
                                        "-out", "cli.sig", "message"], in: directory.path)
        #expect(made.status == 0)
        let cliSignature = Array(try Data(contentsOf: URL(fileURLWithPath: directory.file("cli.sig"))))
        #expect(try SM2.verify(cliSignature, of: message, publicKeyPEM: publicPEM))
        #expect(try !SM2.verify(cliSignature, of: message + [0], publicKeyPEM: publicPEM))
    }

    @Test func anSM2SignatureWithAnotherDistinguishingIDIsRefused() throws {
        let (_, publicPEM) = try OpenSSLTool.generateKey(.sm2, named: "sm2", in: directory.path)
        try Data("m".utf8).write(to: URL(fileURLWithPath: directory.file("message")))
        // The command line's own default (no ID) is not the standard's default ID.
        let made = try OpenSSLTool.run(["dgst", "-sm3", "-sign", "sm2.pem", "-out", "noid.sig", "message"], in: directory.path)
        #expect(made.status == 0)
        let signature = Array(try Data(contentsOf: URL(fileURLWithPath: directory.file("noid.sig"))))
        #expect(try !SM2.verify(signature, of: Array("m".utf8), publicKeyPEM: publicPEM))
    }

    @Test func anEd25519SignatureMadeHereVerifiesWithTheCommandLineAndBack() throws {
        let (privatePEM, publicPEM) = try OpenSSLTool.generateKey(.ed25519, named: "ed", in: directory.path)
        let key = try CheckpointSigningKey(pem: privatePEM, name: "ed")
        #expect(key.publicKey == (try CheckpointPublicKey(pem: publicPEM, name: "ed")))
        let message = Array("district-7\n42\n".utf8)
        try Data(message).write(to: URL(fileURLWithPath: directory.file("message")))
        try Data(try key.sign(message)).write(to: URL(fileURLWithPath: directory.file("swift.sig")))
        let checked = try OpenSSLTool.run(["pkeyutl", "-verify", "-pubin", "-inkey", "ed.pub.pem", "-rawin", "-in", "message",
                                           "-sigfile", "swift.sig"], in: directory.path)
        #expect(checked.status == 0, "\(checked.stderr)")
        let made = try OpenSSLTool.run(["pkeyutl", "-sign", "-inkey", "ed.pem", "-rawin", "-in", "message", "-out", "cli.sig"],
                                       in: directory.path)
        #expect(made.status == 0)
        let cliSignature = Array(try Data(contentsOf: URL(fileURLWithPath: directory.file("cli.sig"))))
        #expect(key.publicKey.isValidSignature(cliSignature, for: message))
        #expect(!key.publicKey.isValidSignature(cliSignature, for: message + [0]))
    }

    @Test func keysOfOtherKindsAreRefusedWithAReason() throws {
        #expect(try OpenSSLTool.run(["genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "p256.pem"],
                                    in: directory.path).status == 0)
        let pem = try String(contentsOfFile: directory.file("p256.pem"), encoding: .utf8)
        #expect(throws: KeyFileError.self) { try CheckpointSigningKey(pem: pem, name: "p256") }
        #expect(throws: KeyFileError.self) { try CheckpointSigningKey(pem: "not a key", name: "x") }
    }
}
