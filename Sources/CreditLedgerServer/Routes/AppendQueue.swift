import CreditFacts
import CreditLedger
import Foundation
import Logging
import Synchronization

/// Appends of concurrent requests, combined into the ledger's group commits: while one append
/// is being written, the requests that arrive wait, and the next append takes all of them at once
/// (one durable write, one `fdatasync`, for many requests).
///
/// Each request stays all or nothing: if the combined append is refused, every request with a
/// refused fact gets its refusals (indexed within the request) and nothing of it is appended, and
/// the other requests are appended again without them — the outcome is the one the requests
/// would have had one after the other, in arrival order.
final class AppendQueue: Sendable {
    typealias Outcome = Result<[FactReceipt], LedgerError>

    private struct Waiting {
        var facts: [PreparedFact]
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private let ledger: Ledger
    private let metrics: ServerMetrics
    /// Where the drain runs: a thread of its own, beyond Dispatch's global pool (one thread per
    /// core). On the global pool, a drain blocked in `fdatasync` takes one of the two threads of a
    /// two-core machine for as long as requests keep coming, and the queries' work waits behind
    /// it (libdispatch on Linux adds a thread for blocked ones only once a second).
    private let writer: WorkerPool
    /// Where posted bodies are read and prepared and receipts written (``WorkerPool``).
    let bulk: WorkerPool
    private let state = Mutex<(waiting: [Waiting], writing: Bool, requests: Int, commits: Int)>(([], false, 0, 0))

    /// `niceness` lowers the writer's and the bulk workers' priority below the queries' (0…19, as
    /// `nice` counts; ``AppendSettings/niceness``).
    init(ledger: Ledger, metrics: ServerMetrics, niceness: Int32 = 0) {
        self.ledger = ledger
        self.metrics = metrics
        writer = WorkerPool(name: "append-writer", threads: 1, niceness: niceness)
        bulk = WorkerPool(name: "bulk", threads: max(2, ProcessInfo.processInfo.activeProcessorCount), niceness: niceness)
    }

    deinit {
        writer.stop()
        bulk.stop()
    }

    /// Appends `facts` as one request; returns its receipts in order, or why it was refused. The
    /// facts come prepared (``PreparedFact``): their own checks, encoding and keys are done on the
    /// caller's thread, in parallel with other requests, so the drain — one at a time — does only
    /// what needs the ledger's state.
    func append(_ facts: [PreparedFact]) async -> Outcome {
        metrics.appendRequests.increment()
        return await withCheckedContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.waiting.append(Waiting(facts: facts, continuation: continuation))
                state.requests += 1
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if start { writer.submit { self.drain() } }
        }
    }

    /// Requests answered and the ledger appends that answered them, since the server started.
    var counts: (requests: Int, commits: Int) { state.withLock { ($0.requests, $0.commits) } }

    /// Writes what waits until nothing does. One drain runs at a time.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            write(batch)
        }
    }

    private func write(_ batch: [Waiting]) {
        var remaining = batch
        while !remaining.isEmpty {
            let all = remaining.flatMap(\.facts)
            state.withLock { $0.commits += 1 }
            metrics.groupCommits.increment()
            do throws(LedgerError) {
                // Each request's facts become visible to queries together; the views apply the
                // commit a few requests at a time, so a query waits for a run, not the whole commit.
                let receipts = try ledger.append(prepared: all, parts: remaining.map(\.facts.count))
                metrics.record(receipts)
                var offset = 0
                for request in remaining {
                    request.continuation.resume(returning: .success(Array(receipts[offset..<(offset + request.facts.count)])))
                    offset += request.facts.count
                }
                return
            } catch .refused(let refusals) {
                let kept = answerRefused(remaining, refusals)
                guard kept.count < remaining.count else {
                    // No refusal named a fact of any request: answer all with them rather than loop.
                    for request in remaining { request.continuation.resume(returning: .failure(.refused(refusals))) }
                    return
                }
                remaining = kept
            } catch {
                for request in remaining { request.continuation.resume(returning: .failure(error)) }
                return
            }
        }
    }

    /// Answers each request that has a refused fact with its own refusals; returns the others.
    private func answerRefused(_ requests: [Waiting], _ refusals: [Refusal]) -> [Waiting] {
        var kept: [Waiting] = []
        var offset = 0
        for request in requests {
            let range = offset..<(offset + request.facts.count)
            offset += request.facts.count
            let own = refusals.filter { range.contains($0.index) }.map { refusal in
                Refusal(index: refusal.index - range.lowerBound, fact: refusal.fact, field: refusal.field, kind: refusal.kind, reason: refusal.reason)
            }
            if own.isEmpty {
                kept.append(request)
            } else {
                metrics.factsRefused(kinds: own.map(\.kind.description))
                request.continuation.resume(returning: .failure(.refused(own)))
            }
        }
        return kept
    }
}
