using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Topics;
using PovertyNews.Web.Reading;

namespace PovertyNews.Tests.Topics;

public sealed class TopicRulesTests
{
    [Theory]
    [InlineData("dongxibu-xiezuo", null)]
    [InlineData("2020", null)]
    [InlineData("", "请填写")]
    [InlineData("a", "2–100")]
    [InlineData("Dongxibu", "改成小写")]
    [InlineData("east--west", "连字符不能在开头、结尾或连续出现")]
    [InlineData("-east", "连字符")]
    [InlineData("feed", "保留")]
    [InlineData("东西部", "小写英文字母")]
    public void Slug_FollowsTheAddressRules(string slug, string? problem)
    {
        var found = TopicRules.SlugProblem(slug);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found);
        }
    }

    [Theory]
    [InlineData("12", 12)]
    [InlineData("/articles/12/jinan-xiangxi", 12)]
    [InlineData("https://news.example.com/articles/7/x?utm=1", 7)]
    [InlineData("/articles/7", 7)]
    [InlineData("0", null)]
    [InlineData("12abc", null)]
    [InlineData("/channels/12", null)]
    [InlineData("javascript:12", null)]
    public void ArticleReference_IsAnIdOrAnArticleAddress(string text, int? id) => Assert.Equal(id, TopicText.ArticleId(text));

    [Fact]
    public void Banner_NeedsASafeAddress_AndWordsForItWhenThereIsOne()
    {
        Assert.Empty(TopicRules.BannerProblems(null, null));
        Assert.Empty(TopicRules.BannerProblems("/media/a.webp", "山间梯田"));
        Assert.Equal(["BannerImageAlt"], TopicRules.BannerProblems("/media/a.webp", null).Select(p => p.Field));
        Assert.Contains("BannerImageUrl", TopicRules.BannerProblems("javascript:alert(1)", "图").Select(p => p.Field));
    }

    [Fact]
    public void Cards_AreOrderedByPosition_ThenNewestFirst()
    {
        static TopicCard Card(int id, int position, int day) =>
            new(id, $"t{id}", $"专题{id}", "", null, null, false, position, new DateTime(2020, 6, day, 0, 0, 0, DateTimeKind.Utc), DateTime.UnixEpoch);

        var ordered = TopicCard.Ordered([Card(1, 0, 20), Card(2, 0, 22), Card(3, -1, 1), Card(4, 5, 30)]).Select(c => c.Id);

        Assert.Equal([3, 2, 1, 4], ordered);
    }

    [Fact]
    public void Excerpt_CutsLongIntroductions()
    {
        Assert.Equal("短导语", TopicCard.Excerpt("短导语"));
        var cut = TopicCard.Excerpt(new string('协', 200));
        Assert.Equal(TopicCard.SummaryLength + 1, cut.Length);
        Assert.EndsWith("…", cut);
    }
}
