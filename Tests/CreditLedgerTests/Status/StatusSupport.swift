import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// Interchange lines for the status views' tests, so each test reads like the data a department sends.
enum Status {
    /// Shanghai Jiading enterprises and persons with valid codes.
    static let company = Codes.enterprise(7001)
    static let otherCompany = Codes.enterprise(7002)
    static let adult = Codes.person(101, born: "19800101")
    static let child = Codes.person(102, born: "20100315")

    /// The source of the tests' facts: a department the national (信用中国) regimes judge, so the
    /// tests read the national rules; tests of market regulation's own rules pass `samrSource`.
    static let nationalSource = "310114-FGW"
    /// Market regulation (市场监督管理局), judged by SAMR's regimes (channel `samrPublicity`).
    static let samrSource = "310114-SCJG"

    /// One fact as a JSON line; `id` defaults to a key derived from type, subject, date and body.
    static func fact(_ type: String, _ subject: String, on date: String, _ body: String, id: String? = nil,
                     source: String = nationalSource, reported: String? = nil) -> Fact {
        let key = id ?? "\(type)-\(date)-" + String(ContentHash.fnv1a("\(type)|\(subject)|\(date)|\(body)|\(source)".utf8), radix: 16)
        let reportedField = reported.map { #","reported":"\#($0)""# } ?? ""
        return Facts.parse(#"{"id":"\#(key)","type":"\#(type)","subject":"\#(subject)","source":"\#(source)","effective":"\#(date)"\#(reportedField),"body":\#(body)}"#)
    }

    static func penalty(_ subject: String, _ number: String, on date: String, kinds: String = #"["fine"]"#,
                        fine: Int? = 50000, procedure: String = "ordinary", severity: String? = nil,
                        field: String = "foodSafety", source: String = nationalSource) -> Fact {
        let fineField = fine.map { #","fineYuan":\#($0)"# } ?? ""
        let severityField = severity.map { #","severity":"\#($0)""# } ?? ""
        return fact("penalty.decided", subject, on: date,
                    #"{"decisionNo":"\#(number)","kinds":\#(kinds)\#(fineField),"procedure":"\#(procedure)"\#(severityField),"field":"\#(field)","legalBasis":"《食品安全法》第一百二十四条"}"#, source: source)
    }

    static func performed(_ subject: String, _ number: String, on date: String) -> Fact {
        fact("penalty.performed", subject, on: date, #"{"decisionNo":"\#(number)"}"#)
    }

    static func revoked(_ subject: String, _ number: String, on date: String) -> Fact {
        fact("penalty.revoked", subject, on: date, #"{"decisionNo":"\#(number)","reason":"reconsideration"}"#)
    }

    static func commitment(_ subject: String, _ number: String, kind: String = "repair", on date: String,
                           due: String? = nil) -> Fact {
        let dueField = due.map { #","dueDate":"\#($0)""# } ?? ""
        return fact("commitment.made", subject, on: date,
                    #"{"commitmentNo":"\#(number)","kind":"\#(kind)","matter":"按期整改并履行处罚决定"\#(dueField)}"#)
    }

    static func repairApplied(_ subject: String, _ number: String, decision: String? = nil, list: String? = nil,
                              commitment: String? = nil, on date: String, target falseCommitment: String? = nil) -> Fact {
        let target = decision.map { #"{"decisionNo":"\#($0)"}"# } ?? list.map { #"{"listNo":"\#($0)"}"# }
            ?? #"{"commitmentNo":"\#(falseCommitment!)"}"#
        let commitmentField = commitment.map { #","commitmentNo":"\#($0)""# } ?? ""
        return fact("repair.applied", subject, on: date, #"{"repairNo":"\#(number)","target":\#(target)\#(commitmentField)}"#)
    }

    static func repairDecided(_ subject: String, _ number: String, outcome: String = "approved", on date: String) -> Fact {
        fact("repair.decided", subject, on: date, #"{"repairNo":"\#(number)","outcome":"\#(outcome)"}"#)
    }

    static func listed(_ subject: String, _ number: String, list: String, on date: String,
                       plannedExit: String? = nil, publishFrom: String? = nil) -> Fact {
        let extra = (plannedExit.map { #","plannedExit":"\#($0)""# } ?? "") + (publishFrom.map { #","publishFrom":"\#($0)""# } ?? "")
        return fact("list.entered", subject, on: date,
                    #"{"listNo":"\#(number)","list":"\#(list)","field":"other","reason":"依法列入"\#(extra)}"#)
    }

    static func delisted(_ subject: String, _ number: String, reason: String, on date: String) -> Fact {
        fact("list.exited", subject, on: date, #"{"listNo":"\#(number)","reason":"\#(reason)"}"#)
    }

    static func objection(_ subject: String, _ number: String, target: String, on date: String) -> Fact {
        fact("objection.raised", subject, on: date, #"{"objectionNo":"\#(number)","target":\#(target),"claim":"处罚对象有误"}"#)
    }

    static func resolved(_ subject: String, _ number: String, outcome: String, on date: String) -> Fact {
        fact("objection.resolved", subject, on: date, #"{"objectionNo":"\#(number)","outcome":"\#(outcome)"}"#)
    }

    static func registered(_ subject: String, name: String, on date: String, source: String = "310114-SCJG") -> Fact {
        fact("subject.registered", subject, on: date, #"{"name":"\#(name)","kind":"enterprise","region":"310114"}"#, source: source)
    }

    // The same facts for the tests' company.
    static func penalty(_ number: String, on date: String, kinds: String = #"["fine"]"#,
                        fine: Int? = 50000, procedure: String = "ordinary", severity: String? = nil,
                        field: String = "foodSafety", source: String = nationalSource) -> Fact {
        penalty(company, number, on: date, kinds: kinds, fine: fine, procedure: procedure, severity: severity, field: field, source: source)
    }

    static func performed(_ number: String, on date: String) -> Fact {
        performed(company, number, on: date)
    }

    static func revoked(_ number: String, on date: String) -> Fact {
        revoked(company, number, on: date)
    }

    static func commitment(_ number: String, kind: String = "repair", on date: String,
                           due: String? = nil) -> Fact {
        commitment(company, number, kind: kind, on: date, due: due)
    }

    static func repairApplied(_ number: String, decision: String? = nil, list: String? = nil,
                              commitment: String? = nil, on date: String, target falseCommitment: String? = nil) -> Fact {
        repairApplied(company, number, decision: decision, list: list, commitment: commitment, on: date, target: falseCommitment)
    }

    static func repairDecided(_ number: String, outcome: String = "approved", on date: String) -> Fact {
        repairDecided(company, number, outcome: outcome, on: date)
    }

    static func listed(_ number: String, list: String, on date: String,
                       plannedExit: String? = nil, publishFrom: String? = nil) -> Fact {
        listed(company, number, list: list, on: date, plannedExit: plannedExit, publishFrom: publishFrom)
    }

    static func delisted(_ number: String, reason: String, on date: String) -> Fact {
        delisted(company, number, reason: reason, on: date)
    }

    static func objection(_ number: String, target: String, on date: String) -> Fact {
        objection(company, number, target: target, on: date)
    }

    static func resolved(_ number: String, outcome: String, on date: String) -> Fact {
        resolved(company, number, outcome: outcome, on: date)
    }

    /// A fresh ledger with the default views (the status views among them).
    static func ledger(_ directory: TemporaryDirectory, clock: SteppingClock = SteppingClock()) throws -> Ledger {
        try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
    }

    /// The single refusal of appending `facts`, or nil when they were appended.
    static func refusal(appending facts: [Fact], to ledger: Ledger) -> Refusal? {
        do {
            try ledger.append(facts)
            return nil
        } catch {
            guard case .refused(let refusals) = error, refusals.count == 1 else { Issue.record("unexpected \(error)"); return nil }
            return refusals[0]
        }
    }
}

extension Ledger {
    /// One penalty of the status tests' company as of `date`.
    func penalty(_ number: String, of subject: String = Status.company, asOf date: String) throws -> PenaltyStatus? {
        try withView(PenaltyPublicity.self) { view in
            view.penalty(DecisionNo(unchecked: number), of: CreditLedgerTests.subject(subject), asOf: CreditLedgerTests.date(date), context: context)
        }
    }

    /// Every status of one list entry of the status tests' company as of `date` (a rolled-over
    /// abnormal-operation entry has two: the abnormal entry and its serious listing).
    func listings(_ number: String, of subject: String = Status.company, asOf date: String) throws -> [ListStatus] {
        try withView(ListRegister.self) { view in
            view.entries(of: CreditLedgerTests.subject(subject), asOf: CreditLedgerTests.date(date), context: context)
                .filter { $0.listNo.text == number }
        }
    }

    /// One list entry of the status tests' company as of `date`.
    func listing(_ number: String, of subject: String = Status.company, asOf date: String) throws -> ListStatus? {
        try withView(ListRegister.self) { view in
            view.entries(of: CreditLedgerTests.subject(subject), asOf: CreditLedgerTests.date(date), context: context)
                .first { $0.listNo.text == number }
        }
    }
}
