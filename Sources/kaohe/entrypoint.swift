import Foundation
import GradingCLI
import KaoheServer

@main
enum Entrypoint {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, first == "grade" || first == "policy" {
            exit(GradingCLI.run(arguments, exitWhenDone: true))
        }
        await KaoheMain.run(arguments)
    }
}
