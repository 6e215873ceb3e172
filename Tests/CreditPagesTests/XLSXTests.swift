@testable import CreditDocuments
import Foundation
import Testing

/// The spreadsheet tables (`--xlsx FILE`): a ZIP of stored entries with the Office Open XML parts,
/// read back by Python's own `zipfile` (which checks every entry's CRC-32) and XML parser.
@Suite struct XLSXTests {
    /// A sheet with Chinese, a figure, a share, a code with a leading zero, markup characters and a
    /// text that a spreadsheet would take for a formula in CSV.
    static let table = XLSX(sheet: "数据质量/2023", header: ["报送单位", "代码", "事实", "及时率"], rows: [
        ["区市场监管局", "310114-SCJG", "3", "0.6667"],
        ["<区税务局> & \"总局\"", "0114", "-2", "=SUM(A1)"],
    ])

    /// The cells of the first sheet as Python reads them: one line per row, cells joined by a tab,
    /// each `n:VALUE` for a number and `s:TEXT` for a text.
    func readBack(_ bytes: [UInt8]) throws -> [String] {
        let file = NSTemporaryDirectory() + "table-\(UUID().uuidString.prefix(8)).xlsx"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = """
        import sys, zipfile, xml.etree.ElementTree as ET
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None, "a CRC does not match"
        names = sorted(z.namelist())
        assert names == ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'], names
        ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
        print(ET.fromstring(z.read('xl/workbook.xml')).find('m:sheets/m:sheet', ns).get('name'))
        for row in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter('{%s}row' % ns['m']):
            cells = []
            for c in row:
                if c.get('t') == 'inlineStr': cells.append('s:' + c.find('m:is/m:t', ns).text)
                else: cells.append('n:' + c.find('m:v', ns).text)
            print('\\t'.join(cells))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(problem)")
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func aTableIsReadBackCellByCellWithFiguresAsNumbersAndTextAsText() throws {
        let lines = try readBack(Self.table.bytes)
        #expect(lines == [
            "数据质量 2023",
            "s:报送单位\ts:代码\ts:事实\ts:及时率",
            "s:区市场监管局\ts:310114-SCJG\tn:3\tn:0.6667",
            "s:<区税务局> & \"总局\"\ts:0114\tn:-2\ts:=SUM(A1)",
        ], "\(lines)")
    }

    @Test func theSameTableGivesTheSameBytes() {
        #expect(Self.table.bytes == Self.table.bytes)
        var other = Self.table
        other.rows[0][2] = "4"
        #expect(other.bytes != Self.table.bytes)
    }

    @Test func columnsPastZAreLetteredLikeASpreadsheetAndCodesStayText() {
        #expect(XLSX.column(0) == "A" && XLSX.column(25) == "Z" && XLSX.column(26) == "AA" && XLSX.column(701) == "ZZ" && XLSX.column(702) == "AAA")
        #expect(XLSX.isFigure("12") && XLSX.isFigure("0.5") && XLSX.isFigure("0") && XLSX.isFigure("-3"))
        #expect(!XLSX.isFigure("0114") && !XLSX.isFigure("91350100M000100Y43") && !XLSX.isFigure("1e5") && !XLSX.isFigure("")
                && !XLSX.isFigure("11010519491231002"), "codes, exponents and identity-length digit strings stay text")
        #expect(XLSX.escaped("a\u{01}b<") == "ab&lt;", "control characters XML cannot carry are left out")
    }
}
