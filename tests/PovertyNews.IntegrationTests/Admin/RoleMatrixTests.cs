using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>One signed-in client per role, shared by the matrix (sign-in is rate limited per address).</summary>
public sealed class RoleMatrixFixture : IAsyncLifetime
{
    public NewsFactory Factory { get; } = new();
    public Dictionary<string, HttpClient> Clients { get; } = [];
    public Dictionary<string, string> UserIds { get; } = [];

    public static readonly string[] Roles = [NewsRoles.Reporter, NewsRoles.Editor, NewsRoles.EditorInChief, NewsRoles.Administrator];

    public async Task InitializeAsync()
    {
        foreach (var role in Roles.Append("OtherReporter"))
        {
            var email = $"{role.ToLowerInvariant()}@example.com";
            await Factory.CreateUserAsync(email, role == "OtherReporter" ? NewsRoles.Reporter : role);
            Clients[role] = await Factory.SignInAsync(email);
            UserIds[role] = await Factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        }
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Each role against each newsroom action: allowed ones change the article, refused ones leave it as it was.</summary>
public sealed class RoleMatrixTests(RoleMatrixFixture fixture) : IClassFixture<RoleMatrixFixture>
{
    private static readonly Actor Seeder1 = new("seed-1", "初审人", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Seeder2 = new("seed-2", "复审人", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor SeedChief = new("seed-3", "终审人", new HashSet<string> { NewsRoles.EditorInChief });

    public static TheoryData<string, string, bool> Matrix() => new()
    {
        { NewsRoles.Reporter, "create", true },
        { NewsRoles.Editor, "create", true },
        { NewsRoles.EditorInChief, "create", true },
        { NewsRoles.Administrator, "create", false },

        { NewsRoles.Reporter, "edit-own", true },
        { NewsRoles.Editor, "edit-own", true },
        { NewsRoles.EditorInChief, "edit-own", true },

        { NewsRoles.Reporter, "edit-others", false },
        { NewsRoles.Editor, "edit-others", true },
        { NewsRoles.EditorInChief, "edit-others", true },
        { NewsRoles.Administrator, "edit-others", false },

        { NewsRoles.Reporter, "pass-1", false },
        { NewsRoles.Editor, "pass-1", true },
        { NewsRoles.EditorInChief, "pass-1", true },
        { NewsRoles.Administrator, "pass-1", false },

        { NewsRoles.Reporter, "pass-2", false },
        { NewsRoles.Editor, "pass-2", true },
        { NewsRoles.EditorInChief, "pass-2", true },
        { NewsRoles.Administrator, "pass-2", false },

        { NewsRoles.Reporter, "pass-3", false },
        { NewsRoles.Editor, "pass-3", false },
        { NewsRoles.EditorInChief, "pass-3", true },
        { NewsRoles.Administrator, "pass-3", false },

        { NewsRoles.Reporter, "publish", false },
        { NewsRoles.Editor, "publish", true },
        { NewsRoles.EditorInChief, "publish", true },
        { NewsRoles.Administrator, "publish", false },

        { NewsRoles.Reporter, "schedule", false },
        { NewsRoles.Editor, "schedule", true },
        { NewsRoles.EditorInChief, "schedule", true },
        { NewsRoles.Administrator, "schedule", false },

        { NewsRoles.Reporter, "withdraw", false },
        { NewsRoles.Editor, "withdraw", true },
        { NewsRoles.EditorInChief, "withdraw", true },
        { NewsRoles.Administrator, "withdraw", false },

        { NewsRoles.Reporter, "users", false },
        { NewsRoles.Editor, "users", false },
        { NewsRoles.EditorInChief, "users", false },
        { NewsRoles.Administrator, "users", true },

        { NewsRoles.Reporter, "settings", false },
        { NewsRoles.Editor, "settings", false },
        { NewsRoles.EditorInChief, "settings", false },
        { NewsRoles.Administrator, "settings", true },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task RoleAgainstAction_IsAllowedOrRefused(string role, string action, bool allowed)
    {
        var client = fixture.Clients[role];
        var factory = fixture.Factory;
        switch (action)
        {
            case "create":
                await ExpectPageAsync(client, "/admin/articles/new", allowed);
                break;
            case "edit-own":
            case "edit-others":
            {
                var owner = action == "edit-own" ? role : "OtherReporter";
                var id = await SeedAsync(owner, _ => { });
                var before = await VersionAsync(id);
                var response = await PostAsync(client, $"/admin/articles/{id}/edit", await EditFieldsAsync(id, "矩阵测试改写的标题"));
                var title = await factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Title).SingleAsync());
                Assert.Equal(allowed, title == "矩阵测试改写的标题");
                if (!allowed)
                {
                    Assert.Contains(response, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
                    Assert.Equal(before, await VersionAsync(id));
                }
                break;
            }
            case "pass-1":
            case "pass-2":
            case "pass-3":
            {
                var level = action[^1] - '0';
                var id = await SeedAsync("OtherReporter", a =>
                {
                    a.Submit(new Actor(fixture.UserIds["OtherReporter"], "记者", new HashSet<string> { NewsRoles.Reporter }), Now.AddMinutes(-10));
                    if (level >= 2) a.Pass(Seeder1, 3, Now.AddMinutes(-9));
                    if (level >= 3) a.Pass(Seeder2, 3, Now.AddMinutes(-8));
                });
                await PostAsync(client, $"/admin/articles/{id}?handler=Pass", new() { ["Input.Version"] = (await VersionAsync(id)).ToString() });
                var reached = await factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.ReviewLevel).SingleAsync());
                Assert.Equal(allowed ? level : level - 1, reached);
                break;
            }
            case "publish":
            case "schedule":
            {
                var id = await SeedAsync("OtherReporter", Approve);
                var fields = new Dictionary<string, string> { ["Input.Version"] = (await VersionAsync(id)).ToString() };
                if (action == "schedule")
                {
                    fields["Input.At"] = ChinaTime.FromUtc(Now.AddHours(3)).ToString("yyyy-MM-ddTHH:mm");
                }
                await PostAsync(client, $"/admin/articles/{id}?handler={(action == "publish" ? "Publish" : "Schedule")}", fields);
                var status = await StatusAsync(id);
                Assert.Equal(allowed ? (action == "publish" ? ArticleStatus.Published : ArticleStatus.Scheduled) : ArticleStatus.Approved, status);
                break;
            }
            case "withdraw":
            {
                var id = await SeedAsync("OtherReporter", a => { Approve(a); a.Release(SeedChief, Now.AddMinutes(-1)); });
                await PostAsync(client, $"/admin/articles/{id}?handler=Withdraw",
                    new() { ["Input.Version"] = (await VersionAsync(id)).ToString(), ["Input.Note"] = "矩阵测试撤稿" });
                Assert.Equal(allowed ? ArticleStatus.Withdrawn : ArticleStatus.Published, await StatusAsync(id));
                break;
            }
            case "users":
                await ExpectPageAsync(client, "/admin/users", allowed);
                break;
            case "settings":
                await ExpectPageAsync(client, "/admin/settings", allowed);
                break;
            default:
                throw new ArgumentException(action);
        }
    }

    [Fact]
    public async Task RefusedPost_ShowsTheChineseErrorPage()
    {
        var client = fixture.Clients[NewsRoles.Reporter];
        var id = await SeedAsync("OtherReporter", _ => { });
        var dashboard = await client.GetPageAsync("/admin");
        var token = dashboard.QuerySelector("form.admin-signout input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await client.PostAsync($"/admin/articles/{id}/edit", new FormUrlEncodedContent(
            (await EditFieldsAsync(id, "不该保存的标题")).Append(new("__RequestVerificationToken", token))));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync());
    }

    private DateTime Now => fixture.Factory.Clock.GetUtcNow().UtcDateTime;

    private void Approve(Article a)
    {
        a.Submit(new Actor(fixture.UserIds["OtherReporter"], "记者", new HashSet<string> { NewsRoles.Reporter }), Now.AddMinutes(-10));
        a.Pass(Seeder1, 3, Now.AddMinutes(-9));
        a.Pass(Seeder2, 3, Now.AddMinutes(-8));
        a.Pass(SeedChief, 3, Now.AddMinutes(-7));
    }

    private async Task<int> SeedAsync(string ownerRole, Action<Article> prepare) =>
        await fixture.Factory.WithDbAsync(async db =>
        {
            var channel = await db.Channels.FirstAsync(c => c.Slug == "xiezuo");
            var article = new ArticleBuilder(channel.Id, "矩阵测试稿件").Draft().Build();
            article.OwnerId = fixture.UserIds[ownerRole];
            prepare(article);
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            return article.Id;
        });

    private Task<Guid> VersionAsync(int id) =>
        fixture.Factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Version).SingleAsync());

    private Task<ArticleStatus> StatusAsync(int id) =>
        fixture.Factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Status).SingleAsync());

    /// <summary>The edit form's fields as the article stands, with a new title; built from the database so refused roles can post too.</summary>
    private async Task<Dictionary<string, string>> EditFieldsAsync(int id, string title)
    {
        var a = await fixture.Factory.WithDbAsync(db => db.Articles.Where(x => x.Id == id)
            .Select(x => new { x.Summary, x.ChannelId, x.BodyMarkdown, x.Kind, x.Version }).SingleAsync());
        return new Dictionary<string, string>
        {
            ["Input.Title"] = title,
            ["Input.Summary"] = a.Summary,
            ["Input.ChannelId"] = a.ChannelId.ToString(),
            ["Input.Body"] = a.BodyMarkdown,
            ["Input.Kind"] = a.Kind.ToString(),
            ["Input.Version"] = a.Version.ToString(),
        };
    }

    private static async Task ExpectPageAsync(HttpClient client, string url, bool allowed)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>Posts with a valid antiforgery token of this user (taken from the dashboard's sign-out form).</summary>
    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        var dashboard = await client.GetPageAsync("/admin");
        var token = dashboard.QuerySelector("form.admin-signout input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        fields["__RequestVerificationToken"] = token;
        using var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.True((int)response.StatusCode < 500, $"POST {url} answered {(int)response.StatusCode}");
        return response.StatusCode;
    }
}
