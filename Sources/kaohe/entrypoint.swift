import KaoheServer

@main
enum Entrypoint {
    static func main() async {
        await KaoheMain.run(Array(CommandLine.arguments.dropFirst()))
    }
}
