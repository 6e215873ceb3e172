import CreditFacts

/// Lists (名单): every entry and exit of every list kind, with repair applications and objections
/// against entries. As of a date it answers which entries are active and published (`publishFrom`
/// grace periods), their planned expiry under the regime of the entry date, and the rollover of an
/// abnormal-operation entry still open after the regime's period into the serious-dishonesty list.
///
/// Refuses at append: a red-list entry for a subject on a barring list that date
/// (`redListConflict`, 红黑名单交叉比对), an early removal from the serious-dishonesty list before
/// the regime allows it (`earlyRemovalTooSoon`), and the approval of a list repair the regime does
/// not allow (`repairNotAllowed`). Minors on the judgment-defaulter list are refused by CreditFacts'
/// own validation (`invalidValue`, `body.list`).
public struct ListRegister: Projector, SnapshotState, DigestContent, SubjectPartitioned, AdmissionRules {
    public static let name = "lists"
    public static let codeVersion = 4
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = [.listEntered, .listExited, .repairApplied, .repairDecided, .objectionRaised, .objectionResolved]

    /// One list entry and what happened to it, as recorded.
    public struct Record: Sendable, Hashable {
        /// The entry's number.
        public var listNo: ListNo
        /// The list.
        public var list: ListKind
        /// The regulatory field.
        public var field: RegulatoryField
        /// The listing date.
        public var entered: LegalDate
        /// The planned exit the listing body stated, if any.
        public var plannedExit: LegalDate?
        /// End of the grace period (宽限期), if any.
        public var publishFrom: LegalDate?
        /// Its exits in log order (a rolled-over abnormal-operation entry may exit twice: the
        /// abnormal entry when the duty is performed, the serious listing by early removal).
        public var exits: [Exit] = []
        /// Repair applications against it.
        public var repairs: [RepairSpell] = []
        /// Objections against it.
        public var objections: [ObjectionSpell] = []
        /// The entry fact (`SOURCE/ID`), for grade reasons and measure triggers.
        public var fact: FactRef

        /// The regime judging this entry on `date`: that of the channel of its source.
        func regime(on date: LegalDate, _ context: ViewContext) -> RuleRegime {
            context.rules.regime(on: date, source: fact.source)
        }

        /// For an abnormal-operation entry: the day it would roll over into the serious list.
        func rollover(_ context: ViewContext) -> LegalDate? {
            guard list == .abnormalOperation else { return nil }
            return regime(on: entered, context).lists.abnormalOperation.rolloverToSeriousDishonestyAfter.after(entered)
        }

        /// Since when the entry stands on the serious-dishonesty list on `date`: its listing date,
        /// or the rollover date of an abnormal-operation entry that rolled over; nil otherwise.
        func seriousSince(asOf date: LegalDate, _ context: ViewContext) -> LegalDate? {
            ListStatus.judge([self], asOf: date, context: context).last { $0.status.list == .seriousDishonesty }?.status.onListSince
        }
    }

    /// One exit (移出) of an entry.
    public struct Exit: Sendable, Hashable {
        /// The exit date.
        public var date: LegalDate
        /// Why it exited.
        public var reason: ListExitReason
    }

    private(set) var records: [SubjectCode: [Record]] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        switch fact.body {
        case .listEntered(let e):
            let record = Record(
                listNo: e.listNo, list: e.list, field: e.field, entered: fact.effective, plannedExit: e.plannedExit,
                publishFrom: e.publishFrom, fact: fact.ref)
            records[fact.subject, default: []].append(record)
        case .listExited(let x):
            Self.update(x.listNo, in: &records[fact.subject]) { $0.exits.append(Exit(date: fact.effective, reason: x.reason)) }
        case .repairApplied(let a):
            guard case .list(let number) = a.target else { return }
            let spell = RepairSpell(repairNo: a.repairNo, applied: fact.effective, commitmentNo: a.commitmentNo)
            Self.update(number, in: &records[fact.subject]) { $0.repairs.append(spell) }
        case .repairDecided(let d):
            updateFirst(in: &records[fact.subject]) { $0.repairs.decide(d, on: fact.effective) }
        case .objectionRaised(let o):
            guard case .list(let number) = o.target else { return }
            let spell = ObjectionSpell(objectionNo: o.objectionNo, raised: fact.effective)
            Self.update(number, in: &records[fact.subject]) { $0.objections.append(spell) }
        case .objectionResolved(let r):
            updateFirst(in: &records[fact.subject]) { $0.objections.resolve(r, on: fact.effective) }
        default:
            return
        }
    }

    // In place inside the dictionary, as in the registry: no copy of the subject's array per fact.
    private static func update(_ number: ListNo, in list: inout [Record]?, _ body: (inout Record) -> Void) {
        updateLast(in: &list, where: { $0.listNo == number }, body)
    }

    public mutating func merge(_ other: ListRegister) {
        records.merge(other.records) { mine, _ in mine }
    }

    public mutating func reserveCapacity(facts: Int) { records.reserveCapacity(records.count + facts / 100) }

    // MARK: - Queries

    /// The list records of `subject`, as recorded (every date).
    public func records(of subject: SubjectCode) -> [Record] { records[subject] ?? [] }

    /// The subjects with list entries, sorted.
    public var subjects: [SubjectCode] { records.keys.sorted() }

    /// Every entry of `subject` made on or before `date`, judged as of `date`, in entry order.
    /// Entries past the retention period after they ended are archived: left out here, kept in the log.
    /// A rolled-over abnormal-operation entry appears twice: the abnormal entry and its serious listing.
    public func entries(of subject: SubjectCode, asOf date: LegalDate, context: ViewContext) -> [ListStatus] {
        listings(of: subject, asOf: date, context: context).map(\.status).filter { $0.archivedFrom.map { $0 > date } ?? true }
    }

    /// Every status of `subject`'s entries made on or before `date` (archived ones included), each
    /// with its record, in entry order.
    public func listings(of subject: SubjectCode, asOf date: LegalDate, context: ViewContext)
        -> [(record: Record, status: ListStatus)] {
        ListStatus.judge(records[subject] ?? [], asOf: date, context: context)
    }

    /// The entries of `subject` active on `date` (on the list, published or not).
    public func activeEntries(of subject: SubjectCode, asOf date: LegalDate, context: ViewContext) -> [ListStatus] {
        entries(of: subject, asOf: date, context: context).filter(\.isActive)
    }

    /// Whether `subject` is on `list` on `date` (a rolled-over abnormal-operation entry stands on
    /// the serious-dishonesty list from its rollover date).
    public func isListed(_ subject: SubjectCode, on list: ListKind, asOf date: LegalDate, context: ViewContext) -> Bool {
        activeEntries(of: subject, asOf: date, context: context).contains { $0.list == list }
    }

    /// Whether list repair `repairNo` of `subject` may be approved, judged on its application date;
    /// nil when this view holds no such application (it targets a penalty).
    public func repairEligibility(_ repairNo: RepairNo, of subject: SubjectCode, context: ViewContext) -> RepairEligibility? {
        guard let record = records[subject]?.first(where: { $0.repairs.contains { $0.repairNo == repairNo } }),
              let spell = record.repairs.first(where: { $0.repairNo == repairNo }) else { return nil }
        return ListStatus.repairEligibility(record, application: spell, context: context)
    }

    /// Takes `subject`'s records from the live view (the append's scratch copy is seeded so).
    public mutating func adopt(_ subject: SubjectCode, from live: Self) { records[subject] = live.records[subject] }

    public func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem? {
        switch fact.body {
        case .listEntered(let entry) where entry.list == .red:
            let barring = context.rules.regime(on: fact.effective, source: fact.source).lists.redListBarringLists
            guard let conflict = activeEntries(of: fact.subject, asOf: fact.effective, context: context)
                .first(where: { barring.contains($0.list) }) else { return nil }
            return AdmissionProblem(
                field: "body.list", kind: .redListConflict,
                reason: "\(fact.subject) is on the \(conflict.list.rawValue) list (\(conflict.listNo), since \(conflict.onListSince)) on \(fact.effective): a subject on a dishonesty list is not put on the red list (红黑名单交叉比对)")
        case .listEntered(let entry) where entry.list == .judgmentDefaulter && entry.publishFrom.map { $0 > fact.effective } == true:
            return Self.gracePeriodProblem(entry, on: fact.effective, source: fact.source, context: context)
        case .listExited(let exit) where exit.reason != .revoked:
            return earlyExitProblem(exit, of: fact.subject, on: fact.effective, context: context)
        case .repairDecided(let decision) where decision.outcome == .approved:
            guard let eligibility = repairEligibility(decision.repairNo, of: fact.subject, context: context),
                  !eligibility.isEligible else { return nil }
            return AdmissionProblem(
                field: "body.outcome", kind: .repairNotAllowed,
                reason: "repair \(decision.repairNo) of list entry \(eligibility.target) cannot be approved: "
                    + eligibility.problems.joined(separator: "; "))
        default:
            return nil
        }
    }

    /// A grace period (宽限期) before a judgment-defaulter listing is published is one to three
    /// months (法发〔2019〕35号 item 17: "给予1至3个月宽限期"); the `gracePeriodMinimum` and
    /// `gracePeriodMaximum` of the regime of the listing source's channel bound it. A `publishFrom` on the listing date means no grace period.
    private static func gracePeriodProblem(_ entry: ListEntry, on date: LegalDate, source: SourceID, context: ViewContext) -> AdmissionProblem? {
        guard let publishFrom = entry.publishFrom else { return nil }
        let rule = context.rules.regime(on: date, source: source).lists.judgmentDefaulter
        let (earliest, latest) = (rule.gracePeriodMinimum.after(date), rule.gracePeriodMaximum.after(date))
        guard publishFrom < earliest || publishFrom > latest else { return nil }
        return AdmissionProblem(
            field: "body.publishFrom", kind: .gracePeriodOutOfRange,
            reason: "a grace period (宽限期) from \(date) to \(publishFrom) is outside \(rule.gracePeriodMinimum) to "
                + "\(rule.gracePeriodMaximum) (法发〔2019〕35号): publishFrom must be between \(earliest) and \(latest)")
    }

    /// An exit from the serious-dishonesty list before the minimum period is an early removal,
    /// whatever reason it names (SAMR Order 44: early removal only after one year on the list), so
    /// it is refused; an exit that says the listing was revoked (reconsideration, litigation, the
    /// authority's own correction) is not judged here, since a listing annulled by law must not
    /// stand for a minimum period.
    private func earlyExitProblem(_ exit: ListExit, of subject: SubjectCode, on date: LegalDate, context: ViewContext) -> AdmissionProblem? {
        // A rolled-over listing's minimum runs from the rollover (SAMR Order 44: 满一年); the
        // abnormal entry's own exit (duty performed) does not end it and is no early removal.
        guard let record = records[subject]?.last(where: { $0.listNo == exit.listNo }),
              let since = record.seriousSince(asOf: date, context),
              record.list == .seriousDishonesty || exit.reason.endsRolledOverListing else { return nil }
        let minimum = record.regime(on: since, context).lists.seriousDishonesty.earlyRemovalAfter
        let earliest = minimum.after(since)
        guard date < earliest else { return nil }
        return AdmissionProblem(
            field: "body.reason", kind: .earlyRemovalTooSoon,
            reason: "an exit from the serious-dishonesty list (reason \(exit.reason.rawValue)) on \(date) is an early removal: "
                + "the early-removal rule (SAMR Order 44) allows it only after the minimum period of \(minimum) on the list, "
                + "from \(earliest) (listed on \(since)); only a revocation of the listing ends it sooner")
    }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(records.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            e.write(pair.value) { e, r in
                e.write(id: r.listNo)
                e.write(word: r.list)
                e.write(word: r.field)
                e.write(r.entered)
                e.write(optionalDate: r.plannedExit)
                e.write(optionalDate: r.publishFrom)
                e.write(r.exits) { e, exit in
                    e.write(exit.date)
                    e.write(word: exit.reason)
                }
                e.write(r.repairs) { e, spell in e.write(spell) }
                e.write(r.objections) { e, spell in e.write(spell) }
                e.write(r.fact)
            }
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let decoded = try d.readArray { (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) -> Record in
                let (number, list, field) = (try d.readID(ListNo.self), try d.readWord(ListKind.self), try d.readWord(RegulatoryField.self))
                let (entered, plannedExit, publishFrom) = (try d.readDate(), try d.readOptionalDate(), try d.readOptionalDate())
                let exits = try d.readArray { (d) throws(SnapshotError) in
                    Exit(date: try d.readDate(), reason: try d.readWord(ListExitReason.self))
                }
                let repairs = try d.readArray { (d) throws(SnapshotError) in try d.readRepair() }
                let objections = try d.readArray { (d) throws(SnapshotError) in try d.readObjection() }
                return Record(listNo: number, list: list, field: field, entered: entered, plannedExit: plannedExit,
                              publishFrom: publishFrom, exits: exits, repairs: repairs,
                              objections: objections, fact: try d.readFactRef())
            })
        }
        records.reserveCapacity(decoded.count)
        for (subject, list) in decoded { records[subject] = list }
    }

    public func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        encoder.write(subjects) { e, subject in
            e.write(subject.description)
            e.write(entries(of: subject, asOf: date, context: context)) { e, status in status.encode(into: &e) }
        }
    }
}

extension ListRegister: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        records.prepare(room)
    }
}
