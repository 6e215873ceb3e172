import CreditFacts
import CreditLedger

/// JSON shapes of grades and measure matches (CLI.md), shared by `subject`, `match` and `report`.
public enum RuleDocuments {
    /// `{"level","score","model","reasons":[{"fact","ref","rule","points","date","via"}]}`.
    public static func grade(_ grade: Grade) -> JSON {
        .object([
            ("level", .string(grade.level.rawValue)), ("score", .integer(grade.score)), ("model", .string(grade.model)),
            ("reasons", .array(grade.reasons.map { reason in
                .object([("fact", .string(reason.fact?.description ?? "")), ("ref", .string(reason.ref)), ("rule", .string(reason.rule)),
                         ("points", .integer(reason.points)), ("date", .string(reason.date.description)),
                         ("via", reason.via.map { via in
                             .object([("organisation", .string(via.organisation.description)), ("role", .string(via.role.rawValue))])
                         } ?? .null)])
            })),
        ])
    }

    /// One match as CLI.md's `measures[]` element (plus category, scenes, implementing bodies, date).
    public static func match(_ match: MeasureMatch) -> JSON {
        let trigger = match.trigger
        var triggerFields: [(String, JSON)] = [("kind", .string(trigger.kind.rawValue))]
        if let list = trigger.list { triggerFields.append(("list", .string(list.rawValue))) }
        if let grade = trigger.grade { triggerFields.append(("grade", .string(grade.rawValue))) }
        if let severity = trigger.severity { triggerFields.append(("severity", .string(severity.rawValue))) }
        if let breach = trigger.breach { triggerFields.append(("breach", .string(breach.rawValue))) }
        triggerFields += [("ref", .string(trigger.ref)), ("fact", .string(trigger.fact?.description ?? "")), ("since", .string(trigger.since.description))]
        return .object([
            ("id", .string(match.measure.id.text)), ("kind", .string(match.measure.kind.rawValue)),
            ("category", match.measure.category.map(JSON.integer) ?? .null),
            ("measure", .string(match.measure.measure.display)), ("legalBasis", .string(match.measure.legalBasis)),
            ("implementingBodies", .array(match.measure.implementingBodies.map { .string($0.name) })),
            ("trigger", .object(triggerFields)),
            ("via", match.via.map { via in
                .object([("organisation", .string(via.organisation.description)), ("role", .string(via.role.rawValue)),
                         ("basis", .string(via.basis.rawValue))])
            } ?? .null),
        ])
    }

    /// One match in words.
    public static func describe(_ match: MeasureMatch) -> String {
        let trigger = match.trigger
        let what = trigger.list?.rawValue ?? trigger.grade.map { "grade \($0.rawValue)" } ?? trigger.breach.map { "\($0.rawValue) breach" }
            ?? trigger.severity.map { "\($0.rawValue) penalty" } ?? trigger.kind.rawValue
        let via = match.via.map { " — through \($0.organisation) as \($0.role.rawValue) (\($0.basis.rawValue))" } ?? ""
        return "\(match.measure.id) [\(match.measure.kind.rawValue)] \(match.measure.measure.display)\n"
            + "    trigger: \(what) \(trigger.ref) since \(trigger.since)\(via)\n"
            + "    legal basis: \(match.measure.legalBasis)"
    }
}
