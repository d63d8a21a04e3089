using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Pages.Articles;
using PovertyNews.Web.Reading;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// The article page's statements kept prepared on SQLite (<see cref="SqliteStatements"/>) against the compiled EF Core
/// queries they stand in for: the SQL is written twice, so every field of every kind of report is compared.
/// </summary>
public sealed class PreparedReadTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryReport_ThePreparedStatementsRead_WhatTheCompiledQueriesRead()
    {
        var statements = _factory.Services.GetRequiredService<SqliteStatements>();
        if (_factory.Provider != DatabaseProvider.Sqlite)
        {
            // PostgreSQL has no such statements: the page reads through the compiled queries compared below.
            using var none = statements.Rent();
            Assert.Null(none);
            return;
        }
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        await _factory.WithDbAsync(async db =>
        {
            var sample = await db.Articles.Where(a => a.Status == ArticleStatus.Published && a.Kind == ArticleKind.Article)
                .OrderBy(a => a.Id).Select(a => a.Id).Take(4).ToListAsync();
            // What the sample content lacks: an applied change, an approved comment, closed comments, a correction and
            // a planned 下线时间.
            // Beside each, one that must not count: a later review of another kind, a comment not approved.
            db.ArticleReviews.AddRange(
                new ArticleReview { ArticleId = sample[0], Action = ReviewAction.ChangeApplied, UserName = "测试", At = now.AddDays(-1) },
                new ArticleReview { ArticleId = sample[0], Action = ReviewAction.Pass, Level = 1, UserName = "测试", At = now });
            db.Comments.AddRange(
                new Comment { ArticleId = sample[1], Body = "已通过的留言", Status = CommentStatus.Approved, CreatedAt = now, ClientHash = "x" },
                new Comment { ArticleId = sample[2], Body = "被拒的留言", Status = CommentStatus.Rejected, CreatedAt = now, ClientHash = "y" });
            await db.SaveChangesAsync();
            await db.Articles.Where(a => a.Id == sample[2]).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.CommentsClosed, true)
                .SetProperty(a => a.CorrectionNote, "更正说明")
                .SetProperty(a => a.CorrectedAt, now.AddHours(-2)));
            await db.Articles.Where(a => a.Id == sample[3]).ExecuteUpdateAsync(s => s.SetProperty(a => a.OfflineAt, now.AddDays(3)));
        });
        var channel = await _factory.WithDbAsync(async db => await db.Channels.Select(c => c.Id).FirstAsync());
        await _factory.WithDbAsync(async db =>
        {
            db.Articles.AddRange(
                new ArticleBuilder(channel, "撤回的稿件").Withdrawn().Build(),
                new ArticleBuilder(channel, "草稿").Draft().Build());
            await db.SaveChangesAsync();
        });

        var ids = await _factory.WithDbAsync(db => db.Articles.Select(a => a.Id).ToListAsync());
        var kinds = new HashSet<(ArticleKind, ArticleStatus)>();
        int withTags = 0, withDuration = 0, compared = 0;
        foreach (var id in ids.Append(ids.Max() + 1))
        {
            var (expected, actual) = await _factory.WithDbAsync(async db =>
                (await ArticleQueries.ArticleWithTagsAsync(db, id, CancellationToken.None),
                 await ArticleQueries.ArticleWithTagsAsync(db, statements, id, CancellationToken.None)));
            if (expected is null)
            {
                Assert.Null(actual);
                continue;
            }
            Assert.NotNull(actual);
            Assert.Equal(expected.Tags, actual.Tags);
            Assert.Equal(expected, actual, new PageComparer(expected.Tags));
            Assert.All(new[] { actual.PublishedAt, actual.LastChangeAppliedAt, actual.CorrectedAt, actual.WithdrawnAt, actual.OfflineAt }
                .OfType<DateTime>(), t => Assert.Equal(DateTimeKind.Utc, t.Kind));
            kinds.Add((actual.Kind, actual.Status));
            withTags += actual.Tags.Count > 0 ? 1 : 0;
            withDuration += actual.VideoDurationSeconds is not null ? 1 : 0;
            compared++;

            if (actual.Status == ArticleStatus.Published)
            {
                var (compiled, prepared) = await _factory.WithDbAsync(async db =>
                    (await ChannelNeighbours.BothAsync(db, SqliteStatements.None, actual.ChannelId, actual.PublishedAt!.Value, id, now, CancellationToken.None),
                     await ChannelNeighbours.BothAsync(db, statements, actual.ChannelId, actual.PublishedAt!.Value, id, now, CancellationToken.None)));
                Assert.Equal(compiled.OrderBy(c => c.Id), prepared.OrderBy(c => c.Id));
                Assert.All(prepared, c => Assert.Equal(DateTimeKind.Utc, c.PublishedAt.Kind));
            }
        }

        // The comparison saw what it is meant to cover.
        Assert.Contains((ArticleKind.Video, ArticleStatus.Published), kinds);
        Assert.Contains((ArticleKind.Gallery, ArticleStatus.Published), kinds);
        Assert.Contains((ArticleKind.Article, ArticleStatus.Withdrawn), kinds);
        Assert.Contains((ArticleKind.Article, ArticleStatus.Draft), kinds);
        Assert.True(withTags > 0 && withDuration > 0, $"{compared} compared, {withTags} with tags, {withDuration} with a video's duration");
    }

    /// <summary>Records with a list inside compare the list by reference; the lists are compared on their own.</summary>
    private sealed class PageComparer(List<ShowModel.TagLink> tags) : IEqualityComparer<ShowModel.ArticlePage>
    {
        public bool Equals(ShowModel.ArticlePage? x, ShowModel.ArticlePage? y) =>
            x is not null && y is not null && (x with { Tags = tags }).Equals(y with { Tags = tags });

        public int GetHashCode(ShowModel.ArticlePage obj) => obj.Id;
    }
}
