import Vapor

/// Ends a command with an exit code; the command has already printed why, so nothing more is logged.
struct ExitCode: DebuggableError {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var identifier: String { "exit\(code)" }
    var reason: String { "exit \(code)" }
    var logLevel: Logger.Level { .trace }
}
