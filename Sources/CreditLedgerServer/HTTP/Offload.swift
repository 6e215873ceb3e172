import Dispatch

/// The ledger's calls block (they take locks, read files, fsync): they run on Dispatch's threads,
/// never on the server's event loops or Swift's cooperative pool.
enum Offload {
    /// Runs `body` on a global queue and returns its result.
    static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(E) -> T in try body() })
            }
        }
        return try result.get()
    }
}
