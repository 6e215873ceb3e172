import Foundation

/// `--format pdf`: the HTML page printed by headless Chromium (optional: it is used when installed,
/// and its absence is a clear error, exit 1). The page's own print stylesheet sets A4 and the page
/// numbers; Chromium's header and footer are turned off. A PDF is not byte-for-byte reproducible
/// (Chromium stamps the creation time); the HTML page it is printed from is.
enum PDFPrinter {
    /// The browser: `CREDIT_LEDGER_CHROMIUM` when set, else the first of `chromium`,
    /// `chromium-browser`, `google-chrome` found on `PATH`.
    static func browser() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CREDIT_LEDGER_CHROMIUM"] {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw CLIFailure(.refused, "CREDIT_LEDGER_CHROMIUM=\(path): no such executable (--format pdf prints with headless Chromium)")
            }
            return path
        }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if let found = folders.map({ $0 + "/" + name }).first(where: FileManager.default.isExecutableFile(atPath:)) { return found }
        }
        throw CLIFailure(.refused, "--format pdf prints with headless Chromium, which is not installed: apt-get install chromium "
                         + "(make check-html installs it), or set CREDIT_LEDGER_CHROMIUM to the browser's path")
    }

    /// `page` printed to PDF.
    /// - Throws: ``CLIFailure`` (refused, exit 1) when the browser is missing, fails, or writes no PDF.
    static func print(_ page: [UInt8]) throws -> Data {
        let browser = try browser()
        let folder = NSTemporaryDirectory() + "credit-ledger-pdf-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(page).write(to: URL(fileURLWithPath: folder + "/page.html"))
        } catch { throw CLIFailure(.refused, "cannot write the page for printing in \(folder): \(error.localizedDescription)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(folder)/profile",
                             "--print-to-pdf=\(folder)/page.pdf", "file://\(folder)/page.html"]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch { throw CLIFailure(.refused, "cannot start \(browser): \(error.localizedDescription)") }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let pdf = FileManager.default.contents(atPath: folder + "/page.pdf"), pdf.starts(with: Array("%PDF".utf8)) else {
            let reason = String(decoding: said, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw CLIFailure(.refused, "\(browser) printed no PDF (exit \(process.terminationStatus))\(reason.isEmpty ? "" : ": " + reason)")
        }
        return pdf
    }
}
