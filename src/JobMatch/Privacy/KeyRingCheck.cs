using System.Security.Cryptography;
using System.Xml.Linq;
using Dapper;
using Npgsql;

namespace JobMatch.Privacy;

/// <summary>
/// F10: a node whose key-encryption key (KEK) differs from the one the other nodes use, or that has none and made one
/// up, must not start. Otherwise it would make a new key ring and issue sign-in cookies the other nodes cannot read.
/// Checked at start-up against what is already in the database: the newest Data Protection key must open with this
/// node's KEKs. (Field data keys are not checked here: a KEK rotation legitimately leaves keys wrapped by old KEKs.)
/// </summary>
internal static class KeyRingCheck
{
    public static void EnsureKeyRingReadable(this WebApplication app)
    {
        var keks = app.Services.GetRequiredService<KeyEncryptionKeys>();
        using var connection = app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnection();
        if (Problem(connection, keks) is { } problem)
        {
            throw new InvalidOperationException(
                $"JobMatch will not start: {problem} This node's key-encryption key is {keks.Current.Id}. Give every node the same " +
                "Encryption:Key or Encryption:KeyFile (and the earlier ones under Encryption:PreviousKeys / PreviousKeyFiles); " +
                "a node with another key would issue sign-in cookies the other nodes cannot read.");
        }
    }

    private static string? Problem(NpgsqlConnection connection, KeyEncryptionKeys keks)
    {
        var newest = connection.QueryFirstOrDefault<string>("SELECT xml FROM data_protection_key ORDER BY created_at DESC LIMIT 1");
        if (newest is not null && XElement.Parse(newest).Descendants(KeyRingEncryptor.ElementName).FirstOrDefault() is { } sealedKey)
        {
            try
            {
                KeyRingEncryptor.Decrypt(sealedKey, keks);
            }
            catch (CryptographicException)
            {
                return $"the newest sign-in key in the database was encrypted with key-encryption key {(string?)sealedKey.Attribute("kek")}, which this node cannot open.";
            }
        }
        return null;
    }
}
