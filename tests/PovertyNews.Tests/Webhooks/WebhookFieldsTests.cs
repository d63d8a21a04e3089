using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.Tests.Webhooks;

/// <summary>
/// article.updated is sent for changes of the fields in <see cref="WebhookEventInterceptor.ReaderFacing"/>; a field
/// added to Article must be placed there or among the ones deliberately left out, or this fails.
/// </summary>
public sealed class WebhookFieldsTests
{
    /// <summary>Fields whose change alone is no article.updated: staff-only, bookkeeping, or covered by another event.</summary>
    private static readonly HashSet<string> NotAnUpdate =
    [
        nameof(Article.Id), "BodyMarkdown", nameof(Article.Status), nameof(Article.PublishedAt), nameof(Article.OfflineAt),
        nameof(Article.WentOfflineAt), nameof(Article.WithdrawnAt), nameof(Article.WithdrawalReason), nameof(Article.CreatedAt),
        nameof(Article.UpdatedAt), nameof(Article.ViewCount), nameof(Article.ImportHash), nameof(Article.Version),
        nameof(Article.OwnerId), nameof(Article.ReviewLevel), nameof(Article.CorrectedAt), nameof(Article.EmbargoUntil),
        nameof(Article.EmbargoNote), nameof(Article.RecycledAt), nameof(Article.PendingRevision), nameof(Article.PendingState),
        nameof(Article.PendingSince), nameof(Article.PendingReviewLevel), nameof(Article.CommentsClosed),
    ];

    [Fact]
    public void UpdatedEvent_ClassifiesEveryArticleProperty_Once()
    {
        using var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite("Data Source=:memory:").Options);
        var properties = db.Model.FindEntityType(typeof(Article))!.GetProperties().Select(p => p.Name).ToHashSet();

        Assert.Empty(properties.Except(WebhookEventInterceptor.ReaderFacing).Except(NotAnUpdate));
        Assert.Empty(WebhookEventInterceptor.ReaderFacing.Intersect(NotAnUpdate));
        Assert.Empty(WebhookEventInterceptor.ReaderFacing.Union(NotAnUpdate).Except(properties));
    }

    [Fact]
    public void Signature_VerifiesOnlyTheSameBodyAndSecretWithinTheTolerance()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_765_000_000);
        var header = WebhookSignature.Sign("whsec_a", now.ToUnixTimeSeconds(), "{\"x\":1}");
        Assert.Matches("^t=1765000000,v1=[0-9a-f]{64}$", header);
        Assert.True(WebhookSignature.Verify("whsec_a", header, "{\"x\":1}", now.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_b", header, "{\"x\":1}", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_a", header, "{\"x\":2}", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_a", header, "{\"x\":1}", now.AddMinutes(6), TimeSpan.FromMinutes(5)));
    }
}
