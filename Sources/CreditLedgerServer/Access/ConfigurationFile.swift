import Foundation
import Logging
import Synchronization

/// The configuration file as the server sees it: read at start, read again whenever its
/// modification time, size or inode change (checked on each request, one `stat`), so that a
/// rotated token takes effect without a restart. A changed file that cannot be used is logged and
/// the last good configuration stays in force.
public final class ConfigurationFile: Sendable {
    /// Where the file is.
    public let path: String
    private let logger: Logger
    private let state: Mutex<(stamp: FileStamp?, configuration: ServerConfiguration)>

    /// What identifies one version of the file.
    struct FileStamp: Equatable {
        var modified: Date
        var size: Int
        var inode: Int

        static func of(_ path: String) -> FileStamp? {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let modified = attributes[.modificationDate] as? Date else { return nil }
            return FileStamp(modified: modified, size: (attributes[.size] as? Int) ?? -1, inode: (attributes[.systemFileNumber] as? Int) ?? -1)
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
