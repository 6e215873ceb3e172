import Foundation
@testable import LedgerStorage

/// Runs the `openssl` command line (the reference the national algorithms are checked against).
enum OpenSSLTool {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs `openssl arguments…` in `directory`, feeding `input` on stdin.
    @discardableResult
    static func run(_ arguments: [String], in directory: String, input: Data = Data()) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // The input goes through a file, not a pipe: nothing to write while the child runs.
        let inputPath = directory + "/.openssl-input-\(UInt64.random(in: 0...UInt64.max))"
        try input.write(to: URL(fileURLWithPath: inputPath))
        defer { try? FileManager.default.removeItem(atPath: inputPath) }
        let stdin = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        defer { try? stdin.close() }
        let stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    /// Generates a key as the documentation tells operators to, and its public half; returns
    /// the private and public PEM texts.
    static func generateKey(_ algorithm: SignatureAlgorithm, named keyName: String, in directory: String) throws -> (private: String, public: String) {
        let name = keyName.replacingOccurrences(of: "/", with: "_")
        let generate = algorithm == .ed25519
            ? ["genpkey", "-algorithm", "ed25519", "-out", name + ".pem"]
            : ["genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", name + ".pem"]
        let generated = try run(generate, in: directory)
        precondition(generated.status == 0, generated.stderr)
        let exported = try run(["pkey", "-in", name + ".pem", "-pubout", "-out", name + ".pub.pem"], in: directory)
        precondition(exported.status == 0, exported.stderr)
        return (try String(contentsOfFile: directory + "/" + name + ".pem", encoding: .utf8),
                try String(contentsOfFile: directory + "/" + name + ".pub.pem", encoding: .utf8))
    }
}

/// Deterministic bytes (xorshift), so property tests are reproducible.
struct SeededBytes {
    private var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

extension TreeHash {
    /// This hash with bit `bit` (0…255) flipped.
    func flipping(bit: Int) -> TreeHash {
        var bytes = self.bytes
        bytes[bit / 8] ^= 1 << (bit % 8)
        return TreeHash(bytes: bytes)
    }
}

func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}
