import LedgerStorage

/// The exact history an answer (a report, a digest) is computed from: the head of the log's
/// Merkle tree at that size, the instant that pins it, and the signed checkpoint of exactly that
/// size when the ledger keeps one (docs/proofs.md, "How an auditor checks a report").
///
/// Computing an answer "as known at" ``knownAt`` gives the answer from the first
/// ``head``.size facts and no other, even while appends go on: the caller passes ``knownAt``
/// on to the query instead of the instant it was asked for.
public struct HistoryBinding: Hashable, Sendable {
    /// The tree head the answer is bound to: size, root, algorithm.
    public var head: TreeHead
    /// The instant to compute the answer as known at: the one asked for when it lies inside the
    /// log, else the recorded time of the last fact covered (for an empty ledger asked about now,
    /// ``RecordedTime/beforeEpoch``: no fact). Nil only in bindings made by hand.
    public var knownAt: RecordedTime?
    /// The signed checkpoint of exactly ``head``.size facts from `DIR/checkpoints/`, if there is one.
    public var checkpoint: String?

    /// A binding from its parts.
    public init(head: TreeHead, knownAt: RecordedTime?, checkpoint: String?) {
        self.head = head
        self.knownAt = knownAt
        self.checkpoint = checkpoint
    }
}

extension Ledger {
    /// The history a question as known at `knownAt` (now when nil) is answered from: every fact
    /// recorded through `knownAt`, or all the ledger holds at this moment.
    public func binding(knownAt: RecordedTime?) throws(LedgerError) -> HistoryBinding {
        var binding = try bareBinding(knownAt: knownAt)
        binding.checkpoint = try keptCheckpoint(of: binding.head)
        return binding
    }

    /// ``binding(knownAt:)`` without its checkpoint.
    private func bareBinding(knownAt: RecordedTime?) throws(LedgerError) -> HistoryBinding {
        do {
            // The log's head moves on before the views apply what it added (an append is durable
            // first, then applied in runs; on a shared log a catch-up has begun): the live answer is
            // bound to exactly what the views hold, so a query pinned to its instant answers from
            // exactly that history — live while the views still stand there (``readLive``).
            let point: ViewsPoint
            if let viewsPoint = state.withLock({ $0.viewsPoint }) {
                point = viewsPoint
            } else {
                let head = try log.head
                point = ViewsPoint(next: head.nextPosition, lastRecorded: head.lastRecordedTime)
            }
            let size: UInt64, pinned: RecordedTime?
            if let knownAt, let last = point.lastRecorded, knownAt < last {
                size = try log.endPosition(recordedThrough: knownAt).rawValue
                pinned = knownAt
            } else {
                size = point.next.rawValue
                // The empty ledger is pinned too: to an instant before any fact, so that a question
                // bound to it is answered from no facts even if the first append lands meanwhile.
                pinned = point.lastRecorded ?? knownAt ?? .beforeEpoch
            }
            return HistoryBinding(head: try log.treeHead(size: size), knownAt: pinned, checkpoint: nil)
        } catch {
            throw .log(error)
        }
    }

    /// The kept checkpoint of exactly `head`'s size when it signs `head` (its size, root and
    /// hash): a text that does not — altered in `DIR/checkpoints/` or in the shared table, or of
    /// another ledger — is never handed out with an answer.
    func keptCheckpoint(of head: TreeHead) throws(LedgerError) -> String? {
        let text: String?
        do { text = try checkpoints.text(size: head.size) } catch {
            throw .checkpoint("cannot read the checkpoint of \(head.size) facts in \(checkpoints.location): \(error)")
        }
        guard let text, let kept = try? TreeCheckpoint.parseUnverified(text),
              kept.head.size == head.size, kept.head.root == head.root, kept.head.algorithm == head.algorithm else { return nil }
        return text
    }
}
