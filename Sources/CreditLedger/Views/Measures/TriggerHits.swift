import CreditFacts

extension Standing {
    /// The hits of `trigger` among the standing's records on its date, as the matcher reads a
    /// ``Condition``: a measure applies from publication, so a listing in its grace period (宽限期,
    /// before publishFrom) is recorded but triggers nothing yet. A withholding condition (`unless`)
    /// passes `publishedOnly` false: withholding a reward punishes nobody, and a subject the court
    /// has listed gets no reward while the listing waits for publication. Grades are judged by the
    /// matcher.
    func hits(of trigger: MeasureTrigger, publishedOnly: Bool = true, into result: inout [MeasureTriggerHit]) {
        guard let kind = MeasureTriggerKind(rawValue: trigger.kind.rawValue), kind != .grade else { return }
        forEachHit(trigger) { hit in
            guard hit.isPublished || !publishedOnly else { return }
            result.append(MeasureTriggerHit(kind: kind, list: hit.list, severity: hit.severity, breach: hit.breach, ref: hit.ref,
                                            fact: hit.fact, recordDate: hit.recordDate, since: hit.since))
        }
    }
}
