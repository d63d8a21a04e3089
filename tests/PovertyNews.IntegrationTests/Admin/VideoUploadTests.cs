using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Media;
using SkiaSharp;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// Videos in the media library through the real upload form (multipart, antiforgery token): accepted by their
/// container, refused otherwise, served with byte ranges; posters; and on the reader's side, only videos that play
/// are promoted, on one video listing.
/// </summary>
public sealed class VideoUploadTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private HashSet<string> _baselineFiles = [];
    private int _baselineRows;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        _baselineFiles = Files().ToHashSet();
        _baselineRows = await _factory.WithDbAsync(db => db.MediaItems.CountAsync());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string MediaFolder => _factory.Services.GetRequiredService<MediaStore>().Folder;

    private IEnumerable<string> Files() =>
        Directory.EnumerateFiles(MediaFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(MediaFolder, f));

    /// <summary>Files and rows added since the reset (the sample content's videos are there from the start).</summary>
    private async Task<(string Files, int Rows)> StateAsync() => (
        string.Join("\n", Files().Where(f => !_baselineFiles.Contains(f)).Order()),
        await _factory.WithDbAsync(db => db.MediaItems.CountAsync()) - _baselineRows);

    private async Task<HttpClient> EditorAsync()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        return await _factory.SignInAsync("editor@example.com");
    }

    private static async Task<HttpResponseMessage> UploadVideoAsync(HttpClient client, HttpContent file, string fileName,
        string contentType = "video/mp4", string? alt = null, int? posterId = null, (byte[] Bytes, string Name)? poster = null)
    {
        var page = await client.GetPageAsync("/admin/media/upload-video");
        var token = page.QuerySelector<IHtmlInputElement>("#video-form input[name=__RequestVerificationToken]")!.Value;
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(alt ?? ""), "AltText" },
            { new StringContent(posterId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""), "PosterId" },
        };
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "File", fileName);
        if (poster is { } p)
        {
            var image = new ByteArrayContent(p.Bytes);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(image, "Poster", p.Name);
        }
        return await client.PostAsync("/admin/media/upload-video", form);
    }

    private static Task<HttpResponseMessage> UploadVideoAsync(HttpClient client, byte[] bytes, string fileName, string contentType = "video/mp4",
        string? alt = null, int? posterId = null, (byte[] Bytes, string Name)? poster = null) =>
        UploadVideoAsync(client, new ByteArrayContent(bytes), fileName, contentType, alt, posterId, poster);

    private static async Task<int> UploadedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/admin/media/[0-9]+$", location);
        return int.Parse(location.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<MediaItem> ItemAsync(int id) => _factory.WithDbAsync(db => db.MediaItems.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>A short WebM of a few coloured frames (not the sample clip, which the library holds already).</summary>
    private static byte[] Webm(byte shade, int frames = 12)
    {
        var writer = new WebmWriter(96, 54, framesPerSecond: 6);
        using var surface = SKSurface.Create(new SKImageInfo(96, 54, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var i = 0; i < frames; i++)
        {
            surface.Canvas.Clear(new SKColor(shade, (byte)(i * 20), 90));
            using var image = surface.Snapshot();
            using var webp = image.Encode(SKEncodedImageFormat.Webp, 60);
            writer.AddWebpFrame(webp.AsSpan());
        }
        return writer.ToArray();
    }

    [Fact]
    public async Task Mp4AndWebm_AreAcceptedByTheirBytes_WhateverTheirNameOrType()
    {
        var editor = await EditorAsync();

        // The name and the browser's type say nothing: a WebM called .bin sent as octet-stream is a WebM.
        var mp4 = await UploadedIdAsync(await UploadVideoAsync(editor, TestVideos.Mp4(timescale: 600, duration: 7500, width: 1920, height: 1080), "十八洞村.mp4", alt: "十八洞村航拍"));
        var webm = await UploadedIdAsync(await UploadVideoAsync(editor, Webm(40), "clip.bin", "application/octet-stream"));

        var a = await ItemAsync(mp4);
        Assert.Equal((MediaKind.Video, "video/mp4", "mp4", 1920, 1080, 12.5, "十八洞村航拍"),
            (a.Kind, a.ContentType, a.SourceFormat, a.Width, a.Height, a.DurationSeconds!.Value, a.AltText));
        Assert.Matches("^[0-9a-f]{32}-1920x1080\\.mp4$", a.StoredName);
        Assert.Empty(a.RenditionWidths);
        var b = await ItemAsync(webm);
        Assert.Equal((MediaKind.Video, "video/webm", 96, 54, 2.0), (b.Kind, b.ContentType, b.Width, b.Height, b.DurationSeconds!.Value));
        Assert.Equal(string.Join("\n", new[] { a.StoredName, b.StoredName }.Order()), (await StateAsync()).Files);
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.MediaUploaded).Select(e => e.Details).ToListAsync());
        Assert.Contains(audit, d => d!.Contains("视频，1920×1080，0:13"));

        // The library lists them as videos with their duration and size; the kind filter keeps to videos.
        var videos = await editor.GetPageAsync("/admin/media?kind=video");
        var cards = videos.QuerySelectorAll(".media-card");
        Assert.All(cards, c => Assert.Contains("media-card--video", c.ClassName));
        Assert.Contains(cards, c => c.Text().Contains("十八洞村.mp4") && c.Text().Contains("1920 × 1080 · 0:13"));
        Assert.DoesNotContain((await editor.GetPageAsync("/admin/media?kind=image")).QuerySelectorAll(".media-card__name"), n => n.Text() == "clip.bin");
        // The editor's image picker offers images only.
        Assert.DoesNotContain((await editor.GetPageAsync("/admin/media/picker")).QuerySelectorAll("button[data-pick-url]"),
            button => button.GetAttribute("data-pick-url")!.EndsWith(".webm", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("jpeg")]
    [InlineData("avif")]
    public async Task FileThatIsNotAVideo_IsRefusedWithAClearMessage_AndLeavesNothing(string kind)
    {
        var editor = await EditorAsync();
        var before = await StateAsync();
        (byte[] bytes, string message) = kind switch
        {
            "text" => (Encoding.UTF8.GetBytes("矮寨大桥视频的拍摄提纲，不是视频。"), VideoContainer.NotAVideo),
            "jpeg" => (TestImages.Jpeg(320, 180), VideoContainer.NotAVideo),
            _ => ([.. TestVideos.Box("ftyp", [.. "avif"u8.ToArray(), 0, 0, 0, 0, .. "mif1"u8.ToArray()]), .. TestVideos.Mp4()[28..]], "不支持的 MP4 类型（avif）"),
        };

        using var response = await UploadVideoAsync(editor, bytes, "aizhai.mp4", "video/mp4");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains(message, page.QuerySelector("#video-form .form-errors")!.Text());
        Assert.Equal(before, await StateAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(MediaFolder, ".tmp")));
    }

    [Fact]
    public async Task VideoOnTheImageForm_IsPointedToTheVideoUpload()
    {
        var editor = await EditorAsync();
        var before = await StateAsync();
        var page = await editor.GetPageAsync("/admin/media/upload");
        var token = page.QuerySelector<IHtmlInputElement>("#upload-form input[name=__RequestVerificationToken]")!.Value;
        var file = new ByteArrayContent(TestVideos.Mp4());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");

        using var response = await editor.PostAsync("/admin/media/upload", new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { file, "File", "looks-like-a-photo.jpg" },
        });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(MediaLibrary.VideoOnImageFormMessage, (await response.ReadPageAsync()).QuerySelector("#upload-form .form-errors")!.Text());
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task OversizedVideo_IsRefusedFromItsLength()
    {
        var editor = await EditorAsync();
        var before = await StateAsync();
        var body = new LongStream(201L * 1024 * 1024 + 128 * 1024, TestVideos.Mp4()[..64]);

        using var response = await UploadVideoAsync(editor, new StreamContent(body), "long.mp4");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("视频不能超过 200 MB", (await response.ReadPageAsync()).QuerySelector("#video-form .form-errors")!.Text());
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task SameVideoTwice_IsStoredOnce()
    {
        var editor = await EditorAsync();
        var clip = Webm(90);

        var first = await UploadedIdAsync(await UploadVideoAsync(editor, clip, "a.webm", "video/webm"));
        var second = await UploadedIdAsync(await UploadVideoAsync(editor, clip, "b.webm", "video/webm"));

        Assert.Equal(first, second);
        Assert.Equal(1, (await StateAsync()).Rows);
        Assert.Contains(MediaLibrary.DuplicateVideoMessage, (await editor.GetPageAsync($"/admin/media/{second}")).Body!.TextContent);
    }

    [Fact]
    public async Task Video_IsServedWithByteRanges_ETag_AndAYearOfCache()
    {
        var editor = await EditorAsync();
        var clip = Webm(150, frames: 30);
        var item = await ItemAsync(await UploadedIdAsync(await UploadVideoAsync(editor, clip, "range.webm", "video/webm")));
        var reader = _factory.CreateReader();

        using var whole = await reader.GetAsync(item.Url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/webm", whole.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["bytes"], whole.Headers.AcceptRanges);
        Assert.Contains("immutable", whole.Headers.CacheControl!.ToString());
        Assert.Equal(clip, await whole.Content.ReadAsByteArrayAsync());
        var etag = whole.Headers.ETag!;

        using var part = await reader.SendAsync(new HttpRequestMessage(HttpMethod.Get, item.Url) { Headers = { Range = new RangeHeaderValue(100, 1123) } });
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-1123/{clip.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(clip[100..1124], await part.Content.ReadAsByteArrayAsync());

        using var tail = await reader.SendAsync(new HttpRequestMessage(HttpMethod.Get, item.Url) { Headers = { Range = new RangeHeaderValue(null, 500) } });
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(clip[^500..], await tail.Content.ReadAsByteArrayAsync());

        using var beyond = await reader.SendAsync(new HttpRequestMessage(HttpMethod.Get, item.Url) { Headers = { Range = new RangeHeaderValue(clip.Length + 10, null) } });
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal($"bytes */{clip.Length}", beyond.Content.Headers.ContentRange!.ToString());

        using var unchanged = await reader.SendAsync(new HttpRequestMessage(HttpMethod.Get, item.Url) { Headers = { IfNoneMatch = { etag } } });
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        // A browser asking for compression still gets the bytes it asked for (video is never compressed).
        var request = new HttpRequestMessage(HttpMethod.Get, item.Url) { Headers = { Range = new RangeHeaderValue(0, 99) } };
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var compressed = await reader.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, compressed.StatusCode);
        Assert.Empty(compressed.Content.Headers.ContentEncoding);
        Assert.Equal(clip[..100], await compressed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Poster_IsChosenFromTheLibrary_OrUploadedWithTheVideo_AndChangedLater()
    {
        var editor = await EditorAsync();
        var imageResponse = await UploadImageAsync(editor, TestImages.Jpeg(640, 360), "poster-a.jpg");
        var chosen = await UploadedIdAsync(imageResponse);

        var withChosen = await ItemAsync(await UploadedIdAsync(await UploadVideoAsync(editor, Webm(10), "a.webm", "video/webm", posterId: chosen)));
        var withUploaded = await ItemAsync(await UploadedIdAsync(await UploadVideoAsync(editor, Webm(20), "b.webm", "video/webm",
            alt: "村寨全景", poster: (TestImages.Jpeg(800, 450), "poster-b.jpg"))));

        Assert.Equal(chosen, withChosen.PosterId);
        var uploadedPoster = await ItemAsync(withUploaded.PosterId!.Value);
        Assert.Equal((MediaKind.Image, "poster-b.jpg", "村寨全景"), (uploadedPoster.Kind, uploadedPoster.OriginalName, uploadedPoster.AltText));
        // The library card shows the poster.
        var card = (await editor.GetPageAsync("/admin/media?kind=video")).QuerySelectorAll(".media-card").First(c => c.Text().Contains("b.webm"));
        Assert.StartsWith(uploadedPoster.StoredName[..32], card.QuerySelector("img")!.GetAttribute("src")!["/media/".Length..]);

        // Changed on the details page; audited.
        using var changed = await editor.SubmitFormAsync($"/admin/media/{withUploaded.Id}", "#poster-form", new() { ["PosterId"] = chosen.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(chosen, (await ItemAsync(withUploaded.Id)).PosterId);
        Assert.Single(await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.MediaPosterChanged).ToListAsync()));
        // A video is no poster.
        using var refused = await editor.SubmitFormAsync($"/admin/media/{withUploaded.Id}", "#poster-form", new() { ["PosterId"] = withChosen.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // A poster in use cannot be deleted; the video can, when no article shows it.
        using var deletePoster = await editor.SubmitFormAsync($"/admin/media/{chosen}", "#delete-form", []);
        Assert.Equal(HttpStatusCode.Conflict, deletePoster.StatusCode);
        Assert.Contains("的封面，不能删除", (await deletePoster.ReadPageAsync()).QuerySelector(".form-errors")!.Text());
        using var deleteVideo = await editor.SubmitFormAsync($"/admin/media/{withChosen.Id}", "#delete-form", []);
        Assert.Equal(HttpStatusCode.Redirect, deleteVideo.StatusCode);
        Assert.False(File.Exists(Path.Combine(MediaFolder, withChosen.StoredName)));
    }

    [Fact]
    public async Task VideoUsedByAnArticle_CannotBeDeleted()
    {
        var id = await _factory.ArticleIdAsync("video-aizhai-bridge");
        var videoUrl = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.VideoUrl).SingleAsync());
        var item = await _factory.WithDbAsync(db => db.MediaItems.SingleAsync(m => MediaName.UrlPrefix + m.StoredName == videoUrl));
        var editor = await EditorAsync();

        using var response = await editor.SubmitFormAsync($"/admin/media/{item.Id}", "#delete-form", []);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains("这段视频正被 1 篇稿件使用", page.QuerySelector(".form-errors")!.Text());
        Assert.Contains("用作视频", page.QuerySelector(".media-usage")!.Text());
    }

    [Fact]
    public async Task SampleVideoArticle_PlaysTheProjectsClipFromTheLibrary()
    {
        var id = await _factory.ArticleIdAsync("video-aizhai-bridge");

        var page = await _factory.CreateReader().GetPageAsync($"/articles/{id}");

        var video = page.QuerySelector(".article__video video")!;
        Assert.Equal("metadata", video.GetAttribute("preload"));
        Assert.StartsWith("/media/", video.GetAttribute("poster"));
        var source = video.QuerySelector("source")!;
        Assert.Equal("video/webm", source.GetAttribute("type"));
        Assert.Matches("^/media/[0-9a-f]{32}-640x360\\.webm$", source.GetAttribute("src"));
        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        var ld = json.RootElement;
        Assert.Equal("VideoObject", ld.GetProperty("@type").GetString());
        Assert.EndsWith(source.GetAttribute("src")!, ld.GetProperty("contentUrl").GetString());
        Assert.Equal("PT8S", ld.GetProperty("duration").GetString());
        Assert.True(ld.TryGetProperty("thumbnailUrl", out _) && ld.TryGetProperty("uploadDate", out _));
        using var file = await _factory.CreateReader().GetAsync(source.GetAttribute("src"));
        Assert.Equal("video/webm", file.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task VideosWithoutAPlayableSource_AreNotPromoted_AndOnlyPlayableOnesCarryThePlayMark()
    {
        var channel = await _factory.WithDbAsync(db => db.Channels.Where(c => c.Slug == "shipin").Select(c => c.Id).SingleAsync());
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        var posterOnly = new ArticleBuilder(channel, "只有封面的视频报道").Video("/images/samples/video-aizhai.svg").PublishedAt(now.AddMinutes(-2)).Build();
        var platformPage = new ArticleBuilder(channel, "视频网站播放页的报道").Video("/images/samples/video-aizhai.svg").PublishedAt(now.AddMinutes(-1)).Build();
        platformPage.VideoUrl = "https://v.example.com/watch?v=aizhai";
        var direct = new ArticleBuilder(channel, "外站视频文件的报道").Video("/images/samples/video-shibadong.svg").PublishedAt(now.AddMinutes(-3)).Build();
        direct.VideoUrl = "https://video.example.com/2020/shibadong.mp4";
        await _factory.WithDbAsync(async db => { db.Articles.AddRange(posterOnly, platformPage, direct); await db.SaveChangesAsync(); });
        var reader = _factory.CreateReader();

        var front = await reader.GetPageAsync("/");
        var listing = await reader.GetPageAsync("/videos");

        var hot = front.QuerySelectorAll(".sidebar--videos li").Select(li => li.Text()).ToList();
        Assert.Contains(hot, t => t.Contains("外站视频文件的报道"));
        Assert.DoesNotContain(hot, t => t.Contains("只有封面") || t.Contains("播放页"));
        Assert.All(front.QuerySelectorAll(".sidebar--videos li"), li => Assert.NotNull(li.QuerySelector(".play-mark")));
        var listed = listing.QuerySelectorAll(".video-grid__title").Select(t => t.Text()).ToList();
        Assert.Equal(["外站视频文件的报道", "视频｜矮寨大桥", "视频｜走进花垣县十八洞村"], listed);
        Assert.Equal(listed.Count, listing.QuerySelectorAll(".video-grid .play-mark").Length);
        // The front page's channel blocks leave them out too; their own pages still open, showing the poster.
        Assert.DoesNotContain("只有封面的视频报道", front.QuerySelector("main")!.Text());
        var own = await reader.GetPageAsync($"/articles/{posterOnly.Id}");
        Assert.Null(own.QuerySelector("video"));
        Assert.EndsWith(".svg", own.QuerySelector(".article__video img")!.GetAttribute("src"));
        Assert.Null((await reader.GetPageAsync($"/articles/{platformPage.Id}")).QuerySelector("video"));
    }

    [Fact]
    public async Task VideoChannel_AnswersPermanentRedirectToTheOneVideoListing()
    {
        var reader = _factory.CreateReader();

        using var response = await reader.GetAsync("/channels/shipin?page=2");
        var front = await reader.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/videos?page=2", response.Headers.Location!.OriginalString);
        Assert.Equal("/videos", front.QuerySelectorAll(".site-nav a").Single(a => a.Text().Trim() == "视频").GetAttribute("href"));
        Assert.Empty(front.QuerySelectorAll("a[href='/channels/shipin']"));
    }

    [Fact]
    public async Task EditorVideoUrl_MustBePlayable_AndALibraryVideoBringsItsPoster()
    {
        var editor = await EditorAsync();
        var channel = await _factory.EditorChannelIdAsync("shipin");
        var poster = await UploadedIdAsync(await UploadImageAsync(editor, TestImages.Jpeg(640, 360), "p.jpg"));
        var video = await ItemAsync(await UploadedIdAsync(await UploadVideoAsync(editor, Webm(200), "v.webm", "video/webm", posterId: poster)));

        using var refused = await editor.SubmitFormAsync("/admin/articles/new", "#article-form", new()
        {
            ["Input.Title"] = "平台视频",
            ["Input.ChannelId"] = channel.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Body"] = "正文。",
            ["Input.Kind"] = "Video",
            ["Input.VideoUrl"] = "https://v.example.com/watch?v=1",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(VideoSource.InvalidMessage, (await refused.ReadPageAsync()).Body!.TextContent);

        var id = await editor.CreateInEditorAsync(channel, "媒体库视频", "正文。", new() { ["Input.Kind"] = "Video", ["Input.VideoUrl"] = video.Url });

        var saved = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => new { a.VideoUrl, a.VideoPosterUrl }).SingleAsync());
        Assert.Equal(video.Url, saved.VideoUrl);
        Assert.Equal((await ItemAsync(poster)).Url, saved.VideoPosterUrl);
    }

    private static async Task<HttpResponseMessage> UploadImageAsync(HttpClient client, byte[] bytes, string name)
    {
        var page = await client.GetPageAsync("/admin/media/upload");
        var token = page.QuerySelector<IHtmlInputElement>("#upload-form input[name=__RequestVerificationToken]")!.Value;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return await client.PostAsync("/admin/media/upload", new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("封面"), "AltText" },
            { content, "File", name },
        });
    }

    /// <summary>A long body made up as it is read (a video's first bytes, then zeros), so a 200 MB upload costs no memory.</summary>
    private sealed class LongStream(long length, byte[] head) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            var target = buffer.AsSpan(offset, n);
            target.Clear();
            if (_position < head.Length)
            {
                var from = head.AsSpan((int)_position);
                from[..Math.Min(from.Length, n)].CopyTo(target);
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
