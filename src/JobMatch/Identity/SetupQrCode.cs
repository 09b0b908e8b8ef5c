using System.Text;
using QRCoder;

namespace JobMatch.Identity;

/// <summary>
/// The authenticator setup link (otpauth://…) as a QR code, drawn on the server: an SVG for the page (as a data: image,
/// which the CSP allows without inline script or style) and PNG bytes of the same code for checking it decodes.
/// </summary>
internal static class SetupQrCode
{
    public static string SvgDataUri(string otpauthUri)
    {
        using var data = Encode(otpauthUri);
        var svg = new SvgQRCode(data).GetGraphic(5);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }

    public static byte[] Png(string otpauthUri)
    {
        using var data = Encode(otpauthUri);
        return new PngByteQRCode(data).GetGraphic(5);
    }

    private static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}
