using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// The access policy as the browser meets it: every role × every article state × every page, list, search scope,
/// export and action that shows or changes an article. Each row of <see cref="Matrix"/> is one page or action for
/// one role, with the expected answer for the six states in order: 草稿, 审核中, 待发布, 定时未到, 已发布, 已撤稿
/// (Y = allowed or listed, . = refused or absent). The articles sit in 协作 (xiezuo), owned by the reporter
/// "owner"; "editor-a" covers only the 脱贫 desk (tuopin), so in xiezuo they read but may not act.
/// </summary>
public sealed class AccessMatrixTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] States = ["draft", "review", "approved", "scheduled", "published", "withdrawn"];
    private const string Word = "雪莲矩阵";

    private static readonly Actor Seeder1 = new("seed-1", "初审人", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Seeder2 = new("seed-2", "复审人", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor SeedChief = new("seed-3", "终审人", new HashSet<string> { NewsRoles.EditorInChief });

    public static TheoryData<string, string, string> Matrix() => new()
    {
        // Review page (read-only view): administrators and editorial staff read everything; reporters their own and what readers see.
        { "view", "admin", "YYYYYY" }, { "view", "chief", "YYYYYY" }, { "view", "editor-a", "YYYYYY" },
        { "view", "editor-all", "YYYYYY" }, { "view", "owner", "YYYYYY" }, { "view", "other", "....Y." }, { "view", "anonymous", "......" },
        // Editor page: writers only, in their desk; a reporter only their draft; nobody a withdrawn report.
        { "edit", "admin", "......" }, { "edit", "chief", "YYYYY." }, { "edit", "editor-a", "......" },
        { "edit", "editor-all", "YYYYY." }, { "edit", "owner", "Y....." }, { "edit", "other", "......" }, { "edit", "anonymous", "......" },
        { "revisions", "admin", "YYYYYY" }, { "revisions", "chief", "YYYYYY" }, { "revisions", "editor-a", "YYYYYY" },
        { "revisions", "editor-all", "YYYYYY" }, { "revisions", "owner", "YYYYYY" }, { "revisions", "other", "....Y." }, { "revisions", "anonymous", "......" },
        // The editor's live preview renders posted Markdown, no article: writers in every state, nobody else.
        { "preview", "admin", "......" }, { "preview", "chief", "YYYYYY" }, { "preview", "editor-a", "YYYYYY" },
        { "preview", "editor-all", "YYYYYY" }, { "preview", "owner", "YYYYYY" }, { "preview", "other", "YYYYYY" }, { "preview", "anonymous", "......" },
        // Listed: the staff search, its CSV export and the article list show exactly what the review page opens for.
        { "search", "admin", "YYYYYY" }, { "search", "chief", "YYYYYY" }, { "search", "editor-a", "YYYYYY" },
        { "search", "editor-all", "YYYYYY" }, { "search", "owner", "YYYYYY" }, { "search", "other", "....Y." }, { "search", "anonymous", "......" },
        { "csv", "admin", "YYYYYY" }, { "csv", "chief", "YYYYYY" }, { "csv", "editor-a", "YYYYYY" },
        { "csv", "editor-all", "YYYYYY" }, { "csv", "owner", "YYYYYY" }, { "csv", "other", "....Y." }, { "csv", "anonymous", "......" },
        { "list", "admin", "YYYYYY" }, { "list", "chief", "YYYYYY" }, { "list", "editor-a", "YYYYYY" },
        { "list", "editor-all", "YYYYYY" }, { "list", "owner", "YYYYYY" }, { "list", "other", "....Y." }, { "list", "anonymous", "......" },
        // Dashboard blocks: my drafts, 待我审核 (only the desk's), scheduled, recently published and withdrawn within the scope.
        { "dashboard", "admin", "......" }, { "dashboard", "chief", ".Y.YYY" }, { "dashboard", "editor-a", "...YYY" },
        { "dashboard", "editor-all", ".Y.YYY" }, { "dashboard", "owner", "Y..YYY" }, { "dashboard", "other", "....Y." }, { "dashboard", "anonymous", "......" },
        // 排期 lists what is scheduled or out, within the same scope as the article list: a reporter sees another's
        // scheduled report only once readers do.
        { "calendar", "admin", "...YY." }, { "calendar", "chief", "...YY." }, { "calendar", "editor-a", "...YY." },
        { "calendar", "editor-all", "...YY." }, { "calendar", "owner", "...YY." }, { "calendar", "other", "....Y." }, { "calendar", "anonymous", "......" },
        // Steps: only the state that offers them, only editorial staff of the article's desk.
        { "pass", "admin", "......" }, { "pass", "chief", ".Y...." }, { "pass", "editor-a", "......" },
        { "pass", "editor-all", ".Y...." }, { "pass", "owner", "......" }, { "pass", "other", "......" }, { "pass", "anonymous", "......" },
        { "publish", "admin", "......" }, { "publish", "chief", "..Y..." }, { "publish", "editor-a", "......" },
        { "publish", "editor-all", "..Y..." }, { "publish", "owner", "......" }, { "publish", "other", "......" }, { "publish", "anonymous", "......" },
        // 改期 from the calendar: the review page's step, so the same people and the one state.
        { "reschedule", "admin", "......" }, { "reschedule", "chief", "...Y.." }, { "reschedule", "editor-a", "......" },
        { "reschedule", "editor-all", "...Y.." }, { "reschedule", "owner", "......" }, { "reschedule", "other", "......" }, { "reschedule", "anonymous", "......" },
        { "withdraw", "admin", "......" }, { "withdraw", "chief", "...YY." }, { "withdraw", "editor-a", "......" },
        { "withdraw", "editor-all", "...YY." }, { "withdraw", "owner", "......" }, { "withdraw", "other", "......" }, { "withdraw", "anonymous", "......" },
        // 更正 stages a pending version in review: the same people and states as a withdrawal.
        { "correct", "admin", "......" }, { "correct", "chief", "...YY." }, { "correct", "editor-a", "......" },
        { "correct", "editor-all", "...YY." }, { "correct", "owner", "......" }, { "correct", "other", "......" }, { "correct", "anonymous", "......" },
        // The media library names an article using the image only to whom may open it (the others are counted).
        { "media", "admin", "YYYYYY" }, { "media", "chief", "YYYYYY" }, { "media", "editor-a", "YYYYYY" },
        { "media", "editor-all", "YYYYYY" }, { "media", "owner", "YYYYYY" }, { "media", "other", "....Y." }, { "media", "anonymous", "......" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task RoleAgainstArticleStateAndPage_IsAllowedOrRefused(string row, string role, string expected)
    {
        var (ids, mediaId) = await SeedAsync();
        var client = await ClientAsync(role);
        var actual = new char[States.Length];
        switch (row)
        {
            case "view":
            case "edit":
            case "revisions":
                for (var i = 0; i < States.Length; i++)
                {
                    var url = $"/admin/articles/{ids[i]}" + (row == "view" ? "" : "/" + row);
                    using var response = await client.GetAsync(url);
                    actual[i] = Allowed(response, url);
                }
                break;
            case "preview":
                for (var i = 0; i < States.Length; i++)
                {
                    using var response = await PostAsync(client, "/admin/articles/preview", new() { ["Markdown"] = "**预览**" });
                    actual[i] = Allowed(response, "preview");
                }
                break;
            case "search":
            case "csv":
            case "list":
            case "dashboard":
            case "calendar":
            case "media":
            {
                var text = await ListedTextAsync(client, row, mediaId);
                for (var i = 0; i < States.Length; i++)
                {
                    actual[i] = text.Contains(Title(States[i]), StringComparison.Ordinal) ? 'Y' : '.';
                }
                break;
            }
            case "pass":
            case "publish":
            case "withdraw":
            case "correct":
                for (var i = 0; i < States.Length; i++)
                {
                    var before = await StateAsync(ids[i]);
                    using var response = await PostAsync(client, $"/admin/articles/{ids[i]}?handler={char.ToUpperInvariant(row[0]) + row[1..]}",
                        new() { ["Input.Version"] = before.Version.ToString(), ["Input.Note"] = "矩阵测试" });
                    var after = await StateAsync(ids[i]);
                    actual[i] = after.Version != before.Version ? 'Y' : '.';
                    if (actual[i] == '.')
                    {
                        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Found,
                            $"{row} on {States[i]} answered {(int)response.StatusCode}");
                    }
                }
                break;
            case "reschedule":
                for (var i = 0; i < States.Length; i++)
                {
                    var before = await StateAsync(ids[i]);
                    using var response = await PostAsync(client, "/admin/calendar?handler=Reschedule", new()
                    {
                        ["Input.Id"] = ids[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["Input.Version"] = before.Version.ToString(),
                        ["Input.At"] = PovertyNews.Web.Newsroom.Publishing.WorkflowSteps.FormatChinaLocal(_factory.Clock.GetUtcNow().UtcDateTime.AddHours(3)),
                    });
                    var after = await StateAsync(ids[i]);
                    actual[i] = after.Version != before.Version ? 'Y' : '.';
                    if (actual[i] == '.')
                    {
                        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Found,
                            $"{row} on {States[i]} answered {(int)response.StatusCode}");
                    }
                }
                break;
            default:
                throw new ArgumentException(row);
        }
        Assert.Equal(expected, new string(actual));
    }

    private static string Title(string state) => $"{Word}{state}稿件";

    private static char Allowed(HttpResponseMessage response, string what)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                return 'Y';
            case HttpStatusCode.Forbidden or HttpStatusCode.NotFound:
                return '.';
            case HttpStatusCode.Found:
                // Anonymous: sent to sign in, never shown the page.
                Assert.StartsWith("/admin/signin", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));
                return '.';
            default:
                throw new Xunit.Sdk.XunitException($"{what} answered {(int)response.StatusCode}");
        }
    }

    private async Task<string> ListedTextAsync(HttpClient client, string row, int mediaId)
    {
        if (row == "calendar")
        {
            // The weeks of now and of the scheduled report's time (two hours on, perhaps past a Sunday midnight).
            var now = _factory.Clock.GetUtcNow().UtcDateTime;
            var weeks = new[] { now, now.AddHours(2) }.Select(t => ChinaTime.Today(t).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Distinct();
            var texts = new List<string>();
            foreach (var day in weeks)
            {
                texts.Add(await ListedTextAsync(client, $"/admin/calendar?view=week&date={day}"));
            }
            return string.Join("\n", texts);
        }
        var url = row switch
        {
            "search" => "/admin/search?q=" + Uri.EscapeDataString(Word),
            "csv" => "/admin/search?handler=csv&q=" + Uri.EscapeDataString(Word),
            "list" => "/admin/articles",
            "dashboard" => "/admin",
            _ => $"/admin/media/{mediaId}",
        };
        return await ListedTextAsync(client, url);
    }

    private static async Task<string> ListedTextAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.True(response.StatusCode is HttpStatusCode.Found or HttpStatusCode.Forbidden, $"{url} answered {(int)response.StatusCode}");
            return "";
        }
        var body = await response.Content.ReadAsStringAsync();
        if (url.Contains("handler=csv", StringComparison.Ordinal))
        {
            return body;
        }
        // Listed means linked: the title as a link to the article's review page.
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(body);
        return string.Join("\n", page.QuerySelectorAll("main a[href^='/admin/articles/']").Select(a => a.TextContent));
    }

    private async Task<HttpClient> ClientAsync(string role)
    {
        if (role == "anonymous")
        {
            return _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        }
        return await _factory.SignInAsync($"{role}@example.com");
    }

    /// <summary>Posts with this client's antiforgery token (from the sign-in page for anonymous clients).</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        using var tokenPage = await client.GetAsync("/admin");
        var page = tokenPage.StatusCode == HttpStatusCode.OK ? await client.GetPageAsync("/admin") : await client.GetPageAsync("/admin/signin");
        fields["__RequestVerificationToken"] = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    private Task<(ArticleStatus Status, Guid Version)> StateAsync(int id) =>
        _factory.WithDbAsync(async db =>
        {
            var row = await db.Articles.Where(a => a.Id == id).Select(a => new { a.Status, a.Version }).SingleAsync();
            return (row.Status, row.Version);
        });

    /// <summary>The users, editor-a's desk, one article per state in xiezuo and an image all six use as cover.</summary>
    private async Task<(int[] Ids, int MediaId)> SeedAsync()
    {
        foreach (var (name, role) in new[] { ("admin", NewsRoles.Administrator), ("chief", NewsRoles.EditorInChief),
                     ("editor-a", NewsRoles.Editor), ("editor-all", NewsRoles.Editor), ("owner", NewsRoles.Reporter), ("other", NewsRoles.Reporter) })
        {
            await _factory.CreateUserAsync($"{name}@example.com", role);
        }
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        return await _factory.WithDbAsync(async db =>
        {
            var xiezuo = await db.Channels.SingleAsync(c => c.Slug == "xiezuo");
            var tuopin = await db.Channels.SingleAsync(c => c.Slug == "tuopin");
            var users = await db.Users.ToDictionaryAsync(u => u.Email!.Split('@')[0], u => u.Id);
            db.DeskAssignments.Add(new DeskAssignment { UserId = users["editor-a"], ChannelId = tuopin.Id });
            var stored = MediaName.Create(new string('a', 32), 120, 80, "jpg").FileName;
            var media = new MediaItem
            {
                StoredName = stored, OriginalName = "matrix.jpg", SourceFormat = "jpeg", ContentType = "image/jpeg", Sha256 = "",
                Width = 120, Height = 80, UploadedAt = now, UploadedById = users["owner"], UploadedByName = "owner",
            };
            db.MediaItems.Add(media);
            var owner = new Actor(users["owner"], "owner", new HashSet<string> { NewsRoles.Reporter });
            var articles = States.Select(state =>
            {
                var a = new ArticleBuilder(xiezuo.Id, Title(state)).Draft().Owner(users["owner"]).Build();
                a.CoverImageUrl = MediaName.UrlOf(stored);
                a.UpdatedAt = now;
                if (state != "draft")
                {
                    a.Submit(owner, now.AddMinutes(-10));
                }
                if (state is "approved" or "scheduled" or "published" or "withdrawn")
                {
                    a.Pass(Seeder1, 3, now.AddMinutes(-9));
                    a.Pass(Seeder2, 3, now.AddMinutes(-8));
                    a.Pass(SeedChief, 3, now.AddMinutes(-7));
                }
                if (state == "scheduled")
                {
                    a.Release(SeedChief, now.AddMinutes(-6), now.AddHours(2));
                }
                if (state is "published" or "withdrawn")
                {
                    a.Release(SeedChief, now.AddMinutes(-1));
                }
                if (state == "withdrawn")
                {
                    a.Withdraw(SeedChief, "矩阵测试撤稿", now.AddSeconds(-30));
                }
                return a;
            }).ToList();
            db.Articles.AddRange(articles);
            await db.SaveChangesAsync();
            return (articles.Select(a => a.Id).ToArray(), media.Id);
        });
    }
}
