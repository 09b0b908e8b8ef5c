using System.Security.Cryptography;
using JobMatch.Database;

namespace JobMatch.Privacy;

/// <summary>
/// The key-encryption keys (KEKs), kept outside the database: <c>Encryption:Key</c> (base64, 32 bytes) or
/// <c>Encryption:KeyFile</c> (a file holding that base64 text). Retired keys stay readable through
/// <c>Encryption:PreviousKeys</c> / <c>Encryption:PreviousKeyFiles</c> (arrays) until every data key is rewrapped.
/// With neither set, a key file is generated under the data folder (mode 600) — only for the embedded (demo)
/// database and for Development/Testing; elsewhere start-up fails rather than orphan encrypted data (R21).
/// </summary>
internal sealed class KeyEncryptionKeys
{
    public const string Section = "Encryption";

    public KeyEncryptionKeys(byte[] current, IEnumerable<byte[]> previous)
    {
        Current = new Kek(current);
        All = [Current, .. previous.Select(k => new Kek(k)).Where(k => k.Id != Current.Id)];
    }

    public Kek Current { get; }
    public IReadOnlyList<Kek> All { get; }

    public sealed class Kek
    {
        public Kek(byte[] key)
        {
            if (key.Length != 32) throw new InvalidOperationException("An encryption key must be 32 bytes (base64 of 32 random bytes).");
            Key = key;
            Id = Convert.ToHexStringLower(SHA256.HashData(key))[..8];
        }

        public string Id { get; }
        public byte[] Key { get; }
    }

    public static KeyEncryptionKeys FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(Section);
        var previous = section.GetSection("PreviousKeys").Get<string[]>()?.Select(Convert.FromBase64String)
            .Concat(section.GetSection("PreviousKeyFiles").Get<string[]>()?.Select(ReadKeyFile) ?? []) ?? [];
        if (section["Key"] is { Length: > 0 } inline) return new(Convert.FromBase64String(inline), previous.ToList());
        if (section["KeyFile"] is { Length: > 0 } file) return new(ReadKeyFile(file), previous.ToList());

        var embedded = configuration.GetValue("Database:Embedded", false);
        if (!embedded && !environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
        {
            throw new InvalidOperationException("No encryption key configured: set Encryption:Key or Encryption:KeyFile.");
        }
        var path = Path.Combine(DataDirectory.Resolve(configuration), "keys", "field-encryption.key");
        if (!File.Exists(path)) Generate(path);
        return new(ReadKeyFile(path), previous.ToList());
    }

    /// <summary>Reads a key file; a missing or unreadable file fails start-up (fail closed, never a fresh key).</summary>
    private static byte[] ReadKeyFile(string path) => Convert.FromBase64String(File.ReadAllText(path).Trim());

    private static void Generate(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process generated it first; use theirs.
        }
    }
}
