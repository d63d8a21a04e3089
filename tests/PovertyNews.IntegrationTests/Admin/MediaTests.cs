using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Tests.Media;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Media;
using SkiaSharp;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// The media library through its real forms (multipart, antiforgery token included): uploads that are stored,
/// served and used on article pages, and every kind of bad upload, which must leave no file and no row behind.
/// </summary>
public sealed class MediaTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        // The sample content's videos and their posters are in the library from the start; tests look at what they add.
        _baselineFiles = Files().ToHashSet();
        _baselineRows = await _factory.WithDbAsync(db => db.MediaItems.CountAsync());
    }

    private HashSet<string> _baselineFiles = [];
    private int _baselineRows;

    private IEnumerable<string> Files() =>
        Directory.EnumerateFiles(MediaFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(MediaFolder, f));

    public Task DisposeAsync() => Task.CompletedTask;

    private string MediaFolder => _factory.Services.GetRequiredService<MediaStore>().Folder;

    private async Task<HttpClient> ReporterAsync()
    {
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        return await _factory.SignInAsync("reporter@example.com");
    }

    private async Task<HttpClient> EditorAsync()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        return await _factory.SignInAsync("editor@example.com");
    }

    /// <summary>Every file under the media folder (temporary ones included) and the table's rows, beyond the sample content's.</summary>
    private async Task<MediaState> StateAsync() => new(
        string.Join("\n", Files().Where(f => !_baselineFiles.Contains(f)).Order()),
        await _factory.WithDbAsync(db => db.MediaItems.CountAsync()) - _baselineRows);

    private sealed record MediaState(string Files, int Rows)
    {
        public int FileCount => Files.Length == 0 ? 0 : Files.Split('\n').Length;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, HttpContent file, string fileName,
        string? alt = null, string contentType = "image/jpeg", bool withToken = true, bool json = false)
    {
        var page = await client.GetPageAsync("/admin/media/upload");
        var token = page.QuerySelector<IHtmlInputElement>("#upload-form input[name=__RequestVerificationToken]")!.Value;
        var form = new MultipartFormDataContent();
        if (withToken)
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }
        form.Add(new StringContent(alt ?? ""), "AltText");
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "File", fileName);
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/media/upload") { Content = form };
        if (json)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] data, string fileName, string? alt = null,
        string contentType = "image/jpeg") => UploadAsync(client, new ByteArrayContent(data), fileName, alt, contentType);

    private static async Task<int> UploadedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/admin/media/[0-9]+$", location);
        return int.Parse(location.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private Task<MediaItem> ItemAsync(int id) => _factory.WithDbAsync(db => db.MediaItems.AsNoTracking().SingleAsync(m => m.Id == id));

    [Fact]
    public async Task ValidJpeg_IsStoredWithoutExifAndServedWithTypeNosniffAndYearLongCache()
    {
        var reporter = await ReporterAsync();

        var id = await UploadedIdAsync(await UploadAsync(reporter, TestImages.JpegWithExif(1600, 900), "湘西 十八洞村.jpg", "十八洞村的猕猴桃园"));

        var item = await ItemAsync(id);
        Assert.Equal(("湘西 十八洞村.jpg", "十八洞村的猕猴桃园", 1600, 900, "image/jpeg"), (item.OriginalName, item.AltText, item.Width, item.Height, item.ContentType));
        Assert.Equal([320, 640, 1280], item.RenditionWidths);
        Assert.Matches("^[0-9a-f]{32}-1600x900\\.jpg$", item.StoredName);
        var key = item.StoredName[..^4];
        Assert.Equal(string.Join("\n", new[] { item.StoredName, key + "-1280.webp", key + "-320.webp", key + "-640.webp" }.Order()), (await StateAsync()).Files);

        var anonymous = _factory.CreateReader();
        using var original = await anonymous.GetAsync(item.Url);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("image/jpeg", original.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", original.Headers.GetValues("X-Content-Type-Options").Single());
        var cache = original.Headers.CacheControl!;
        Assert.True(cache.Public && cache.MaxAge == TimeSpan.FromDays(365), cache.ToString());
        Assert.Contains("immutable", cache.ToString());
        var bytes = await original.Content.ReadAsByteArrayAsync();
        Assert.False(TestImages.ContainsExif(bytes));
        Assert.True(TestImages.IndexOf(bytes, Encoding.ASCII.GetBytes(TestImages.ExifSecret)) < 0);
        using (var decoded = SKBitmap.Decode(bytes))
        {
            Assert.Equal((1600, 900), (decoded.Width, decoded.Height));
        }

        using var rendition = await anonymous.GetAsync($"/media/{key}-640.webp");
        Assert.Equal("image/webp", rendition.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", rendition.Headers.CacheControl!.ToString());
        using (var decoded = SKBitmap.Decode(await rendition.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((640, 360), (decoded.Width, decoded.Height));
        }

        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.MediaUploaded && e.UserName != "系统").ToListAsync());
        Assert.Equal("media:" + item.StoredName, Assert.Single(audit).Target);
    }

    [Fact]
    public async Task SameImageTwice_IsStoredOnce()
    {
        var reporter = await ReporterAsync();
        var png = TestImages.Png(500, 300);
        var first = await UploadedIdAsync(await UploadAsync(reporter, png, "a.png", contentType: "image/png"));
        var before = await StateAsync();

        var second = await UploadedIdAsync(await UploadAsync(reporter, png, "copy-of-a.png", contentType: "image/png"));

        Assert.Equal(first, second);
        Assert.Equal(before, await StateAsync());
        var page = await reporter.GetPageAsync($"/admin/media/{second}");
        Assert.Contains("已在媒体库中", page.QuerySelector(".flash").Text());
    }

    [Fact]
    public async Task WebpAndGif_AreAccepted_AnAnimatedGifKeepsItsFirstFrameAsPng()
    {
        var reporter = await ReporterAsync();

        var webp = await ItemAsync(await UploadedIdAsync(await UploadAsync(reporter, TestImages.Webp(700, 400), "w.webp", contentType: "image/webp")));
        var gif = await ItemAsync(await UploadedIdAsync(await UploadAsync(reporter, TestImages.Gif(80, 60, frames: 2), "动图.gif", contentType: "image/gif")));

        Assert.Equal("image/webp", webp.ContentType);
        Assert.Equal([320, 640], webp.RenditionWidths);
        Assert.Equal(("gif", true, "image/png"), (gif.SourceFormat, gif.WasAnimated, gif.ContentType));
        using var served = await _factory.CreateReader().GetAsync(gif.Url);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        var details = await reporter.GetPageAsync($"/admin/media/{gif.Id}");
        Assert.Contains("只保留了第一帧", details.QuerySelector(".media-facts").Text());
    }

    public static TheoryData<string> BadUploads => ["svg", "html-as-jpg", "parent-path", "huge-header", "truncated-jpeg", "empty"];

    private static (byte[] Data, string Name, string ContentType, string Message, HttpStatusCode Status) Bad(string kind) => kind switch
    {
        "svg" => ("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(document.cookie)</script></svg>"u8.ToArray(),
            "logo.svg", "image/svg+xml", "不能上传 SVG", HttpStatusCode.UnsupportedMediaType),
        "html-as-jpg" => ("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"u8.ToArray(),
            "photo.jpg", "image/jpeg", "不是图片", HttpStatusCode.UnsupportedMediaType),
        "parent-path" => (TestImages.Png(100, 80), "../../../etc/cron.d/evil.png", "image/png", "../", HttpStatusCode.BadRequest),
        "huge-header" => (TestImages.PngHeaderOnly(30_000, 30_000), "huge.png", "image/png", "30,000 × 30,000", HttpStatusCode.RequestEntityTooLarge),
        "truncated-jpeg" => (TestImages.Jpeg(1200, 800)[..600], "cut.jpg", "image/jpeg", "不完整", HttpStatusCode.BadRequest),
        "empty" => ([], "empty.jpg", "image/jpeg", "文件是空的", HttpStatusCode.BadRequest),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task BadUpload_IsRefusedWithAChineseMessageAndLeavesNothingBehind(string kind)
    {
        var reporter = await ReporterAsync();
        await UploadedIdAsync(await UploadAsync(reporter, TestImages.Jpeg(400, 300), "existing.jpg"));
        var before = await StateAsync();
        var (data, name, contentType, message, status) = Bad(kind);

        using var response = await UploadAsync(reporter, data, name, "替代文字", contentType);

        Assert.Equal(status, response.StatusCode);
        var page = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, page.QuerySelector("#upload-form .form-errors").Text());
        Assert.Equal("替代文字", page.QuerySelector<IHtmlInputElement>("#upload-form-alt")!.Value); // what was typed stays
        Assert.Equal(before, await StateAsync());
        Assert.Equal(1, await _factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.MediaUploaded && e.UserName != "系统")));
    }

    [Fact]
    public async Task TwoHundredMegabyteUpload_IsRefusedWithAClearMessage()
    {
        var reporter = await ReporterAsync();
        var before = await StateAsync();
        var body = new ZeroStream(200L * 1024 * 1024, TestImages.Jpeg(64, 64)[..200]);

        using var response = await UploadAsync(reporter, new StreamContent(body), "big.jpg");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("文件过大（200 MB），图片不能超过 10 MB", page.QuerySelector("#upload-form .form-errors").Text());
        Assert.Equal(before, await StateAsync());
        // The page answers from the Content-Length without reading the body. The test server's client still sends
        // all of it (Kestrel would not have to wait for it), so this cannot be asserted here; the stream only makes
        // sure the 200 MB never sit in memory.
    }

    [Fact]
    public async Task OversizedUploadWithoutLength_IsCutOffAtTheLimit()
    {
        var reporter = await ReporterAsync();
        var before = await StateAsync();
        var body = new ZeroStream(50L * 1024 * 1024, TestImages.Jpeg(64, 64)[..200], knownLength: false);

        using var response = await UploadAsync(reporter, new StreamContent(body), "big.jpg");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("图片不能超过 10 MB", page.QuerySelector("#upload-form .form-errors").Text());
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task UploadWithoutAntiforgeryToken_IsRefused()
    {
        var reporter = await ReporterAsync();
        var before = await StateAsync();

        using var response = await UploadAsync(reporter, new ByteArrayContent(TestImages.Jpeg(300, 200)), "a.jpg", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("页面已过期", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task LibraryAndUpload_NeedANewsroomSignIn()
    {
        var anonymous = _factory.CreateReader();

        using var list = await anonymous.GetAsync("/admin/media");
        using var upload = await anonymous.PostAsync("/admin/media/upload", new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(10, 10)), "File", "a.jpg" } });

        Assert.Equal(HttpStatusCode.Redirect, list.StatusCode);
        Assert.StartsWith("/admin/signin", list.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        Assert.Equal(0, (await StateAsync()).Rows);
    }

    [Fact]
    public async Task Library_ListsNewestFirst_AndSearchesNameAndAltText()
    {
        var reporter = await ReporterAsync();
        await UploadedIdAsync(await UploadAsync(reporter, TestImages.Jpeg(300, 200), "kiwi-orchard.jpg", "猕猴桃园"));
        _factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await UploadedIdAsync(await UploadAsync(reporter, TestImages.Png(300, 201), "delegation.png", "济南代表团", "image/png"));

        var all = await reporter.GetPageAsync("/admin/media");
        var byAlt = await reporter.GetPageAsync("/admin/media?q=猕猴桃");
        var byName = await reporter.GetPageAsync("/admin/media?q=DELEGATION");
        var none = await reporter.GetPageAsync("/admin/media?q=%25");

        Assert.Equal("page", all.QuerySelector("a[href='/admin/media']")!.GetAttribute("aria-current"));
        Assert.Equal(["delegation.png", "kiwi-orchard.jpg"], all.QuerySelectorAll(".media-card__name").Select(e => e.TextContent).Take(2));
        Assert.Equal(["kiwi-orchard.jpg"], byAlt.QuerySelectorAll(".media-card__name").Select(e => e.TextContent));
        Assert.Equal(["delegation.png"], byName.QuerySelectorAll(".media-card__name").Select(e => e.TextContent));
        Assert.Empty(none.QuerySelectorAll(".media-card"));
        Assert.All(all.QuerySelectorAll(".media-card img"), img => Assert.False(string.IsNullOrEmpty(img.GetAttribute("alt"))));
    }

    [Fact]
    public async Task AltText_IsEditableAndAudited()
    {
        var reporter = await ReporterAsync();
        var id = await UploadedIdAsync(await UploadAsync(reporter, TestImages.Jpeg(300, 200), "a.jpg"));

        using var response = await reporter.SubmitFormAsync($"/admin/media/{id}", "#alt-form", new() { ["AltText"] = "  村民在合作社分拣猕猴桃\n" });
        using var tooLong = await reporter.SubmitFormAsync($"/admin/media/{id}", "#alt-form", new() { ["AltText"] = new string('字', 201) });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("村民在合作社分拣猕猴桃", (await ItemAsync(id)).AltText);
        var page = await reporter.GetPageAsync($"/admin/media/{id}");
        Assert.Contains("![村民在合作社分拣猕猴桃](/media/", page.QuerySelector<IHtmlInputElement>("#media-markdown")!.Value);
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.MediaAltChanged).ToListAsync());
        Assert.Contains("村民在合作社分拣猕猴桃", Assert.Single(audit).Details);
    }

    [Fact]
    public async Task CoverFromTheLibrary_IsShownWithRenditionsInSrcset()
    {
        var editor = await EditorAsync();
        var item = await ItemAsync(await UploadedIdAsync(await UploadAsync(editor, TestImages.Jpeg(2000, 1000), "cover.jpg", "湘西的梯田")));
        var articleId = await PublishedArticleIdAsync();

        using var saved = await editor.SaveInEditorAsync(articleId, new() { ["Input.CoverImageUrl"] = item.Url, ["Input.CoverImageAlt"] = "湘西的梯田" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await _factory.ApproveChangeAsync(editor, articleId);

        var page = await _factory.CreateReader().GetPageAsync($"/articles/{articleId}");
        var img = page.QuerySelector(".article__cover img")!;
        var key = item.StoredName[..^4];
        Assert.Equal(item.Url, img.GetAttribute("src"));
        Assert.Equal($"/media/{key}-320.webp 320w, /media/{key}-640.webp 640w, /media/{key}-1280.webp 1280w", img.GetAttribute("srcset"));
        Assert.False(string.IsNullOrEmpty(img.GetAttribute("sizes")));
        Assert.Equal(("2000", "1000"), (img.GetAttribute("width"), img.GetAttribute("height")));
        foreach (var candidate in img.GetAttribute("srcset")!.Split(", ").Select(c => c.Split(' ')[0]))
        {
            using var response = await _factory.CreateReader().GetAsync(candidate);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
        }

        // The channel listing's card shows the same image through its renditions too.
        var channel = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == articleId).Select(a => a.Channel!.Slug).SingleAsync());
        var listing = await _factory.CreateReader().GetPageAsync($"/channels/{channel}");
        var card = listing.QuerySelectorAll(".article-list__image img").Single(i => i.GetAttribute("src") == item.Url);
        Assert.StartsWith($"/media/{key}-320.webp 320w", card.GetAttribute("srcset"));

        // And the details page says where the image is used.
        var details = await editor.GetPageAsync($"/admin/media/{item.Id}");
        Assert.Contains("封面", details.QuerySelector(".media-usage__list").Text());
        Assert.NotNull(details.QuerySelector($".media-usage__list a[href='/admin/articles/{articleId}']"));
    }

    [Fact]
    public async Task ExternalCoverUrl_KeepsWorkingWithoutSrcset()
    {
        var editor = await EditorAsync();
        var articleId = await PublishedArticleIdAsync();

        using var saved = await editor.SaveInEditorAsync(articleId, new() { ["Input.CoverImageUrl"] = "https://img.example.com/a.jpg", ["Input.CoverImageAlt"] = "外部图片" });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await _factory.ApproveChangeAsync(editor, articleId);
        var img = (await _factory.CreateReader().GetPageAsync($"/articles/{articleId}")).QuerySelector(".article__cover img")!;
        Assert.Equal("https://img.example.com/a.jpg", img.GetAttribute("src"));
        Assert.Null(img.GetAttribute("srcset"));
    }

    [Fact]
    public async Task DeletingAnImageInUse_IsRefusedWithTheArticles()
    {
        var editor = await EditorAsync();
        var item = await ItemAsync(await UploadedIdAsync(await UploadAsync(editor, TestImages.Jpeg(900, 600), "body.jpg", "正文配图")));
        var articleId = await PublishedArticleIdAsync();
        var body = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == articleId).Select(a => a.BodyMarkdown).SingleAsync());
        using var saved = await editor.SaveInEditorAsync(articleId, new() { ["Input.Body"] = body + "\n\n" + item.MarkdownSnippet + "\n" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var before = await StateAsync();

        using var response = await editor.SubmitFormAsync($"/admin/media/{item.Id}", "#delete-form", []);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("不能删除", page.QuerySelector(".form-errors").Text());
        Assert.Contains("正文", page.QuerySelector(".media-usage__list").Text());
        Assert.NotNull(page.QuerySelector($".media-usage__list a[href='/admin/articles/{articleId}']"));
        Assert.Equal(before, await StateAsync());
        // The image is only in the pending version (the article is published): readers do not see it yet, and
        // deleting it would break the text that is to replace theirs.
        var img = (await _factory.CreateReader().GetPageAsync($"/articles/{articleId}")).QuerySelector($".article__body img[src='{item.Url}']");
        Assert.Null(img);
    }

    /// <summary>Spellings of the image's URL that a browser loads: {file} is "{hash}-{w}x{h}.jpg".</summary>
    public static TheoryData<string, bool> HiddenSpellings() => new()
    {
        { "![x](&#x2F;media/{file})", false },
        { "![x](&#47;media/{file})", true },
        { "![x](/%6Dedia/{file})", false },
        { "![x](/media/%{hex0}{file1})", true },
        { "![x](/media/&#x{hex0};{file1})", false },
        { "![x](/media/../media/{file})", true },
        { "![x](../media/{file})", false },
        { "![x](\\media\\{file})", true },
        { "![x](/media/{dashEscaped})", false },
        { "[原图](/media/%25{hex0}{file1})", true },
        { "<img src=x>\n\n[x]: /%6Dedia/{file}\n\n![x][x]", false },
    };

    [Theory]
    [MemberData(nameof(HiddenSpellings))]
    public async Task DeletingAnImage_UsedUnderAnotherSpelling_IsRefused(string template, bool pending)
    {
        var editor = await EditorAsync();
        var item = await ItemAsync(await UploadedIdAsync(await UploadAsync(editor, TestImages.Jpeg(900, 600), "hidden.jpg", "配图")));
        var file = item.StoredName;
        var markdown = template.Replace("{file}", file).Replace("{hex0}", ((int)file[0]).ToString("X2")).Replace("{file1}", file[1..])
            .Replace("{dashEscaped}", file.Replace("-", "\\-"));
        var articleId = await PublishedArticleIdAsync();
        if (pending)
        {
            // A published article's edit: the image is only in the pending version's Markdown.
            var body = await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == articleId).Select(a => a.BodyMarkdown).SingleAsync());
            using var saved = await editor.SaveInEditorAsync(articleId, new() { ["Input.Body"] = body + "\n\n" + markdown + "\n" });
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        else
        {
            var html = _factory.Services.GetRequiredService<PovertyNews.Web.Markdown.MarkdownRenderer>().Render(markdown);
            await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == articleId)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.BodyMarkdown, markdown).SetProperty(a => a.BodyHtml, html)));
        }

        using var response = await editor.SubmitFormAsync($"/admin/media/{item.Id}", "#delete-form", []);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.NotNull(Parse(await response.Content.ReadAsStringAsync()).QuerySelector($".media-usage__list a[href='/admin/articles/{articleId}']"));
    }

    [Fact]
    public async Task ImageKeyInPlainText_IsNoUse()
    {
        var editor = await EditorAsync();
        var item = await ItemAsync(await UploadedIdAsync(await UploadAsync(editor, TestImages.Jpeg(900, 600), "text.jpg", "配图")));
        var articleId = await PublishedArticleIdAsync();
        var markdown = $"文件名是 {item.StoredName}，增长 5%。";
        var html = _factory.Services.GetRequiredService<PovertyNews.Web.Markdown.MarkdownRenderer>().Render(markdown);
        await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == articleId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.BodyMarkdown, markdown).SetProperty(a => a.BodyHtml, html)));

        using var response = await editor.SubmitFormAsync($"/admin/media/{item.Id}", "#delete-form", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task DeletingAnUnusedImage_RemovesItsRowAndFiles()
    {
        var editor = await EditorAsync();
        var keep = await UploadedIdAsync(await UploadAsync(editor, TestImages.Png(700, 500), "keep.png", contentType: "image/png"));
        var before = await StateAsync();
        var item = await ItemAsync(await UploadedIdAsync(await UploadAsync(editor, TestImages.Jpeg(1400, 700), "old.jpg")));
        Assert.Equal(before.FileCount + 4, (await StateAsync()).FileCount);

        using var response = await editor.SubmitFormAsync($"/admin/media/{item.Id}", "#delete-form", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/media", response.Headers.Location!.OriginalString);
        Assert.Equal(before, await StateAsync());
        Assert.NotNull(await _factory.WithDbAsync(db => db.MediaItems.FindAsync(keep).AsTask()));
        using var gone = await _factory.CreateReader().GetAsync(item.Url);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var audit = await _factory.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.MediaDeleted).ToListAsync());
        Assert.Equal("media:" + item.StoredName, Assert.Single(audit).Target);
    }

    [Fact]
    public async Task Reporter_UploadsButCannotDelete()
    {
        var reporter = await ReporterAsync();
        var id = await UploadedIdAsync(await UploadAsync(reporter, TestImages.Jpeg(300, 200), "a.jpg"));
        var page = await reporter.GetPageAsync($"/admin/media/{id}");
        var token = page.QuerySelector<IHtmlInputElement>("#alt-form input[name=__RequestVerificationToken]")!.Value;
        var before = await StateAsync();

        using var response = await reporter.PostAsync($"/admin/media/{id}?handler=Delete",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Null(page.QuerySelector("#delete-form"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task MissingRendition_IsMadeOnceOnRequest()
    {
        var reporter = await ReporterAsync();
        var item = await ItemAsync(await UploadedIdAsync(await UploadAsync(reporter, TestImages.Jpeg(1000, 500), "a.jpg")));
        var key = item.StoredName[..^4];
        File.Delete(Path.Combine(MediaFolder, key + "-640.webp"));

        using var made = await _factory.CreateReader().GetAsync($"/media/{key}-640.webp");
        using var tooWide = await _factory.CreateReader().GetAsync($"/media/{key}-1280.webp");
        using var notConfigured = await _factory.CreateReader().GetAsync($"/media/{key}-500.webp");
        using var traversal = await _factory.CreateReader().GetAsync("/media/..%2f..%2fnews.db");

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Equal("image/webp", made.Content.Headers.ContentType!.MediaType);
        Assert.True(File.Exists(Path.Combine(MediaFolder, key + "-640.webp")));
        Assert.Equal(HttpStatusCode.NotFound, tooWide.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notConfigured.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    [Fact]
    public async Task EditorPicker_ListsImages_AndUploadsAnswerJson()
    {
        var reporter = await ReporterAsync();
        await UploadedIdAsync(await UploadAsync(reporter, TestImages.Jpeg(300, 200), "listed.jpg", "已有图片"));

        var editorPage = await reporter.GetPageAsync("/admin/articles/new");
        var picker = await reporter.GetPageAsync("/admin/media/picker");
        using var uploaded = await UploadAsync(reporter, new ByteArrayContent(TestImages.Png(400, 300)), "新图.png", "新上传", "image/png", json: true);
        using var refused = await UploadAsync(reporter, new ByteArrayContent("<svg/>"u8.ToArray()), "x.svg", null, "image/svg+xml", json: true);

        Assert.NotNull(editorPage.QuerySelector("dialog#media-dialog[data-picker-url='/admin/media/picker']"));
        Assert.NotNull(editorPage.QuerySelector("button[data-media-open=cover]"));
        Assert.Null(editorPage.QuerySelector("#article-form dialog")); // forms cannot nest
        var pick = picker.QuerySelector("button[data-pick-url]")!;
        Assert.Equal("已有图片", pick.GetAttribute("data-pick-alt"));
        Assert.StartsWith("![已有图片](/media/", pick.GetAttribute("data-pick-markdown"));
        Assert.NotNull(picker.QuerySelector("form.media-upload input[name=__RequestVerificationToken]"));

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        using var json = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync());
        Assert.Matches("^/media/[0-9a-f]{32}-400x300\\.png$", json.RootElement.GetProperty("url").GetString());
        Assert.Equal("新上传", json.RootElement.GetProperty("alt").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("SVG", error.RootElement.GetProperty("message").GetString());
    }

    private Task<int> PublishedArticleIdAsync() => _factory.WithDbAsync(db => db.Articles
        .Where(a => a.Status == ArticleStatus.Published && a.Kind == ArticleKind.Article)
        .OrderBy(a => a.Id).Select(a => a.Id).FirstAsync());

    /// <summary>
    /// A long request body made up as it is read (a JPEG's first bytes, then zeros), so a 200 MB upload costs no
    /// memory; counts what was read. Without a known length it is sent chunked.
    /// </summary>
    private sealed class ZeroStream(long length, byte[] head, bool knownLength = true) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => knownLength;
        public override bool CanWrite => false;
        public override long Length => knownLength ? length : throw new NotSupportedException();
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

    [Fact]
    public async Task Upload_IsCopiedToATemporaryFileAsItIsRead_AndTheFileIsRemovedAfterwards()
    {
        var image = TestImages.Jpeg(1600, 900);
        var temporary = Path.Combine(MediaFolder, ".tmp");
        var watched = new WatchingStream(image, () => Directory.GetFiles(temporary).Sum(f => new FileInfo(f).Length));
        await _factory.CreateUserAsync("reporter@example.com", NewsRoles.Reporter);
        var user = await _factory.WithDbAsync(db => db.Users.Select(u => u.Id).FirstAsync());

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<MediaLibrary>()
                .UploadAsync(watched, image.Length, "streamed.jpg", null, new Actor(user, "测试", new HashSet<string>()), CancellationToken.None);
            Assert.True(result.Succeeded, result.Message);
        }

        Assert.True(image.Length > 8 * WatchingStream.Piece);
        // By the last read, everything before it was already on disk, not in a buffer of the library's.
        Assert.True(watched.OnDiskAtLastRead >= image.Length - WatchingStream.Piece, $"{watched.OnDiskAtLastRead} bytes on disk");
        Assert.Empty(Directory.GetFiles(temporary));
    }

    /// <summary>Hands out its bytes in small pieces and notes, at each read, how much the temporary folder holds.</summary>
    private sealed class WatchingStream(byte[] data, Func<long> onDisk) : MemoryStream(data, writable: false)
    {
        public const int Piece = 1024;
        public long OnDiskAtLastRead { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            OnDiskAtLastRead = onDisk();
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, Piece)], cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
