using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using SkiaSharp;

namespace PovertyNews.Benchmarks;

public sealed record UploadsOptions(int Seconds, int Rounds, int Clients, int Previews, int Connections, int Threads, int Port,
    string DataRoot, bool Publish, string? Out)
{
    public static UploadsOptions Parse(string[] args)
    {
        var options = new UploadsOptions(15, 3, 32, 16, 64, 2, 5110, Path.Combine(Path.GetTempPath(), "povertynews-bench"), true, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = Int() },
                "--rounds" => options with { Rounds = Int() },
                "--clients" => options with { Clients = Int() },
                "--previews" => options with { Previews = Int() },
                "--connections" => options with { Connections = Int() },
                "--threads" => options with { Threads = Int() },
                "--port" => options with { Port = Int() },
                "--data" => options with { DataRoot = Next() },
                "--no-publish" => options with { Publish = false },
                "--out" => options with { Out = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}

/// <summary>
/// Issue 15, item 14: what uploads and previews cost readers and memory, on the published app with production
/// settings and the sample content. Per round, three phases of the same length, each with wrk on a cached article
/// page: wrk alone (baseline); while <c>--clients</c> newsroom sessions each upload ~10 MB images (noisy 4000×3000
/// JPEGs and 2400×1800 PNGs, each made unique by a comment so none is a duplicate) through 上传图片's multipart form,
/// one after another; and while <c>--previews</c> sessions preview a long report as editor.js does (waiting the
/// Retry-After on a 429). The server's resident set (VmRSS) is sampled every 20 ms for each phase's peak.
/// </summary>
public static class UploadsBenchmark
{
    private const string UserAgent = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) PovertyNewsUploads/1.0";
    private const string AdminEmail = "bench.uploads@example.com";
    private const string AdminPassword = "bench-uploads-kettle-42";
    private const string EditorEmail = "bench.preview@example.com";
    private const string EditorPassword = "bench-preview-lantern-42";

    /// <summary>The media library's default limit; the images are made a little under it.</summary>
    private const long MaxBytes = 10L * 1024 * 1024;

    internal sealed record Image(string Name, string ContentType, byte[] Bytes);

    private sealed record UploadCounts(int Stored, int Failed, int CutOff, long Bytes, string? FirstFailure);

    private sealed record PreviewCounts(int Answered, int Limited, int Failed, string? FirstFailure);

    private sealed record Phase(string Name, WrkResult Wrk, long PeakRss, UploadCounts? Uploads = null, PreviewCounts? Previews = null);

    public static async Task<int> RunAsync(UploadsOptions options)
    {
        if (!await LoadBenchmark.HasWrkAsync())
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 1;
        }
        var repository = SearchBenchmark.RepositoryRoot();
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var images = MakeImages(Path.Combine(options.DataRoot, "uploads-images"));
        var app = Path.Combine(options.DataRoot, "uploads-app");
        if (options.Publish || !File.Exists(Path.Combine(app, "PovertyNews.Web.dll")))
        {
            await LoadBenchmark.PublishAsync(repository, app);
        }
        var data = Path.Combine(options.DataRoot, "uploads-data");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string>
        {
            ["PovertyNews__DataPath"] = data,
            ["PovertyNews__ContentPath"] = Path.Combine(repository, "content"),
            ["PovertyNews__Admin__Email"] = AdminEmail,
            ["PovertyNews__Admin__Password"] = AdminPassword,
            // Every uploading and previewing session signs in from 127.0.0.1.
            ["PovertyNews__Newsroom__SignInAttemptsPerMinute"] = "1000",
        };
        Console.WriteLine("starting the server (first start: migrations and the sample content)");
        await using var server = await ServerProcess.StartAsync(app, options.Port, Path.Combine(data, "server.log"), settings, TimeSpan.FromMinutes(5));
        await LoadBenchmark.RunAsync("dotnet", [Path.Combine(app, "PovertyNews.Web.dll"), "create-user", "--email", EditorEmail, "--role", "EditorInChief", "--name", "预览测试"],
            EditorPassword, new Dictionary<string, string> { ["PovertyNews__DataPath"] = data, ["Serilog__MinimumLevel__Default"] = "Warning" }, app);
        var (articles, _) = await LoadBenchmark.ReadCorpusAsync(Path.Combine(data, "news.db"));
        var article = server.Url + articles[0];
        var longReport = LongReport();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reader page {articles[0]}; images {string.Join(", ", images.Select(i => $"{i.Name} {i.Bytes.Length / 1e6:0.00} MB"))}; report to preview {longReport.Length:N0} characters"));

        var uploaders = await SignInAllAsync(server.Url, options.Clients, AdminEmail, AdminPassword);
        var previewers = await SignInAllAsync(server.Url, options.Previews, EditorEmail, EditorPassword);
        try
        {
            Console.WriteLine("warming up");
            await WrkResult.RunAsync(article, options.Threads, options.Connections, 5, headers: [UserAgent]);
            foreach (var (image, index) in images.Select((image, index) => (image, index)))
            {
                using var response = await uploaders[0].UploadAsync(UniqueCopy(image, -1 - index), "warm-up" + Path.GetExtension(image.Name), image.ContentType, "预热");
                if (response.StatusCode != HttpStatusCode.Redirect)
                {
                    throw new InvalidOperationException($"the warm-up upload of {image.Name} answered {(int)response.StatusCode}: {Excerpt(await response.Content.ReadAsStringAsync())}");
                }
            }
            using (var response = await previewers[0].PreviewAsync(longReport))
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"the warm-up preview answered {(int)response.StatusCode}");
                }
            }
            var hwmBefore = server.PeakMemoryBytes();

            var phases = new List<Phase>();
            var sequence = 0;
            for (var round = 1; round <= options.Rounds; round++)
            {
                phases.Add(await MeasureAsync(server, "baseline", () => Reader(options, article)));
                Report(round, phases[^1]);

                UploadCounts? uploads = null;
                var during = await MeasureAsync(server, "uploads", async () =>
                {
                    WrkResult? wrk = null;
                    uploads = await UploadPhaseAsync(uploaders, images, sequence, async () =>
                    {
                        // The uploads first get going: every client is sending by the time the readers start.
                        await Task.Delay(TimeSpan.FromSeconds(2));
                        wrk = await Reader(options, article);
                    });
                    return wrk!;
                });
                sequence += 100_000;
                phases.Add(during with { Uploads = uploads });
                Report(round, phases[^1]);
                await SettleAsync(server);

                PreviewCounts? previews = null;
                var previewing = await MeasureAsync(server, "previews", async () =>
                {
                    WrkResult? wrk = null;
                    previews = await PreviewPhaseAsync(previewers, longReport, async () => wrk = await Reader(options, article));
                    return wrk!;
                });
                phases.Add(previewing with { Previews = previews });
                Report(round, phases[^1]);
                await SettleAsync(server);
            }
            var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
            var report = Table(options, phases, hwmBefore, server.PeakMemoryBytes(), loadBefore, loadAfter);
            Console.WriteLine();
            Console.WriteLine(report);
            if (options.Out is { } path)
            {
                await File.WriteAllTextAsync(path, report);
            }
            return 0;
        }
        finally
        {
            foreach (var driver in uploaders.Concat(previewers))
            {
                driver.Dispose();
            }
        }
    }

    private static Task<WrkResult> Reader(UploadsOptions options, string article) =>
        WrkResult.RunAsync(article, options.Threads, options.Connections, options.Seconds, headers: [UserAgent]);

    private static void Report(int round, Phase phase)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"round {round} {phase.Name,-9} {phase.Wrk.RequestsPerSecond,8:N0} req/s  p99 {phase.Wrk.P99,8:0.00} ms  errors {phase.Wrk.Errors}  peak RSS {phase.PeakRss / 1048576.0,5:N0} MB");
        if (phase.Uploads is { } u)
        {
            line += $"  uploads stored {u.Stored}, failed {u.Failed}, cut off {u.CutOff}" + (u.FirstFailure is { } f ? $" ({f})" : "");
        }
        if (phase.Previews is { } p)
        {
            line += $"  previews answered {p.Answered}, 429 {p.Limited}, failed {p.Failed}" + (p.FirstFailure is { } g ? $" ({g})" : "");
        }
        Console.WriteLine(line);
    }

    private static async Task<Phase> MeasureAsync(ServerProcess server, string name, Func<Task<WrkResult>> run)
    {
        using var memory = new ServerMemory(server.Id);
        var wrk = await run();
        return new Phase(name, wrk, memory.PeakBytes);
    }

    /// <summary>Lets the server finish what the phase left (uploads cut off, a preview rendering) before the next one.</summary>
    private static async Task SettleAsync(ServerProcess server)
    {
        var watch = Stopwatch.StartNew();
        var cpu = server.CpuTime();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(1000);
            var now = server.CpuTime();
            if (now - cpu < TimeSpan.FromMilliseconds(100))
            {
                return;
            }
            cpu = now;
        }
    }

    private static async Task<List<NewsroomDriver>> SignInAllAsync(string url, int count, string email, string password)
    {
        var drivers = new List<NewsroomDriver>();
        for (var i = 0; i < count; i++)
        {
            // Uploads wait their turn for a decode on the server: no client-side timeout cuts them short.
            var driver = new NewsroomDriver(url, Timeout.InfiniteTimeSpan);
            await driver.SignInAsync(email, password);
            drivers.Add(driver);
        }
        return drivers;
    }

    /// <summary>
    /// Each client uploads one image after another until <paramref name="readers"/> is done; uploads still on their
    /// way then are cut off (cancelled), and counted apart from failures.
    /// </summary>
    private static async Task<UploadCounts> UploadPhaseAsync(List<NewsroomDriver> clients, IReadOnlyList<Image> images, int sequence,
        Func<Task> readers)
    {
        using var stop = new CancellationTokenSource();
        int stored = 0, failed = 0, cutOff = 0;
        long bytes = 0;
        string? firstFailure = null;
        var tasks = clients.Select((client, index) => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var image = images[(index + n) % images.Count];
                var unique = Interlocked.Increment(ref sequence);
                try
                {
                    using var response = await client.UploadAsync(UniqueCopy(image, unique), $"bench-{unique}{Path.GetExtension(image.Name)}",
                        image.ContentType, $"压测图片 {unique}", stop.Token);
                    if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/admin/media/", StringComparison.Ordinal) == true)
                    {
                        Interlocked.Increment(ref stored);
                        Interlocked.Add(ref bytes, image.Bytes.Length);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode} {Excerpt(await response.Content.ReadAsStringAsync(CancellationToken.None))}", null);
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref cutOff);
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, e.Message, null);
                }
            }
        })).ToList();
        try
        {
            await readers();
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(tasks);
        }
        return new UploadCounts(stored, failed, cutOff, bytes, firstFailure);
    }

    /// <summary>Each session previews the long report again as soon as it has its answer, and waits Retry-After after a 429.</summary>
    private static async Task<PreviewCounts> PreviewPhaseAsync(List<NewsroomDriver> clients, string markdown, Func<Task> readers)
    {
        using var stop = new CancellationTokenSource();
        int answered = 0, limited = 0, failed = 0;
        string? firstFailure = null;
        var tasks = clients.Select(client => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.PreviewAsync(markdown, stop.Token);
                    var body = await response.Content.ReadAsStringAsync(stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK && body.Contains("<table", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref answered);
                    }
                    else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref limited);
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2), stop.Token);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode} {Excerpt(body)}", null);
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, e.Message, null);
                }
            }
        })).ToList();
        try
        {
            await readers();
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(tasks);
        }
        return new PreviewCounts(answered, limited, failed, firstFailure);
    }

    private static string Excerpt(string text)
    {
        var flat = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= 160 ? flat : flat[..160] + "…";
    }

    private static string Table(UploadsOptions options, List<Phase> phases, long hwmBefore, long hwmAfter, string loadBefore, string loadAfter)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        static string Mb(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture);
        var byName = phases.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.ToList());
        var baseline = Median(byName["baseline"].Select(p => p.Wrk.P99));
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Cached article page, wrk -t{options.Threads} -c{options.Connections}, {options.Rounds} rounds of three {options.Seconds} s phases; {options.Clients} upload sessions, {options.Previews} preview sessions; load average before {loadBefore.Split(' ')[0]}, after {loadAfter.Split(' ')[0]} ({Environment.ProcessorCount} cores)."));
        text.AppendLine();
        text.AppendLine("| Phase | req/s (median round) | p99 ms (median round) | p99 per round | p99 / baseline | peak server RSS (max of rounds) |");
        text.AppendLine("|---|---:|---:|---|---:|---:|");
        foreach (var (name, what) in new[] { ("baseline", "wrk alone"), ("uploads", $"{options.Clients} concurrent ~10 MB uploads"), ("previews", $"{options.Previews} concurrent previews of a long report") })
        {
            var list = byName[name];
            var p99 = Median(list.Select(p => p.Wrk.P99));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {what} | {Median(list.Select(p => p.Wrk.RequestsPerSecond)):N0} | {p99:0.00} | {string.Join(", ", list.Select(p => p.Wrk.P99.ToString("0.0", CultureInfo.InvariantCulture)))} | {p99 / baseline:0.00} | {Mb(list.Max(p => p.PeakRss))} MB |"));
        }
        var uploads = byName["uploads"].Select(p => p.Uploads!).ToList();
        var previews = byName["previews"].Select(p => p.Previews!).ToList();
        var seconds = options.Seconds + 2;
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Uploads: {uploads.Sum(u => u.Stored)} stored ({uploads.Sum(u => u.Bytes) / 1e6 / (seconds * options.Rounds):0.0} MB/s), {uploads.Sum(u => u.Failed)} failed, {uploads.Sum(u => u.CutOff)} cut off at the ends of the phases (cancelled by the client){(uploads.FirstOrDefault(u => u.FirstFailure is not null)?.FirstFailure is { } f ? $"; first failure: {f}" : "")}."));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Previews: {previews.Sum(p => p.Answered)} answered, {previews.Sum(p => p.Limited)} answered 429 (then retried after Retry-After), {previews.Sum(p => p.Failed)} failed{(previews.FirstOrDefault(p => p.FirstFailure is not null)?.FirstFailure is { } g ? $"; first failure: {g}" : "")}."));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Server peak RSS (VmHWM) after warming up {Mb(hwmBefore)} MB, at the end {Mb(hwmAfter)} MB; wrk errors {phases.Sum(p => p.Wrk.Errors)}."));
        var peakUploads = byName["uploads"].Max(p => p.PeakRss);
        var ratio = Median(byName["uploads"].Select(p => p.Wrk.P99)) / baseline;
        text.AppendLine();
        text.AppendLine("| Target (issue 15, item 14) | Measured | |");
        text.AppendLine("|---|---:|---|");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| peak RSS ≤ 400 MB during {options.Clients} concurrent 10 MB uploads | {Mb(peakUploads)} MB | {(peakUploads <= 400L * 1048576 ? "met" : "missed")} |"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| cached reader p99 within 2× of baseline during the uploads | {ratio:0.00}× (median rounds) | {(ratio <= 2 ? "met" : "missed")} |"));
        return text.ToString();
    }

    // ---- Images ----

    /// <summary>A copy of the image that differs from every other upload (a JPEG comment or a PNG text chunk), so none is a duplicate.</summary>
    internal static HttpContent UniqueCopy(Image image, int unique)
    {
        var note = Encoding.ASCII.GetBytes($"PovertyNews uploads benchmark {unique}");
        if (image.ContentType == "image/jpeg")
        {
            // SOI, then a COM segment (its length counts itself), then the rest of the file.
            var head = new byte[4 + note.Length];
            head[0] = 0xFF;
            head[1] = 0xFE;
            head[2] = (byte)((note.Length + 2) >> 8);
            head[3] = (byte)(note.Length + 2);
            note.CopyTo(head, 4);
            return new PartsContent(image.Bytes.AsMemory(0, 2), head, image.Bytes.AsMemory(2));
        }
        // The signature and IHDR (8 + 25 bytes), then a tEXt chunk, then the rest.
        var text = Encoding.ASCII.GetBytes("Comment\0").Concat(note).ToArray();
        var chunk = new byte[12 + text.Length];
        chunk[0] = (byte)(text.Length >> 24);
        chunk[1] = (byte)(text.Length >> 16);
        chunk[2] = (byte)(text.Length >> 8);
        chunk[3] = (byte)text.Length;
        Encoding.ASCII.GetBytes("tEXt").CopyTo(chunk, 4);
        text.CopyTo(chunk, 8);
        var crc = Crc32(chunk.AsSpan(4, 4 + text.Length));
        chunk[^4] = (byte)(crc >> 24);
        chunk[^3] = (byte)(crc >> 16);
        chunk[^2] = (byte)(crc >> 8);
        chunk[^1] = (byte)crc;
        return new PartsContent(image.Bytes.AsMemory(0, 33), chunk, image.Bytes.AsMemory(33));
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }

    /// <summary>Pieces sent one after another, without copying the image for each upload.</summary>
    private sealed class PartsContent(params ReadOnlyMemory<byte>[] parts) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var part in parts)
            {
                await stream.WriteAsync(part);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = parts.Sum(p => (long)p.Length);
            return true;
        }
    }

    /// <summary>
    /// Three noisy 4000×3000 JPEGs (quality 92) and one noisy 2400×1800 PNG, each between 9.3 and 10.2 MB: a smooth
    /// picture with grain, its amplitude searched so the file lands there. Made once and kept in <paramref name="folder"/>.
    /// </summary>
    private static List<Image> MakeImages(string folder)
    {
        Directory.CreateDirectory(folder);
        var made = new List<Image>();
        int? amplitude = null;
        foreach (var seed in new[] { 1, 2, 3 })
        {
            made.Add(MakeImage(folder, $"photo-{seed}.jpg", "image/jpeg", 4000, 3000, SKEncodedImageFormat.Jpeg, seed, ref amplitude));
        }
        amplitude = null;
        made.Add(MakeImage(folder, "scan-1.png", "image/png", 2400, 1800, SKEncodedImageFormat.Png, 4, ref amplitude));
        return made;
    }

    private static Image MakeImage(string folder, string name, string contentType, int width, int height, SKEncodedImageFormat format, int seed,
        ref int? amplitude)
    {
        var path = Path.Combine(folder, name);
        if (File.Exists(path) && new FileInfo(path).Length is > 9_300_000 and < MaxBytes - 1024)
        {
            return new Image(name, contentType, File.ReadAllBytes(path));
        }
        Console.WriteLine($"making {name} ({width}×{height})");
        int low = 1, high = 128;
        var guess = amplitude ?? 24;
        while (true)
        {
            var bytes = Encode(width, height, format, seed, guess);
            if (bytes.Length is > 9_300_000 and < 10_200_000)
            {
                amplitude = guess;
                File.WriteAllBytes(path, bytes);
                return new Image(name, contentType, bytes);
            }
            if (bytes.Length <= 9_300_000)
            {
                low = guess + 1;
            }
            else
            {
                high = guess - 1;
            }
            if (low > high)
            {
                throw new InvalidOperationException($"no grain gives {name} a size between 9.3 and 10.2 MB (last {bytes.Length:N0} bytes)");
            }
            guess = (low + high) / 2;
        }
    }

    internal static byte[] Encode(int width, int height, SKEncodedImageFormat format, int seed, int amplitude)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 4];
        var noise = new byte[width * 3];
        var span = 2 * amplitude + 1;
        for (var y = 0; y < height; y++)
        {
            random.NextBytes(noise);
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 4;
                // A sky-to-field gradient with soft bands, as in a landscape photograph, then grain.
                var band = 40 * Math.Sin((x + 2 * y) / 97.0 + seed);
                pixels[i] = Clamp(90 + 120.0 * x / width + band + noise[x * 3] % span - amplitude);
                pixels[i + 1] = Clamp(150 - 60.0 * y / height + band / 2 + noise[x * 3 + 1] % span - amplitude);
                pixels[i + 2] = Clamp(200 - 150.0 * y / height + noise[x * 3 + 2] % span - amplitude);
                pixels[i + 3] = 255;
            }
        }
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(format, 92);
        return encoded.ToArray();
    }

    private static byte Clamp(double value) => (byte)Math.Clamp((int)value, 0, 255);

    // ---- The report to preview ----

    /// <summary>A long report (about 120,000 characters) using what editors use: headings, lists, tables, emphasis, links, quotes.</summary>
    private static string LongReport()
    {
        string[] phrases =
        [
            "十八洞村的猕猴桃产业带动了全村三百多户村民增收", "驻村工作队每周走访困难家庭，逐户核实收入情况",
            "合作社采用“公司加农户”的模式，统一收购、统一销售", "东西部协作资金用于修建冷链仓库和村级道路",
            "易地扶贫搬迁安置点配套了幼儿园、卫生室和扶贫车间", "电商培训班已开办十二期，学员超过一千人次",
            "茶叶种植面积从三百亩扩大到两千亩，亩均收入翻了一番", "返乡青年利用直播平台销售腊肉、蜂蜜和山货",
        ];
        var random = new Random(7);
        var text = new StringBuilder();
        for (var section = 1; text.Length < 120_000; section++)
        {
            text.Append("## 第").Append(section).Append("部分：产业发展与群众增收\n\n");
            for (var p = 0; p < 6; p++)
            {
                for (var s = 0; s < 5; s++)
                {
                    var phrase = phrases[random.Next(phrases.Length)];
                    text.Append(random.Next(6) == 0 ? $"**{phrase}**" : random.Next(8) == 0 ? $"[{phrase}](https://example.com/report/{section}-{p})" : phrase).Append('。');
                }
                text.Append("\n\n");
            }
            text.Append("> ").Append(phrases[random.Next(phrases.Length)]).Append("。——村民代表\n\n");
            for (var i = 1; i <= 5; i++)
            {
                text.Append("- ").Append(phrases[random.Next(phrases.Length)]).Append('\n');
            }
            text.Append("\n| 年份 | 人均收入（元） | 脱贫户数 | 产业项目 |\n|---|---:|---:|---|\n");
            for (var year = 2014; year <= 2020; year++)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {year} | {1668 + (year - 2014) * 1800 + random.Next(500)} | {random.Next(20, 200)} | {phrases[random.Next(phrases.Length)][..6]} |\n");
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
