import CreditFacts

/// What a catalogue's matcher needs per scene, computed once when the catalogue is built: the
/// measures of the scene and which evidence their triggers read, so a match reads only the views
/// and records that can matter (the hot path of 联合奖惩 queries).
struct CatalogueIndex: Sendable {
    /// The evidence a set of measures reads.
    struct Needs: Sendable, Hashable {
        /// Lists whose entries can trigger, one bit per list (`ListKind.bit`); abnormal operation
        /// is included whenever serious dishonesty is, because an abnormal entry rolls over.
        var lists: UInt8 = 0
        /// Whether penalties in publicity can trigger.
        var penalties = false
        /// Whether breached commitments can trigger.
        var commitments = false
        /// Whether the grade can trigger (or withhold).
        var grade = false
        /// Whether some measure reaches persons in linked roles (penetration).
        var roles = false

        /// Whether entries of `list` can matter.
        func wants(_ list: ListKind) -> Bool { lists & list.bit != 0 }

        mutating func add(_ trigger: MeasureTrigger) {
            switch trigger {
            case .onList(let kinds, _):
                for list in kinds { lists |= list.bit }
                if kinds.contains(.seriousDishonesty) { lists |= ListKind.abnormalOperation.bit }
            case .grade: grade = true
            case .breachedCommitment: commitments = true
            case .penaltyInPublicity: penalties = true
            case .contractDefault, .honour, .linkedSeriousDishonesty, .evaluation: break
            }
        }
    }

    /// The measures of one scene (indices into the catalogue's sorted measures) and their needs.
    struct Scene: Sendable {
        var measures: [Int] = []
        var needs = Needs()
    }

    /// One entry per `MeasureScene.position`, then one more (`everyScene`) holding every measure.
    let scenes: [Scene]
    /// Measure index by id.
    let byID: [MeasureID: Int]
    /// The slot of `scenes` that holds every measure (notifications and feedback are per
    /// measure, not per scene).
    static let everyScene = MeasureScene.allCases.count

    init(_ measures: [Measure]) {
        var scenes = [Scene](repeating: Scene(), count: Self.everyScene + 1)
        var byID: [MeasureID: Int] = [:]
        for (index, measure) in measures.enumerated() {
            byID[measure.id] = index
            let slots = measure.scenes.map(\.position) + [Self.everyScene]
            for slot in Set(slots).sorted() {
                scenes[slot].measures.append(index)
                for trigger in measure.triggers + measure.unless { scenes[slot].needs.add(trigger) }
                if !measure.reaches.roles.isEmpty { scenes[slot].needs.roles = true }
            }
        }
        self.scenes = scenes
        self.byID = byID
    }
}

extension ListKind {
    /// One bit per list, for the catalogue's needs.
    var bit: UInt8 {
        switch self {
        case .seriousDishonesty: 1 << 0
        case .abnormalOperation: 1 << 1
        case .judgmentDefaulter: 1 << 2
        case .keyAttention: 1 << 3
        case .red: 1 << 4
        case .financingWhitelist: 1 << 5
        }
    }
}
