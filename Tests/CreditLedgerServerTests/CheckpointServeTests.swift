import CreditLedger
import Foundation
import LedgerStorage
import Testing

/// `serve --checkpoint-key`: the running server signs checkpoints of the ledger's Merkle tree by
/// itself — once enough facts came, once enough time passed with new facts, and on stop — each
/// verifiable with the public key alone and matching the ledger's tree at its size.
@Suite struct CheckpointServeTests {
    /// Runs `script` in `directory` with /bin/sh (waiting off the cooperative pool); returns its exit status.
    static func shell(_ script: String, in directory: String) async throws -> Int32 {
        try await Blocking.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Waits (at most 30 s) until the checkpoint of `size` facts is on disk.
    static func waitForCheckpoint(_ files: CheckpointFiles, size: UInt64) async throws -> String? {
        for _ in 0..<300 {
            if let text = files.text(size: size) { return text }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func serveSignsCheckpointsEveryNFactsEveryTSecondsAndOnStop() async throws {
        let directory = NSTemporaryDirectory() + "checkpoint-serve-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try await Self.shell("openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:SM2 -out platform.pem && openssl pkey -in platform.pem -pubout -out platform.pub.pem", in: directory) == 0)
        let ledger = directory + "/ledger"
        // Every 5 facts, or 2 s after the last checkpoint when facts came since.
        let server = try await ServeProcess.start(directory: ledger, arguments: [
            "--checkpoint-key", directory + "/platform.pem", "--origin", "example.gov.cn/district-7",
            "--checkpoint-every-facts", "5", "--checkpoint-every-seconds", "2"])
        let files = CheckpointFiles(ledgerDirectory: ledger)
        let registrations = (1...9).map { Facts.registration("R-\($0)", subject: Facts.code($0), name: "企业\($0)") }

        // Six facts in one request: past the count, so the checkpoint of 6 follows at once.
        #expect(try await server.post(Array(registrations[0..<6])).status == 200)
        #expect(try await Self.waitForCheckpoint(files, size: 6) != nil)
        // One more: not enough for the count, so the timer signs the checkpoint of 7.
        #expect(try await server.post([registrations[6]]).status == 200)
        #expect(try await Self.waitForCheckpoint(files, size: 7) != nil)
        // Two more, then stop: closing the ledger signs the checkpoint of 9.
        #expect(try await server.post(Array(registrations[7..<9])).status == 200)
        let stopped = await server.stop()
        #expect(stopped.status == 0, "\(stopped.log)")
        #expect(files.sizes() == [6, 7, 9])

        let publicKey = try CheckpointPublicKey(pem: String(contentsOfFile: directory + "/platform.pub.pem", encoding: .utf8), name: "platform")
        let reader = try Ledger.open(directory: ledger, access: .readOnly)
        defer { try? reader.close() }
        for size in files.sizes() {
            let (checkpoint, keyName) = try TreeCheckpoint.verify(try #require(files.text(size: size)), trusting: [TrustedKey(publicKey)])
            #expect(keyName == "platform")
            #expect(checkpoint.origin == "example.gov.cn/district-7")
            #expect(checkpoint.head == (try reader.treeHead(size: size)))
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func serveRefusesANonPositiveScheduleAndAMissingKey() async throws {
        let directory = NSTemporaryDirectory() + "checkpoint-serve-\(UUID().uuidString.prefix(8))"
        // A key file that cannot be read is refused (1), a schedule of zero facts is a usage error (64).
        for (arguments, status) in [(["--checkpoint-key", directory + "/missing.pem"], Int32(1)),
                                    (["--checkpoint-key", directory + "/missing.pem", "--checkpoint-every-facts", "0"], 64)] {
            let run = try await ServeProcessTests.cli(["serve", "--ledger", directory + "/ledger", "--port", "0"] + arguments)
            #expect(run.status == status)
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/ledger"))
    }
}
