import CreditFacts

/// The life of one credit subject as a list of facts, each follow-up (performance, exit, repair,
/// resolution) dated on or after the fact it refers to and created after it, so that a stable sort by
/// date keeps every reference pointing at an earlier fact of the same subject.
struct SubjectStory {
    var rng: SplitMix64
    let config: SynthConfig
    let calendar: WorkingDayCalendar
    let index: Int
    let subject: SubjectCode
    var facts: [(date: LegalDate, fact: Fact)] = []
    var sequence = 0

    init(index: Int, config: SynthConfig, calendar: WorkingDayCalendar) {
        self.index = index
        self.config = config
        self.calendar = calendar
        var rng = SplitMix64(seed: config.seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        subject = SubjectStory.makeSubject(&rng, index: index, seed: config.seed, region: config.region,
                                           isPerson: rng.chance(config.personShare))
        self.rng = rng
    }

    /// Person codes (birth dates 1945–2010 with days 1–28, sequences 000–999) and organisation
    /// bodies (eight digits) that ``makeSubject(_:index:seed:region:isPerson:)`` deals out.
    static let personSlots: UInt64 = 66 * 12 * 28 * 1000
    static let organisationSlots: UInt64 = 100_000_000
    /// A prime that divides neither slot count: `index ↦ (index × step + offset) mod slots` is then
    /// a bijection, so no two subjects of one stream share a code.
    static let slotStep: UInt64 = 2_654_435_761

    /// A subject with valid codes; organisations get a department/category pair matching their kind.
    ///
    /// The code is the subject's index dealt through a permutation of all codes of its shape, so
    /// two subjects of a stream never share one (up to 22 million persons and 100 million
    /// organisations): drawn at random, a city's 750,000 persons collided by the thousand, and a
    /// collision merges two stories into one subject whose facts the ledger may rightly refuse (a
    /// red-list entry for a subject the other story put on a dishonesty list).
    static func makeSubject(_ rng: inout SplitMix64, index: Int, seed: UInt64, region: String, isPerson: Bool) -> SubjectCode {
        var offsets = SplitMix64(seed: seed ^ 0x5EED_C0DE)
        if isPerson {
            let slot = (UInt64(index) &* slotStep &+ offsets.next() % personSlots) % personSlots
            let (day, sequence) = (Int(slot / 1000), Int(slot % 1000))
            let birth = LegalDate(year: 1945 + day / (12 * 28), month: 1 + day / 28 % 12, day: 1 + day % 28)!
            return .person(try! CitizenIdentityNumber.make(address: region, birthDate: birth, sequence: sequence))
        }
        _ = offsets.next()
        let slot = (UInt64(index) &* slotStep &+ offsets.next() % organisationSlots) % organisationSlots
        let (dept, category) = rng.weighted([(("9", "1"), 70), (("9", "2"), 15), (("9", "3"), 3), (("5", "1"), 4), (("1", "2"), 4), (("1", "1"), 4)])
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        // The first two digits may be written as letters; a letter still stands for its digit
        // alone (10 + d or 20 + d), so the body stays unique.
        let digits = (0..<8).reversed().map { Int(slot / pow10($0) % 10) }
        let body = String(digits.enumerated().map { i, d in
            i < 2 && rng.chance(0.5) ? alphabet[10 + d + (rng.chance(0.5) ? 10 : 0)] : alphabet[d]
        })
        return .organisation(try! UnifiedSocialCreditCode.make(department: Character(dept), category: Character(category),
                                                              region: region, organisationBody: body))
    }

    private static func pow10(_ n: Int) -> UInt64 { (0..<n).reduce(1) { power, _ in power * 10 } }

    /// The kind of subject its code implies.
    var kind: SubjectKind {
        guard case .organisation(let code) = subject else { return .naturalPerson }
        switch (code.registrationDepartment, code.organisationCategory) {
        case ("9", "1"): return .enterprise
        case ("9", "2"): return .individualBusiness
        case ("9", "3"): return .farmerCooperative
        case ("5", _): return .socialOrganisation
        case ("1", "2"): return .publicInstitution
        default: return .governmentBody
        }
    }

    /// A date `days` after `date`, or `nil` when it falls after the stream's end.
    func later(_ date: LegalDate, _ days: ClosedRange<Int>, _ rng: inout SplitMix64) -> LegalDate? {
        let d = date.adding(days: rng.int(days))
        return d <= config.end ? d : nil
    }

    /// Appends a fact reported after a realistic delay: mostly within 7 working days, some late.
    mutating func add(_ body: FactBody, on date: LegalDate, source: String) {
        sequence += 1
        let fact = Fact(source: SourceID(unchecked: config.region + "-" + source),
                        id: FactID(unchecked: "SYN-\(index)-\(sequence)"), subject: subject, effective: date,
                        reported: reportTime(for: date), body: body)
        facts.append((date, fact))
    }

    /// The report timestamp: 85 % within 7 working days, 12 % within 8–20, 3 % within 21–60.
    mutating func reportTime(for date: LegalDate) -> Timestamp {
        let delay = rng.weighted([(0...7, 85), (8...20, 12), (21...60, 3)])
        let n = rng.int(delay)
        let day = n == 0 ? date : ((try? calendar.workingDay(n, after: date)) ?? date.adding(days: n * 7 / 5))
        let secondsOfDay = rng.int(9 * 3600...18 * 3600)
        return Timestamp(secondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400 + Int64(secondsOfDay - 8 * 3600),
                         offsetMinutes: Timestamp.chinaStandardTimeOffsetMinutes)!
    }
}
