using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using QRCoder;

namespace PovertyNews.Web.Media.Sharing;

/// <summary>
/// The QR code of an article's address ("扫一扫在手机上阅读"), as SVG: about 5 KB for a typical address, sharp at any
/// size and in print. Error correction M (15 %) is what phone cameras read off a screen. The article page shows it as
/// an image (<c>/articles/{id}/qr.svg?v=</c>, see <see cref="ShareEndpoints"/>) rather than inline: choosing the mask
/// (QRCoder scores all eight) took a seventh of an uncached article page's processor time, paid by every crawler's
/// request for a picture few readers open; as an image it is drawn when a browser asks for it and then kept for a year.
/// </summary>
public static class QrCodes
{
    public const string ContentType = "image/svg+xml";

    public static string Svg(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        // One unit per module; the page gives the size, the viewBox keeps it square.
        return new SvgQRCode(data).GetGraphic(1);
    }

    /// <summary>The <c>?v=</c> of the address's code: a new address (a changed slug or site address) is a new image URL.</summary>
    public static string Version(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..16];

    public static string Path(int articleId, string url) =>
        string.Create(CultureInfo.InvariantCulture, $"/articles/{articleId}/qr.svg?v={Version(url)}");
}
