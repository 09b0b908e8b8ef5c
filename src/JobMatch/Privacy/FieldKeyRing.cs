using System.Security.Cryptography;
using System.Text;

namespace JobMatch.Privacy;

/// <summary>
/// The unwrapped data keys. Values are AES-256-GCM with a random 96-bit nonce, written as
/// <c>v1:&lt;keyId&gt;:&lt;base64(nonce|tag|ciphertext)&gt;</c>; the field's name is the associated data, so a value
/// copied into another column does not decrypt. A changed byte makes decryption throw (AEAD).
/// </summary>
internal sealed class FieldKeyRing(IReadOnlyDictionary<string, byte[]> dataKeys, string currentKeyId, byte[] indexKey)
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string CurrentKeyId => currentKeyId;

    public string Encrypt(string plaintext, string field)
    {
        var key = dataKeys[currentKeyId];
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Associated(field, currentKeyId));
        return $"{Version}:{currentKeyId}:{Convert.ToBase64String(output)}";
    }

    public string? EncryptOrNull(string? plaintext, string field) => string.IsNullOrEmpty(plaintext) ? null : Encrypt(plaintext, field);

    /// <summary>Decrypts a value written by <see cref="Encrypt"/>; throws <see cref="CryptographicException"/> when it was altered.</summary>
    public string Decrypt(string value, string field)
    {
        var parts = value.Split(':', 3);
        if (parts.Length != 3 || parts[0] != Version) throw new CryptographicException("Not an encrypted field value.");
        if (!dataKeys.TryGetValue(parts[1], out var key)) throw new CryptographicException("Unknown data key.");
        var bytes = Convert.FromBase64String(parts[2]);
        if (bytes.Length < NonceSize + TagSize) throw new CryptographicException("Truncated field value.");
        var plain = new byte[bytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize + TagSize), bytes.AsSpan(NonceSize, TagSize), plain, Associated(field, parts[1]));
        return Encoding.UTF8.GetString(plain);
    }

    public string? DecryptOrNull(string? value, string field) => value is null ? null : Decrypt(value, field);

    /// <summary>Keyed hash (HMAC-SHA256, its own key) of an already normalised value, for equality look-ups only.</summary>
    public byte[] BlindIndex(string normalised, string field) =>
        HMACSHA256.HashData(indexKey, Encoding.UTF8.GetBytes(field + "\n" + normalised));

    private static byte[] Associated(string field, string keyId) => Encoding.UTF8.GetBytes($"{Version}:{keyId}:{field}");
}
