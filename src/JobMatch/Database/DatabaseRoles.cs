using System.Security.Cryptography;
using Npgsql;

namespace JobMatch.Database;

/// <summary>
/// Least-privilege roles for the embedded cluster (R4). The superuser only creates them: <c>jm_owner</c> owns the
/// database and every table and runs the migrations; <c>jm_app</c>, the role the app connects as, may read and write
/// rows but owns nothing, so it cannot alter or disable the audit log's append-only triggers, and it is a member of
/// <c>jm_employer_api</c> and <c>jm_provider_api</c> so that employer- and provider-facing reads can drop to them
/// (<see cref="EmployerReads"/>, <see cref="ProviderReads"/>). Hangfire's schema
/// belongs to jm_app because Hangfire creates and upgrades its own tables. With a configured connection string none
/// of this runs: the operator creates the same roles (README, "Database roles").
/// </summary>
internal static class DatabaseRoles
{
    public const string Owner = "jm_owner";
    public const string App = "jm_app";

    /// <summary>Creates or updates the roles and the database; returns the owner's and the app's connection strings.</summary>
    public static (string Owner, string App) EnsureEmbedded(string superuserConnectionString, string secretsDirectory)
    {
        var ownerPassword = ReadOrCreatePassword(Path.Combine(secretsDirectory, Owner + ".password"));
        var appPassword = ReadOrCreatePassword(Path.Combine(secretsDirectory, App + ".password"));
        Ensure(superuserConnectionString, ownerPassword, appPassword);
        var superuser = new NpgsqlConnectionStringBuilder(superuserConnectionString);
        return (As(superuser, Owner, ownerPassword), As(superuser, App, appPassword));
    }

    /// <summary>Idempotent: run before the migrations (as a superuser) on every start.</summary>
    public static void Ensure(string superuserConnectionString, string ownerPassword, string appPassword)
    {
        var target = new NpgsqlConnectionStringBuilder(superuserConnectionString);
        var database = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        using (var server = Open(new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = "postgres", Pooling = false }))
        {
            Execute(server, $"""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{Owner}') THEN CREATE ROLE {Owner} LOGIN; END IF;
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{App}') THEN CREATE ROLE {App} LOGIN; END IF;
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{EmployerReads.Role}') THEN CREATE ROLE {EmployerReads.Role} NOLOGIN; END IF;
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ProviderReads.Role}') THEN CREATE ROLE {ProviderReads.Role} NOLOGIN; END IF;
                END $$;
                ALTER ROLE {Owner} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{ownerPassword}';
                ALTER ROLE {App} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{appPassword}';
                GRANT {EmployerReads.Role} TO {App};
                GRANT {ProviderReads.Role} TO {App};
                -- The owner administers everything, including what the app role owns (Hangfire's schema): a restore runs as
                -- the owner and must replace it.
                GRANT {App} TO {Owner};
                """);
            var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @database", server) { Parameters = { new("database", database) } }.ExecuteScalar() is not null;
            Execute(server, exists ? $"ALTER DATABASE \"{database}\" OWNER TO {Owner}" : $"CREATE DATABASE \"{database}\" OWNER {Owner}");
        }

        using var connection = Open(new NpgsqlConnectionStringBuilder(superuserConnectionString) { Pooling = false });
        Execute(connection, $"""
            -- A cluster made before these roles existed: what the superuser created moves to its owner.
            DO $$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT n.nspname, c.relname, c.relkind, CASE WHEN n.nspname = 'hangfire' THEN '{App}' ELSE '{Owner}' END AS new_owner
                         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname IN ('public', 'casefile', 'hangfire') AND c.relkind IN ('r', 'p', 'v', 'm')
                           AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                LOOP
                    EXECUTE format('ALTER %s %I.%I OWNER TO %I',
                        CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.nspname, r.relname, r.new_owner);
                END LOOP;
                FOR r IN SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args
                         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname IN ('public', 'casefile') AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                LOOP
                    EXECUTE format('ALTER FUNCTION %I.%I(%s) OWNER TO {Owner}', r.nspname, r.proname, r.args);
                END LOOP;
                IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'casefile') THEN ALTER SCHEMA casefile OWNER TO {Owner}; END IF;
                IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'hangfire') THEN ALTER SCHEMA hangfire OWNER TO {App}; END IF;
            END $$;
            CREATE SCHEMA IF NOT EXISTS hangfire AUTHORIZATION {App};
            -- Hangfire runs CREATE SCHEMA IF NOT EXISTS at start, which PostgreSQL checks against CREATE on the database.
            GRANT CONNECT, TEMPORARY, CREATE ON DATABASE "{database}" TO {App};
            -- Rows, not structure: whatever the owner creates later, the app may read and write, never alter.
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {App};
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {App};
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} GRANT USAGE ON SCHEMAS TO {App};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {App};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {App};
            DO $$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'casefile') THEN
                    GRANT USAGE ON SCHEMA casefile TO {App};
                    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA casefile TO {App};
                END IF;
            END $$;
            """);
    }

    private static string As(NpgsqlConnectionStringBuilder template, string role, string password) =>
        new NpgsqlConnectionStringBuilder(template.ConnectionString) { Username = role, Password = password }.ConnectionString;

    private static string ReadOrCreatePassword(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(path, password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    private static NpgsqlConnection Open(NpgsqlConnectionStringBuilder builder)
    {
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
