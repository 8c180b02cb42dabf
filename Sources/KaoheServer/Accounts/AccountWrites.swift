import Fluent

/// Writes of accounts that more than one page makes.
enum AccountWrites {
    /// A new password (already hashed): stored, audited with `note` (never the password), and every session of the
    /// account ended — all in the caller's audited transaction.
    static func setPassword(_ account: Account, hash: String, mustChange: Bool, note: String,
                            on tx: any Database, audit: AuditRecorder) async throws {
        account.passwordHash = hash
        account.mustChangePassword = mustChange
        try await account.save(on: tx)
        audit.record(.init(action: .passwordChange, entity: .account, entityID: try account.requireID().uuidString,
                           after: ["password": note]))
        try await SessionStore.endAll(accountID: account.requireID(), on: tx)
    }
}
