// The README's embedding example, runnable: `swift run embedded-service [LEDGER_DIRECTORY]`.
// Records two facts a market-regulation department sends, then asks the ledger about the company
// as of two dates and as known at two instants, prints the digest an auditor would compare, and
// follows the ledger as a subscribing service would.
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

let directory = CommandLine.arguments.count > 1
    ? CommandLine.arguments[1] : NSTemporaryDirectory() + "embedded-service-\(getpid())"
let lines = [
    #"{"id":"JD-SCJG-2020-000001","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"上海嘉定食品有限公司","kind":"enterprise","region":"310114"}}"#,
    #"{"id":"JD-SCJG-2020-000002","type":"role.assigned","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"person":"11010519491231002X","role":"legalRepresentative"}}"#,
]

do {
    let ledger = try Ledger.open(directory: directory)
    var codec = FactJSONCodec()
    let before = RecordedTime.now()
    let receipts = try ledger.append(lines.map { try codec.decode($0) })
    print("receipts: \(receipts)")

    let code = try SubjectCode("91350100M000100Y43")
    for date in [LegalDate(year: 2019, month: 12, day: 31)!, LegalDate(year: 2023, month: 9, day: 30)!] {
        let profile = try ledger.withView(SubjectRegistry.self) { $0.profile(code, asOf: date) }
        print("as of \(date): \(profile?.registration?.name ?? "not registered"), legal representative \(profile?.roles.map(\.person.masked) ?? [])")
    }
    let then = try ledger.subjectView(SubjectRegistry.self, subject: code, knownAt: before)
    print("as known before the append: \(then.count) subjects")
    print("digest: \(try ledger.digest(asOf: LegalDate(year: 2023, month: 9, day: 30)!))")

    var followed = 0
    for try await fact in ledger.facts(from: .zero) {
        print("pushed \(fact.position): \(fact.fact.type.rawValue) \(fact.fact.subject)")
        followed += 1
        if followed == Int(try ledger.head.recordCount) { break }
    }
    try ledger.close()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
