import CreditFacts
import LedgerStorage

/// One list entry as a clerk works it: the subject, the entry judged as of the date asked about,
/// and what the entry fact says (reason, deciding body).
public struct ListRow: Sendable, Hashable {
    /// The subject listed.
    public var subject: SubjectCode
    /// The entry as of the date asked about (the listing an abnormal-operation entry rolled over
    /// into has `list` seriousDishonesty and `rolledOver` set).
    public var status: ListStatus
    /// Why it was listed, from the entry fact.
    public var reason: String
    /// The deciding body: the department that reported the entry (its source).
    public var decidingBody: SourceID
    /// The entry fact (`SOURCE/ID`).
    public var fact: FactRef
    /// For an abnormal-operation entry: the day it rolls over into the serious-dishonesty list.
    public var rollover: LegalDate?
}

/// A red-list entry held against the dishonesty lists (红黑名单交叉比对): the red entry and the
/// subject's entries active on other lists the same day.
public struct RedListCheck: Sendable, Hashable {
    /// The red-list entry.
    public var red: ListRow
    /// The subject's active entries on dishonesty lists (not red, not the financing whitelist).
    public var dishonesty: [ListStatus]
}

/// One list as a clerk works it on a date (`lists --list KIND --as-of D`): every subject on it,
/// the entries and exits in a period, the entries that roll over or expire soon, and for the red
/// list the check against the dishonesty lists. Rows are sorted by subject, then in entry order.
public struct ListsReport: Sendable, Hashable {
    /// The list.
    public var list: ListKind
    /// The date.
    public var asOf: LegalDate
    /// The first day of the period entries and exits are counted in (through ``asOf``).
    public var from: LegalDate
    /// How many days ahead rollovers and expiries are looked for.
    public var horizonDays: Int
    /// Every entry on the list on ``asOf`` (published or in its grace period).
    public var onList: [ListRow]
    /// Entries that came onto the list from ``from`` through ``asOf`` (a rollover counts on its day).
    public var entered: [ListRow]
    /// Entries that left it from ``from`` through ``asOf``, with the reason in `status.endReason`.
    public var exited: [ListRow]
    /// Abnormal-operation entries on the list that roll over into the serious-dishonesty list
    /// within the horizon (an abnormal-operation report only).
    public var rollingOver: [ListRow]
    /// Entries whose planned expiry falls within the horizon.
    public var expiring: [ListRow]
    /// For the red list: the red entries whose subject stands on a dishonesty list too.
    public var redChecks: [RedListCheck]
}

extension Ledger {
    /// The list `list` as of `date` as known at `knownAt` (now when nil): see ``ListsReport``.
    /// Entries and exits are counted from `from` (the first of `date`'s month when nil);
    /// rollovers and expiries are looked for `horizonDays` ahead (60 by default: the rollover of
    /// an abnormal-operation entry is announced two months ahead).
    public func lists(_ list: ListKind, asOf date: LegalDate, from: LegalDate? = nil, horizonDays: Int = 60,
                      knownAt: RecordedTime? = nil) throws -> ListsReport {
        let start = from ?? LegalDate(year: date.civil.year, month: date.civil.month, day: 1)!
        let horizon = date.adding(days: horizonDays)
        typealias Judged = (subject: SubjectCode, record: ListRegister.Record, status: ListStatus, others: [ListStatus])
        let judged: [Judged] = try withStatusViews(knownAt: knownAt) { views in
            var out: [Judged] = []
            for subject in views.lists.subjects {
                let listings = views.lists.listings(of: subject, asOf: date, context: context)
                for (record, status) in listings where status.list == list {
                    let others = list == .red ? listings.map(\.status).filter { $0.isActive && $0.list.isDishonesty } : []
                    out.append((subject, record, status, others))
                }
            }
            return out
        }
        let entryFacts = try factsByRef(judged.map(\.record.fact))
        func row(_ j: Judged) -> ListRow {
            var reason = ""
            if case .listEntered(let entry) = entryFacts[j.record.fact]?.fact.body { reason = entry.reason }
            let rollover = j.status.list == .abnormalOperation ? j.record.rollover(context) : nil
            return ListRow(subject: j.subject, status: j.status, reason: reason, decidingBody: j.record.fact.source,
                           fact: j.record.fact, rollover: rollover)
        }
        var report = ListsReport(list: list, asOf: date, from: start, horizonDays: horizonDays, onList: [], entered: [], exited: [],
                                 rollingOver: [], expiring: [], redChecks: [])
        for j in judged {
            let r = row(j)
            if j.status.isActive { report.onList.append(r) }
            if start <= j.status.onListSince && j.status.onListSince <= date { report.entered.append(r) }
            if let ended = j.status.ended, start <= ended, ended <= date { report.exited.append(r) }
            if j.status.isActive, let rollover = r.rollover, date < rollover, rollover <= horizon { report.rollingOver.append(r) }
            if j.status.isActive, let expiry = j.status.plannedExpiry, date < expiry, expiry <= horizon { report.expiring.append(r) }
            if j.status.isActive, !j.others.isEmpty { report.redChecks.append(RedListCheck(red: r, dishonesty: j.others)) }
        }
        return report
    }

    /// The facts `refs` name, read from the log through the ledger's index (unknown refs are left out).
    func factsByRef(_ refs: [FactRef]) throws -> [FactRef: RecordedFact] {
        let found: [(FactRef, Position)] = state.withLock { state in
            let index = state.views.view(LedgerIndex.self)!
            return refs.compactMap { ref in
                index.keys[FactKey(source: ref.source, id: ref.id)].map { (ref, Position($0.position)) }
            }
        }
        let records: [LogRecord]
        do { records = try log.records(at: found.map(\.1).sorted()) } catch { throw LedgerError.log(error) }
        var out: [FactRef: RecordedFact] = [:]
        for record in records {
            let fact = try record.payload.withUnsafeBytes { raw in
                try Replay.decode(LogRecordView(position: record.position, recordedTime: record.recordedTime, payload: raw))
            }
            out[fact.fact.ref] = fact
        }
        return out
    }
}

extension ListKind {
    /// Whether the list is a dishonesty list (失信/异常/关注), not a reward list (red, financing whitelist).
    var isDishonesty: Bool {
        switch self {
        case .seriousDishonesty, .judgmentDefaulter, .abnormalOperation, .keyAttention: true
        case .red, .financingWhitelist: false
        }
    }
}
