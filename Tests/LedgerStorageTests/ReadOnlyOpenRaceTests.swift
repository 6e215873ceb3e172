import Foundation
import Synchronization
import Testing
@testable import LedgerStorage
import LogTestSupport

/// A read-only open looks at a directory a writer keeps changing: it lists the segments, reads
/// the manifest and the checkpoint, opens and walks segment files. Whatever the writer does between
/// any two of those steps — append, seal a segment and start the next, move the checkpoint — the
/// reader must open an acknowledged prefix of the log, never report damage that is not there.
@Suite struct ReadOnlyOpenRaceTests {
    let directory = TemporaryDirectory()

    /// The real file system, with a hook run before the `n`-th operation of the reader's open.
    final class Interleaving: FileSystem {
        let base = PosixFileSystem()
        let calls = Atomic<Int>(0)
        let at: Int
        let hook: @Sendable () -> Void

        init(at: Int, hook: @escaping @Sendable () -> Void) {
            self.at = at
            self.hook = hook
        }

        func step() { if calls.add(1, ordering: .relaxed).oldValue == at { hook() } }

        func open(_ path: String, writable: Bool, create: Bool, exclusive: Bool) throws(LogError) -> any LogFile {
            step()
            return try base.open(path, writable: writable, create: create, exclusive: exclusive)
        }
        func createDirectory(_ path: String) throws(LogError) { step(); try base.createDirectory(path) }
        func syncDirectory(_ path: String) throws(LogError) { try base.syncDirectory(path) }
        func list(_ path: String) throws(LogError) -> [String] { step(); return try base.list(path) }
        func exists(_ path: String) -> Bool { step(); return base.exists(path) }
        func rename(_ from: String, to: String) throws(LogError) { try base.rename(from, to: to) }
        func remove(_ path: String) throws(LogError) { try base.remove(path) }
        func lockWriter(_ directory: String) throws(LogError) -> any WriterLockHandle { try base.lockWriter(directory) }
    }

    /// Before each step of a read-only open in turn, the writer appends once, or (`rollsSegment`)
    /// enough to seal the segment it is writing and start another, moving the checkpoint there. Every open succeeds and
    /// serves exactly the writer's first records, up to an append the writer acknowledged. Each
    /// step starts from a log of the same shape: three segments, the last one partly written.
    @Test(arguments: [false, true])
    func aReadOnlyOpenRacingTheWriterSeesAnAcknowledgedPrefix(rollsSegment: Bool) throws {
        let configuration = smallConfiguration()
        func writer(_ step: Int) throws -> FileLog {
            let log = try FileLog.open(directory: directory.file("\(rollsSegment)-\(step)"), configuration: configuration)
            while try log.segmentCount < 3 { try log.appendRandom(150) }
            try log.appendRandom(20)
            return log
        }
        // How many steps an open of that shape takes, with nothing changing under it.
        let quiet = Interleaving(at: -1) {}
        var quietConfiguration = configuration
        quietConfiguration.fileSystem = quiet
        let shape = try writer(-1)
        try FileLog.open(directory: directory.file("\(rollsSegment)--1"), configuration: quietConfiguration, readOnly: true).close()
        try shape.close()
        let steps = quiet.calls.load(ordering: .relaxed)
        #expect(steps > 5, "an open takes several steps: \(steps)")
        for step in 0..<steps {
            let log = try writer(step)
            let before = try log.head.nextPosition
            let segments = try log.segmentCount
            let failure = Mutex<String?>(nil)
            var readerConfiguration = configuration
            readerConfiguration.fileSystem = Interleaving(at: step) {
                do {
                    repeat { try log.appendRandom(rollsSegment ? 150 : 7) } while try rollsSegment && log.segmentCount == segments
                } catch { failure.withLock { $0 = "\(error)" } }
            }
            let reader: FileLog
            do {
                reader = try FileLog.open(directory: directory.file("\(rollsSegment)-\(step)"), configuration: readerConfiguration, readOnly: true)
            } catch {
                Issue.record("step \(step) of \(steps): \(error)")
                continue
            }
            #expect(failure.withLock { $0 } == nil)
            let head = try reader.head
            #expect(head.nextPosition >= before, "step \(step): the reader lost records acknowledged before it opened")
            #expect(try reader.allRecords() == Array(try log.allRecords().prefix(Int(head.nextPosition.rawValue))),
                    "step \(step): the reader's records are not the writer's first ones")
            #expect(try reader.verify().isIntact)
            try reader.close()
            try log.close()
        }
    }
}
