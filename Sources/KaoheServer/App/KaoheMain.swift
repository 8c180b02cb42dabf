import Foundation
import Logging
import Vapor

/// The server side of the `kaohe` binary: `serve`, `migrate`, `audit verify`, `import`, `backup`, `routes` run inside the
/// Vapor application; `restore` opens its own. (`grade` and `policy` never get here: the entry point sends them to
/// GradingCLI.)
public enum KaoheMain {
    public static func run(_ arguments: [String]) async {
        var env: Environment
        do {
            env = try Environment.detect(arguments: ["kaohe"] + arguments)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        do {
            try LoggingSystem.bootstrap(from: &env)
        } catch {}
        exit(await execute(arguments, environment: env))
    }

    /// Runs one command; returns the process's exit code.
    public static func execute(_ arguments: [String], environment env: Environment,
                               settings given: Settings? = nil) async -> Int32 {
        let settings: Settings
        do {
            settings = try given ?? Settings.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return 1
        }
        // A restore opens its own copy of the file, never the data directory's database.
        if command(arguments) == "restore" { return await Restore.command(arguments, settings: settings, environment: env) }
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            FileHandle.standardError.write(Data("启动失败：\(error)\n".utf8))
            return 1
        }
        var code: Int32 = 0
        do {
            try configure(app, settings: settings)
            if usesDatabase(arguments) { try await prepareDatabase(app) }
            if command(arguments) == "serve" {
                app.lifecycle.use(Housekeeping.Schedule())
                app.lifecycle.use(BackupSchedule.Lifecycle())
            }
            try await app.execute()
        } catch let exit as ExitCode {
            code = exit.code
        } catch {
            app.logger.report(error: error)
            FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
            code = 1
        }
        try? await app.asyncShutdown()
        return code
    }

    /// Commands that only print (help, the route list) open no database: they create no file, run no
    /// migration and create no administrator.
    static func usesDatabase(_ arguments: [String]) -> Bool {
        if arguments.contains(where: { ["--help", "-h"].contains($0) }) { return false }
        return ["serve", "migrate", "audit", "import", "demo"].contains(command(arguments))
    }

    /// Like Vapor: the first argument names the command; without one (or with options only) it is `serve`.
    static func command(_ arguments: [String]) -> String {
        arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "serve"
    }
}
