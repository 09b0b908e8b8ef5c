using System.IO.Compression;
using System.Net;
using AngleSharp.Html.Parser;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using ZXing;
using ZXing.Common;

namespace JobMatch.Tests.Identity;

/// <summary>The enrolment page's QR code carries exactly the otpauth URI, read back by a real QR decoder (ZXing).</summary>
[Collection(PostgresCollection.Name)]
public sealed class SetupQrCodeTests(PostgresFixture database)
{
    [Fact]
    public void Png_DecodesToTheOtpauthUri()
    {
        var uri = AuthenticatorEnrolment.OtpAuthUri("case.worker@example.org", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

        Assert.Equal(uri, Decode(SetupQrCode.Png(uri)));
    }

    [Fact]
    public async Task EnrolmentPage_ShowsTheQrCodeOfItsOwnSetupLink_NextToTheTypedKey()
    {
        await using var app = new JobMatchApp(database);
        var org = await app.CreateOrganisationAsync("case_agency");
        var user = await app.CreateUserAsync(Roles.CaseWorker, org, withAuthenticator: false);
        using var client = app.CreatePlainClient();
        var token = await JobMatchApp.FormTokenAsync(client, "/account/login");
        var login = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user.UserName, ["Password"] = JobMatchApp.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(login.Headers.Location!.OriginalString));

        var uri = WebUtility.HtmlDecode(page.GetElementById("setup-uri")!.TextContent.Trim());
        Assert.StartsWith("otpauth://totp/", uri);
        Assert.Equal(SetupQrCode.SvgDataUri(uri), page.GetElementById("setup-qr")!.GetAttribute("src"));
        Assert.False(string.IsNullOrEmpty(page.GetElementById("setup-qr")!.GetAttribute("alt")));
        Assert.NotNull(page.GetElementById("setup-key"));
        Assert.Equal(uri, Decode(SetupQrCode.Png(uri)));
    }

    /// <summary>Decodes a PNG (as QRCoder writes it: 8-bit, no interlace) to grey pixels and reads the QR code in it.</summary>
    private static string? Decode(byte[] png)
    {
        var (width, height, pixels) = Rasterise(png);
        var source = new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var result = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
            new Dictionary<DecodeHintType, object> { [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE } });
        return result?.Text;
    }

    private static (int Width, int Height, byte[] Grey) Rasterise(byte[] png)
    {
        int width = 0, height = 0, bitDepth = 0, colourType = 0;
        byte[] palette = [];
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
                height = (data[4] << 24) | (data[5] << 16) | (data[6] << 8) | data[7];
                (bitDepth, colourType) = (data[8], data[9]);
            }
            else if (type == "PLTE") palette = data.ToArray();
            else if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(new MemoryStream(idat.ToArray()), CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        var channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new NotSupportedException($"colour type {colourType}") };
        var bitsPerPixel = channels * bitDepth;
        var stride = (width * bitsPerPixel + 7) / 8;
        var bpp = Math.Max(1, bitsPerPixel / 8);
        var previous = new byte[stride];
        var grey = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? line[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                line[i] = (byte)(line[i] + filter switch
                {
                    0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"filter {filter}"),
                });
            }
            for (var x = 0; x < width; x++)
            {
                var sample = bitDepth < 8 ? (line[x * bitDepth / 8] >> (8 - bitDepth - (x * bitDepth % 8))) & ((1 << bitDepth) - 1) : line[x * bpp];
                grey[y * width + x] = colourType == 3 ? palette[sample * 3] : bitDepth < 8 ? (byte)(sample * 255 / ((1 << bitDepth) - 1)) : (byte)sample;
            }
            previous = line;
        }
        return (width, height, grey);
    }

    private static int Paeth(int a, int b, int c)
    {
        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
