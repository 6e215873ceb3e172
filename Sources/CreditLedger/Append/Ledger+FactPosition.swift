import CreditFacts
import LedgerStorage

extension Ledger {
    /// The log position of the fact recorded under `(source, id)`, or nil when the ledger holds
    /// none: what an inclusion proof for that fact is about.
    public func position(source: SourceID, id: FactID) -> Position? {
        state.withLock { state in
            state.views.view(LedgerIndex.self)!.keys[FactKey(source: source, id: id)].map { Position($0.position) }
        }
    }
}
