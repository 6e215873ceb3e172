import CreditFacts
import CreditLedger
import Foundation
import Testing
@testable import CreditPages

/// The words of the office's pages and text: rates that stay readable beside a target of 万分之一,
/// and a file's typed statuses worded in the reader's language while the JSON keeps its English text.
@Suite struct OfficeWordingTests {
    @Test func aSmallRateKeepsFourDecimalsSoAnErrorRateAgainstOneInTenThousandNeverReadsZero() {
        #expect(NumberText.rate(0.00005) == "0.0050 %")
        #expect(NumberText.rate(0.983333) == "98.33 %")
        #expect(NumberText.rate(0) == "0.00 %" && NumberText.rate(1) == "100.00 %")
        #expect(NumberText.decimal(2.0 / 3.0) == "0.67")
    }

    @Test func aFilesStatusIsWordedInTheReadersLanguageAndItsJSONTextStaysEnglish() throws {
        let zh = Wording(), en = Wording(language: .en)
        let applied = try LegalDate(parsing: "2024-03-01"), decided = try LegalDate(parsing: "2024-04-15")
        let pending = FileStatus.repair(applied: applied, outcome: nil, decided: nil)
        #expect(SubjectFilePage.status(pending, zh) == "2024年3月1日起审核中" && SubjectFilePage.status(pending, en) == "pending since 2024-03-01")
        #expect(pending.text == "pending since 2024-03-01", "file --json keeps its words")
        let approved = FileStatus.repair(applied: applied, outcome: .approved, decided: decided)
        #expect(SubjectFilePage.status(approved, zh) == "已准予修复（2024年4月15日）" && approved.text == "approved on 2024-04-15")
        let corrected = FileStatus.objection(raised: applied, outcome: .corrected, resolved: decided)
        #expect(SubjectFilePage.status(corrected, zh) == "更正（2024年4月15日）" && SubjectFilePage.status(corrected, en) == "corrected (2024-04-15)")
        #expect(SubjectFilePage.status(.objection(raised: applied, outcome: nil, resolved: nil), zh) == "2024年3月1日起异议处理中")
        #expect(SubjectFilePage.status(.recorded, zh) == "已记录" && FileStatus.recorded.text == "recorded")
    }

    @Test func whyAFigureCannotBeComputedIsWordedInTheReadersLanguage() throws {
        let directory = NSTemporaryDirectory() + "office-wording-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = try Ledger.open(directory: directory)
        defer { try? ledger.close() }
        let report = try ledger.indicators(from: try LegalDate(parsing: "2024-01-01"), through: try LegalDate(parsing: "2024-01-31"), by: .month)
        let zh = TextReports.indicators(report, knownAt: "now", wording: Wording())
        #expect(zh.contains("—（2024年1月31日无已登记的组织）"), "\(zh)")
        #expect(zh.contains("本期无适用公示时限的事项"), "\(zh)")
        #expect(!zh.contains("no organisation registered"), "no English reason in the Chinese text")
        let en = TextReports.indicators(report, knownAt: "now", wording: Wording(language: .en))
        #expect(en.contains("no organisation registered on 2024-01-31"), "\(en)")
    }
}
