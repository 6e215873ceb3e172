import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The configuration file as the server sees it: read at start, read again whenever its
/// modification time, size or inode change (checked on each request with one `stat(2)` call, read
/// once per request by the gateway), so that a rotated token takes effect without a restart. A
/// changed file that cannot be used is logged and the last good configuration stays in force.
public final class ConfigurationFile: Sendable {
    /// Where the file is.
    public let path: String
    private let logger: Logger
    private let state: Mutex<(stamp: FileStamp?, configuration: ServerConfiguration)>

    /// What identifies one version of the file.
    struct FileStamp: Equatable {
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
        var size: Int
        var inode: UInt64

        /// One `stat(2)`: Foundation's `attributesOfItem` also looks up the owner and group
        /// names (NSS reads of /etc/passwd and /etc/group) and boxes a dozen values, on every
        /// request.
        static func of(_ path: String) -> FileStamp? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            #if canImport(Darwin)
            let modified = info.st_mtimespec
            #else
            let modified = info.st_mtim
            #endif
            return FileStamp(modifiedSeconds: Int(modified.tv_sec), modifiedNanoseconds: Int(modified.tv_nsec), size: Int(info.st_size),
                             inode: UInt64(info.st_ino))
        }
    }

    /// Reads the file at `path`; an unusable file is an error here, at start.
    public init(path: String, logger: Logger) throws(ConfigurationError) {
        self.path = path
        self.logger = logger
        let stamp = FileStamp.of(path)
        state = Mutex((stamp, try ServerConfiguration.load(path: path)))
    }

    /// The configuration in force, re-read first if the file changed.
    public var current: ServerConfiguration {
        let stamp = FileStamp.of(path)
        if let cached = state.withLock({ $0.stamp == stamp ? $0.configuration : nil }) { return cached }
        do {
            let fresh = try ServerConfiguration.load(path: path)
            state.withLock { $0 = (stamp, fresh) }
            logger.info("configuration re-read", metadata: ["path": "\(path)", "principals": "\(fresh.principals.count)"])
            return fresh
        } catch {
            logger.error("configuration changed but cannot be used; the last good one stays in force",
                         metadata: ["path": "\(path)", "error": "\(error)"])
            return state.withLock { state in
                state.stamp = stamp
                return state.configuration
            }
        }
    }
}
