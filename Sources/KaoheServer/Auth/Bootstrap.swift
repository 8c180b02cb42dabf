import Fluent
import Vapor

/// First start: create the administrator `admin`.
enum Bootstrap {
    static func ensureAdministrator(_ app: Application) async throws {
        guard try await Account.query(on: app.db).count() == 0 else { return }
        let settings = app.kaohe.settings
        let printed = settings.adminPassword == nil
        let password = settings.adminPassword ?? randomPassword()
        let hash = try app.password.hash(password)
        // Whoever set it, a first password is known to more than one person (an installer, a script, a log):
        // the administrator must choose their own at first login.
        let admin = Account(username: "admin", displayName: "系统管理员", passwordHash: hash, role: .admin,
                            mustChangePassword: true)
        do {
            try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                try await admin.create(on: tx)
                audit.record(.init(action: .create, entity: .account, entityID: admin.id!.uuidString,
                                   after: admin.auditSnapshot, reason: "首次启动创建系统管理员"))
            }
        } catch {
            // Another instance created it at the same moment (unique username): nothing to do.
            if try await Account.query(on: app.db).filter(\.$username == "admin").count() > 0 { return }
            throw error
        }
        if printed {
            let line = String(repeating: "=", count: 60)
            print("\(line)\n首次启动：已创建系统管理员账号 admin\n初始密码（只显示这一次，首次登录后须修改）：\(password)\n\(line)")
        } else {
            app.logger.notice("首次启动：已创建系统管理员账号 admin（密码取自 KAOHE_ADMIN_PASSWORD，首次登录后须修改）")
        }
    }

    static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<16).map { _ in alphabet.randomElement()! })
    }
}
