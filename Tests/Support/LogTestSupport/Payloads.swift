// Shared by the storage tests and the crash-test child process.

/// Deterministic payloads: the bytes of the record at a position can be recomputed from the
/// position alone, so any test can check a record's content after a crash or a reopen.
public enum Payloads {
    /// `length` bytes derived from `position` (a SplitMix64 stream seeded with it).
    public static func bytes(position: UInt64, length: Int) -> [UInt8] {
        // Seed through the mixer too, so neighbouring positions do not share a shifted stream.
        var state = mix(position &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678)
        var out = [UInt8]()
        out.reserveCapacity(length)
        while out.count < length {
            state &+= 0x9E37_79B9_7F4A_7C15
            let z = mix(state)
            withUnsafeBytes(of: z) { out.append(contentsOf: $0.prefix(length - out.count)) }
        }
        return out
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Compressible text of `length` bytes for `position` (repeating field names and numbers).
    public static func text(position: UInt64, length: Int) -> [UInt8] {
        let line = Array("position=\(position);subject=91310114MA1G;source=310114-SCJG;kind=penalty;".utf8)
        return (0..<length).map { line[$0 % line.count] }
    }

    /// The length the crash tests give the record at `position`.
    public static func length(position: UInt64) -> Int { Int(position % 7 == 0 ? 1_500 : 40 + position % 300) }
}

