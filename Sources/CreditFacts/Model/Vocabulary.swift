#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A closed vocabulary of INTERCHANGE v1: each case is spelled in JSON by its raw value, and in the
/// binary encoding (records and snapshots) by its explicit ``code``.
///
/// Codes are frozen: a stored record means what its codes meant when it was written, so a case keeps
/// its code forever and a new case takes a code no case ever had, wherever it is declared. The
/// codes in use are listed in `Tests/CreditFactsTests/Fixtures/README.md`, and a test fails when one
/// is renumbered or reused. Nothing orders cases by code (``Severity`` has its own rank).
public protocol FactVocabulary: RawRepresentable<String>, CaseIterable, Sendable, Hashable
where AllCases == [Self] {
    /// The case's binary code.
    var code: UInt8 { get }
}

extension FactVocabulary {
    /// The list of spellings, for error messages ("allowed: a | b | c").
    static var spellings: String { allCases.map(\.rawValue).joined(separator: " | ") }
}

/// The cases of a vocabulary by binary code and their UTF-8 spellings, computed once: `allCases` of
/// a String enum builds a new array on every call, too slow for millions of fields a second.
final class VocabularyTable<Word: FactVocabulary>: Sendable {
    /// The cases in declaration order.
    let cases: [Word]
    /// The case of each code (nil for a code no case has).
    let byCode: [Word?]
    /// The spelling of each code (empty for a code no case has).
    let spellings: [[UInt8]]

    /// Builds the table from `allCases`, checking that no two cases share a code.
    init() {
        cases = Word.allCases
        let size = (cases.map { Int($0.code) }.max() ?? -1) + 1
        var byCode = [Word?](repeating: nil, count: size)
        for word in cases {
            precondition(byCode[Int(word.code)] == nil, "\(Word.self) code \(word.code) is used twice")
            byCode[Int(word.code)] = word
        }
        self.byCode = byCode
        spellings = byCode.map { $0.map { Array($0.rawValue.utf8) } ?? [] }
    }

    /// The case with binary code `code`.
    func word(code: UInt8) -> Word? { Int(code) < byCode.count ? byCode[Int(code)] : nil }

    /// The case spelled by `bytes`.
    func word(spelled bytes: UnsafeBufferPointer<UInt8>) -> Word? {
        for (i, s) in spellings.enumerated() where s.count == bytes.count && !s.isEmpty {
            if s.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, s.count) == 0 }) { return byCode[i] }
        }
        return nil
    }
}

/// A vocabulary with a precomputed table (every vocabulary of this module).
protocol VocabularyCoding: FactVocabulary {
    /// The table.
    static var table: VocabularyTable<Self> { get }
}

/// The kind of a credit subject (`subject.registered`.`kind`).
public enum SubjectKind: String, FactVocabulary {
    /// 企业.
    case enterprise
    /// 个体工商户.
    case individualBusiness
    /// 农民专业合作社.
    case farmerCooperative
    /// 社会组织.
    case socialOrganisation
    /// 事业单位.
    case publicInstitution
    /// 机关.
    case governmentBody
    /// 自然人.
    case naturalPerson

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .enterprise: 0
        case .individualBusiness: 1
        case .farmerCooperative: 2
        case .socialOrganisation: 3
        case .publicInstitution: 4
        case .governmentBody: 5
        case .naturalPerson: 6
        }
    }
}

/// A role a person holds in an organisation (the basis of penetration, 穿透).
public enum Role: String, FactVocabulary {
    /// 法定代表人.
    case legalRepresentative
    /// 主要负责人.
    case principal
    /// 实际控制人.
    case actualController
    /// 直接责任人.
    case directlyResponsible
    /// 安全生产负责人.
    case safetyHead
    /// 董事.
    case director
    /// 监事.
    case supervisor
    /// 高级管理人员.
    case seniorManager
    /// 股东.
    case shareholder

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .legalRepresentative: 0
        case .principal: 1
        case .actualController: 2
        case .directlyResponsible: 3
        case .safetyHead: 4
        case .director: 5
        case .supervisor: 6
        case .seniorManager: 7
        case .shareholder: 8
        }
    }
}

/// A kind of administrative penalty (行政处罚种类).
public enum PenaltyKind: String, FactVocabulary {
    /// 警告.
    case warning
    /// 通报批评.
    case criticism
    /// 罚款.
    case fine
    /// 没收违法所得、没收非法财物.
    case confiscation
    /// 降低资质等级.
    case qualificationDowngrade
    /// 吊销许可证件.
    case licenceRevoked
    /// 吊销营业执照.
    case businessLicenceRevoked
    /// 限制开展生产经营活动.
    case businessRestricted
    /// 责令停产停业.
    case suspension
    /// 责令关闭.
    case closure
    /// 限制从业.
    case occupationBan
    /// 行政拘留.
    case detention

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .warning: 0
        case .criticism: 1
        case .fine: 2
        case .confiscation: 3
        case .qualificationDowngrade: 4
        case .licenceRevoked: 5
        case .businessLicenceRevoked: 6
        case .businessRestricted: 7
        case .suspension: 8
        case .closure: 9
        case .occupationBan: 10
        case .detention: 11
        }
    }
}

/// The procedure under which a penalty was decided.
public enum Procedure: String, FactVocabulary {
    /// 简易程序 (当场作出).
    case summary
    /// 普通程序.
    case ordinary

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .summary: 0
        case .ordinary: 1
        }
    }
}

/// The class of dishonest conduct (轻微 / 一般 / 严重). Ordered: minor < general < serious.
public enum Severity: String, FactVocabulary, Comparable {
    /// 轻微.
    case minor
    /// 一般.
    case general
    /// 严重.
    case serious

    /// Orders by gravity, never by binary code: codes only name cases in stored records.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// The gravity: 0 for minor, 1 for general, 2 for serious.
    public var rank: Int {
        switch self {
        case .minor: 0
        case .general: 1
        case .serious: 2
        }
    }

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .minor: 0
        case .general: 1
        case .serious: 2
        }
    }
}

/// The regulatory field of a penalty or list entry.
public enum RegulatoryField: String, FactVocabulary {
    /// 食品安全.
    case foodSafety
    /// 药品.
    case drugs
    /// 特种设备.
    case specialEquipment
    /// 安全生产.
    case workSafety
    /// 消防安全.
    case fireSafety
    /// 生态环境.
    case environment
    /// 税务.
    case tax
    /// 建设工程.
    case construction
    /// 交通运输.
    case transport
    /// 其他.
    case other

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .foodSafety: 0
        case .drugs: 1
        case .specialEquipment: 2
        case .workSafety: 3
        case .fireSafety: 4
        case .environment: 5
        case .tax: 6
        case .construction: 7
        case .transport: 8
        case .other: 9
        }
    }
}

/// Why a penalty decision was revoked.
public enum RevocationReason: String, FactVocabulary {
    /// 行政复议.
    case reconsideration
    /// 行政诉讼.
    case litigation
    /// 自行纠错.
    case selfCorrection
    /// 异议处理.
    case objection

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .reconsideration: 0
        case .litigation: 1
        case .selfCorrection: 2
        case .objection: 3
        }
    }
}

/// The other administrative acts of catalogue category 3 (besides licences and penalties).
public enum AdministrativeAct: String, FactVocabulary {
    /// 行政强制.
    case compulsion
    /// 行政确认.
    case confirmation
    /// 行政征收.
    case levy
    /// 行政给付.
    case benefit
    /// 行政裁决.
    case ruling
    /// 行政补偿.
    case compensation
    /// 行政奖励.
    case reward
    /// 行政检查.
    case inspection

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .compulsion: 0
        case .confirmation: 1
        case .levy: 2
        case .benefit: 3
        case .ruling: 4
        case .compensation: 5
        case .reward: 6
        case .inspection: 7
        }
    }
}

/// The six kinds of credit commitment (信用承诺).
public enum CommitmentKind: String, FactVocabulary {
    /// 审批替代型 / 告知承诺.
    case approvalSubstitution
    /// 容缺受理型.
    case missingDocuments
    /// 证明事项型.
    case certification
    /// 主动承诺型.
    case voluntary
    /// 行业自律型.
    case industrySelfDiscipline
    /// 信用修复型.
    case repair

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .approvalSubstitution: 0
        case .missingDocuments: 1
        case .certification: 2
        case .voluntary: 3
        case .industrySelfDiscipline: 4
        case .repair: 5
        }
    }
}

/// How a commitment was breached (违诺).
public enum BreachKind: String, FactVocabulary {
    /// 未按期履行.
    case late
    /// 虚假承诺.
    case `false`
    /// 违背承诺.
    case violated

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .late: 0
        case .`false`: 1
        case .violated: 2
        }
    }
}

/// The lists (名单).
public enum ListKind: String, FactVocabulary {
    /// 严重失信主体名单.
    case seriousDishonesty
    /// 经营异常名录.
    case abnormalOperation
    /// 失信被执行人.
    case judgmentDefaulter
    /// 重点关注名单.
    case keyAttention
    /// 红名单.
    case red
    /// 融资白名单.
    case financingWhitelist

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .seriousDishonesty: 0
        case .abnormalOperation: 1
        case .judgmentDefaulter: 2
        case .keyAttention: 3
        case .red: 4
        case .financingWhitelist: 5
        }
    }
}

/// Why a subject left a list.
public enum ListExitReason: String, FactVocabulary {
    /// Period ended.
    case expired
    /// Credit repair approved.
    case repaired
    /// Obligations performed.
    case performed
    /// Listing revoked.
    case revoked
    /// Deleted by the court.
    case courtDeleted
    /// Early removal (提前移出).
    case earlyRemoval

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .expired: 0
        case .repaired: 1
        case .performed: 2
        case .revoked: 3
        case .courtDeleted: 4
        case .earlyRemoval: 5
        }
    }
}

/// Outcome of a repair application.
public enum RepairOutcome: String, FactVocabulary {
    /// Repair granted.
    case approved
    /// Repair refused.
    case rejected

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .approved: 0
        case .rejected: 1
        }
    }
}

/// Outcome of an objection (异议).
public enum ObjectionOutcome: String, FactVocabulary {
    /// 维持: the record stands.
    case upheld
    /// 更正: the record is corrected (revoked).
    case corrected
    /// The objection was withdrawn.
    case withdrawn

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .upheld: 0
        case .corrected: 1
        case .withdrawn: 2
        }
    }
}

/// Level of an honour.
public enum HonourLevel: String, FactVocabulary {
    /// 国家级.
    case national
    /// 省级.
    case provincial
    /// 市级.
    case municipal
    /// 区级.
    case district

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .national: 0
        case .provincial: 1
        case .municipal: 2
        case .district: 3
        }
    }
}

/// Outcome of a contract.
public enum ContractOutcome: String, FactVocabulary {
    /// 履约.
    case performed
    /// 违约.
    case defaulted

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .performed: 0
        case .defaulted: 1
        }
    }
}

/// The scene in which a joint reward or punishment measure was applied.
public enum MeasureScene: String, FactVocabulary {
    /// 政府采购.
    case procurement
    /// 招投标.
    case bidding
    /// 财政支持.
    case fiscalSupport
    /// 土地供应.
    case landSupply
    /// 行政许可.
    case licensing
    /// 评优评先.
    case honours
    /// 高消费.
    case highConsumption
    /// 担任公职.
    case publicOffice
    /// 市场准入.
    case marketEntry
    /// 监管检查.
    case inspection
    /// 融资.
    case financing
    /// 其他.
    case other

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .procurement: 0
        case .bidding: 1
        case .fiscalSupport: 2
        case .landSupply: 3
        case .licensing: 4
        case .honours: 5
        case .highConsumption: 6
        case .publicOffice: 7
        case .marketEntry: 8
        case .inspection: 9
        case .financing: 10
        case .other: 11
        }
    }
}

/// Result of matching a measure in a case (执行反馈).
public enum MeasureOutcome: String, FactVocabulary {
    /// The measure was applied.
    case applied
    /// The measure did not apply.
    case notApplicable
    /// The measure was waived.
    case waived

    /// The binary code (frozen: a case keeps its code forever, a new case takes the next free one).
    public var code: UInt8 {
        switch self {
        case .applied: 0
        case .notApplicable: 1
        case .waived: 2
        }
    }
}
