using SkiaSharp;
using Svg.Skia;

// Renders every wwwroot/images/samples/*.svg to a JPEG of the same name and size beside it. The SVGs are the
// source (small, reviewable, drawn by hand); the JPEGs are what articles reference, because WeChat and most share
// cards ignore SVG. Run again after changing a drawing and commit both: dotnet run --project tools/sample-images
const int Quality = 85;

var root = args.Length > 0 ? args[0] : FindRepositoryRoot();
var folder = Path.Combine(root, "src", "PovertyNews.Web", "wwwroot", "images", "samples");
var svgs = Directory.GetFiles(folder, "*.svg").Order(StringComparer.Ordinal).ToList();
if (svgs.Count == 0)
{
    Console.Error.WriteLine($"sample-images: no SVG in {folder}");
    return 1;
}
foreach (var path in svgs)
{
    using var svg = new SKSvg();
    var picture = svg.Load(path) ?? throw new InvalidOperationException($"{path} could not be read as SVG");
    var bounds = picture.CullRect;
    var (width, height) = ((int)Math.Round(bounds.Width), (int)Math.Round(bounds.Height));
    using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
    var canvas = surface.Canvas;
    // JPEG has no transparency: what the drawing leaves open is white, as on the page.
    canvas.Clear(SKColors.White);
    canvas.Translate(-bounds.Left, -bounds.Top);
    canvas.DrawPicture(picture);
    canvas.Flush();
    using var image = surface.Snapshot();
    using var pixels = image.PeekPixels();
    using var jpeg = pixels.Encode(new SKJpegEncoderOptions(Quality)) ?? throw new InvalidOperationException($"{path}: JPEG encoding failed");
    var target = Path.ChangeExtension(path, ".jpg");
    using (var file = File.Create(target))
    {
        jpeg.SaveTo(file);
    }
    Console.WriteLine($"{Path.GetRelativePath(root, target)}: {width}x{height}, {jpeg.Size / 1024} KB");
}
return 0;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("Run inside the repository (PovertyNews.sln not found above the current folder)");
}
