using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

public class ArticleVisibilityTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private static Article NewArticle() => new() { Slug = "a", Title = "标题" };

    private static bool Both(Article article, DateTime now)
    {
        var byMethod = article.IsVisibleAt(now);
        var byQuery = Article.VisibleAt(now).Compile()(article);
        Assert.Equal(byMethod, byQuery);
        return byMethod;
    }

    [Fact]
    public void Draft_IsNotVisible() => Assert.False(Both(NewArticle(), Now));

    [Fact]
    public void PublishedNow_IsVisible()
    {
        var article = NewArticle();
        article.Publish(Now);

        Assert.True(Both(article, Now));
        Assert.Equal(Now, article.PublishedAt);
    }

    [Fact]
    public void Scheduled_BecomesVisibleAtItsMinuteNotBefore()
    {
        var article = NewArticle();
        article.Publish(Now, at: Now.AddHours(2));

        Assert.False(Both(article, Now));
        _clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.False(Both(article, Now));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Both(article, Now));
    }

    [Fact]
    public void Withdrawn_IsNotVisibleAndLosesHeadlineAndPin()
    {
        var article = NewArticle();
        article.Placements.Add(new Placement { Block = CurationBlock.Headline });
        article.Placements.Add(new Placement { Block = CurationBlock.HotNews });
        article.Publish(Now);

        article.Withdraw();

        Assert.False(Both(article, Now.AddDays(1)));
        Assert.Empty(article.Placements);
        Assert.Throws<WorkflowException>(() => article.Publish(Now));
    }

    [Fact]
    public void PinWithExpiry_IsPinnedUntilThen()
    {
        var pin = new Placement { Block = CurationBlock.HotNews, Until = Now.AddHours(1) };

        Assert.True(pin.IsLiveAt(Now));
        Assert.False(pin.IsLiveAt(Now.AddHours(1)));
        Assert.True(new Placement { Block = CurationBlock.HotNews }.IsLiveAt(Now.AddYears(10)));
    }

    [Fact]
    public void UnspecifiedKind_IsTakenAsUtc()
    {
        var article = NewArticle();
        article.Publish(DateTime.SpecifyKind(Now, DateTimeKind.Unspecified));

        Assert.Equal(DateTimeKind.Utc, article.PublishedAt!.Value.Kind);
        Assert.True(Both(article, Now));
    }
}
