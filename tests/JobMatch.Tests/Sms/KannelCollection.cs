namespace JobMatch.Tests.Sms;

// KannelFixture itself is in tests/JobMatch.TestSupport (the browser tests read its settings); xunit wires collection
// fixtures only from definitions in the test assembly itself, so the collection stays here.

[CollectionDefinition(Name)]
public sealed class KannelCollection : ICollectionFixture<KannelFixture>
{
    public const string Name = "Kannel";
}

/// <summary>A test that needs Kannel: skipped with a message on a machine without it, run (and failing) under CI.</summary>
public sealed class KannelFactAttribute : FactAttribute
{
    public KannelFactAttribute()
    {
        if (!KannelGateway.Installed && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Skip = KannelGateway.MissingReason;
    }
}
