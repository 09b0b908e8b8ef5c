using JobMatch.Tests.Infrastructure;

namespace JobMatch.BrowserTests;

/// <summary>xunit wires collection fixtures only from definitions in the test assembly itself.</summary>
[CollectionDefinition(PostgresCollection.Name)]
public sealed class BrowserPostgresCollection : ICollectionFixture<PostgresFixture>;
