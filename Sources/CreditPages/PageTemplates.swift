import Foundation
import Mustache

/// The templates the pages are rendered with: the shipped ones (`Resources/templates/NAME.mustache`),
/// each replaced by a file of the same name in a district's override directory. Every template is
/// read and parsed when the set is made, so a missing or broken one is an error before anything is
/// rendered, never a blank or half page.
struct PageTemplates: Sendable {
    /// The shipped templates by name: the frame, its stylesheet, the table every page uses, and one
    /// per page.
    enum Name: String, CaseIterable, Sendable {
        case layout, stylesheet, table
        case creditReport = "credit-report", specialReport = "special-report", quality, grades, penetration
        case repairCertificate = "repair-certificate"
        case indicators, lists, subjectFile = "subject-file", worklist, risks
    }

    private let library: MustacheLibrary

    /// The shipped templates, with those in `overrides` (a directory) in their place.
    /// - Throws: ``PageTemplateError`` naming the file (and the line, when the parser gives one).
    init(overrides directory: String?) throws(PageTemplateError) {
        let replacing = try directory.map { (directory) throws(PageTemplateError) in try Self.overrideFiles(in: directory) } ?? [:]
        var library = MustacheLibrary()
        for name in Name.allCases {
            let file = replacing[name] ?? Self.shippedPath(name)
            library.register(try Self.parse(file), named: name.rawValue)
        }
        self.library = library
    }

    /// `object` rendered with the template `name`.
    func render(_ object: Any, with name: Name) -> String {
        // Every name was registered by init, so the library always finds it.
        library.render(object, withTemplate: name.rawValue) ?? ""
    }

    /// The `.mustache` files of an override directory by the template each replaces. A file whose
    /// name is no shipped template's is an error: a misspelt name must not be silently ignored.
    private static func overrideFiles(in directory: String) throws(PageTemplateError) -> [Name: String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PageTemplateError(file: directory, line: nil, reason: "no such templates directory")
        }
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw PageTemplateError(file: directory, line: nil, reason: "cannot list the directory: \(error.localizedDescription)")
        }
        var found: [Name: String] = [:]
        for file in files.sorted() where file.hasSuffix(".mustache") {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let name = Name(rawValue: String(file.dropLast(".mustache".count))) else {
                throw PageTemplateError(file: path, line: nil, reason: "not the name of a shipped template (\(Name.allCases.map { $0.rawValue + ".mustache" }.joined(separator: ", ")))")
            }
            found[name] = path
        }
        return found
    }

    /// Where the shipped template `name` lies in the bundle (a path that does not exist when the
    /// bundle lacks it, so reading it reports the file missing).
    private static func shippedPath(_ name: Name) -> String {
        Bundle.module.url(forResource: "Resources/templates/\(name.rawValue)", withExtension: "mustache")?.path
            ?? Bundle.module.bundlePath + "/Resources/templates/\(name.rawValue).mustache"
    }

    /// The template in `file`, parsed.
    private static func parse(_ file: String) throws(PageTemplateError) -> MustacheTemplate {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw PageTemplateError(file: file, line: nil, reason: "cannot read the template")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PageTemplateError(file: file, line: nil, reason: "not UTF-8 text")
        }
        do { return try MustacheTemplate(string: text) } catch let error as MustacheTemplate.ParserError {
            throw PageTemplateError(file: file, line: error.context.lineNumber, reason: Self.explain(error.error))
        } catch {
            throw PageTemplateError(file: file, line: nil, reason: "\(error)")
        }
    }

    /// A parser error in words.
    private static func explain(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .expectedSectionEnd?: "a section is opened and never closed (its {{/name}} is missing)"
        case .sectionCloseNameIncorrect?: "a section is closed under another name than the one it was opened with"
        case .unfinishedName?: "a tag is not finished (its }} is missing)"
        case .invalidSetDelimiter?: "a set-delimiter tag is malformed"
        default: "the template cannot be parsed (\(error))"
        }
    }
}

/// Why the page templates cannot be used: the file, the line when the template parser names one,
/// and what is wrong.
public struct PageTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template file or the override directory.
    public var file: String
    /// The line (from 1) the parser stopped at, when it names one.
    public var line: Int?
    /// What is wrong.
    public var reason: String

    /// `FILE:LINE: reason` (or `FILE: reason`).
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}
