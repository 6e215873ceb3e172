import Dispatch
import LedgerStorage
import Synchronization

/// Runs the PostgreSQL log's async work on threads of its own and waits for it on the calling
/// thread, so the ledger's synchronous engine can use it.
///
/// The work runs as a task preferring this executor (a concurrent dispatch queue), never on the
/// cooperative pool and never on the thread that waits: a caller blocked here — even a thread of
/// the cooperative pool serving an HTTP request — cannot starve the work it waits for.
/// postgres-nio's I/O runs on its own event loops.
final class BlockingBridge: TaskExecutor {
    private let queue = DispatchQueue(label: "credit-ledger.postgres", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body` and returns its result once it has finished, rethrowing what it threw.
    func run<Result: Sendable>(_ body: sending @escaping () async throws -> Result) throws -> Result {
        let outcome = Mutex<Swift.Result<Result, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: self) {
            let result: Swift.Result<Result, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// ``run(_:)`` for work that throws only ``LogError``.
    func runLog<Result: Sendable>(_ body: sending @escaping () async throws(LogError) -> Result) throws(LogError) -> Result {
        do {
            return try run { () async throws -> Result in try await body() }
        } catch let error as LogError {
            throw error
        } catch {
            preconditionFailure("the log's work threw \(error)")
        }
    }

    /// Starts `body` on this executor without waiting for it.
    func start(_ body: sending @escaping () async -> Void) -> Task<Void, Never> {
        Task(executorPreference: self) { await body() }
    }
}

/// A value that crosses to the bridge's task while its owner waits for that task to finish: the
/// owner neither reads nor writes it meanwhile, so no two threads touch it at once.
final class Lent<Value>: @unchecked Sendable {
    var value: Value?
    init(_ value: Value) { self.value = value }
}
