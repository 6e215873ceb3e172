#if canImport(Glibc)
import Glibc
#endif

/// A signed tree head as text, in the style of the C2SP tlog-checkpoint and signed-note formats:
///
/// ```text
/// credit-ledger.example/district-7          origin: names the ledger
/// 1234567                                   tree size (records)
/// 3b0c…Zz8=                                 root hash, base64
/// recorded 2026-12-02T08:33:05.123456Z      extension: recorded time of the last record
///                                           (blank line)
/// — district-7-2026 AbCd…                   signature: key name, base64(key ID ‖ signature)
/// ```
///
/// The signature covers the body (every line up to the blank one, with its final newline).
/// An SM3 tree adds the extension line `hash sm3`; SHA-256 is what its absence means.
public struct TreeCheckpoint: Hashable, Sendable {
    /// The name of the ledger the checkpoint is about (one line, no spaces at either end).
    public var origin: String
    /// The tree head: size, root, algorithm and the last record's recorded time.
    public var head: TreeHead

    /// A checkpoint of `head` for the ledger named `origin`.
    public init(origin: String, head: TreeHead) {
        self.origin = origin
        self.head = head
    }

    /// The signed text: the body lines, each ending in a newline.
    public var body: String {
        var lines = [origin, String(head.size), head.root.base64]
        if let time = head.lastRecordedTime { lines.append("recorded \(time)") }
        if head.algorithm != .sha256 { lines.append("hash \(head.algorithm)") }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The checkpoint signed by `key`: its body, a blank line and the signature line.
    public func signed(by key: CheckpointSigningKey) throws(KeyFileError) -> String {
        guard !origin.isEmpty, !origin.contains("\n"), origin.trimmingSpaces == origin else {
            throw KeyFileError("the origin must be one non-empty line without leading or trailing spaces")
        }
        let text = body
        let signature = try key.sign(Array(text.utf8))
        return text + "\n" + Self.signatureLine(key.publicKey, signature)
    }

    static func signatureLine(_ key: CheckpointPublicKey, _ signature: [UInt8]) -> String {
        let id = key.keyID
        let idBytes = [UInt8(id >> 24), UInt8(id >> 16 & 0xff), UInt8(id >> 8 & 0xff), UInt8(id & 0xff)]
        return "\u{2014} \(key.name) \(Base64.encode(idBytes + signature))\n"
    }
}

/// A public key an auditor trusts for checkpoints, and, once the key was replaced, the last
/// tree size it may sign: checkpoints it signed up to then stay valid after rotation, larger
/// ones are refused.
public struct TrustedKey: Hashable, Sendable {
    /// The key.
    public var key: CheckpointPublicKey
    /// The largest tree size the key's checkpoints may cover (nil: in service).
    public var retiredAfterSize: UInt64?

    /// Trusts `key`, in service or retired after a tree size.
    public init(_ key: CheckpointPublicKey, retiredAfterSize: UInt64? = nil) {
        self.key = key
        self.retiredAfterSize = retiredAfterSize
    }
}

extension TreeCheckpoint {
    /// Parses a signed checkpoint and checks it against `trusted` keys; returns it and the name
    /// of the key whose signature verified. Refused with the reason: malformed text, no
    /// signature by a trusted key (unknown key), a signature that does not verify (the body was
    /// altered after signing, or the signature is over other bytes), or a retired key's
    /// signature on a tree larger than it may sign.
    public static func verify(_ text: String, trusting trusted: [TrustedKey]) throws(ProofRefusal) -> (checkpoint: TreeCheckpoint, keyName: String) {
        let (body, signatures) = try split(text)
        let checkpoint = try parse(body: body)
        var seen: [String] = []
        for (name, blob) in signatures {
            guard blob.count > 4 else { throw ProofRefusal("the signature of key \(name) is too short") }
            let id = blob[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            seen.append("\(name) (key ID \(hex(id)))")
            guard let match = trusted.first(where: { $0.key.name == name && $0.key.keyID == id }) else { continue }
            guard match.key.isValidSignature(Array(blob[4...]), for: Array(body.utf8)) else {
                throw ProofRefusal("the signature of key \(name) does not verify: the checkpoint was altered after signing, or the signature is over other bytes")
            }
            if let last = match.retiredAfterSize, checkpoint.head.size > last {
                throw ProofRefusal("key \(name) was retired after tree size \(last); it cannot sign a checkpoint of \(checkpoint.head.size) records")
            }
            return (checkpoint, name)
        }
        throw ProofRefusal("no signature by a trusted key: the checkpoint is signed by \(seen.joined(separator: ", ")); trusted are \(trusted.map { "\($0.key.name) (key ID \(hex($0.key.keyID)))" }.joined(separator: ", "))")
    }

    /// Parses a checkpoint's body and signature lines without checking any signature (to read
    /// which size it names before its keys are at hand).
    public static func parseUnverified(_ text: String) throws(ProofRefusal) -> TreeCheckpoint {
        try parse(body: split(text).body)
    }

    private static func hex(_ id: UInt32) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The body (with its final newline) and the signature lines (name, decoded bytes).
    static func split(_ text: String) throws(ProofRefusal) -> (body: String, signatures: [(String, [UInt8])]) {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw ProofRefusal("the checkpoint contains control characters")
        }
        guard let separator = text.range(of: "\n\n", options: .backwards) else {
            throw ProofRefusal("the checkpoint has no blank line between its body and its signatures")
        }
        let body = String(text[..<separator.lowerBound]) + "\n"
        let lines = text[separator.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), lines.count >= 2 else { throw ProofRefusal("the checkpoint has no signature line") }
        var signatures: [(String, [UInt8])] = []
        for line in lines.dropLast() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "\u{2014}", let blob = Base64.decode(String(parts[2])) else {
                throw ProofRefusal("malformed signature line: \"\(line)\"")
            }
            signatures.append((String(parts[1]), blob))
        }
        return (body, signatures)
    }

    static func parse(body: String) throws(ProofRefusal) -> TreeCheckpoint {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard lines.count >= 3, !lines[0].isEmpty else {
            throw ProofRefusal("a checkpoint body needs an origin, a tree size and a root hash, one per line")
        }
        guard let size = UInt64(lines[1]), String(size) == lines[1] else {
            throw ProofRefusal("the tree size \"\(lines[1])\" is not a decimal number")
        }
        guard let rootBytes = Base64.decode(lines[2]), rootBytes.count == 32 else {
            throw ProofRefusal("the root hash \"\(lines[2])\" is not 32 bytes of base64")
        }
        var head = TreeHead(algorithm: .sha256, size: size, root: TreeHash(bytes: rootBytes), lastRecordedTime: nil)
        for line in lines.dropFirst(3) {
            if line.hasPrefix("recorded ") {
                guard let time = RecordedTime(rfc3339: String(line.dropFirst("recorded ".count))) else {
                    throw ProofRefusal("the recorded time in \"\(line)\" is not RFC 3339 UTC with microseconds")
                }
                head.lastRecordedTime = time
            } else if line.hasPrefix("hash ") {
                guard let algorithm = LogHashAlgorithm(rawValue: String(line.dropFirst("hash ".count))) else {
                    throw ProofRefusal("unknown hash algorithm in \"\(line)\"")
                }
                head.algorithm = algorithm
            }
        }
        return TreeCheckpoint(origin: lines[0], head: head)
    }
}

extension RecordedTime {
    /// Parses the form ``description`` writes: `2023-06-06T02:12:00.000000Z` (UTC, microseconds).
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 27, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
              bytes[26] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), let micros = number(20..<26) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        self.init(microsecondsSinceEpoch: seconds * 1_000_000 + Int64(micros))
        guard description == text else { return nil }
    }
}

extension String {
    /// The text without spaces at either end.
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
