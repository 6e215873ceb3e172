import Crypto
import Foundation

/// The file the intake counters are kept in, `intake.counts` next to the log: the magic
/// `CLINTK02`, the counts canonically with their days, and the SHA-256 of everything before it.
/// Files of the format before the days (`CLINTK01`) and before the checksum are still read; their
/// counts are dated from the day they are opened.
///
/// The counts are not facts and cannot be rebuilt from the log, so a missing or damaged file is
/// never taken silently as zero: opening reports it (and moves a damaged file aside as
/// `intake.counts.damaged`), and counting starts again from zero.
struct IntakeFile {
    static let name = "intake.counts"
    static let magic = Array("CLINTK02".utf8)
    /// The format with the checksum but without days.
    static let undatedMagic = Array("CLINTK01".utf8)
    let directory: String

    var path: String { directory + "/" + Self.name }

    /// Writes the counts atomically.
    func save(_ counts: IntakeCounters.Counts) throws {
        var bytes = Self.magic + counts.encoded()
        bytes.append(contentsOf: SHA256.hash(data: bytes))
        try SnapshotStore.writeAtomically(bytes, to: path)
    }

    /// The counts the file holds, and a warning when it is missing, damaged or of the format
    /// without a checksum.
    func load(writable: Bool) -> (IntakeCounters.Counts, String?) {
        guard FileManager.default.fileExists(atPath: path) else {
            return (.init(), "\(path) is missing: duplicates and refusals counted before are lost, counting starts again from zero")
        }
        do {
            let bytes = try SnapshotStore.readWhole(path)
            guard bytes.starts(with: Self.magic) || bytes.starts(with: Self.undatedMagic) else {
                // The format before the checksum: the counts alone.
                return (try IntakeCounters.Counts(decoding: bytes, dated: false),
                        "\(path) has no checksum (written by an older version); its writer rewrites it with one when it next closes the ledger")
            }
            return (try Self.checkedCounts(bytes), nil)
        } catch {
            let moved = writable && rename(path, path + ".damaged") == 0
            return (.init(), "\(path) is damaged (\(error)); " + (moved ? "moved to \(path).damaged; " : "")
                + "duplicates and refusals counted before are lost, counting starts again from zero")
        }
    }

    /// What is wrong with the file, for `verify`: nil when it is intact.
    func problem() -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return "missing" }
        do {
            let bytes = try SnapshotStore.readWhole(path)
            guard bytes.starts(with: Self.magic) || bytes.starts(with: Self.undatedMagic) else {
                return "has no checksum (written by an older version)"
            }
            _ = try Self.checkedCounts(bytes)
            return nil
        } catch {
            return "\(error)"
        }
    }

    private static func checkedCounts(_ bytes: [UInt8]) throws -> IntakeCounters.Counts {
        guard bytes.count >= magic.count + 32 else { throw IntakeFileError("too short to hold its checksum") }
        let end = bytes.count - 32
        guard Array(SHA256.hash(data: bytes[0..<end])) == Array(bytes[end...]) else {
            throw IntakeFileError("its SHA-256 does not match its content")
        }
        let dated = bytes.starts(with: magic)
        do { return try IntakeCounters.Counts(decoding: Array(bytes[magic.count..<end]), dated: dated) } catch {
            throw IntakeFileError("its content does not decode (\(error.reason))")
        }
    }
}

/// What is wrong with the intake counters' file.
struct IntakeFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
