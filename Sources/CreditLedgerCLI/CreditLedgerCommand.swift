import ArgumentParser
import CreditLedger
import Foundation

/// `credit-ledger`: the command line for auditors, operators and scripts (docs/cli.md).
@main
struct CreditLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit-ledger",
        abstract: "An immutable, hash-chained public credit ledger: record facts, replay, verify, query any date as known at any instant.",
        version: Release.description,
        subcommands: [
            Generate.self, Import.self, Verify.self, Audit.self, Digest.self, Replay.self, Export.self, CheckID.self, Subject.self, Report.self, Quality.self, PenetrationCommand.self, Grades.self, Match.self, Feedback.self, Indicators.self, Lists.self, FileCommand.self, Worklist.self, ProgressCommand.self, Certificate.self,
            Serve.self, Copy.self,
            CheckpointCommand.self, Prove.self, ProveConsistency.self, VerifyProof.self, CheckReport.self,
        ])

    /// Runs a command body, turning failures into CLI.md's exit codes with the message on stderr.
    /// Every ledger the body opened is closed afterwards; a failure to close fails the command
    /// (exit 2), and is printed after the body's own error if it had one.
    static func run(_ body: () throws -> Void) throws {
        var failure: (any Error)?
        do { try body() } catch { failure = error }
        // An audited query's answer is released only once its entry is recorded.
        do { try CLIAudit.finish(bodyFailed: failure != nil) } catch { failure = failure ?? error }
        let closing = OpenLedgers.closeAll().map { CLIFailure(.damaged, "closing the ledger failed: \($0)") }
        if failure == nil { failure = closing.first } else {
            for problem in closing { printError("credit-ledger: \(problem.message)") }
        }
        if let failure { try exit(for: failure) }
    }

    /// Prints `error` and throws the exit code CLI.md gives it.
    private static func exit(for error: any Error) throws -> Never {
        switch error {
        case let error as CLIFailure:
            printError("credit-ledger: \(error.message)")
            throw ExitCode(error.status.rawValue)
        case let error as ExitCode: throw error
        case let error as ValidationError: throw error
        default:
            let failure = CLIFailure(error)
            printError("credit-ledger: \(failure.message)")
            throw ExitCode(failure.status.rawValue)
        }
    }
}
