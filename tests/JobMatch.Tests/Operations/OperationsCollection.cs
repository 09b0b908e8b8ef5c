using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Operations;

/// <summary>
/// Backup, restore and the restore drill start clusters and app processes and spend their time waiting on them; a
/// collection of their own (with its own throwaway cluster) runs beside the rest of the suite.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OperationsCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Operations";
}
