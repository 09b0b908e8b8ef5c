using System.CommandLine;
using JobMatch.Commands;
using JobMatch.Database;
using JobMatch.Privacy;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;

namespace JobMatch.Operations;

/// <summary>
/// <c>reencrypt [--batch N]</c>: pads and re-encrypts every stored personal value written before issue 14 (or under
/// an older data key) and moves accounts' sign-in names to the blind index, in batches; safe to stop and run again,
/// and to run while the app serves. Uses the same configuration (database, encryption key) as the app.
/// </summary>
internal static class ReencryptCommand
{
    public static Command Create()
    {
        var batch = new Option<int>("--batch") { Description = "Rows per transaction.", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var command = new Command("reencrypt", "Pads and re-encrypts personal values written before length hiding (or under an older data key) and moves sign-in names to the blind index; resumable.") { batch }
            .WithSettings();
        command.SetAction(async (result, ct) =>
        {
            Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true; // as the app sets it (AddDatabase): row classes map snake_case
            var configuration = Verb.Configuration(result);
            var output = result.InvocationConfiguration.Output;
            var connectionString = DatabaseExtensions.ResolveConnectionString(configuration, output, out var embedded);
            try
            {
                DatabaseMigrator.Migrate(connectionString, output);
                var environment = new HostingEnvironment
                {
                    EnvironmentName = configuration["ASPNETCORE_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"] ?? Environments.Production,
                };
                await using var db = NpgsqlDataSource.Create(connectionString);
                var encryption = new FieldEncryption(db, KeyEncryptionKeys.FromConfiguration(configuration, environment));
                var counts = await new FieldReencryption(db, encryption).RunAsync(result.GetValue(batch), output, ct);
                await output.WriteLineAsync($"Re-encrypted {counts.Values.Sum()} values.");
                return 0;
            }
            finally
            {
                embedded?.Stop();
            }
        });
        return command;
    }
}
