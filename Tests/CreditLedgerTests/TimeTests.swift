import CreditFacts
import LedgerStorage
import Testing
@testable import CreditLedger

/// Two time axes: `asOf` (valid time, effective dates) and `knownAt` (transaction time, recorded).
@Suite struct TimeTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()
    let company = Codes.enterprise(7)
    let alice = Codes.person(1, born: "19750312")
    let bob = Codes.person(2, born: "19820704")

    /// Registration (2020), Alice legal representative from 2020-01-10; recorded at 09:00:01.
    /// Rename effective 2023-03-01 and Bob replacing Alice from 2023-03-01; recorded at 09:00:02–04.
    func ledgerWithHistory() throws -> (Ledger, knownBeforeRename: RecordedTime) {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        try ledger.append([
            Facts.registered(company, name: "上海嘉定老字号食品厂", on: "2020-01-10"),
            Facts.role("assigned", company, person: alice, on: "2020-01-10"),
        ])
        let before = try ledger.head.lastRecordedTime!
        try ledger.append([Facts.registered(company, name: "上海嘉定食品有限公司", on: "2023-03-01", id: "RENAME-1")])
        try ledger.append([Facts.role("ended", company, person: alice, on: "2023-03-01")])
        try ledger.append([Facts.role("assigned", company, person: bob, on: "2023-03-01")])
        return (ledger, before)
    }

    @Test func asOfADateTheRegistryShowsTheNameAndRoleHoldersInForceThatDay() throws {
        let (ledger, _) = try ledgerWithHistory()
        let code = subject(company)
        let in2021 = try ledger.withView(SubjectRegistry.self) { $0.profile(code, asOf: date("2021-06-30")) }
        #expect(in2021?.registration?.name == "上海嘉定老字号食品厂")
        #expect(in2021?.roles.map(\.person.description) == [alice])
        let in2024 = try ledger.withView(SubjectRegistry.self) { $0.profile(code, asOf: date("2024-01-01")) }
        #expect(in2024?.registration?.name == "上海嘉定食品有限公司")
        #expect(in2024?.roles.map(\.person.description) == [bob])
        let theDayOfTheChange = try ledger.withView(SubjectRegistry.self) {
            $0.holders(of: .legalRepresentative, in: code, on: date("2023-03-01"))
        }
        #expect(theDayOfTheChange.map(\.description) == [bob])
    }

    @Test func knownAtAPastInstantTheLedgerAnswersWithWhatItKnewThen() throws {
        let (ledger, before) = try ledgerWithHistory()
        let code = subject(company)
        // Asked about 2024 as known before the rename was reported: the old name, Alice.
        let then = try ledger.withView(SubjectRegistry.self, knownAt: before) { $0.profile(code, asOf: date("2024-01-01")) }
        #expect(then?.registration?.name == "上海嘉定老字号食品厂")
        #expect(then?.roles.map(\.person.description) == [alice])
        // The same through the per-subject index, without a full replay.
        let subjectThen = try ledger.subjectView(SubjectRegistry.self, subject: code, knownAt: before)
        #expect(subjectThen.profile(code, asOf: date("2024-01-01")) == then)
        // Known now: the new name, Bob.
        let now = try ledger.subjectView(SubjectRegistry.self, subject: code)
        #expect(now.profile(code, asOf: date("2024-01-01"))?.registration?.name == "上海嘉定食品有限公司")
    }

    @Test func knownBeforeTheFirstFactTheLedgerKnewNothing() throws {
        let (ledger, _) = try ledgerWithHistory()
        let early = RecordedTime(microsecondsSinceEpoch: 0)
        #expect(try ledger.withView(SubjectRegistry.self, knownAt: early) { $0.count } == 0)
        #expect(try ledger.subjectView(SubjectRegistry.self, subject: subject(company), knownAt: early).count == 0)
    }

    @Test func aPersonsRolesAreFoundFromThePerson() throws {
        let (ledger, _) = try ledgerWithHistory()
        let person = try CitizenIdentityNumber(bob)
        let roles = try ledger.withView(SubjectRegistry.self) { $0.roles(of: person, on: date("2024-01-01")) }
        #expect(roles.map(\.organisation.description) == [company])
        #expect(try ledger.withView(SubjectRegistry.self) { $0.roles(of: person, on: date("2022-01-01")) }.isEmpty)
    }

    @Test func digestsDifferByKnownAtAndAsOfAndMatchAFullRebuild() throws {
        let (ledger, before) = try ledgerWithHistory()
        let now = try ledger.digest(asOf: date("2024-01-01"))
        let then = try ledger.digest(asOf: date("2024-01-01"), knownAt: before)
        let earlier = try ledger.digest(asOf: date("2021-01-01"))
        #expect(now != then)
        #expect(now != earlier)
        let rebuilt = try ledger.rebuild()
        #expect(Ledger.digest(of: rebuilt.views, asOf: date("2024-01-01"), context: ledgerContext) == now)
        #expect(rebuilt.facts == 5)
    }
}
