import ArgumentParser
import Foundation

/// `credit-ledger`: the command line for auditors, operators and scripts (docs/cli.md).
@main
struct CreditLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit-ledger",
        abstract: "An immutable, hash-chained public credit ledger: record facts, replay, verify, query any date as known at any instant.",
        subcommands: [
            Generate.self, Import.self, Verify.self, Digest.self, Replay.self, Export.self, CheckID.self, Subject.self, Report.self, Quality.self, PenetrationCommand.self, Grades.self, Match.self, Feedback.self,
            HTMLRender.self, Serve.self,
        ])

    /// Runs a command body, turning failures into CLI.md's exit codes with the message on stderr.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CLIFailure {
            printError("credit-ledger: \(error.message)")
            throw ExitCode(error.status.rawValue)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            let failure = CLIFailure(error)
            printError("credit-ledger: \(failure.message)")
            throw ExitCode(failure.status.rawValue)
        }
    }
}
