using SkiaSharp;

namespace PovertyNews.Web.Media.Sharing;

/// <summary>
/// The part of a picture that fills a frame of another shape without distortion (CSS's <c>object-fit: cover</c>): the
/// largest centred rectangle of the frame's aspect ratio, so the sides (a wide picture) or the top and bottom (a tall
/// one) are cut evenly.
/// </summary>
public static class CoverFit
{
    public static SKRect SourceRect(int sourceWidth, int sourceHeight, int frameWidth, int frameHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameHeight);
        // Compared as products, so equal ratios are recognised exactly.
        if ((long)sourceWidth * frameHeight > (long)frameWidth * sourceHeight)
        {
            // Wider than the frame: the full height, the middle of the width.
            var width = (float)sourceHeight * frameWidth / frameHeight;
            var left = (sourceWidth - width) / 2;
            return new SKRect(left, 0, left + width, sourceHeight);
        }
        var height = (float)sourceWidth * frameHeight / frameWidth;
        var top = (sourceHeight - height) / 2;
        return new SKRect(0, top, sourceWidth, top + height);
    }

    /// <summary>
    /// The scale at which to decode a picture so the frame still gets at least one source pixel per pixel: the ratio
    /// of the frame to the part of the picture it shows, capped at 1 (a small picture is enlarged, never decoded larger).
    /// </summary>
    public static float DecodeScale(int sourceWidth, int sourceHeight, int frameWidth, int frameHeight) =>
        Math.Min(1f, Math.Max((float)frameWidth / sourceWidth, (float)frameHeight / sourceHeight));
}
