using PovertyNews.Web.Domain;
using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

public sealed class SearchDocumentTests
{
    private static readonly DateTime Created = new(2020, 6, 20, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Published = new(2020, 6, 23, 1, 30, 0, DateTimeKind.Utc);
    private static readonly Dictionary<int, int?> Parents = new() { [1] = null, [2] = 1, [3] = 2 };

    private static SearchSource Source(
        ArticleStatus status = ArticleStatus.Published, int channel = 3, string? owner = "AbC-123", DateTime? published = null) =>
        new(42, "十八洞村培育六大支柱产业", "两天行程", "走访村寨", "<p>扶<strong>贫</strong></p><p>协作</p>", "济南日报", "本网综合",
            ["东西部扶贫协作", "湘西"], channel, ArticleKind.Video, status, published, Created, owner);

    [Theory]
    [InlineData(ArticleStatus.Published, "v1 s4 k1 o0abc123 c3 c2 c1")]
    [InlineData(ArticleStatus.Scheduled, "v1 s6 k1 o0abc123 c3 c2 c1")]
    [InlineData(ArticleStatus.Draft, "s0 k1 o0abc123 c3 c2 c1")]
    [InlineData(ArticleStatus.InReview, "s2 k1 o0abc123 c3 c2 c1")]
    [InlineData(ArticleStatus.Withdrawn, "s5 k1 o0abc123 c3 c2 c1")]
    public void From_Status_GivesTheFacets(ArticleStatus status, string expected) =>
        Assert.Equal(expected, SearchDocument.From(Source(status), Parents).Facets);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void From_NoOwner_HasNoOwnerFacet(string? owner) =>
        Assert.Equal("v1 s4 k1 c1", SearchDocument.From(Source(channel: 1, owner: owner), Parents).Facets);

    [Fact]
    public void From_ChannelCycle_StopsAfterSixteenLevels()
    {
        var facets = SearchDocument.From(Source(channel: 7), new Dictionary<int, int?> { [7] = 8, [8] = 7 }).Facets;

        Assert.Equal(16, facets.Split(' ').Count(f => f.StartsWith('c')));
    }

    [Fact]
    public void From_UnknownChannel_IsStillItsOwnFacet() =>
        Assert.EndsWith(" c99", SearchDocument.From(Source(channel: 99), Parents).Facets);

    [Fact]
    public void From_Fields_AreIndexTokensAndNeverJoinAcrossFields()
    {
        var document = SearchDocument.From(Source(), Parents);

        Assert.Equal(ChineseText.IndexTokens("十八洞村培育六大支柱产业"), document.Title);
        Assert.Equal("两天 天行 行程 程 走访 访村 村寨 寨 ", document.Lead);
        Assert.Equal("扶贫 贫 协作 作 ", document.Body);
        Assert.Equal("济南 南日 日报 报 ", document.Source);
        Assert.Equal("本网 网综 综合 合 ", document.Author);
        Assert.Equal("东西 西部 部扶 扶贫 贫协 协作 作 湘西 西 ", document.Tags);
    }

    [Fact]
    public void From_MissingOptionalFields_AreEmpty()
    {
        var document = SearchDocument.From(
            new SearchSource(1, "标题", null, "", "", null, null, [], 1, ArticleKind.Article, ArticleStatus.Draft, null, Created, null),
            Parents);

        Assert.Equal("", document.Lead);
        Assert.Equal("", document.Body);
        Assert.Equal("", document.Source);
        Assert.Equal("", document.Author);
        Assert.Equal("", document.Tags);
    }

    [Fact]
    public void From_Key_IsThePublicationTimeAndTheId()
    {
        Assert.Equal(SearchKey.For(42, Published), SearchDocument.From(Source(published: Published), Parents).Key);
        Assert.Equal(42, SearchKey.ArticleId(SearchDocument.From(Source(published: Published), Parents).Key));
    }

    [Fact]
    public void From_Unpublished_IsKeyedByItsCreationTime() =>
        Assert.Equal(SearchKey.For(42, Created), SearchDocument.From(Source(ArticleStatus.Draft), Parents).Key);

    [Theory]
    [InlineData("3F2504E0-4F89-11D3-9A0C-0305E82C3301", "o03f2504e04f8911d39a0c0305e82c3301")]
    [InlineData("owner-2", "o0owner2")]
    [InlineData("用户\"*", "o0")]
    public void OwnerFacet_KeepsOnlyAsciiLettersAndDigits(string owner, string expected) =>
        Assert.Equal(expected, SearchDocument.OwnerFacet(owner));
}
