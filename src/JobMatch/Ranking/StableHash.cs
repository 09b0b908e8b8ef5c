namespace JobMatch.Ranking;

/// <summary>FNV-1a 64: stable across processes and .NET versions, unlike string.GetHashCode.</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // Final avalanche (splitmix64) so near-identical strings spread over the whole range.
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        return hash ^ (hash >> 31);
    }

    /// <summary>A number in [0, 1).</summary>
    public static double Unit(string text) => (Of(text) >> 11) * (1.0 / (1UL << 53));
}
