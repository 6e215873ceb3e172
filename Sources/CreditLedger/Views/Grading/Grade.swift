import CreditFacts

/// One line of a grade's explanation: a record (fact), the rule it met and the points it moved the
/// score by. Conditions that cap the level carry 0 points; score bounds (the additions cap, the
/// maximum, the minimum) appear as adjustments with the rule `score.maxAdditions`, `score.max` or
/// `score.min` and no fact, so that the model's start plus every reason's points is the score.
public struct GradeReason: Sendable, Hashable {
    /// The fact behind it (printed `SOURCE/ID`); nil for score adjustments (and a breach recorded
    /// without a fact), printed as an empty string.
    public var fact: FactRef?
    /// The record's number: decision, list or commitment number, contract number or honour title;
    /// empty for score adjustments.
    public var ref: String
    /// The rule's id in the model (e.g. `deduct.penalty.serious`, `notA.penalty`).
    public var rule: String
    /// Signed points: negative for deductions, positive for additions, 0 for conditions.
    public var points: Int
    /// The record's date (decision, listing, breach, contract or honour date); the grade's date for
    /// score adjustments.
    public var date: LegalDate
    /// For reverse penetration: the organisation whose record it is and the person's role there.
    public var via: GradeLink?

    /// Creates a reason.
    public init(fact: FactRef?, ref: String, rule: String, points: Int, date: LegalDate, via: GradeLink? = nil) {
        self.fact = fact
        self.ref = ref
        self.rule = rule
        self.points = points
        self.date = date
        self.via = via
    }
}

/// How a person is linked to an organisation's record that counts in their grade.
public struct GradeLink: Sendable, Hashable {
    /// The organisation.
    public var organisation: SubjectCode
    /// The person's role there.
    public var role: Role
    /// Why the record reaches the person.
    public var basis: LinkBasis

    /// Creates a link.
    public init(organisation: SubjectCode, role: Role, basis: LinkBasis) {
        self.organisation = organisation
        self.role = role
        self.basis = basis
    }
}

/// A subject's credit grade as of a date under one model, with every reason.
public struct Grade: Sendable, Hashable {
    /// The subject.
    public var subject: SubjectCode
    /// The model's id.
    public var model: String
    /// The valid-time date the grade is for.
    public var asOf: LegalDate
    /// The level (after caps; M when there is nothing to grade).
    public var level: GradeLevel
    /// The score (the model's start when M).
    public var score: Int
    /// The reasons: records by date, then reference and rule; score adjustments last.
    public var reasons: [GradeReason]

    /// Creates a grade.
    public init(subject: SubjectCode, model: String, asOf: LegalDate, level: GradeLevel, score: Int, reasons: [GradeReason]) {
        self.subject = subject
        self.model = model
        self.asOf = asOf
        self.level = level
        self.score = score
        self.reasons = reasons
    }
}

/// How many subjects stand at each level on a date.
public struct GradeDistribution: Sendable, Hashable {
    /// One level's count.
    public struct Row: Sendable, Hashable {
        /// The level.
        public var level: GradeLevel
        /// Subjects at that level.
        public var count: Int
        /// count / total (0 when there are no subjects).
        public var share: Double
    }

    /// The model's id.
    public var model: String
    /// The date.
    public var asOf: LegalDate
    /// Every level, A to M, with its count (zero counts included).
    public var rows: [Row]

    /// The distribution of `levels` (level indexes, A = 0 … M = 4).
    init(model: String, asOf: LegalDate, levels: some Sequence<UInt8>) {
        var counts = [Int](repeating: 0, count: GradeLevel.allCases.count)
        for level in levels { counts[Int(level)] += 1 }
        self.init(model: model, asOf: asOf, counts: counts)
    }

    /// Builds the rows from counts indexed by level (A … M).
    init(model: String, asOf: LegalDate, counts: [Int]) {
        self.model = model
        self.asOf = asOf
        let total = counts.reduce(0, +)
        rows = GradeLevel.allCases.map { level in
            Row(level: level, count: counts[level.index], share: total == 0 ? 0 : Double(counts[level.index]) / Double(total))
        }
    }

    /// Subjects graded (every level, M included).
    public var total: Int { rows.reduce(0) { $0 + $1.count } }

    /// The count at `level`.
    public func count(_ level: GradeLevel) -> Int { rows[level.index].count }
}

/// A random inspection draw (双随机) as of a date: for each level, the model's share of its subjects,
/// chosen by a public, reproducible ranking (see ``Grader/inspectionDraw(asOf:seed:views:)``).
public struct InspectionDraw: Sendable, Hashable {
    /// One level's draw.
    public struct Level: Sendable, Hashable {
        /// The level.
        public var level: GradeLevel
        /// Subjects at that level.
        public var population: Int
        /// The model's share for the level.
        public var share: Double
        /// The subjects drawn, ⌈share · population⌉ of them, in rank order.
        public var drawn: [SubjectCode]
    }

    /// The model's id.
    public var model: String
    /// The date.
    public var asOf: LegalDate
    /// The seed.
    public var seed: UInt64
    /// Every level, A to M.
    public var levels: [Level]

    /// Every subject drawn, level by level in rank order.
    public var subjects: [SubjectCode] { levels.flatMap(\.drawn) }
}
