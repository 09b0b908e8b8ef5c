using System.CommandLine;
using JobMatch.Commands;

namespace JobMatch.Database;

/// <summary><c>migrate</c>: applies the migrations to the configured database (or the embedded one) and exits.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Applies the database migrations and exits.").WithSettings();
        command.SetAction(result =>
        {
            var connectionString = DatabaseExtensions.ResolveConnectionString(Verb.Configuration(result), result.InvocationConfiguration.Output, out var embedded);
            try
            {
                DatabaseMigrator.Migrate(connectionString, result.InvocationConfiguration.Output);
                result.InvocationConfiguration.Output.WriteLine("Migrations applied.");
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
