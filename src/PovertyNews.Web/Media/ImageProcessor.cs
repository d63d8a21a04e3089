using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using SkiaSharp;

namespace PovertyNews.Web.Media;

/// <summary>An upload the library refuses; the message is shown to the uploader, in Chinese.</summary>
public sealed class MediaRejectedException(string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>One encoded rendition; its bytes are native memory, released by <see cref="Dispose"/>.</summary>
public sealed record ImageRendition(int Width, int Height, SKData Encoded) : IDisposable
{
    public void Dispose() => Encoded.Dispose();
}

/// <summary>
/// The result of <see cref="ImageProcessor.Process"/>: the re-encoded image and its renditions. Their bytes stay in
/// Skia's native buffers until written to disk and are released at <see cref="Dispose"/>: as managed arrays, each
/// upload left 5–15 MB on the large-object heap until the next full collection, and 32 uploads at once piled them up.
/// </summary>
public sealed record ProcessedImage(
    string SourceFormat,
    bool WasAnimated,
    string Extension,
    string ContentType,
    int Width,
    int Height,
    SKData Encoded,
    IReadOnlyList<ImageRendition> Renditions,
    string Sha256) : IDisposable
{
    public void Dispose()
    {
        Encoded.Dispose();
        foreach (var rendition in Renditions)
        {
            rendition.Dispose();
        }
    }
}

/// <summary>
/// Checks an upload and re-encodes it with SkiaSharp. The format is recognised from the file's first bytes and
/// confirmed by Skia's codec (never from the name or the client's content type); the pixel count is read from the
/// header before any pixels are allocated; the pixels are then decoded completely (a truncated file is refused),
/// turned upright by the EXIF orientation, and encoded again, so nothing of the original file but its pixels
/// survives (no EXIF, GPS, comments or trailing data). An upright JPEG is not encoded again: its compressed pixels are
/// kept as they came and only its metadata is left out (<see cref="JpegMetadata"/>), and the check decodes it at a
/// reduced scale, the one its renditions are made from. Animated GIFs keep their first frame, stored as PNG, because
/// Skia has no GIF encoder and news pages show still pictures.
/// </summary>
public sealed class ImageProcessor(IOptions<MediaOptions> options, ILogger<ImageProcessor>? logger = null)
{
    /// <summary>WebP cannot hold a side longer than this; the library keeps every stored file re-encodable as WebP.</summary>
    public const int MaxSide = 16383;

    // Decoding a 40-megapixel image takes 160 MB and a core for a second or two: a few at a time, not one per request,
    // and behind the readers' requests when both want a core.
    private readonly Lazy<LowPriorityWorkers> _workers = new(() => new LowPriorityWorkers("image",
        Math.Max(1, Environment.ProcessorCount / 2), (ILogger?)logger ?? NullLogger.Instance));

    private MediaOptions Options => options.Value;

    /// <summary>The threads uploads are decoded on, and how many of them run at the lower priority.</summary>
    public LowPriorityWorkers Workers => _workers.Value;

    public Task<ProcessedImage> ProcessAsync(byte[] data, CancellationToken ct) => Workers.RunAsync(() => Process(data), ct);

    /// <summary>
    /// Processes the upload in the file at <paramref name="path"/> (the library's temporary copy). Skia reads the file
    /// through a stream instead of mapping it: the mapped pages of a 10 MB upload counted in the resident set for as
    /// long as the decode ran, on top of the bitmap. The workers bound how many decode at once.
    /// </summary>
    public Task<ProcessedImage> ProcessAsync(string path, CancellationToken ct) => Workers.RunAsync(() =>
    {
        var head = new byte[1024];
        int length;
        string sha;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            file.Position = 0;
            sha = Convert.ToHexStringLower(SHA256.HashData(file));
        }
        return Process(head.AsSpan(0, length), () => SKCodec.Create(path),
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1), sha, path + ".encoded");
    }, ct);

    /// <summary>A rendition of a stored image made on the workers (a reader asked for a width not on disk yet).</summary>
    public Task<ImageRendition> MakeRenditionAsync(string storedPath, int width, CancellationToken ct) =>
        Workers.RunAsync(() => MakeRendition(File.ReadAllBytes(storedPath), width), ct);

    public ProcessedImage Process(byte[] data)
    {
        using var skData = SKData.CreateCopy(data);
        return Process(data, () => SKCodec.Create(skData), () => new MemoryStream(data, writable: false),
            Convert.ToHexStringLower(SHA256.HashData(data)), scratchPath: null);
    }

    /// <param name="openStream">The upload's bytes, for copying a JPEG without its metadata.</param>
    /// <param name="scratchPath">Where the stored image is written, if anywhere (see <see cref="EncodeToFile"/>).</param>
    private ProcessedImage Process(ReadOnlySpan<byte> head, Func<SKCodec?> openCodec, Func<Stream> openStream, string sha, string? scratchPath)
    {
        var format = Sniff(head) ?? throw new MediaRejectedException(DescribeUnsupported(head), StatusCodes.Status415UnsupportedMediaType);
        using var codec = openCodec()
            ?? throw new MediaRejectedException("图片文件已损坏或不完整，无法读取。");
        if (FormatName(codec.EncodedFormat) != format)
        {
            throw new MediaRejectedException("文件内容与图片格式不符，无法读取。", StatusCodes.Status415UnsupportedMediaType);
        }

        // The header's size decides before a single pixel is allocated.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            throw new MediaRejectedException("图片文件已损坏或不完整，无法读取。");
        }
        var pixels = (long)width * height;
        if (pixels > Options.MaxPixels)
        {
            throw new MediaRejectedException(
                $"图片尺寸过大（{width:N0} × {height:N0} 像素，约 {pixels / 1_000_000.0:0.#} 百万像素），上限为 {Options.MaxPixels / 1_000_000.0:0.#} 百万像素，请缩小后再上传。",
                StatusCodes.Status413PayloadTooLarge);
        }
        if (width > MaxSide || height > MaxSide)
        {
            throw new MediaRejectedException($"图片的宽或高超过 {MaxSide:N0} 像素（{width:N0} × {height:N0}），请缩小后再上传。",
                StatusCodes.Status413PayloadTooLarge);
        }

        var wasAnimated = format == "gif" && codec.FrameCount > 1;
        var (extension, contentType, encodedFormat) = format switch
        {
            "jpeg" => ("jpg", "image/jpeg", SKEncodedImageFormat.Jpeg),
            "webp" => ("webp", "image/webp", SKEncodedImageFormat.Webp),
            _ => ("png", "image/png", SKEncodedImageFormat.Png), // PNG, and GIF (no GIF encoder)
        };
        var swap = IsSwapped(codec.EncodedOrigin);
        var (uprightWidth, uprightHeight) = swap ? (height, width) : (width, height);
        var widths = Options.Widths.Where(w => w < uprightWidth).ToList();

        // An upright JPEG is stored as it came, less its metadata; only a turned one needs its pixels re-encoded.
        if (encodedFormat == SKEncodedImageFormat.Jpeg && codec.EncodedOrigin == SKEncodedOrigin.TopLeft
            && StoreJpegAsItCame(openStream, scratchPath) is { } stripped)
        {
            return ProcessStrippedJpeg(format, stripped, widths, sha);
        }

        // A JPEG's renditions come from a second decode that libjpeg scales down in the DCT (to a half, a quarter or an
        // eighth, still at least as wide as the widest rendition), made after the full-size bitmap is gone: the
        // 12-megapixel photo and its 12 MB half were otherwise in memory together, 60 MB for each upload.
        var scale = encodedFormat == SKEncodedImageFormat.Jpeg && widths.Count > 0 ? RenditionScale(codec, swap, widths.Max()) : 1f;

        SKData encoded;
        List<ImageRendition>? renditions = null;
        using (var upright = DecodeUpright(codec, codec.Info.Size))
        {
            encoded = scratchPath is null ? Encode(upright, encodedFormat) : EncodeToFile(upright, encodedFormat, scratchPath);
            if (scale == 1f)
            {
                try
                {
                    renditions = MakeRenditions(upright, widths);
                }
                catch
                {
                    encoded.Dispose();
                    throw;
                }
            }
        }
        try
        {
            if (renditions is null)
            {
                using var scaled = DecodeUpright(codec, codec.GetScaledDimensions(scale));
                renditions = MakeRenditions(scaled, widths, uprightWidth, uprightHeight);
            }
            return new ProcessedImage(format, wasAnimated, extension, contentType, uprightWidth, uprightHeight, encoded, renditions, sha);
        }
        catch
        {
            encoded.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The upload without its metadata (<see cref="JpegMetadata"/>), in memory or, with <paramref name="scratchPath"/>, in
    /// a file opened for the codec and mapped for the store, then deleted; null when its segments are not a JPEG's, so
    /// that the decode decides (refused, or re-encoded as before).
    /// </summary>
    private static (SKData Data, Func<SKCodec?> OpenCodec)? StoreJpegAsItCame(Func<Stream> openStream, string? scratchPath)
    {
        if (scratchPath is null)
        {
            using var memory = new MemoryStream();
            using (var input = openStream())
            {
                if (!JpegMetadata.TryStrip(input, memory))
                {
                    return null;
                }
            }
            var data = SKData.CreateCopy(memory.GetBuffer().AsSpan(0, (int)memory.Length));
            return (data, () => SKCodec.Create(data));
        }
        try
        {
            using (var input = openStream())
            using (var output = new FileStream(scratchPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
            {
                if (!JpegMetadata.TryStrip(input, output))
                {
                    return null;
                }
            }
            // The codec reads the file through a stream of its own (the mapped pages would count while decoding); the
            // open descriptor keeps the file readable after it is deleted below.
            var codec = SKCodec.Create(scratchPath);
            var mapped = SKData.Create(scratchPath);
            if (mapped is null)
            {
                codec?.Dispose();
                throw new IOException($"The stripped image at {scratchPath} could not be read back.");
            }
            return (mapped, () => codec);
        }
        finally
        {
            File.Delete(scratchPath);
        }
    }

    /// <summary>
    /// Checks the stored JPEG by decoding all of it at a reduced scale (libjpeg reads every coefficient, so a truncated or
    /// damaged scan is refused as before) and makes the renditions from that decode.
    /// </summary>
    private ProcessedImage ProcessStrippedJpeg(string format, (SKData Data, Func<SKCodec?> OpenCodec) stripped, List<int> widths, string sha)
    {
        try
        {
            using var codec = stripped.OpenCodec() ?? throw new MediaRejectedException("图片文件已损坏或不完整，无法读取。");
            var (width, height) = (codec.Info.Width, codec.Info.Height);
            var scale = widths.Count > 0 ? RenditionScale(codec, swap: false, widths.Max()) : 0.125f;
            var size = codec.GetScaledDimensions(scale);
            using var scaled = Decode(codec, size.Width, size.Height);
            var renditions = MakeRenditions(scaled, widths, width, height);
            return new ProcessedImage(format, false, "jpg", "image/jpeg", width, height, stripped.Data, renditions, sha);
        }
        catch
        {
            stripped.Data.Dispose();
            throw;
        }
    }

    /// <summary>The pixels decoded at <paramref name="size"/> (the codec's own or one of its scaled sizes), turned upright.</summary>
    private static SKBitmap DecodeUpright(SKCodec codec, SKSizeI size)
    {
        var decoded = Decode(codec, size.Width, size.Height);
        if (codec.EncodedOrigin is SKEncodedOrigin.TopLeft)
        {
            return decoded;
        }
        using (decoded)
        {
            return Orient(decoded, codec.EncodedOrigin);
        }
    }

    /// <summary>
    /// The smallest of the codec's DCT scales (1/2, 1/4, 1/8) whose upright width still reaches <paramref name="widest"/>;
    /// 1 when none does or the codec cannot scale.
    /// </summary>
    private static float RenditionScale(SKCodec codec, bool swap, int widest)
    {
        var best = 1f;
        foreach (var scale in (ReadOnlySpan<float>)[0.5f, 0.25f, 0.125f])
        {
            var size = codec.GetScaledDimensions(scale);
            var uprightWidth = swap ? size.Height : size.Width;
            if (size.Width >= codec.Info.Width || uprightWidth < widest)
            {
                break;
            }
            best = scale;
        }
        return best;
    }

    private static bool IsSwapped(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>One WebP rendition of a stored image (for a width configured after it was uploaded).</summary>
    public ImageRendition MakeRendition(byte[] stored, int width)
    {
        using var bitmap = SKBitmap.Decode(stored) ?? throw new MediaRejectedException("图片文件已损坏，无法读取。");
        return MakeRenditions(bitmap, [width]).Single();
    }

    /// <summary>jpeg, png, gif or webp from the file's signature; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return "jpeg";
        }
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "png";
        }
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return "gif";
        }
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "webp";
        }
        return null;
    }

    private static string? FormatName(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => "jpeg",
        SKEncodedImageFormat.Png => "png",
        SKEncodedImageFormat.Gif => "gif",
        SKEncodedImageFormat.Webp => "webp",
        _ => null,
    };

    /// <summary>A message that says what the file seems to be, so "why not my SVG?" has an answer.</summary>
    private static string DescribeUnsupported(ReadOnlySpan<byte> data)
    {
        var head = System.Text.Encoding.UTF8.GetString(data[..Math.Min(data.Length, 1024)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n')
            .ToLowerInvariant();
        if (head.Contains("<svg", StringComparison.Ordinal))
        {
            return "不能上传 SVG 矢量图（可能含有脚本）。请导出为 PNG 或 JPEG 后再上传。";
        }
        if (head.StartsWith('<'))
        {
            return "文件内容是网页或文本，不是图片。只能上传 JPEG、PNG、WebP 或 GIF 图片。";
        }
        return "不支持的文件格式。只能上传 JPEG、PNG、WebP 或 GIF 图片（按文件内容识别，与扩展名无关）。";
    }

    private static SKBitmap Decode(SKCodec codec, int width, int height)
    {
        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var info = new SKImageInfo(width, height, SKImageInfo.PlatformColorType, alpha, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            bitmap.Dispose();
            throw new MediaRejectedException("服务器暂时无法处理这么大的图片，请缩小后再上传。", StatusCodes.Status413PayloadTooLarge);
        }
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new MediaRejectedException(result == SKCodecResult.IncompleteInput
                ? "图片数据不完整（文件可能在传输中被截断），请重新导出后再上传。"
                : "图片文件已损坏，无法读取。");
        }
        return bitmap;
    }

    /// <summary>The pixels as they should be seen: cameras store them sideways and say so in EXIF.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        float w = source.Width, h = source.Height;
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        // Maps stored pixel (x, y) to where it is seen: x' = a·x + b·y + c, y' = d·x + e·y + f.
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),     // mirrored
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1), // turned 180°
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),   // flipped
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),       // transposed
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),     // turned 90° clockwise
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1), // transversed
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),   // turned 90° anticlockwise
            _ => SKMatrix.Identity,
        };
        var info = source.Info.WithSize(swap ? source.Height : source.Width, swap ? source.Width : source.Height);
        var target = new SKBitmap(info);
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.Transparent);
        canvas.SetMatrix(matrix);
        canvas.DrawBitmap(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        canvas.Flush();
        return target;
    }

    /// <summary>
    /// Encodes into a file, deleted at once and read back mapped: Skia's in-memory encoder collects the output in pieces
    /// and copies them into one buffer at the end, so a 9 MB JPEG took 18 MB beside the 48 MB bitmap. The mapping's pages
    /// are read when the store copies them, after the bitmap is gone.
    /// </summary>
    private SKData EncodeToFile(SKBitmap bitmap, SKEncodedImageFormat format, string path)
    {
        try
        {
            using (var pixmap = bitmap.PeekPixels())
            using (var file = new SKFileWStream(path))
            {
                var written = file.IsValid && format switch
                {
                    SKEncodedImageFormat.Jpeg => pixmap.Encode(file, new SKJpegEncoderOptions(Options.JpegQuality)),
                    SKEncodedImageFormat.Webp => pixmap.Encode(file, new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, Options.WebpQuality)),
                    _ => pixmap.Encode(file, SKPngEncoderOptions.Default),
                };
                if (!written)
                {
                    throw new MediaRejectedException("图片无法重新编码，请换一个文件。");
                }
            }
            return SKData.Create(path) ?? throw new IOException($"The encoded image at {path} could not be read back.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private SKData Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var pixmap = bitmap.PeekPixels();
        var data = format switch
        {
            SKEncodedImageFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(Options.JpegQuality)),
            SKEncodedImageFormat.Webp => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, Options.WebpQuality)),
            _ => pixmap.Encode(SKPngEncoderOptions.Default),
        };
        return data ?? throw new MediaRejectedException("图片无法重新编码，请换一个文件。");
    }

    /// <summary>
    /// WebP renditions, widest first, each scaled from the one before by halving and a final linear step, so a large
    /// reduction (a 6000-pixel photo to 320) averages every pixel instead of sampling a few and aliasing. The heights
    /// follow the image's own proportions (<paramref name="imageWidth"/> × <paramref name="imageHeight"/>, unset: the
    /// source's), which a scaled decode rounds.
    /// </summary>
    private List<ImageRendition> MakeRenditions(SKBitmap source, IEnumerable<int> widths, int imageWidth = 0, int imageHeight = 0)
    {
        if (imageWidth == 0)
        {
            (imageWidth, imageHeight) = (source.Width, source.Height);
        }
        var result = new List<ImageRendition>();
        var current = source;
        try
        {
            foreach (var width in widths.Where(w => w < imageWidth && w <= source.Width).OrderDescending())
            {
                var height = Math.Max(1, (int)Math.Round(imageHeight * (double)width / imageWidth));
                while (current.Width >= width * 2)
                {
                    var half = Scale(current, Math.Max(width, current.Width / 2),
                        Math.Max(height, (int)Math.Round(current.Height / 2.0)));
                    Replace(ref current, half, source);
                }
                Replace(ref current, Scale(current, width, height), source);
                result.Add(new ImageRendition(width, height, Encode(current, SKEncodedImageFormat.Webp)));
            }
        }
        catch
        {
            result.ForEach(r => r.Dispose());
            throw;
        }
        finally
        {
            if (current != source)
            {
                current.Dispose();
            }
        }
        result.Reverse();
        return result;
    }

    private static SKBitmap Scale(SKBitmap source, int width, int height)
    {
        var target = new SKBitmap(source.Info.WithSize(width, height));
        if (!source.ScalePixels(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
        {
            target.Dispose();
            throw new MediaRejectedException("图片无法缩放，请换一个文件。");
        }
        return target;
    }

    private static void Replace(ref SKBitmap current, SKBitmap next, SKBitmap source)
    {
        if (current != source)
        {
            current.Dispose();
        }
        current = next;
    }
}
