namespace JobMatch.Tests.Infrastructure;

// The fixture itself is in tests/JobMatch.TestSupport; xunit wires collection fixtures only from definitions in the
// test assembly itself, so the collections stay here (the browser tests define their own of the same name).

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Postgres";
}

/// <summary>
/// The fault-injection tests (tests/JobMatch.Tests/Faults) start the app as a child process and spend most of their
/// time waiting for timeouts, restarts and back-offs; a collection of their own (with its own throwaway cluster) lets
/// xunit run them beside the rest of the suite instead of after it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Faults";
}
