namespace JobMatch.Privacy;

/// <summary>
/// An encrypted column's name (the AES-GCM associated data and the blind index's domain) and the size its values are
/// padded to before encryption, so ciphertext length reveals nothing beyond the bucket (issue 14).
/// </summary>
internal sealed record EncryptedField(string Name, FieldSize Size);

/// <summary>How a field is padded: choose the smallest kind whose bucket hides what its length would say.</summary>
internal enum FieldSize
{
    /// <summary>Enum-like values (a survivor status): one size, <see cref="FieldSizes.Fixed"/> bytes, for every value.</summary>
    Fixed,

    /// <summary>Names, phones, e-mail addresses, dates: a multiple of <see cref="FieldSizes.ShortBucket"/> bytes.</summary>
    Short,

    /// <summary>Free text (case notes, referral source): a multiple of <see cref="FieldSizes.LongBucket"/> bytes.</summary>
    Long,
}

internal static class FieldSizes
{
    public const int Fixed = 32;
    public const int ShortBucket = 64;
    public const int LongBucket = 256;
}
