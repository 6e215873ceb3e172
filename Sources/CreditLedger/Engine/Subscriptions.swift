import LedgerStorage
import Synchronization

/// Subscribers parked until the log's head moves past what they have seen.
struct Waiters: Sendable {
    var head = Position.zero
    var closed = false
    var parked: [Int: CheckedContinuation<Void, Never>] = [:]
    var nextID = 0
}

extension Ledger {
    /// The facts from `start` on: first those already in the log (catching up), then each new one
    /// as it is appended, until the ledger closes or the task is cancelled. The push side of
    /// 信息推送: a department's service follows the ledger from its own checkpoint.
    public func facts(from start: Position = .zero) -> FactSubscription {
        FactSubscription(ledger: self, next: start)
    }

    func resumeWaiters() {
        let parked = waiters.withLock { waiters in
            defer { waiters.parked.removeAll() }
            return Array(waiters.parked.values)
        }
        for continuation in parked { continuation.resume() }
    }

    /// Waits until the head is past `position`, the ledger closes, or the task is cancelled.
    func waitForFacts(after position: Position) async {
        let id = waiters.withLock { waiters -> Int in
            waiters.nextID += 1
            return waiters.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = waiters.withLock { waiters -> Bool in
                    if waiters.head > position || waiters.closed || Task.isCancelled { return true }
                    waiters.parked[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let parked = waiters.withLock { $0.parked.removeValue(forKey: id) }
            parked?.resume()
        }
    }

    var isClosedForSubscribers: Bool { waiters.withLock { $0.closed } }
}

/// An `AsyncSequence` of recorded facts from a position on: catch-up from the log, then live.
public struct FactSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedFact
    let ledger: Ledger
    let next: Position

    public func makeAsyncIterator() -> Iterator { Iterator(ledger: ledger, next: next) }

    /// Reads the log in pages and parks when it has caught up.
    public struct Iterator: AsyncIteratorProtocol {
        let ledger: Ledger
        var next: Position
        var buffer: [RecordedFact] = []
        var bufferIndex = 0
        static let pageSize = 1_000

        public mutating func next() async throws -> RecordedFact? {
            while bufferIndex == buffer.count {
                if Task.isCancelled || ledger.isClosedForSubscribers { return nil }
                let head: Position
                do {
                    head = try ledger.head.nextPosition
                } catch {
                    if error == .log(.closed) { return nil }
                    throw error
                }
                if next < head {
                    buffer = try page(limit: Swift.min(Self.pageSize, Int(head.rawValue - next.rawValue)))
                    bufferIndex = 0
                } else {
                    if ledger.isClosedForSubscribers { return nil }
                    await ledger.waitForFacts(after: next)
                }
            }
            defer { bufferIndex += 1 }
            next = buffer[bufferIndex].position.advanced(by: 1)
            return buffer[bufferIndex]
        }

        private func page(limit: Int) throws -> [RecordedFact] {
            var page: [RecordedFact] = []
            do {
                try ledger.log.forEach(from: next, to: next.advanced(by: UInt64(limit))) { record in
                    page.append(try Replay.decode(record))
                }
            } catch let error as LogError {
                throw LedgerError.log(error)
            }
            return page
        }
    }
}
