using System.Net;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Generate;

namespace PovertyNews.Tests.Generate;

public sealed class ArticleFactoryTests
{
    private static readonly SampleText Sample = SampleText.Load(TestContent.Folder);
    private static readonly MarkovText Model = MarkovText.Train(Sample.Sentences, order: 3);
    private static readonly DateTime Now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);
    private static readonly GenerationScope Scope = new([1, 2, 3, 4, 5, 6], [7], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Now.AddYears(-10), Now);

    private static List<GeneratedArticle> Generate(int seed, int count) =>
        Enumerable.Range(0, count).Select(i => new ArticleFactory(Model, Sample, Scope, seed).Create(i + 1, i, count)).ToList();

    [Fact]
    public void SampleContent_YieldsSentencesAndPictures()
    {
        Assert.True(Sample.Sentences.Count > 50);
        Assert.NotEmpty(Sample.Covers);
        Assert.NotEmpty(Sample.VideoPosters);
        Assert.All(Sample.Sentences, s => Assert.True(MarkovText.IsSentenceEnd(s[^1])));
        Assert.All(Sample.Sentences, s => Assert.DoesNotContain("视频", s));
    }

    [Fact]
    public void SampleContent_LeavesOutSentencesNamingPeople()
    {
        Assert.All(Sample.Sentences, s => Assert.DoesNotContain(SampleText.NamedPeople, s.Contains));
        foreach (var article in Generate(seed: 3, count: 300))
        {
            var text = article.Title + article.Summary + article.BodyMarkdown;
            Assert.DoesNotContain(SampleText.NamedPeople, text.Contains);
        }
    }

    [Fact]
    public void SameSeedAndNumber_SameArticle()
    {
        var first = new ArticleFactory(Model, Sample, Scope, seed: 9).Create(123, 5, 10);
        // Another factory, after other articles: nothing carries over from one article to the next.
        var factory = new ArticleFactory(Model, Sample, Scope, seed: 9);
        factory.Create(1, 0, 10);
        var second = factory.Create(123, 5, 10);

        Assert.Equivalent(first, second, strict: true);
    }

    [Fact]
    public void DifferentSeeds_DifferentArticles()
    {
        var a = Generate(seed: 1, count: 20);
        var b = Generate(seed: 2, count: 20);

        Assert.NotEqual(a.Select(x => x.BodyMarkdown), b.Select(x => x.BodyMarkdown));
        Assert.Equal(20, a.Select(x => x.BodyMarkdown).Distinct().Count());
        Assert.Equal("gen-1-1", a[0].Slug);
        Assert.Equal("gen-2-20", b[^1].Slug);
    }

    [Fact]
    public void Text_IsChineseWithinItsLengths()
    {
        foreach (var article in Generate(seed: 1, count: 500))
        {
            Assert.InRange(article.Title.Length, ArticleFactory.MinTitleLength, ArticleFactory.MaxTitleLength);
            Assert.False(string.IsNullOrWhiteSpace(article.Title));
            Assert.False(MarkovText.IsClauseEnd(article.Title[^1]), article.Title);
            Assert.InRange(article.Summary.Length, ArticleFactory.MinSummaryLength, ArticleFactory.MaxSummaryLength);
            Assert.EndsWith("。", article.Summary);

            var paragraphs = article.BodyMarkdown.Split("\n\n");
            Assert.InRange(paragraphs.Length, ArticleFactory.MinParagraphs, ArticleFactory.MaxParagraphs);
            Assert.All(paragraphs, p => Assert.False(string.IsNullOrWhiteSpace(p)));
            Assert.InRange(paragraphs.Sum(p => p.Length), ArticleFactory.MinBodyLength, ArticleFactory.MaxBodyLength);
            Assert.True(TestContent.HanShare(article.Title + article.Summary + article.BodyMarkdown) > 0.95);
        }
    }

    [Fact]
    public void Html_IsOneEncodedParagraphPerMarkdownParagraph()
    {
        foreach (var article in Generate(seed: 4, count: 100))
        {
            var expected = string.Concat(article.BodyMarkdown.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>\n"));
            Assert.Equal(expected, article.BodyHtml);
        }
    }

    [Fact]
    public void Row_HasAValueForEveryInsertedColumn()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        var article = Generate(seed: 1, count: 1)[0];

        var row = new ArticleRows(connection).Row(article);

        Assert.Equal(ArticleInserter.Columns.Length, row.Values.Length);
        Assert.Equal(article.Slug, row.Values[Array.IndexOf(ArticleInserter.Columns, "Slug")]);
        Assert.Equal(article.BodyHtml, System.Text.Encoding.UTF8.GetString(
            (byte[])row.Values[Array.IndexOf(ArticleInserter.Columns, "BodyHtml")]));
    }

    [Fact]
    public void Metadata_IsSpreadLikeANewsSite()
    {
        var articles = Generate(seed: 1, count: 5000);

        var statuses = articles.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(statuses[ArticleStatus.Published] > 4500);
        Assert.True(statuses[ArticleStatus.Draft] > 50);
        Assert.True(statuses[ArticleStatus.InReview] > 50);
        Assert.True(statuses[ArticleStatus.Withdrawn] > 50);
        Assert.All(articles.Where(a => a.Status is ArticleStatus.Draft or ArticleStatus.InReview), a => Assert.Null(a.PublishedAt));
        Assert.All(articles.Where(a => a.Status == ArticleStatus.Withdrawn), a =>
        {
            Assert.NotNull(a.WithdrawalReason);
            Assert.True(a.WithdrawnAt >= a.PublishedAt);
        });

        var videos = articles.Where(a => a.Kind == ArticleKind.Video).ToList();
        Assert.InRange(videos.Count, 75, 250);
        Assert.All(videos, v => Assert.Equal(7, v.ChannelId));
        Assert.All(videos, v => Assert.StartsWith("https://", v.VideoUrl));
        Assert.All(articles.Where(a => a.Kind == ArticleKind.Article), a => Assert.InRange(a.ChannelId, 1, 6));

        // Evenly over the ten years, later numbers newer.
        Assert.All(articles, a => Assert.InRange(a.CreatedAt, Scope.From, Scope.To));
        Assert.Equal(articles.Select(a => a.CreatedAt).Order(), articles.Select(a => a.CreatedAt));
        Assert.All(Enumerable.Range(0, 10), year => Assert.InRange(
            articles.Count(a => a.CreatedAt >= Scope.From.AddYears(year) && a.CreatedAt < Scope.From.AddYears(year + 1)), 400, 600));

        var views = articles.Where(a => a.Status == ArticleStatus.Published).Select(a => a.ViewCount).Order().ToList();
        Assert.True(views[^1] > 20 * views[views.Count / 2], "a few articles are read far more than the median one");
        Assert.All(articles.Where(a => a.Status == ArticleStatus.Draft), a => Assert.Equal(0, a.ViewCount));

        Assert.All(articles, a => Assert.True(a.TagIds.Length <= ArticleFactory.MaxTags && a.TagIds.Distinct().Count() == a.TagIds.Length));
        Assert.Equal(articles.Count, articles.Select(a => a.Version).Distinct().Count());
    }
}
