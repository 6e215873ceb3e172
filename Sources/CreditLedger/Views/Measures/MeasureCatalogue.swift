import CreditFacts
import Foundation

/// Whether a measure punishes (失信惩戒) or rewards (守信激励).
public enum MeasureKind: String, Sendable, Hashable, CaseIterable {
    /// A punitive measure (失信惩戒措施).
    case punishment
    /// A reward measure (守信激励措施).
    case reward
}

/// Whom a measure can apply to directly (before penetration to persons in linked roles).
public enum MeasureSubjectKind: String, Sendable, Hashable, CaseIterable {
    /// Organisations (unified social credit code).
    case organisation
    /// Natural persons (citizen identity number).
    case person
}

/// One of the three categories of the national basic list of punitive measures
/// (全国失信惩戒措施基础清单), with the list's wording.
public struct MeasureCategory: Sendable, Hashable {
    /// 1, 2 or 3.
    public var number: Int
    /// The national list's wording of the category.
    public var wording: String
}

/// A measure's text, in Chinese as the instruments word it and a short English gloss.
public struct MeasureText: Sendable, Hashable {
    /// The Chinese text.
    public var zh: String
    /// A short English text.
    public var en: String

    /// Both, for reports: `限制参加政府采购活动 (barred from government procurement)`.
    public var display: String { "\(zh) (\(en))" }
}

/// A department that implements a measure, by the department code that ends its fact sources
/// (`310114-FY` → `FY`), so feedback facts are attributed to it.
public struct ImplementingBody: Sendable, Hashable {
    /// The department code, e.g. `FY` (court), `CZJ` (finance), `SCJG` (market regulation).
    public var code: String
    /// The department's name.
    public var name: String
}

/// The kinds of trigger a catalogue may declare: a closed vocabulary that the matcher evaluates.
public enum MeasureTriggerKind: String, Sendable, Hashable, CaseIterable {
    /// An active, published entry on one of the named lists.
    case onList
    /// A grade among the named levels under the grading model.
    case grade
    /// A breached commitment of the named breach kinds.
    case breachedCommitment
    /// A penalty in publicity of the named classes.
    case penaltyInPublicity
    /// A department's evaluation (tax A–D …): the latest under the scheme has one of the grades.
    case evaluation
    /// An honour of one of the levels granted within the years.
    case honour
}

/// Whom a measure reaches: the triggered subject itself and/or persons in linked roles of an
/// organisation whose record triggered it (穿透).
public struct MeasureReach: Sendable, Hashable {
    /// Whether the triggered subject itself is reached.
    public var subject: Bool
    /// The roles through which persons are reached (holders on the record's effective date, and
    /// persons the decision names for `directlyResponsible`).
    public var roles: [Role]
    /// Whether the measure binds the role, reaching a later holder too (judgment defaulters'
    /// consumption restrictions, 法发〔2019〕35号 item 17).
    public var bindsRole: Bool
}

/// The dates a measure is in force: `from` inclusive, `to` exclusive when given.
public struct MeasureInForce: Sendable, Hashable {
    /// The first day in force.
    public var from: LegalDate
    /// The first day no longer in force, if the measure was repealed or replaced.
    public var to: LegalDate?

    /// Whether the measure is in force on `date`.
    public func contains(_ date: LegalDate) -> Bool { from <= date && (to.map { date < $0 } ?? true) }
}

/// A joint reward or punishment measure (联合奖惩措施) of a catalogue: what it is, its legal basis,
/// who implements it, in which scenes, on which triggers, whom it reaches and when it is in force.
public struct Measure: Sendable, Hashable {
    /// The measure's id, e.g. `M-HIGH-CONSUMPTION` (the `measureId` of `measure.applied` facts).
    public var id: MeasureID
    /// Punishment or reward.
    public var kind: MeasureKind
    /// The category of the national list (1, 2 or 3); nil for rewards.
    public var category: Int?
    /// What the measure does.
    public var measure: MeasureText
    /// The legal basis (设定依据): never empty (于法有据).
    public var legalBasis: String
    /// The departments that implement it.
    public var implementingBodies: [ImplementingBody]
    /// The scenes it applies in.
    public var scenes: [MeasureScene]
    /// Whom it applies to directly.
    public var subjectKinds: [MeasureSubjectKind]
    /// The triggers (at least one); the measure applies while any holds.
    public var triggers: [MeasureTrigger]
    /// Conditions that withhold the measure while any holds (a reward is not given to a subject
    /// with a dishonesty record).
    public var unless: [MeasureTrigger]
    /// Whom it reaches.
    public var reaches: MeasureReach
    /// The edition of the list it comes from, e.g. `2021`.
    public var edition: String
    /// When it is in force.
    public var inForce: MeasureInForce
    /// At most this many years after the triggering record's date (procurement: no major violation
    /// record in the 3 years before, 《政府采购法》第二十二条).
    public var maxYears: Int?
    /// How sure the research is of the measure and its basis (CONFIRMED / PARTIAL / UNCONFIRMED).
    public var status: String
    /// A note on the reading, if any.
    public var note: String?
    /// The file the measure was read from.
    public var origin: String
    /// Where in that file (`measures[3]`), for errors found when catalogues are merged.
    var originPath: String = "measures"

    /// Whether the measure's triggers or withholding conditions use `kind`.
    func uses(_ kind: ConditionKind) -> Bool {
        triggers.contains { $0.kind == kind } || unless.contains { $0.kind == kind }
    }
}

/// A problem in a measures catalogue file, e.g. `district-measures.json: measures[3].legalBasis: a
/// measure needs a legal basis (于法有据)`.
public typealias MeasureCatalogueError = RuleFileError

/// A catalogue of joint reward and punishment measures (联合奖惩措施清单): the national list bundled
/// with the library, merged with a district's supplementary list. Data, not code: every measure
/// is read from JSON and validated on load (a measure without a legal basis or a trigger is
/// refused), and the matcher evaluates the triggers it declares.
public struct MeasureCatalogue: Sendable {
    /// The three categories of the national list, by number.
    public let categories: [MeasureCategory]
    /// The measures, sorted by id.
    public let measures: [Measure]
    /// The files read, in order (national first).
    public let origins: [String]
    /// Per-scene measure lists and what evidence they need, computed once.
    let index: CatalogueIndex

    init(categories: [MeasureCategory], measures: [Measure], origins: [String]) {
        self.categories = categories
        self.measures = measures.sorted { $0.id < $1.id }
        self.origins = origins
        self.index = CatalogueIndex(self.measures)
    }

    /// Reads and validates a catalogue file; `origin` names the file in errors. A district's
    /// supplementary file may leave out `categories` (the national ones apply when merged).
    /// - Throws: ``MeasureCatalogueError`` naming the file, the JSON path and the problem.
    public init(jsonData: Data, origin: String) throws(MeasureCatalogueError) {
        self = try CatalogueReader(origin: origin).catalogue(from: jsonData)
    }

    /// Reads and validates the catalogue file at `path`.
    /// - Throws: ``MeasureCatalogueError`` naming the file.
    public static func load(path: String) throws(MeasureCatalogueError) -> MeasureCatalogue {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MeasureCatalogueError(origin: path, path: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try MeasureCatalogue(jsonData: data, origin: (path as NSString).lastPathComponent)
    }

    /// The national catalogue bundled with the library (`measures-national.json`), read once.
    /// - Throws: ``MeasureCatalogueError`` if the bundled file is missing or invalid.
    public static func national() throws(MeasureCatalogueError) -> MeasureCatalogue { try bundled.get() }

    private static let bundled: Result<MeasureCatalogue, MeasureCatalogueError> = {
        let origin = "measures-national.json"
        guard let url = Bundle.module.url(forResource: "Resources/measures-national", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            return .failure(MeasureCatalogueError(origin: origin, path: "", message: "missing from the bundle"))
        }
        do throws(MeasureCatalogueError) { return .success(try MeasureCatalogue(jsonData: data, origin: origin)) } catch {
            return .failure(error)
        }
    }()

    /// This catalogue with a district's supplementary measures added. The district's measures
    /// use this catalogue's categories; an id already in this catalogue is refused.
    /// - Throws: ``MeasureCatalogueError`` naming the district file and the measure's path.
    public func merged(with district: MeasureCatalogue) throws(MeasureCatalogueError) -> MeasureCatalogue {
        for measure in district.measures {
            if let existing = measures.first(where: { $0.id == measure.id }) {
                throw MeasureCatalogueError(
                    origin: measure.origin, path: measure.originPath + ".id",
                    message: "duplicate id \(measure.id) (already in \(existing.origin))")
            }
            if let category = measure.category, !categories.contains(where: { $0.number == category }) {
                throw MeasureCatalogueError(origin: measure.origin, path: measure.originPath + ".category",
                                            message: "unknown category \(category)")
            }
        }
        return MeasureCatalogue(categories: categories.isEmpty ? district.categories : categories,
                                measures: measures + district.measures, origins: origins + district.origins)
    }

    /// The measure with `id`, if the catalogue has it.
    public func measure(_ id: MeasureID) -> Measure? { index.byID[id].map { measures[$0] } }

    /// The measures that apply in `scene`, sorted by id.
    public func measures(in scene: MeasureScene) -> [Measure] { index.scenes[scene.position].measures.map { measures[$0] } }

    /// The category with `number`, if the catalogue defines it.
    public func category(_ number: Int) -> MeasureCategory? { categories.first { $0.number == number } }
}

extension MeasureScene {
    /// The scene's position in per-scene tables: its frozen binary code, which numbers the scenes
    /// from 0 without gaps (a new scene takes the next code).
    var position: Int { Int(code) }
}
