using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Domain;
using SkiaSharp;

namespace PovertyNews.Web.Media.Sharing;

/// <summary>The site's name and tagline as the default share image shows them.</summary>
public sealed record SiteText(string Name, string? Tagline);

/// <summary>
/// The share images (og:image) of articles and of the site, as JPEG files of 1200 × 630 drawn once and kept in the
/// media folder (<c>.share/</c>, hidden from <c>/media/</c>; every node of a cluster shares it). A file is named by a
/// hash of what it is drawn from (the picture's URL, the site's name and tagline, <see cref="RenderVersion"/>), and the
/// pages link it with that hash as <c>?v=</c>: a new cover is a new address, so the answer can be cached for a year.
/// </summary>
/// <remarks>
/// Only pictures the site holds are drawn: originals of the media library and images under wwwroot (the samples).
/// External addresses are never fetched (no requests to hosts an editor typed), and an SVG, which share cards ignore,
/// is not a picture here either: both get the default image. At most <see cref="ShareOptions.MaxConcurrentRenders"/>
/// images are drawn at once, on the media library's low-priority workers, and a flood of requests for one image that
/// is not drawn yet draws it once.
/// </remarks>
public sealed class ShareImages : IDisposable
{
    /// <summary>Raise when the drawing changes, so every share image is drawn again under a new address.</summary>
    public const int RenderVersion = 1;

    private static readonly string[] PictureExtensions = [".jpg", ".jpeg", ".png", ".webp"];

    private readonly ShareOptions _options;
    private readonly MediaStore _store;
    private readonly ImageProcessor _processor;
    private readonly IFileProvider _webRoot;
    private readonly long _maxPixels;
    private readonly ILogger<ShareImages> _logger;
    private readonly SemaphoreSlim _turns;
    private readonly ConcurrentDictionary<string, Task<string?>> _drawing = new();
    private readonly Lazy<SKTypeface?> _font;

    public ShareImages(IOptions<ShareOptions> options, IOptions<MediaOptions> media, MediaStore store, ImageProcessor processor,
        IWebHostEnvironment environment, ILogger<ShareImages> logger)
    {
        _options = options.Value;
        _store = store;
        _processor = processor;
        _webRoot = environment.WebRootFileProvider;
        _maxPixels = media.Value.MaxPixels;
        _logger = logger;
        _turns = new SemaphoreSlim(_options.MaxConcurrentRenders);
        _font = new Lazy<SKTypeface?>(FindFont);
        Folder = Path.Combine(store.Folder, ".share");
    }

    /// <summary>Where the drawn images are kept.</summary>
    public string Folder { get; }

    /// <summary>The picture that stands for an article: its cover, or a video's poster.</summary>
    public static string? SourceOf(string? coverUrl, string? posterUrl) =>
        !string.IsNullOrWhiteSpace(coverUrl) ? coverUrl : string.IsNullOrWhiteSpace(posterUrl) ? null : posterUrl;

    /// <summary>The site-relative address of an article's share image (matches the endpoint in <see cref="ShareEndpoints"/>).</summary>
    public static string ArticlePath(int articleId, string? source, SiteText site) =>
        string.Create(CultureInfo.InvariantCulture, $"/articles/{articleId}/share.jpg?v={Version(source, site)}");

    /// <summary>The site-relative address of the site's default share image.</summary>
    public static string DefaultPath(SiteText site) => $"/share/default.jpg?v={Version(null, site)}";

    /// <summary>Names what an image is drawn from; the file's name and the address's <c>v</c>.</summary>
    public static string Version(string? source, SiteText site)
    {
        var key = string.Join('\n', RenderVersion.ToString(CultureInfo.InvariantCulture), source ?? "", site.Name, site.Tagline ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>
    /// The file of the share image drawn from <paramref name="source"/> (null: the default), drawn now if it is not on
    /// disk yet; null when the drawing queue stayed full for <see cref="ShareOptions.QueueTimeoutSeconds"/>.
    /// </summary>
    public async Task<string?> FileAsync(string? source, SiteText site, CancellationToken ct)
    {
        var version = Version(source, site);
        var path = Path.Combine(Folder, version + ".jpg");
        if (File.Exists(path))
        {
            return path;
        }
        // One drawing per image however many ask; it is not cancelled with the request that started it.
        var drawing = _drawing.GetOrAdd(version, _ => Task.Run(() => DrawAsync(version, source, site, path)));
        return await drawing.WaitAsync(ct);
    }

    private async Task<string?> DrawAsync(string version, string? source, SiteText site, string path)
    {
        try
        {
            if (!await _turns.WaitAsync(TimeSpan.FromSeconds(_options.QueueTimeoutSeconds)))
            {
                _logger.LogWarning("Share image {Version} not drawn: {Count} drawings already running and none finished in time",
                    version, _options.MaxConcurrentRenders);
                return null;
            }
            try
            {
                if (!File.Exists(path))
                {
                    using var jpeg = await _processor.Workers.RunAsync(() => Draw(source, site), CancellationToken.None);
                    Save(path, jpeg);
                }
                return path;
            }
            finally
            {
                _turns.Release();
            }
        }
        finally
        {
            _drawing.TryRemove(version, out _);
        }
    }

    private SKData Draw(string? source, SiteText site)
    {
        using var cover = LoadPicture(source);
        if (cover is not null)
        {
            return ShareImageRenderer.Cover(cover, _options.JpegQuality);
        }
        var font = _font.Value is { } found && HasGlyphs(found, site.Name) ? found : null;
        var tagline = font is not null && site.Tagline is { } t && HasGlyphs(font, t) ? t : null;
        return ShareImageRenderer.Default(site.Name, tagline, font, _options.JpegQuality);
    }

    private void Save(string path, SKData jpeg)
    {
        Directory.CreateDirectory(Folder);
        // Written aside and moved into place: a reader never gets half a file.
        var temporary = Path.Combine(_store.TemporaryFolder, "share-" + Guid.NewGuid().ToString("N"));
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(jpeg.AsSpan());
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The picture at a site address, decoded no larger than the share image needs; null for anything else.</summary>
    private SKImage? LoadPicture(string? source)
    {
        try
        {
            using var data = OpenPicture(source);
            return data is null ? null : Decode(data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            // A broken cover must not break the shared link: the card stands in.
            _logger.LogWarning(e, "Share image: the picture {Source} could not be read; the default is used", source);
            return null;
        }
    }

    private SKData? OpenPicture(string? source)
    {
        if (source is null)
        {
            return null;
        }
        if (MediaName.TryParseUrl(source, out var name))
        {
            return _store.OriginalOf(name.Value.Key) is { } original ? SKData.Create(original) : null;
        }
        var path = source.Split('?', '#')[0];
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\')
            || !PictureExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            return null; // external, relative, or not a raster picture (an SVG)
        }
        // The provider refuses paths that climb out of wwwroot.
        var file = _webRoot.GetFileInfo(Uri.UnescapeDataString(path));
        if (!file.Exists || file.IsDirectory)
        {
            return null;
        }
        using var stream = file.CreateReadStream();
        return SKData.Create(stream);
    }

    private SKImage? Decode(SKData data)
    {
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return null;
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || (long)width * height > _maxPixels)
        {
            return null;
        }
        // JPEG decodes at 1/2, 1/4 or 1/8 for a fraction of the memory and time; only a size that is still enough counts.
        var scale = CoverFit.DecodeScale(width, height, ShareImageRenderer.Width, ShareImageRenderer.Height);
        var scaled = codec.GetScaledDimensions(scale);
        if (scaled.Width < width * scale - 1 || scaled.Height < height * scale - 1)
        {
            scaled = codec.Info.Size;
        }
        var info = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            return null;
        }
        var result = codec.GetPixels(info, bitmap.GetPixels());
        return result is SKCodecResult.Success or SKCodecResult.IncompleteInput ? SKImage.FromBitmap(bitmap) : null;
    }

    /// <summary>The first configured font that has Chinese characters, its Simplified Chinese face in a collection.</summary>
    private SKTypeface? FindFont()
    {
        foreach (var file in _options.FontFiles.Where(File.Exists))
        {
            var faces = new List<SKTypeface>();
            for (var index = 0; index < 16 && SKTypeface.FromFile(file, index) is { } face; index++)
            {
                faces.Add(face);
            }
            var chosen = faces.FirstOrDefault(f => f.FamilyName.EndsWith(" SC", StringComparison.Ordinal) && HasGlyphs(f, "扶贫新闻网"))
                ?? faces.FirstOrDefault(f => HasGlyphs(f, "扶贫新闻网"));
            foreach (var face in faces.Where(f => f != chosen))
            {
                face.Dispose();
            }
            if (chosen is not null)
            {
                _logger.LogInformation("Share images use the font {Family} from {File}", chosen.FamilyName, file);
                return chosen;
            }
        }
        _logger.LogWarning("No font with Chinese characters among PovertyNews:Sharing:FontFiles; the default share image shows the emblem without the site's name");
        return null;
    }

    private static bool HasGlyphs(SKTypeface typeface, string text)
    {
        using var font = new SKFont(typeface);
        return font.ContainsGlyphs(text);
    }

    public void Dispose()
    {
        _turns.Dispose();
        if (_font.IsValueCreated)
        {
            _font.Value?.Dispose();
        }
    }
}
