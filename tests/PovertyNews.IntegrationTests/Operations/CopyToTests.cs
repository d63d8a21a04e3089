using System.Diagnostics;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PovertyNews.IntegrationTests.Admin;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Operations.Move;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// An SQLite site with the sample content and a row in every table of the model (a newsroom's users, drafts, reviews,
/// media, view counts, …), copied to PostgreSQL by <c>copy-to</c>.
/// </summary>
public sealed class CopyToSourceSite : IAsyncLifetime
{
    public NewsFactory Factory { get; } = new()
    {
        // The source is SQLite whichever provider this run of the tests is for.
        ConfigureHost = b =>
        {
            b.UseSetting("PovertyNews:Database:Provider", "Sqlite");
            b.UseSetting("ConnectionStrings:News", "");
        },
    };

    public string DataPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var app = Factory;
        await app.CreateUserInAsync("move-reporter@example.com", NewsRoles.Reporter);
        await app.CreateUserInAsync("move-editor@example.com", NewsRoles.Editor);
        // A draft through the first review step: reviews and audit entries, as the newsroom makes them.
        var draft = await app.CreateDraftAsync("move-reporter@example.com", "搬迁测试稿件");
        await (await app.SignInToAsync("move-reporter@example.com")).StepOkAsync(draft, "submit");
        await (await app.SignInToAsync("move-editor@example.com")).StepOkAsync(draft, "pass");

        await app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var article = await db.Articles.Where(a => a.Status == ArticleStatus.Published).OrderBy(a => a.Id).FirstAsync();
            // A published change: new title and version.
            article.Title += "（更新）";
            article.ViewCount += 41;
            var editor = await db.Users.SingleAsync(u => u.Email == "move-editor@example.com");
            var channel = await db.Channels.OrderBy(c => c.Id).FirstAsync();
            db.ArticleRevisions.Add(new ArticleRevision
            {
                ArticleId = article.Id, Number = 1, Title = article.Title, Summary = article.Summary, BodyMarkdown = article.BodyMarkdown,
                ChannelId = article.ChannelId, UserId = editor.Id, UserName = "move-editor", At = now, Note = "搬迁测试",
            });
            db.ArticleDailyViews.Add(new ArticleDailyViews { ArticleId = article.Id, Day = DateOnly.FromDateTime(now), Views = 41 });
            db.MediaItems.Add(new MediaItem
            {
                StoredName = "move-test.webp", OriginalName = "搬迁.png", SourceFormat = "png", ContentType = "image/webp", Width = 640,
                Height = 480, Length = 1234, Sha256 = new string('a', 64), UploadedAt = now, UploadedById = editor.Id,
                UploadedByName = "move-editor", RenditionWidths = [320, 640],
            });
            db.SensitiveWords.Add(new SensitiveWord
            {
                Word = "搬迁测试词", NormalizedWord = "搬迁测试词", Action = SensitiveWordAction.Flag, CreatedAt = now, CreatedBy = "test", UpdatedAt = now,
            });
            db.ChannelRedirects.Add(new ChannelRedirect { OldSlug = "old-move-channel", ChannelId = channel.Id, RetiredAt = now });
            db.DeskAssignments.Add(new DeskAssignment { UserId = editor.Id, ChannelId = channel.Id });
            db.PreviewLinks.Add(PreviewLink.Create(article.Id, 1, editor.Id, "move-editor", now, TimeSpan.FromDays(3)));
            // The newsroom's tools (the editor's pass above wrote the notifications).
            db.NotificationPreferences.Add(new NotificationPreference { UserId = editor.Id, Kind = NotificationKind.SentBack, InApp = true, Email = true });
            db.OutgoingEmails.Add(new OutgoingEmail
            {
                To = "move-editor@example.com", Subject = "搬迁测试", Body = "正文", CreatedAt = now, NextAttemptAt = now, Attempts = 1, LastError = "超时",
            });
            db.SavedSearches.Add(new SavedSearch { UserId = editor.Id, Name = "搬迁检索", Query = "q=湘西", Alert = true, CreatedAt = now, CheckedUpTo = now });
            db.SearchSynonyms.Add(new SearchSynonym { Words = "搬迁甲 搬迁乙", UpdatedAt = now });
            db.TagRedirects.Add(new TagRedirect { OldName = "搬迁旧标签", TagId = (await db.Tags.OrderBy(t => t.Id).FirstAsync()).Id, CreatedAt = now });
            db.ArticleDailyReferrers.Add(new ArticleDailyReferrers { ArticleId = article.Id, Day = DateOnly.FromDateTime(now), Host = "www.baidu.com", Views = 7 });
            // 专题 with a section of each kind, a hand-picked report and a timeline entry (FK order: topic, section,
            // picked report, entry). The sample content brings one too; this one does not depend on it.
            var tag = await db.Tags.OrderBy(t => t.Id).FirstOrDefaultAsync();
            db.Topics.Add(new Topic
            {
                Slug = "move-topic", Title = "搬迁专题", IntroductionMarkdown = "导语", IntroductionHtml = "<p>导语</p>", IsPublished = true,
                PublishedAt = now, ShowOnFrontPage = true, Position = 2, CreatedAt = now, UpdatedAt = now,
                BannerImageUrl = "/images/samples/topic-dongxibu.jpg", BannerImageAlt = "题图",
                Sections =
                [
                    new TopicSection { Title = "按标签", Position = 1, Source = TopicSectionSource.Tag, TagId = tag?.Id, MaxItems = 5 },
                    new TopicSection { Title = "按栏目", Position = 2, Source = TopicSectionSource.Channel, ChannelId = channel.Id },
                    new TopicSection
                    {
                        Title = "手选", Position = 3, Source = TopicSectionSource.Articles,
                        Articles = [new TopicSectionArticle { ArticleId = article.Id, Position = 1 }],
                    },
                ],
                Timeline = [new TopicTimelineEntry { Date = new DateOnly(2020, 6, 21), Text = "搬迁测试大事记", ArticleId = article.Id }],
                OldSlugs = [new TopicRedirect { OldSlug = "move-topic-old", RetiredAt = now }],
            });
            // The open platform: a partner key with a day's use, a webhook endpoint with one event delivered, a comment.
            var key = new ApiKey { Name = "搬迁伙伴", Prefix = "pnk_move0001", SecretHash = new string('b', 64), RequestsPerMinute = 60, CreatedAt = now, CreatedBy = "move-editor", UseCount = 3 };
            db.ApiKeys.Add(key);
            var endpoint = new WebhookEndpoint { Name = "搬迁回调", Url = "https://partner.example.com/hook", Events = WebhookEvents.All, ProtectedSecret = "protected", CreatedAt = now, CreatedBy = "move-editor" };
            db.WebhookEndpoints.Add(endpoint);
            var webhookEvent = new WebhookEvent { Key = $"article.published:{article.Id}:move", Type = "article.published", ArticleId = article.Id, Payload = "{}", OccurredAt = now, FannedOutAt = now };
            db.WebhookEvents.Add(webhookEvent);
            db.Comments.Add(new Comment { ArticleId = article.Id, AuthorName = "网友甲", Body = "搬迁测试留言", Status = CommentStatus.Approved, CreatedAt = now, ClientHash = new string('c', 64), ModeratedAt = now, ModeratedBy = "move-editor", Reply = "谢谢", RepliedAt = now, RepliedBy = "move-editor" });
            await db.SaveChangesAsync();
            db.ApiKeyDailyUses.Add(new ApiKeyDailyUse { ApiKeyId = key.Id, Day = DateOnly.FromDateTime(now), Requests = 3 });
            db.WebhookDeliveries.Add(new WebhookDelivery { EventId = webhookEvent.Id, EndpointId = endpoint.Id, Status = WebhookDeliveryStatus.Delivered, Attempts = 1, CreatedAt = now, NextAttemptAt = now, DeliveredAt = now, LastStatusCode = 200, LastDurationMs = 12 });
            // Sequence 0 with the genesis hash: an anchor the chain as it is still starts from.
            db.AuditAnchors.Add(new AuditAnchor { Sequence = 0, Hash = AuditHash.Genesis, PrunedAt = now, PrunedCount = 0 });
            if (!await db.SiteSettings.AnyAsync())
            {
                db.SiteSettings.Add(new SiteSettings { Tagline = "搬迁测试" });
            }
            if (!await db.SidebarSettings.AnyAsync())
            {
                db.SidebarSettings.Add(new SidebarSettings { OpinionChannelId = channel.Id });
            }
            if (!await db.Tags.AnyAsync())
            {
                article.Tags.Add(new Tag { Name = "搬迁" });
            }
            if (!await db.Placements.AnyAsync())
            {
                db.Placements.Add(new Placement { ArticleId = article.Id, Block = CurationBlock.HotNews, Position = 1, PlacedAt = now });
            }
            await db.SaveChangesAsync();
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<NewsUser>>();
            var editor = (await users.FindByEmailAsync("move-editor@example.com"))!;
            Assert.True((await users.AddClaimAsync(editor, new Claim("move-test", "1"))).Succeeded);
            Assert.True((await users.AddLoginAsync(editor, new UserLoginInfo("move-provider", "move-key", "搬迁"))).Succeeded);
            Assert.True((await users.SetAuthenticationTokenAsync(editor, "move-provider", "token", "move-token")).Succeeded);
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            var role = (await roles.FindByNameAsync(NewsRoles.Editor))!;
            Assert.True((await roles.AddClaimAsync(role, new Claim("move-test", "role"))).Succeeded);
        }

        var connection = await app.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        DataPath = Path.GetDirectoryName(new SqliteConnectionStringBuilder(connection).DataSource)!;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

[Trait("Provider", "PostgreSql")]
public sealed class CopyToTests(CopyToSourceSite source) : IClassFixture<CopyToSourceSite>
{
    private static readonly Regex Antiforgery = new("<input name=\"__RequestVerificationToken\"[^>]*>", RegexOptions.Compiled);

    /// <summary>The comment form's signed "rendered at" stamp: each site signs its own render time with its own keys.</summary>
    private static readonly Regex CommentStamp = new("<input type=\"hidden\" name=\"Input.Stamp\"[^>]*>", RegexOptions.Compiled);

    private async Task<(int Code, string Output, string Error)> CopyAsync(string connection, params string[] more)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["copy-to", "--provider", "PostgreSql", "--connection", connection, .. more];
        var code = await Commands.RunAsync(source.Factory.Services, "copy-to", args, TextReader.Null, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task RoundTrip_ServesTheSamePagesSignsInAndKeepsTheAuditChain()
    {
        var name = "move_" + Guid.NewGuid().ToString("N")[..12];
        var target = await PostgresCluster.Instance.CreateDatabaseAsync(name);
        try
        {
            // The data first; the search index in the second run below.
            var (code, output, error) = await CopyAsync(target, "--verify-all", "--no-index");
            Assert.True(code == 0, $"copy-to exited {code}:\n{output}\n{error}");
            Assert.Contains("verified", output);

            // Every table of the model had rows in the source (else a table left out would go unnoticed), and every
            // table both databases have holds as many rows in each.
            var sourceCounts = await SqliteCountsAsync();
            var targetCounts = await PostgresCountsAsync(target);
            var modelTables = await source.Factory.WithDbAsync(db =>
                Task.FromResult(db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList()));
            foreach (var table in modelTables)
            {
                Assert.True(sourceCounts.GetValueOrDefault(table) > 0, $"the source has no rows in {table}; the fixture must fill every table");
                Assert.True(sourceCounts[table] == targetCounts.GetValueOrDefault(table),
                    $"{table}: {sourceCounts[table]} rows in SQLite, {targetCounts.GetValueOrDefault(table)} in PostgreSQL");
            }

            // Run again: nothing to copy, verified again (before anything writes to the copy), then the search index
            // built through the PostgreSQL provider's ISearchIndex.
            var again = await CopyAsync(target);
            Assert.True(again.Code == 0, $"copy-to exited {again.Code}:\n{again.Output}\n{again.Error}");
            Assert.Contains("already complete", again.Output);
            Assert.Contains("search index on PostgreSQL built", again.Output);

            // The pages, from the built app run twice as an operator runs it: on the SQLite file and on the copy.
            // (Two processes: EF Core's compiled queries are static, so one process serves one provider's model.)
            var front = await source.Factory.CreateReader().GetPageAsync("/");
            var articleUrl = front.QuerySelectorAll("a[href^='/articles/']").Select(a => a.GetAttribute("href")!).First();
            var channelUrl = front.QuerySelectorAll("a[href^='/channels/']").Select(a => a.GetAttribute("href")!).First();
            await using (var sqliteSite = await ChildSite.StartAsync(source.DataPath, "Sqlite", ""))
            await using (var postgresSite = await ChildSite.StartAsync(source.DataPath, "PostgreSql", target))
            {
                foreach (var url in new[] { "/", articleUrl, channelUrl })
                {
                    Assert.Equal(await HtmlAsync(sqliteSite.Client, url), await HtmlAsync(postgresSite.Client, url));
                }
            }

            using var moved = new NewsFactory
            {
                ConfigureHost = b =>
                {
                    b.UseSetting("PovertyNews:Database:Provider", "PostgreSql");
                    b.UseSetting("ConnectionStrings:News", target);
                    b.UseSetting("PovertyNews:DataPath", source.DataPath);
                },
            };
            // The same password signs in, on the copied hash and security stamp.
            var editor = await moved.SignInToAsync("move-editor@example.com");
            Assert.Equal(200, (int)(await editor.GetAsync("/admin")).StatusCode);

            // The chain moved intact, and new entries (the sign-in above) link on to it.
            var audit = await moved.WithDbAsync(db => AuditChain.VerifyAsync(db));
            Assert.True(audit.Intact, audit.Break?.Describe());
            var sourceEntries = await source.Factory.WithDbAsync(db => db.AuditEntries.LongCountAsync());
            Assert.True(audit.Checked > sourceEntries, $"{audit.Checked} entries checked, {sourceEntries} copied");

            // Sequences were advanced: a new article gets a number after the last copied one.
            var lastId = await source.Factory.WithDbAsync(db => db.Articles.MaxAsync(a => a.Id));
            var newId = await moved.CreateDraftAsync("move-editor@example.com", "搬迁后的新稿件");
            Assert.True(newId > lastId, $"new article {newId}, last copied {lastId}");

        }
        finally
        {
            PostgresCluster.Instance.DropDatabase(name);
        }
    }

    [Fact]
    public async Task TargetHoldingAnotherSite_IsRefusedAndLeftAsItWas()
    {
        var name = "move_" + Guid.NewGuid().ToString("N")[..12];
        var target = await PostgresCluster.Instance.CreateDatabaseAsync(name);
        try
        {
            var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
            PostgresDatabase.Configure(options, target);
            await using (var db = new PostgresNewsDbContext(options.Options))
            {
                await db.Database.MigrateAsync();
                db.Channels.Add(new Channel { Slug = "other-site", Name = "别的网站" });
                await db.SaveChangesAsync();
            }

            var (code, _, error) = await CopyAsync(target, "--no-index");

            Assert.Equal(1, code);
            Assert.Contains("already holds a site", error);
            Assert.Contains("Channels (1 rows)", error);
            var counts = await PostgresCountsAsync(target);
            Assert.Equal(1, counts["Channels"]);
            Assert.Equal(0, counts["Articles"]);
            Assert.False(counts.ContainsKey(CopyProgressStore.Table));
        }
        finally
        {
            PostgresCluster.Instance.DropDatabase(name);
        }
    }

    [Fact]
    public async Task KilledDuringTheCopy_TheSameCommandContinuesAndVerifies()
    {
        var folder = Path.Combine(Path.GetTempPath(), "povertynews-tests", "move-" + Guid.NewGuid().ToString("N")[..12]);
        var name = "move_" + Guid.NewGuid().ToString("N")[..12];
        var target = await PostgresCluster.Instance.CreateDatabaseAsync(name);
        try
        {
            var generate = await RunChildAsync(folder, ["generate", "--count", "20000", "--seed", "5", "--no-index",
                "--content", Path.Combine(NewsFactory.RepositoryRoot, "content")]);
            Assert.True(generate.Code == 0, generate.Error);

            string[] copy = ["copy-to", "--provider", "PostgreSql", "--connection", target, "--batch", "100", "--no-index"];
            // Killed once the articles are under way: their progress line past 0 %.
            var killed = await RunChildAsync(folder, copy, killWhen: line => Regex.IsMatch(line, @"^Articles\s.*\]\s+[1-9]\d*%"));
            Assert.True(killed.Killed, $"the copy ended (exit {killed.Code}) before it could be killed:\n{killed.Output}\n{killed.Error}");

            await using (var connection = new NpgsqlConnection(target))
            {
                await connection.OpenAsync();
                var progress = await CopyProgressStore.TableAsync(connection, "Articles", CancellationToken.None);
                Assert.False(progress.Done);
                Assert.True(progress.Rows is > 0 and < 20014, $"articles copied before the kill: {progress.Rows}");
                Assert.False(await CopyProgressStore.CompleteAsync(connection, CancellationToken.None));
            }

            var resumed = await RunChildAsync(folder, copy);
            Assert.True(resumed.Code == 0, $"rerun exited {resumed.Code}:\n{resumed.Output}\n{resumed.Error}");
            Assert.Contains("verified", resumed.Output);
            Assert.DoesNotContain("DIFF", resumed.Output);
            var articles = (await PostgresCountsAsync(target))["Articles"];
            Assert.True(articles >= 20000, $"{articles} articles in the target");

            var third = await RunChildAsync(folder, copy);
            Assert.True(third.Code == 0, third.Error);
            Assert.Contains("already complete", third.Output);
        }
        finally
        {
            PostgresCluster.Instance.DropDatabase(name);
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string> HtmlAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}");
        // What legitimately differs between the two sites: their antiforgery tokens, their comment forms' stamps and
        // their own address (port).
        var html = (await response.Content.ReadAsStringAsync()).Replace(client.BaseAddress!.GetLeftPart(UriPartial.Authority), "http://site");
        html = CommentStamp.Replace(html, "<input name=\"Input.Stamp\">");
        return Antiforgery.Replace(html, "<input name=\"__RequestVerificationToken\">");
    }

    private async Task<Dictionary<string, long>> SqliteCountsAsync() =>
        await source.Factory.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            var names = new List<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    names.Add(reader.GetString(0));
                }
            }
            var counts = new Dictionary<string, long>();
            foreach (var table in names)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*) FROM \"{table}\"";
                counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
            }
            return counts;
        });

    private static async Task<Dictionary<string, long>> PostgresCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }
        var counts = new Dictionary<string, long>();
        foreach (var table in names)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
            counts[table] = (long)(await command.ExecuteScalarAsync())!;
        }
        return counts;
    }

    /// <summary>The built app serving on a free port of 127.0.0.1, on the given provider and the source's data folder.</summary>
    private sealed class ChildSite : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _log = new();

        private ChildSite(Process process, HttpClient client)
        {
            _process = process;
            Client = client;
        }

        public HttpClient Client { get; }

        public static async Task<ChildSite> StartAsync(string dataPath, string provider, string connection)
        {
            int port;
            using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            }
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetDirectoryName(WebAssembly())!,
            };
            start.ArgumentList.Add(WebAssembly());
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["PovertyNews__DataPath"] = dataPath;
            start.Environment["PovertyNews__Database__Provider"] = provider;
            // One public address for both sites: absolute links, and the QR code that draws one, are then the same.
            start.Environment["PovertyNews__PublicBaseUrl"] = "https://news.example.cn";
            start.Environment["ConnectionStrings__News"] = connection;
            start.Environment["PovertyNews__Backup__Enabled"] = "false";
            var process = Process.Start(start)!;
            var site = new ChildSite(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            process.OutputDataReceived += (_, e) => { lock (site._log) { site._log.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (site._log) { site._log.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            for (var attempt = 0; attempt < 600; attempt++)
            {
                if (process.HasExited)
                {
                    throw new Xunit.Sdk.XunitException($"the site on {provider} stopped (exit {process.ExitCode}):\n{site.Log}");
                }
                try
                {
                    using var response = await site.Client.GetAsync("/");
                    if (response.IsSuccessStatusCode)
                    {
                        return site;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200);
            }
            await site.DisposeAsync();
            throw new Xunit.Sdk.XunitException($"the site on {provider} did not answer:\n{site.Log}");
        }

        private string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

    private sealed record ChildResult(int Code, bool Killed, string Output, string Error);

    /// <summary>
    /// The built app run as its own process on <paramref name="dataPath"/> (SQLite), as an operator runs it;
    /// killed at once when a line it writes to standard error satisfies <paramref name="killWhen"/>.
    /// </summary>
    private static async Task<ChildResult> RunChildAsync(string dataPath, string[] args, Func<string, bool>? killWhen = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(WebAssembly());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["PovertyNews__DataPath"] = dataPath;
        start.Environment["PovertyNews__Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__News"] = "";
        start.Environment["PovertyNews__Backup__Enabled"] = "false";
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var error = new System.Text.StringBuilder();
        var killed = false;
        var outputDone = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        });
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            error.AppendLine(line);
            if (!killed && killWhen?.Invoke(line) == true)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
            }
        }
        await process.WaitForExitAsync();
        await outputDone;
        return new ChildResult(process.ExitCode, killed, output.ToString(), error.ToString());
    }

    /// <summary>PovertyNews.Web.dll beside the tests when it can run from there, else the web project's own build of the same configuration.</summary>
    private static string WebAssembly()
    {
        var here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, "PovertyNews.Web.runtimeconfig.json")))
        {
            return Path.Combine(here, "PovertyNews.Web.dll");
        }
        var configuration = new DirectoryInfo(here).Parent!.Name; // …/bin/<Configuration>/net10.0/
        return Path.Combine(NewsFactory.RepositoryRoot, "src", "PovertyNews.Web", "bin", configuration, "net10.0", "PovertyNews.Web.dll");
    }
}
