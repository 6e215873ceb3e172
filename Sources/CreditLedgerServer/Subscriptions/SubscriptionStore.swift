import CreditFacts
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named subscription (信息推送 with 执行反馈): a consumer's filter and the last position it
/// acknowledged, kept by the server so that the consumer resumes where it left off after either
/// side restarts.
public struct NamedSubscription: Codable, Sendable, Hashable {
    /// The name, unique in the ledger (letters, digits, `.`, `_`, `-`; at most 64).
    public var name: String
    /// The principal that created it; only it may read, follow or acknowledge it.
    public var owner: String
    /// The fact types delivered (empty: every type).
    public var types: [String]
    /// The source codes delivered (empty: every source).
    public var sources: [String]
    /// The last position the consumer acknowledged as handled; nil before the first.
    public var acknowledged: UInt64?

    /// The first position not yet acknowledged: where the consumer resumes.
    public var resumeAt: UInt64 { acknowledged.map { $0 + 1 } ?? 0 }

    /// Whether a fact passes the filter.
    func delivers(_ fact: Fact) -> Bool {
        (types.isEmpty || types.contains(fact.type.rawValue)) && (sources.isEmpty || sources.contains(fact.source.text))
    }

    /// Checks a name: 1…64 characters, letters, digits, `.`, `_`, `-`, not starting with `.`
    /// (so it is a safe file name and never a path).
    static func check(name: String) throws(ServerError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard (1...64).contains(name.utf8.count), allowed, !name.hasPrefix(".") else {
            throw ServerError(.badRequest, "subscription name \(name): 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'")
        }
    }
}

/// The named subscriptions of one ledger, one file each: `DIR/subscriptions/NAME.json`. A file is
/// replaced atomically (written to `NAME.json.tmp`, fsynced, renamed over the old one, then the
/// folder fsynced), so an acknowledgement answered 200 survives a crash and a file is never seen
/// half-written. Files are read once, at first use; the server is the only writer.
final class SubscriptionStore: Sendable {
    let folder: String
    private let state = Mutex<[String: NamedSubscription]?>(nil)

    /// The store of the ledger in `directory`.
    init(ledgerDirectory directory: String) {
        folder = directory + "/subscriptions"
    }

    /// The subscription named `name`, if there is one.
    func get(_ name: String) throws(ServerError) -> NamedSubscription? {
        try loaded()[name]
    }

    /// Stores `subscription` durably, replacing the one of the same name.
    func put(_ subscription: NamedSubscription) throws(ServerError) {
        try state.withLock { (state) throws(ServerError) in
            var all = try Self.cached(state, folder)
            try Self.write(subscription, folder: folder)
            all[subscription.name] = subscription
            state = all
        }
    }

    /// Applies `change` to the stored subscription and stores the result durably, under the
    /// store's lock (so that two acknowledgements never interleave).
    func update(_ name: String, _ change: (inout NamedSubscription) throws(ServerError) -> Void) throws(ServerError) -> NamedSubscription {
        try state.withLock { (state) throws(ServerError) -> NamedSubscription in
            var all = try Self.cached(state, folder)
            guard var subscription = all[name] else { throw ServerError(.notFound, "no subscription \(name)") }
            try change(&subscription)
            try Self.write(subscription, folder: folder)
            all[name] = subscription
            state = all
            return subscription
        }
    }

    private static func cached(_ state: [String: NamedSubscription]?, _ folder: String) throws(ServerError) -> [String: NamedSubscription] {
        if let state { return state }
        return try readAll(folder)
    }

    private func loaded() throws(ServerError) -> [String: NamedSubscription] {
        try state.withLock { (state) throws(ServerError) -> [String: NamedSubscription] in
            if let state { return state }
            let all = try Self.readAll(folder)
            state = all
            return all
        }
    }

    /// Every `NAME.json` in the folder (none if it does not exist); a file that cannot be read
    /// is an error naming it, never skipped.
    private static func readAll(_ folder: String) throws(ServerError) -> [String: NamedSubscription] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [:] }
        var all: [String: NamedSubscription] = [:]
        for file in names.sorted() where file.hasSuffix(".json") {
            let path = folder + "/" + file
            do {
                let subscription = try JSONDecoder().decode(NamedSubscription.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
                guard file == subscription.name + ".json" else { throw CocoaError(.fileReadCorruptFile) }
                all[subscription.name] = subscription
            } catch {
                throw ServerError(.serviceUnavailable, "subscription file \(path) cannot be read: \(error)")
            }
        }
        return all
    }

    private static func write(_ subscription: NamedSubscription, folder: String) throws(ServerError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = folder + "/" + subscription.name + ".json"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try DurableFile.replace(path, with: Array(try encoder.encode(subscription)) + [0x0A])
        } catch {
            throw ServerError(.serviceUnavailable, "the subscription \(subscription.name) cannot be stored in \(path): \(error)")
        }
    }
}

/// Replacing a small file so that the new content is on disk before the call returns and a
/// crash leaves either the old file or the new one.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `bytes` to `path.tmp`, fsyncs it, renames it to `path` and fsyncs the folder.
    static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw failure("create", temporary)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        let written = Result { () throws -> Void in
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()  // fsync: the content is on disk before the rename makes it the file
        }
        try handle.close()  // a failure to close is an error too, never swallowed
        try written.get()
        guard rename(temporary, path) == 0 else { throw failure("rename", path) }
        let folder = (path as NSString).deletingLastPathComponent
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw failure("open", folder) }
        defer { close(directory) }
        guard fsync(directory) == 0 else { throw failure("fsync", folder) }
    }

    private static func failure(_ call: String, _ path: String) -> Failure {
        Failure(description: "\(call) \(path): \(String(cString: strerror(errno)))")
    }
}
