import Foundation
import Logging
import Vapor

/// The server side of the `kaohe` binary: `serve`, `migrate`, `audit verify`, `import` run inside the
/// Vapor application. (`grade` and `policy` never get here: the entry point sends them to GradingCLI.)
public enum KaoheMain {
    public static func run(_ arguments: [String]) async {
        let settings: Settings
        do {
            settings = try Settings.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
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
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            FileHandle.standardError.write(Data("启动失败：\(error)\n".utf8))
            exit(1)
        }
        var code: Int32 = 0
        do {
            try await configure(app, settings: settings)
            try await app.execute()
        } catch let exit as ExitCode {
            code = exit.code
        } catch {
            app.logger.report(error: error)
            FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
            code = 1
        }
        try? await app.asyncShutdown()
        exit(code)
    }
}
