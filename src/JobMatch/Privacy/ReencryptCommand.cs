using System.Globalization;
using JobMatch.Database;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;

namespace JobMatch.Privacy;

/// <summary>
/// <c>reencrypt [--batch N]</c>: pads and re-encrypts every stored personal value written before issue 14 (or under
/// an older data key) and moves accounts' sign-in names to the blind index, in batches; safe to stop and run again,
/// and to run while the app serves. Uses the same configuration (database, encryption key) as the app.
/// </summary>
internal static class ReencryptCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var batch = 500;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batch" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0) { batch = n; i++; }
            else if (!(args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains('=')))
            {
                await Console.Error.WriteLineAsync($"reencrypt: unexpected argument '{args[i]}'. Usage: reencrypt [--batch N] [--Setting=value ...]");
                return 2;
            }
        }

        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true; // as the app sets it (AddDatabase): row classes map snake_case
        var configuration = CommandLine.Configuration(args.Where(a => a.Contains('=')).ToArray());
        var connectionString = DatabaseExtensions.ResolveConnectionString(configuration, Console.Error, out var embedded);
        try
        {
            DatabaseMigrator.Migrate(connectionString);
            var environment = new HostingEnvironment
            {
                EnvironmentName = configuration["ASPNETCORE_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"] ?? Environments.Production,
            };
            await using var db = NpgsqlDataSource.Create(connectionString);
            var encryption = new FieldEncryption(db, KeyEncryptionKeys.FromConfiguration(configuration, environment));
            var counts = await new FieldReencryption(db, encryption).RunAsync(batch, Console.Out, CancellationToken.None);
            await Console.Out.WriteLineAsync($"Re-encrypted {counts.Values.Sum()} values.");
            return 0;
        }
        finally
        {
            embedded?.Stop();
        }
    }
}
