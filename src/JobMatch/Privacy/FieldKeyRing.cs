using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace JobMatch.Privacy;

/// <summary>
/// The unwrapped data keys. Values are AES-256-GCM with a random 96-bit nonce, written as
/// <c>v2:&lt;keyId&gt;:&lt;base64(nonce|tag|ciphertext)&gt;</c>; the field's name is the associated data, so a value
/// copied into another column does not decrypt. A changed byte makes decryption throw (AEAD).
/// Before encryption the value is padded to its field's size (<see cref="FieldSize"/>), so the stored length says
/// nothing beyond the bucket: every survivor status is stored in the same number of bytes. Values written as
/// <c>v1</c> (unpadded, before issue 14) still decrypt; the <c>reencrypt</c> verb rewrites them.
/// </summary>
internal sealed class FieldKeyRing(IReadOnlyDictionary<string, byte[]> dataKeys, string currentKeyId, byte[] indexKey)
{
    private const string Unpadded = "v1";
    private const string Version = "v2";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int LengthPrefix = 4;

    public string CurrentKeyId => currentKeyId;

    /// <summary>Encrypts a value of a field whose kind is not declared: padded as long text, which hides any length below 252 bytes.</summary>
    public string Encrypt(string plaintext, string field) => Encrypt(plaintext, new EncryptedField(field, FieldSize.Long));

    public string Encrypt(string plaintext, EncryptedField field)
    {
        var key = dataKeys[currentKeyId];
        var padded = Pad(Encoding.UTF8.GetBytes(plaintext), field);
        var output = new byte[NonceSize + TagSize + padded.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, padded, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Associated(Version, field.Name, currentKeyId));
        CryptographicOperations.ZeroMemory(padded);
        return $"{Version}:{currentKeyId}:{Convert.ToBase64String(output)}";
    }

    public string? EncryptOrNull(string? plaintext, string field) => string.IsNullOrEmpty(plaintext) ? null : Encrypt(plaintext, field);

    public string? EncryptOrNull(string? plaintext, EncryptedField field) => string.IsNullOrEmpty(plaintext) ? null : Encrypt(plaintext, field);

    /// <summary>Decrypts a value written by <see cref="Encrypt(string, EncryptedField)"/>; throws <see cref="CryptographicException"/> when it was altered.</summary>
    public string Decrypt(string value, string field)
    {
        var parts = value.Split(':', 3);
        if (parts.Length != 3 || parts[0] is not (Version or Unpadded)) throw new CryptographicException("Not an encrypted field value.");
        if (!dataKeys.TryGetValue(parts[1], out var key)) throw new CryptographicException("Unknown data key.");
        var bytes = Convert.FromBase64String(parts[2]);
        if (bytes.Length < NonceSize + TagSize) throw new CryptographicException("Truncated field value.");
        var plain = new byte[bytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize + TagSize), bytes.AsSpan(NonceSize, TagSize), plain, Associated(parts[0], field, parts[1]));
        return parts[0] == Unpadded ? Encoding.UTF8.GetString(plain) : Unpad(plain);
    }

    public string Decrypt(string value, EncryptedField field) => Decrypt(value, field.Name);

    public string? DecryptOrNull(string? value, string field) => value is null ? null : Decrypt(value, field);

    public string? DecryptOrNull(string? value, EncryptedField field) => value is null ? null : Decrypt(value, field.Name);

    /// <summary>How every value written now begins: padded, under the current data key (the <c>reencrypt</c> verb skips those).</summary>
    public string CurrentPrefix => $"{Version}:{currentKeyId}:";

    /// <summary>Keyed hash (HMAC-SHA256, its own key) of an already normalised value, for equality look-ups only.</summary>
    public byte[] BlindIndex(string normalised, string field) =>
        HMACSHA256.HashData(indexKey, Encoding.UTF8.GetBytes(field + "\n" + normalised));

    public byte[] BlindIndex(string normalised, EncryptedField field) => BlindIndex(normalised, field.Name);

    /// <summary>The padded size of a value of <paramref name="length"/> UTF-8 bytes: its length prefix, the value, zeros.</summary>
    public static int PaddedSize(int length, FieldSize size)
    {
        var needed = LengthPrefix + length;
        return size switch
        {
            FieldSize.Fixed when needed <= FieldSizes.Fixed => FieldSizes.Fixed,
            FieldSize.Fixed => throw new ArgumentException($"A fixed-size field holds at most {FieldSizes.Fixed - LengthPrefix} bytes."),
            FieldSize.Short => RoundUp(needed, FieldSizes.ShortBucket),
            _ => RoundUp(needed, FieldSizes.LongBucket),
        };
    }

    private static int RoundUp(int value, int bucket) => (value + bucket - 1) / bucket * bucket;

    private static byte[] Pad(byte[] plain, EncryptedField field)
    {
        var padded = new byte[PaddedSize(plain.Length, field.Size)];
        BinaryPrimitives.WriteInt32BigEndian(padded, plain.Length);
        plain.CopyTo(padded, LengthPrefix);
        CryptographicOperations.ZeroMemory(plain);
        return padded;
    }

    private static string Unpad(byte[] padded)
    {
        var length = padded.Length < LengthPrefix ? -1 : BinaryPrimitives.ReadInt32BigEndian(padded);
        if (length < 0 || length > padded.Length - LengthPrefix) throw new CryptographicException("Bad padding.");
        return Encoding.UTF8.GetString(padded, LengthPrefix, length);
    }

    private static byte[] Associated(string version, string field, string keyId) => Encoding.UTF8.GetBytes($"{version}:{keyId}:{field}");
}
