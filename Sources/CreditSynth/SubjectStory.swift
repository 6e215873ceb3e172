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
        subject = SubjectStory.makeSubject(&rng, region: config.region, isPerson: rng.chance(config.personShare))
        self.rng = rng
    }

    /// A subject with valid codes; organisations get a department/category pair matching their kind.
    static func makeSubject(_ rng: inout SplitMix64, region: String, isPerson: Bool) -> SubjectCode {
        if isPerson {
            let birth = LegalDate(year: rng.int(1945...2010), month: rng.int(1...12), day: rng.int(1...28))!
            return .person(try! CitizenIdentityNumber.make(address: region, birthDate: birth, sequence: rng.int(0...999)))
        }
        let (dept, category) = rng.weighted([(("9", "1"), 70), (("9", "2"), 15), (("9", "3"), 3), (("5", "1"), 4), (("1", "2"), 4), (("1", "1"), 4)])
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let body = String((0..<8).map { i in i < 2 && rng.chance(0.5) ? alphabet[rng.int(10...30)] : alphabet[rng.int(0...9)] })
        return .organisation(try! UnifiedSocialCreditCode.make(department: Character(dept), category: Character(category),
                                                              region: region, organisationBody: body))
    }

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
