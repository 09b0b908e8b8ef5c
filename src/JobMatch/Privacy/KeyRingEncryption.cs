using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace JobMatch.Privacy;

/// <summary>
/// Encrypts the ASP.NET Core Data Protection key ring (sign-in cookies, antiforgery tokens) before it is stored in the
/// <c>data_protection_key</c> table, with the same key-encryption key (KEK) that wraps the field-encryption data keys:
/// AES-256-GCM, a random nonce per key, the KEK id in the element so a rotated KEK (listed under
/// <c>Encryption:PreviousKeys</c>) still opens older keys. Without this, anyone who could read that table could forge
/// a sign-in cookie (Microsoft: an explicit key repository turns off at-rest encryption of the key ring).
/// </summary>
internal sealed class KeyRingEncryptor(KeyEncryptionKeys keks) : IXmlEncryptor
{
    public const string ElementName = "jobmatchEncryptedKey";
    private static readonly byte[] AssociatedData = "JobMatch.DataProtection.v1"u8.ToArray();

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var kek = keks.Current;
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[12 + plaintext.Length + 16];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(kek.Key, 16))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(12, plaintext.Length), sealedBytes.AsSpan(12 + plaintext.Length), AssociatedData);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(ElementName, new XAttribute("kek", kek.Id), Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }

    /// <summary>Opens what <see cref="Encrypt"/> sealed; a wrong or missing KEK throws (the key is then unusable, never guessed).</summary>
    public static XElement Decrypt(XElement encryptedElement, KeyEncryptionKeys keks)
    {
        var kekId = (string?)encryptedElement.Attribute("kek") ?? throw new CryptographicException("The encrypted key names no KEK.");
        var kek = keks.All.FirstOrDefault(k => k.Id == kekId)
            ?? throw new CryptographicException($"The key ring was encrypted with KEK {kekId}, which is not configured (Encryption:PreviousKeys).");
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[sealedBytes.Length - 28];
        using (var aes = new AesGcm(kek.Key, 16))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, plaintext.Length), sealedBytes.AsSpan(12 + plaintext.Length), plaintext, AssociatedData);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}

/// <summary>Created by Data Protection from the type name stored with each key, through its service-provider constructor.</summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        KeyRingEncryptor.Decrypt(encryptedElement, services.GetRequiredService<KeyEncryptionKeys>());
}
