// A procurement service that embeds the ledger and checks bidders before an award (联合奖惩 in the
// procurement and bidding scenes): every measure that applies, with its trigger and legal basis.
//
//   swift run procurement-service                       # two bidders in a fresh ledger
//   swift run procurement-service LEDGER_DIR CODE…      # check bidders in an existing ledger
import CreditFacts
import CreditLedger
import Foundation

/// Two bidders as the departments reported them: a clean one and one on the serious-dishonesty
/// list since 2024-02-01.
let demoLines = [
    #"{"id":"R-1","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2019-01-10","body":{"name":"上海嘉定食品有限公司","kind":"enterprise","region":"310114"}}"#,
    #"{"id":"R-2","type":"subject.registered","subject":"91310114M378625283","source":"310114-SCJG","effective":"2019-03-01","body":{"name":"上海嘉定建设有限公司","kind":"enterprise","region":"310114"}}"#,
    #"{"id":"L-1","type":"list.entered","subject":"91310114M378625283","source":"310114-SCJG","effective":"2024-02-01","body":{"listNo":"沪市监嘉严〔2024〕3号","list":"seriousDishonesty","field":"construction","reason":"提供虚假材料骗取资质"}}"#,
    #"{"id":"R-3","type":"role.assigned","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2019-01-10","body":{"person":"11010519491231002X","role":"legalRepresentative"}}"#,
]

let arguments = Array(CommandLine.arguments.dropFirst())
let directory = arguments.first ?? NSTemporaryDirectory() + "procurement-service-\(getpid())"
let today = LegalDate(year: 2024, month: 6, day: 30)!

do {
    let ledger = try Ledger.open(directory: directory)
    defer { try? ledger.close() }
    var bidders = try arguments.dropFirst().map { try SubjectCode($0) }
    if arguments.isEmpty {
        var codec = FactJSONCodec()
        try ledger.append(demoLines.map { try codec.decode($0) })
        bidders = [try SubjectCode("91350100M000100Y43"), try SubjectCode("91310114M378625283")]
    }
    // Build the matcher once: catalogue, grading model and indexes are reused for every bidder.
    let matcher = try ledger.matcher()
    for bidder in bidders {
        let name = try ledger.withView(SubjectRegistry.self) { $0.profile(bidder, asOf: today)?.registration?.name } ?? "?"
        let bars = try [MeasureScene.procurement, .bidding].flatMap {
            try ledger.match(bidder, scene: $0, asOf: today, matcher: matcher)
        }.filter { $0.measure.kind == .punishment }
        guard !bars.isEmpty else {
            print("\(bidder) \(name): may be awarded on \(today) — no punishment measure applies")
            continue
        }
        print("\(bidder) \(name): excluded on \(today)")
        for bar in Set(bars).sorted() {
            print("  \(bar.measure.id): \(bar.measure.measure.zh)")
            print("    because \(bar.trigger.kind.rawValue) \(bar.trigger.list?.rawValue ?? "") \(bar.trigger.ref) since \(bar.trigger.since)")
            print("    legal basis: \(bar.measure.legalBasis)")
        }
    }
} catch {
    FileHandle.standardError.write(Data("procurement-service: \(error)\n".utf8))
    exit(1)
}
