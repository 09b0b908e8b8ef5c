namespace JobMatch.Tests.Architecture.NameClash;

/// <summary>A deliberate second <c>Taxonomy</c>, only for <see cref="TypeNameTests"/> to see that its rule reports a clash.</summary>
internal static class Taxonomy
{
}
