import CreditLedger
import Foundation
import Synchronization

/// Threads taking jobs in the order they came, at a priority of their own.
///
/// The appends' work runs on pools of these rather than on Swift's cooperative pool or Dispatch's:
/// reading a posted body's facts, preparing them and writing their receipts (about a millisecond
/// of CPU for a request of a hundred facts) on the bulk workers, and the serial append on a writer
/// thread of its own (``AppendQueue``). The cooperative pool has one thread per core and runs its
/// jobs in turn: every hop of a query onto it would wait behind whatever POST bodies were being
/// read there. On threads of their own the operating system's scheduler shares the cores between
/// the bulk work and the queries' short steps instead, slice by slice — and, at a lower priority
/// (``AppendSettings/niceness``), gives a query's step the core first.
final class WorkerPool: Sendable {
    /// The jobs waiting, and whether the pool is stopping (its workers end once none wait).
    private let jobs = Mutex<(queue: [@Sendable () -> Void], stopping: Bool)>(([], false))
    private let threads: Int
    /// Counts the jobs waiting: a worker waits on it for the next.
    private let waiting = DispatchSemaphore(value: 0)

    /// Starts `threads` workers named `name-N`, each lowered by `niceness` (0: the process's own
    /// priority; 1…19: lower, as `nice` counts). Lowering a thread's priority needs no privilege.
    /// Returns once every worker runs, named and at its priority.
    init(name: String, threads: Int, niceness: Int32 = 0) {
        self.threads = threads
        let started = DispatchSemaphore(value: 0)
        for index in 0..<threads {
            Thread.detachNewThread { [self] in
                Thread.current.name = "\(name)-\(index)"
                ThreadPriority.lowerCurrentThread(by: Int(niceness))
                started.signal()
                while true {
                    waiting.wait()
                    guard let job = jobs.withLock({ $0.queue.isEmpty ? nil : $0.queue.removeFirst() }) else { return }
                    job()
                }
            }
        }
        for _ in 0..<threads { started.wait() }
    }

    /// Queues `job` for the next free worker.
    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.queue.append(job) }
        waiting.signal()
    }

    /// Lets the workers end once the jobs queued are done. Nothing may be submitted after.
    func stop() {
        let first = jobs.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        // One wake-up per worker beyond the jobs queued: each finds the queue empty and ends.
        for _ in 0..<threads { waiting.signal() }
    }

    /// Runs `body` on a worker and returns its result.
    func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            submit { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
    }
}
