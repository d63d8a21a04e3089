using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;
using PovertyNews.Web.Common;

namespace PovertyNews.Tests.Domain;

/// <summary>
/// Three lists name Article fields by hand: which changes evict cached pages, which re-index an article, which text is
/// screened for sensitive words. A field added to Article is in none of them, and nothing would notice: these tests
/// fail until it is placed in each list or in the list of fields deliberately left out beside it.
/// </summary>
public sealed class ArticleFieldListsTests
{
    /// <summary>The mapped properties the interceptors see in the change tracker (navigations excluded).</summary>
    private static readonly HashSet<string> ArticleProperties = MappedArticleProperties();

    private static HashSet<string> MappedArticleProperties()
    {
        using var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite("Data Source=:memory:").Options);
        return db.Model.FindEntityType(typeof(Article))!.GetProperties().Select(p => p.Name).ToHashSet();
    }

    // ---------------------------------------------------------------- Output cache eviction

    /// <summary>
    /// Fields shown in lists of cards (front page, channels, tags, sidebars, feeds): a change evicts the lists, which
    /// is also what happens to any field in none of the interceptor's lists.
    /// </summary>
    private static readonly HashSet<string> CardProperties =
    [
        nameof(Article.Id), nameof(Article.Slug), nameof(Article.Title), nameof(Article.Summary), nameof(Article.ChannelId),
        nameof(Article.Kind), nameof(Article.Status), nameof(Article.PublishedAt), nameof(Article.CoverImageUrl),
        nameof(Article.CoverImageAlt), nameof(Article.VideoPosterUrl),
        // Whether the card is in the lists at all, from its minute on.
        nameof(Article.OfflineAt),
    ];

    [Fact]
    public void CacheEviction_ClassifiesEveryArticleProperty_Once()
    {
        var quiet = CacheEvictionInterceptor.QuietProperties;
        var page = CacheEvictionInterceptor.PageProperties;

        Assert.Empty(ArticleProperties.Except(quiet).Except(page).Except(CardProperties));
        Assert.Empty(quiet.Intersect(page));
        Assert.Empty(quiet.Intersect(CardProperties));
        Assert.Empty(page.Intersect(CardProperties));
        Assert.Empty(quiet.Union(page).Union(CardProperties).Except(ArticleProperties));
    }

    [Fact]
    public void CacheEviction_FieldsTheCardsRead_EvictTheLists()
    {
        // CreatedAt only stands in for PublishedAt, which every article a reader can see has.
        var read = ArticleMembersReadBy(ArticleCard.Projection).Except([nameof(Article.CreatedAt)]).ToList();

        Assert.DoesNotContain(read, CacheEvictionInterceptor.QuietProperties.Contains);
        Assert.DoesNotContain(read, CacheEvictionInterceptor.PageProperties.Contains);
    }

    // ---------------------------------------------------------------- Search index

    /// <summary>Fields the search index does not read; a change to them costs no index write.</summary>
    private static readonly HashSet<string> NotIndexed =
    [
        nameof(Article.Id), nameof(Article.Slug), "BodyMarkdown", nameof(Article.ReprintedFrom), nameof(Article.ResponsibleEditor),
        nameof(Article.ContactHotline), nameof(Article.ContactWeChat), nameof(Article.CoverImageUrl), nameof(Article.CoverImageAlt),
        nameof(Article.VideoUrl), nameof(Article.VideoPosterUrl), nameof(Article.UpdatedAt), nameof(Article.ViewCount),
        nameof(Article.ImportHash), nameof(Article.Version), nameof(Article.ReviewLevel), nameof(Article.CorrectionNote),
        nameof(Article.CorrectedAt), nameof(Article.WithdrawalReason), nameof(Article.WithdrawnAt),
        // The planned time is read by queries at the minute; the index learns of it when the job records it (WentOfflineAt).
        nameof(Article.OfflineAt),
        // Staff notes and the recycle bin's time; the status they come with is indexed.
        nameof(Article.EmbargoUntil), nameof(Article.EmbargoNote), nameof(Article.RecycledAt),
        nameof(Article.PendingRevision), nameof(Article.PendingState), nameof(Article.PendingReviewLevel), nameof(Article.PendingSince),
        // Whether readers may comment (留言); no search result shows it.
        nameof(Article.CommentsClosed),
    ];

    [Fact]
    public void SearchIndex_WatchesExactlyTheFieldsItsDocumentsRead()
    {
        // Tags are re-indexed through the ArticleTags join rows, not an Article property.
        var read = typeof(SearchSource).GetProperties().Select(p => p.Name)
            .Except([nameof(SearchSource.Id), nameof(SearchSource.Tags)]).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(read, SearchIndexInterceptor.IndexedProperties.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void SearchIndex_ClassifiesEveryArticleProperty_Once()
    {
        var indexed = SearchIndexInterceptor.IndexedProperties;

        Assert.Empty(ArticleProperties.Except(indexed).Except(NotIndexed));
        Assert.Empty(indexed.Intersect(NotIndexed));
        Assert.Empty(indexed.Union(NotIndexed).Except(ArticleProperties));
    }

    // ---------------------------------------------------------------- Sensitive-word screening

    /// <summary>The article text fields screening checks, by the name of their field in the editor's input.</summary>
    private static readonly Dictionary<string, string> ScreenedAs = new()
    {
        [nameof(Article.Title)] = nameof(ArticleInput.Title),
        [nameof(Article.Subtitle)] = nameof(ArticleInput.Subtitle),
        [nameof(Article.Summary)] = nameof(ArticleInput.Summary),
        ["BodyMarkdown"] = nameof(ArticleInput.Body),
        [nameof(Article.BodyHtml)] = nameof(ArticleInput.Body), // rendered from the screened Markdown
        [nameof(Article.Source)] = nameof(ArticleInput.Source),
        [nameof(Article.ReprintedFrom)] = nameof(ArticleInput.ReprintedFrom),
        [nameof(Article.Author)] = nameof(ArticleInput.Author),
        [nameof(Article.ResponsibleEditor)] = nameof(ArticleInput.ResponsibleEditor),
        [nameof(Article.ContactHotline)] = nameof(ArticleInput.ContactHotline),
        [nameof(Article.ContactWeChat)] = nameof(ArticleInput.ContactWeChat),
        [nameof(Article.CoverImageAlt)] = nameof(ArticleInput.CoverImageAlt),
    };

    /// <summary>Text fields of Article deliberately not screened.</summary>
    private static readonly HashSet<string> ArticleTextNotScreened =
    [
        nameof(Article.Slug), // generated or checked against [a-z0-9-]
        nameof(Article.CoverImageUrl), nameof(Article.VideoUrl), nameof(Article.VideoPosterUrl), // addresses, not text readers read
        nameof(Article.ImportHash), nameof(Article.OwnerId), // never shown
        nameof(Article.WithdrawalReason), nameof(Article.EmbargoNote), // shown to the newsroom only
        // Shown to readers; screened as the 更正说明 of the pending version it comes with (ArticleInput.CorrectionNote).
        nameof(Article.CorrectionNote),
    ];

    /// <summary>Input fields that are not text readers read.</summary>
    private static readonly HashSet<string> InputNotScreened =
    [
        nameof(ArticleInput.CoverImageUrl), nameof(ArticleInput.VideoUrl), nameof(ArticleInput.VideoPosterUrl),
    ];

    [Fact]
    public void Screening_ClassifiesEveryArticleTextProperty()
    {
        var text = ArticleProperties.Where(n => typeof(Article).GetProperty(n)!.PropertyType == typeof(string)).ToHashSet();

        Assert.Empty(text.Except(ScreenedAs.Keys).Except(ArticleTextNotScreened));
        Assert.Empty(ScreenedAs.Keys.Intersect(ArticleTextNotScreened));
        Assert.Empty(ScreenedAs.Keys.Union(ArticleTextNotScreened).Except(text));
    }

    [Fact]
    public void Screening_ChecksEveryScreenedArticleField_AndEveryTextFieldOfTheInput()
    {
        var checkedFields = ArticleScreening.Fields.Select(f => f.Name).ToHashSet();
        var inputText = typeof(ArticleInput).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => p.Name).ToHashSet();

        Assert.Empty(ScreenedAs.Values.Except(checkedFields));
        Assert.Empty(inputText.Except(checkedFields).Except(InputNotScreened));
        Assert.Empty(checkedFields.Except(inputText));
    }

    private static HashSet<string> ArticleMembersReadBy(LambdaExpression expression)
    {
        var visitor = new MemberCollector(expression.Parameters[0]);
        visitor.Visit(expression.Body);
        return visitor.Names;
    }

    private sealed class MemberCollector(ParameterExpression article) : ExpressionVisitor
    {
        public HashSet<string> Names { get; } = [];

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression == article)
            {
                Names.Add(node.Member.Name);
            }
            return base.VisitMember(node);
        }
    }
}
