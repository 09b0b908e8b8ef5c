using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace JobMatch.Operations;

/// <summary>
/// The key-encryption keys sealed under a passphrase, for keeping apart from the backups: PBKDF2-HMAC-SHA256
/// (600,000 iterations, OWASP's figure for it) derives an AES-256-GCM key that seals the keys (current first). The
/// key ids are in the clear so an operator can tell which backup a file belongs to without opening it.
/// </summary>
internal sealed record WrappedKeyFile(string Format, string Kdf, int Iterations, string Salt, string Nonce, string Ciphertext, IReadOnlyList<string> KeyIds)
{
    public const string CurrentFormat = "jobmatch-kek-v1";
    private const int DefaultIterations = 600_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes(CurrentFormat);

    public static WrappedKeyFile Seal(IReadOnlyList<byte[]> keys, IReadOnlyList<string> ids, string passphrase, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(keys.Select(Convert.ToBase64String).ToArray());
        var output = new byte[plaintext.Length + 16];
        using (var aes = new AesGcm(Derive(passphrase, salt, iterations), 16))
        {
            aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), AssociatedData);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        return new(CurrentFormat, "PBKDF2-HMAC-SHA256", iterations, Convert.ToBase64String(salt), Convert.ToBase64String(nonce), Convert.ToBase64String(output), ids);
    }

    /// <summary>The keys, current first; a wrong passphrase or an altered file is an <see cref="OperatorException"/>.</summary>
    public IReadOnlyList<byte[]> Open(string passphrase)
    {
        if (Format != CurrentFormat) throw new OperatorException($"Not an exported JobMatch key (format '{Format}').");
        var sealedBytes = Convert.FromBase64String(Ciphertext);
        var plaintext = new byte[sealedBytes.Length - 16];
        try
        {
            using var aes = new AesGcm(Derive(passphrase, Convert.FromBase64String(Salt), Iterations), 16);
            aes.Decrypt(Convert.FromBase64String(Nonce), sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), plaintext, AssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new OperatorException("Wrong passphrase, or the key file was altered.");
        }
        return JsonSerializer.Deserialize<string[]>(plaintext)!.Select(Convert.FromBase64String).ToList();
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static WrappedKeyFile Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<WrappedKeyFile>(File.ReadAllBytes(path), Json) ?? throw new OperatorException($"{path} is empty.");
        }
        catch (JsonException)
        {
            throw new OperatorException($"{path} is not an exported JobMatch key.");
        }
    }

    private static byte[] Derive(string passphrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);
}
