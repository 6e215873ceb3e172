import CreditDocuments
import CreditFacts
import CreditLedger

/// What the `repair-certificate` template reads: the repair certificate (信用修复证明) of an
/// approved repair — the applicant, the certificate number and issue details, the repair stage by
/// stage with its deadlines, the decision and its reason, the records it stopped, and the
/// verification reference. Stored properties only (`t` holds the fixed texts).
struct RepairCertificatePage {
    let t: [String: String]
    let subject: String, name: String?, asOf: String, knownAt: String
    let repairNo: String, target: String, outcome: String, decided: String, reason: String?
    let facts: String
    /// The issue details (number, issuer, date, verification), nil when rendered without them.
    let issue: CreditReportPage.Issue?
    let stages: PageTable, stopped: PageTable
    let title: String

    init(_ c: RepairCertificate, knownAt: String, issue: ReportIssue?, wording w: Wording) {
        t = w.texts
        subject = c.subject.description
        name = c.name
        asOf = w.date(c.asOf)
        self.knownAt = w.instant(knownAt)
        repairNo = c.repair.number
        target = TextReports.record(c.repair.record, w)
        outcome = w.text("outcome." + (c.repair.outcome ?? ""))
        decided = c.repair.decided.map(w.date) ?? "—"
        reason = c.reason
        facts = c.facts.map(\.description).joined(separator: ", ")
        self.issue = issue.map { issue in
            CreditReportPage.Issue(issue, subject: c.subject, asOf: c.asOf, w).renumbered(Self.number(issue, certificate: c))
        }
        var rows: [[(String, PageCell)]] = [[("stage", .plain(w.text("stage.received"))), ("date", .date(c.repair.received)),
                                             ("due", .missing), ("workingDays", .missing), ("source", .missing)]]
        for deadline in [c.repair.acceptance, c.repair.decision].compactMap({ $0 }) {
            rows.append([("stage", .plain(w.text("stage." + deadline.stage.rawValue))), ("date", .date(deadline.done)),
                         ("due", .date(deadline.due)), ("workingDays", .number(deadline.limit.workingDays)),
                         ("source", .text(deadline.limit.source))])
        }
        stages = PageTable(rows, wording: w)
        stopped = PageTable(c.stopped.map { s in
            [("kind", .plain(w.text("record." + s.kind))), ("record", .text(s.number)), ("detail", .text(TextReports.stoppedDetail(s, w) ?? "")),
             ("effect", .plain(w.text("stopped." + s.kind))), ("from", .date(s.from))]
        }, wording: w)
        title = "\(w.text("repairCertificate")) — \(c.name ?? c.subject.description) — \(c.repair.number)"
    }

    /// The certificate number (证明编号): `XYXF-` (信用修复), the date of issue and ten hex digits
    /// of a 64-bit FNV-1a hash over the ledger head, the subject, the repair number and the dates.
    static func number(_ issue: ReportIssue, certificate c: RepairCertificate) -> String {
        let hash = ContentHash.fnv1a("\(issue.records)|\(issue.headHash)|\(c.subject)|\(c.repair.number)|\(c.asOf)|\(issue.issued)".utf8)
        let hex = String(hash, radix: 16, uppercase: true)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        return "XYXF-\(issue.issued.description.replacingOccurrences(of: "-", with: ""))-\(digits.prefix(10))"
    }
}

extension CreditReportPage.Issue {
    /// These details under another number (a certificate numbers itself, not as a report).
    func renumbered(_ number: String) -> Self {
        var copy = self
        copy.number = number
        return copy
    }
}
