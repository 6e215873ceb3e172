import CreditFacts

extension SubjectStory {
    /// Generates the whole story: registration, then each kind of event with its follow-ups.
    mutating func generate() {
        let span = config.start.days(until: config.end)
        let registered = config.start.adding(days: rng.int(0...(span * 3 / 5)))
        add(.subjectRegistered(SubjectRegistration(name: name(), kind: kind, region: try! RegionCode(config.region),
                                                   industry: kind == .enterprise ? rng.pick(["食品制造", "建筑业", "批发零售", "软件"]) : nil)),
            on: registered, source: subject.isPerson ? "GA" : "SCJG")
        if !subject.isPerson { roles(from: registered) }
        for _ in 0..<rng.poisson(subject.isPerson ? 0.2 : 1.2) { licence(after: registered) }
        for _ in 0..<rng.poisson(0.5) { penalty(after: registered) }
        for _ in 0..<rng.poisson(1.3) { commitment(after: registered) }
        for _ in 0..<rng.poisson(1.4) { contract(after: registered) }
        for _ in 0..<rng.poisson(subject.isPerson ? 0 : 0.6) { inspection(after: registered) }
        lists(after: registered)
        if kind == .enterprise { evaluations(after: registered) }
        if rng.chance(0.05), let d = later(registered, 30...2000, &rng) {
            add(.honourGranted(Honour(title: rng.pick(["守合同重信用企业", "文明单位", "诚信示范户"]), level: rng.pick(HonourLevel.allCases))),
                on: d, source: "FGW")
        }
        deregistration()
    }

    /// 3 % of organisations are deregistered after their last other fact.
    mutating func deregistration() {
        guard !subject.isPerson, rng.chance(0.03), let lastDate = facts.map(\.date).max(),
              let d = later(lastDate, 30...365, &rng) else { return }
        add(.subjectDeregistered(SubjectDeregistration(reason: rng.pick(["决议解散", "吊销后注销", "简易注销"]))), on: d, source: "SCJG")
    }

    mutating func name() -> String {
        if subject.isPerson { return rng.pick(["张", "王", "李", "赵", "陈"]) + rng.pick(["伟", "芳", "敏", "强", "静"]) }
        return "上海" + rng.pick(["嘉定", "杨浦", "奉贤"]) + rng.pick(["食品", "建设", "贸易", "科技"]) + "有限公司" + String(index)
    }

    /// Legal representative and principal, and sometimes a change of legal representative. About
    /// 1 % of organisations have their legal representative reported only years late (a data gap
    /// penetration coverage must show until then).
    mutating func roles(from date: LegalDate) {
        let lr = person()
        if rng.chance(0.01) {
            // The role is recorded with the date the department finally reported it, or never.
            if let late = later(date, 800...2500, &rng) {
                add(.roleAssigned(RoleChange(person: lr, role: .legalRepresentative)), on: late, source: "SCJG")
            }
            return
        }
        add(.roleAssigned(RoleChange(person: lr, role: .legalRepresentative)), on: date, source: "SCJG")
        if rng.chance(0.4) { add(.roleAssigned(RoleChange(person: person(), role: .principal)), on: date, source: "SCJG") }
        if rng.chance(0.2), let d = later(date, 100...1500, &rng) {
            add(.roleEnded(RoleChange(person: lr, role: .legalRepresentative)), on: d, source: "SCJG")
            add(.roleAssigned(RoleChange(person: person(), role: .legalRepresentative)), on: d, source: "SCJG")
        }
    }

    /// An adult from the district.
    mutating func person() -> CitizenIdentityNumber {
        let birth = LegalDate(year: rng.int(1950...1995), month: rng.int(1...12), day: rng.int(1...28))!
        return try! CitizenIdentityNumber.make(address: config.region, birthDate: birth, sequence: rng.int(0...999))
    }

    mutating func decisionNo(_ prefix: String, _ date: LegalDate) -> DecisionNo {
        DecisionNo(unchecked: "\(prefix)〔\(date.civil.year)〕\(index)-\(sequence + 1)号")
    }

    mutating func licence(after start: LegalDate) {
        guard let d = later(start, 0...1500, &rng) else { return }
        add(.licenceGranted(LicenceGrant(decisionNo: decisionNo("沪市监嘉许", d), item: rng.pick(["食品经营许可", "排污许可", "建筑施工许可"]),
                                         validUntil: rng.chance(0.7) ? d.adding(months: 60) : nil)), on: d, source: "SCJG")
    }

    mutating func inspection(after start: LegalDate) {
        guard let d = later(start, 10...2000, &rng) else { return }
        let negative = rng.chance(0.1)
        add(.actRecorded(AdministrativeActRecord(act: .inspection, decisionNo: decisionNo("沪市监嘉查", d),
                                                 outcome: negative ? "抽查不合格" : "抽查合格", negative: negative)), on: d, source: "SCJG")
    }
}
