import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// Interchange lines and helpers for the grading tests, on top of the status tests' `Status`.
enum Grading {
    /// A Jiading enterprise graded in most tests.
    static let company = Status.company
    /// Persons for reverse penetration.
    static let formerLR = Codes.person(201, born: "19750312")
    static let laterLR = Codes.person(202, born: "19820704")

    /// The bundled default model, loaded once.
    static let model = try! GradingModel.bundledDefault()

    static func registered(_ subject: String = company, kind: String = "enterprise", on date: String = "2020-01-01") -> Fact {
        Status.fact("subject.registered", subject, on: date, #"{"name":"上海嘉定测试\#(subject.suffix(4))","kind":"\#(kind)","region":"310114"}"#)
    }

    static func deregistered(_ subject: String, on date: String) -> Fact {
        Status.fact("subject.deregistered", subject, on: date, #"{"reason":"决议解散"}"#)
    }

    static func breached(_ subject: String, _ number: String, breach: String, severity: String = "general", on date: String) -> Fact {
        Status.fact("commitment.breached", subject, on: date, #"{"commitmentNo":"\#(number)","breach":"\#(breach)","severity":"\#(severity)"}"#)
    }

    static func honour(_ subject: String, _ title: String, level: String, on date: String) -> Fact {
        Status.fact("honour.granted", subject, on: date, #"{"title":"\#(title)","level":"\#(level)"}"#, source: "310114-FGW")
    }

    static func contract(_ subject: String, _ number: String, outcome: String, on date: String) -> Fact {
        Status.fact("contract.performance", subject, on: date, #"{"contractNo":"\#(number)","outcome":"\#(outcome)"}"#)
    }

    // The same facts for the tests' company.
    static func breached(_ number: String, breach: String, severity: String = "general", on date: String) -> Fact {
        breached(company, number, breach: breach, severity: severity, on: date)
    }

    static func honour(_ title: String, level: String, on date: String) -> Fact { honour(company, title, level: level, on: date) }

    static func contract(_ number: String, outcome: String, on date: String) -> Fact { contract(company, number, outcome: outcome, on: date) }

    static func role(_ type: String, _ organisation: String = company, person: String, role: String = "legalRepresentative",
                     on date: String) -> Fact {
        Facts.role(type, organisation, person: person, role: role, on: date)
    }
}

extension Ledger {
    /// The grade of `subject` on `date` under `model` (the default when nil).
    func grade(_ subject: String = Grading.company, asOf date: String, knownAt: RecordedTime? = nil,
               model: GradingModel? = nil) throws -> Grade {
        try grade(of: CreditLedgerTests.subject(subject), asOf: CreditLedgerTests.date(date), knownAt: knownAt, model: model)
    }
}

extension Grade {
    /// The rule ids of the reasons, in order.
    var rules: [String] { reasons.map(\.rule) }
    /// The model's start plus every reason's points: equals `score` for every graded subject.
    func reasonTotal(start: Int = 100) -> Int { start + reasons.reduce(0) { $0 + $1.points } }
}

/// A model file: the bundled default's JSON object with `edit` applied, as bytes.
func editedModel(_ edit: (inout [String: Any]) -> Void) -> Data {
    var object = try! JSONSerialization.jsonObject(with: try! GradingModel.bundledJSON()) as! [String: Any]
    edit(&object)
    return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
}

/// The error reading `data` as a model file named `origin`, or nil when it reads.
func modelError(_ data: Data, origin: String = "district.json") -> GradingModelError? {
    do {
        _ = try GradingModel(jsonData: data, origin: origin)
        return nil
    } catch {
        return error
    }
}

/// A model file: the bundled default with the value at `path` (e.g. `deductions[2].points`)
/// replaced by `value`, or removed when `value` is nil.
func modelWith(_ path: String, _ value: Any?) -> Data {
    editedModel { root in root = replacing(root, steps(path)[...], with: value) as! [String: Any] }
}

private enum PathStep { case key(String), index(Int) }

private func steps(_ path: String) -> [PathStep] {
    path.split(separator: ".").flatMap { part -> [PathStep] in
        let pieces = part.split(separator: "[")
        return [.key(String(pieces[0]))] + pieces.dropFirst().map { .index(Int($0.dropLast())!) }
    }
}

private func replacing(_ node: Any, _ path: ArraySlice<PathStep>, with value: Any?) -> Any {
    guard let step = path.first else { return value as Any }
    switch step {
    case .key(let key):
        var object = node as! [String: Any]
        if path.count == 1 && value == nil { object.removeValue(forKey: key) } else {
            object[key] = replacing(object[key] as Any, path.dropFirst(), with: value)
        }
        return object
    case .index(let index):
        var array = node as! [Any]
        if path.count == 1 && value == nil { array.remove(at: index) } else {
            array[index] = replacing(array[index], path.dropFirst(), with: value)
        }
        return array
    }
}
