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
            var configuration = Verb.Configuration(result);
            _ = DatabaseExtensions.ResolveConnectionString(configuration, result.InvocationConfiguration.Output, out var embedded);
            try
            {
                // As the schema's owner (JobMatchOwner), not the app's role: the app's role owns no table.
                DatabaseMigrator.Migrate(DatabaseExtensions.OwnerConnectionString(configuration), result.InvocationConfiguration.Output);
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
