using SkiaSharp;

namespace PovertyNews.Web.Generate;

/// <summary>
/// The sample content's video clips, made by the project itself (no camera footage, no ffmpeg): each frame is drawn
/// with SkiaSharp from the same shapes as the sample posters in wwwroot/images/samples, a slow pan with drifting
/// clouds, then encoded as a lossy WebP whose VP8 keyframe goes into a WebM (<see cref="WebmWriter"/>). No text is drawn:
/// the machine's fonts would decide the pixels, and the clip must come out the same everywhere.
/// <c>dotnet run --project src/PovertyNews.Web -- make-sample-video --scene aizhai --out content/media/aizhai-bridge.webm
/// --poster content/media/aizhai-bridge-poster.jpg</c>
/// </summary>
public static class SampleVideo
{
    public const int Width = 640, Height = 360;
    public const double FramesPerSecond = 10;
    public const int Frames = 80; // 8 seconds
    public const int WebpQuality = 45;

    public static readonly IReadOnlyList<string> Scenes = ["aizhai", "shibadong"];

    public const string Usage =
        """
        usage: make-sample-video --scene <aizhai|shibadong> --out <file.webm> [--poster <file.jpg>]
          Draws the sample clip (640×360, 8 s, 10 frames a second, VP8 in WebM) and optionally its poster (the middle
          frame as JPEG). The clips in content/media were made with it.
          生成示例视频（项目自绘画面，无需 ffmpeg）。
        """;

    /// <summary>The clip as WebM bytes, and the poster frame as JPEG.</summary>
    public static (byte[] Webm, byte[] PosterJpeg, WebmWriter Writer) Render(string scene)
    {
        Action<SKCanvas, double> draw = scene switch
        {
            "aizhai" => DrawBridge,
            "shibadong" => DrawVillage,
            _ => throw new ArgumentException($"Unknown scene '{scene}'.", nameof(scene)),
        };
        var writer = new WebmWriter(Width, Height, FramesPerSecond);
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(info);
        byte[]? poster = null;
        for (var i = 0; i < Frames; i++)
        {
            var t = i / (double)(Frames - 1);
            surface.Canvas.Clear(SKColors.Black);
            draw(surface.Canvas, t);
            using var image = surface.Snapshot();
            using var webp = image.Encode(SKEncodedImageFormat.Webp, WebpQuality);
            writer.AddWebpFrame(webp.AsSpan());
            if (i == Frames / 2)
            {
                using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 82);
                poster = jpeg.ToArray();
            }
        }
        return (writer.ToArray(), poster!, writer);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? scene = null, outFile = null, posterFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--scene": scene = value; i++; break;
                case "--out": outFile = value; i++; break;
                case "--poster": posterFile = value; i++; break;
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        if (scene is null || outFile is null || !Scenes.Contains(scene))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var (webm, poster, writer) = Render(scene);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        await File.WriteAllBytesAsync(outFile, webm);
        await output.WriteLineAsync($"{outFile}: {writer.FrameCount} frames, {writer.DurationSeconds:0.##} s, {webm.Length} bytes");
        if (posterFile is not null)
        {
            await File.WriteAllBytesAsync(posterFile, poster);
            await output.WriteLineAsync($"{posterFile}: {poster.Length} bytes");
        }
        return 0;
    }

    /// <summary>矮寨大桥: the suspension bridge between two cliffs (as in video-aizhai.svg), the camera panning across.</summary>
    private static void DrawBridge(SKCanvas canvas, double t)
    {
        DrawSky(canvas, t, new SKColor(0x1e, 0x2a, 0x38), new SKColor(0x4a, 0x6a, 0x8a));
        canvas.Save();
        // The drawing is 1280×720; show it at 0.62 scale, panning from the left to the right tower.
        var scale = 0.62f;
        var pan = (float)(-(1280 * scale - Width) * t);
        canvas.Translate(pan, (float)(-20 + 10 * t));
        canvas.Scale(scale);
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        fill.Color = new SKColor(0x2f, 0x4a, 0x3c);
        DrawPolygon(canvas, fill, (0, 346), (200, 346), (250, 420), (300, 560), (330, 720), (0, 720));
        DrawPolygon(canvas, fill, (1280, 346), (1080, 346), (1030, 430), (990, 560), (960, 720), (1280, 720));
        fill.Color = new SKColor(0x27, 0x38, 0x4a);
        DrawPolygon(canvas, fill, (380, 720), (470, 420), (560, 520), (640, 380), (730, 500), (820, 410), (900, 720));
        using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, Color = new SKColor(0xc9, 0xd3, 0xdd), StrokeCap = SKStrokeCap.Round };
        stroke.StrokeWidth = 7;
        using (var cable = new SKPathBuilder())
        {
            cable.MoveTo(60, 310);
            cable.LineTo(230, 150);
            cable.QuadTo(640, 470, 1050, 150);
            cable.LineTo(1220, 310);
            using var path = cable.Detach();
            canvas.DrawPath(path, stroke);
        }
        stroke.StrokeWidth = 3;
        for (var x = 271; x <= 1009; x += 41)
        {
            // Hangers from the parabola down to the deck.
            var u = (x - 230) / 820.0;
            var y = (1 - u) * (1 - u) * 150 + 2 * (1 - u) * u * 470 + u * u * 150;
            canvas.DrawLine(x, (float)Math.Min(y, 328), x, 330, stroke);
        }
        fill.Color = new SKColor(0xc9, 0xd3, 0xdd);
        canvas.DrawRect(0, 330, 1280, 16, fill);
        canvas.DrawRect(218, 140, 24, 206, fill);
        canvas.DrawRect(1038, 140, 24, 206, fill);
        // A car crossing the deck.
        fill.Color = new SKColor(0xd0, 0x4a, 0x3a);
        canvas.DrawRoundRect((float)(120 + 1000 * t), 318, 34, 13, 4, 4, fill);
        canvas.Restore();
        DrawClouds(canvas, t);
    }

    /// <summary>十八洞村: terraced hills and a row of houses (as in shibadong.svg), mist drifting by.</summary>
    private static void DrawVillage(SKCanvas canvas, double t)
    {
        DrawSky(canvas, t, new SKColor(0x6f, 0x9f, 0xc8), new SKColor(0xd8, 0xe8, 0xf0));
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        var pan = (float)(-60 * t);
        canvas.Save();
        canvas.Translate(pan, 0);
        fill.Color = new SKColor(0x4f, 0x7a, 0x4a);
        DrawPolygon(canvas, fill, (0, 230), (140, 150), (260, 200), (400, 120), (560, 190), (760, 140), (760, 360), (0, 360));
        fill.Color = new SKColor(0x6b, 0x95, 0x55);
        for (var row = 0; row < 4; row++)
        {
            // Terraced fields: bands of lighter green.
            canvas.DrawRect(0, 250 + row * 28, 760, 10, fill);
        }
        for (var i = 0; i < 6; i++)
        {
            var x = 90 + i * 95f;
            fill.Color = new SKColor(0x8b, 0x5a, 0x3c);
            canvas.DrawRect(x, 220, 60, 42, fill);
            fill.Color = new SKColor(0x3b, 0x3b, 0x44);
            DrawPolygon(canvas, fill, (x - 8, 222), (x + 30, 196), (x + 68, 222));
            fill.Color = new SKColor(0xf2, 0xd2, 0x7a);
            canvas.DrawRect(x + 22, 236, 14, 14, fill);
        }
        canvas.Restore();
        DrawClouds(canvas, t);
    }

    private static void DrawSky(SKCanvas canvas, double t, SKColor top, SKColor bottom)
    {
        using var sky = new SKPaint();
        sky.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, Height), [top, bottom], SKShaderTileMode.Clamp);
        canvas.DrawRect(0, 0, Width, Height, sky);
        using var sun = new SKPaint { IsAntialias = true, Color = new SKColor(0xf6, 0xd3, 0x6b) };
        canvas.DrawCircle(520, (float)(110 - 40 * t), 26, sun);
    }

    private static void DrawClouds(SKCanvas canvas, double t)
    {
        using var cloud = new SKPaint { IsAntialias = true, Color = new SKColor(0xff, 0xff, 0xff, 0xb0) };
        foreach (var (x, y, r) in new[] { (60.0, 60.0, 22.0), (300.0, 40.0, 18.0), (480.0, 80.0, 26.0) })
        {
            var cx = (float)((x + 140 * t) % (Width + 80));
            canvas.DrawOval(cx, (float)y, (float)(r * 2.2), (float)r, cloud);
            canvas.DrawOval(cx + (float)r, (float)y - (float)(r * 0.5), (float)(r * 1.4), (float)(r * 0.9), cloud);
        }
    }

    private static void DrawPolygon(SKCanvas canvas, SKPaint paint, params (float X, float Y)[] points)
    {
        using var path = Polygon(points);
        canvas.DrawPath(path, paint);
    }

    private static SKPath Polygon(params (float X, float Y)[] points)
    {
        using var builder = new SKPathBuilder();
        builder.MoveTo(points[0].X, points[0].Y);
        foreach (var (x, y) in points.Skip(1))
        {
            builder.LineTo(x, y);
        }
        builder.Close();
        return builder.Detach();
    }
}
