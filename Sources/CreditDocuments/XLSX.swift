import Foundation

/// A table as a spreadsheet file (Office Open XML, `.xlsx`): one sheet, the header in the first
/// row, each figure a number cell and every other field a text cell (inline strings: a text is
/// never taken for a formula, so nothing is defused). The file is a ZIP archive written here with
/// its entries stored, not compressed — the tables are small and a ZIP writer of forty lines needs
/// no package — and with a fixed timestamp, so the same table gives the same bytes on every run.
public struct XLSX: Sendable {
    /// The sheet's name (at most 31 characters; `[]:*?/\` are replaced by spaces).
    public var sheet: String
    /// The header row.
    public var header: [String]
    /// The rows, in order.
    public var rows: [[String]]

    /// Creates a table.
    public init(sheet: String, header: [String], rows: [[String]] = []) {
        self.sheet = sheet
        self.header = header
        self.rows = rows
    }

    /// The `.xlsx` file's bytes.
    public var bytes: [UInt8] {
        var zip = StoredZip()
        zip.add("[Content_Types].xml", Self.declaration + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
            + "</Types>")
        zip.add("_rels/.rels", Self.declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
            + "</Relationships>")
        zip.add("xl/workbook.xml", Self.declaration + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
            + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
            + #"<sheet name="\#(Self.escaped(sheetName))" sheetId="1" r:id="rId1"/></sheets></workbook>"#)
        zip.add("xl/_rels/workbook.xml.rels", Self.declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
            + "</Relationships>")
        zip.add("xl/worksheets/sheet1.xml", worksheet)
        return zip.archive
    }

    /// The sheet's name as a spreadsheet accepts it.
    var sheetName: String {
        let name = String(sheet.map { "[]:*?/\\".contains($0) ? " " : $0 }.prefix(31))
        return name.trimmingCharacters(in: .whitespaces).isEmpty ? "Sheet1" : name
    }

    /// The worksheet: one `<row>` per row, cells addressed A1, B1, ….
    var worksheet: String {
        var xml = Self.declaration + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (index, row) in ([header] + rows).enumerated() {
            xml += #"<row r="\#(index + 1)">"#
            for (column, value) in row.enumerated() {
                let reference = Self.column(column) + String(index + 1)
                if index > 0, Self.isFigure(value) {
                    xml += #"<c r="\#(reference)"><v>\#(value)</v></c>"#
                } else {
                    xml += #"<c r="\#(reference)" t="inlineStr"><is><t xml:space="preserve">\#(Self.escaped(value))</t></is></c>"#
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    private static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// A figure a spreadsheet should compute with: a decimal number of at most 15 digits, without a
    /// leading zero that a code would have (`0114`), and not a code of digits alone that is longer.
    static func isFigure(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 16, Double(text) != nil,
              text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) else { return false }
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        return !(digits.count > 1 && digits.hasPrefix("0") && !digits.hasPrefix("0."))
    }

    /// The column letters of a zero-based index: A … Z, AA, AB, ….
    static func column(_ index: Int) -> String {
        var index = index + 1, letters = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            index = (index - 1) / 26
        }
        return letters
    }

    /// Text as XML character data: the five markup characters escaped, and the control characters
    /// XML 1.0 cannot carry (all below U+0020 but tab, line feed and carriage return) left out.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case let c where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A ZIP archive whose entries are stored (method 0), names in UTF-8 (flag bit 11), every entry
/// dated 1980-01-01 00:00 (the format's first day) so that the bytes depend on the content only.
/// Sizes and offsets are 32-bit: an archive is refused past 4 GiB or 65,535 entries by a
/// precondition (a table for auditors is kilobytes).
struct StoredZip {
    private var entries: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    /// Adds a file `name` holding `text` as UTF-8.
    mutating func add(_ name: String, _ text: String) {
        let data = Array(text.utf8), nameBytes = Array(name.utf8), crc = CRC32.checksum(data)
        precondition(entries.count + data.count < Int(UInt32.max) && count < Int(UInt16.max), "a stored ZIP is limited to 4 GiB and 65,535 entries")
        let offset = UInt32(entries.count)
        entries += Self.le32(0x0403_4B50) + Self.le16(20) + Self.le16(0x0800) + Self.le16(0) + Self.le16(0) + Self.le16(0x21)
            + Self.le32(crc) + Self.le32(UInt32(data.count)) + Self.le32(UInt32(data.count)) + Self.le16(UInt16(nameBytes.count)) + Self.le16(0)
            + nameBytes + data
        central += Self.le32(0x0201_4B50) + Self.le16(20) + Self.le16(20) + Self.le16(0x0800) + Self.le16(0) + Self.le16(0) + Self.le16(0x21)
            + Self.le32(crc) + Self.le32(UInt32(data.count)) + Self.le32(UInt32(data.count)) + Self.le16(UInt16(nameBytes.count))
            + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le32(0) + Self.le32(offset) + nameBytes
        count += 1
    }

    /// The archive: the entries, the central directory, the end record.
    var archive: [UInt8] {
        entries + central + Self.le32(0x0605_4B50) + Self.le16(0) + Self.le16(0) + Self.le16(UInt16(count)) + Self.le16(UInt16(count))
            + Self.le32(UInt32(central.count)) + Self.le32(UInt32(entries.count)) + Self.le16(0)
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}

/// CRC-32 (IEEE 802.3, the polynomial ZIP uses; not the CRC-32C of the log's blocks).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    /// The checksum of `data` (`"123456789"` → `0xCBF43926`).
    static func checksum(_ data: [UInt8]) -> UInt32 {
        ~data.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
