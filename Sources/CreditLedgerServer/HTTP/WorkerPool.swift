import Foundation
import Synchronization

/// The bulk work of appends — reading a posted body's facts, preparing them, writing their
/// receipts, about a millisecond of CPU for a request of a hundred facts — on threads of its own
/// rather than on Swift's cooperative pool.
///
/// The pool has one thread per core and runs its jobs in turn: every hop of a query onto it (the
/// handler, and the handler again once the answer is ready) waited behind whatever POST bodies
/// were being read there. On these threads the operating system's scheduler shares the cores
/// between the bulk work and the queries' short steps instead, slice by slice.
enum BulkWork {
    /// The workers, shared by every server of the process: idle threads cost nothing.
    private static let pool = WorkerPool(threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Runs `body` on a worker and returns its result.
    static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            pool.submit { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
    }
}

/// Threads taking jobs in the order they came.
private final class WorkerPool: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    /// Counts the jobs waiting: a worker waits on it for the next.
    private let waiting = DispatchSemaphore(value: 0)

    init(threads: Int) {
        for index in 0..<threads {
            Thread.detachNewThread { [self] in
                Thread.current.name = "bulk-\(index)"
                while true {
                    waiting.wait()
                    let job = jobs.withLock { $0.removeFirst() }
                    job()
                }
            }
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        waiting.signal()
    }
}
