import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger
import LogTestSupport

/// Shared with the other test targets (LogTestSupport).
typealias TemporaryDirectory = LogTestSupport.TemporaryDirectory

/// Valid codes for tests: the standards' own examples and codes made with their check rules.
enum Codes {
    /// GB 32100's example: an enterprise in Fuzhou.
    static let fuzhouEnterprise = "91350100M000100Y43"
    /// GB 11643's example: a person born 1949-12-31 in Beijing Chaoyang.
    static let beijingPerson = "11010519491231002X"

    /// A unified social credit code for a Shanghai Jiading enterprise, numbered `n`.
    static func enterprise(_ n: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let body = "91310114" + organisationCode(n)
        let sum = zip(body, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        return body + String(alphabet[(31 - sum % 31) % 31])
    }

    /// A GB 11714 organisation code body with its own check character.
    private static func organisationCode(_ n: Int) -> String {
        let digits = Array(String(format: "%08d", n))
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let check = 11 - sum % 11
        return String(digits) + (check == 10 ? "X" : check == 11 ? "0" : String(check))
    }

    /// A citizen identity number for a person born on `birth` (YYYYMMDD) in Shanghai Jiading.
    static func person(_ n: Int, born birth: String = "19800101") -> String {
        let body = "310114" + birth + String(format: "%03d", n % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }
}

/// Facts written as the interchange lines departments send, so tests read like the data.
enum Facts {
    /// An ASCII fact id from any text (ids allow only `[A-Za-z0-9._:-]`).
    static func key(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }

    static func parse(_ line: String) -> Fact {
        var codec = FactJSONCodec()
        do { return try codec.decode(line) } catch { fatalError("test fixture does not parse: \(error)\n\(line)") }
    }

    static func registered(_ subject: String, name: String, on date: String, id: String? = nil, source: String = "310114-SCJG") -> Fact {
        parse(#"{"id":"\#(id ?? "REG-\(subject)-\(date)")","type":"subject.registered","subject":"\#(subject)","source":"\#(source)","effective":"\#(date)","body":{"name":"\#(name)","kind":"enterprise","region":"310114"}}"#)
    }

    /// Enterprise `n` registered on 2021-01-01 with person `n` as its legal representative.
    static func company(_ n: Int) -> [Fact] {
        [registered(Codes.enterprise(n), name: "企业\(n)", on: "2021-01-01"),
         role("assigned", Codes.enterprise(n), person: Codes.person(n), on: "2021-01-01")]
    }

    static func role(_ type: String, _ organisation: String, person: String, role: String = "legalRepresentative", on date: String) -> Fact {
        parse(#"{"id":"ROLE-\#(type)-\#(organisation)-\#(person)-\#(date)","type":"role.\#(type)","subject":"\#(organisation)","source":"310114-SCJG","effective":"\#(date)","body":{"person":"\#(person)","role":"\#(role)"}}"#)
    }

    static func penalty(_ subject: String, decision: String, on date: String, id: String? = nil, fine: Int = 50000) -> Fact {
        parse(#"{"id":"\#(id ?? "PEN-" + key(decision))","type":"penalty.decided","subject":"\#(subject)","source":"310114-SCJG","effective":"\#(date)","body":{"decisionNo":"\#(decision)","kinds":["fine"],"fineYuan":\#(fine),"procedure":"ordinary","severity":"general","field":"foodSafety","legalBasis":"《食品安全法》第一百二十四条"}}"#)
    }

    static func performed(_ subject: String, decision: String, on date: String) -> Fact {
        parse(#"{"id":"PERF-\#(key(decision))","type":"penalty.performed","subject":"\#(subject)","source":"310114-SCJG","effective":"\#(date)","body":{"decisionNo":"\#(decision)"}}"#)
    }

    static func withRecorded(_ fact: Fact, _ timestamp: String) -> Fact {
        var copy = fact
        copy.recorded = try! Timestamp(parsing: timestamp)
        return copy
    }
}

func date(_ text: String) -> LegalDate { try! LegalDate(parsing: text) }

func subject(_ text: String) -> SubjectCode { try! SubjectCode(text) }

/// A clock tests control: each reading is one second after the previous.
final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64

    init(start: String = "2026-06-01T09:00:00+08:00") {
        now = (try! Timestamp(parsing: start)).secondsSinceEpoch * 1_000_000
    }

    func read() -> RecordedTime {
        lock.lock()
        defer { lock.unlock() }
        now += 1_000_000
        return RecordedTime(microsecondsSinceEpoch: now)
    }

    /// Moves the clock on to `time` (e.g. `2026-07-03T09:00:00+08:00`), a later day of a test's history.
    func jump(to time: String) {
        lock.lock()
        defer { lock.unlock() }
        let target = (try! Timestamp(parsing: time)).secondsSinceEpoch * 1_000_000
        precondition(target > now, "a clock only moves forward")
        now = target
    }
}

func configuration(clock: SteppingClock) -> LedgerConfiguration {
    var configuration = LedgerConfiguration()
    configuration.log.clock = { clock.read() }
    return configuration
}

/// The national rules and calendar, loaded once for all tests.
let ledgerContext: ViewContext = try! ViewContext.national()

/// A small deterministic generator (SplitMix64): the same seed, the same shuffle or kill times on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
