using JobMatch.Tests.Infrastructure;

namespace JobMatch.BrowserTests;

/// <summary>
/// xunit wires collection fixtures only from definitions in the test assembly itself. Same name as the tests' own
/// definition (JobMatch.Tests.Infrastructure.PostgresCollection), which this project does not reference: the browser
/// tests' <c>[Collection(PostgresCollection.Name)]</c> finds this one first, being in their own namespace.
/// The browser tests share one Chromium too (<see cref="ChromiumFixture"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Postgres";
}
